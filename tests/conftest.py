"""Shared fixtures: an isolated environment and real temporary git repositories."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from contextlib import redirect_stdout
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from hypothesis.configuration import set_hypothesis_home_dir

from ai_governance.cli import main
from ai_governance.policy.build import build
from ai_governance.policy.load import catalogue, validated
from ai_governance.policy.model import Policy

# Hypothesis keeps its examples and caches in a temporary folder, not in the work tree
_HYPOTHESIS = tempfile.mkdtemp(prefix="ai-governance-hypothesis-")
set_hypothesis_home_dir(_HYPOTHESIS)
atexit.register(shutil.rmtree, _HYPOTHESIS, True)

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# Variables that would make the code under test see an AI session or another repository.
_SCRUB = (
    "AI_GOVERNANCE_AUTHOR_KEY",
    "CLAUDECODE",
    "CLAUDE_CODE_CHILD_SESSION",
    "CURSOR_AGENT",
    "GEMINI_CLI",
    "CODEX_SANDBOX",
    "CODEX_THREAD_ID",
    "GIT_DIR",
    "GIT_INDEX_FILE",
    "GIT_WORK_TREE",
    "GIT_AUTHOR_NAME",
    "GIT_AUTHOR_EMAIL",
    "GIT_AUTHOR_DATE",
    "GIT_COMMITTER_NAME",
    "GIT_COMMITTER_EMAIL",
    "GIT_COMMITTER_DATE",
    "NO_COLOR",
    "GIT_PREFIX",
    "GIT_EDITOR",
    "PRE_COMMIT",
    "XDG_CACHE_HOME",
    "GITHUB_ACTIONS",
    "GITHUB_EVENT_NAME",
    "GITHUB_EVENT_PATH",
    "GITHUB_TOKEN",
    "GITHUB_API_URL",
    # CI's own variables turn the scan cache off: tests behave alike on a laptop and in CI
    "CI",
    "GITLAB_CI",
    "BUILDKITE",
    "JENKINS_URL",
    "TF_BUILD",
    "AI_GOVERNANCE_SCAN_CACHE",
    # a GitLab job's own, should the tests run in one
    "CI_PIPELINE_SOURCE",
    "CI_API_V4_URL",
    "CI_MERGE_REQUEST_PROJECT_ID",
    "CI_MERGE_REQUEST_IID",
    "CI_MERGE_REQUEST_DIFF_BASE_SHA",
    "CI_MERGE_REQUEST_EVENT_TYPE",
    "CI_MERGE_REQUEST_SOURCE_BRANCH_SHA",
    "CI_PROJECT_DIR",
    "CI_COMMIT_SHA",
    "CI_CONFIG_PATH",
    "AI_GOVERNANCE_GITLAB_TOKEN",
)


@pytest.fixture(scope="session")
def caches(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder for the caches of the tools the tests run (pre-commit's environments,
    Bandit's plugin index, matplotlib's fonts): shared by the session, never the user's."""
    return tmp_path_factory.mktemp("caches")


@pytest.fixture(autouse=True)
def isolated(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch, caches: Path
) -> None:
    for name in _SCRUB:
        monkeypatch.delenv(name, raising=False)
    home = tmp_path_factory.mktemp("home")
    (home / ".gitconfig").write_text(
        "[user]\n\tname = Test User\n\temail = test@example.com\n"
        "[init]\n\tdefaultBranch = main\n[commit]\n\tgpgsign = false\n[core]\n\tautocrlf = false\n"
    )
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("AI_GOVERNANCE_CACHE", str(home / "cache"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(caches / "xdg"))
    monkeypatch.setenv("PRE_COMMIT_HOME", str(caches / "pre-commit"))
    monkeypatch.setenv("MPLCONFIGDIR", str(caches / "matplotlib"))
    monkeypatch.setenv("VIRTUALENV_OVERRIDE_APP_DATA", str(caches / "virtualenv"))
    # Hooks started by git find the ai-governance of the Python running the tests.
    bindir = str(Path(sys.executable).parent)
    monkeypatch.setenv("PATH", f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}")


def zizmor_clean(path: Path) -> None:
    """zizmor (offline) finds nothing in the workflow or action at ``path``."""
    done = subprocess.run(
        ["zizmor", "--offline", "--no-progress", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def valid_workflow(path: Path) -> Any:
    """The workflow at ``path``, valid against SchemaStore's schema and zizmor-clean."""
    import json

    import jsonschema
    import yaml

    data = yaml.safe_load(path.read_text())
    data["on"] = data.pop(True)  # YAML 1.1 reads the key `on` as true; GitHub does not
    jsonschema.validate(
        data, json.loads((FIXTURES / "schemas" / "github-workflow.json").read_text())
    )
    zizmor_clean(path)
    return data


def git(repo: Path, *args: str, env: dict[str, str] | None = None, stdin: str = "") -> str:
    done = subprocess.run(
        ["git", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **(env or {})},
        input=stdin,
    )
    return done.stdout


def try_commit(cwd: Path, message: str, *args: str) -> subprocess.CompletedProcess[str]:
    """``git commit`` with its hooks, as a developer runs it; output is stdout + stderr."""
    return subprocess.run(
        ["git", "commit", "-q", *args, "-F", "-"],
        cwd=cwd,
        input=message,
        capture_output=True,
        text=True,
        check=False,
    )


class Repo:
    """A real repository in a temporary folder, committed to with plain git."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.mkdir(parents=True)
        git(path, "init", "-q")
        git(path, "config", "commit.cleanup", "verbatim")

    def write(self, name: str, content: str | bytes) -> Path:
        target = self.path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content)
        return target

    def commit(
        self,
        message: str,
        *,
        files: dict[str, str] | None = None,
        author: str | None = None,
        committer: str | None = None,
    ) -> str:
        for name, content in (files or {"file.txt": message}).items():
            self.write(name, content)
            git(self.path, "add", "--", name)
        env: dict[str, str] = {}
        for role, who in (("AUTHOR", author), ("COMMITTER", committer)):
            if who:
                name, email = who.rsplit(" <", 1)
                env |= {f"GIT_{role}_NAME": name, f"GIT_{role}_EMAIL": email.rstrip(">")}
        git(
            self.path,
            "commit",
            "-q",
            "--no-verify",
            "--allow-empty",
            "-F",
            "-",
            env=env,
            stdin=message,
        )
        return self.head()

    def head(self) -> str:
        return git(self.path, "rev-parse", "HEAD").strip()

    def add_submodule(self, other: Repo, name: str) -> None:
        """Stage ``other`` as a submodule at ``name`` (a local clone, allowed explicitly)."""
        git(
            self.path,
            "-c",
            "protocol.file.allow=always",
            "submodule",
            "add",
            "-q",
            str(other.path),
            name,
        )


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    return Repo(tmp_path / "repo")


@pytest.fixture
def chdir_repo(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> Repo:
    monkeypatch.chdir(repo.path)
    return repo


def judge(cwd: Path, *args: str) -> tuple[int, list[str]]:
    """``ai-governance ARGS`` in ``cwd``: (exit code, stdout lines)."""
    before = os.getcwd()
    os.chdir(cwd)
    try:
        out = StringIO()
        with redirect_stdout(out):
            code = main(list(args))
    finally:
        os.chdir(before)
    return code, out.getvalue().splitlines()


def git_trailers(text: str) -> list[str]:
    """The trailers git itself reads in a message (``git interpret-trailers --parse``)."""
    done = subprocess.run(
        ["git", "interpret-trailers", "--parse"],
        input=text,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.splitlines()


def make_policy(text: str, name: str = "p.yml") -> Policy:
    """A Policy from YAML text, through the same strict load and validation as the CLI."""
    data, where = validated(name, text.encode())
    return build(data, name, where, catalogue())
