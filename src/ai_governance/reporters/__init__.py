"""The registry of output formats: ``--format`` offers exactly these keys.

Each reporter is a module imported only when its format is rendered: the commit-msg hook
renders nothing when everything passes, and must not pay for the others' imports.
"""

from __future__ import annotations

import importlib
from typing import Protocol, cast

from ai_governance.report import Report


class Reporter(Protocol):
    def render(self, report: Report, *, color: bool) -> str:
        """The whole output for ``report``."""


REPORTERS: dict[str, str] = {  # format -> its module in this package
    "text": "as_text",
    "json": "as_json",
    "sarif": "as_sarif",
    "github": "as_github",
    "markdown": "as_markdown",
}


def reporter(name: str) -> Reporter:
    return cast(Reporter, importlib.import_module(f"ai_governance.reporters.{REPORTERS[name]}"))
