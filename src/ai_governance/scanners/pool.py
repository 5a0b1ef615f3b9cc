"""The scanner processes: forked workers that import Bandit and scan one job each.

A ``Pool`` is state with an owner: the front end creates it (``with Pool() as pool``),
starts it early when Python files are about to be scanned (so Bandit, a fifth of a second
to import, loads on the other core while the change is gathered), and the engine hands it
to the rule. Results come back as JSON through a pipe and are merged in a fixed order.
"""

from __future__ import annotations

import os
import select
import time
from collections.abc import Sequence

from ai_governance.records import NamedTuple
from ai_governance.scanners.bandit import (
    Files,
    Hit,
    Scan,
    ScanFailed,
    import_quietly,
    merge,
    scan_here,
)

PARALLEL_FROM = 12  # files; below this a second process costs more than it saves


class _Worker(NamedTuple):
    pid: int
    jobs: int  # pipe: the parent writes one job, then closes it
    results: int  # pipe: the child writes one Scan as JSON


def _serve(jobs: int, results: int) -> None:
    """In a forked child: import Bandit now, scan the one job that comes, report, exit."""
    try:
        import warnings

        warnings.resetwarnings()  # PYTHONWARNINGS=error must not switch a Bandit test off
        warnings.simplefilter("ignore")
        import_quietly()
        with os.fdopen(jobs, "rb") as incoming:
            import json

            job = json.loads(incoming.read() or b"null")
        if job is None:  # the parent found nothing to scan
            os._exit(0)
        import base64

        files = [(path, base64.b64decode(data)) for path, data in job["files"]]
        payload: dict[str, object] = {"scan": scan_here(files, job["tests"], job["skips"])}
    except BaseException as exc:  # reported to the parent, which raises
        payload = {"error": repr(exc)}
    import json

    with os.fdopen(results, "wb") as out:
        out.write(json.dumps(payload).encode())
    os._exit(0)


def _send(worker: _Worker, job: object) -> None:
    import json  # the jobs' and results' format; only when there is a scan

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
                _kill(worker.pid)
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
    import json

    payload = json.loads(b"".join(chunks))
    if "error" in payload:
        raise ScanFailed(f"{payload['error']} in the scanner process")
    hits, errors = payload["scan"][:2]
    return Scan(tuple(Hit(*hit) for hit in hits), tuple((p, why) for p, why in errors))


def _kill(pid: int) -> None:
    """SIGKILL (9): the signal module would cost the hook an import."""
    try:
        os.kill(pid, 9)
    except ProcessLookupError:
        return  # it has exited already


def _close(fd: int) -> None:
    try:
        os.close(fd)
    except OSError:
        return  # closed already


class Pool:
    """Scanner processes owned by a front end. Where fork does not exist (Windows) the
    files are scanned in this process, without a time limit."""

    def __init__(self) -> None:
        self._workers: list[_Worker] = []

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _fork(self) -> _Worker:
        job_read, job_write = os.pipe()
        result_read, result_write = os.pipe()
        pid = os.fork()
        if pid == 0:
            # Close every end this child does not use, its siblings' included: a sibling
            # holding another worker's job pipe open would keep that worker waiting.
            siblings = [fd for w in self._workers for fd in (w.jobs, w.results)]
            for fd in (job_write, result_read, *siblings):
                os.close(fd)
            _serve(job_read, result_write)
        os.close(job_read)
        os.close(result_write)
        return _Worker(pid, job_write, result_read)

    def start(self, count: int) -> None:
        """Fork ``count`` scanner processes now (at most one per core), unless started."""
        if hasattr(os, "fork") and not self._workers:
            for _ in range(max(1, min(count, os.cpu_count() or 1))):
                self._workers.append(self._fork())

    def stop(self) -> None:
        """End the workers that got no job (every file's result was known): killed, not
        waited for while they finish importing Bandit."""
        for worker in self._workers:
            _kill(worker.pid)
            for fd in (worker.jobs, worker.results):
                _close(fd)
            os.waitpid(worker.pid, 0)
        self._workers.clear()

    def _send_all(
        self, files: Files, tests: Sequence[str], skips: Sequence[str]
    ) -> list[tuple[_Worker, list[str]]]:
        """Give each started worker a share of ``files``; (worker, its paths) of those
        that got one. The workers are used up: a later scan forks new ones."""
        workers, self._workers = self._workers, []
        busy = []
        for index, worker in enumerate(workers):
            share = files[index :: len(workers)]
            import base64

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

    def scan(
        self,
        files: Files,
        tests: Sequence[str] = (),
        skips: Sequence[str] = (),
        timeout: float | None = None,
    ) -> Scan:
        """Findings and failures for ``(path, content)`` pairs, sorted; never raises for a
        file. Without started workers one (two for many files) is forked now: each imports
        Bandit itself (a fork of a process that already holds Bandit measured a third
        slower, its memory being copied page by page). A worker that has not answered
        ``timeout`` seconds after it got its files is killed, and its files are reported
        as timed out."""
        if not files:
            return Scan((), ())
        self.start(2 if len(files) >= PARALLEL_FROM else 1)
        if not self._workers:
            import_quietly()
            return scan_here(files, tests, skips)
        deadline = None if timeout is None else time.monotonic() + timeout
        parts, late = [], []
        for worker, paths in self._send_all(files, tests, skips):
            part = _receive(worker, deadline)
            if part is None:
                late.extend(paths)
            else:
                parts.append(part)
        return merge(parts)._replace(timed_out=tuple(sorted(late)))
