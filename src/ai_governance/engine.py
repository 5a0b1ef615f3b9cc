"""evaluate(policy, change) -> Report: modes, rollout, scope, exceptions; one result a rule."""

from __future__ import annotations

from ai_governance import identities
from ai_governance.change import Change, ChangedFile
from ai_governance.detect.markers import detect
from ai_governance.policy.model import Glob, Marker, Policy, PolicyException, Rule
from ai_governance.report import Evidence, Finding, Outcome, Report, RuleResult
from ai_governance.rules import RULES, needs
from ai_governance.rules.context import Context, Scanner

TYPE_CHECKING = False  # typing itself costs a hook start-up 2.4 ms
if TYPE_CHECKING:
    import datetime

STRICTNESS = {"off": 0, "warn": 1, "enforce": 2}


def _actors(change: Change) -> tuple[identities.Who, ...]:
    return (change.pr.author,) if change.pr is not None else change.authors


def in_teams(policy: Policy, teams: tuple[str, ...], change: Change) -> bool | None:
    """Is an author of ``change`` in one of ``teams``? None: only unread GitHub teams know."""
    return identities.in_any(
        policy.teams, policy.people, teams, _actors(change), change.team_members
    )


def mode_of(
    rule: Rule, policy: Policy, change: Change, today: datetime.date | None, first: int = 0
) -> tuple[str, str]:
    """(mode, how it was chosen): the rule's own mode, else the first rollout step that
    matches today, else the policy's. A step whose team membership cannot be read applies
    when it is the stricter choice: an unknown never loosens a rule."""
    if rule.mode is not None:
        return rule.mode, ""
    for index in range(first, len(policy.rollout)):
        step = policy.rollout[index]
        if step.until is not None and _day(today) > step.until:
            continue
        until = f" until {step.until}" if step.until else ""
        if step.teams:
            member = in_teams(policy, step.teams, change)
            if member is False:
                continue
            if member is None:
                other, why = mode_of(rule, policy, change, today, index + 1)
                if STRICTNESS[other] > STRICTNESS[step.mode]:
                    return other, why
                return step.mode, (
                    f"rollout step {index + 1} ({step.mode}{until} for"
                    f" {', '.join(step.teams)}), applied as the stricter choice: the members"
                    " of its GitHub team(s) could not be read here"
                )
        return step.mode, f"rollout step {index + 1} ({step.mode}{until})" + _next(
            rule, policy, change, step.until, step.mode
        )
    return policy.mode, ""


def _next(
    rule: Rule, policy: Policy, change: Change, until: datetime.date | None, mode: str
) -> str:
    """When a step that is not enforcing ends, what comes next: "enforced from DAY"."""
    if until is None or mode == "enforce":
        return ""
    import datetime  # only for a policy with dates

    after = until + datetime.timedelta(days=1)
    later = mode_of(rule, policy, change, after)[0]
    return f"; {later} from {after}" if later != mode else ""


def paths_of(file: ChangedFile) -> tuple[str, ...]:
    """A renamed or copied file is at two paths: its old one matters as much as its new."""
    if file.old_path is None or file.old_path == file.path:
        return (file.path,)
    return (file.path, file.old_path)


def touches(globs: tuple[Glob, ...], file: ChangedFile) -> bool:
    """Any of the file's paths matches: what a rule *covers* (moving a file out of a
    guarded folder is still a change to that folder)."""
    return any(g.match(path) for g in globs for path in paths_of(file))


def inside(globs: tuple[Glob, ...], file: ChangedFile) -> bool:
    """Every one of the file's paths matches: what a rule *leaves out* (moving a file into
    an excluded folder does not take it out of the rule)."""
    return all(any(g.match(path) for g in globs) for path in paths_of(file))


def _not_applicable(rule: Rule, ctx: Context, files: tuple[ChangedFile, ...]) -> str | None:
    when, scope = rule.when, rule.scope
    if when.ai_assisted is not None and when.ai_assisted != ctx.ai_assisted:
        return "applies only to changes " + (
            "with AI assistance; none was found" if when.ai_assisted else "without AI assistance"
        )
    if when.paths and not any(touches(when.paths, f) for f in ctx.change.files):
        return "no changed file matches " + ", ".join(g.text for g in when.paths)
    if scope.teams and not in_teams(ctx.policy, scope.teams, ctx.change):
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
        if (not scope.paths or touches(scope.paths, f)) and not inside(scope.exclude_paths, f)
    )


def _suppress(
    rule: Rule, outcome: Outcome, active: tuple[PolicyException, ...], change: Change
) -> tuple[tuple[Finding, ...], int]:
    kept, dropped = [], 0
    files = {f.path: f for f in change.files}
    for finding in outcome.findings:
        path = finding.path
        file = files.get(path or "", ChangedFile(path or "", "unchanged"))
        covering = [
            e
            for e in active
            if rule.id in e.rules and (not e.paths or (path and inside(e.paths, file)))
        ]
        if covering:
            dropped += 1
        else:
            kept.append(finding)
    return tuple(sorted(kept, key=Finding.sort_key)), dropped


def _result(
    rule: Rule, ctx: Context, chosen: tuple[str, str], active: tuple[PolicyException, ...]
) -> RuleResult:
    kind = RULES[rule.kind]
    mode, how = chosen
    reason = "mode is off" if mode == "off" else kind.skip(rule, ctx.change.stage)
    files = _scoped_files(rule, ctx.change)
    unread = not reason and rule.scope.teams and ctx.change.pr is not None
    if unread and in_teams(ctx.policy, rule.scope.teams, ctx.change) is None:
        return RuleResult(
            rule.id,
            rule.kind,
            mode,
            "error",
            f"could not read the members of team(s) {', '.join(rule.scope.teams)} to"
            " decide whether the rule applies: the token needs the `members: read`"
            " organization permission (read:org)",
        )
    reason = reason or _not_applicable(rule, ctx, files)
    if reason:
        return RuleResult(
            rule.id, rule.kind, mode, "skipped", reason + (f"; {how}" if how else "")
        )
    try:
        outcome = kind.check(rule, ctx._replace(files=files))
    except Exception as exc:  # a rule's crash is its own error result, never a pass
        return RuleResult(rule.id, rule.kind, mode, "error", f"the rule crashed: {exc!r}")
    findings, dropped = _suppress(rule, outcome, active, ctx.change)
    status, reason = outcome.status, outcome.reason
    if dropped:
        reason += f"; {dropped} finding(s) suppressed by a policy exception"
        if status in ("failed", "error") and not any(f.blocking for f in findings):
            status = "passed"
    if status == "failed" and mode == "warn":
        status = "warned"
    reason += f"; {how}" if how and status != "passed" else ""
    return RuleResult(rule.id, rule.kind, mode, status, reason, findings)


_MARKERS: dict[int, tuple[Policy, tuple[Marker, ...]]] = {}


def markers_of(policy: Policy) -> tuple[Marker, ...]:
    """``policy``'s markers (a disclosure is itself one), the same tuple for every call on
    the same policy: what is worked out once for a set of markers stays worked out."""
    held = _MARKERS.get(id(policy))
    if held is None or held[0] is not policy:
        if len(_MARKERS) > 64:
            _MARKERS.clear()
        held = _MARKERS[id(policy)] = (policy, needs.markers(policy) + policy.detect.markers)
    return held[1]


def evidence_of(policy: Policy, change: Change) -> tuple[Evidence, ...]:
    """The AI evidence in ``change`` by ``policy``'s markers."""
    return detect(markers_of(policy), policy.detect.pr_labels, change)


def _day(today: datetime.date | None) -> datetime.date:
    """``today``, or (None) the day it is now: a policy without dates never asks, and the
    hooks then never import ``datetime``."""
    if today is not None:
        return today
    import datetime

    return datetime.date.today()


def _dated(policy: Policy, today: datetime.date | None) -> datetime.date | None:
    """The day to judge as of: ``today``, or now when the policy has dates to compare."""
    if today is None and (policy.exceptions or any(s.until for s in policy.rollout)):
        return _day(None)
    return today


def evaluate(
    policy: Policy, change: Change, today: datetime.date | None, scanner: Scanner | None = None
) -> Report:
    """Judge ``change`` by ``policy`` as of ``today`` (None: now); pure but for
    ``scanner``'s work."""
    today = _dated(policy, today)
    evidence = evidence_of(policy, change)
    ctx = Context(policy, change, evidence, change.files, today, scanner)
    active = tuple(e for e in policy.exceptions if _day(today) <= e.expires)
    notices = change.notices + tuple(
        f"exception #{e.number} ({', '.join(e.rules)}: {e.reason}; approved by"
        f" {e.approved_by}) expired on {e.expires} and suppresses nothing: renew or remove it"
        for e in policy.exceptions
        if _day(today) > e.expires
    )
    results = tuple(
        _result(rule, ctx, mode_of(rule, policy, change, today), active) for rule in policy.rules
    )
    return Report(
        policy.name, policy.source, change.stage, bool(evidence), evidence, results, notices
    )


def prepare(
    policy: Policy, change: Change, today: datetime.date | None, text: str, comment: str
) -> tuple[str, tuple[str, ...]]:
    """The prepare-commit-msg stage: the message file ``text`` with what each rule that
    applies to ``change`` can fix (its kind's ``prepare``), and what was done. The
    commit-msg stage then judges the result as always: this only saves a refusal."""
    today = _dated(policy, today)
    ctx = Context(policy, change, evidence_of(policy, change), change.files, today)
    notes: list[str] = []
    for rule in policy.rules:
        files = _scoped_files(rule, change)
        if mode_of(rule, policy, change, today)[0] == "off" or _not_applicable(rule, ctx, files):
            continue
        text, said = RULES[rule.kind].prepare(rule, ctx._replace(files=files), text, comment)
        notes += [f"{rule.id}: {note}" for note in said]
    return text, tuple(notes)
