"""The commit-msg hook starts listing the staged files while it reads the message's
settings when the message may show AI: the listing is used when it does, and ended (no
process left behind) when it does not."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import Repo, git

from ai_governance.cli import main

SHELL = "import subprocess\nsubprocess.call(input(), shell=True)\n"


def _no_children_left() -> bool:
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


@pytest.mark.parametrize(
    ("message", "code"),
    [
        ("Add a tool\n\nAssisted-by: Claude Code\n", 1),  # AI: the staged file is scanned
        ("Add a tool\n\nAssisted-by: none\n", 0),  # a needle, but no AI: nothing scanned
        ("Add a tool\n", 0),  # no needle: nothing started
    ],
    ids=["ai", "needle-no-ai", "person"],
)
def test_the_staged_listing_is_used_or_ended(
    chdir_repo: Repo,
    tmp_path: Path,
    message: str,
    code: int,
    capsys: pytest.CaptureFixture[str],
) -> None:
    chdir_repo.write("tool.py", SHELL)
    git(chdir_repo.path, "add", "tool.py")
    (tmp_path / "MSG").write_text(message)
    assert main(["hook", "commit-msg", str(tmp_path / "MSG")]) == code
    out = capsys.readouterr().out
    assert ("B602" in out) is (code == 1)
    assert _no_children_left()


@pytest.mark.parametrize("stage", ["commit-msg", "prepare-commit-msg"])
def test_the_settings_read_early_are_ended_whatever_fails(
    chdir_repo: Repo, tmp_path: Path, stage: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """git reads the message's settings while the tool is imported: a policy that fails
    to load, or a message file that cannot be read, leaves no git behind."""
    (tmp_path / "MSG").write_text("Add a tool\n")
    chdir_repo.write(".ai-governance.yml", "version: 1\nrules: [\n")
    assert main(["hook", stage, str(tmp_path / "MSG")]) == 2
    assert "nothing was judged" in capsys.readouterr().err
    assert _no_children_left()
    (chdir_repo.path / ".ai-governance.yml").unlink()
    assert main(["hook", stage, str(tmp_path / "missing")]) == 2
    assert "cannot read the commit message" in capsys.readouterr().err
    assert _no_children_left()


def test_settings_read_early_judge_as_read_late(
    chdir_repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The hook (settings read while importing) and `check --commit-msg` (read when
    needed) clean the message alike: a trailer on a comment line of an odd comment
    character is gone, and under the default one it is evidence."""
    message = tmp_path / "MSG"
    message.write_text(
        "Add a tool\n\n; Generated with [Claude Code](https://claude.com/claude-code)\n"
    )
    git(chdir_repo.path, "config", "core.commentChar", ";")
    git(chdir_repo.path, "config", "commit.cleanup", "strip")
    assert main(["hook", "commit-msg", str(message)]) == 0
    assert main(["check", "--commit-msg", str(message)]) == 0
    git(chdir_repo.path, "config", "--unset", "core.commentChar")
    assert main(["hook", "commit-msg", str(message)]) == 1
    assert main(["check", "--commit-msg", str(message)]) == 1
    capsys.readouterr()
    git(chdir_repo.path, "config", "commit.cleanup", "bogus")
    assert main(["hook", "commit-msg", str(message)]) == 2
    assert capsys.readouterr().err == (
        "ai-governance: usage error: commit.cleanup='bogus' is not a cleanup mode git knows\n"
    )
    assert _no_children_left()
