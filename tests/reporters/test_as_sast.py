"""GitLab's SAST report: Bandit's findings only, valid against the schema GitLab validates a
report with (an invalid report is dropped), a scan that could not check every file marked
as failed, text inert."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
from conftest import FIXTURES, Repo, git

from ai_governance.cli import main
from ai_governance.report import Finding, Report, RuleResult
from ai_governance.reporters import as_sast

SCHEMA = json.loads((FIXTURES / "gitlab" / "sast" / "sast-report-format.15.1.0.json").read_text())
POLICY = (
    "version: 1\nname: t\nrules:\n  - id: ai-disclosure\n    kind: disclosure\n"
    "  - id: bandit\n    kind: security-scan\n    severity: low\n    confidence: low\n"
    "    on_error: warn\n"
)
SHELL = "import subprocess\n\n\ndef run(cmd):\n    return subprocess.call(cmd, shell=True)\n"


def _sast(repo: Repo, tmp: Path) -> dict[str, Any]:
    out = tmp / "gl-sast-report.json"
    main(["check", "--staged", "--policy", str(repo.path / "p.yml"), "--format", "sast",
          "--output", str(out)])  # fmt: skip
    document: dict[str, Any] = json.loads(out.read_text())
    jsonschema.Draft7Validator(SCHEMA).validate(document)
    return document


def test_bandits_findings_are_vulnerabilities_and_errors_fail_the_scan(
    chdir_repo: Repo, tmp_path: Path
) -> None:
    chdir_repo.write("p.yml", POLICY)
    chdir_repo.write("run.py", SHELL)
    chdir_repo.write("broken.py", "def broken(:\n")
    git(chdir_repo.path, "add", "run.py", "broken.py")
    document = _sast(chdir_repo, tmp_path)
    assert document["version"] == "15.0.6"
    scan = document["scan"]
    assert (scan["type"], scan["status"], scan["analyzer"]["id"], scan["scanner"]["id"]) == (
        "sast",
        "failure",
        "ai-governance",
        "bandit",
    )
    assert scan["scanner"]["version"] == "1.9.4"
    assert scan["messages"] == [
        {
            "level": "warn",
            "value": "broken.py: not scanned: Bandit could not check it (syntax error while"
            " parsing AST from file)",
        }
    ]
    assert [
        (v["name"], v["severity"], v["identifiers"][0], v["location"])
        for v in document["vulnerabilities"]
    ] == [
        (
            "B404 blacklist",
            "Low",
            {"type": "bandit_test_id", "name": "Bandit Test ID B404", "value": "B404"},
            {"file": "run.py", "start_line": 1, "end_line": 1},
        ),
        (
            "B602 subprocess_popen_with_shell_equals_true",
            "High",
            {"type": "bandit_test_id", "name": "Bandit Test ID B602", "value": "B602"},
            {"file": "run.py", "start_line": 5, "end_line": 5},
        ),
    ]
    ids = [v["id"] for v in document["vulnerabilities"]]
    assert len(set(ids)) == 2


def test_a_clean_scan_succeeds_with_no_vulnerabilities(chdir_repo: Repo, tmp_path: Path) -> None:
    chdir_repo.write("p.yml", POLICY)
    chdir_repo.write("ok.py", "x = 1\n")
    git(chdir_repo.path, "add", "ok.py")
    document = _sast(chdir_repo, tmp_path)
    assert (document["scan"]["status"], document["vulnerabilities"]) == ("success", [])
    assert "messages" not in document["scan"]


def test_a_rule_that_could_not_run_is_fatal_and_text_is_inert() -> None:
    report = Report(
        "t",
        "p.yml",
        "pull-request",
        False,
        (),
        (
            RuleResult("bandit", "security-scan", "enforce", "error", "scanner\x1b[2J crashed"),
            RuleResult(
                "bandit-2",
                "security-scan",
                "enforce",
                "failed",
                "1 finding",
                (
                    Finding(
                        "a\nb.py",
                        3,
                        message="B101 assert_used: \x1b]8;;x\x07Use",
                        code="B101",
                        severity="low",
                    ),
                ),
            ),
            RuleResult("other", "disclosure", "enforce", "failed", "no", (Finding(message="m"),)),
        ),
    )
    document = as_sast.document(report, start="2027-01-01T00:00:00", end="2027-01-01T00:00:01")
    jsonschema.Draft7Validator(SCHEMA).validate(document)
    assert document["scan"]["messages"] == [
        {"level": "fatal", "value": "bandit: scanner [2J crashed"}
    ]
    assert document["scan"]["status"] == "failure"
    assert [
        (v["name"], v["description"], v["location"]["file"]) for v in document["vulnerabilities"]
    ] == [("B101 assert_used", "B101 assert_used:  ]8;;x Use", "a\nb.py")]
