"""Policy tests: files of changes, each with the result every named rule must give it.

A test file is YAML read by the same strict loader as a policy and validated by its own
JSON Schema (``data/policy-test.schema.json``, printed by ``ai-governance schema --tests``).
Each case becomes a ``Change`` exactly as a front end would gather it, so ``ai-governance
test`` judges it with the one engine; this module only reads and builds.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable, Mapping
from typing import Any

from ai_governance.change import Change, ChangedFile, Commit, Identity, PullRequest, Review
from ai_governance.errors import PolicyError, UsageError
from ai_governance.records import NamedTuple

Where = Callable[..., str]
DEFAULT_FOLDER = os.path.join(".ai-governance", "tests")


class Case(NamedTuple):
    name: str
    number: int  # position in the file's `cases`
    today: datetime.date | None
    change: Change
    expect: Mapping[str, str]  # rule id -> passed | failed | warned | skipped | error
    exit: int | None
    ai_assisted: bool | None


class Suite(NamedTuple):
    path: str
    policy: str | None  # the policy file, resolved against the test file; None: check's own
    cases: tuple[Case, ...]
    where: Where  # (key path, key=False) -> "file:line:col"


def _identity(data: Mapping[str, Any] | None) -> Identity | None:
    if data is None:
        return None
    return Identity(data["name"], data["email"], data.get("login"))


def _file(data: Mapping[str, Any]) -> ChangedFile:
    content = data.get("content")
    raw = None if content is None else content.encode()
    base = data.get("base")
    status = data.get("status", "added" if base is None else "modified")
    return ChangedFile(
        path=data["path"],
        status=status,
        old_path=data.get("old_path"),
        size=None if raw is None else len(raw),
        content=raw,
        head=(raw or b"").split(b"\n", 1)[0],
        old_blob="" if base is None else "base",
        old_mode="" if base is None else "100644",
        base=None if base is None else base.encode(),
    )


def _pull_request(data: Mapping[str, Any] | None) -> PullRequest | None:
    if data is None:
        return None
    reviews = tuple(
        Review(
            r["reviewer"],
            r["state"],
            "an earlier commit" if r.get("stale") else "head",
            bot=r.get("bot", False),
        )
        for r in data.get("reviews", ())
    )
    return PullRequest(
        number=data.get("number", 1),
        title=data.get("title", ""),
        body=data.get("body", ""),
        author=data["author"],
        labels=tuple(data.get("labels", ())),
        base_sha="base",
        head_sha="head",
        reviews=reviews,
        draft=data.get("draft", False),
    )


def change_of(data: Mapping[str, Any]) -> Change:
    commits = tuple(
        Commit(
            c.get("sha", f"{index + 1:040x}"),
            c["message"],
            _identity(c.get("author")),
            _identity(c.get("committer", c.get("author"))),
        )
        for index, c in enumerate(data.get("commits", ()))
    )
    if data["stage"] == "commit-msg" and commits:
        commits = (commits[0]._replace(sha=None), *commits[1:])
    teams = {
        slug.lower(): frozenset(m.lower() for m in ms)
        for slug, ms in data.get("teams", {}).items()
    }
    return Change(
        data["stage"],
        commits,
        tuple(sorted((_file(f) for f in data.get("files", ())), key=lambda f: f.path)),
        _pull_request(data.get("pr")),
        environment=frozenset(data.get("env", ())),
        team_members=teams,
    )


def load_suite(path: str) -> Suite:
    """The suite in ``path``; PolicyError with ``file:line:col`` when it is not one."""
    from ai_governance.policy import schema, yamlsafe

    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the policy tests: {exc.strerror}") from None
    doc = yamlsafe.load(raw, path)
    problems = schema.validate(doc, schema.tests_schema())
    if problems:
        raise PolicyError(problems)
    cases = []
    for index, case in enumerate(doc.data["cases"]):
        today = case.get("today")
        expect = dict(case["expect"])
        cases.append(
            Case(
                case["name"],
                index,
                None if today is None else datetime.date.fromisoformat(today),
                change_of(case["change"]),
                {k: v for k, v in expect.items() if k not in ("exit", "ai_assisted")},
                expect.get("exit"),
                expect.get("ai_assisted"),
            )
        )
    policy = doc.data.get("policy")
    where = os.path.join(os.path.dirname(path), policy) if policy else None
    return Suite(path, where, tuple(cases), doc.where)


def discover(paths: list[str], root: str | None) -> list[str]:
    """The test files named (folders searched for ``*.yml``/``*.yaml``), or the default
    folder's; a usage error when there are none, never a silent pass."""
    wanted = paths or [os.path.relpath(os.path.join(root or ".", DEFAULT_FOLDER))]
    found: list[str] = []
    for path in wanted:
        if os.path.isdir(path):
            found += sorted(
                os.path.join(path, name)
                for name in os.listdir(path)
                if name.endswith((".yml", ".yaml"))
            )
        elif os.path.exists(path):
            found.append(path)
        else:
            raise UsageError(f"{path}: no such policy test file or folder")
    if not found:
        raise UsageError(
            f"no policy tests in {', '.join(wanted)}: write one (docs/policy-tests.md) or"
            " name the files"
        )
    return found
