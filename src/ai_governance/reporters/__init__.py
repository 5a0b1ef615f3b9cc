"""The registry of output formats: ``--format`` offers exactly these keys.

Each reporter is a module imported only when its format is rendered: the commit-msg hook
renders nothing when everything passes, and must not pay for the others' imports.
"""

from __future__ import annotations

import sys

from ai_governance.report import Report

TYPE_CHECKING = False  # typing itself costs a hook start-up 2.4 ms
if TYPE_CHECKING:
    from typing import Protocol
else:
    Protocol = object


class Reporter(Protocol):
    def render(self, report: Report, *, color: bool) -> str:
        """The whole output for ``report``."""


REPORTERS: dict[str, str] = {  # format -> its module in this package
    "text": "as_text",
    "json": "as_json",
    "sarif": "as_sarif",
    "github": "as_github",
    "markdown": "as_markdown",
    "codequality": "as_codequality",  # GitLab's Code Quality report
    "sast": "as_sast",  # GitLab's SAST report (Bandit's findings)
}


def reporter(name: str) -> Reporter:
    module = f"ai_governance.reporters.{REPORTERS[name]}"
    __import__(module)  # not importlib: its package imports warnings, for a failing hook
    found: Reporter = sys.modules[module]
    return found
