"""Strict YAML: plain data only, with the position of every key and value.

PyYAML accepts duplicate keys (the last wins), anchors and aliases (an alias bomb loads
fast and then makes validation run for seconds), tags and several documents per file.
This loader walks the event stream itself and turns each of those into a problem that
names the line and column, so a policy means exactly what it says or is refused.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import yaml

from ai_governance.errors import PolicyError
from ai_governance.records import NamedTuple

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 32
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_RESOLVER = yaml.resolver.Resolver()
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"

Path = tuple[str | int, ...]


class Mark(NamedTuple):
    line: int
    column: int


class Document(NamedTuple):
    """Loaded data plus where each value (and each mapping key) stands in the file."""

    path: str
    data: Any
    values: dict[Path, Mark]
    keys: dict[Path, Mark]
    surprises: dict[Path, str]  # YAML 1.1 reads these plain scalars as non-strings

    def mark(self, path: Path, *, key: bool = False) -> Mark:
        """The closest known position: the key itself, else the value, else a parent."""
        probe = path
        while probe:
            found = (self.keys.get(probe) if key else None) or self.values.get(probe)
            if found:
                return found
            probe = probe[:-1]
        return self.values.get((), Mark(1, 1))

    def where(self, path: Path, *, key: bool = False) -> str:
        mark = self.mark(path, key=key)
        return f"{self.path}:{mark.line}:{mark.column}"


def _mark(event: Any) -> Mark:
    return Mark(event.start_mark.line + 1, event.start_mark.column + 1)


def _scalar(event: Any) -> tuple[Any, bool]:
    """The value YAML gives a scalar, and whether a plain scalar surprised (not str)."""
    if not event.implicit[0]:  # quoted or block: always text
        return event.value, False
    if event.value == "":
        return None, False
    tag = _RESOLVER.resolve(yaml.ScalarNode, event.value, (True, False))  # type: ignore[no-untyped-call]
    if tag == _TIMESTAMP:
        return event.value, False  # dates stay text; the schema checks their form
    if tag == "tag:yaml.org,2002:str":
        return event.value, False
    value = _CONSTRUCTOR.construct_object(yaml.ScalarNode(tag, event.value))
    surprising = (tag == _BOOL and event.value.lower() not in ("true", "false")) or (
        tag == _INT and str(value) != event.value.lstrip("+")
    )
    return value, surprising


class _Builder:
    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[str] = []
        self.values: dict[Path, Mark] = {}
        self.keys: dict[Path, Mark] = {}
        self.surprises: dict[Path, str] = {}

    def problem(self, mark: Mark, text: str) -> None:
        self.problems.append(f"{self.path}:{mark.line}:{mark.column}: {text}")

    def check_node(self, event: Any) -> None:
        if getattr(event, "anchor", None) is not None:
            self.problem(_mark(event), f"anchors are not allowed (&{event.anchor})")
        implicit = getattr(event, "implicit", True)
        explicit = not any(implicit) if isinstance(implicit, tuple) else not implicit
        if getattr(event, "tag", None) is not None and explicit:
            self.problem(_mark(event), f"tags are not allowed ({event.tag})")

    def build(self, events: Iterator[Any]) -> Any:
        documents = 0
        root: Any = None
        for event in events:
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    self.problem(_mark(event), "only one YAML document is allowed per policy")
                    break
            elif isinstance(event, yaml.NodeEvent | yaml.CollectionStartEvent):
                root = self.node(event, events, (), 1)
        return root

    def node(self, event: Any, events: Iterator[Any], path: Path, depth: int) -> Any:
        self.values[path] = _mark(event)
        if isinstance(event, yaml.AliasEvent):
            self.problem(_mark(event), f"aliases are not allowed (*{event.anchor})")
            return None
        self.check_node(event)
        if depth > MAX_DEPTH:
            raise PolicyError([f"{self.where(event)}: nesting deeper than {MAX_DEPTH} levels"])
        if isinstance(event, yaml.ScalarEvent):
            value, surprising = _scalar(event)
            if surprising:
                self.surprises[path] = event.value
            return value
        if isinstance(event, yaml.SequenceStartEvent):
            items: list[Any] = []
            for item in events:
                if isinstance(item, yaml.SequenceEndEvent):
                    return items
                items.append(self.node(item, events, (*path, len(items)), depth + 1))
        mapping: dict[str, Any] = {}
        for key in events:
            if isinstance(key, yaml.MappingEndEvent):
                break
            name = self.key(key, events, path, depth)
            where: Path = (*path, name)
            value = self.node(next(events), events, where, depth + 1)
            if name in mapping:
                first = self.keys[where]
                self.problem(
                    _mark(key),
                    f"duplicate key {name!r} (first at line {first.line}, column {first.column})",
                )
                continue
            self.keys[where] = _mark(key)
            mapping[name] = value
        return mapping

    def key(self, event: Any, events: Iterator[Any], path: Path, depth: int) -> str:
        if not isinstance(event, yaml.ScalarEvent):
            self.problem(_mark(event), "mapping keys must be plain strings")
            self.node(event, events, (*path, "?"), depth + 1)
            return f"?{event.start_mark.line}"
        self.check_node(event)
        value, _ = _scalar(event)
        if not isinstance(value, str):
            self.problem(
                _mark(event),
                f"key {event.value!r} is read by YAML as {value!r}, not text: quote it",
            )
            return event.value
        return value

    def where(self, event: Any) -> str:
        mark = _mark(event)
        return f"{self.path}:{mark.line}:{mark.column}"


def _at(raw: bytes, offset: int, path: str) -> str:
    line = raw.count(b"\n", 0, offset) + 1
    column = offset - raw.rfind(b"\n", 0, offset)
    return f"{path}:{line}:{column}"


def load(raw: bytes, path: str) -> Document:
    """Parse ``raw`` strictly; raise PolicyError listing every problem found."""
    if len(raw) > MAX_BYTES:
        raise PolicyError([f"{path}:1:1: file is {len(raw)} bytes, over the cap of {MAX_BYTES}"])
    nul = raw.find(b"\0")
    try:
        text = raw.decode("utf-8-sig") if nul < 0 else ""
    except UnicodeDecodeError as exc:
        bad = f"byte 0x{raw[exc.start]:02x} cannot be decoded"
        raise PolicyError([f"{_at(raw, exc.start, path)}: not UTF-8 text ({bad})"]) from None
    if nul >= 0:
        raise PolicyError([f"{_at(raw, nul, path)}: binary, not text (a NUL byte)"])
    builder = _Builder(path)
    try:
        data = builder.build(iter(yaml.parse(text, Loader=_Loader)))
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        char = chr(exc.character) if isinstance(exc.character, int) else exc.character
        raise PolicyError(
            [f"{path}:{line}:{column}: invalid YAML: character {char!r} is not allowed"]
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line, mark.column) if mark else (0, 0)
        hint = ""
        lines = text.split("\n")
        if line < len(lines) and lines[line][column : column + 1] == "\t":
            hint = " (a tab: YAML indents with spaces)"
        raise PolicyError(
            [f"{path}:{line + 1}:{column + 1}: invalid YAML: {exc.problem or exc.context}{hint}"]
        ) from None
    except yaml.YAMLError as exc:
        raise PolicyError([f"{path}:1:1: invalid YAML: {exc}"]) from None
    if builder.problems:
        raise PolicyError(builder.problems)
    if data is None:
        raise PolicyError(
            [
                f"{path}:1:1: the policy is empty; write one (docs/policy.md)"
                " or remove the file to use the embedded default policy"
            ]
        )
    return Document(path, data, builder.values, builder.keys, builder.surprises)
