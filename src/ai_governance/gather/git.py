"""The one module that talks to git: plumbing, ``-z`` and bytes, never a shell."""

from __future__ import annotations

import os

from ai_governance.change import ChangedFile, Commit, Identity
from ai_governance.errors import GitError

_STATUS = {
    "A": "added",
    "M": "modified",
    "D": "deleted",
    "R": "renamed",
    "C": "copied",
    "T": "type-changed",
    "U": "unmerged",
}
_LOG_FIELDS = ("%H", "%P", "%an", "%ae", "%cn", "%ce", "%B")


def run(args: list[str], cwd: str | None = None) -> bytes:
    # Imported here: the commit-msg hook often needs no git process at all.
    import subprocess  # nosec B404: git is run with an argument list, never a shell

    try:
        done = subprocess.run(  # nosec B603 B607: git from PATH, as the hooks themselves run
            ["git", *args], cwd=cwd, capture_output=True, check=False
        )
    except FileNotFoundError:
        raise GitError("git is not installed or not on PATH") from None
    if done.returncode:
        error = done.stderr.decode("utf-8", "replace").strip()
        raise GitError(f"`git {' '.join(args)}` failed: {error}")
    return done.stdout


def text(raw: bytes) -> str:
    return raw.decode("utf-8", "replace")


def toplevel(start: str) -> str | None:
    """The work tree root at or above ``start``, found without starting a process."""
    folder = os.path.abspath(start)
    while True:
        if os.path.exists(os.path.join(folder, ".git")):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def verify_commit(revision: str, cwd: str | None = None) -> None:
    """GitError naming ``revision`` unless it names a commit (options are not revisions)."""
    if revision.startswith("-"):
        raise GitError(f"{revision!r} is not a revision")
    try:
        run(
            ["rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}"], cwd
        )
    except GitError:
        empty = revision == "HEAD" and not run(["rev-list", "-n1", "--all"], cwd).strip()
        hint = " (the repository has no commits yet)" if empty else ""
        raise GitError(f"{revision!r} is not a commit in this repository{hint}") from None


def identity(variable: str, cwd: str | None = None) -> Identity | None:
    """``GIT_AUTHOR_IDENT``/``GIT_COMMITTER_IDENT`` as git would write it now."""
    kind = variable.split("_")[1]
    name, email = os.environ.get(f"GIT_{kind}_NAME"), os.environ.get(f"GIT_{kind}_EMAIL")
    if name is not None and email is not None:
        return Identity(name, email)
    try:
        ident = text(run(["var", variable], cwd)).strip()
    except GitError:
        return None
    name_part, _, rest = ident.partition(" <")
    return Identity(name_part, rest.split(">", 1)[0])


def log(revisions: list[str], cwd: str | None = None) -> tuple[Commit, ...]:
    fields = "%x00".join(_LOG_FIELDS)
    raw = run(["log", "-z", f"--format={fields}", *revisions, "--"], cwd)
    parts = raw.split(b"\0")
    commits = []
    for at in range(0, len(parts) - len(_LOG_FIELDS) + 1, len(_LOG_FIELDS)):
        sha, parents, an, ae, cn, ce, body = (text(p) for p in parts[at : at + len(_LOG_FIELDS)])
        commits.append(
            Commit(
                sha, body.rstrip("\n"), Identity(an, ae), Identity(cn, ce), len(parents.split())
            )
        )
    return tuple(commits)


def name_status(raw: bytes) -> tuple[ChangedFile, ...]:
    """Parse ``--name-status -z`` output; paths keep undecodable bytes as escapes."""
    parts = raw.split(b"\0")
    files, at = [], 0
    while at < len(parts) - 1:
        status = text(parts[at])
        kind = _STATUS.get(status[:1], status)
        if status[:1] in "RC":
            old, new = (p.decode("utf-8", "surrogateescape") for p in parts[at + 1 : at + 3])
            files.append(ChangedFile(new, kind, old))
            at += 3
        else:
            files.append(ChangedFile(parts[at + 1].decode("utf-8", "surrogateescape"), kind))
            at += 2
    return tuple(sorted(files, key=lambda f: f.path))


def staged_files(cwd: str | None = None) -> tuple[ChangedFile, ...]:
    return name_status(
        run(["diff", "--cached", "--name-status", "-z", "-M", "--no-ext-diff"], cwd)
    )


def range_files(base: str | None, head: str, cwd: str | None = None) -> tuple[ChangedFile, ...]:
    if base is None:
        args = ["diff-tree", "-r", "--root", "-M", "--name-status", "-z", "--no-commit-id", head]
        return name_status(run(args, cwd))
    return name_status(run(["diff", "--name-status", "-z", "-M", f"{base}...{head}", "--"], cwd))
