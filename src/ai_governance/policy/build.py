"""Validated policy data to a frozen Policy, with the checks a schema cannot make.

Every regex and glob is compiled here, rule ids must be unique, exceptions and scopes must
name rules and teams that exist, dates must be real. Problems carry ``file:line:column``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from ai_governance.errors import PolicyError
from ai_governance.policy.globs import compile_glob
from ai_governance.policy.model import (
    Detect,
    Glob,
    Lazy,
    Marker,
    Pattern,
    Policy,
    PolicyException,
    RolloutStep,
    Rule,
    Scope,
    When,
)
from ai_governance.rules import RULES

TYPE_CHECKING = False  # typing itself costs a hook start-up 2.4 ms
if TYPE_CHECKING:
    import datetime
    from typing import Any

Where = Callable[[tuple[str | int, ...]], str]
_PATTERNS = (
    "value",
    "identity",
    "author_name",
    "author_email",
    "committer_name",
    "committer_email",
    "message",
    "subject",
)


class _Builder:
    def __init__(self, where: Where, *, lazy: bool = False) -> None:
        self.where = where
        self.problems: list[str] = []
        self.lazy = lazy  # patterns already known to compile: compiled when first used

    def fail(self, path: tuple[str | int, ...], text: str) -> None:
        self.problems.append(f"{self.where(path)}: {_dotted(path)}: {text}")

    def regex(self, text: str, path: tuple[str | int, ...]) -> re.Pattern[str]:
        try:
            return re.compile(text, re.IGNORECASE)
        except re.error as exc:
            self.fail(path, f"invalid regular expression {text!r}: {exc}")
            return re.compile(re.escape(text))

    def globs(self, texts: list[str] | None, path: tuple[str | int, ...]) -> tuple[Glob, ...]:
        built = []
        for index, text in enumerate(texts or ()):
            try:
                built.append(compile_glob(text))
            except ValueError as exc:
                self.fail((*path, index), f"invalid glob {text!r}: {exc}")
        return tuple(built)

    def date(self, text: str, path: tuple[str | int, ...]) -> datetime.date:
        import datetime  # only for a policy with dates

        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            self.fail(path, f"{text!r} is not a real date (YYYY-MM-DD)")
            return datetime.date.min

    def pattern(self, text: str, path: tuple[str | int, ...]) -> Pattern:
        return Lazy(text) if self.lazy else self.regex(text, path)

    def marker(self, raw: Mapping[str, Any], path: tuple[str | int, ...]) -> Marker:
        patterns = {key: self.pattern(raw[key], (*path, key)) for key in _PATTERNS if key in raw}
        trailer = raw.get("trailer")
        return Marker(
            id=raw["id"],
            tool=raw.get("tool", raw["id"] if "trailer" not in raw else ""),
            trailer=trailer.lower() if trailer else None,
            env=raw.get("env"),
            model=self.pattern(raw["model"], (*path, "model")) if "model" in raw else None,
            needles=_needles(raw),
            **patterns,
        )

    def teams(
        self, names: list[str], known: Mapping[str, Any], path: tuple[str | int, ...]
    ) -> None:
        for index, name in enumerate(names):
            if name not in known:
                allowed = ", ".join(sorted(known)) or "none are defined under `teams`"
                self.fail((*path, index), f"unknown team {name!r}; teams: {allowed}")

    def rule(self, raw: Mapping[str, Any], index: int, teams: Mapping[str, Any]) -> Rule:
        path: tuple[str | int, ...] = ("rules", index)
        when, scope = raw.get("when", {}), raw.get("scope", {})
        self.teams(scope.get("teams", []), teams, (*path, "scope", "teams"))
        self.teams(raw.get("from_teams", []), teams, (*path, "from_teams"))
        return Rule(
            id=raw["id"],
            kind=raw["kind"],
            mode=raw.get("mode"),
            when=When(
                ai_assisted=when.get("ai_assisted"),
                paths=self.globs(when.get("paths"), (*path, "when", "paths")),
            ),
            scope=Scope(
                teams=tuple(scope.get("teams", ())),
                paths=self.globs(scope.get("paths"), (*path, "scope", "paths")),
                # a kind's own `exclude_paths` (security-scan) narrows the scope the same way
                exclude_paths=self.globs(
                    scope.get("exclude_paths"), (*path, "scope", "exclude_paths")
                )
                + self.globs(raw.get("exclude_paths"), (*path, "exclude_paths")),
            ),
            options=RULES[raw["kind"]].parse(
                raw, lambda key, text: self.regex(text, (*path, key))
            ),
        )


def _literal(pattern: str) -> str | None:
    """The text a regex matches when it is a plain literal (escapes allowed), else None."""
    out, escaped = [], False
    for char in pattern.removeprefix("^").removesuffix("$"):
        if escaped:
            if char.isalnum():
                return None  # \d, \s, \b...: a class, not a character
            out.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in ".^$*+?{}[]|()":
            return None
        else:
            out.append(char)
    return None if escaped else "".join(out).lower()


def _needles(raw: Mapping[str, Any]) -> tuple[str, ...] | None:
    """Lower-case texts one of which every commit the marker matches contains: given, or
    derived from a trailer key and plain literals; None when a regex allows no such text.
    An environment-only marker never matches a commit: no needle at all."""
    if "needles" in raw:
        return tuple(needle.lower() for needle in raw["needles"])
    found = [raw["trailer"].lower()] if "trailer" in raw else []
    for key in _PATTERNS:
        if key in raw and key != "value":
            literal = _literal(raw[key])
            if not literal:
                return None
            found.append(literal)
    return tuple(found)


def _dotted(path: tuple[str | int, ...]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "(top level)"


def markers(
    raws: list[Mapping[str, Any]],
    where: Where,
    base: tuple[str | int, ...],
    *,
    lazy: bool = False,
) -> tuple[Marker, ...]:
    """Markers built from data; ``lazy`` for patterns known to compile (the shipped
    catalogue, checked by its tests), compiled only when a commit may match them."""
    builder = _Builder(where, lazy=lazy)
    built = tuple(builder.marker(raw, (*base, i)) for i, raw in enumerate(raws))
    if builder.problems:
        raise PolicyError(builder.problems)
    return built


def build(
    data: Mapping[str, Any], source: str, where: Where, catalogue: tuple[Marker, ...]
) -> Policy:
    """The Policy for schema-valid ``data``; PolicyError lists what else is wrong."""
    b = _Builder(where)
    teams = {name: tuple(members) for name, members in data.get("teams", {}).items()}
    rules: list[Rule] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(data["rules"]):
        if raw["id"] in seen:
            b.fail(
                ("rules", index, "id"),
                f"duplicate rule id {raw['id']!r} (first at rules[{seen[raw['id']]}])",
            )
        seen.setdefault(raw["id"], index)
        rules.append(b.rule(raw, index, teams))
    exceptions = []
    for index, raw in enumerate(data.get("exceptions", [])):
        for at, rule_id in enumerate(raw["rules"]):
            if rule_id not in seen:
                b.fail(
                    ("exceptions", index, "rules", at),
                    f"unknown rule id {rule_id!r}; rules: {', '.join(seen)}",
                )
        exceptions.append(
            PolicyException(
                number=index + 1,
                rules=tuple(raw["rules"]),
                paths=b.globs(raw.get("paths"), ("exceptions", index, "paths")),
                reason=raw["reason"],
                approved_by=raw["approved_by"],
                expires=b.date(raw["expires"], ("exceptions", index, "expires")),
            )
        )
    rollout = []
    for index, raw in enumerate(data.get("rollout", [])):
        b.teams(raw.get("teams", []), teams, ("rollout", index, "teams"))
        until = b.date(raw["until"], ("rollout", index, "until")) if "until" in raw else None
        rollout.append(
            RolloutStep(mode=raw["mode"], until=until, teams=tuple(raw.get("teams", ())))
        )
    detect = data.get("detect", {})
    own = tuple(
        b.marker(raw, ("detect", "markers", i)) for i, raw in enumerate(detect.get("markers", []))
    )
    env = tuple(
        Marker(id=f"env-{name.lower()}", tool="", env=name) for name in detect.get("env", [])
    )
    if b.problems:
        raise PolicyError(b.problems)
    return Policy(
        name=data["name"],
        source=source,
        mode=data.get("mode", "enforce"),
        rollout=tuple(rollout),
        teams=teams,
        detect=Detect(
            builtin=detect.get("builtin", True),
            markers=(catalogue if detect.get("builtin", True) else ()) + own + env,
            pr_labels=tuple(detect.get("pr_labels", ())),
        ),
        rules=tuple(rules),
        exceptions=tuple(exceptions),
        people={login: tuple(emails) for login, emails in data.get("people", {}).items()},
    )
