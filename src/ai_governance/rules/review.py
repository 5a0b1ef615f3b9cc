"""review: enough approvals of the right people, nobody blocking.

Each reviewer's latest APPROVED / CHANGES_REQUESTED / DISMISSED review counts (a comment
does not undo an approval); CHANGES_REQUESTED blocks; the PR author never counts;
``independent`` also excludes every commit author and co-author; ``dismiss_stale`` counts
only approvals of the head commit; ``from_teams`` counts only members of those teams.
Outside a pull request the rule is skipped with that reason, never passed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, NamedTuple

from ai_governance.change import Change, PullRequest
from ai_governance.detect.trailers import parse as parse_message
from ai_governance.policy.model import Policy, Rule
from ai_governance.report import Finding, Outcome
from ai_governance.rules.context import Context, Regex

_NOREPLY = re.compile(r"^(?:\d+\+)?([A-Za-z0-9-]+(?:\[bot\])?)@users\.noreply\.github\.com$", re.I)
_EMAIL = re.compile(r"<([^>]+)>")


class Options(NamedTuple):
    approvals: int
    independent: bool
    dismiss_stale: bool
    from_teams: tuple[str, ...]


def parse(raw: Mapping[str, Any], regex: Regex) -> Options:
    return Options(
        approvals=raw.get("approvals", 1),
        independent=raw.get("independent", True),
        dismiss_stale=raw.get("dismiss_stale", False),
        from_teams=tuple(raw.get("from_teams", ())),
    )


def skip(rule: Rule, stage: str) -> str | None:
    if stage != "pull-request":
        return f"reviews exist only on a pull request; the {stage} stage has none (CI judges it)"
    return None


def login_of(email: str) -> str | None:
    match = _NOREPLY.match(email.strip())
    return match.group(1).lower() if match else None


def contributors(change: Change) -> set[str]:
    """Logins and emails (lower case) of every commit author, committer and co-author."""
    people: set[str] = set()
    for commit in change.commits:
        for who in (commit.author, commit.committer):
            if who is not None:
                people |= {who.email.lower(), *([who.login.lower()] if who.login else [])}
        for trailer in parse_message(commit.message).trailers:
            if trailer.key.lower() == "co-authored-by":
                people |= {m.lower() for m in _EMAIL.findall(trailer.value)}
    return people | {login for email in list(people) if (login := login_of(email))}


def member(policy: Policy, team: str, login: str, change: Change) -> bool | None:
    """Is ``login`` in ``team``? None when a GitHub team's members could not be read."""
    unknown = False
    for entry in policy.teams.get(team, ()):
        if entry.startswith("@"):
            members = (change.team_members or {}).get(entry.lower())
            if members is None:
                unknown = True
            elif login.lower() in members:
                return True
        elif entry.lower() == login.lower():
            return True
    return None if unknown else False


def latest_states(pr: PullRequest) -> dict[str, tuple[str, str | None]]:
    latest: dict[str, tuple[str, str | None]] = {}
    for review in pr.reviews:
        state = review.state.upper()
        if state in ("APPROVED", "CHANGES_REQUESTED", "DISMISSED"):
            latest[review.reviewer.lower()] = (state, review.commit)
    return latest


def check(rule: Rule, ctx: Context) -> Outcome:
    options: Options = rule.options
    pr = ctx.change.pr
    if pr is None:
        return Outcome("skipped", "no pull request in this change")
    excluded = {pr.author.lower()} | (contributors(ctx.change) if options.independent else set())
    findings: list[Finding] = []
    counted: list[str] = []
    for reviewer, (state, commit) in sorted(latest_states(pr).items()):
        if state == "CHANGES_REQUESTED":
            findings.append(
                Finding(
                    message=f"{reviewer} requested changes",
                    fix=f"address {reviewer}'s review and ask for a new one",
                )
            )
            continue
        if state != "APPROVED" or reviewer in excluded:
            continue
        if options.dismiss_stale and commit != pr.head_sha:
            continue
        if options.from_teams:
            verdicts = [member(ctx.policy, t, reviewer, ctx.change) for t in options.from_teams]
            if True not in verdicts and None in verdicts:
                teams = ", ".join(options.from_teams)
                return Outcome(
                    "error",
                    f"could not read the members of team(s) {teams}: the token"
                    " needs the `members: read` organization permission (read:org)",
                )
            if True not in verdicts:
                continue
        counted.append(reviewer)
    need = options.approvals
    who = f" from {', '.join(options.from_teams)}" if options.from_teams else ""
    if len(counted) < need:
        kind = "independent " if options.independent else ""
        head = " of the head commit" if options.dismiss_stale else ""
        listed = f" (counted: {', '.join(counted)})" if counted else ""
        findings.append(
            Finding(
                message=f"{len(counted)} of {need} required {kind}approval(s){head}{who}{listed}",
                fix=f"request review{who}; the PR author"
                + (" and commit authors/co-authors" if options.independent else "")
                + " do not count",
            )
        )
    if findings:
        return Outcome("failed", f"{len(counted)} of {need} approval(s){who}", tuple(findings))
    return Outcome(
        "passed",
        f"approved by {', '.join(counted) or 'nobody needed'} ({len(counted)} of {need}{who})",
    )
