"""hooks/: the plain git hook, for repositories without the pre-commit framework."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from conftest import ROOT, Repo, git, try_commit


def install(repo: Repo, hook: str) -> None:
    """Install hooks/HOOK the way its header says: a hooks folder git is pointed at."""
    hooks = repo.path / ".githooks"
    hooks.mkdir(exist_ok=True)
    shutil.copy2(ROOT / "hooks" / hook, hooks / hook)
    git(repo.path, "config", "core.hooksPath", ".githooks")


def test_plain_commit_msg_hook_refuses_and_allows(repo: Repo) -> None:
    install(repo, "commit-msg")
    repo.write("a.txt", "a")
    git(repo.path, "add", "a.txt")
    ai = "Add a\n\nCo-authored-by: aider (gpt-5) <aider@aider.chat>\n"
    refused = try_commit(repo.path, ai)
    assert refused.returncode == 1
    assert (
        "fix: add this line directly below the trailers at the end of the message: Assisted-by: Aider"
        in (refused.stdout + refused.stderr)
    )
    made = try_commit(repo.path, ai + "Assisted-by: Aider\n")
    assert made.returncode == 0, made.stdout + made.stderr


@pytest.mark.parametrize("hook", ["commit-msg", "pre-commit"])
def test_plain_hook_fails_closed_without_the_tool(repo: Repo, hook: str) -> None:
    env = {**os.environ, "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        ["sh", str(ROOT / "hooks" / hook), "MSG"],
        cwd=repo.path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stderr) == (
        1,
        "ai-governance is not installed (its package is ai-change-governance; see"
        " docs/install.md); commit refused.\n",
    )


def test_plain_pre_commit_hook_scans_the_staged_content(repo: Repo) -> None:
    install(repo, "pre-commit")
    repo.write("app.py", "import subprocess\nsubprocess.call(input(), shell=True)\n")
    git(repo.path, "add", "app.py")
    refused = try_commit(repo.path, "Add app\n")
    assert refused.returncode == 1
    assert "app.py:2: B602 subprocess_popen_with_shell_equals_true" in refused.stderr
    repo.write("app.py", "print(input())\n")
    git(repo.path, "add", "app.py")
    assert try_commit(repo.path, "Add app\n").returncode == 0


def test_an_ai_commit_is_held_locally_to_the_thresholds_ci_holds_it_to(repo: Repo) -> None:
    """The default policy scans AI-assisted changes at severity low: the pre-commit stage
    cannot know the commit is AI-assisted, the commit-msg stage can, and refuses exactly what
    the pull request check would."""
    from conftest import judge

    install(repo, "pre-commit")
    install(repo, "commit-msg")
    repo.commit("Initial")
    repo.write("tool.py", "import subprocess\n")  # B404: severity low
    git(repo.path, "add", "tool.py")
    ai = "Add tool\n\nAssisted-by: Claude Code\n"
    refused = try_commit(repo.path, ai)
    assert refused.returncode == 1
    assert (
        "FAIL  bandit (security-scan, enforce): 1 Python file(s) scanned at severity >= low,"
        " confidence >= medium (stricter: AI-assisted): 1 finding(s) introduced by the change"
    ) in refused.stderr
    assert "tool.py:1: B404 blacklist" in refused.stderr
    git(repo.path, "commit", "-q", "--no-verify", "-F", "-", stdin=ai)
    ci = judge(repo.path, "check", "--range", "HEAD~1..HEAD")
    assert ci[0] == 1  # CI refuses the same commit, for the same finding
    assert any("tool.py:1: B404 blacklist" in line for line in ci[1])
    git(repo.path, "reset", "-q", "--soft", "HEAD~1")
    human = try_commit(repo.path, "Add tool\n")
    assert human.returncode == 0, human.stdout + human.stderr  # severity medium: no finding
