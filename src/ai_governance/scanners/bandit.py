"""Bandit, in-process, over file contents as of the change (never the working tree).

Contents are written to a private temporary folder and scanned there with Bandit's own
manager, so `# nosec`, plugins and parse errors behave exactly as in the Bandit CLI. With
enough files the work is split across two processes; results are merged in a fixed order.
Bandit is imported only here, and only when there is a Python file to scan.
"""

from __future__ import annotations

import os
import re
import tempfile
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


Files = Sequence[tuple[str, bytes]]


def _scan_here(files: Files, tests: Sequence[str], skips: Sequence[str]) -> Scan:
    import warnings

    with warnings.catch_warnings():
        # Bandit's plugin loading warns about its own dependencies; that is not the user's news.
        warnings.simplefilter("ignore", DeprecationWarning)
        return _run_bandit(files, tests, skips)


def _run_bandit(files: Files, tests: Sequence[str], skips: Sequence[str]) -> Scan:
    import logging

    from bandit.core import config, docs_utils, manager

    logging.getLogger("bandit").setLevel(logging.CRITICAL)  # errors come back as values
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
    files: Sequence[tuple[str, bytes]], tests: Sequence[str] = (), skips: Sequence[str] = ()
) -> Scan:
    """Findings and failures for ``(path, content)`` pairs, sorted; never raises for a file."""
    if len(files) < PARALLEL_FROM or (os.cpu_count() or 1) < 2:
        parts = [_scan_here(files, tests, skips)]
    else:
        import concurrent.futures
        import multiprocessing
        import warnings

        with warnings.catch_warnings():  # imported once, before the fork
            warnings.simplefilter("ignore", DeprecationWarning)
            from bandit.core import manager  # noqa: F401

        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        half = len(files) // 2
        context = multiprocessing.get_context(method)
        with concurrent.futures.ProcessPoolExecutor(1, mp_context=context) as pool:
            other = pool.submit(_scan_here, list(files[half:]), list(tests), list(skips))
            parts = [_scan_here(files[:half], tests, skips), other.result()]
    hits = sorted(
        (hit for part in parts for hit in part.hits), key=lambda h: (h.path, h.line, h.test_id)
    )
    errors = sorted(error for part in parts for error in part.errors)
    return Scan(tuple(hits), tuple(errors))
