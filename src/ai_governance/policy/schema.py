"""JSON Schema validation, with errors that point at the line and say what is allowed."""

from __future__ import annotations

import difflib
import functools
import json
import re
from typing import Any

import jsonschema

from ai_governance.policy.load import data_file
from ai_governance.policy.yamlsafe import Document, Path


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


def _describe(doc: Document, error: jsonschema.ValidationError) -> list[str]:
    path: Path = tuple(error.absolute_path)
    sub = error.schema if isinstance(error.schema, dict) else {}
    if error.validator == "additionalProperties":
        return _unknown_keys(doc, path, error.instance, sub)
    if error.validator == "required":
        missing = str(error.message).split("'")[1]
        return [f"{doc.where(path)}: {dotted(path)}: missing required key `{missing}`"]
    if error.validator == "enum":
        allowed = ", ".join(str(v) for v in sub["enum"])
        text = f"{error.instance!r} is not allowed; allowed: {allowed}"
    elif error.validator == "const":
        text = f"{error.instance!r} is not allowed; it must be {sub['const']!r}"
    elif error.validator == "pattern":
        text = f"{error.instance!r} does not match /{sub['pattern']}/"
        text += f" ({sub['description']})" if "description" in sub else ""
    elif error.validator == "format" and sub.get("format") == "regex":
        try:
            re.compile(str(error.instance))
            text = f"{error.instance!r} is not a valid regular expression"
        except re.error as exc:
            text = f"invalid regular expression {error.instance!r}: {exc}"
    elif error.validator == "format" and sub.get("format") == "date":
        text = f"{error.instance!r} is not a real date (YYYY-MM-DD)"
    elif error.validator == "anyOf" and path and "marker" in str(error.schema_path):
        text = "a marker needs at least one of: " + ", ".join(
            option["required"][0] for option in sub["anyOf"]
        )
    else:
        text = str(error.message)
    surprise = doc.surprises.get(path)
    if surprise is not None:
        text = (
            f"YAML reads the unquoted `{surprise}` as {error.instance!r}; quote it"
            f" ('{surprise}') to mean the text ({text})"
        )
    return [f"{doc.where(path)}: {dotted(path)}: {text}"]


def validate(doc: Document) -> list[str]:
    """Every schema violation in ``doc``, as ``file:line:col: key.path: what``."""
    validator = jsonschema.Draft202012Validator(
        schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
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
