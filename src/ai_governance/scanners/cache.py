"""Scan results kept by content, so that a file Bandit has read is not read again.

A commit refused at commit-msg is retried, ``git commit --amend`` re-runs the hooks, and
pre-commit runs them again after a stash: each time the same staged files would cost the
full price of Bandit. Each file's result (its findings and the errors Bandit gave, with no
path in them: they do not depend on it) is stored under a key of everything that could
change it:

* the file's git blob id (its exact bytes);
* the scanner: Bandit's version and every installed distribution's name and version (a
  plugin adds or changes tests by being installed; any install or upgrade changes this
  part, which only costs a re-scan), and Python's version;
* the rule's tests, skips and thresholds, and this tool's version.

A result is reused only when its stored key equals the key asked for, byte for byte; a
file that timed out or a scanner that failed is never stored. The entries live in the
user's cache folder (``XDG_CACHE_HOME``, ``AI_GOVERNANCE_CACHE``), in a folder only its
owner may read or write (a folder owned by someone else, or open to others, turns the
cache off rather than trusting it). Each entry is plain data written with ``marshal``
(Python reads it without importing anything) and checked for its shape when read; it is
written to a new file and renamed into place, so hooks running at once never read half
an entry; a corrupt or foreign entry is a miss.
At most ``LIMIT`` entries are kept (the least recently used go first). In CI it is off
unless ``AI_GOVERNANCE_SCAN_CACHE=1``: a fresh runner gains nothing from it, and a job's
verdict should not depend on what an earlier job left. ``AI_GOVERNANCE_SCAN_CACHE=0``
turns it off anywhere.
"""

from __future__ import annotations

import marshal
import os
import sys
from collections.abc import Callable, Sequence

from ai_governance import __version__
from ai_governance.records import NamedTuple
from ai_governance.scanners.bandit import Files, Hit, Scan

TYPE_CHECKING = False  # typing itself costs a hook start-up 2.4 ms
if TYPE_CHECKING:
    from typing import Any

VARIABLE = "AI_GOVERNANCE_SCAN_CACHE"
CI_VARIABLES = ("CI", "GITHUB_ACTIONS", "GITLAB_CI", "BUILDKITE", "JENKINS_URL", "TF_BUILD")
LIMIT = 20_000  # entries
SHARDS = 256
FORMAT = 2  # of an entry; a change makes every older entry a miss


class _Quiet:
    """``contextlib.suppress(OSError)``, without importing contextlib on a re-scan."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> bool:
        return kind is not None and issubclass(kind, OSError)


_QUIET = _Quiet()


def enabled() -> bool:
    said = os.environ.get(VARIABLE)
    if said is not None:
        return said == "1"
    return not any(os.environ.get(name) for name in CI_VARIABLES)


def _sha1(data: bytes) -> str:
    """SHA-1, as git names objects: Python's own implementation where it has one (loading
    OpenSSL through hashlib costs a re-scan 3 ms of its 60)."""
    try:
        from _sha1 import sha1  # type: ignore[import-not-found]  # CPython's own module
    except ImportError:  # pragma: no cover - another Python
        from hashlib import sha1
    digest: str = sha1(data, usedforsecurity=False).hexdigest()
    return digest


def blob_id(content: bytes) -> str:
    """git's id of a blob with these bytes (``git hash-object``)."""
    return _sha1(b"blob %d\0" % len(content) + content)


def scanner_version() -> str:
    """Bandit's version, every installed distribution (a plugin is one) and Python's,
    read from the installation's metadata folders' names: no import of Bandit, no file
    read (both would cost the re-scan most of what it saves)."""
    found = []
    for folder in sys.path:
        with _QUIET:
            found += [
                entry
                for entry in os.listdir(folder or ".")
                if entry.endswith((".dist-info", ".egg-info"))
            ]
    return f"python {sys.version} | " + " ".join(sorted(found))


class Key(NamedTuple):
    """Everything but the file that a result depends on, once for a scan."""

    scanner: str
    rule: str  # tests, skips, thresholds
    tool: str

    def of(self, blob: str) -> str:
        return "\0".join([str(FORMAT), blob, self.scanner, self.rule, self.tool])


def key(tests: Sequence[str], skips: Sequence[str], thresholds: Sequence[str]) -> Key:
    rule = repr((sorted(tests), sorted(skips), list(thresholds)))
    return Key(scanner_version(), rule, __version__)


def _folder() -> str | None:
    """The cache's folder, made private to its owner; None when it cannot be trusted."""
    from ai_governance.folders import cache_dir

    folder = os.path.join(cache_dir(), "scan")
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        state = os.stat(folder)
    except OSError:
        return None
    if hasattr(os, "getuid") and (state.st_uid != os.getuid() or state.st_mode & 0o077):
        return None  # someone else's, or others may write to it: do not trust it
    return folder


def _name(folder: str, full_key: str) -> str:
    """Where the entry of ``full_key`` is (a name only: the entry holds the key itself)."""
    digest = _sha1(full_key.encode())
    return os.path.join(folder, digest[:2], f"{digest}.entry")


def _decode(data: Any, full_key: str) -> Scan | None:
    """The entry's result, or None when it is not one written for ``full_key``."""
    if not isinstance(data, dict) or data.get("key") != full_key:
        return None
    hits, errors = data.get("hits"), data.get("errors")
    if not isinstance(hits, list) or not isinstance(errors, list):
        return None
    try:
        found = tuple(Hit("", *hit) for hit in hits)
    except TypeError:  # not a list of the right length
        return None
    ok = all(isinstance(h.line, int) and all(isinstance(v, str) for v in h[2:]) for h in found)
    if not ok or not all(isinstance(why, str) for why in errors):
        return None
    return Scan(found, tuple(("", why) for why in errors))


class Store:
    """The cache of one scan: lookups, then the results of the files that were missing."""

    def __init__(self, scan_key: Key) -> None:
        self.key = scan_key
        self.folder = _folder() if enabled() else None

    def get(self, content: bytes) -> Scan | None:
        if self.folder is None:
            return None
        full_key = self.key.of(blob_id(content))
        name = _name(self.folder, full_key)
        try:
            with open(name, "rb") as handle:
                data = marshal.loads(handle.read())  # noqa: S302  # nosec B302: plain data, checked
        except (OSError, ValueError, EOFError, TypeError):
            return None
        found = _decode(data, full_key)
        if found is not None:
            with _QUIET:
                os.utime(name)  # recently used: pruned last
        return found

    def put(self, content: bytes, result: Scan) -> None:
        """Keep one file's result (its path is left out: it does not change it)."""
        if self.folder is None:
            return
        full_key = self.key.of(blob_id(content))
        entry = {
            "key": full_key,
            "hits": [list(hit[1:]) for hit in result.hits],
            "errors": [why for _, why in result.errors],
        }
        name = _name(self.folder, full_key)
        shard = os.path.dirname(name)
        temporary = f"{name}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
        try:
            os.makedirs(shard, mode=0o700, exist_ok=True)
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(marshal.dumps(entry))
            os.replace(temporary, name)
        except OSError:
            with _QUIET:
                os.unlink(temporary)
            return
        _prune(shard, LIMIT // SHARDS)


def _prune(shard: str, keep: int) -> None:
    """Remove the least recently used entries of a shard beyond ``keep``."""
    try:
        names = [e for e in os.scandir(shard) if e.name.endswith(".entry")]
    except OSError:
        return
    if len(names) <= keep:
        return
    names.sort(key=lambda e: e.stat().st_mtime)
    for entry in names[: len(names) - keep]:
        with _QUIET:
            os.unlink(entry.path)


def scan_with(
    store: Store, files: Sequence[tuple[str, bytes]], scan: Callable[[Files], Scan]
) -> Scan:
    """``scan(pairs) -> Scan`` run only on the files ``store`` has no result for; the
    results of those it scanned (all but timed-out ones) kept for next time."""
    from ai_governance.scanners.bandit import merge

    known: list[Scan] = []
    missing: list[tuple[str, bytes]] = []
    for path, content in files:
        found = store.get(content)
        if found is None:
            missing.append((path, content))
        else:
            known.append(
                Scan(
                    tuple(hit._replace(path=path) for hit in found.hits),
                    tuple((path, why) for _, why in found.errors),
                )
            )
    if not missing:
        return merge(known)
    fresh = scan(missing)
    late = set(fresh.timed_out)
    for path, content in missing:
        if path not in late:
            store.put(
                content,
                Scan(
                    tuple(h for h in fresh.hits if h.path == path),
                    tuple(e for e in fresh.errors if e[0] == path),
                ),
            )
    return merge([*known, fresh])._replace(timed_out=fresh.timed_out)


def _index(cwd: str) -> str | None:
    """The index git commits from, and its state (size, time, inode): ``GIT_INDEX_FILE``
    (git sets it for a hook, a temporary one for ``git commit FILE``), else the
    repository's own."""
    from ai_governance.gather import git

    path = os.environ.get("GIT_INDEX_FILE")
    if not path:
        top = git.toplevel(cwd)
        if top is None:
            return None
        dot = os.path.join(top, ".git")
        if os.path.isfile(dot):  # a worktree: "gitdir: PATH"
            with _QUIET, open(dot, encoding="utf-8") as handle:
                dot = handle.read().partition("gitdir:")[2].strip()
        path = os.path.join(dot, "index")
    try:
        state = os.stat(os.path.join(cwd, path))
    except OSError:
        return None
    return f"{os.path.abspath(os.path.join(cwd, path))} {state.st_size} {state.st_mtime_ns}"


def _stamp(folder: str, cwd: str, files: Sequence[str]) -> str:
    return os.path.join(folder, "last", _sha1("\0".join([cwd, *files]).encode()))


def likely_known(cwd: str, files: Sequence[str]) -> bool:
    """Whether the same files were scanned from the same index before (a retried or
    amended commit): then their results are most likely cached, and forking scanners
    before knowing would only cost the re-scan time. Only a guess: a file the cache does
    not hold is scanned all the same."""
    folder = _folder() if enabled() else None
    index = _index(cwd) if folder is not None else None
    if folder is None or index is None:
        return False
    try:
        with open(_stamp(folder, cwd, files), encoding="utf-8") as handle:
            return handle.read() == index
    except OSError:
        return False


def remember(cwd: str, files: Sequence[str]) -> None:
    """Note the index these files were scanned from (``likely_known``)."""
    folder = _folder() if enabled() else None
    index = _index(cwd) if folder is not None else None
    if folder is None or index is None:
        return
    name = _stamp(folder, cwd, files)
    temporary = f"{name}.{os.getpid()}.tmp"
    with _QUIET:
        os.makedirs(os.path.dirname(name), mode=0o700, exist_ok=True)
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(index)
        os.replace(temporary, name)
        _prune(os.path.dirname(name), 256)
