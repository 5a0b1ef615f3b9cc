"""The Action end to end: action.yml's own run: steps, executed the way a runner does."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from conftest import FIXTURES, ROOT, Repo, git, valid_workflow, zizmor_clean
from github_fake import FORBIDDEN, FakeGitHub, Response, pull_request_event, review_item

ACTION = yaml.safe_load((ROOT / "action.yml").read_text())
EVIL = "::stop-commands::pwned %0A::error::forged <script>alert(1)</script> | **bold** [x](y)"


def test_action_matches_schemastore_and_zizmor_finds_nothing() -> None:
    jsonschema.validate(
        ACTION, json.loads((FIXTURES / "schemas" / "github-action.json").read_text())
    )
    zizmor_clean(ROOT / "action.yml")
    for step in ACTION["runs"]["steps"]:
        assert "${{" not in step["run"]  # values reach the scripts through env: only


def _workflows(tmp: Path) -> list[Path]:
    """The project's own workflows, and the one docs/github-action.md gives users (its one
    placeholder, the commit of the release they host, filled in)."""
    docs = (ROOT / "docs" / "github-action.md").read_text()
    example = docs.split("```yaml\n", 1)[1].split("```", 1)[0]
    assert example.count("RELEASE_COMMIT_SHA") == 1
    (tmp / "users.yml").write_text(example.replace("RELEASE_COMMIT_SHA", "0" * 40))
    return [*sorted((ROOT / ".github" / "workflows").glob("*.yml")), tmp / "users.yml"]


def test_shipped_workflows_match_schemastore_and_zizmor_finds_nothing(tmp_path: Path) -> None:
    workflows = _workflows(tmp_path)
    assert [p.name for p in workflows] == ["ai-adoption-report.yml", "ci.yml", "users.yml"]
    for path in workflows:
        data = valid_workflow(path)
        for job in data["jobs"].values():
            for step in job["steps"]:
                assert "${{" not in step.get("run", "")
                if "uses" in step:
                    assert re.fullmatch(r"[\w./-]+@[0-9a-f]{40}", step["uses"]), step["uses"]


def _expand(value: str, inputs: dict[str, str]) -> str:
    """What the runner does to `${{ }}` in env: values (run: scripts have none)."""

    def one(match: re.Match[str]) -> str:
        expression = match.group(1).strip()
        if expression == "github.action_path":
            return str(ROOT)
        if expression == "github.token":
            return "test-token"
        if expression.startswith("inputs."):
            name = expression.removeprefix("inputs.")
            return inputs.get(
                name, _expand(str(ACTION["inputs"][name].get("default", "")), inputs)
            )
        raise AssertionError(f"unexpected expression {expression}")

    return re.sub(r"\$\{\{(.*?)\}\}", one, value)


def run_action(
    repo: Path,
    fake: FakeGitHub,
    event: dict[str, Any],
    runner: Path,
    inputs: dict[str, str],
    *,
    name: str = "pull_request",
) -> tuple[int, str, str, str]:
    tmp = repo.parent
    (tmp / "event.json").write_text(json.dumps(event))
    runner_env = {
        **os.environ,
        "GITHUB_EVENT_NAME": name,
        "GITHUB_EVENT_PATH": str(tmp / "event.json"),
        "GITHUB_REPOSITORY": "octo-org/app",
        "GITHUB_API_URL": fake.url,
        "GITHUB_WORKSPACE": str(repo),
        "GITHUB_OUTPUT": str(tmp / "output"),
        "GITHUB_STEP_SUMMARY": str(tmp / "summary.md"),
        "RUNNER_TEMP": str(runner),
        "GITHUB_ACTIONS": "true",
    }
    for file in ("output", "summary.md"):
        (tmp / file).write_text("")
    log, code = "", 0
    for step in ACTION["runs"]["steps"]:
        env = {
            **runner_env,
            **{k: _expand(str(v), inputs) for k, v in step.get("env", {}).items()},
        }
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        log += done.stdout
        code = done.returncode
        if code:
            break
    return code, log, (tmp / "output").read_text(), (tmp / "summary.md").read_text()


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One runner temp folder in which the install step has run (it takes a while)."""
    return tmp_path_factory.mktemp("runner")


def test_the_action_end_to_end(repo: Repo, installed: Path) -> None:
    base = repo.commit("Initial", files={"app.py": "x = 1\n"})
    repo.commit(
        f"Add shell {EVIL}\n\nCo-Authored-By: Claude {EVIL} <noreply@anthropic.com>\n",
        files={"we,ird:name.py": "import subprocess\nsubprocess.call(input(), shell=True)\n"},
    )
    head = repo.head()
    with FakeGitHub() as fake:
        fake.serve_pull(repo.path, 5, base, head)
        event = pull_request_event(5, base, head, 1, title=EVIL, body=f"Body {EVIL}\r\nline two")
        code, log, outputs, summary = run_action(
            repo.path, fake, event, installed, {"sarif-file": "results.sarif", "format": "json"}
        )
    assert code == 1
    commands = [line for line in log.splitlines() if line.startswith("::")]
    assert commands[0].startswith("::group::ai-disclosure (disclosure, enforce): failed: ")
    # The JSON report is free text: the runner reads it between stop-commands and a random
    # token, so the PR's own `::stop-commands::pwned` and `::error::forged` are inert.
    lines = log.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("::stop-commands::"))
    token = lines[start].removeprefix("::stop-commands::")
    assert re.fullmatch("[0-9a-f]{32}", token)
    end = lines.index(f"::{token}::")
    assert [line for line in lines[start + 1 : end] if "forged" in line] != []
    outside = lines[:start] + lines[end + 1 :]
    assert not any(line.startswith(("::stop-commands", "::error::forged")) for line in outside)
    scan = next(line for line in commands if "B602" in line)
    assert scan.startswith("::error file=we%2Cird%3Aname.py,line=2,title=bandit%3A failed::B602 ")
    assert "%0Afix: fix the code" in scan
    disclosure = next(line for line in commands if line.startswith("::error title=ai-disclosure"))
    assert "%250A::error::forged" in disclosure  # the PR's own %0A stays text
    assert re.fullmatch(
        r"status<<(ghadelimiter_[0-9a-f]{32})\nfail\n\1\n"
        r"ai-assisted<<(ghadelimiter_[0-9a-f]{32})\ntrue\n\2\n"
        r"failed-rules<<(ghadelimiter_[0-9a-f]{32})\nai-disclosure,ai-review,bandit\n\3\n"
        r"sarif-file<<(ghadelimiter_[0-9a-f]{32})\nresults.sarif\n\4\n",
        outputs,
    )
    assert summary.startswith("## ai-governance: ❌ failed\n")
    assert "<script>" not in summary
    assert "&lt;script&gt;" in summary
    assert "| ai-disclosure | disclosure | enforce | ❌ failed |" in summary
    sarif = json.loads((repo.path / "results.sarif").read_text())
    assert (
        sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"][
            "uri"
        ]
        == "we%2Cird%3Aname.py"
    )
    report = json.loads("\n".join(lines[start + 1 : end]))
    assert report["status"] == "fail"


def test_other_events_are_an_error_never_a_pass(repo: Repo, installed: Path) -> None:
    repo.commit("Initial")
    with FakeGitHub() as fake:
        code, log, outputs, _ = run_action(repo.path, fake, {}, installed, {}, name="push")
    assert (code, outputs) == (2, "")
    assert log == ""


def test_api_failure_fails_the_check(repo: Repo, installed: Path) -> None:
    base = repo.commit("Initial")
    head = repo.commit("Change")
    with FakeGitHub() as fake:
        fake.serve_pull(repo.path, 5, base, head)
        fake.routes["/repos/octo-org/app/pulls/5/commits"] = [Response(500, {"message": "boom"})]
        code, _log, _, _ = run_action(
            repo.path, fake, pull_request_event(5, base, head, 1), installed, {}
        )
    assert code == 1


def test_the_action_installs_every_dependency_pinned_with_hashes() -> None:
    """requirements/action.txt pins each runtime dependency (and the build backend) at one
    version with hashes, within what pyproject.toml allows."""
    from packaging.requirements import Requirement

    lock = (ROOT / "requirements" / "action.txt").read_text()
    pins = dict(re.findall(r"^([a-z0-9-]+)==([^ ]+) \\$", lock, re.M))
    pyproject = (ROOT / "pyproject.toml").read_text()
    needed = re.search(r"^dependencies = \[(.*?)\]", pyproject, re.M | re.S)
    assert needed is not None
    wanted = [Requirement(r) for r in re.findall(r'"([^"]+)"', needed.group(1))]
    wanted.append(Requirement("hatchling>=1.24"))
    for requirement in wanted:
        name = requirement.name.lower().replace("_", "-")
        assert name in pins, name
        assert requirement.specifier.contains(pins[name]), (name, pins[name])
    for block in lock.split("\n\n"):
        for entry in re.split(r"\n(?=[a-z])", block.strip()):
            if entry and not entry.startswith("#"):
                assert "--hash=sha256:" in entry, entry
    steps = "\n".join(step["run"] for step in ACTION["runs"]["steps"])
    assert "--require-hashes --no-deps -r" in steps


def test_the_comment_is_posted_once_and_edited_as_the_pull_request_changes(
    repo: Repo, installed: Path
) -> None:
    base = repo.commit("Initial", files={"app.py": "x = 1\n"})
    repo.commit("Add cache @everyone\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n")
    first = repo.head()
    with FakeGitHub() as fake:
        fake.serve_pull(repo.path, 5, base, first)
        event = pull_request_event(5, base, first, 1)
        code, log, _, _ = run_action(repo.path, fake, event, installed, {"comment": "true"})
        assert code == 1
        assert "::notice title=ai-governance comment::comment created: https://github.com" in log
        [comment] = fake.comments[5]
        lines = comment["body"].splitlines()
        assert lines[:2] == [
            "<!-- ai-governance: pull request comment -->",
            "### ai-governance: ❌ changes are still required",
        ]
        assert "- [ ] **ai-disclosure** (disclosure, enforce)" in comment["body"]
        assert "@everyone" not in comment["body"]
        git(repo.path, "reset", "-q", "--hard", base)  # the author rewrites the branch
        repo.commit("Add cache\n\nAssisted-by: Claude Code\n")
        head = repo.head()
        fake.serve_pull(repo.path, 5, base, head, reviews=[review_item("carol", "APPROVED", head)])
        event = pull_request_event(5, base, head, 1)
        code, log, _, _ = run_action(repo.path, fake, event, installed, {"comment": "true"})
    assert code == 0
    assert "comment updated" in log
    [comment] = fake.comments[5]
    assert comment["body"].splitlines()[1] == "### ai-governance: ✅ resolved: every rule passes"
    assert [m for m, _, _ in fake.writes] == ["POST", "PATCH"]


def test_a_read_only_token_degrades_to_a_notice_and_keeps_the_verdict(
    repo: Repo, installed: Path
) -> None:
    base = repo.commit("Initial")
    head = repo.commit("Change")
    with FakeGitHub() as fake:
        fake.serve_pull(repo.path, 5, base, head)
        fake.scripts["POST /repos/octo-org/app/issues/5/comments"] = [Response(403, FORBIDDEN)]
        event = pull_request_event(5, base, head, 1)
        silent = run_action(repo.path, fake, event, installed, {})
        code, log, outputs, summary = run_action(
            repo.path, fake, event, installed, {"comment": "true"}
        )
    assert (code, outputs.split("\n")[1]) == (silent[0], silent[2].split("\n")[1])
    warning = next(line for line in log.splitlines() if "ai-governance comment" in line)
    assert warning.startswith(
        "::warning title=ai-governance comment::no comment: the token may not write to pull"
        " request #5 (a fork's pull request gets a read-only token; the job needs"
        " `pull-requests: write`)"
    )
    assert "> ⚠️ no comment: the token may not write to pull request \\#5" in summary
    assert 5 not in fake.comments


def test_a_comment_input_that_is_not_a_switch_is_a_usage_error(
    repo: Repo, installed: Path
) -> None:
    base = repo.commit("Initial")
    head = repo.commit("Change")
    with FakeGitHub() as fake:
        fake.serve_pull(repo.path, 5, base, head)
        event = pull_request_event(5, base, head, 1)
        code, _, _, _ = run_action(repo.path, fake, event, installed, {"comment": "yes"})
    assert code == 2
