"""security-scan: Bandit over the changed Python files (implemented by the next issue)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from ai_governance.policy.model import Rule
from ai_governance.report import Outcome
from ai_governance.rules.context import Context, Regex


class Options(NamedTuple):
    raw: tuple[tuple[str, Any], ...]


def parse(raw: Mapping[str, Any], regex: Regex) -> Options:
    return Options(tuple(sorted((k, repr(v)) for k, v in raw.items())))


def skip(rule: Rule, stage: str) -> str | None:
    if stage == "commit-msg":
        return "the scan runs in the pre-commit stage, on the staged files"
    return None


def check(rule: Rule, ctx: Context) -> Outcome:
    return Outcome("skipped", "not implemented")
