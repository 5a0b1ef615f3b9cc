"""The prepare-commit-msg stage through real git: it adds the disclosure the commit-msg
stage would otherwise refuse, for every source git names, and touches nothing else."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, Repo, git, judge, try_commit

CLAUDE = "Co-Authored-By: Claude Opus 4.6 <noreply@anthropic.com>"


@pytest.fixture
def hooked(repo: Repo) -> Repo:
    """Both plain hooks installed the way their headers say."""
    hooks = repo.path / ".githooks"
    hooks.mkdir()
    for hook in ("prepare-commit-msg", "commit-msg"):
        shutil.copy2(ROOT / "hooks" / hook, hooks / hook)
    git(repo.path, "config", "core.hooksPath", ".githooks")
    git(repo.path, "config", "commit.cleanup", "default")  # as a developer's git does
    repo.commit("Initial")
    return repo


def message(repo: Repo, rev: str = "HEAD") -> str:
    return git(repo.path, "log", "-1", "--format=%B", rev)


def stage(repo: Repo, name: str) -> None:
    repo.write(name, name)
    git(repo.path, "add", name)


def test_a_vendor_co_author_gains_the_disclosure_and_the_commit_passes(hooked: Repo) -> None:
    stage(hooked, "a.py")
    made = try_commit(hooked.path, f"Add a\n\n{CLAUDE}\n")
    assert made.returncode == 0, made.stdout + made.stderr
    assert message(hooked) == f"Add a\n\n{CLAUDE}\nAssisted-by: Claude Code\n\n"
    # git sends a commit hook's output to stderr
    assert made.stderr == "ai-governance: ai-disclosure: added `Assisted-by: Claude Code`\n"


def test_an_agent_session_is_disclosed_with_git_commit_m(hooked: Repo) -> None:
    stage(hooked, "b.py")
    env = {**os.environ, "CLAUDE_CODE_CHILD_SESSION": "1"}
    made = subprocess.run(
        ["git", "commit", "-q", "-m", "Add b"],
        cwd=hooked.path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert made.returncode == 0, made.stdout + made.stderr
    assert message(hooked) == "Add b\n\nAssisted-by: Claude Code\n\n"


def test_a_human_commit_is_untouched(hooked: Repo) -> None:
    stage(hooked, "c.py")
    text = "Add c\n\nA body that mentions Claude, aider (aider) and Copilot in prose.\n"
    made = try_commit(hooked.path, text)
    assert (made.returncode, made.stdout, made.stderr) == (0, "", "")
    assert message(hooked) == text + "\n"


def test_never_twice_even_when_amended(hooked: Repo) -> None:
    stage(hooked, "d.py")
    assert (
        try_commit(hooked.path, f"Add d\n\n{CLAUDE}\nAssisted-by: Claude Code\n").returncode == 0
    )
    again = git(hooked.path, "commit", "-q", "--amend", "--no-edit")
    assert again == ""
    assert message(hooked).count("Assisted-by") == 1


def test_amending_an_undisclosed_commit_discloses_it(hooked: Repo) -> None:
    hooked.commit(f"Add e\n\n{CLAUDE}\n", files={"e.py": "e"})  # --no-verify: no hooks ran
    env = {**os.environ, "GIT_EDITOR": "true"}
    done = subprocess.run(
        ["git", "commit", "-q", "--amend"], cwd=hooked.path, env=env, capture_output=True,
        text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert message(hooked) == f"Add e\n\n{CLAUDE}\nAssisted-by: Claude Code\n\n"


def test_a_squash_merge_of_ai_commits_is_disclosed(hooked: Repo) -> None:
    git(hooked.path, "checkout", "-q", "-b", "topic")
    hooked.commit(f"Work\n\n{CLAUDE}\nAssisted-by: Claude Code\n", files={"f.py": "f"})
    git(hooked.path, "checkout", "-q", "main")
    git(hooked.path, "merge", "-q", "--squash", "topic")
    env = {**os.environ, "GIT_EDITOR": "true"}
    done = subprocess.run(
        ["git", "commit", "-q"], cwd=hooked.path, env=env, capture_output=True, text=True,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    squashed = message(hooked)
    assert squashed.startswith("Squashed commit of the following:")
    assert squashed.endswith("\n\nAssisted-by: Claude Code\n\n")


def test_an_editor_session_gets_nothing_before_a_message_exists(
    hooked: Repo, tmp_path: Path
) -> None:
    """With nothing written yet a trailer would become the subject of an empty commit."""
    stage(hooked, "g.py")
    seen = tmp_path / "seen"
    env = {
        **os.environ,
        "CLAUDE_CODE_CHILD_SESSION": "1",
        "GIT_EDITOR": f"cp .git/COMMIT_EDITMSG {seen} && printf 'Add g\\n' >",
    }
    subprocess.run(["git", "commit", "-q"], cwd=hooked.path, env=env, check=False)
    assert "Assisted-by" not in seen.read_text()


def test_the_source_argument_is_checked(hooked: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    (hooked.path / "msg").write_text("Add\n")
    assert judge(hooked.path, "hook", "prepare-commit-msg", "msg", "bogus")[0] == 2
    assert "prepare-commit-msg source 'bogus'" in capsys.readouterr().err


def test_the_quick_path_reads_the_same_arguments_as_argparse() -> None:
    from ai_governance import arguments
    from ai_governance.cli import quick_hook_args

    for argv in (
        ["hook", "prepare-commit-msg", "MSG"],
        ["hook", "prepare-commit-msg", "MSG", "message"],
        ["hook", "prepare-commit-msg", "--policy", "p.yml", "MSG", "commit", "abc123"],
    ):
        quick = vars(quick_hook_args(argv))
        full = vars(arguments.parse(argv))
        assert {k: quick[k] for k in full} == full
