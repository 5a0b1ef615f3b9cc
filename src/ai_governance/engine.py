"""evaluate(policy, change) -> Report: modes, rollout, scope, exceptions; one result a rule."""

from __future__ import annotations

import datetime

from ai_governance.change import Change, ChangedFile, Identity
from ai_governance.detect.markers import detect
from ai_governance.policy.model import Marker, Policy, PolicyException, Rule
from ai_governance.report import Evidence, Finding, Outcome, Report, RuleResult
from ai_governance.rules import RULES
from ai_governance.rules.context import Context
from ai_governance.rules.review import login_of


def in_team(policy: Policy, team: str, who: Identity | str) -> bool:
    """Local identities match a team by email, or by login through a GitHub noreply address."""
    names = {who.lower()} if isinstance(who, str) else {who.email.lower()}
    if isinstance(who, Identity):
        names |= {n for n in (who.login, login_of(who.email)) if n}
    return any(entry.lower() in {n.lower() for n in names} for entry in policy.teams.get(team, ()))


def _actors(change: Change) -> tuple[Identity | str, ...]:
    return (change.pr.author,) if change.pr is not None else change.authors


def _in_any(policy: Policy, teams: tuple[str, ...], change: Change) -> bool:
    return any(in_team(policy, t, who) for t in teams for who in _actors(change))


def mode_of(rule: Rule, policy: Policy, change: Change, today: datetime.date) -> str:
    """The rule's own mode, else the first rollout step that matches today, else the policy's."""
    if rule.mode is not None:
        return rule.mode
    for step in policy.rollout:
        if step.until is not None and today > step.until:
            continue
        if step.teams and not _in_any(policy, step.teams, change):
            continue
        return step.mode
    return policy.mode


def _not_applicable(rule: Rule, ctx: Context, files: tuple[ChangedFile, ...]) -> str | None:
    when, scope = rule.when, rule.scope
    if when.ai_assisted is not None and when.ai_assisted != ctx.ai_assisted:
        return "applies only to changes " + (
            "with AI assistance; none was found" if when.ai_assisted else "without AI assistance"
        )
    if when.paths and not any(g.match(f.path) for g in when.paths for f in ctx.change.files):
        return "no changed file matches " + ", ".join(g.text for g in when.paths)
    if scope.teams and not _in_any(ctx.policy, scope.teams, ctx.change):
        who = ", ".join(str(a) for a in _actors(ctx.change)) or "nobody"
        return f"the change's author ({who}) is not in team(s) {', '.join(scope.teams)}"
    if (scope.paths or scope.exclude_paths) and not files:
        return "no changed file is inside the rule's scope"
    return None


def _scoped_files(rule: Rule, change: Change) -> tuple[ChangedFile, ...]:
    scope = rule.scope
    return tuple(
        f
        for f in change.files
        if (not scope.paths or any(g.match(f.path) for g in scope.paths))
        and not any(g.match(f.path) for g in scope.exclude_paths)
    )


def _suppress(
    rule: Rule, outcome: Outcome, active: tuple[PolicyException, ...]
) -> tuple[tuple[Finding, ...], int]:
    kept, dropped = [], 0
    for finding in outcome.findings:
        covering = [
            e
            for e in active
            if rule.id in e.rules
            and (not e.paths or (finding.path and any(g.match(finding.path) for g in e.paths)))
        ]
        if covering:
            dropped += 1
        else:
            kept.append(finding)
    return tuple(sorted(kept, key=Finding.sort_key)), dropped


def _result(
    rule: Rule, ctx: Context, mode: str, active: tuple[PolicyException, ...]
) -> RuleResult:
    kind = RULES[rule.kind]
    reason = "mode is off" if mode == "off" else kind.skip(rule, ctx.change.stage)
    files = _scoped_files(rule, ctx.change)
    reason = reason or _not_applicable(rule, ctx, files)
    if reason:
        return RuleResult(rule.id, rule.kind, mode, "skipped", reason)
    try:
        outcome = kind.check(rule, Context(ctx.policy, ctx.change, ctx.evidence, files, ctx.today))
    except Exception as exc:  # a rule's crash is its own error result, never a pass
        return RuleResult(rule.id, rule.kind, mode, "error", f"the rule crashed: {exc!r}")
    findings, dropped = _suppress(rule, outcome, active)
    status, reason = outcome.status, outcome.reason
    if dropped:
        reason += f"; {dropped} finding(s) suppressed by a policy exception"
        if status in ("failed", "error") and not any(f.blocking for f in findings):
            status = "passed"
    if status == "failed" and mode == "warn":
        status = "warned"
    return RuleResult(rule.id, rule.kind, mode, status, reason, findings)


def disclosure_markers(policy: Policy) -> tuple[Marker, ...]:
    """The canonical disclosure of each disclosure rule is itself evidence of AI assistance."""
    keys = {
        getattr(rule.options, "trailer", "") for rule in policy.rules if rule.kind == "disclosure"
    }
    return tuple(
        Marker(
            id=f"disclosure-{key.lower()}", tool="", trailer=key.lower(), needles=(key.lower(),)
        )
        for key in sorted(keys)
    )


def evaluate(policy: Policy, change: Change, today: datetime.date) -> Report:
    """Judge ``change`` by ``policy`` as of ``today``; pure."""
    markers = disclosure_markers(policy) + policy.detect.markers
    evidence: tuple[Evidence, ...] = detect(markers, policy.detect.pr_labels, change)
    ctx = Context(policy, change, evidence, change.files, today)
    active = tuple(e for e in policy.exceptions if today <= e.expires)
    notices = tuple(
        f"exception #{e.number} ({', '.join(e.rules)}: {e.reason}; approved by"
        f" {e.approved_by}) expired on {e.expires} and suppresses nothing: renew or remove it"
        for e in policy.exceptions
        if today > e.expires
    )
    results = tuple(
        _result(rule, ctx, mode_of(rule, policy, change, today), active) for rule in policy.rules
    )
    return Report(
        policy.name, policy.source, change.stage, bool(evidence), evidence, results, notices
    )
