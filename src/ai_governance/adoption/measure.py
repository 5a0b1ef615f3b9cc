"""One pass over the history: totals, groups (month, team, author, tool), a baseline split."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from ai_governance.adoption.figures import (
    NO_TEAM,
    Counts,
    Facts,
    Reader,
    Tally,
    as_dict,
    classify,
    from_dict,
    reader,
)
from ai_governance.adoption.history import Raw
from ai_governance.errors import GitError, UsageError
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


def _pass(
    read: Reader,
    chunks: Iterable[list[Raw]],
    *,
    by: str,
    pilot: str | None,
    baseline: str | None,
    charts_wanted: bool,
    part: int,
    parts: int,
    progress: bool,
) -> History:
    """Count every ``parts``-th commit, starting at ``part``, of the stream."""
    totals, groups = Counts(), dict[str, Counts]()
    cache: dict[bytes, tuple[str, ...]] = {}
    names = ("month", "team", "tool") if charts_wanted else ()  # only the HTML page draws them
    charts: dict[str, dict[str, Counts]] = {name: {} for name in names}
    before, after = Counts(), Counts()
    seen = 0
    for chunk in chunks:
        for raw in chunk[(part - seen) % parts :: parts]:
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
    return History(
        read.policy.name,
        "",
        "pilot" if pilot else by,
        totals.freeze(),
        tuple(sorted((k, c.freeze()) for k, c in groups.items())),
        (baseline, before.freeze(), after.freeze()) if baseline is not None else None,
        tuple(
            (name, tuple(sorted((k, c.freeze()) for k, c in chart.items())))
            for name, chart in charts.items()
        ),
    )


def _groups_wire(groups: tuple[tuple[str, Tally], ...]) -> list[Any]:
    return [[key, as_dict(tally)] for key, tally in groups]


def _to_wire(history: History) -> dict[str, Any]:
    return {
        "totals": as_dict(history.totals),
        "groups": _groups_wire(history.groups),
        "baseline": None
        if history.baseline is None
        else [history.baseline[0], as_dict(history.baseline[1]), as_dict(history.baseline[2])],
        "charts": [[name, _groups_wire(groups)] for name, groups in history.charts],
    }


def _from_wire(template: History, wire: dict[str, Any]) -> History:
    groups = tuple((key, from_dict(data)) for key, data in wire["groups"])
    split = wire["baseline"]
    return template._replace(
        totals=from_dict(wire["totals"]),
        groups=groups,
        baseline=None if split is None else (split[0], from_dict(split[1]), from_dict(split[2])),
        charts=tuple((name, tuple((k, from_dict(d)) for k, d in g)) for name, g in wire["charts"]),
    )


def _add_groups(*parts: tuple[tuple[str, Tally], ...]) -> tuple[tuple[str, Tally], ...]:
    merged: dict[str, Tally] = {}
    for groups in parts:
        for key, tally in groups:
            merged[key] = merged.get(key, Tally()) + tally
    return tuple(sorted(merged.items()))


def _combine(one: History, two: History) -> History:
    split = None
    if one.baseline is not None and two.baseline is not None:
        split = (
            one.baseline[0],
            one.baseline[1] + two.baseline[1],
            one.baseline[2] + two.baseline[2],
        )
    charts = dict(one.charts)
    return one._replace(
        totals=one.totals + two.totals,
        groups=_add_groups(one.groups, two.groups),
        baseline=split,
        charts=tuple((name, _add_groups(charts[name], groups)) for name, groups in two.charts),
    )


def measure(
    policy: Policy,
    source: Callable[[], Iterable[list[Raw]]],
    *,
    by: str,
    pilot: str | None,
    baseline: str | None,
    scope: str,
    progress: bool = False,
    charts_wanted: bool = False,
) -> History:
    """Read the history once per core: a forked child counts every other commit from its own
    ``git log`` (the stream is cheap; judging commits is not), and the halves are added."""
    if pilot is not None and pilot not in policy.teams:
        raise UsageError(
            f"--pilot {pilot}: the policy has no such team; teams:"
            f" {', '.join(policy.teams) or 'none'}"
        )
    read = reader(policy)

    def count(part: int, parts: int, shown: bool) -> History:
        return _pass(
            read,
            source(),
            by=by,
            pilot=pilot,
            baseline=baseline,
            charts_wanted=charts_wanted,
            part=part,
            parts=parts,
            progress=shown,
        )

    if not hasattr(os, "fork") or (os.cpu_count() or 1) < 2:
        return count(0, 1, progress)._replace(scope=scope)
    incoming, outgoing = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: its half, back as JSON, then leave without the parent's exit code
        os.close(incoming)
        try:
            payload: dict[str, Any] = {"history": _to_wire(count(1, 2, False))}
        except BaseException as exc:  # the parent reports it
            payload = {"error": str(exc)}
        with os.fdopen(outgoing, "w", encoding="utf-8") as out:
            json.dump(payload, out)
        os._exit(0)
    os.close(outgoing)
    try:
        mine = count(0, 2, progress)
    finally:
        with os.fdopen(incoming, encoding="utf-8") as handle:
            text = handle.read()
        os.waitpid(pid, 0)
    payload = json.loads(text or '{"error": "the second reader died"}')
    if "error" in payload:
        raise GitError(f"reading the history failed: {payload['error']}")
    return _combine(mine, _from_wire(mine, payload["history"]))._replace(scope=scope)


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
