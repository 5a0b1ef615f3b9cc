"""JSON Schema validation, with errors that point at the line and say what is allowed."""

from __future__ import annotations

import difflib
import functools
import json
import re
from typing import Any

import jsonschema

from ai_governance.policy.yamlsafe import Document, Path
from ai_governance.resources import data_file


@functools.cache
def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(data_file("policy.schema.json"))
    return loaded


def dotted(path: Path) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "(top level)"


def _allowed(subschema: dict[str, Any]) -> list[str]:
    return sorted(subschema.get("properties", {}))


def _unknown_keys(doc: Document, path: Path, instance: Any, sub: dict[str, Any]) -> list[str]:
    allowed = _allowed(sub)
    if "patternProperties" in sub:
        patterns = ", ".join(f"/{p}/" for p in sub["patternProperties"])
        return [f"{doc.where(path)}: {dotted(path)}: keys must match {patterns}"]
    problems = []
    for key in sorted(set(instance) - set(allowed)):
        near = difflib.get_close_matches(key, allowed, n=1)
        hint = f"did you mean `{near[0]}`? " if near else ""
        problems.append(
            f"{doc.where((*path, key), key=True)}: {dotted((*path, key))}: unknown key "
            f"`{key}`; {hint}allowed: {', '.join(allowed)}"
        )
    return problems


_KINDS = {
    "object": "a mapping",
    "array": "a list",
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "empty",
}


def _kind(value: Any) -> str:
    for python, kind in ((bool, "boolean"), (int, "integer"), (float, "number"), (str, "string")):
        if isinstance(value, python):
            return _KINDS[kind]
    return _KINDS[
        "object" if isinstance(value, dict) else "array" if isinstance(value, list) else "null"
    ]


def _what(error: jsonschema.ValidationError, sub: dict[str, Any], path: Path) -> str:
    """What is wrong with one value, in the policy writer's words."""
    value = error.instance
    if error.validator == "enum":
        return f"{value!r} is not allowed; allowed: {', '.join(str(v) for v in sub['enum'])}"
    if error.validator == "const":
        return f"{value!r} is not allowed; it must be {sub['const']!r}"
    if error.validator == "pattern":
        why = f" ({sub['description']})" if "description" in sub else ""
        return f"{value!r} does not match /{sub['pattern']}/{why}"
    if error.validator == "format" and sub.get("format") == "regex":
        try:
            re.compile(str(value))
        except re.error as exc:
            return f"invalid regular expression {value!r}: {exc}"
        return f"{value!r} is not a valid regular expression"
    if error.validator == "format" and sub.get("format") == "date":
        return f"{value!r} is not a real date (YYYY-MM-DD)"
    if error.validator == "type":
        wanted = sub["type"] if isinstance(sub["type"], list) else [sub["type"]]
        scalar = "" if isinstance(value, (dict, list)) else f" ({value!r})"
        return f"must be {' or '.join(_KINDS[t] for t in wanted)}, not {_kind(value)}{scalar}"
    if error.validator == "anyOf" and path and "marker" in str(error.schema_path):
        return "a marker needs at least one of: " + ", ".join(
            option["required"][0] for option in sub["anyOf"]
        )
    return str(error.message)


def _describe(doc: Document, error: jsonschema.ValidationError) -> list[str]:
    path: Path = tuple(error.absolute_path)
    sub = error.schema if isinstance(error.schema, dict) else {}
    if error.validator == "additionalProperties":
        return _unknown_keys(doc, path, error.instance, sub)
    if error.validator == "required":
        missing = str(error.message).split("'")[1]
        return [f"{doc.where(path)}: {dotted(path)}: missing required key `{missing}`"]
    text = _what(error, sub, path)
    surprise = doc.surprises.get(path)
    if surprise is not None:
        text = (
            f"YAML reads the unquoted `{surprise}` as {error.instance!r}; quote it"
            f" ('{surprise}') to mean the text ({text})"
        )
    return [f"{doc.where(path)}: {dotted(path)}: {text}"]


@functools.cache
def tests_schema() -> dict[str, Any]:
    """The schema of policy test files (``ai-governance test``)."""
    loaded: dict[str, Any] = json.loads(data_file("policy-test.schema.json"))
    return loaded


def validate(doc: Document, against: dict[str, Any] | None = None) -> list[str]:
    """Every violation in ``doc`` of the policy schema (or ``against``), as
    ``file:line:col: key.path: what``."""
    validator = jsonschema.Draft202012Validator(
        against or schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    problems: set[str] = set()
    for error in validator.iter_errors(doc.data):
        if error.validator in ("allOf", "if", "then"):
            continue
        problems.update(_describe(doc, error))
    return sorted(problems, key=lambda text: _position(doc, text))


def _position(doc: Document, problem: str) -> tuple[int, int, str]:
    line, column = problem[len(doc.path) + 1 :].split(":", 2)[:2]
    return int(line), int(column), problem
