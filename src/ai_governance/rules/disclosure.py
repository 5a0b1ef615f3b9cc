"""disclosure: a change with AI evidence carries the canonical trailer, e.g. ``Assisted-by``.

Commit by commit in local stages and ranges. On a pull request the PR is judged as a whole
(squash merges fold the trailers of every commit into one message): one valid trailer in a
commit or a ``Key: value`` line in the PR body discloses it, and when the policy asks for a
declaration every PR must say yes or no.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ai_governance.change import PullRequest
from ai_governance.detect.markers import NO_AI, SOME_AI
from ai_governance.detect.trailers import Message, visible
from ai_governance.detect.trailers import parse as parse_message
from ai_governance.policy.model import Marker, Rule
from ai_governance.report import Finding, Outcome
from ai_governance.rules import disclosure_fix, disclosure_text
from ai_governance.rules.context import Context, Needs, Problems, no_advice, no_problems
from ai_governance.rules.disclosure_fix import forbids
from ai_governance.rules.disclosure_text import (
    CHECKBOX,
    DECLARATION,
    DEFAULT_TRAILER,
    DEFAULT_VALUE,
    Options,
    fix,
    judge_message,
    keyed_lines,
    label,
    rule_options,
)

TYPE_CHECKING = False  # typing itself costs a hook start-up 2.4 ms
if TYPE_CHECKING:
    from typing import Any

parse = disclosure_text.parse  # the kind's functions written beside this module
prepare = disclosure_fix.prepare
problems = no_problems

SCANS_CODE = False  # rules.context.RuleKind


advice = no_advice
_DECLARATION = ("off", "optional", "required")
_REQUIRE = ("none", "pull-request", "trailer")


def weakened(base: Mapping[str, Any], merged: Mapping[str, Any]) -> Problems:
    found: Problems = []
    for key, default in (("trailer", DEFAULT_TRAILER), ("value", DEFAULT_VALUE)):
        if base.get(key, default) != merged.get(key, default):
            found.append(((key,), "changes the canonical disclosure"))
    old, new = base.get("pr_declaration", "off"), merged.get("pr_declaration", "off")
    if _DECLARATION.index(new) < _DECLARATION.index(old):
        found.append((("pr_declaration",), f"lowers pr_declaration from {old} to {new}"))
    old, new = base.get("require", "trailer"), merged.get("require", "trailer")
    if _REQUIRE.index(new) < _REQUIRE.index(old):
        found.append((("require",), f"lowers require from {old} to {new}"))
    if set(merged.get("accept", ())) - set(base.get("accept", ())):
        found.append((("accept",), "accepts more trailer keys as a disclosure"))
    if set(base.get("forbid", ())) - set(merged.get("forbid", ())):
        found.append((("forbid",), "forbids less than it inherits"))
    return found


def needs(rule: Rule) -> Needs:
    """The canonical disclosure is itself evidence of AI assistance (``Assisted-by: none``
    is a declaration that nothing helped: not evidence)."""
    return Needs(
        markers=tuple(
            Marker(id=f"disclosure-{key}", tool="", trailer=key, value=SOME_AI, needles=(key,))
            for key in sorted(rule_options(rule).keys)
        )
    )


def in_history(rule: Rule) -> bool:
    return True


def discloses(rule: Rule, message: Message) -> bool | None:
    """A valid canonical trailer in git's trailer block."""
    return judge_message(rule_options(rule), message, [], "", None)[0]


def trailer_keys(rule: Rule) -> frozenset[str]:
    return rule_options(rule).keys


def skip(rule: Rule, stage: str) -> str | None:
    if stage == "pre-commit":
        return "no commit message exists before the commit: disclosure is judged at commit-msg"
    return None


def check(rule: Rule, ctx: Context) -> Outcome:
    options = rule_options(rule)
    forbidden = forbids(options, ctx)
    if ctx.change.pr is not None and options.require != "none":
        outcome = _check_pull_request(options, ctx.change.pr, ctx)
    elif options.require == "trailer":
        outcome = _check_commits(options, ctx)
    else:
        where = "the pull request" if options.require == "pull-request" else "nothing"
        outcome = Outcome("passed", f"the policy asks no commit trailer (it requires {where})")
    if forbidden:
        return Outcome(
            "failed",
            f"{len(forbidden)} marker(s) the policy forbids"
            + (f"; {outcome.reason}" if outcome.status == "failed" else ""),
            forbidden + outcome.findings,
        )
    return outcome


def _check_commits(options: Options, ctx: Context) -> Outcome:
    ai_commits = disclosed = 0
    findings: list[Finding] = []
    for commit in ctx.change.commits:
        mine = [e for e in ctx.evidence if e.commit in (commit.sha, None)]
        ok, found = judge_message(
            options, parse_message(commit.message), mine, label(commit), commit.sha
        )
        ai_commits += bool(mine)
        disclosed += ok
        findings.extend(found)
    total = len(ctx.change.commits)
    if findings:
        reason = (
            f"{ai_commits - disclosed} of {ai_commits} AI-assisted commit(s) lack a valid"
            f" `{options.trailer}:` trailer"
        )
        return Outcome("failed", reason, tuple(findings))
    if not ai_commits:
        return Outcome("passed", f"no AI assistance found in {total} commit(s)")
    return Outcome(
        "passed", f"{ai_commits} AI-assisted commit(s) of {total} carry `{options.trailer}:`"
    )


def _declared(options: Options, pr: PullRequest, labels: set[str]) -> bool:
    body = visible(pr.body)
    lines = body.replace("\r\n", "\n").split("\n")
    return (
        any(re.match(DECLARATION, line, re.I) or re.match(CHECKBOX, line, re.I) for line in lines)
        or bool(labels & {label.lower() for label in pr.labels})
        or bool(keyed_lines(options, parse_message(body)))
    )


def _check_pull_request(options: Options, pr: PullRequest, ctx: Context) -> Outcome:
    findings: list[Finding] = []
    disclosed = False
    for commit in ctx.change.commits:
        ok, found = judge_message(
            options, parse_message(commit.message), [], label(commit), commit.sha
        )
        disclosed |= ok
        findings.extend(found)
    body = visible(pr.body)
    for _, value in keyed_lines(options, parse_message(body)):
        disclosed |= bool(options.value.search(value)) and not NO_AI.match(value)
    if options.require == "pull-request":  # "AI-assisted: yes" in the description says it
        declared = (
            re.match(DECLARATION, line, re.I) for line in body.replace("\r\n", "\n").split("\n")
        )
        disclosed |= any(m and m.group(1).lower() in ("yes", "true") for m in declared)
    if ctx.evidence and not disclosed:
        findings.append(
            Finding(
                message=f"{pr.name} shows AI assistance but neither a commit nor"
                f" the PR body carries `{options.trailer}:`. Evidence: "
                + "; ".join(f"{e.tool or e.marker}: {e.where}" for e in ctx.evidence),
                fix=fix(options, list(ctx.evidence)).replace("the message", "the PR body"),
            )
        )
    labels = {label.lower() for label in ctx.policy.detect.pr_labels}
    if options.pr_declaration == "required" and not _declared(options, pr, labels):
        findings.append(
            Finding(
                message=f"{pr.name} does not declare whether AI assisted it",
                fix="add `AI-assisted: yes` or `AI-assisted: no` to the PR description"
                + (f", or the label `{sorted(labels)[0]}`" if labels else ""),
            )
        )
    if findings:
        return Outcome(
            "failed",
            f"{pr.name} is not disclosed as the policy asks",
            tuple(findings),
        )
    if ctx.evidence:
        return Outcome("passed", f"{pr.name} is AI-assisted and discloses it")
    return Outcome("passed", f"no AI assistance found in {pr.name}")
