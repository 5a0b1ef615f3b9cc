"""Detection against real commit messages (tests/fixtures/commit-messages) and traps."""

from __future__ import annotations

import json

import pytest
from conftest import FIXTURES

from ai_governance.change import Change, Commit, Identity, PullRequest
from ai_governance.detect.markers import commit_evidence, detect, tool_named_by
from ai_governance.policy.load import catalogue
from ai_governance.policy.model import Marker
from ai_governance.report import Evidence

MESSAGES = FIXTURES / "commit-messages"
INDEX = {entry["file"]: entry for entry in json.loads((MESSAGES / "index.json").read_text())}
OUTSIDE = "outside git's trailer block"
CLAUDE = "Claude <noreply@anthropic.com>"
EXPECTED: dict[str, list[tuple[str, str, str]]] = {
    "anthropics__claude-code-action__9e23f6d9edee.txt": [
        (
            "claude-code-footer",
            "Claude Code",
            "line 10: 🤖 Generated with [Claude Code](https://claude.ai/code)",
        ),
        ("claude-code-co-author", "Claude Code", f"trailer (line 12): Co-Authored-By: {CLAUDE}"),
    ],
    "anthropics__claude-code-action__21b0f0f9aa32.txt": [
        (
            "claude-code-co-author",
            "Claude Code",
            "trailer (line 12): Co-authored-by: Claude Opus 4.6 <noreply@anthropic.com>",
        ),
    ],
    "anthropics__claude-code-action__cc5ef44546fd.txt": [
        (
            "claude-app",
            "Claude",
            "trailer (line 10): Co-authored-by: claude[bot] "
            "<41898282+claude[bot]@users.noreply.github.com>",
        ),
    ],
    "anthropics__claude-code-action__49cfcf81070e.txt": [
        ("claude-code-co-author", "Claude Code", f"line 12, {OUTSIDE}: Co-Authored-By: {CLAUDE}"),
        (
            "claude-code-generated-by",
            "Claude Code",
            f"line 13, {OUTSIDE}: Claude-Generated-By: Claude Code (cli/claude-opus-4-5=100%)",
        ),
        (
            "claude-code-generated-by",
            "Claude Code",
            f"line 94, {OUTSIDE}: Claude-Generated-By: Claude Code (cli/claude-opus-4-5=100%)",
        ),
    ],
    "anthropics__claude-code-action__63ea7e317465.txt": [
        (
            "claude-code-footer",
            "Claude Code",
            "line 14: 🤖 Generated with [Claude Code](https://claude.com/claude-code)",
        ),
        ("claude-code-co-author", "Claude Code", f"line 16, {OUTSIDE}: Co-Authored-By: {CLAUDE}"),
        (
            "claude-code-footer",
            "Claude Code",
            "line 20: 🤖 Generated with [Claude Code](https://claude.com/claude-code)",
        ),
        ("claude-code-co-author", "Claude Code", f"line 22, {OUTSIDE}: Co-Authored-By: {CLAUDE}"),
    ],
    "anthropics__claude-code-action__492d2d78ee1f.txt": [
        (
            "cursor-co-author",
            "Cursor",
            "trailer (line 7): Co-authored-by: Cursor <cursoragent@cursor.com>",
        ),
    ],
    "anthropics__claude-code-action__2ca5fb40278a.txt": [],
    "anthropics__claude-code-action__24dcd50c0568.txt": [],
    "Aider-AI__aider__308b1546a035.txt": [
        (
            "aider-co-author",
            "Aider",
            "trailer (line 3): Co-authored-by: aider (gpt-5.4) <aider@aider.chat>",
        ),
    ],
    "Aider-AI__aider__14af218ea281.txt": [
        ("aider-identity", "Aider", "author: Paul Gauthier (aider) <paul@aider.chat>"),
        ("aider-identity", "Aider", "committer: Paul Gauthier (aider) <paul@aider.chat>"),
    ],
    "Aider-AI__aider__3ec8ec5a7d69.txt": [
        ("aider-identity", "Aider", "committer: Paul Gauthier (aider) <paul@aider.chat>"),
    ],
    "Aider-AI__aider__a87de46371c2.txt": [
        (
            "aider-subject",
            "Aider",
            "subject: aider: Split file content into words based on "
            "non-alphanumeric characters using re module in FileCo…",
        ),
    ],
    "Aider-AI__aider__c1e55614f7bf.txt": [],
    "Aider-AI__aider__b2bec25c2c78.txt": [
        (
            "claude-code-co-author",
            "Claude Code",
            "trailer (line 6): Co-Authored-By: Claude Opus 4.6 <noreply@anthropic.com>",
        ),
    ],
}


def _identity(text: str) -> Identity:
    name, email = text.rsplit(" <", 1)
    return Identity(name, email.rstrip(">"))


def _commit(entry: dict[str, str], message: str | None = None) -> Commit:
    text = (MESSAGES / entry["file"]).read_text() if message is None else message
    return Commit(
        entry["commit"],
        text.rstrip("\n"),
        _identity(entry["author"]),
        _identity(entry["committer"]),
    )


def test_every_fixture_has_an_expectation() -> None:
    assert sorted(EXPECTED) == sorted(INDEX)
    assert sorted(p.name for p in MESSAGES.glob("*.txt")) == sorted(INDEX)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_evidence(name: str) -> None:
    found = [
        (e.marker, e.tool, e.where) for e in commit_evidence(catalogue(), _commit(INDEX[name]))
    ]
    assert found == EXPECTED[name]


def test_prose_mention_is_not_evidence() -> None:
    entry = INDEX["Aider-AI__aider__c1e55614f7bf.txt"]
    assert "(aider)" in (MESSAGES / entry["file"]).read_text()
    assert list(commit_evidence(catalogue(), _commit(entry))) == []


@pytest.mark.parametrize(
    "who",
    [
        "Claude Dubois <claude@dubois.fr>",
        "Claude Shannon <claude.shannon@bell-labs.com>",
        "Cursor Smith <cursor@example.com>",
        "Devin Lee <devin@example.com>",
    ],
)
def test_humans_named_like_tools_are_not_ai(who: str) -> None:
    message = f"Fix the parser\n\nCo-authored-by: {who}"
    commit = Commit("a" * 40, message, _identity(who), _identity(who))
    assert list(commit_evidence(catalogue(), commit)) == []


@pytest.mark.parametrize(
    ("line", "marker", "tool"),
    [
        (
            "Co-authored-by: Copilot <223556219+Copilot@users.noreply.github.com>",
            "copilot-co-author",
            "GitHub Copilot",
        ),
        ("Co-authored-by: Copilot <copilot@github.com>", "copilot-co-author", "GitHub Copilot"),
        (
            "Co-Authored-By: Devin <158243242+devin-ai-integration[bot]@users.noreply.github.com>",
            "devin-co-author",
            "Devin",
        ),
        ("Co-authored-by: Codex <codex@openai.com>", "codex-co-author", "Codex"),
        ("Co-Authored-By: Oz <oz-agent@warp.dev>", "warp-oz", "Warp"),
        (
            "Claude-Session: https://claude.ai/code/session_0123",
            "claude-code-session",
            "Claude Code",
        ),
        ("co-authored-by : aider (gpt-4o) <noreply@aider.chat>", "aider-co-author", "Aider"),
        ("Assisted-by: Cursor:claude-4-sonnet", "assisted-by", "Cursor"),
        ("Generated-by: GitHub Copilot", "generated-by", "GitHub Copilot"),
        ("AI-assisted: true", "ai-assisted-flag", "an AI assistant"),
    ],
)
def test_catalogue_trailers(line: str, marker: str, tool: str) -> None:
    commit = Commit("b" * 40, f"Change things\n\n{line}", None, None)
    assert [(e.marker, e.tool) for e in commit_evidence(catalogue(), commit)] == [(marker, tool)]


def test_copilot_agent_author() -> None:
    agent = Identity("copilot-swe-agent[bot]", "198982749+Copilot@users.noreply.github.com")
    commit = Commit("c" * 40, "Initial plan", agent, agent)
    found = [(e.marker, e.where) for e in commit_evidence(catalogue(), commit)]
    assert found == [
        ("copilot-co-author", f"author: {agent}"),
        ("copilot-co-author", f"committer: {agent}"),
    ]


def test_environment_and_pull_request_evidence() -> None:
    pr = PullRequest(
        7,
        "Add cache",
        "Adds a cache.\n\n🤖 Generated with [Claude Code](https://claude.com/claude-code)",
        "alice",
        labels=("AI-Assisted", "bug"),
    )
    change = Change(
        "pull-request",
        (),
        pr=pr,
        environment=frozenset({"CLAUDE_CODE_CHILD_SESSION", "CLAUDECODE", "HOME"}),
    )
    found = [(e.marker, e.where) for e in detect(catalogue(), ("ai-assisted",), change)]
    assert found == [
        ("claude-code-env", "environment: CLAUDE_CODE_CHILD_SESSION is set"),
        ("pr-label", "pull request label: AI-Assisted"),
        (
            "claude-code-footer",
            "pull request body, line 3: 🤖 Generated with [Claude Code]"
            "(https://claude.com/claude-code)",
        ),
    ]


def test_policy_marker_by_author_email() -> None:
    import re

    bot = Marker("ai-bot", "Acme Bot", author_email=re.compile(r"^ai-bot@acme\.com$", re.I))
    commit = Commit("d" * 40, "Bump", Identity("Build", "AI-Bot@acme.com"), None)
    assert [(e.marker, e.tool, e.where) for e in commit_evidence((bot,), commit)] == [
        ("ai-bot", "Acme Bot", "author: Build <AI-Bot@acme.com>")
    ]


@pytest.mark.parametrize(
    ("value", "tool"),
    [
        ("Claude Code:claude-opus-4 [grep]", "Claude Code"),
        ("aider (gpt-5) <aider@aider.chat>", "Aider"),
        ("claude code", "Claude Code"),
        ("Claude-Code", "Claude Code"),
        ("claude-code:claude-opus-4.6 sparse", "Claude Code"),
        ("github  copilot", "GitHub Copilot"),
        ("Acme Bot 3", "Acme Bot 3"),
        ("Cursor", "Cursor"),
        ("", ""),
    ],
)
def test_tool_named_by(value: str, tool: str) -> None:
    assert tool_named_by(value) == tool


def test_pull_request_title_is_matched_like_a_subject() -> None:
    pr = PullRequest(8, "aider: add a cache", "", "paul")
    found = [
        (e.marker, e.where) for e in detect(catalogue(), (), Change("pull-request", (), pr=pr))
    ]
    assert found == [("aider-subject", "pull request title: aider: add a cache")]


def test_needles_never_hide_evidence_and_every_pattern_compiles() -> None:
    """The hook searches only markers whose needles occur in the commit; on every real
    message and example, that finds exactly what searching every marker finds."""
    import re as regex

    from conftest import ROOT

    from ai_governance.detect.markers import _commit_evidence, _unique, identity_hits
    from ai_governance.detect.markers import message_evidence as every
    from ai_governance.detect.trailers import parse as parse_text

    markers = catalogue()
    for marker in markers:
        for key in ("value", "identity", "message", "subject", "model"):
            pattern = getattr(marker, key)
            if pattern is not None:
                regex.compile(pattern.pattern)
    texts = [p.read_text(errors="replace") for p in sorted(MESSAGES.glob("*.txt"))]
    texts += [
        p.read_text(errors="replace")
        for p in sorted((ROOT / "tests" / "examples").glob("*commit-msg/*/*.txt"))
    ]
    people = [Identity("Paul (aider)", "paul@example.com"), Identity("Ann", "ann@example.com")]
    for text in texts:
        for who in people:
            commit = Commit("a" * 40, text, who, None)
            full = list(every(markers, parse_text(text), "", commit.sha))
            full += [
                Evidence(m.id, m.tool, f"author: {who}", commit.sha)
                for m in identity_hits(markers, "author", who)
            ]
            assert list(_commit_evidence(markers, commit, None)) == full, text
            assert _unique(full) == _unique(_commit_evidence(markers, commit, None))


def test_overlapping_and_nested_needles_are_all_found() -> None:
    from ai_governance.detect.markers import candidates

    made = tuple(
        Marker(id=name, tool="", trailer="x", needles=needles)
        for name, needles in (
            ("abc", ("abc",)),
            ("bcd", ("bcd",)),
            ("ab", ("ab",)),
            ("never", ("zzz",)),
            ("unknown", None),
            ("env", ()),
        )
    )
    assert [m.id for m in candidates(made, "xxabcdxx")] == ["abc", "bcd", "ab", "unknown"]
    assert [m.id for m in candidates(made, "nothing")] == ["unknown"]
