"""The reusable organisation workflow, its run: steps executed as a runner would: the list
job against a loopback GitHub, one measure job a listed repository (an empty one among
them), the merge job over their reports. The `uses:` steps (checkout, artifacts) are
stood in for by copying folders; the install steps by this test's own installation."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml
from conftest import ROOT, Repo, valid_workflow
from github_fake import FakeGitHub, Response, repository_item

WORKFLOW = yaml.safe_load((ROOT / ".github" / "workflows" / "ai-adoption-report.yml").read_text())
INPUTS = {
    "organisation": "octo-org",
    "tool-repository": "octo-org/ai-governance",
    "tool-sha": "0" * 40,
    "by": "month",
    "churn": "true",
    "include-archived": "false",
}
SECRETS = {"token": "org-token", "author-key": "the organisation's secret"}


def _expand(value: str, matrix: dict[str, str]) -> str:
    """What the runner puts for `${{ }}` in env: values."""

    def one(match: re.Match[str]) -> str:
        kind, _, name = match.group(1).strip().partition(".")
        return {"inputs": INPUTS, "secrets": SECRETS, "matrix": matrix}[kind][name]

    return re.sub(r"\$\{\{(.*?)\}\}", one, value)


def _run_job(name: str, cwd: Path, runner: dict[str, str], matrix: dict[str, str]) -> str:
    log = ""
    for step in WORKFLOW["jobs"][name]["steps"]:
        if "run" not in step or step["name"].startswith("Install ai-governance"):
            continue
        env = {**runner, **{k: _expand(str(v), matrix) for k, v in step.get("env", {}).items()}}
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
            cwd=cwd / step.get("working-directory", "."),
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, (step["name"], done.stdout, done.stderr)
        log += done.stdout
    return log


def _runner(folder: Path, fake: FakeGitHub) -> dict[str, str]:
    folder.mkdir(parents=True, exist_ok=True)
    for file in ("output", "summary.md"):
        (folder / file).write_text("")
    (folder / "tmp").mkdir(exist_ok=True)
    return {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "GITHUB_API_URL": fake.url,
        "GITHUB_OUTPUT": str(folder / "output"),
        "GITHUB_STEP_SUMMARY": str(folder / "summary.md"),
        "RUNNER_TEMP": str(folder / "tmp"),
        "GITHUB_ACTIONS": "true",
        "PRE_COMMIT_HOME": str(folder / "pre-commit"),
    }


def test_the_organisation_workflow_end_to_end(tmp_path: Path) -> None:
    listed: list[dict[str, Any]] = [
        repository_item("api"),
        repository_item("web"),
        repository_item("empty"),
        repository_item("old", archived=True),
    ]
    with FakeGitHub() as fake:
        fake.routes["/orgs/octo-org/repos"] = [Response(200, listed)]
        runner = _runner(tmp_path / "list", fake)
        _run_job("list", tmp_path / "list", runner, {})
        output = (tmp_path / "list" / "output").read_text()
        assert output == 'repositories=["octo-org/api", "octo-org/empty", "octo-org/web"]\n'
        names = json.loads(output.split("=", 1)[1])
        assert fake.requests[0][1] == "Bearer org-token"
        for index, name in enumerate(names):
            job = tmp_path / f"measure-{index}"
            measured = Repo(job / "measured")  # actions/checkout, fetch-depth 0
            if name != "octo-org/empty":
                for number in range(3 + index):
                    measured.commit(
                        f"Change {number}\n\nAssisted-by: Claude Code\n"
                        if number % 2
                        else "Change",
                        files={f"f{number}.txt": f"{name} {number}\n"},
                    )
            log = _run_job("measure", job, _runner(job, fake), {"repository": name})
            report = job / "tmp" / "report.json"
            if name == "octo-org/empty":  # nothing to measure, no artifact
                assert log == "::notice::octo-org/empty has no commits: nothing to measure\n"
                assert not report.exists()
                continue
            artifact = tmp_path / "merge" / "reports" / f"report-{index}"
            artifact.mkdir(parents=True)
            artifact.joinpath("report.json").write_bytes(report.read_bytes())
        merge = tmp_path / "merge"
        _run_job("merge", merge, _runner(merge, fake), {})
    merged = json.loads((merge / "out" / "organisation.json").read_text())
    assert [(r["repository"], r["commits"]) for r in merged["repositories"]] == [
        ("octo-org/api", 3),
        ("octo-org/web", 5),
    ]
    assert merged["churn_days"] == 21
    assert (merged["totals"]["commits"], merged["totals"]["ai_assisted"]) == (8, 3)
    assert merged["author_key"] is not None
    page = (merge / "out" / "organisation.html").read_text()
    assert "<h2>By repository</h2>" in page
    summary = (merge / "summary.md").read_text()
    assert summary.startswith("```text\nai-governance report: policy ai-governance-default,")
    assert summary.endswith("```\n")


def test_the_documented_caller_is_valid_and_zizmor_clean(tmp_path: Path) -> None:
    docs = (ROOT / "docs" / "report.md").read_text()
    section = docs.split("## An organisation", 1)[1]
    example = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    assert example.count("RELEASE_COMMIT_SHA") == 2
    caller = tmp_path / "ai-adoption.yml"
    caller.write_text(example.replace("RELEASE_COMMIT_SHA", "0" * 40))
    data = valid_workflow(caller)
    assert set(data["jobs"]["report"]["with"]) <= set(WORKFLOW[True]["workflow_call"]["inputs"])
    assert set(data["jobs"]["report"]["secrets"]) == set(
        WORKFLOW[True]["workflow_call"]["secrets"]
    )
