"""A policy that ``extends`` others: their data merged under its own, never weaker.

A repository may add rules, teams, people and markers, and make an inherited rule
stricter. Anything that would weaken what it inherits (a lower mode, fewer approvals, a
looser threshold, a narrower scope or a ``when``, an exception on an inherited rule, a
redefined team) is a problem at the repository's ``file:line:col`` naming the inherited
value and where it comes from, unless the inherited rule lists the key in ``overridable``.
What is weaker for a kind's own keys, the kind says (``weakened``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ai_governance.records import NamedTuple
from ai_governance.rules import RULES

Where = Callable[..., str]  # (key path, key=False) -> "file:line:col"
STRICTNESS = {"off": 0, "warn": 1, "enforce": 2}
FREE = ("id", "kind", "description")  # keys of an inherited rule anyone may restate


class Layer(NamedTuple):
    name: str
    data: dict[str, Any]
    where: Where


class Merged(NamedTuple):
    data: dict[str, Any]
    where: Where  # of every key, in the file it comes from
    origins: tuple[tuple[str, str], ...]  # (what, file:line:col) for --effective
    problems: tuple[str, ...]


def _dotted(path: tuple[str | int, ...]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _origin(layer: Layer, path: tuple[str | int, ...]) -> str:
    """Where ``layer`` states ``path``: the key itself, else the nearest part that holds it
    (a rule that leaves the key at its default), else the file."""
    for cut in range(len(path), 0, -1):
        try:
            return layer.where(path[:cut])
        except (KeyError, IndexError):
            continue
    return layer.name


def merge(base: Layer, own: Layer) -> Merged:
    problems: list[str] = []

    def weaker(path: tuple[str | int, ...], text: str, inherited: tuple[str | int, ...]) -> None:
        origin = _origin(base, inherited)
        problems.append(f"{own.where(path)}: {_dotted(path)}: {text} (inherited from {origin})")

    data = dict(base.data)
    data.update(own.data)  # `extends` stays: a policy that has it is never cached
    base_mode = base.data.get("mode", "enforce")
    own_mode = own.data.get("mode", base_mode)
    if STRICTNESS[own_mode] < STRICTNESS[base_mode]:
        weaker(("mode",), f"lowers the mode from {base_mode} to {own_mode}", ("mode",))
    if "rollout" in own.data:
        if "rollout" in base.data and own.data["rollout"] != base.data["rollout"]:
            weaker(("rollout",), "replaces the inherited rollout", ("rollout",))
        for index, step in enumerate(own.data["rollout"]):
            if STRICTNESS[step["mode"]] < STRICTNESS[base_mode]:
                weaker(
                    ("rollout", index, "mode"),
                    f"a step in {step['mode']} mode under a policy that enforces {base_mode}",
                    ("mode",),
                )
    for key in ("teams", "people"):
        mine, theirs = own.data.get(key, {}), base.data.get(key, {})
        for name in sorted(set(mine) & set(theirs)):
            if sorted(mine[name]) != sorted(theirs[name]):
                noun = {"teams": "team", "people": "person"}[key]
                weaker((key, name), f"redefines the inherited {noun} {name!r}", (key, name))
        data[key] = {**theirs, **mine}
    base_detect, own_detect = base.data.get("detect", {}), own.data.get("detect", {})
    if base_detect.get("builtin", True) and own_detect.get("builtin", True) is False:
        weaker(("detect", "builtin"), "turns the shipped marker catalogue off", ("detect",))
    data["detect"] = {
        "builtin": base_detect.get("builtin", True) or own_detect.get("builtin", True),
        **{
            key: [*base_detect.get(key, []), *own_detect.get(key, [])]
            for key in ("markers", "pr_labels", "env")
            if key in base_detect or key in own_detect
        },
    }
    rules, places = _rules(base, own, base_mode, weaker)
    data["rules"] = rules
    inherited = {rule["id"] for rule in base.data["rules"]}
    for index, exception in enumerate(own.data.get("exceptions", [])):
        for at, rule_id in enumerate(exception["rules"]):
            allowed: list[str] = next(
                (r.get("overridable", []) for r in base.data["rules"] if r["id"] == rule_id), []
            )
            if rule_id in inherited and "exceptions" not in allowed:
                weaker(
                    ("exceptions", index, "rules", at),
                    f"an exception to the inherited rule {rule_id!r}",
                    ("rules",),
                )
    data["exceptions"] = [*base.data.get("exceptions", []), *own.data.get("exceptions", [])]
    shift = len(base.data.get("exceptions", []))

    def where(path: tuple[str | int, ...], *, key: bool = False) -> str:
        head = path[:2]
        if head[:1] == ("rules",) and len(path) > 1 and isinstance(path[1], int):
            layer, index, inherited_at = places[path[1]]
            try:
                return layer.where(("rules", index, *path[2:]), key=key)
            except (KeyError, IndexError):  # a key the rule inherits unchanged
                return base.where(("rules", inherited_at, *path[2:]), key=key)
        if head[:1] == ("exceptions",) and len(path) > 1 and isinstance(path[1], int):
            if path[1] < shift:
                return base.where(path, key=key)
            return own.where(("exceptions", path[1] - shift, *path[2:]), key=key)
        if path[:1] in (("teams",), ("people",)) and len(path) > 1:
            layer = own if path[1] in own.data.get(str(path[0]), {}) else base
            return layer.where(path, key=key)
        layer = own if path[:1] and path[0] in own.data else base
        try:
            return layer.where(path, key=key)
        except (KeyError, IndexError):
            return layer.name

    origins = tuple(
        (f"rule {rule['id']}", layer.where(("rules", index)))
        for rule, (layer, index, _) in zip(rules, places, strict=True)
    )
    return Merged(data, where, origins, tuple(problems))


def _rules(
    base: Layer,
    own: Layer,
    base_mode: str,
    weaker: Callable[[tuple[str | int, ...], str, tuple[str | int, ...]], None],
) -> tuple[list[dict[str, Any]], list[tuple[Layer, int, int]]]:
    """The merged rules in order (inherited first, then new ones) and where each is: (the
    layer that last stated it, its index there, its index in the base)."""
    mine = {rule["id"]: (index, rule) for index, rule in enumerate(own.data["rules"])}
    rules: list[dict[str, Any]] = []
    places: list[tuple[Layer, int, int]] = []
    for index, old in enumerate(base.data["rules"]):
        if old["id"] not in mine:
            rules.append(old)
            places.append((base, index, index))
            continue
        at, new = mine[old["id"]]
        path: tuple[str | int, ...] = ("rules", at)
        allowed = set(old.get("overridable", []))
        if new["kind"] != old["kind"]:
            weaker(
                (*path, "kind"), f"changes the kind from {old['kind']}", ("rules", index, "kind")
            )
            rules.append(old)
            places.append((base, index, index))
            continue
        merged = {**old, **new}
        old_mode = old.get("mode", base_mode)
        if (
            "mode" not in allowed
            and STRICTNESS[merged.get("mode", old_mode)] < STRICTNESS[old_mode]
        ):
            weaker((*path, "mode"), f"lowers the mode from {old_mode}", ("rules", index, "mode"))
        for key in ("when", "scope", "overridable"):
            if key not in allowed and merged.get(key) != old.get(key):
                weaker((*path, key), f"changes the inherited `{key}`", ("rules", index, key))
        for keys, text in RULES[old["kind"]].weakened(old, merged):
            if str(keys[0]) not in allowed:
                weaker((*path, *keys), text, ("rules", index, *keys))
        rules.append(merged)
        places.append((own, at, index))
    for index, new in enumerate(own.data["rules"]):
        if new["id"] not in {rule["id"] for rule in base.data["rules"]}:
            rules.append(new)
            places.append((own, index, index))
    return rules, places
