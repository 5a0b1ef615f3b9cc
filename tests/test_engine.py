"""The engine: modes, rollout by date and team, when/scope, exceptions, crashes."""

from __future__ import annotations

import datetime

from conftest import make_policy

from ai_governance.change import Change, ChangedFile, Commit, Identity
from ai_governance.engine import evaluate, mode_of
from ai_governance.report import Finding, RuleResult

AI = "Fix bug\n\nCo-Authored-By: Claude <noreply@anthropic.com>"
HUMAN = "Fix bug\n\nSigned-off-by: Ann <ann@example.com>"
ANN = Identity("Ann", "ann@example.com")
BOB = Identity("Bob", "bob@example.com")
DAY = datetime.date(2027, 1, 10)


def change(message: str = AI, author: Identity = ANN, files: tuple[str, ...] = ()) -> Change:
    commit = Commit("f" * 40, message, author, author)
    return Change("range", (commit,), tuple(ChangedFile(f, "modified") for f in files))


def results(policy_text: str, the_change: Change, day: datetime.date = DAY) -> list[RuleResult]:
    return list(evaluate(make_policy(policy_text), the_change, day).results)


DISCLOSE = "version: 1\nname: t\n{extra}rules:\n  - id: d\n    kind: disclosure\n{rule}"


def test_modes_enforce_warn_off() -> None:
    for mode, status, code in (
        ("enforce", "failed", 1),
        ("warn", "warned", 0),
        ("off", "skipped", 0),
    ):
        policy = make_policy(DISCLOSE.format(extra=f"mode: '{mode}'\n", rule=""))
        report = evaluate(policy, change(), DAY)
        assert (report.results[0].mode, report.results[0].status) == (mode, status)
        assert report.exit_code == code
    off = evaluate(make_policy(DISCLOSE.format(extra="mode: 'off'\n", rule="")), change(), DAY)
    assert off.results[0].reason == "mode is off"


def test_rollout_steps_by_date_and_team() -> None:
    policy = make_policy(
        DISCLOSE.format(
            extra="teams:\n  pilot: [ann@example.com]\nrollout:\n"
            "  - {until: 2027-01-15, teams: [pilot], mode: enforce}\n"
            "  - {until: 2027-01-15, mode: warn}\n  - {mode: enforce}\n",
            rule="",
        )
    )
    rule = policy.rules[0]
    assert mode_of(rule, policy, change(author=ANN), DAY) == (
        "enforce",
        "rollout step 1 (enforce until 2027-01-15)",
    )
    assert mode_of(rule, policy, change(author=BOB), DAY)[0] == "warn"
    assert mode_of(rule, policy, change(author=BOB), datetime.date(2027, 1, 15))[0] == "warn"
    assert mode_of(rule, policy, change(author=BOB), datetime.date(2027, 1, 16)) == (
        "enforce",
        "rollout step 3 (enforce)",
    )


def test_rule_mode_overrides_rollout() -> None:
    policy = make_policy(
        DISCLOSE.format(extra="rollout:\n  - {mode: warn}\n", rule="    mode: enforce\n")
    )
    assert evaluate(policy, change(), DAY).results[0].status == "failed"


def test_when_ai_assisted_skips_human_changes_with_reason() -> None:
    text = DISCLOSE.format(extra="", rule="    when: {ai_assisted: true}\n")
    (result,) = results(text, change(HUMAN))
    assert (result.status, result.reason) == (
        "skipped",
        "applies only to changes with AI assistance; none was found",
    )


def test_when_paths_and_scope() -> None:
    text = DISCLOSE.format(
        extra="teams:\n  pilot: [bob@example.com]\n", rule="    when: {paths: ['src/auth/**']}\n"
    )
    (result,) = results(text, change(files=("src/app.py",)))
    assert (result.status, result.reason) == ("skipped", "no changed file matches src/auth/**")
    (result,) = results(text, change(files=("src/auth/login.py",)))
    assert result.status == "failed"
    scoped = DISCLOSE.format(
        extra="teams:\n  pilot: [bob@example.com]\n", rule="    scope: {teams: [pilot]}\n"
    )
    (result,) = results(scoped, change(author=ANN))
    assert (result.status, result.reason) == (
        "skipped",
        "the change's author (Ann <ann@example.com>) is not in team(s) pilot",
    )
    excluded = DISCLOSE.format(extra="", rule="    scope: {exclude_paths: ['tests/**']}\n")
    (result,) = results(excluded, change(files=("tests/test_x.py",)))
    assert (result.status, result.reason) == (
        "skipped",
        "no changed file is inside the rule's scope",
    )


EXCEPTION = (
    "version: 1\nname: t\nrules:\n  - id: d\n    kind: disclosure\n"
    "exceptions:\n  - rules: [d]\n    reason: bot account\n    approved_by: sec@example.com\n"
    "    expires: 2027-03-31\n"
)


def test_active_exception_suppresses_and_says_so() -> None:
    report = evaluate(make_policy(EXCEPTION), change(), DAY)
    assert report.results[0].status == "passed"
    assert report.results[0].reason.endswith("; 1 finding(s) suppressed by a policy exception")
    assert report.notices == ()


def test_expired_exception_suppresses_nothing_and_is_reported() -> None:
    report = evaluate(make_policy(EXCEPTION), change(), datetime.date(2027, 4, 1))
    assert report.results[0].status == "failed"
    assert report.notices == (
        "exception #1 (d: bot account; approved by sec@example.com) expired on 2027-03-31 and"
        " suppresses nothing: renew or remove it",
    )


def test_a_crashing_rule_is_an_error_never_a_pass(monkeypatch: object) -> None:
    import pytest

    from ai_governance.rules import RULES, disclosure

    def boom(rule: object, ctx: object) -> None:
        raise RuntimeError("disk on fire")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(disclosure, "check", boom)
        assert RULES["disclosure"] is disclosure
        report = evaluate(make_policy(DISCLOSE.format(extra="", rule="")), change(), DAY)
    assert (report.results[0].status, report.results[0].reason) == (
        "error",
        "the rule crashed: RuntimeError('disk on fire')",
    )
    assert (report.status, report.exit_code) == ("error", 1)


def test_findings_are_sorted() -> None:
    found = [
        Finding("b.py", 3, None, "x"),
        Finding("a.py", 9, None, "y"),
        Finding(None, None, None, "z"),
    ]
    assert sorted(found, key=Finding.sort_key)[0].message == "z"
    assert [f.path for f in sorted(found, key=Finding.sort_key)] == [None, "a.py", "b.py"]


def test_a_warned_result_says_its_rollout_step_and_when_enforcement_begins() -> None:
    policy = make_policy(
        DISCLOSE.format(
            extra="rollout:\n  - {until: 2027-01-15, mode: warn}\n  - {mode: enforce}\n", rule=""
        )
    )
    result = evaluate(policy, change(), DAY).results[0]
    assert (result.status, result.reason) == (
        "warned",
        "1 of 1 AI-assisted commit(s) lack a valid `Assisted-by:` trailer; rollout step 1"
        " (warn until 2027-01-15); enforce from 2027-01-16",
    )
