"""Fault battery: commit messages that are odd, hostile or huge, judged as git stores them."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

import pytest
from conftest import Repo, git

from ai_governance.cli import main

AI = "Co-Authored-By: Claude Opus 4.6 <noreply@anthropic.com>"

# The commit-msg hook writes what the tool will judge; git then stores its own cleanup.
JUDGE = f"""#!{sys.executable}
import os, sys
from ai_governance.gather.local import read_message
with open(os.environ["JUDGED_TO"], "w", encoding="utf-8", newline="") as out:
    out.write(read_message(sys.argv[1], os.getcwd()))
"""
# An editor that puts the message above git's template, as a person typing would.
EDITOR = """#!/bin/sh
{ cat "$MESSAGE_TEXT"; cat "$1"; } > "$1.new" && mv "$1.new" "$1"
"""
MESSAGE = (
    "Subject line   \n\n\n\nBody\t\n# a hash line\n; a semicolon line\n\n"
    f"Assisted-by: Aider\n{AI}\n"
)
SCISSORS = "# ------------------------ >8 ------------------------\ndiff --git a/x b/x\n"


def _script(path: Path, text: str) -> str:
    path.write_text(text)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


@pytest.mark.parametrize("edited", [True, False], ids=["editor", "message-file"])
@pytest.mark.parametrize(
    "config",
    [
        {},
        {"core.commentChar": ";"},
        {"core.commentChar": "auto"},
        {"commit.cleanup": "strip"},
        {"commit.cleanup": "whitespace"},
        {"commit.cleanup": "verbatim"},
        {"commit.cleanup": "scissors"},
        {"commit.cleanup": "scissors", "core.commentChar": ";"},
    ],
    ids=lambda c: ",".join(f"{k}={v}" for k, v in c.items()) or "defaults",
)
def test_the_judged_message_is_the_one_git_stores(
    repo: Repo, tmp_path: Path, config: dict[str, str], edited: bool
) -> None:
    git(repo.path, "config", "--unset", "commit.cleanup")
    for key, value in config.items():
        git(repo.path, "config", key, value)
    hook = repo.path / ".git" / "hooks" / "commit-msg"
    _script(hook, JUDGE)
    text = tmp_path / "text"
    comment = ";" if config.get("core.commentChar") == ";" else "#"
    text.write_text(MESSAGE + SCISSORS.replace("#", comment))
    judged = tmp_path / "judged"
    env = {"JUDGED_TO": str(judged), "MESSAGE_TEXT": str(text)}
    if edited:
        env["GIT_EDITOR"] = _script(tmp_path / "editor", EDITOR)
        git(repo.path, "commit", "-q", "-v", "--allow-empty", env=env)
    else:
        git(repo.path, "commit", "-q", "--allow-empty", "-F", str(text), env=env)
    stored = git(repo.path, "log", "-1", "--format=%B")
    verbatim = config.get("commit.cleanup") == "verbatim"
    assert judged.read_bytes().decode() + ("" if verbatim else "\n") == stored[:-1]


def test_without_an_editor_nothing_below_a_scissors_line_is_cut(
    chdir_repo: Repo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``git commit -F`` keeps ``#`` lines and what follows a scissors line, so a disclosure
    above them is no longer in the last paragraph; from an editor, both go."""
    git(chdir_repo.path, "config", "--unset", "commit.cleanup")
    message = chdir_repo.write("MSG", f"Add\n\n{AI}\nAssisted-by: Claude Code\n{SCISSORS}")
    assert main(["hook", "commit-msg", str(message)]) == 0
    monkeypatch.setenv("GIT_EDITOR", ":")  # what git sets for a hook when no editor ran
    assert main(["hook", "commit-msg", str(message)]) == 1
    assert "(`Assisted-by:` on line 4 is outside git's trailer block)" in capsys.readouterr().out


def test_a_message_with_nul_bytes_is_judged_not_crashed_on(
    chdir_repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    message = chdir_repo.write("MSG", f"Add\0cache\n\n{AI}\n".encode())
    assert main(["hook", "commit-msg", str(message)]) == 1
    out = capsys.readouterr().out
    assert "FAIL  ai-disclosure (disclosure, enforce): 1 of 1 AI-assisted commit(s)" in out


def test_ten_thousand_lines(chdir_repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    body = "".join(f"line {n}\n" for n in range(10_000))
    message = chdir_repo.write("MSG", f"Add\n\n{body}\n{AI}\n")
    assert main(["hook", "commit-msg", str(message)]) == 1
    assert (
        "      Claude Code: trailer (line 10004): Co-Authored-By: Claude Opus 4.6"
        " <noreply@anthropic.com>\n" in capsys.readouterr().out
    )
    disclosed = chdir_repo.write("MSG", f"Add\n\n{body}\n{AI}\nAssisted-by: Claude Code\n")
    assert main(["hook", "commit-msg", str(disclosed)]) == 0


@pytest.mark.parametrize(
    ("key", "typed_with"),
    [
        ("Assisted\u200b-by", "U+200B ZERO WIDTH SPACE"),
        ("Assisted-\u200dby", "U+200D ZERO WIDTH JOINER"),
        ("\ufeffAssisted-by", "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
        ("Assisted\u2010by", "U+2010 HYPHEN"),
        ("Assisted\u2011by", "U+2011 NON-BREAKING HYPHEN"),
        ("Assisted\u2013by", "U+2013 EN DASH"),
        ("Assisted\u2212by", "U+2212 MINUS SIGN"),
        ("Assisted\uff0dby", "U+FF0D FULLWIDTH HYPHEN-MINUS"),
        ("\u0410ssisted-by", None),  # Cyrillic A: a different key, not a look-alike fold
    ],
)
def test_look_alike_trailer_keys_do_not_disclose(
    chdir_repo: Repo, capsys: pytest.CaptureFixture[str], key: str, typed_with: str | None
) -> None:
    message = chdir_repo.write("MSG", f"Add\n\n{AI}\n{key}: Claude Code\n")
    assert main(["hook", "commit-msg", str(message)]) == 1
    out = capsys.readouterr().out
    note = f" (line 4 looks like `Assisted-by:` but is typed with {typed_with})"
    assert ("lack a valid `Assisted-by:` trailer" in out, note in out) == (
        True,
        typed_with is not None,
    )
    assert (
        "fix: add this line as the last paragraph of the message: Assisted-by: Claude Code" in out
    )
