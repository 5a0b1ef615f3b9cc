"""review: enough approvals of the right people, nobody blocking.

Each reviewer's latest APPROVED / CHANGES_REQUESTED / DISMISSED review counts (a comment
does not undo an approval); CHANGES_REQUESTED blocks; the PR author never counts;
``independent`` also excludes every commit author and co-author; ``dismiss_stale`` counts
only approvals of the head commit; ``from_teams`` counts only members of those teams.
Outside a pull request the rule is skipped with that reason, never passed.
"""

from __future__ import annotations

from collections.abc import Mapping

from ai_governance import identities
from ai_governance.change import Change, Identity, PullRequest
from ai_governance.detect.trailers import Message
from ai_governance.detect.trailers import parse as parse_message
from ai_governance.policy.model import Policy, Rule
from ai_governance.records import NamedTuple
from ai_governance.report import Finding, Outcome
from ai_governance.rules.context import (
    Context,
    Needs,
    Problems,
    Regex,
    no_prepare,
    no_problems,
    options_of,
    validated_regex,
)

TYPE_CHECKING = False  # typing itself costs a hook start-up 2.4 ms
if TYPE_CHECKING:
    from typing import Any

SCANS_CODE = False  # rules.context.RuleKind


class Options(NamedTuple):
    approvals: int
    independent: bool
    dismiss_stale: bool
    from_teams: tuple[str, ...]
    bot_approvers: tuple[str, ...]


def parse(raw: Mapping[str, Any], regex: Regex) -> Options:
    return Options(
        approvals=raw.get("approvals", 1),
        independent=raw.get("independent", True),
        dismiss_stale=raw.get("dismiss_stale", False),
        from_teams=tuple(raw.get("from_teams", ())),
        bot_approvers=tuple(b.lower() for b in raw.get("bot_approvers", ())),
    )


def _options(rule: Rule) -> Options:
    return options_of(rule, Options)


problems = no_problems
prepare = no_prepare


def weakened(base: Mapping[str, Any], merged: Mapping[str, Any]) -> Problems:
    old, new = parse(base, validated_regex), parse(merged, validated_regex)
    found: Problems = []
    if new.approvals < old.approvals:
        found.append((("approvals",), f"lowers approvals from {old.approvals} to {new.approvals}"))
    for key in ("independent", "dismiss_stale"):
        if getattr(old, key) and not getattr(new, key):
            found.append(((key,), f"turns {key} off"))
    if new.from_teams != old.from_teams:
        found.append((("from_teams",), "changes the teams whose approvals count"))
    if not set(new.bot_approvers) <= set(old.bot_approvers):
        found.append((("bot_approvers",), "lets more bots approve"))
    return found


def advice(rule: Rule) -> Problems:
    if _options(rule).approvals == 0:
        return [(("approvals",), "approvals: 0 requires no approval: only blockers fail it")]
    return []


def needs(rule: Rule) -> Needs:
    return Needs(teams=_options(rule).from_teams)


def in_history(rule: Rule) -> bool:
    return False  # reviews exist only on pull requests


def discloses(rule: Rule, message: Message) -> bool | None:
    return None


def trailer_keys(rule: Rule) -> frozenset[str]:
    return frozenset()


def skip(rule: Rule, stage: str) -> str | None:
    if stage != "pull-request":
        return f"reviews exist only on a pull request; the {stage} stage has none (CI judges it)"
    return None


_SERVICE = "noreply@github.com"  # GitHub commits web edits and merges as this committer


def contributors(change: Change, policy: Policy) -> tuple[frozenset[str], tuple[str, ...]]:
    """(every name of every commit author, committer and co-author; the people among them
    whose forge login is unknown, so that an approval under that login cannot be told
    apart). Nothing a commit author writes (a name ending in ``[bot]`` or `` (aider)``)
    takes them out: only an address that is a tool's own (an AI marker matched by the
    address alone) or GitHub's committer is not a person who could approve."""
    people: set[str] = set()
    unresolved: list[str] = []
    ai = [m.identity for m in policy.detect.markers if m.identity is not None]
    seen: list[tuple[Identity, bool]] = []  # (who, only a committer)
    for commit in change.commits:
        seen += [(who, False) for who in (commit.author,) if who is not None]
        seen += [(who, True) for who in (commit.committer,) if who is not None]
        for trailer in parse_message(commit.message).trailers:
            if trailer.key.lower() == "co-authored-by":
                name, _, email = trailer.value.rpartition("<")
                seen.append((Identity(name.strip(), email.rstrip(">").strip()), False))
    for who, committer in dict.fromkeys(seen):
        names = identities.names(who, policy.people)
        people |= names
        if not who.email or any("@" not in n for n in names):  # a login is among its names
            continue
        address = f"<{who.email}>"
        if any(pattern.search(address) for pattern in ai) or (
            committer and who.email.lower() == _SERVICE
        ):
            continue
        unresolved.append(str(who))
    return frozenset(people), tuple(sorted(set(unresolved)))


def latest_states(pr: PullRequest) -> dict[str, tuple[str, str | None, bool]]:
    """{reviewer: (state, commit, is a bot)} of each reviewer's latest deciding review."""
    latest: dict[str, tuple[str, str | None, bool]] = {}
    for review in pr.reviews:
        state = review.state.upper()
        if state in ("APPROVED", "CHANGES_REQUESTED", "DISMISSED"):
            bot = review.bot or identities.is_bot(review.reviewer)
            latest[review.reviewer.lower()] = (state, review.commit, bot)
    return latest


def _in_teams(ctx: Context, teams: tuple[str, ...], reviewer: str) -> bool | None:
    policy = ctx.policy
    return identities.in_any(
        policy.teams, policy.people, teams, (reviewer,), ctx.change.team_members
    )


def check(rule: Rule, ctx: Context) -> Outcome:
    options = _options(rule)
    pr = ctx.change.pr
    if pr is None:
        return Outcome("skipped", "no pull request in this change")
    people, unresolved = contributors(ctx.change, ctx.policy)
    excluded = identities.names(pr.author, ctx.policy.people)
    excluded |= people if options.independent else frozenset()
    findings: list[Finding] = []
    counted: list[str] = []
    skipped_bots: list[str] = []
    for reviewer, (state, commit, bot) in sorted(latest_states(pr).items()):
        if state == "CHANGES_REQUESTED":
            findings.append(
                Finding(
                    message=f"{reviewer} requested changes",
                    fix=f"address {reviewer}'s review and ask for a new one",
                )
            )
            continue
        if state != "APPROVED" or identities.names(reviewer, ctx.policy.people) & excluded:
            continue
        if bot and reviewer not in options.bot_approvers:
            skipped_bots.append(reviewer)
            continue
        if options.dismiss_stale and commit != pr.head_sha:
            continue
        if options.from_teams:
            member = _in_teams(ctx, options.from_teams, reviewer)
            if member is None:
                teams = ", ".join(options.from_teams)
                return Outcome(
                    "error",
                    f"could not read the members of team(s) {teams}: the token"
                    " needs the `members: read` organization permission (read:org)",
                )
            if not member:
                continue
        counted.append(reviewer)
    need = options.approvals
    who = f" from {', '.join(options.from_teams)}" if options.from_teams else ""
    bots = f"; bots do not count: {', '.join(skipped_bots)}" if skipped_bots else ""
    if len(counted) < need:
        kind = "independent " if options.independent else ""
        head = " of the head commit" if options.dismiss_stale else ""
        listed = f" (counted: {', '.join(counted)})" if counted else ""
        findings.append(
            Finding(
                message=f"{len(counted)} of {need} required {kind}approval(s){head}{who}"
                f"{listed}{bots}",
                fix=f"{need - len(counted)} more {kind}approval(s){who} needed: request"
                f" review{who}; the PR author"
                + (" and commit authors/co-authors" if options.independent else "")
                + " do not count"
                + (", nor do bots unless `bot_approvers` names them" if skipped_bots else ""),
            )
        )
    elif options.independent and counted and unresolved:
        findings.append(
            Finding(
                message=f"independence cannot be verified: no {pr.forge} login is known for"
                f" {', '.join(unresolved)}, who wrote commits of this {pr.kind}, so an"
                f" approval by {', '.join(counted)} may be their own",
                fix="list their login and emails under `people:` in the policy, or have them"
                f" commit with their {pr.forge} noreply address",
            )
        )
    if findings:
        return Outcome("failed", f"{len(counted)} of {need} approval(s){who}", tuple(findings))
    return Outcome(
        "passed",
        f"approved by {', '.join(counted) or 'nobody needed'} ({len(counted)} of {need}{who})"
        + bots,
    )
