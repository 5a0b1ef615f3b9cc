"""Bandit, in-process, over file contents as of the change (never the working tree).

Contents are written to a private temporary folder and scanned there with Bandit's own
manager, so `# nosec`, plugins and parse errors behave exactly as in the Bandit CLI. With
enough files (or when the front end starts them early) forked workers do the scanning, one
per core, results back as JSON through a pipe, merged in a fixed order. Bandit is imported
only here, and only when there is a Python file to scan.
"""

from __future__ import annotations

import base64
import json
import os
import re
import select
import signal
import tempfile
import time
from collections.abc import Sequence
from typing import NamedTuple

_ADDRESS = re.compile(r" object at 0x[0-9a-fA-F]+>")  # some messages embed a memory address
PARALLEL_FROM = 12  # files; below this a second process costs more than it saves


class Hit(NamedTuple):
    path: str
    line: int
    test_id: str
    test_name: str
    severity: str  # LOW | MEDIUM | HIGH, as Bandit says
    confidence: str
    text: str
    more_info: str


class Scan(NamedTuple):
    hits: tuple[Hit, ...]
    errors: tuple[tuple[str, str], ...]  # (path, why Bandit could not scan it)
    timed_out: tuple[str, ...] = ()  # paths whose scanner missed the deadline


Files = Sequence[tuple[str, bytes]]


class ScanFailed(RuntimeError):
    """A scanner process failed or died: none of its files was verified."""


def _import() -> None:
    """Import Bandit quietly: its plugin loading logs and warns about its own extras."""
    import logging
    import warnings

    for name in ("bandit", "stevedore"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from bandit.core import manager  # noqa: F401


def test_ids() -> frozenset[str]:
    """The ids of every test and blacklist call the installed Bandit and its plugins know."""
    _import()
    from bandit.core import extension_loader

    manager = extension_loader.MANAGER
    return frozenset(manager.plugins_by_id) | frozenset(manager.blacklist_by_id)


class _Worker(NamedTuple):
    pid: int
    jobs: int  # pipe: the parent writes one job, then closes it
    results: int  # pipe: the child writes one Scan as JSON


_WORKERS: list[_Worker] = []  # started by start_workers, used (once) by scan


def _serve(jobs: int, results: int) -> None:
    """In a forked child: import Bandit now, scan the one job that comes, report, exit."""
    try:
        _import()
        with os.fdopen(jobs, "rb") as incoming:
            job = json.loads(incoming.read() or b"null")
        if job is None:  # the parent found nothing to scan
            os._exit(0)
        files = [(path, base64.b64decode(data)) for path, data in job["files"]]
        payload: dict[str, object] = {"scan": _scan_here(files, job["tests"], job["skips"])}
    except BaseException as exc:  # reported to the parent, which raises
        payload = {"error": repr(exc)}
    with os.fdopen(results, "wb") as out:
        out.write(json.dumps(payload).encode())
    os._exit(0)


def _fork_worker() -> _Worker:
    job_read, job_write = os.pipe()
    result_read, result_write = os.pipe()
    pid = os.fork()
    if pid == 0:
        # Close every end this child does not use, its siblings' included: a sibling holding
        # another worker's job pipe open would keep that worker waiting for the end of input.
        for fd in (job_write, result_read, *(fd for w in _WORKERS for fd in (w.jobs, w.results))):
            os.close(fd)
        _serve(job_read, result_write)
    os.close(job_read)
    os.close(result_write)
    return _Worker(pid, job_write, result_read)


def start_workers(count: int) -> None:
    """Fork ``count`` scanner processes now, so that they import Bandit (a fifth of a second)
    on the other core while this one gathers the change. Only where fork exists, and only
    when Python files are about to be scanned; ``scan`` uses them, unused ones just exit."""
    if hasattr(os, "fork") and not _WORKERS:
        _WORKERS.extend(_fork_worker() for _ in range(max(1, min(count, os.cpu_count() or 1))))


def _send(worker: _Worker, job: object) -> None:
    try:
        with os.fdopen(worker.jobs, "wb") as out:
            out.write(json.dumps(job).encode())
    except BrokenPipeError:
        pass  # the worker is gone; _receive says how it ended


def _receive(worker: _Worker, deadline: float | None) -> Scan | None:
    """The worker's Scan; None when it missed ``deadline`` (then it is killed)."""
    chunks = []
    with os.fdopen(worker.results, "rb", buffering=0) as incoming:
        while True:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and (left <= 0 or not select.select([incoming], [], [], left)[0]):
                os.kill(worker.pid, signal.SIGKILL)
                os.waitpid(worker.pid, 0)
                return None
            chunk = incoming.read(1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
    status = os.waitpid(worker.pid, 0)[1]
    if not chunks:
        code = os.waitstatus_to_exitcode(status)
        how = f"was killed by signal {-code}" if code < 0 else f"exited with {code}"
        raise ScanFailed(f"the scanner process {how} before it reported")
    payload = json.loads(b"".join(chunks))
    if "error" in payload:
        raise ScanFailed(f"{payload['error']} in the scanner process")
    hits, errors = payload["scan"][:2]
    return Scan(tuple(Hit(*hit) for hit in hits), tuple((p, why) for p, why in errors))


def _send_all(
    files: Files, tests: Sequence[str], skips: Sequence[str]
) -> list[tuple[_Worker, list[str]]]:
    """Hand the started workers a share of ``files`` each; returns those that got one, with
    the paths of their share."""
    workers, _WORKERS[:] = list(_WORKERS), []
    busy = []
    for index, worker in enumerate(workers):
        share = files[index :: len(workers)]
        encoded = [(path, base64.b64encode(data).decode()) for path, data in share]
        _send(
            worker,
            {"files": encoded, "tests": list(tests), "skips": list(skips)} if share else None,
        )
        if share:
            busy.append((worker, [path for path, _ in share]))
        else:
            os.close(worker.results)
            os.waitpid(worker.pid, 0)
    return busy


def stop_workers() -> None:
    """Let unused workers exit (they read an empty job)."""
    for worker in _WORKERS:
        _send(worker, None)
        os.close(worker.results)
        os.waitpid(worker.pid, 0)
    _WORKERS.clear()


def _scan_here(files: Files, tests: Sequence[str], skips: Sequence[str]) -> Scan:
    from bandit.core import config, docs_utils, manager

    with tempfile.TemporaryDirectory(prefix="ai-governance-scan-") as folder:
        names = {}
        for index, (path, content) in enumerate(files):
            name = os.path.join(folder, f"{index}.py")
            with open(name, "wb") as handle:
                handle.write(content)
            names[name] = path
        profile = {"include": set(tests), "exclude": set(skips)}
        bandit = manager.BanditManager(config.BanditConfig(), "file", profile=profile)
        bandit.discover_files(sorted(names))
        bandit.run_tests()
        hits = tuple(
            Hit(
                names[issue.fname],
                issue.lineno,
                issue.test_id,
                issue.test,
                issue.severity,
                issue.confidence,
                _ADDRESS.sub(" object>", issue.text),
                docs_utils.get_url(issue.test_id),
            )
            for issue in bandit.get_issue_list()
        )
        errors = tuple((names.get(name, name), str(why)) for name, why in bandit.skipped)
    return Scan(hits, errors)


def scan(
    files: Files,
    tests: Sequence[str] = (),
    skips: Sequence[str] = (),
    timeout: float | None = None,
) -> Scan:
    """Findings and failures for ``(path, content)`` pairs, sorted; never raises for a file.

    Workers started early get the files; otherwise one worker (two for many files) is
    forked now: each imports Bandit itself (a fork of a process that already holds Bandit
    measured a third slower, its memory being copied page by page). A worker that has not
    answered ``timeout`` seconds after the files were handed over is killed, and its files
    are reported as timed out. Where fork does not exist the files are scanned here,
    without a time limit.
    """
    if not files:
        stop_workers()
        return Scan((), ())
    if not _WORKERS:
        start_workers(2 if len(files) >= PARALLEL_FROM else 1)
    if not _WORKERS:
        _import()
        return _scan_here(files, tests, skips)
    deadline = None if timeout is None else time.monotonic() + timeout
    parts, late = [], []
    for worker, paths in _send_all(files, tests, skips):
        part = _receive(worker, deadline)
        if part is None:
            late.extend(paths)
        else:
            parts.append(part)
    merged = _merge(parts)
    return merged._replace(timed_out=tuple(sorted(late)))


def _merge(parts: list[Scan]) -> Scan:
    hits = sorted(
        (hit for part in parts for hit in part.hits), key=lambda h: (h.path, h.line, h.test_id)
    )
    errors = sorted(error for part in parts for error in part.errors)
    return Scan(tuple(hits), tuple(errors))
