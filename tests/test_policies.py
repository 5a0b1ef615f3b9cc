"""Every shipped policy validates and behaves as its comments say; the default is embedded."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from conftest import ROOT, make_policy

from ai_governance import engine
from ai_governance.change import Change, Commit, Identity, PullRequest
from ai_governance.cli import main
from ai_governance.engine import evaluate
from ai_governance.policy.load import EMBEDDED, locate
from ai_governance.policy.model import Policy
from ai_governance.resources import DATA

POLICIES = sorted((ROOT / "policies").glob("*.yml"))
AI = Commit(
    "a" * 40,
    "Add cache\n\nCo-authored-by: Cursor <cursoragent@cursor.com>",
    Identity("Alice", "alice@example.com"),
    None,
)
HUMAN = Commit("b" * 40, "Fix typo", Identity("Zed", "zed@example.com"), None)


def test_the_policies_ship() -> None:
    assert [p.name for p in POLICIES] == [
        "asf.yml",
        "default.yml",
        "kernel.yml",
        "llvm.yml",
        "no-ai-coauthor.yml",
        "openinfra.yml",
        "pilot-rollout.yml",
        "strict.yml",
    ]


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


DAY = datetime.date(2027, 6, 1)
ME = Identity("Ann", "ann@example.com")


def preset(name: str) -> Policy:
    return make_policy((ROOT / "policies" / f"{name}.yml").read_text(), f"{name}.yml")


def verdict(name: str, message: str, pr: PullRequest | None = None) -> tuple[str, list[str]]:
    change = Change(
        "pull-request" if pr else "range", (Commit("c" * 40, message, ME, None),), pr=pr
    )
    result = evaluate(preset(name), change, DAY).results[0]
    return result.status, [f.message for f in result.findings]


def prepared(name: str, message: str) -> str:
    change = Change("commit-msg", (Commit(None, message, ME, None),))
    return engine.prepare(preset(name), change, DAY, message, "#")[0]


CO_AUTHOR = "Co-Authored-By: Claude Opus 4.6 <noreply@anthropic.com>"


def test_kernel_refuses_an_ai_sign_off_and_wants_agent_and_model() -> None:
    signed = "Fix\n\nAssisted-by: claude-code:claude-opus-4.6\nSigned-off-by: Claude <noreply@anthropic.com>"
    assert verdict("kernel", signed) == (
        "failed",
        ["commit cccccccccccc has an AI sign off (only a human can certify the DCO):"
         " `Signed-off-by: Claude <noreply@anthropic.com>`"],
    )  # fmt: skip
    assert (
        verdict("kernel", "Fix\n\nAssisted-by: claude-code:claude-opus-4.6 sparse")[0] == "passed"
    )
    assert verdict("kernel", "Fix\n\nAssisted-by: Claude Code")[0] == "failed"
    assert prepared("kernel", f"Fix\n\n{CO_AUTHOR}\nSigned-off-by: Ann <ann@example.com>\n") == (
        "Fix\n\nSigned-off-by: Ann <ann@example.com>\nAssisted-by: claude-code:claude-opus-4.6\n"
    )
    # without a model in the evidence the kernel's format cannot be written: nothing is,
    # and the co-author line (the evidence) stays for the commit-msg stage to refuse
    bare = "Fix\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n"
    assert prepared("kernel", bare) == bare


@pytest.mark.parametrize(("name", "key"), [("llvm", "Assisted-by"), ("asf", "Generated-by")])
def test_llvm_and_asf_want_their_own_trailer_and_write_it(name: str, key: str) -> None:
    other = "Generated-by" if key == "Assisted-by" else "Assisted-by"
    assert verdict(name, f"Fix\n\n{CO_AUTHOR}\n{key}: Claude Code")[0] == "passed"
    assert verdict(name, f"Fix\n\n{CO_AUTHOR}\n{other}: Claude Code")[0] == "failed"
    assert prepared(name, f"Fix\n\n{CO_AUTHOR}\n") == f"Fix\n\n{key}: Claude Code\n"


def test_openinfra_takes_generated_by_or_assisted_by() -> None:
    for key in ("Generated-By", "Assisted-By"):
        assert verdict("openinfra", f"Fix\n\n{CO_AUTHOR}\n{key}: Claude Code")[0] == "passed"
    assert verdict("openinfra", f"Fix\n\n{CO_AUTHOR}")[0] == "failed"


def test_no_ai_coauthor_refuses_the_credit_and_wants_the_pr_to_say() -> None:
    status, found = verdict("no-ai-coauthor", f"Fix\n\n{CO_AUTHOR}")
    assert (status, found) == (
        "failed",
        [f"commit cccccccccccc credits an AI as co-author: `{CO_AUTHOR}`"],
    )
    assert verdict("no-ai-coauthor", "Fix\n\nAssisted-by: Claude Code")[0] == "passed"
    silent = PullRequest(3, "Fix", "Fixes it.", "ann")
    said = PullRequest(3, "Fix", "Fixes it.\n\nAI-assisted: yes", "ann")
    assert verdict("no-ai-coauthor", "Fix", silent)[0] == "failed"
    assert verdict("no-ai-coauthor", "Fix", said)[0] == "passed"
    assert prepared("no-ai-coauthor", f"Fix\n\n{CO_AUTHOR}\n") == (
        "Fix\n\nAssisted-by: Claude Code\n"
    )


def test_normalising_never_takes_out_a_tool_the_disclosure_does_not_name() -> None:
    """Disclosed for Claude Code, co-authored by Cursor too: Cursor's line is the only
    record of it, so it stays; Claude's goes, the disclosure names it."""
    cursor = "Co-authored-by: Cursor <cursoragent@cursor.com>"
    text = f"Fix\n\n{CO_AUTHOR}\n{cursor}\nAssisted-by: Claude Code\n"
    assert prepared("llvm", text) == f"Fix\n\n{cursor}\nAssisted-by: Claude Code\n"
