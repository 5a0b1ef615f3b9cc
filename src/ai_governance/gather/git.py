"""The one module that talks to git: plumbing, ``-z`` and bytes, never a shell."""

from __future__ import annotations

import os

from ai_governance.change import ChangedFile, Commit, Identity
from ai_governance.errors import GitError
from ai_governance.records import NamedTuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

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


# Replacement refs (``git replace``) would let the repository show other objects than the
# commits hold; what is judged is the objects themselves.
GLOBAL = ("--no-replace-objects",)


def run(args: list[str], cwd: str | None = None, stdin: bytes | None = None) -> bytes:
    """git's output for ``args``; GitError with its message when it fails."""
    status, out, err = _spawn(["git", *GLOBAL, *args], cwd, stdin)
    if status:
        raise GitError(f"`git {' '.join(args)}` failed: {text(err).strip()}")
    return out


class Pending(NamedTuple):
    """git started by ``begin``, to be read by ``end`` (or ended by ``discard``)."""

    args: list[str]
    spawned: _Spawned | None
    done: tuple[int, bytes, bytes] | None  # where git could not be spawned directly: its run


def begin(args: list[str], cwd: str | None = None) -> Pending:
    """Start ``git ARGS`` and return at once: a hook asks git two things at a time."""
    argv = ["git", *GLOBAL, *args]
    if not hasattr(os, "posix_spawnp"):
        return Pending(args, None, _spawn(argv, cwd, None))
    return Pending(args, _start(argv, cwd), None)


def end(pending: Pending) -> bytes:
    """``run``'s answer for what ``begin`` started."""
    if pending.spawned is not None:
        status, out, err = _finish(pending.spawned)
    else:
        assert pending.done is not None  # nosec B101: begin sets one of the two
        status, out, err = pending.done
    if status:
        raise GitError(f"`git {' '.join(pending.args)}` failed: {text(err).strip()}")
    return out


def discard(pending: Pending) -> None:
    """End what ``begin`` started without its answer."""
    if pending.spawned is not None:
        _kill(pending.spawned.pid)
        os.close(pending.spawned.out)
        os.close(pending.spawned.err)
        os.waitpid(pending.spawned.pid, 0)


def _kill(pid: int) -> None:
    """SIGKILL (the signal module, like contextlib, costs a hook an import)."""
    try:
        os.kill(pid, 9)
    except ProcessLookupError:
        return  # it has exited already


class _Spawned(NamedTuple):
    pid: int
    out: int  # git's output
    err: int  # git's errors; -1 when they go to /dev/null
    feed: int  # git's input; -1 when it reads none


def _start(
    argv: list[str], cwd: str | None, *, feed: bool = False, errors: bool = True
) -> _Spawned:
    """``argv`` spawned directly, its output (and errors, and input when ``feed``) on pipes."""
    if cwd is not None:
        argv = [argv[0], "-C", cwd, *argv[1:]]
    out_read, out_write = os.pipe()
    err_read, err_write = os.pipe() if errors else (-1, -1)
    in_read, in_write = os.pipe() if feed else (-1, -1)
    ours, theirs = (out_read, err_read, in_write), (out_write, err_write, in_read)
    actions: list[tuple[object, ...]] = [
        (os.POSIX_SPAWN_DUP2, out_write, 1),
        (os.POSIX_SPAWN_DUP2, err_write, 2)
        if errors
        else (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0),
    ]
    actions += [(os.POSIX_SPAWN_DUP2, in_read, 0)] if feed else []
    actions += [(os.POSIX_SPAWN_CLOSE, fd) for fd in ours if fd >= 0]
    try:
        pid = os.posix_spawnp(argv[0], argv, os.environ, file_actions=actions)
    except FileNotFoundError:
        for fd in ours:
            if fd >= 0:
                os.close(fd)
        raise GitError("git is not installed or not on PATH") from None
    finally:
        for fd in theirs:
            if fd >= 0:
                os.close(fd)
    return _Spawned(pid, out_read, err_read, in_write)


def _finish(spawned: _Spawned) -> tuple[int, bytes, bytes]:
    """(exit status, output, errors) of what ``_start`` spawned (without input)."""
    out, err = _drain(spawned.out, spawned.err)
    return os.waitstatus_to_exitcode(os.waitpid(spawned.pid, 0)[1]), out, err


def _spawn(argv: list[str], cwd: str | None, stdin: bytes | None) -> tuple[int, bytes, bytes]:
    """(exit status, stdout, stderr) of ``argv``: git from PATH (as the hooks themselves
    run), an argument list, never a shell. Without input it is spawned directly: the hooks
    need a git answer or two, and importing subprocess would cost them 15 ms."""
    if stdin is not None or not hasattr(os, "posix_spawnp"):
        import subprocess  # nosec B404

        try:
            done = subprocess.run(  # nosec B603 B607
                argv, cwd=cwd, input=stdin, capture_output=True, check=False
            )
        except FileNotFoundError:
            raise GitError("git is not installed or not on PATH") from None
        return done.returncode, done.stdout, done.stderr
    return _finish(_start(argv, cwd))


def _drain(out_fd: int, err_fd: int) -> tuple[bytes, bytes]:
    """Both pipes read as they fill (neither can block git while the other is read)."""
    import select

    chunks: dict[int, list[bytes]] = {out_fd: [], err_fd: []}
    open_fds = [out_fd, err_fd]
    while open_fds:
        ready, _, _ = select.select(open_fds, [], [])
        for fd in ready:
            chunk = os.read(fd, 65536)
            if chunk:
                chunks[fd].append(chunk)
            else:
                open_fds.remove(fd)
                os.close(fd)
    return b"".join(chunks[out_fd]), b"".join(chunks[err_fd])


def config_args(pattern: str) -> list[str]:
    return ["config", "-z", "--get-regexp", pattern]


def config(pattern: str, cwd: str, *, started: Pending | None = None) -> list[tuple[str, str]]:
    """``git config --get-regexp`` as (key, value) pairs in git's order, [] when none is set;
    ``started``: the same call, begun already (``begin(config_args(pattern), cwd)``)."""
    if started is None:
        status, out, _ = _spawn(["git", *config_args(pattern)], cwd, None)
    elif started.args != config_args(pattern):
        raise ValueError("started for another call")  # a programming error
    elif started.spawned is not None:
        status, out, _ = _finish(started.spawned)
    else:
        assert started.done is not None  # nosec B101: begin sets one of the two
        status, out, _ = started.done
    if status == 1:  # nothing matched
        return []
    if status:
        raise GitError(f"`git config --get-regexp {pattern}` failed (exit {status}) in {cwd}")
    pairs = []
    for entry in filter(None, out.split(b"\0")):
        key, _, value = text(entry).partition("\n")
        pairs.append((key, value))
    return pairs


def text(raw: bytes) -> str:
    return raw.decode("utf-8", "replace")


def toplevel(start: str) -> str | None:
    """The work tree root at or above ``start``: found without starting a process, unless
    ``GIT_DIR`` or ``GIT_WORK_TREE`` places the repository elsewhere (then git says)."""
    if os.environ.get("GIT_DIR") or os.environ.get("GIT_WORK_TREE"):
        try:
            return text(run(["rev-parse", "--show-toplevel"], start)).strip() or None
        except GitError:
            return None
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
    raw = run(["log", *NEUTRAL_LOG, "-z", f"--format={fields}", *revisions, "--"], cwd)
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


# What is judged depends on the commits alone: these options override every user, system or
# repository setting that changes what git prints (diff.relative narrows a diff to the
# current folder, diff.ignoreSubmodules hides submodules, log.showSignature and notes add
# text to a log, i18n.logOutputEncoding re-encodes messages). Git's patch text is never read.
NEUTRAL_DIFF = ("--no-relative", "--ignore-submodules=none", "--no-ext-diff", "--no-textconv")
NEUTRAL_LOG = ("--no-show-signature", "--no-notes", "--encoding=UTF-8")


def raw_diff(raw: bytes) -> tuple[ChangedFile, ...]:
    """Parse ``--raw -z --no-abbrev``: status, modes, object ids; paths keep odd bytes."""
    parts = raw.split(b"\0")
    files, at = [], 0
    while at < len(parts) - 1:
        old_mode, mode, old_blob, blob, status = text(parts[at]).split(" ")
        names = [p.decode("utf-8", "surrogateescape") for p in parts[at + 1 : at + 3]]
        kind = _STATUS.get(status[:1], status)
        old_blob, old_mode = old_blob.strip("0") and old_blob, old_mode.lstrip(":")
        renamed = status[:1] in "RC"
        files.append(
            ChangedFile(
                names[1] if renamed else names[0],
                kind,
                names[0] if renamed else None,
                mode,
                blob,
                old_blob=old_blob,
                old_mode=old_mode,
            )
        )
        at += 3 if renamed else 2
    return tuple(sorted(files, key=lambda f: f.path))


STAGED = ("diff", "--cached")


def range_diff(base: str, head: str) -> tuple[str, ...]:
    return ("diff", f"{base}...{head}")


def commit_diff(revision: str) -> tuple[str, ...]:
    # A merge against its first parent: what it brings in. (``-m --first-parent`` lists it
    # against every parent, so each file came once a parent; this needs git 2.31.)
    return ("diff-tree", "-r", "--root", "--diff-merges=first-parent", "--no-commit-id", revision)


def diff_args(diff: tuple[str, ...]) -> list[str]:
    return [*diff, *NEUTRAL_DIFF, "--raw", "-z", "-M", "--no-abbrev", "--"]


def changed_files(
    diff: tuple[str, ...], cwd: str | None = None, *, started: Pending | None = None
) -> tuple[ChangedFile, ...]:
    """What ``diff`` (STAGED, range_diff, commit_diff) changes, renames followed;
    ``started``: the same listing, begun already (``begin(diff_args(diff), cwd)``)."""
    if started is not None:
        if started.args != diff_args(diff):
            raise ValueError("started for another listing")  # a programming error
        return raw_diff(end(started))
    return raw_diff(run(diff_args(diff), cwd))


def files_of(shas: list[str], cwd: str | None = None) -> dict[str, tuple[ChangedFile, ...]]:
    """{sha: what ``commit_diff(sha)`` lists} for many commits, from one
    ``git diff-tree --stdin`` with the same options, so the same files as ``check --range``.
    Its output is each commit's id, then its entries (``:modes ids STATUS``, then one path,
    two for a rename or copy); a commit that changes nothing prints nothing."""
    if not shas:
        return {}
    options = [*commit_diff("")[:-2], "--stdin", *NEUTRAL_DIFF, "--raw", "-z", "-M", "--no-abbrev"]
    raw = run(options, cwd, stdin="\n".join(shas).encode() + b"\n")
    found: dict[str, tuple[ChangedFile, ...]] = dict.fromkeys(shas, ())
    parts, at = raw.split(b"\0"), 0
    while at < len(parts) - 1:
        sha, at = text(parts[at]), at + 1
        start = at
        while at < len(parts) - 1 and parts[at][:1] == b":":
            at += 3 if parts[at].rsplit(b" ", 1)[-1][:1] in (b"R", b"C") else 2
        found[sha] = raw_diff(b"\0".join(parts[start:at]) + b"\0")
    return found


HEAD_BYTES = 512  # of an object over the cap: enough for its shebang line


def blobs(
    ids: list[str], max_bytes: int, cwd: str | None = None
) -> dict[str, tuple[int, bytes | None, bytes]]:
    """{id: (size, content, first line)} from one streaming ``git cat-file --batch``;
    content is None over ``max_bytes``, which is read past in chunks and never held whole
    (its first HEAD_BYTES are kept for the first line)."""
    if not ids:
        return {}
    request = "\n".join(ids).encode() + b"\n"
    if len(request) <= SMALL_REQUEST and hasattr(os, "posix_spawnp"):
        return _blobs_direct(request, len(ids), max_bytes, cwd)
    import subprocess  # nosec B404
    import threading

    with subprocess.Popen(  # nosec B603 B607
        ["git", *GLOBAL, "cat-file", "--batch"],
        cwd=cwd,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    ) as process:
        feed, out = process.stdin, process.stdout
        if feed is None or out is None:
            raise GitError("git cat-file started without pipes")

        def write() -> None:  # a thread, so a full output pipe cannot block the input
            with feed:
                feed.write(request)

        writer = threading.Thread(target=write, daemon=True)
        writer.start()
        try:
            return _read_blobs(out, len(ids), max_bytes)
        except GitError:
            process.kill()
            raise
        finally:
            writer.join()


# A request this small fits in any pipe's buffer: written whole before git's answer is
# read, it cannot block git (nor git this process), so no thread and no subprocess.
SMALL_REQUEST = 4096


def _blobs_direct(
    request: bytes, count: int, max_bytes: int, cwd: str | None
) -> dict[str, tuple[int, bytes | None, bytes]]:
    """``blobs`` for a few ids: git spawned directly (the pre-commit hook's usual case)."""
    spawned = _start(["git", *GLOBAL, "cat-file", "--batch"], cwd, feed=True, errors=False)
    try:
        with os.fdopen(spawned.feed, "wb") as feed:
            feed.write(request)
        with os.fdopen(spawned.out, "rb") as out:
            return _read_blobs(out, count, max_bytes)
    except GitError:
        _kill(spawned.pid)
        raise
    finally:
        os.waitpid(spawned.pid, 0)


class Prefetch(NamedTuple):
    """A ``git cat-file --batch`` asked for some objects by name before their ids are
    known (``prefetch``), to be read by ``prefetched``."""

    spawned: _Spawned | None  # None: nothing was asked
    asked: int  # objects


PREFETCH_BYTES = 1024 * 1024  # an object larger is left for ``blobs`` to read again


def prefetch(names: list[str], cwd: str | None = None) -> Prefetch:
    """Start reading the objects ``names`` (``:PATH`` for the index's, ``HEAD:PATH``) now,
    while the caller does other work. Only a head start: ``prefetched`` gives each object
    under the id git reads it by, so nothing is ever taken for another object. Names git
    could misread (a line break) and requests too large to write at once ask nothing."""
    request = "".join(f"{name}\n" for name in names).encode("utf-8", "surrogateescape")
    if (
        not names
        or any("\n" in name or "\r" in name for name in names)
        or len(request) > SMALL_REQUEST
        or not hasattr(os, "posix_spawnp")
    ):
        return Prefetch(None, 0)
    spawned = _start(["git", *GLOBAL, "cat-file", "--batch"], cwd, feed=True, errors=False)
    with os.fdopen(spawned.feed, "wb") as feed:
        feed.write(request)
    return Prefetch(spawned, asked=len(names))


def prefetched(started: Prefetch) -> dict[str, tuple[int, bytes | None, bytes]]:
    """The blobs ``prefetch`` read, by id, as ``blobs`` gives them with no cap: names git
    did not find (a file not in the index, no ``HEAD``), other objects and objects over
    ``PREFETCH_BYTES`` are left out; a git that failed gives nothing."""
    spawned = started.spawned
    if spawned is None:
        return {}
    found: dict[str, tuple[int, bytes | None, bytes]] = {}
    try:
        with os.fdopen(spawned.out, "rb") as out:
            for _ in range(started.asked):
                header = text(out.readline()).split()
                if len(header) != 3:  # "NAME missing", "NAME ambiguous", or git ended
                    if not header:
                        break
                    continue
                size = int(header[2])
                if size > PREFETCH_BYTES:
                    break  # not read past: the rest is asked again
                data = out.read(size)
                out.read(1)  # the newline after each object
                if header[1] == "blob" and len(data) == size:
                    found[header[0]] = (size, data, data[:HEAD_BYTES].split(b"\n", 1)[0])
    except (OSError, ValueError):
        return {}
    finally:
        _kill(spawned.pid)
        os.waitpid(spawned.pid, 0)
    return found


def _read_blobs(
    out: Any, count: int, max_bytes: int
) -> dict[str, tuple[int, bytes | None, bytes]]:
    """``count`` objects of ``git cat-file --batch``'s answer, read as it streams."""
    found: dict[str, tuple[int, bytes | None, bytes]] = {}
    for _ in range(count):
        header = text(out.readline()).split()
        if len(header) != 3 or header[1] != "blob":
            raise GitError(f"object {header[0] if header else '?'} is not a file's content")
        size = int(header[2])
        if size <= max_bytes:
            data = out.read(size)
            found[header[0]] = (size, data, data[:HEAD_BYTES].split(b"\n", 1)[0])
        else:
            first = out.read(min(size, HEAD_BYTES))
            left = size - len(first)
            while left:
                left -= len(out.read(min(left, 1 << 20)))
            found[header[0]] = (size, None, first.split(b"\n", 1)[0])
        out.read(1)  # the newline after each object
    return found
