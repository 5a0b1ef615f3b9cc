"""Conventions kept honest: every rule kind, reporter, schema object and marker is complete."""

from __future__ import annotations

import argparse
import ast
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import ROOT, Repo

from ai_governance.arguments import parser
from ai_governance.policy.schema import schema
from ai_governance.reporters import REPORTERS
from ai_governance.resources import data_file
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


PACKAGE = ROOT / "src" / "ai_governance"


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """Every ai_governance module ``name`` imports, at the top or inside a function."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: 1 - node.level or None]
                base = ".".join([*parent, base]).strip(".")
            found |= {
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                for alias in node.names
            }
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return {m for m in found if m in modules and m != name}


def test_imports_flow_one_way() -> None:
    """No cycle among the package's modules, deferred imports included."""
    modules = _modules()
    graph = {name: _imports(name, path, modules) for name, path in modules.items()}
    done: set[str] = set()

    def visit(name: str, path: tuple[str, ...]) -> None:
        assert name not in path, " -> ".join((*path[path.index(name) :], name))
        if name not in done:
            for imported in sorted(graph[name]):
                visit(imported, (*path, name))
            done.add(name)

    for name in sorted(graph):
        visit(name, ())
    importers = {name for name, imported in graph.items() if "ai_governance.cli" in imported}
    assert importers == {"ai_governance.__main__"}  # nothing below the CLI reaches up to it


def test_no_code_outside_rules_knows_a_kind_by_name() -> None:
    """Front ends, gatherers and builders ask the registry; they never compare kind names
    or read a kind's options."""
    for name, path in _modules().items():
        if name.startswith("ai_governance.rules"):
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Compare):
                constants = [
                    c.value for c in (node.left, *node.comparators) if isinstance(c, ast.Constant)
                ]
                assert not set(constants) & set(RULES), (name, node.lineno)
            if isinstance(node, ast.Attribute) and node.attr == "options":
                assert name == "ai_governance.policy.build", (name, node.lineno)


HOOK_IMPORTS = [
    "ai_governance",
    "ai_governance.change",
    "ai_governance.cli",
    "ai_governance.commands",
    "ai_governance.commands.common",
    "ai_governance.commands.hook",
    "ai_governance.detect",
    "ai_governance.detect.markers",
    "ai_governance.detect.trailers",
    "ai_governance.engine",
    "ai_governance.errors",
    "ai_governance.folders",
    "ai_governance.gather",
    "ai_governance.gather.git",
    "ai_governance.gather.local",
    "ai_governance.identities",
    "ai_governance.policy",
    "ai_governance.policy.build",
    "ai_governance.policy.globs",
    "ai_governance.policy.load",
    "ai_governance.policy.model",
    "ai_governance.records",
    "ai_governance.report",
    "ai_governance.resources",
    "ai_governance.rules",
    "ai_governance.rules.context",
    "ai_governance.rules.disclosure",
    "ai_governance.rules.disclosure_fix",
    "ai_governance.rules.disclosure_text",
    "ai_governance.rules.needs",
    "ai_governance.rules.review",
    "ai_governance.rules.security_scan",
]


# Standard modules the hook must not import (docs/internals.md, "Start-up"): each costs
# every commit a millisecond or more. select (to read two pipes) is still on the path.
COSTLY_STDLIB = {
    "argparse",
    "base64",
    "binascii",
    "contextlib",
    "datetime",
    "hashlib",
    "json",
    "logging",
    "select",
    "shutil",
    "subprocess",
    "tempfile",
    "typing",
    "warnings",
    "zlib",
}


def test_the_commit_msg_hook_imports_only_these(repo: Repo) -> None:
    """A stray import on the hook path costs every commit: this list changes on purpose or
    not at all. No jsonschema, PyYAML, Bandit or GitPython once the policy is cached."""
    (repo.path / "MSG").write_text("Add a cache\n")
    code = (
        "import sys\nfrom ai_governance.cli import main\n"
        "main(['hook', 'commit-msg', 'MSG'])\nbefore = set(sys.modules)\n"
        "main(['hook', 'commit-msg', 'MSG'])\n"
        "print('\\n'.join(sorted(m for m in sys.modules if m.startswith('ai_governance'))))\n"
        "print('third-party:', sorted({m.split('.')[0] for m in sys.modules} & "
        "{'jsonschema', 'yaml', 'bandit', 'git', 'argparse_extra'}))\n"
        "print('standard library:', sorted(set(sys.modules) & "
        f"set({sorted(COSTLY_STDLIB)!r})))\n"
    )
    first = subprocess.run(
        [sys.executable, "-c", code], cwd=repo.path, capture_output=True, text=True, check=True
    )
    again = subprocess.run(
        [sys.executable, "-c", code], cwd=repo.path, capture_output=True, text=True, check=True
    )
    assert first.returncode == 0
    assert again.stdout.splitlines() == [
        *HOOK_IMPORTS,
        "third-party: []",
        "standard library: ['select']",
    ]


def _shipped_text() -> list[Path]:
    """Every text file a user reads or runs: docs, README, hooks, the Action, workflows,
    the package's messages."""
    files = [ROOT / "README.md", ROOT / "action.yml", ROOT / "CHANGELOG.md"]
    files += sorted((ROOT / "docs").glob("*.md")) + sorted((ROOT / "hooks").iterdir())
    files += sorted((ROOT / ".github" / "workflows").glob("*.yml"))
    return files + sorted(PACKAGE.rglob("*.py"))


def test_nothing_tells_anyone_to_install_the_other_projects_name() -> None:
    """`ai-governance` on PyPI is someone else's: installing it is a dependency confusion."""
    wrong = re.compile(
        r"pip install(?:[ \t]+[^\s&;|]+)*?[ \t]+['\"]?ai-governance(?:\[\w+\])?['\"\s]"
    )
    for path in _shipped_text():
        assert not wrong.search(path.read_text()), path
    assert 'name = "ai-change-governance"' in (ROOT / "pyproject.toml").read_text()


def test_docs_pin_hooks_and_the_action_by_commit() -> None:
    for path in _shipped_text():
        if path.suffix == ".py":
            continue
        text = path.read_text()
        for rev in re.findall(r"^\s*rev: (\S+)", text, re.M):
            assert re.fullmatch(r"[0-9a-f]{40}", rev), (path, rev)
        for ref in re.findall(r"uses: your-org/ai-governance@(\S+)", text):
            assert ref == "RELEASE_COMMIT_SHA" or re.fullmatch(r"[0-9a-f]{40}", ref), (path, ref)
