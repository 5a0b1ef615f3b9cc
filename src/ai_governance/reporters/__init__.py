"""The registry of output formats: ``--format`` offers exactly these keys."""

from __future__ import annotations

from typing import Protocol

from ai_governance.report import Report
from ai_governance.reporters import as_github, as_json, as_sarif, as_text


class Reporter(Protocol):
    def render(self, report: Report, *, color: bool) -> str:
        """The whole output for ``report``."""


REPORTERS: dict[str, Reporter] = {
    "text": as_text,
    "json": as_json,
    "sarif": as_sarif,
    "github": as_github,
}
