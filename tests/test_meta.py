"""Conventions kept honest: every rule kind, reporter, schema object and marker is complete."""

from __future__ import annotations

import argparse
import json
import re
from typing import Any

import jsonschema
import pytest
from conftest import ROOT

from ai_governance.cli import parser
from ai_governance.policy.load import data_file
from ai_governance.policy.schema import schema
from ai_governance.reporters import REPORTERS
from ai_governance.rules import RULES

DOCS = ROOT / "docs"


@pytest.mark.parametrize("kind", sorted(RULES))
def test_rule_kind_has_schema_test_and_docs(kind: str) -> None:
    assert kind in schema()["$defs"]["rule"]["properties"]["kind"]["enum"]
    assert kind in schema()["$defs"]
    assert (ROOT / "tests" / "rules" / f"test_{kind.replace('-', '_')}.py").is_file()
    assert re.search(rf"^## `{re.escape(kind)}`$", (DOCS / "rules.md").read_text(), re.M)


def test_schema_kinds_are_exactly_the_registry() -> None:
    assert sorted(schema()["$defs"]["rule"]["properties"]["kind"]["enum"]) == sorted(RULES)


def test_every_reporter_is_a_format_choice() -> None:
    commands = next(a for a in parser()._actions if isinstance(a, argparse._SubParsersAction))
    for name in ("check",):
        formats = next(a for a in commands.choices[name]._actions if a.dest == "formats")
        assert sorted(formats.choices or ()) == sorted(REPORTERS)


def _objects(node: Any, path: str = "#") -> list[tuple[str, dict[str, Any]]]:
    found = []
    if isinstance(node, dict):
        if "properties" in node or "patternProperties" in node:
            found.append((path, node))
        for key, value in node.items():
            found += _objects(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _objects(value, f"{path}/{index}")
    return found


def test_every_schema_object_forbids_unknown_keys() -> None:
    dispatch = "#/$defs/rule"  # dispatches on `kind` to a definition that forbids them
    for path, node in _objects(schema()):
        if path != dispatch and not path.endswith("/if"):
            assert node.get("additionalProperties") is False, path
    jsonschema.Draft202012Validator.check_schema(schema())


def test_every_policy_key_is_documented() -> None:
    text = (DOCS / "policy.md").read_text() + (DOCS / "rules.md").read_text()
    keys = {key for _, node in _objects(schema()) for key in node.get("properties", {})}
    missing = sorted(key for key in keys if f"`{key}`" not in text)
    assert missing == []


def test_catalogue_markers_are_valid_policy_markers() -> None:
    markers = json.loads(data_file("markers.json"))["markers"]
    validator = jsonschema.Draft202012Validator(
        {**schema()["$defs"]["marker"], "$defs": schema()["$defs"]},
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )
    for marker in markers:
        assert list(validator.iter_errors(marker)) == [], marker["id"]
    assert len({m["id"] for m in markers}) == len(markers)


def test_documented_exit_codes_are_the_cli_table() -> None:
    text = (DOCS / "exit-codes.md").read_text()
    for code in ("0", "1", "2", "3", "130"):
        assert re.search(rf"^\| `{code}` \|", text, re.M), code
