"""Every shipped policy validates and behaves as its comments say; the default is embedded."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from conftest import ROOT, make_policy

from ai_governance.change import Change, Commit, Identity
from ai_governance.cli import main
from ai_governance.engine import evaluate
from ai_governance.policy.load import EMBEDDED, locate
from ai_governance.resources import DATA

POLICIES = sorted((ROOT / "policies").glob("*.yml"))
AI = Commit(
    "a" * 40,
    "Add cache\n\nCo-authored-by: Cursor <cursoragent@cursor.com>",
    Identity("Alice", "alice@example.com"),
    None,
)
HUMAN = Commit("b" * 40, "Fix typo", Identity("Zed", "zed@example.com"), None)


def test_the_three_policies_ship() -> None:
    assert [p.name for p in POLICIES] == ["default.yml", "pilot-rollout.yml", "strict.yml"]


@pytest.mark.parametrize("path", POLICIES, ids=lambda p: p.name)
def test_validates(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(path)]) == 0
    assert capsys.readouterr().out.startswith(f"{path}: valid policy `")


@pytest.mark.parametrize("path", POLICIES, ids=lambda p: p.name)
def test_undisclosed_ai_commit_fails_and_human_commit_passes(path: Path) -> None:
    policy = make_policy(path.read_text(), path.name)
    day = datetime.date(2027, 6, 1)  # after every rollout date in the shipped policies
    ai = evaluate(policy, Change("range", (AI,)), day)
    assert (ai.status, ai.results[0].rule, ai.results[0].status) == (
        "fail",
        "ai-disclosure",
        "failed",
    )
    human = evaluate(policy, Change("range", (HUMAN,)), day)
    assert human.status == "pass"


def test_embedded_default_is_policies_default_byte_for_byte() -> None:
    assert locate(None, None) == (EMBEDDED, (ROOT / "policies" / "default.yml").read_bytes())
    assert (Path(DATA) / "default.yml").read_bytes() == (
        ROOT / "policies" / "default.yml"
    ).read_bytes()


def test_pilot_rollout_warns_outside_the_pilot_until_the_cut_over() -> None:
    policy = make_policy((ROOT / "policies" / "pilot-rollout.yml").read_text())
    before = datetime.date(2027, 1, 10)
    pilot = evaluate(policy, Change("range", (AI,)), before)
    other = AI._replace(author=Identity("Zed", "zed@example.com"))
    outside = evaluate(policy, Change("range", (other,)), before)
    assert (pilot.results[0].status, outside.results[0].status) == ("failed", "warned")
    assert (pilot.exit_code, outside.exit_code) == (1, 0)


def test_pilot_rollout_exception_expires(capsys: pytest.CaptureFixture[str]) -> None:
    policy = make_policy((ROOT / "policies" / "pilot-rollout.yml").read_text())
    later = evaluate(policy, Change("range", (HUMAN,)), datetime.date(2027, 4, 1))
    assert later.notices == (
        "exception #1 (bandit: vendored code, scheduled for removal; approved by"
        " appsec@example.com) expired on 2027-03-31 and suppresses nothing: renew or remove it",
    )


def test_strict_policy_wants_the_model_named() -> None:
    policy = make_policy((ROOT / "policies" / "strict.yml").read_text())
    named = AI._replace(message=AI.message + "\nAssisted-by: Cursor")
    result = evaluate(policy, Change("range", (named,)), datetime.date(2027, 1, 1)).results[0]
    assert result.findings[0].message.endswith(
        "`Assisted-by: Cursor` does not match /^[^:\\s][^:]*:\\S.*$/"
    )


def test_every_shipped_policy_is_an_init_preset_byte_for_byte() -> None:
    from ai_governance.scaffold import PRESETS

    assert sorted(f"{name}.yml" for name in PRESETS) == [p.name for p in POLICIES]
    for name, data in PRESETS.items():
        assert (Path(DATA) / data).read_bytes() == (ROOT / "policies" / f"{name}.yml").read_bytes()
