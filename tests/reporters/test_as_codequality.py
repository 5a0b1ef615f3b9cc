"""GitLab's Code Quality report: every finding valid against the schema GitLab validates
each one with (a finding that is not is dropped silently), distinct stable fingerprints
(GitLab folds equal ones), severities GitLab knows, text kept inert."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import FIXTURES, Repo, git

from ai_governance.cli import main

GITLAB = FIXTURES / "gitlab"
SCHEMA = json.loads((GITLAB / "codeclimate.schema.json").read_text())
POLICY = (
    "version: 1\nname: t\nrules:\n  - id: ai-disclosure\n    kind: disclosure\n"
    "  - id: bandit\n    kind: security-scan\n    severity: low\n    confidence: low\n"
)
SHELL = "import subprocess\n\n\ndef run(cmd):\n    return subprocess.call(cmd, shell=True)\n"
SEVERITIES = {"info", "minor", "major", "critical", "blocker"}


def _report(repo: Repo, tmp: Path, *args: str) -> tuple[int, list[dict[str, Any]], bytes]:
    out = tmp / "gl-code-quality-report.json"
    code = main(["check", *args, "--policy", str(repo.path / "p.yml"),
                 "--format", "codequality", "--output", str(out)])  # fmt: skip
    raw = out.read_bytes()
    findings: list[dict[str, Any]] = json.loads(raw)
    return code, findings, raw


def test_the_docs_example_is_what_the_schema_takes() -> None:
    """The schema copy is GitLab's: its documented example passes it."""
    for finding in json.loads((GITLAB / "gl-code-quality-report.docs-example.json").read_text()):
        jsonschema.Draft7Validator(SCHEMA).validate(finding)


def test_findings_of_a_staged_change(chdir_repo: Repo, tmp_path: Path) -> None:
    chdir_repo.write("p.yml", POLICY)
    chdir_repo.write("app.py", SHELL)
    chdir_repo.write("broken.py", "def f(:\n")
    git(chdir_repo.path, "add", "app.py", "broken.py")
    code, findings, raw = _report(chdir_repo, tmp_path, "--staged")
    assert code == 1
    assert not raw.startswith(b"\xef\xbb\xbf")  # GitLab's parser refuses a byte order mark
    for finding in findings:
        jsonschema.Draft7Validator(SCHEMA).validate(finding)
        assert finding["severity"] in SEVERITIES
        assert isinstance(finding["location"]["lines"]["begin"], int)
    by_check = {(f["check_name"], f["location"]["path"]): f for f in findings}
    shell = by_check["ai-governance/bandit/B602", "app.py"]
    assert (shell["severity"], shell["location"]["lines"]["begin"]) == ("critical", 5)
    assert shell["description"].startswith("bandit: B602")
    unscanned = by_check["ai-governance/bandit/scan-error", "broken.py"]
    assert unscanned["severity"] == "critical"
    assert len({f["fingerprint"] for f in findings}) == len(findings)
    again = _report(chdir_repo, tmp_path, "--staged")[1]
    assert [f["fingerprint"] for f in again] == [f["fingerprint"] for f in findings]


def test_a_commit_finding_names_the_commit_and_stays_text(
    chdir_repo: Repo, tmp_path: Path
) -> None:
    """An undisclosed AI commit whose message carries markup and control characters."""
    chdir_repo.write("p.yml", POLICY)
    sha = chdir_repo.commit(
        "Add <script>alert(1)</script>\x1b[31m\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n"
    )
    code, findings, _ = _report(chdir_repo, tmp_path, "--range", sha)
    assert code == 1
    (disclosure,) = [f for f in findings if f["check_name"] == "ai-governance/ai-disclosure"]
    jsonschema.Draft7Validator(SCHEMA).validate(disclosure)
    assert disclosure["description"].startswith(f"ai-disclosure: commit {sha[:12]}: ")
    assert "\x1b" not in json.dumps(findings, ensure_ascii=False)
    assert (disclosure["severity"], disclosure["location"]["path"]) == (
        "major",
        str(chdir_repo.path / "p.yml"),
    )


@pytest.mark.parametrize("mode", ["warn", "enforce"])
def test_a_passing_change_is_an_empty_report_and_warnings_are_minor(
    chdir_repo: Repo, tmp_path: Path, mode: str
) -> None:
    chdir_repo.write(
        "p.yml", POLICY.replace("kind: disclosure\n", f"kind: disclosure\n    mode: {mode}\n")
    )
    human = chdir_repo.commit("Add a file\n")
    code, findings, _ = _report(chdir_repo, tmp_path, "--range", human)
    assert (code, findings) == (0, [])
    ai = chdir_repo.commit("Add more\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n")
    code, findings, _ = _report(chdir_repo, tmp_path, "--range", ai)
    assert [f["severity"] for f in findings] == (["minor"] if mode == "warn" else ["major"])
    assert code == (0 if mode == "warn" else 1)
