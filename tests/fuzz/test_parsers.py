"""Property-based fuzzing of every parser and escaper: no input crashes or hangs them."""

from __future__ import annotations

import datetime
import json
import re
import subprocess

import jsonschema
import pytest
from conftest import FIXTURES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ai_governance.change import Commit, Identity
from ai_governance.detect.markers import commit_evidence
from ai_governance.detect.trailers import parse
from ai_governance.errors import PolicyError
from ai_governance.policy.load import catalogue
from ai_governance.policy.yamlsafe import load
from ai_governance.report import Finding, Report, RuleResult
from ai_governance.reporters import as_github, as_sarif

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LINES = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "",
                "Assisted-by: Claude Code",
                "Signed-off-by: A <a@b.c>",
                "  indented",
                "Co-Authored-By: Claude <noreply@anthropic.com>",
                "# comment",
                "free text",
                "Key : value",
                "aider: subject",
                "🤖 Generated with [Claude Code](x)",
            ]
        ),
        st.text(
            st.characters(exclude_categories=["Cs"], exclude_characters="\x00\r"), max_size=40
        ),
    ),
    max_size=12,
)


@SETTINGS
@given(st.binary(max_size=400))
def test_policy_loader_never_crashes(raw: bytes) -> None:
    problems: tuple[str, ...] = ()
    try:
        load(raw, "p.yml")
    except PolicyError as error:  # the only way it may refuse: located problems
        problems = error.problems
    assert all(problem.startswith("p.yml:") for problem in problems)


@SETTINGS
@given(LINES)
def test_trailer_parser_agrees_with_git(lines: list[str]) -> None:
    text = "\n".join(lines)
    git = subprocess.run(
        ["git", "interpret-trailers", "--parse"],
        input=text.encode(),
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8", "replace")
    ours = [f"{t.key}: {t.value}" for t in parse(text).trailers]
    assert ours == git.split("\n")[:-1]  # not splitlines(): it also splits on \x1c-\x1e


@SETTINGS
@given(LINES, st.text(max_size=30), st.text(max_size=30))
def test_detection_never_crashes(lines: list[str], name: str, email: str) -> None:
    commit = Commit("a" * 40, "\n".join(lines), Identity(name, email), Identity(email, name))
    for evidence in commit_evidence(catalogue(), commit):
        assert evidence.commit == "a" * 40


@SETTINGS
@given(st.text(max_size=200))
def test_escaped_data_never_starts_or_ends_a_command(text: str) -> None:
    line = as_github.command("error", text, file=text, title=text)
    assert "\n" not in line
    assert "\r" not in line
    properties, _, message = line[len("::error ") :].partition("::")
    assert ":" not in properties.replace("file=", "").replace("title=", "")
    unescape = {"%25": "%", "%0A": "\n", "%0D": "\r"}
    assert re.sub("%25|%0A|%0D", lambda m: unescape[m.group()], message) == text
    assert as_github.escape_data(text).replace("%25", "").count("%") == (
        text.count("\r") + text.count("\n")
    )


SARIF = json.loads((FIXTURES / "schemas" / "sarif-2.1.0.json").read_text())


@SETTINGS
@given(
    st.lists(
        st.tuples(
            st.text(min_size=1, max_size=20),
            st.integers(1, 10**6),
            st.text(max_size=50),
            st.sampled_from([None, "low", "medium", "high"]),
            st.sampled_from([None, "B602", "scan-error", "not-scanned"]),
            st.booleans(),
        ),
        max_size=8,
    )
)
def test_every_sarif_document_validates(
    findings: list[tuple[str, int, str, str | None, str | None, bool]],
) -> None:
    built = tuple(
        Finding(path, line, None, message, "fix it", code, severity, blocking)
        for path, line, message, severity, code, blocking in findings
    )
    result = RuleResult("bandit", "security-scan", "enforce", "failed", "why", built)
    report = Report("p", "p.yml", "pre-commit", False, (), (result,))
    jsonschema.Draft7Validator(SARIF).validate(json.loads(as_sarif.render(report, color=False)))


_LINES = [
    "Prose that explains the change.",
    "More prose: with a colon inside",
    "fix: a conventional subject",
    "Co-Authored-By: Claude Opus 4.6 <noreply@anthropic.com>",
    "Co-authored-by: Cursor <cursoragent@cursor.com>",
    "Co-authored-by: Jane Doe <jane@example.com>",
    "Assisted-by: Claude Code",
    "Assisted-by : Aider",
    "Assisted\u2010by: Claude Code",
    "Signed-off-by: Jane Doe <jane@example.com>",
    "(cherry picked from commit 0123456789abcdef0123456789abcdef01234567)",
    "\U0001f916 Generated with [Claude Code](https://claude.com/claude-code)",
    "  indented continuation",
    "# a comment line",
    "aider: a subject-like line",
    "aider: another subject, other prose",
    "USER: a line of an agent's chat log",
    "AI-Tools: Claude",
    "  Code",
    "  Cursor",
    "Reviewed-by: Someone",
    "   ",
    "",
    "#123",
    "# ------------------------ >8 ------------------------",
    "Assisted-by:",
    "\tClaude Code",
    "Prose after trailers\r",
    "Assisted-by: Claude Code\r",
    "Generated-by: none",
]
_PEOPLE = [
    ("Jane Doe", "jane@example.com"),
    ("John Roe", "john@example.org"),
    ("Jane Doe (aider)", "jane@example.com"),
    ("Copilot", "198982749+Copilot@users.noreply.github.com"),
    ("Ann (aider)", "ann@example.com"),
    ("copilot-swe-agent[bot]", "198982749+Copilot@users.noreply.github.com"),
]
_RICH = (
    "version: 1\nname: p\nteams:\n  pilot: [jane@example.com]\n"
    "rollout:\n  - {teams: [pilot], mode: enforce}\n  - {mode: warn}\nrules:\n"
    "  - id: d\n    kind: disclosure\n"
    "  - id: g\n    kind: disclosure\n    trailer: Generated-by\n    value: '^(?!none$)'\n"
    "    when: {paths: ['src/**']}\n"
    "  - id: p\n    kind: disclosure\n    scope: {teams: [pilot]}\n"
    "exceptions:\n  - {rules: [p], paths: ['src/**'], reason: r, approved_by: a,"
    " expires: 2030-01-01}\n"
)
_PLAIN = "version: 1\nname: p\nrules:\n  - id: d\n    kind: disclosure\n"


@pytest.mark.parametrize("text", [_RICH, _PLAIN], ids=["teams-paths-exceptions", "plain"])
@SETTINGS
@given(
    st.lists(
        st.tuples(
            st.lists(st.sampled_from(_LINES), min_size=1, max_size=9),
            st.sampled_from(_PEOPLE),
        ),
        min_size=2,
        max_size=12,
    )
)
def test_commits_that_share_a_verdict_key_share_the_verdict(
    text: str, commits: list[tuple[list[str], tuple[str, str]]]
) -> None:
    """The history report judges one commit of each key and counts the others with it:
    that is only sound if every commit of a key gets the verdict ``check`` gives it read in
    full. One policy uses everything a verdict can depend on (rollout by team, a scoped
    rule, paths, an exception, a second disclosure trailer: identities and files are in the
    key); the other nothing, so identities count only by the markers they match."""
    from conftest import make_policy

    from ai_governance.adoption import verdicts
    from ai_governance.adoption.history import Raw
    from ai_governance.change import ChangedFile

    read = verdicts.reader(make_policy(text), datetime.date(2027, 1, 1))
    assert read.needles is not None
    assert read.identities is read.paths is (text == _RICH)
    seen: dict[tuple[object, ...], object] = {}
    for index, (lines, (name, email)) in enumerate(commits):
        message = "\n".join(lines).encode()
        raw = Raw(b"0" * 40, b"", name.encode(), email.encode(), b"C", b"c@x", b"2026", message)
        files = (ChangedFile("src/a.py" if index % 2 else "docs/a.md", "modified"),)
        identities = read.needles.search(f"{name}\0{email}\0C\0c@x".lower().encode())
        who = verdicts.people(read, raw, identities is not None)
        key = verdicts.key(read, read.needles, raw, message.lower(), who=who, files=files)
        verdict = verdicts.judge(read, raw, files)
        assert seen.setdefault(key, verdict) == verdict, lines


@SETTINGS
@given(
    st.lists(st.text("ab-:() ", min_size=1, max_size=6), min_size=1, max_size=8),
    st.text("ab-:() \n", max_size=40),
)
def test_the_needle_trie_finds_what_the_flat_alternation_finds(
    words: list[str], text: str
) -> None:
    from ai_governance.adoption.verdicts import trie

    texts = sorted({w.encode() for w in words})
    flat = re.compile(b"|".join(re.escape(t) for t in texts))
    factored = re.compile(trie(texts))
    assert bool(flat.search(text.encode())) == bool(factored.search(text.encode()))
    lines = text.encode().split(b"\n")
    assert [bool(flat.search(line)) for line in lines] == [
        bool(factored.search(line)) for line in lines
    ]


def _last_paragraph_by_lines(message: bytes, after: int) -> int:
    """The last paragraph's start, walking back line by line (what the fast path skips)."""
    end, content = len(message), False
    while end > after:
        start = max(message.rfind(b"\n", after, end) + 1, after)
        line = message[start:end]
        if not line.startswith(b"#") and line.strip(b" \t\r"):
            content = True
        elif not line.startswith(b"#") and content:
            return end + 1
        end = start - 1
    return after


@SETTINGS
@given(st.lists(st.sampled_from(["", "a", "Key: v", "  x", "#c", "   ", "\r", "b\r"]), max_size=9))
def test_the_last_paragraph_fast_path_agrees_with_the_walk(lines: list[str]) -> None:
    from ai_governance.adoption import verdicts

    message = "\n".join(lines).encode().rstrip(b"\n")
    blank = verdicts._BLANK_LINE.search(message)
    title = blank.start() if blank else len(message)
    assert verdicts._last_paragraph(message, title) == _last_paragraph_by_lines(message, title)
