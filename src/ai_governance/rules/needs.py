"""What a policy needs gathered for a stage, from what each rule kind declares."""

from __future__ import annotations

from ai_governance import identities
from ai_governance.policy.model import Marker, Policy, Rule
from ai_governance.records import NamedTuple
from ai_governance.rules import RULES


class Requirements(NamedTuple):
    content_bytes: int | None  # the largest file content a running rule reads; None: none
    team_slugs: tuple[str, ...]  # "@org/slug" teams whose members must be read
    paths: bool  # a running rule looks at changed paths


def running(policy: Policy, stage: str) -> tuple[Rule, ...]:
    """The rules that can judge in ``stage`` and are not switched off."""
    return tuple(
        r for r in policy.rules if r.mode != "off" and RULES[r.kind].skip(r, stage) is None
    )


def needs(policy: Policy, stage: str) -> Requirements:
    rules = running(policy, stage)
    declared = [RULES[r.kind].needs(r) for r in rules]
    caps = [n.content_bytes for n in declared if n.content_bytes is not None]
    teams = {t for n in declared for t in n.teams} | {t for r in rules for t in r.scope.teams}
    teams |= {t for step in policy.rollout for t in step.teams}
    return Requirements(
        max(caps) if caps else None,
        identities.slugs(policy.teams, teams),
        any(r.uses_paths for r in rules),
    )


def markers(policy: Policy) -> tuple[Marker, ...]:
    """The markers the policy's rules contribute (a disclosure trailer is itself evidence),
    one per id, in id order."""
    found = {m.id: m for r in policy.rules for m in RULES[r.kind].needs(r).markers}
    return tuple(found[key] for key in sorted(found))
