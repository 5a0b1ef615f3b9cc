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
