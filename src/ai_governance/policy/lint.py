"""What is valid but probably not meant: rollout steps that can never apply, dates already
past, expired exceptions, rules that never run, and each kind's own advice.

``validate`` prints these as warnings (``file:line:col: key: warning: ...``); with
``--strict`` they fail it. They never change a verdict.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from ai_governance.policy.model import Policy, RolloutStep
from ai_governance.rules import RULES

Where = Callable[[tuple[str | int, ...]], str]
STAGES = ("commit-msg", "pre-commit", "range", "pull-request", "merge-group")


def _dotted(path: tuple[str | int, ...]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _shadowed(steps: tuple[RolloutStep, ...], index: int) -> int | None:
    """The earlier step that always applies first, for every change step ``index`` could
    match, or None."""
    step = steps[index]
    for earlier in range(index):
        other = steps[earlier]
        if other.teams and set(step.teams) != set(other.teams):
            continue
        if other.until is None or (step.until is not None and step.until <= other.until):
            return earlier
    return None


def warnings(policy: Policy, where: Where, today: datetime.date) -> list[str]:
    found: list[tuple[tuple[str | int, ...], str]] = []
    for index, step in enumerate(policy.rollout):
        first = _shadowed(policy.rollout, index)
        if first is not None:
            found.append(
                (("rollout", index), f"can never apply: step {first + 1} always applies first")
            )
        elif step.until is not None and step.until < today:
            found.append((("rollout", index, "until"), f"ended on {step.until}"))
    for exception in policy.exceptions:
        if exception.expires < today:
            found.append(
                (
                    ("exceptions", exception.number - 1, "expires"),
                    f"expired on {exception.expires}: it suppresses nothing; renew or remove it",
                )
            )
    for index, rule in enumerate(policy.rules):
        kind = RULES[rule.kind]
        if rule.mode == "off":
            found.append((("rules", index, "mode"), "the rule is off: it never runs"))
        elif all(kind.skip(rule, stage) is not None for stage in STAGES):
            found.append((("rules", index), "the rule cannot run in any stage"))
        for team in rule.scope.teams:
            if not policy.teams.get(team):
                found.append((("rules", index, "scope", "teams"), f"team {team!r} has no members"))
        found += [(("rules", index, *key), text) for key, text in kind.advice(rule)]
    return [f"{where(path)}: {_dotted(path)}: warning: {text}" for path, text in found]
