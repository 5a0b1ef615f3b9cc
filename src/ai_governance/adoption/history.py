"""History as a stream of commits: one ``git log -z``, read in chunks as git writes it."""

from __future__ import annotations

import contextlib
import os
import re
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ai_governance.errors import GitError
from ai_governance.gather import git
from ai_governance.records import NamedTuple

if TYPE_CHECKING:
    import subprocess  # nosec B404

# The identities as written judge the commit (as ``check`` reads them); the author as
# ``.mailmap`` names them (%aN, %aE, as ``git log --use-mailmap``) is who is counted.
FORMAT = "%H%x00%P%x00%an%x00%ae%x00%cn%x00%ce%x00%aI%x00%B%x00%aN%x00%aE"
FIELDS = 10
CHUNK = 1 << 20
_OBJECT_ID = re.compile(rb"[0-9a-f]{40}|[0-9a-f]{64}")
# The patches ``--churn`` reads: exact hunks (no context, none merged), every name as git
# prints it in ---/+++ and rename lines, and nothing a user's configuration could change
# (colour, external or converted diffs, the diff algorithm, a relative view).
PATCH = (
    "-p",
    "-U0",
    "--inter-hunk-context=0",
    "--no-prefix",
    "-M",
    "--no-color",
    "--no-ext-diff",
    "--no-textconv",
    "--diff-algorithm=myers",
    "--no-relative",
)


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
    person: bytes = b""  # the author's name, as .mailmap maps it
    person_email: bytes = b""  # the author's email, as .mailmap maps it
    patch: bytes = b""  # with ``--churn``: the commit's patch (``PATCH``)


def log_args(
    revisions: list[str],
    since: str | None,
    until: str | None,
    merges: bool,
    *,
    patches: bool = False,
) -> list[str]:
    """``patches``: each commit's patch too; the format then starts with a NUL, which ends
    the previous commit's patch (git writes a patch after the commit's last NUL)."""
    args = ["log", *git.NEUTRAL_LOG, "-z"]
    args += [*PATCH, f"--format=%x00{FORMAT}"] if patches else [f"--format={FORMAT}"]
    args += [f"--since={since}"] if since else []
    args += [f"--until={until}"] if until else []
    args += [] if merges else ["--no-merges"]
    return [*args, *(revisions or ["HEAD"]), "--"]


class Git:
    """git writing to files (its output and its errors), started and not waited for.
    Spawned directly where the system can: importing ``subprocess`` costs the report 3 ms,
    a fiftieth of its time on a large history; elsewhere through ``subprocess``."""

    def __init__(self, argv: list[str], cwd: str | None, env: dict[str, str], out: int, err: int):
        self.returncode: int | None = None
        self.stopped: str | None = None  # git's errors, once ``stop`` has ended it
        self._popen: subprocess.Popen[bytes] | None = None
        self._pid = 0
        if not hasattr(os, "posix_spawnp"):
            import subprocess  # nosec B404

            self._popen = subprocess.Popen(  # nosec B603 B607
                argv, cwd=cwd, stdout=out, stderr=err, env=env
            )
            return
        if cwd is not None:
            argv = [argv[0], "-C", cwd, *argv[1:]]
        actions = [(os.POSIX_SPAWN_DUP2, out, 1), (os.POSIX_SPAWN_DUP2, err, 2)]
        self._pid = os.posix_spawnp(argv[0], argv, env, file_actions=actions)

    def poll(self) -> int | None:
        if self.returncode is None:
            if self._popen is not None:
                self.returncode = self._popen.poll()
            else:
                pid, status = os.waitpid(self._pid, os.WNOHANG)
                if pid:
                    self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def kill(self) -> None:
        if self.poll() is None:
            if self._popen is not None:
                self._popen.kill()
            else:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(self._pid, 9)  # SIGKILL (the signal module costs an import)

    def wait(self) -> int:
        if self.returncode is None:
            if self._popen is not None:
                self.returncode = self._popen.wait()
            else:
                self.returncode = os.waitstatus_to_exitcode(os.waitpid(self._pid, 0)[1])
        return self.returncode


def _follow(path_fd: int, process: Git) -> Iterator[bytes]:
    """Blocks of the file git is writing, as it grows, until git has exited and all is read.

    git writes to a temporary file rather than a pipe: measured a third faster for git,
    and this process reads it while it grows."""
    with os.fdopen(path_fd, "rb", closefd=False) as grown:
        while True:
            block = grown.read(CHUNK)
            if block:
                yield block
            elif process.poll() is None:
                time.sleep(0.002)
            elif not (block := grown.read()):
                return
            else:
                yield block


def _scratch() -> tuple[int, int, str]:
    """(write end, read end, path) of a new private file in the temporary folder, already
    unlinked where the system allows it. (``tempfile`` would cost this command 14 ms.)"""
    folders = [os.environ.get(n) for n in ("TMPDIR", "TEMP", "TMP")] + ["/tmp", "/var/tmp"]  # noqa: S108  # nosec B108
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for folder in filter(None, folders):
        path = os.path.join(folder, f"ai-governance-log-{os.urandom(8).hex()}")
        try:
            write = os.open(path, flags, 0o600)
        except OSError:
            continue
        read = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        with contextlib.suppress(OSError):  # Windows keeps an open file; removed at the end
            os.unlink(path)
        return write, read, path
    raise GitError("no writable temporary folder for git's output (TMPDIR, /tmp, /var/tmp)")


def _posix_tz(tz: str) -> str:
    """``TZ`` for a zone given as UTC, an offset (POSIX writes +02:00 as ``UTC-02:00``) or
    an IANA name."""
    if tz.upper() in ("UTC", "Z"):
        return "UTC"
    if tz[:1] in "+-":
        return f"UTC{'-' if tz[0] == '+' else '+'}{tz[1:]}"
    return tz


class Log(NamedTuple):
    """A ``git log`` started (``start``): its process, the files it writes and a reader."""

    process: Git
    read: int  # a file descriptor of the file git writes
    path: str
    args: list[str]
    errors: int  # a file descriptor of the file git writes its errors to
    errors_path: str


def start(args: list[str], cwd: str | None, *, tz: str = "UTC") -> Log:
    """Start ``git`` with ``args`` writing to a private file, so that it runs while this
    process does other work (the report compiles its patterns meanwhile). ``tz``: the zone
    git reads ``--since`` and ``--until`` dates in (``TZ`` of its process). The caller
    reads it with ``chunks`` or ends it with ``stop``."""
    write, read, path = _scratch()
    error_write, errors, errors_path = _scratch()
    try:
        process = Git(
            ["git", *git.GLOBAL, *args],
            cwd,
            {**os.environ, "TZ": _posix_tz(tz)},
            write,
            error_write,
        )
    except OSError as exc:
        for fd, name in ((read, path), (errors, errors_path)):
            os.close(fd)
            with contextlib.suppress(OSError):
                os.unlink(name)
        missing = isinstance(exc, FileNotFoundError)
        raise GitError(
            "git is not installed or not on PATH" if missing else f"cannot run git: {exc}"
        ) from None
    finally:
        os.close(write)
        os.close(error_write)
    return Log(process, read, path, args, errors, errors_path)


def stop(log: Log) -> str:
    """End ``log`` (killing git if it still runs) and remove its file; git's stderr.
    Calling it again does no harm."""
    if log.process.stopped is not None:  # its files are closed: their numbers may be reused
        return log.process.stopped
    log.process.kill()  # if the caller stopped early, git need not go on
    log.process.wait()
    error = b""
    with contextlib.suppress(OSError):
        os.lseek(log.errors, 0, os.SEEK_SET)
        error = os.read(log.errors, 65536)
    for fd, name in ((log.read, log.path), (log.errors, log.errors_path)):
        with contextlib.suppress(OSError):
            os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(name)
    log.process.stopped = error.decode("utf-8", "replace")
    return log.process.stopped


def chunks(
    args: list[str] | Log, cwd: str | None = None, *, tz: str = "UTC"
) -> Iterator[list[Raw]]:
    """Lists of whole commits, as ``git`` writes them (a chunk at a time), of the log
    ``args`` starts (or of one already started). With ``PATCH`` in the arguments each
    commit is its fields and then its patch (``log_args``)."""
    log = args if isinstance(args, Log) else start(args, cwd, tz=tz)
    patches = PATCH[0] in log.args
    size = FIELDS + patches
    fields: list[bytes] = []  # whole fields not yet grouped into a commit
    partial = b""  # a field cut by the end of the previous block
    lead = patches  # the NUL that starts the first commit is still to come
    try:
        for block in _follow(log.read, log.process):
            parts = (partial + block).split(b"\0")
            partial = parts.pop()
            if lead and parts:
                lead = False
                if parts.pop(0):
                    raise GitError("git log printed something before the first commit")
            fields.extend(parts)
            yield _grouped(fields, size, patches)
    finally:
        error = stop(log)
    if log.process.returncode:
        revisions = " ".join(a for a in log.args[1:] if not a.startswith("-"))
        raise GitError(f"`git log {revisions}` failed: {error.strip()}")
    if patches and len(fields) == FIELDS:  # the last patch is not followed by a NUL
        fields.append(partial)
        partial = b""
        yield _grouped(fields, size, patches)
    if fields or partial:
        raise GitError(
            _NUL_IN_PATCH
            if patches
            else "git log ended in the middle of a commit; nothing was counted"
        )


def _grouped(fields: list[bytes], size: int, patches: bool) -> list[Raw]:
    """The whole commits at the start of ``fields``, taken out of it."""
    whole = len(fields) // size * size
    rows = zip(*[iter(fields[:whole])] * size, strict=True)
    del fields[:whole]
    found = [Raw(*row) for row in rows]
    if patches and not all(_OBJECT_ID.fullmatch(raw.sha) for raw in found):
        raise GitError(_NUL_IN_PATCH)
    return found


# a patch can hold a NUL only where an attribute forces a binary file's diff as text; the
# fields after it would be misread, so nothing is counted
_NUL_IN_PATCH = (
    "a patch in git log's output holds a NUL byte (a `diff` attribute shows a binary file"
    " as text?); --churn cannot read it, and nothing was counted"
)
