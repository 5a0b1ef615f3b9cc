"""`report` and `check` agree: on generated histories, under policies that use every
feature a verdict depends on, the report's figures are what `check --range C` says commit
by commit, and `disclosed` is what git's own trailer parser finds."""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from conftest import Repo, git, judge

LINES = [
    "Prose that explains the change.",
    "Co-Authored-By: Claude Opus 4.6 <noreply@anthropic.com>",
    "Co-authored-by: Cursor <cursoragent@cursor.com>",
    "Co-authored-by: Jane Doe <jane@example.com>",
    "Assisted-by: Claude Code",
    "Assisted-by : Aider",
    "Assisted-by:",
    "  Claude Code",
    "Assisted-by: none",
    "Generated-by: Claude Code",
    "Signed-off-by: Jane Doe <jane@example.com>",
    "\U0001f916 Generated with [Claude Code](https://claude.com/claude-code)",
    "# a comment line",
    "#123",
    "aider: a subject-like line",
    "",
    "",
]
PEOPLE = [
    "Jane Doe <jane@example.com>",
    "John Roe <john@example.org>",
    "Jane Doe (aider) <jane@example.com>",
    "Pilot Person <pilot@example.com>",
]
HEAD = "version: 1\nname: differential\nteams:\n  pilot: [pilot@example.com, jane@example.com]\n"
POLICIES = {
    "default": None,
    "rollout-and-warn": HEAD + "mode: enforce\nrollout:\n  - {teams: [pilot], mode: enforce}\n"
    "  - {until: 2026-06-30, mode: warn}\nrules:\n  - id: d\n    kind: disclosure\n",
    "when-scope-exceptions": HEAD + "rules:\n"
    "  - id: d\n    kind: disclosure\n    when: {paths: ['src/**']}\n"
    "  - id: g\n    kind: disclosure\n    trailer: Generated-by\n    scope: {teams: [pilot]}\n"
    "  - id: o\n    kind: disclosure\n    mode: 'off'\n"
    "  - id: r\n    kind: review\n"
    "exceptions:\n  - {rules: [g], reason: r, approved_by: a, expires: 2026-12-31}\n",
    "value-and-expired": HEAD + "rules:\n"
    "  - id: d\n    kind: disclosure\n    value: '^(?!none$)[^:]+$'\n"
    "  - id: s\n    kind: security-scan\n"
    "exceptions:\n  - {rules: [d], reason: r, approved_by: a, expires: 2026-01-01}\n",
}
POLICIES["people-and-teams"] = (
    "version: 1\nname: people\nteams:\n  pilot: [jane]\npeople:\n  jane: [jane@example.com]\n"
    "rollout:\n  - {teams: [pilot], mode: enforce}\n  - {mode: 'off'}\n"
    "rules:\n  - id: d\n    kind: disclosure\n    scope: {teams: [pilot]}\n"
)
TODAY = "2026-07-01"


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """60 commits of random messages, authors and files, the same every run."""
    pick = random.Random(20261130)
    repo = Repo(tmp_path_factory.mktemp("differential") / "repo")
    for index in range(60):
        lines = [pick.choice(LINES) for _ in range(pick.randint(1, 7))]
        if pick.random() < 0.3:
            lines = ["Subject", "", *lines]
        message = "\n".join(lines).strip("\n") or "Empty"
        author = pick.choice(PEOPLE)
        folder = pick.choice(["src", "docs", "src/auth"])
        if index % 13 == 12:  # a rename out of src/, which globs match by the old path too
            git(repo.path, "mv", f"src/f{index % 4}.txt", f"moved{index}.txt")
            folder = "docs"
        repo.commit(message, files={f"{folder}/f{index % 4}.txt": str(index)}, author=author)
        if index == 0:
            repo.commit("Seed", files={f"src/f{i}.txt": "seed" for i in range(4)}, author=author)
    return repo.path


def _check_commit(repo: Path, sha: str, policy: str | None) -> dict[str, Any]:
    extra = ["--policy", policy] if policy else []
    code, lines = judge(
        repo, "check", "--range", sha, "--format", "json", "--today", TODAY, *extra
    )
    assert code in (0, 1)
    document: dict[str, Any] = json.loads("\n".join(lines))
    return document


NO_AI = re.compile(r"^(none|no|n/?a|false)$", re.I)  # "Assisted-by: none" declares no AI


def _git_discloses(repo: Path, sha: str, key: str, value: str) -> bool:
    message = git(repo, "log", "-1", "--format=%B", sha)
    trailers = git(repo, "interpret-trailers", "--parse", stdin=message)
    return any(
        name.strip().lower() == key.lower()
        and re.search(value, found.strip(), re.I)
        and not NO_AI.match(found.strip())
        for name, _, found in (line.partition(":") for line in trailers.splitlines())
    )


@pytest.mark.parametrize("name", sorted(POLICIES))
def test_report_figures_are_check_verdicts_commit_by_commit(
    history: Path, tmp_path: Path, name: str
) -> None:
    policy = None
    if POLICIES[name] is not None:
        (tmp_path / "p.yml").write_text(POLICIES[name] or "")
        policy = str(tmp_path / "p.yml")
    extra = ["--policy", policy] if policy else []
    code, lines = judge(history, "report", "--format", "json", "--today", TODAY, *extra)
    assert code == 0
    totals = json.loads("\n".join(lines))["totals"]
    expected: Counter[str] = Counter()
    tools: Counter[str] = Counter()
    violations: Counter[str] = Counter()
    for sha in git(history, "rev-list", "HEAD").split():
        checked = _check_commit(history, sha, policy)
        expected["commits"] += 1
        if not checked["ai_assisted"]:  # what the report takes for granted, checked
            failed = [r["rule"] for r in checked["results"] if r["status"] in ("failed", "warned")]
            assert [r for r in failed if r in violations or r in ("d", "g", "ai-disclosure")] == []
            continue
        expected["ai_assisted"] += 1
        tools.update({e["tool"] or e["marker"] for e in checked["evidence"]})
        for result in checked["results"]:
            if result["kind"] == "disclosure" and result["status"] in ("failed", "warned"):
                violations[result["rule"]] += 1
        asked = [
            _git_discloses(history, sha, key, value)
            for key, value in {
                "default": [("Assisted-by", r"^[^:\s][^:]*(:.+)?$")],
                "rollout-and-warn": [("Assisted-by", r"^\S.*$")],
                "when-scope-exceptions": [("Assisted-by", r"^\S.*$"), ("Generated-by", r"^\S.*$")],
                "value-and-expired": [("Assisted-by", r"^(?!none$)[^:]+$")],
                "people-and-teams": [("Assisted-by", r"^\S.*$")],
            }[name]
        ]
        expected["disclosed"] += all(asked)
    assert {k: totals[k] for k in ("commits", "ai_assisted", "disclosed")} == {
        "commits": expected["commits"],
        "ai_assisted": expected["ai_assisted"],
        "disclosed": expected["disclosed"],
    }
    assert totals["by_tool"] == dict(sorted(tools.items()))
    assert totals["violations"] == dict(sorted(violations.items()))
    assert expected["ai_assisted"] > 10
    assert sum(violations.values()) > 0


def test_prose_after_a_trailer_is_judged_as_git_reads_it(repo: Repo) -> None:
    """Two messages a looser cache key merged: git reads a trailer block in the second
    only. The report counts one violation, as check does."""
    repo.commit("Fix a\n\nAssisted-by: Claude Code\nprose\n\n#123")
    repo.commit("Fix b\n\nAssisted-by: Claude Code\n\n#123")
    code, lines = judge(repo.path, "report", "--format", "json")
    assert code == 0
    totals = json.loads("\n".join(lines))["totals"]
    assert (totals["ai_assisted"], totals["disclosed"], totals["violations"]) == (
        2,
        1,
        {"ai-disclosure": 1},
    )
    first = git(repo.path, "rev-list", "--reverse", "HEAD").split()[0]
    assert judge(repo.path, "check", "--range", first)[0] == 1


def test_a_folded_trailer_value_is_read_whole(repo: Repo) -> None:
    """Two messages a key that kept only the shape of indented lines would merge: the tool
    is named by the trailer's value, folded onto the next line, as git unfolds it."""
    repo.commit("Fix a\n\nAI-Tools: Claude\n  Code")
    repo.commit("Fix b\n\nAI-Tools: Claude\n  Cursor")
    repo.commit("Fix c\n\nReviewed-by: Jane\n  Doe\nTicket: ABC-1")  # nothing to read here
    code, lines = judge(repo.path, "report", "--format", "json")
    assert code == 0
    totals = json.loads("\n".join(lines))["totals"]
    assert totals["by_tool"] == {"Claude Code": 1, "Claude Cursor": 1}
    assert totals["ai_assisted"] == 2
