"""Changes gathered from real repositories: ranges, staged files, message files."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Repo, git

from ai_governance.change import ChangedFile, Identity
from ai_governance.errors import GitError, UsageError
from ai_governance.gather import git as git_module
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


def _blob(repo: Repo, name: str) -> str:
    return git(repo.path, "rev-parse", name).strip()


def test_prefetched_contents_give_the_same_change(repo: Repo) -> None:
    repo.commit("Base", files={"app.py": "x = 1\n", "lib.py": "y = 1\n", "big.py": "z = 0\n"})
    repo.write("app.py", "x = 2\n")
    repo.write("new.py", "n = 1\n")
    repo.write("big.py", "z = 1\n" * 200_000)  # 1.2 MB: over what a prefetch keeps
    git(repo.path, "add", "-A")
    paths = ["app.py", "big.py", "lib.py", "new.py", "absent.py"]
    plain = local.from_staged(str(repo.path), paths=paths, max_bytes=2_000_000)
    ready = local.prefetch_staged(str(repo.path), paths)
    fetched = local.from_staged(str(repo.path), paths=paths, max_bytes=2_000_000, ready=ready)
    assert fetched == plain
    assert [(f.path, f.status, f.base) for f in fetched.files] == [
        ("app.py", "modified", b"x = 1\n"),
        ("big.py", "modified", b"z = 0\n"),
        ("lib.py", "unchanged", b"y = 1\n"),
        ("new.py", "added", None),
    ]
    assert len(fetched.files[1].content or b"") == 1_200_000


def test_prefetch_gives_objects_by_the_id_git_read(repo: Repo) -> None:
    """What was read early is only ever used as the object it is: a file staged again
    after the prefetch is read as staged now."""
    repo.commit("Base", files={"app.py": "x = 1\n", "dir/f.txt": "f"})
    repo.write("app.py", "x = 2\n")
    git(repo.path, "add", "app.py")
    ready = local.prefetch_staged(str(repo.path), ["app.py", "dir"])
    repo.write("app.py", "x = 3\n")
    git(repo.path, "add", "app.py")
    change = local.from_staged(str(repo.path), paths=["app.py"], max_bytes=1000, ready=ready)
    assert [(f.content, f.base) for f in change.files] == [(b"x = 3\n", b"x = 1\n")]
    again = git_module.prefetch([":app.py", "HEAD:app.py", "HEAD:dir", ":nope"], str(repo.path))
    assert git_module.prefetched(again) == {
        _blob(repo, ":app.py"): (6, b"x = 3\n", b"x = 3"),
        _blob(repo, "HEAD:app.py"): (6, b"x = 1\n", b"x = 1"),
    }


def test_prefetch_asks_nothing_it_could_misread(repo: Repo) -> None:
    repo.commit("Base", files={"a.py": "a\n"})
    for names in ([], [":a.py", ":line\nbreak.py"], [":a.py", ":x\r"], [f":{'n' * 5000}"]):
        started = git_module.prefetch(names, str(repo.path))
        assert started.spawned is None
        assert git_module.prefetched(started) == {}


def test_prefetch_without_commits_or_outside_a_repository(repo: Repo, tmp_path: Path) -> None:
    repo.write("first.py", "x = 1\n")
    git(repo.path, "add", "first.py")
    ready = local.prefetch_staged(str(repo.path), ["first.py"])
    assert git_module.prefetched(ready) == {_blob(repo, ":first.py"): (6, b"x = 1\n", b"x = 1")}
    outside = tmp_path / "outside"
    outside.mkdir()
    assert git_module.prefetched(git_module.prefetch([":a.py"], str(outside))) == {}
