"""What init writes: the pre-commit configuration merged line by line, validated by the
schemas SchemaStore publishes."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml
from conftest import FIXTURES
from referencing import Registry, Resource

from ai_governance import scaffold
from ai_governance.errors import UsageError

SOURCE = scaffold.Source("https://github.com/acme/ai-governance", "a" * 40)
EXISTING = """# Our hooks. Keep this comment.
ci:
  autofix_prs: false   # and this one
repos:
  # formatting first
  -   repo: https://github.com/psf/black
      rev: 24.1.0
      hooks:
        - id: black

# local checks
fail_fast: false
"""


def _validate(text: str) -> None:
    schemas = {
        name: json.loads((FIXTURES / "schemas" / name).read_text())
        for name in ("pre-commit-config.json", "pre-commit-hooks.json")
    }
    registry = Registry().with_resources(
        (s["$id"], Resource.from_contents(s)) for s in schemas.values()
    )
    jsonschema.Draft7Validator(schemas["pre-commit-config.json"], registry=registry).validate(
        yaml.safe_load(text)
    )


def test_a_new_configuration_installs_both_stages() -> None:
    text = scaffold.new_precommit(SOURCE, "1.2.3")
    _validate(text)
    data = yaml.safe_load(text)
    assert data["default_install_hook_types"] == ["pre-commit", "prepare-commit-msg", "commit-msg"]
    assert [h["id"] for h in data["repos"][0]["hooks"]] == list(scaffold.HOOK_IDS)


def test_merging_keeps_every_line_and_its_indentation() -> None:
    merged = scaffold.merge_precommit(EXISTING, yaml.safe_load(EXISTING), SOURCE, "1.2.3")
    assert merged is not None
    _validate(merged)
    added = [line for line in merged.splitlines() if line not in EXISTING.splitlines()]
    assert added[0] == "default_install_hook_types: [pre-commit, prepare-commit-msg, commit-msg]"
    assert [line.split("id: ")[-1] for line in added if "- id: " in line] == [
        "ai-governance-prepare-commit-msg",
        "ai-governance-commit-msg",
        "ai-governance-scan",
        "ai-governance-validate",
        "ai-governance-test",
    ]
    kept = iter(merged.splitlines())
    assert all(line in kept for line in EXISTING.splitlines())  # in order, none lost
    data = yaml.safe_load(merged)
    assert [r["repo"] for r in data["repos"]] == [
        "https://github.com/psf/black",
        "https://github.com/acme/ai-governance",
    ]
    assert data["fail_fast"] is False
    assert scaffold.merge_precommit(merged, data, SOURCE, "1.2.3") is None  # idempotent


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("repos: []\n", "writes `repos:` inline"),
        (
            "default_install_hook_types: [pre-commit]\nrepos:\n",
            "without pre-commit, prepare-commit-msg, commit-msg",
        ),
        ("- a list\n", "is not a pre-commit configuration"),
    ],
)
def test_shapes_it_cannot_edit_safely_are_errors_that_say_what_to_add(
    text: str, error: str
) -> None:
    with pytest.raises(UsageError, match=error):
        scaffold.merge_precommit(text, yaml.safe_load(text), SOURCE, "1.2.3")


def test_off_github_there_is_no_workflow_and_no_schema_line() -> None:
    elsewhere = scaffold.Source("https://gitlab.example.com/acme/ai-governance", "b" * 40)
    assert scaffold.workflow(elsewhere) is None
    assert scaffold.policy(b"version: 1\n", elsewhere) == b"version: 1\n"
    assert scaffold.policy(b"version: 1\n", SOURCE).startswith(
        b"# yaml-language-server: $schema=https://raw.githubusercontent.com/acme/ai-governance/"
    )
