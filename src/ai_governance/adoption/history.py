"""History as a stream of commits: one ``git log -z``, read in chunks, constant memory."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from ai_governance.errors import GitError

FORMAT = "%H%x00%P%x00%an%x00%ae%x00%cn%x00%ce%x00%aI%x00%B"
FIELDS = 8
CHUNK = 1 << 20


class Raw(NamedTuple):
    """One commit as git printed it; decoded only when it is read in full."""

    sha: bytes
    parents: bytes
    author_name: bytes
    author_email: bytes
    committer_name: bytes
    committer_email: bytes
    date: bytes  # ISO 8601, author date
    message: bytes


def log_args(
    revisions: list[str], since: str | None, until: str | None, merges: bool
) -> list[str]:
    args = ["log", "-z", f"--format={FORMAT}"]
    args += [f"--since={since}"] if since else []
    args += [f"--until={until}"] if until else []
    args += [] if merges else ["--no-merges"]
    return [*args, *(revisions or ["HEAD"]), "--"]


def chunks(args: list[str], cwd: str | None) -> Iterator[list[Raw]]:
    """Lists of whole commits, as ``git`` writes them (a chunk at a time)."""
    import subprocess  # nosec B404

    with subprocess.Popen(  # nosec B603 B607
        ["git", *args], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as process:
        if process.stdout is None or process.stderr is None:
            raise GitError("git log started without pipes")
        fields: list[bytes] = []  # whole fields not yet grouped into a commit
        partial = b""  # a field cut by the end of the previous block
        while block := process.stdout.read(CHUNK):
            parts = (partial + block).split(b"\0")
            partial = parts.pop()
            fields.extend(parts)
            whole = len(fields) // FIELDS * FIELDS
            yield [Raw(*fields[at : at + FIELDS]) for at in range(0, whole, FIELDS)]
            del fields[:whole]
        error = process.stderr.read().decode("utf-8", "replace").strip()
    if process.returncode:
        raise GitError(f"`git {' '.join(args)}` failed: {error}")
    if fields or partial:
        raise GitError("git log ended in the middle of a commit; nothing was counted")
