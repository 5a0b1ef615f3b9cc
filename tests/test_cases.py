"""`ai-governance test`: policy tests judged by the one engine, in every format, with
clear errors for bad test files."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import ROOT, Repo, judge

EXAMPLES = ROOT / "tests" / "examples" / "ai-governance-test"


def _suite(repo: Repo, name: str) -> Path:
    target = repo.path / ".ai-governance" / "tests" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(next(EXAMPLES.glob(f"*/{name}")), target)
    return target


def test_passing_and_failing_cases_in_every_format(repo: Repo) -> None:
    _suite(repo, "disclosure.yml")
    code, lines = judge(repo.path, "test")
    assert (code, lines) == (
        0,
        [
            "PASS  .ai-governance/tests/disclosure.yml:3:5: an undisclosed Claude commit is refused",
            "PASS  .ai-governance/tests/disclosure.yml:12:5: the disclosed commit passes",
            "PASS  .ai-governance/tests/disclosure.yml:20:5: an AI-assisted pull request needs an"
            " approval from someone else",
            "policy tests: 3 passed, 0 failed",
        ],
    )
    _suite(repo, "wrong-expectation.yml")
    code, lines = judge(repo.path, "test")
    assert code == 1
    assert lines[-3:] == [
        "FAIL  .ai-governance/tests/wrong-expectation.yml:3:5: expects an undisclosed commit to"
        " pass",
        "      ai-disclosure: expected passed, got failed (1 of 1 AI-assisted commit(s) lack a"
        " valid `Assisted-by:` trailer)",
        "policy tests: 3 passed, 1 failed",
    ]
    code, lines = judge(repo.path, "test", "--format", "json")
    document = json.loads("\n".join(lines))
    assert (document["schema_version"], document["status"]) == (1, "fail")
    assert [c["status"] for c in document["cases"]] == ["passed", "passed", "passed", "failed"]
    code, lines = judge(repo.path, "test", "--format", "junit")
    suites = ET.fromstring("\n".join(lines))
    assert [(s.get("tests"), s.get("failures")) for s in suites] == [("3", "0"), ("1", "1")]


def test_a_rule_change_fails_the_suite(repo: Repo) -> None:
    _suite(repo, "disclosure.yml")
    repo.write(
        ".ai-governance.yml",
        "version: 1\nname: weaker\nmode: warn\nrules:\n  - {id: ai-disclosure, kind: disclosure}\n"
        "  - {id: ai-review, kind: review, when: {ai_assisted: true}}\n",
    )
    code, lines = judge(repo.path, "test")
    assert code == 1
    assert (
        "      ai-disclosure: expected failed, got warned (1 of 1 AI-assisted commit(s) lack"
        in ("\n".join(lines))
    )


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("cases: []\n", "T:1:8: cases: "),
        (
            "cases:\n  - {name: x, change: {stage: push}, expect: {a: passed}}\n",
            "T:2:31: cases[0].change.stage: 'push' is not allowed; allowed: commit-msg,"
            " pre-commit, range, pull-request",
        ),
        (
            "cases:\n  - {name: x, change: {stage: commit-msg}, expect: {nope: passed}}\n",
            "T:2:53: cases[0].expect.nope: the policy <embedded default policy> has no rule"
            " 'nope'; rules: ai-disclosure, ai-review, bandit",
        ),
    ],
)
def test_a_bad_test_file_is_an_error_naming_where(
    repo: Repo, capsys: pytest.CaptureFixture[str], text: str, error: str
) -> None:
    path = repo.write(".ai-governance/tests/t.yml", text)
    assert judge(repo.path, "test")[0] == 2
    assert error.replace("T:", f"{path.relative_to(repo.path)}:") in capsys.readouterr().err


def test_no_tests_is_an_error_never_a_pass(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    assert judge(repo.path, "test")[0] == 2
    assert capsys.readouterr().err == (
        "ai-governance: usage error: .ai-governance/tests: no such policy test file or folder\n"
    )
    (repo.path / ".ai-governance" / "tests").mkdir(parents=True)
    assert judge(repo.path, "test")[0] == 2
    assert capsys.readouterr().err == (
        "ai-governance: usage error: no policy tests in .ai-governance/tests: write one"
        " (docs/policy-tests.md) or name the files\n"
    )
