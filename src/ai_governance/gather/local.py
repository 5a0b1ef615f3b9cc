"""Named constructors of a Change from the local repository, one per front end."""

from __future__ import annotations

import os

from ai_governance.change import Change, Commit
from ai_governance.detect.trailers import cleanup
from ai_governance.errors import UsageError
from ai_governance.gather import git


def _environment() -> frozenset[str]:
    return frozenset(name for name, value in os.environ.items() if value)


def read_message(path: str) -> str:
    """The message file as git will store it: CRLF, comments and scissors handled."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the commit message: {exc.strerror}") from None
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError:
        decoded = raw.decode("latin-1")  # i18n.commitEncoding: markers are ASCII either way
    return cleanup(decoded)


def from_message_file(path: str, cwd: str, *, with_files: bool) -> Change:
    """The commit being made (commit-msg stage): its message, author and environment."""
    commit = Commit(
        sha=None,
        message=read_message(path),
        author=git.identity("GIT_AUTHOR_IDENT", cwd),
        committer=git.identity("GIT_COMMITTER_IDENT", cwd)
        if "GIT_COMMITTER_NAME" in os.environ or "GIT_AUTHOR_NAME" not in os.environ
        else None,
    )
    files = git.staged_files(cwd) if with_files else ()
    return Change("commit-msg", (commit,), files, environment=_environment())


def from_staged(cwd: str) -> Change:
    """What ``git commit`` would record now (pre-commit stage): the staged files."""
    return Change("pre-commit", (), git.staged_files(cwd), environment=_environment())


def from_range(spec: str, cwd: str) -> Change:
    """Every commit of ``BASE..HEAD`` (or the one commit ``REV``) with the files it changes."""
    if "..." in spec:
        raise UsageError(f"--range {spec}: use BASE..HEAD (two dots) or a single revision")
    if ".." in spec:
        base, head = spec.split("..", 1)
        base, head = base or "HEAD", head or "HEAD"
        git.verify_commit(base, cwd)
        git.verify_commit(head, cwd)
        commits = git.log([f"{base}..{head}"], cwd)
        return Change("range", commits, git.range_files(base, head, cwd))
    git.verify_commit(spec, cwd)
    commits = git.log(["--no-walk=unsorted", spec], cwd)
    return Change("range", commits, git.range_files(None, spec, cwd))
