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
