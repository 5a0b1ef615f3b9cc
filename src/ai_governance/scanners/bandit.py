"""Bandit over file contents as of the change (never the working tree).

Contents are written to a private temporary folder and scanned there with Bandit's own
manager, so `# nosec`, plugins and parse errors behave exactly as in the Bandit CLI. The
processes that do it are ``scanners.pool``'s. Bandit is imported only here, and only when
there is a Python file to scan.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence

from ai_governance.records import NamedTuple

TYPE_CHECKING = False  # typing itself costs a hook start-up 2.4 ms

if TYPE_CHECKING:
    import logging

_ADDRESS = r" object at 0x[0-9a-fA-F]+>"  # some messages embed a memory address


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


def import_quietly() -> None:
    """Import Bandit quietly: its plugin loading logs and warns about its own extras.
    (``logging``, ``warnings`` and ``tempfile`` are imported by the scanner processes
    only: the hook that forks them never needs them.)"""
    import logging
    import warnings

    for name in ("bandit", "stevedore"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from bandit.core import manager  # noqa: F401


def test_ids() -> frozenset[str]:
    """The ids of every test and blacklist call the installed Bandit and its plugins know."""
    import_quietly()
    from bandit.core import extension_loader

    manager = extension_loader.MANAGER
    return frozenset(manager.plugins_by_id) | frozenset(manager.blacklist_by_id)


def _crashes() -> tuple[logging.Handler, list[tuple[str, str]]]:
    """A handler for Bandit's log, and what it sees: Bandit logs a test that raised and
    goes on without its verdict, so the file was not fully checked, and each such crash
    is an error for the file it happened in."""
    import logging

    seen: list[tuple[str, str]] = []

    class Crashes(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            match = re.search(_CRASH, record.getMessage(), re.S)
            if match:
                test, name, line, error = match.groups()
                why = f"Bandit's test {test} crashed at line {line}: {error.splitlines()[0]}"
                seen.append((name, why))

    return Crashes(logging.ERROR), seen


_CRASH = r"running: (\S+) on file (.+?) at line (\d+): (.*)"  # re.S


def scan_here(files: Files, tests: Sequence[str], skips: Sequence[str]) -> Scan:
    import logging
    import tempfile
    import warnings

    from bandit.core import config, docs_utils, manager

    with tempfile.TemporaryDirectory(prefix="ai-governance-scan-") as folder:
        names = {}
        for index, (path, content) in enumerate(files):
            name = os.path.join(folder, f"{index}.py")
            with open(name, "wb") as handle:
                handle.write(content)
            names[name] = path
        profile = {"include": set(tests), "exclude": set(skips)}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # stevedore's, on loading
            bandit = manager.BanditManager(config.BanditConfig(), "file", profile=profile)
        bandit.discover_files(sorted(names))
        (crashes, seen), tester = _crashes(), logging.getLogger("bandit.core.tester")
        tester.addHandler(crashes)
        kept = tester.level, tester.propagate
        tester.setLevel(logging.ERROR)
        tester.propagate = False
        try:
            with warnings.catch_warnings():  # PYTHONWARNINGS=error must not stop a test
                warnings.simplefilter("ignore")
                bandit.run_tests()
        finally:
            tester.removeHandler(crashes)
            tester.setLevel(kept[0])
            tester.propagate = kept[1]
        hits = tuple(
            Hit(
                names[issue.fname],
                issue.lineno,
                issue.test_id,
                issue.test,
                issue.severity,
                issue.confidence,
                re.sub(_ADDRESS, " object>", issue.text),
                docs_utils.get_url(issue.test_id),
            )
            for issue in bandit.get_issue_list()
        )
        errors = tuple((names.get(name, name), str(why)) for name, why in [*bandit.skipped, *seen])
    return Scan(hits, errors)


def merge(parts: list[Scan]) -> Scan:
    hits = sorted(
        (hit for part in parts for hit in part.hits), key=lambda h: (h.path, h.line, h.test_id)
    )
    errors = sorted(error for part in parts for error in part.errors)
    return Scan(tuple(hits), tuple(errors))
