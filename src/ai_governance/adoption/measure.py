"""One pass over the history: totals, groups (month, team, author, tool), a baseline split."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from typing import Any, NamedTuple

from ai_governance.adoption.figures import (
    NO_TEAM,
    Counts,
    Facts,
    Tally,
    as_dict,
    classify,
    from_dict,
    reader,
)
from ai_governance.adoption.history import Raw
from ai_governance.errors import UsageError
from ai_governance.policy.model import Policy

SCHEMA_VERSION = 1
GROUPINGS = ("month", "team", "author", "tool")


class History(NamedTuple):
    policy: str
    scope: str  # the revisions and dates read, or the merged files
    by: str
    totals: Tally
    groups: tuple[tuple[str, Tally], ...]
    baseline: tuple[str, Tally, Tally] | None = None  # (date, before, after)
    charts: tuple[tuple[str, tuple[tuple[str, Tally], ...]], ...] = ()  # month, team, tool


def keys(fact: Facts, by: str, pilot: str | None) -> list[str]:
    if pilot is not None:
        return [pilot if pilot in fact.teams else "everyone else"]
    if by == "team":
        return list(fact.teams) or [NO_TEAM]
    if by == "author":
        return [fact.author]
    if by == "tool":
        return list(fact.tools) or ["(no AI evidence)"]
    return [fact.month]


def measure(
    policy: Policy,
    chunks: Iterable[list[Raw]],
    *,
    by: str,
    pilot: str | None,
    baseline: str | None,
    scope: str,
    progress: bool = False,
    charts_wanted: bool = False,
) -> History:
    if pilot is not None and pilot not in policy.teams:
        raise UsageError(
            f"--pilot {pilot}: the policy has no such team; teams:"
            f" {', '.join(policy.teams) or 'none'}"
        )
    read = reader(policy)
    totals, groups = Counts(), dict[str, Counts]()
    cache: dict[bytes, tuple[str, ...]] = {}
    names = ("month", "team", "tool") if charts_wanted else ()  # only the HTML page draws them
    charts: dict[str, dict[str, Counts]] = {name: {} for name in names}
    before, after = Counts(), Counts()
    seen = 0
    for chunk in chunks:
        for raw in chunk:
            fact = classify(read, raw, cache)
            totals.add(fact)
            for key in keys(fact, by, pilot):
                groups.setdefault(key, Counts()).add(fact)
            for name, chart in charts.items():
                for key in keys(fact, name, None):
                    chart.setdefault(key, Counts()).add(fact)
            if baseline is not None:
                (before if raw.date[:10].decode() < baseline else after).add(fact)
        seen += len(chunk)
        if progress:
            sys.stderr.write(f"\rai-governance: {seen} commits read")
    if progress:
        sys.stderr.write("\n")
    split = (baseline, before.freeze(), after.freeze()) if baseline is not None else None
    frozen = tuple(
        (name, tuple(sorted((k, c.freeze()) for k, c in chart.items())))
        for name, chart in charts.items()
    )
    return History(
        policy.name,
        scope,
        "pilot" if pilot else by,
        totals.freeze(),
        tuple(sorted((k, c.freeze()) for k, c in groups.items())),
        split,
        frozen,
    )


def to_json(history: History) -> dict[str, Any]:
    document: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "policy": history.policy,
        "scope": history.scope,
        "by": history.by,
        "totals": as_dict(history.totals),
        "groups": [{"key": key, **as_dict(tally)} for key, tally in history.groups],
    }
    if history.baseline is not None:
        date, before, after = history.baseline
        document["baseline"] = {"date": date, "before": as_dict(before), "after": as_dict(after)}
    return document


def merge(paths: list[str]) -> History:
    """The organisation's figures from the JSON reports of several repositories."""
    loaded = []
    for path in paths:
        try:
            with open(path, encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError) as exc:
            raise UsageError(f"{path}: cannot read a report: {exc}") from None
        if not isinstance(data, dict) or data.get("schema_version") != SCHEMA_VERSION:
            raise UsageError(f"{path}: not an `ai-governance report --format json` document")
        loaded.append(data)
    bys = {data["by"] for data in loaded}
    if len(bys) > 1:
        raise UsageError(
            f"the reports are grouped differently ({', '.join(sorted(bys))});"
            " merge reports made with the same --by"
        )
    totals, groups = Tally(), dict[str, Tally]()
    for data in loaded:
        totals = totals + from_dict(data["totals"])
        for group in data["groups"]:
            groups[group["key"]] = groups.get(group["key"], Tally()) + from_dict(group)
    return History(
        ", ".join(sorted({d["policy"] for d in loaded})),
        " + ".join(paths),
        loaded[0]["by"] if loaded else "month",
        totals,
        tuple(sorted(groups.items())),
    )
