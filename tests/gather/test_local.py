"""Changes gathered from real repositories: ranges, staged files, message files."""

from __future__ import annotations

import pytest
from conftest import Repo, git

from ai_governance.change import ChangedFile, Identity
from ai_governance.errors import GitError, UsageError
from ai_governance.gather import local
from ai_governance.gather.git import toplevel


def brief(files: tuple[ChangedFile, ...]) -> list[tuple[str, str, str | None]]:
    return [(f.path, f.status, f.old_path) for f in files]


def test_range_lists_every_commit_with_identities(repo: Repo) -> None:
    base = repo.commit("Initial")
    one = repo.commit("Human change", files={"a.py": "a = 1\n"})
    two = repo.commit(
        "Aider change", files={"b b.py": "b = 2\n"}, author="Paul (aider) <paul@example.com>"
    )
    change = local.from_range(f"{base}..HEAD", str(repo.path))
    assert [c.sha for c in change.commits] == [two, one]
    assert change.commits[0].author == Identity("Paul (aider)", "paul@example.com")
    assert change.commits[0].committer == Identity("Test User", "test@example.com")
    assert change.commits[0].message == "Aider change"
    assert brief(change.files) == [("a.py", "added", None), ("b b.py", "added", None)]


def test_single_revision_and_root_commit(repo: Repo) -> None:
    root = repo.commit("First\n\nbody", files={"x.txt": "x"})
    change = local.from_range("HEAD", str(repo.path))
    assert [c.sha for c in change.commits] == [root]
    assert brief(change.files) == [("x.txt", "added", None)]


def test_renames_deletions_and_odd_names(repo: Repo) -> None:
    repo.commit(
        "Base",
        files={
            "old.py": "print('hello world')\n" * 5,
            "gone.txt": "x",
            "caf\u00e9 n\u00e4me.txt": "y",
        },
    )
    git(repo.path, "mv", "old.py", "new.py")
    git(repo.path, "rm", "-q", "gone.txt")
    repo.write("line\nbreak.txt", "z")
    git(repo.path, "add", "-A")
    staged = local.from_staged(str(repo.path))
    assert staged.stage == "pre-commit"
    assert brief(staged.files) == [
        ("gone.txt", "deleted", None),
        ("line\nbreak.txt", "added", None),
        ("new.py", "renamed", "old.py"),
    ]


def test_staged_in_an_empty_repository(repo: Repo) -> None:
    repo.write("first.py", "x = 1\n")
    git(repo.path, "add", "first.py")
    assert brief(local.from_staged(str(repo.path)).files) == [("first.py", "added", None)]


def test_bad_range_and_not_a_repository(repo: Repo, tmp_path: object) -> None:
    repo.commit("One")
    with pytest.raises(GitError, match=r"^'nope' is not a commit in this repository$"):
        local.from_range("nope..HEAD", str(repo.path))
    with pytest.raises(UsageError, match=r"use BASE\.\.HEAD"):
        local.from_range("a...b", str(repo.path))


def test_message_file_cleanup_and_encodings(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_AUTHOR_NAME", "Ann")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "ann@example.com")
    git(repo.path, "config", "--unset", "commit.cleanup")  # git's default, as users have it
    crlf = repo.write("crlf.txt", b"Subject\r\n\r\nAssisted-by: Cursor\r\n# comment\r\n")
    change = local.from_message_file(str(crlf), str(repo.path), with_files=False)
    assert change.commits[0].message == "Subject\n\nAssisted-by: Cursor"
    assert change.commits[0].author == Identity("Ann", "ann@example.com")
    assert change.commits[0].committer is None
    latin = repo.write(
        "latin.txt", "R\u00e9sum\u00e9 \u00e0 jour\n\nAssisted-by: Aider\n".encode("latin-1")
    )
    message = (
        local.from_message_file(str(latin), str(repo.path), with_files=False).commits[0].message
    )
    assert message == "R\u00e9sum\u00e9 \u00e0 jour\n\nAssisted-by: Aider"
    with pytest.raises(UsageError, match="cannot read the commit message: No such file"):
        local.from_message_file(str(repo.path / "missing"), str(repo.path), with_files=False)


def test_toplevel_from_a_subdirectory(repo: Repo) -> None:
    (repo.path / "a" / "b").mkdir(parents=True)
    assert toplevel(str(repo.path / "a" / "b")) == str(repo.path)
    assert toplevel("/") is None
