"""validate's warnings: valid policies that probably do not say what was meant."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from conftest import ROOT, judge, make_policy

from ai_governance.policy import lint

POLICY = """version: 1
name: lint
teams:
  pilot: [a@b.c]
  nobody: []
rollout:
  - {mode: warn}
  - {until: 2026-01-01, mode: enforce}
rules:
  - id: d
    kind: disclosure
    scope: {teams: [nobody]}
  - id: r
    kind: review
    approvals: 0
  - id: o
    kind: disclosure
    trailer: Generated-by
    mode: 'off'
exceptions:
  - {rules: [d], reason: r, approved_by: a, expires: 2026-02-01}
"""
WARNINGS = [
    "P:8:5: rollout[1]: warning: can never apply: step 1 always applies first",
    "P:21:54: exceptions[0].expires: warning: expired on 2026-02-01: it suppresses nothing;"
    " renew or remove it",
    "P:12:20: rules[0].scope.teams: warning: team 'nobody' has no members",
    "P:15:16: rules[1].approvals: warning: approvals: 0 requires no approval: only blockers"
    " fail it",
    "P:19:11: rules[2].mode: warning: the rule is off: it never runs",
]


def test_warnings_are_printed_and_fail_only_when_strict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "p.yml"
    path.write_text(POLICY)
    code, lines = judge(tmp_path, "validate", str(path), "--today", "2026-11-30")
    expected = [line.replace("P:", f"{path}:", 1) for line in WARNINGS]
    assert (code, lines) == (0, [*expected, f"{path}: valid policy `lint` (3 rules)"])
    code, lines = judge(tmp_path, "validate", "--strict", str(path), "--today", "2026-11-30")
    assert (code, lines) == (2, [])
    assert capsys.readouterr().err.splitlines() == [
        *expected,
        "ai-governance: 5 policy problem(s); nothing was judged",
    ]


def test_a_past_step_is_reported_and_the_shipped_policies_are_clean() -> None:
    policy = make_policy(
        "version: 1\nname: p\nrollout:\n  - {until: 2026-01-01, mode: warn}\n"
        "  - {mode: enforce}\nrules:\n  - {id: d, kind: disclosure}\n"
    )
    assert lint.warnings(policy, lambda path: "P", datetime.date(2026, 6, 1)) == [
        "P: rollout[0].until: warning: ended on 2026-01-01"
    ]
    for shipped in sorted((ROOT / "policies").glob("*.yml")):
        code, _ = judge(ROOT, "validate", "--strict", str(shipped), "--today", "2026-12-01")
        assert code == 0, shipped
