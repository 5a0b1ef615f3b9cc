"""GitLab's SAST report (``artifacts:reports:sast``): the Bandit findings of the rules
whose kind scans code, for Ultimate's merge request widget and security dashboard (Free and Premium
offer it as a download).

GitLab processes a report only when it validates against the schema of the version it
declares: ``15.0.6``, the newest every GitLab release seen accepts, with the fields 15.x
requires (``scan.analyzer`` and ``scan.scanner`` with versions, times without a zone or
fraction, capitalised severities, one identifier a finding, ``bandit_test_id`` first as
GitLab's own Bandit analyzer writes it). A scan that could not check every file says
``failure`` with a message for each file. Only Bandit's findings are vulnerabilities: the
other rules' verdicts are in the Code Quality report.
"""

from __future__ import annotations

import json
import re

from ai_governance import __version__
from ai_governance.report import Report
from ai_governance.reporters.as_codequality import check_name, fingerprint, plain
from ai_governance.rules import RULES

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

VERSION = "15.0.6"
_TEST_ID = re.compile(r"B\d{3}")
_SEVERITY = {"low": "Low", "medium": "Medium", "high": "High"}
NAME_CAP, SOLUTION_CAP = 255, 7000  # the schema's limits


def _bandit_version() -> str:
    from importlib import metadata

    try:
        return metadata.version("bandit")
    except metadata.PackageNotFoundError:
        return "unknown"


def _now() -> str:
    import datetime

    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")


def document(
    report: Report, *, start: str | None = None, end: str | None = None
) -> dict[str, Any]:
    """The report as data; ``start`` and ``end`` as ``YYYY-MM-DDTHH:MM:SS`` (default: now)."""
    vulnerabilities: list[dict[str, Any]] = []
    messages: list[dict[str, str]] = []
    seen: dict[str, int] = {}
    for result in report.results:
        if not RULES[result.kind].SCANS_CODE:
            continue
        if result.status == "error":
            messages.append({"level": "fatal", "value": plain(f"{result.rule}: {result.reason}")})
        for finding in result.findings:
            if finding.code == "scan-error":
                messages.append(
                    {"level": "warn", "value": plain(f"{finding.path}: {finding.message}")}
                )
            if not finding.code or not _TEST_ID.fullmatch(finding.code) or not finding.path:
                continue
            name, _, _ = finding.message.partition(":")
            vulnerabilities.append(
                {
                    "id": fingerprint(check_name(result, finding), finding.path, finding, seen),
                    "name": plain(name)[:NAME_CAP],
                    "description": plain(finding.message),
                    "severity": _SEVERITY.get(finding.severity or "", "Unknown"),
                    "solution": plain(finding.fix or "")[:SOLUTION_CAP],
                    "identifiers": [
                        {
                            "type": "bandit_test_id",
                            "name": f"Bandit Test ID {finding.code}",
                            "value": finding.code,
                        }
                    ],
                    "location": {
                        "file": finding.path,
                        "start_line": finding.line or 1,
                        "end_line": finding.line or 1,
                    },
                }
            )
    now = _now()
    tool = {"name": "ai-governance"}
    scan: dict[str, Any] = {
        "analyzer": {
            "id": "ai-governance",
            "name": "ai-governance",
            "version": __version__,
            "vendor": tool,
        },
        "scanner": {
            "id": "bandit",
            "name": "Bandit",
            "url": "https://github.com/PyCQA/bandit",
            "version": _bandit_version(),
            "vendor": {"name": "PyCQA"},
        },
        "type": "sast",
        "start_time": start or now,
        "end_time": end or now,
        "status": "failure" if messages else "success",
    }
    if messages:
        scan["messages"] = messages
    return {"version": VERSION, "scan": scan, "vulnerabilities": vulnerabilities}


def render(report: Report, *, color: bool) -> str:
    return json.dumps(document(report), indent=2, ensure_ascii=False) + "\n"
