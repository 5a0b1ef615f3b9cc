"""The GitLab CI template: valid against GitLab's CI schema, inputs kept out of the shell,
and its script run as a GitLab runner runs it (every line in one shell, after the inputs
are interpolated and the job's variables set) against a loopback GitLab.

The template installs the tool from a git repository at a commit: here this repository at
its HEAD (so a run tests what is committed, as CI does on a fresh clone)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from conftest import FIXTURES, ROOT, Repo, git
from gitlab_fake import IID, PROJECT, FakeGitLab, approval, user

TEMPLATE = ROOT / "ci" / "ai-governance.gitlab-ci.yml"
HEADER, JOB = (yaml.safe_load(part) for part in TEMPLATE.read_text().split("\n---\n"))
CHECK = Path(sys.executable).parent / "check-jsonschema"


def _check_jsonschema(*paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CHECK), "--builtin-schema", "vendor.gitlab-ci", *map(str, paths)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_template_is_valid_gitlab_ci(tmp_path: Path) -> None:
    """check-jsonschema reads one YAML document a file: the header and the job are
    checked each on their own, as GitLab reads them."""
    header, job = TEMPLATE.read_text().split("\n---\n")
    (tmp_path / "header.yml").write_text(header + "\n")
    (tmp_path / "job.yml").write_text(job)
    done = _check_jsonschema(tmp_path / "header.yml", tmp_path / "job.yml")
    assert (done.returncode, done.stdout.strip()) == (0, "ok -- validation done")
    (tmp_path / "bad.yml").write_text(job.replace("when: always", "when: sometimes"))
    assert _check_jsonschema(tmp_path / "bad.yml").returncode == 1  # the check can fail


def test_inputs_reach_the_script_only_through_variables() -> None:
    job = JOB["ai-governance"]
    for line in job["script"]:
        assert "$[[" not in line
        assert "${{" not in line
    assert set(HEADER["spec"]["inputs"]) == {
        "revision", "source", "stage", "image", "policy", "fail-on", "comment", "sast"
    }  # fmt: skip
    assert job["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]
    assert job["variables"]["GIT_DEPTH"] == "0"
    assert job["artifacts"]["reports"] == {
        "codequality": "gl-code-quality-report.json",
        "sast": "gl-sast-report.json",
    }


def _interpolate(value: Any, inputs: dict[str, str]) -> Any:
    """GitLab's ``$[[ inputs.NAME ]]`` with the given inputs, else each input's default."""
    if isinstance(value, dict):
        return {k: _interpolate(v, inputs) for k, v in value.items()}
    if isinstance(value, list):
        return [_interpolate(v, inputs) for v in value]
    if not isinstance(value, str):
        return value

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        spec = HEADER["spec"]["inputs"][name]
        found = inputs.get(name, spec.get("default"))
        assert found is not None, f"input {name} has no default and was not given"
        if "regex" in spec:
            assert re.fullmatch(spec["regex"], str(found)), name
        if "options" in spec:
            assert found in spec["options"], name
        return str(found).lower() if isinstance(found, bool) else str(found)

    return re.sub(r"\$\[\[\s*inputs\.([\w-]+)\s*\]\]", one, value)


def run_job(
    repo: Path, fake: FakeGitLab, inputs: dict[str, str], **predefined: str
) -> tuple[int, str]:
    job = _interpolate(JOB["ai-governance"], inputs)
    env = {
        **os.environ,
        "CI": "true",
        "GITLAB_CI": "true",
        "CI_PIPELINE_SOURCE": "merge_request_event",
        "CI_API_V4_URL": fake.api,
        "CI_MERGE_REQUEST_PROJECT_ID": str(PROJECT),
        "CI_MERGE_REQUEST_IID": str(IID),
        "CI_MERGE_REQUEST_EVENT_TYPE": "detached",
        "CI_PROJECT_DIR": str(repo),
        "AI_GOVERNANCE_GITLAB_TOKEN": "glpat-template",
        "TMPDIR": str(repo.parent),
        **predefined,
        **{k: str(v) for k, v in job["variables"].items()},
    }
    script = "\n".join(job["script"])
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return done.returncode, done.stdout + done.stderr


@pytest.fixture
def merge_request(repo: Repo) -> tuple[Repo, str, str]:
    base = repo.commit("Initial", files={"app.py": "x = 1\n"})
    head = repo.commit(
        "Add a runner\n\nCo-Authored-By: Claude Opus 4.6 <noreply@anthropic.com>\n",
        files={"run.py": "import subprocess\nsubprocess.call(input(), shell=True)\n"},
        author="Alice <5-alice@users.noreply.gitlab.com>",
        committer="Alice <5-alice@users.noreply.gitlab.com>",
    )
    return repo, base, head


def test_the_job_runs_as_gitlab_runs_it(merge_request: tuple[Repo, str, str]) -> None:
    repo, base, head = merge_request
    revision = git(ROOT, "rev-parse", "HEAD").strip()
    inputs = {"revision": revision, "source": str(ROOT), "comment": "true", "sast": "true"}
    with FakeGitLab() as fake:
        fake.serve(
            repo.path,
            base,
            head,
            author=user("alice", 5),
            approved=[approval(user("bob", 6), "2027-01-01T11:00:00Z")],
        )
        code, log = run_job(repo.path, fake, inputs, CI_COMMIT_SHA=head)
        assert code == 1, log
        assert "FAIL  ai-disclosure (disclosure, enforce)" in log
        assert "FAIL  bandit (security-scan, enforce)" in log
        assert (
            "ai-governance: note created: https://gitlab.example.com/acme/app/-/merge_requests/133#note_1000"
            in log
        )
        assert len(fake.notes) == 1
        assert {token for _, _, token in fake.requests} == {"glpat-template"}
        quality = json.loads((repo.path / "gl-code-quality-report.json").read_text())
        schema = json.loads((FIXTURES / "gitlab" / "codeclimate.schema.json").read_text())
        for finding in quality:
            jsonschema.validate(finding, schema)
        assert {q["check_name"] for q in quality} >= {"ai-governance/bandit/B602"}
        sast = json.loads((repo.path / "gl-sast-report.json").read_text())
        assert [v["identifiers"][0]["value"] for v in sast["vulnerabilities"]] == ["B404", "B602"]
        code, log = run_job(repo.path, fake, inputs, CI_COMMIT_SHA=head, CI_PIPELINE_SOURCE="push")
    assert code == 2
    assert "this is a push pipeline, not a merge request pipeline" in log


def test_the_documented_include_is_valid_gitlab_ci(tmp_path: Path) -> None:
    docs = (ROOT / "docs" / "gitlab.md").read_text()
    example = docs.split("```yaml\n# .gitlab-ci.yml\n", 1)[1].split("```", 1)[0]
    assert example.count("RELEASE_COMMIT_SHA") == 2
    sha = "0" * 40
    (tmp_path / ".gitlab-ci.yml").write_text(example.replace("RELEASE_COMMIT_SHA", sha))
    done = _check_jsonschema(tmp_path / ".gitlab-ci.yml")
    assert (done.returncode, done.stdout.strip()) == (0, "ok -- validation done")
    (include,) = yaml.safe_load(example)["include"]
    assert include["remote"].endswith(f"/{'RELEASE_COMMIT_SHA'}/ci/ai-governance.gitlab-ci.yml")
    assert set(include["inputs"]) <= set(HEADER["spec"]["inputs"])
    assert re.fullmatch(HEADER["spec"]["inputs"]["revision"]["regex"], sha)
