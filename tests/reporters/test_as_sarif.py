"""SARIF 2.1.0: valid against SchemaStore's schema, one run, stable fingerprints."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import FIXTURES, Repo, git

from ai_governance.cli import main

SCHEMA = json.loads((FIXTURES / "schemas" / "sarif-2.1.0.json").read_text())
POLICY = (
    "version: 1\nname: t\nrules:\n  - id: ai-disclosure\n    kind: disclosure\n"
    "  - id: bandit\n    kind: security-scan\n    severity: low\n    confidence: low\n"
)
SHELL = "import subprocess\n\n\ndef run(cmd):\n    return subprocess.call(cmd, shell=True)\n"


def sarif(repo: Repo, tmp: Path) -> dict[str, Any]:
    out = tmp / "out.sarif"
    code = main(
        [
            "check",
            "--staged",
            "--policy",
            str(repo.path / "p.yml"),
            "--format",
            "sarif",
            "--output",
            str(out),
        ]
    )
    assert code == 1
    document: dict[str, Any] = json.loads(out.read_text())
    jsonschema.Draft7Validator(SCHEMA).validate(document)
    return document


@pytest.fixture
def staged(chdir_repo: Repo) -> Repo:
    chdir_repo.write("p.yml", POLICY)
    for name, content in {
        "app.py": SHELL,
        "sp ace/caf\u00e9.py": "def f(x):\n    assert x\n",
        "broken.py": "def f(:\n",
    }.items():
        chdir_repo.write(name, content)
        git(chdir_repo.path, "add", "--", name)
    (chdir_repo.path / "link.py").symlink_to("app.py")
    git(chdir_repo.path, "add", "link.py")
    return chdir_repo


def test_valid_sarif_with_rules_levels_and_notifications(staged: Repo, tmp_path: Path) -> None:
    document = sarif(staged, tmp_path)
    (run,) = document["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [
        "bandit/B404",
        "bandit/B602",
        "bandit/not-scanned",
        "bandit/B101",
    ]
    assert rules[1]["help"]["text"].endswith("end the line with `# nosec B602` and say why")
    brief = [
        (
            r["ruleId"],
            r["ruleIndex"],
            r["level"],
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"].get("region", {}).get("startLine"),
        )
        for r in run["results"]
    ]
    assert brief == [
        ("bandit/B404", 0, "note", "app.py", 1),
        ("bandit/B602", 1, "error", "app.py", 5),
        ("bandit/not-scanned", 2, "note", "link.py", None),
        ("bandit/B101", 3, "note", "sp%20ace/caf%C3%A9.py", 2),
    ]
    (invocation,) = run["invocations"]
    assert invocation["executionSuccessful"] is False
    assert [n["message"]["text"] for n in invocation["toolExecutionNotifications"]] == [
        "not scanned: Bandit could not check it (syntax error while parsing AST from file)"
    ]


def test_fingerprints_survive_moved_lines(staged: Repo, tmp_path: Path) -> None:
    before = {
        r["ruleId"]: r["partialFingerprints"]
        for r in sarif(staged, tmp_path)["runs"][0]["results"]
    }
    staged.write("app.py", "\n\n\n" + SHELL)
    git(staged.path, "add", "app.py")
    after = sarif(staged, tmp_path)["runs"][0]["results"]
    assert after[1]["locations"][0]["physicalLocation"]["region"]["startLine"] == 8
    assert {r["ruleId"]: r["partialFingerprints"] for r in after} == before


def test_same_input_same_bytes(staged: Repo, tmp_path: Path) -> None:
    first = json.dumps(sarif(staged, tmp_path))
    assert json.dumps(sarif(staged, tmp_path)) == first
