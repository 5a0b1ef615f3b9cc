"""disclosure: a change with AI evidence carries the canonical trailer, e.g. ``Assisted-by``.

Commit by commit in local stages and ranges. On a pull request the PR is judged as a whole
(squash merges fold the trailers of every commit into one message): one valid trailer in a
commit or a ``Key: value`` line in the PR body discloses it, and when the policy asks for a
declaration every PR must say yes or no.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, NamedTuple

from ai_governance.change import Commit, PullRequest
from ai_governance.detect.markers import tool_named_by
from ai_governance.detect.trailers import Message, separator, visible
from ai_governance.detect.trailers import parse as parse_message
from ai_governance.policy.model import Marker, Rule
from ai_governance.report import Evidence, Finding, Outcome
from ai_governance.rules.context import (
    Context,
    Needs,
    Problems,
    Regex,
    no_advice,
    no_problems,
    options_of,
)

DEFAULT_TRAILER = "Assisted-by"
DEFAULT_VALUE = r"^\S.*$"
DECLARATION = re.compile(
    r"^\s*(?:[-*]\s*)?ai[- ]assist(?:ed|ance)\s*:\s*(yes|no|true|false)\s*$", re.I
)
CHECKBOX = re.compile(r"^\s*[-*]\s*\[[xX]\]\s*.*\bAI\b", re.I)


class Options(NamedTuple):
    trailer: str
    value: re.Pattern[str]
    pr_declaration: str


def parse(raw: Mapping[str, Any], regex: Regex) -> Options:
    return Options(
        trailer=raw.get("trailer", DEFAULT_TRAILER),
        value=regex("value", raw.get("value", DEFAULT_VALUE)),
        pr_declaration=raw.get("pr_declaration", "off"),
    )


def _options(rule: Rule) -> Options:
    return options_of(rule, Options)


problems = no_problems


advice = no_advice
_DECLARATION = ("off", "optional", "required")


def weakened(base: Mapping[str, Any], merged: Mapping[str, Any]) -> Problems:
    found: Problems = []
    for key, default in (("trailer", DEFAULT_TRAILER), ("value", DEFAULT_VALUE)):
        if base.get(key, default) != merged.get(key, default):
            found.append(((key,), "changes the canonical disclosure"))
    old, new = base.get("pr_declaration", "off"), merged.get("pr_declaration", "off")
    if _DECLARATION.index(new) < _DECLARATION.index(old):
        found.append((("pr_declaration",), f"lowers pr_declaration from {old} to {new}"))
    return found


def needs(rule: Rule) -> Needs:
    """The canonical disclosure is itself evidence of AI assistance."""
    key = _options(rule).trailer.lower()
    return Needs(markers=(Marker(id=f"disclosure-{key}", tool="", trailer=key, needles=(key,)),))


def in_history(rule: Rule) -> bool:
    return True


def discloses(rule: Rule, message: Message) -> bool | None:
    """A valid canonical trailer in git's trailer block."""
    return judge_message(_options(rule), message, [], "", None)[0]


def skip(rule: Rule, stage: str) -> str | None:
    if stage == "pre-commit":
        return "no commit message exists before the commit: disclosure is judged at commit-msg"
    return None


def fix(options: Options, evidence: list[Evidence]) -> str:
    """The exact line(s) to add, named after the tools the evidence shows."""
    tools = sorted({e.tool for e in evidence if e.tool}) or ["<name of the AI assistant>"]
    lines = []
    for tool in tools:
        line = f"{options.trailer}: {tool}"
        if not options.value.search(tool):
            line += f" (the value must match /{options.value.pattern}/)"
        lines.append(line)
    return "add this line as the last paragraph of the message: " + " / ".join(lines)


def _keyed_lines(options: Options, message: Message) -> list[tuple[int, str]]:
    """(line, value) of every ``Key: value`` line with the canonical key, block or not; a
    value folded onto indented lines below is unfolded, as git reads a trailer."""
    found = []
    lines = message.lines
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        at = separator(line)
        if at >= 1 and line[:at].strip().lower() == options.trailer.lower():
            value = [line[at + 1 :].strip()]
            for more in lines[number:]:
                if not more[:1].isspace() or not more.strip():
                    break
                value.append(more.strip())
            found.append((number, " ".join(filter(None, value))))
    return found


_COLON = re.compile("[:\uff1a\ufe55]")  # the colon and its full-width and small forms


def _lookalike(options: Options, message: Message) -> str:
    """A note on the first line whose key is the trailer key typed with look-alike
    characters (zero-width ones, Unicode dashes, full-width letters): git does not take it
    as that trailer, and neither does this rule."""
    import unicodedata  # only on this failing path

    for number, raw in enumerate(message.lines, start=1):
        key = _COLON.split(raw, 1)[0]
        if raw.isascii() or key == raw:
            continue
        folded = "".join(
            "-" if unicodedata.category(c) == "Pd" or c == "\u2212" else c
            for c in unicodedata.normalize("NFKC", key)
            if unicodedata.category(c) != "Cf"
        )
        if folded.strip(" \t").lower() == options.trailer.lower():
            odd = sorted(
                {
                    f"U+{ord(c):04X} {unicodedata.name(c, '')}".strip()
                    for c in raw[: len(key) + 1]
                    if not c.isascii()
                }
            )
            return (
                f" (line {number} looks like `{options.trailer}:` but is typed with"
                f" {', '.join(odd)})"
            )
    return ""


def judge_message(
    options: Options, message: Message, evidence: list[Evidence], label: str, commit: str | None
) -> tuple[bool, list[Finding]]:
    """(disclosed, findings) for one message and the evidence that concerns it."""
    own = [t for t in message.trailers if t.key.lower() == options.trailer.lower()]
    findings = [
        Finding(
            commit=commit,
            line=t.line,
            message=f"{label}: `{t.key}: {t.value}` does not match /{options.value.pattern}/",
            fix=f"write it as the policy asks, e.g. `{options.trailer}: "
            f"{tool_named_by(t.value) or '<name of the AI assistant>'}`",
        )
        for t in own
        if not options.value.search(t.value)
    ]
    if own or not evidence:
        return len(findings) < len(own), findings
    outside = [number for number, _ in _keyed_lines(options, message)]
    note = (
        f" (`{options.trailer}:` on line {outside[0]} is outside git's trailer block)"
        if outside
        else _lookalike(options, message)
    )
    seen = "; ".join(f"{e.tool or e.marker}: {e.where}" for e in evidence)
    findings.append(
        Finding(
            commit=commit,
            message=f"{label} shows AI assistance but has no `{options.trailer}:` trailer{note}."
            f" Evidence: {seen}",
            fix=fix(options, evidence),
        )
    )
    return False, findings


def _label(commit: Commit) -> str:
    return f"commit {commit.sha[:12]}" if commit.sha else "the commit message"


def check(rule: Rule, ctx: Context) -> Outcome:
    options = _options(rule)
    if ctx.change.pr is not None:
        return _check_pull_request(options, ctx.change.pr, ctx)
    ai_commits = disclosed = 0
    findings: list[Finding] = []
    for commit in ctx.change.commits:
        mine = [e for e in ctx.evidence if e.commit in (commit.sha, None)]
        ok, found = judge_message(
            options, parse_message(commit.message), mine, _label(commit), commit.sha
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
        any(DECLARATION.match(line) or CHECKBOX.match(line) for line in lines)
        or bool(labels & {label.lower() for label in pr.labels})
        or bool(_keyed_lines(options, parse_message(body)))
    )


def _check_pull_request(options: Options, pr: PullRequest, ctx: Context) -> Outcome:
    findings: list[Finding] = []
    disclosed = False
    for commit in ctx.change.commits:
        ok, found = judge_message(
            options, parse_message(commit.message), [], _label(commit), commit.sha
        )
        disclosed |= ok
        findings.extend(found)
    for _, value in _keyed_lines(options, parse_message(visible(pr.body))):
        disclosed |= bool(options.value.search(value))
    if ctx.evidence and not disclosed:
        findings.append(
            Finding(
                message=f"pull request #{pr.number} shows AI assistance but neither a commit nor"
                f" the PR body carries `{options.trailer}:`. Evidence: "
                + "; ".join(f"{e.tool or e.marker}: {e.where}" for e in ctx.evidence),
                fix=fix(options, list(ctx.evidence)).replace("the message", "the PR body"),
            )
        )
    labels = {label.lower() for label in ctx.policy.detect.pr_labels}
    if options.pr_declaration == "required" and not _declared(options, pr, labels):
        findings.append(
            Finding(
                message=f"pull request #{pr.number} does not declare whether AI assisted it",
                fix="add `AI-assisted: yes` or `AI-assisted: no` to the PR description"
                + (f", or the label `{sorted(labels)[0]}`" if labels else ""),
            )
        )
    if findings:
        return Outcome(
            "failed",
            f"pull request #{pr.number} is not disclosed as the policy asks",
            tuple(findings),
        )
    if ctx.evidence:
        return Outcome("passed", f"pull request #{pr.number} is AI-assisted and discloses it")
    return Outcome("passed", f"no AI assistance found in pull request #{pr.number}")
