"""The trailer parser agrees with git's own (``git interpret-trailers --parse``)."""

from __future__ import annotations

import json

import pytest
from conftest import FIXTURES, git_trailers

from ai_governance.detect.trailers import SCISSORS, cleanup, parse, separator

MESSAGES = FIXTURES / "commit-messages"
CASES = [
    "subject\n\nbody\n\nAssisted-by : Claude Code\nassisted-by: Cursor",
    "subject\n\nSigned-off-by: A <a@example.com>\nfree text here\nmore free text",
    "subject\n\nSigned-off-by: A <a@example.com>\nnot a trailer\nnot one\nnot one either",
    "subject\n\nKey: value\n  continued here\nOther: w",
    "only a subject: with a colon",
    "subject\n\nCo-Authored-By: Claude <noreply@anthropic.com>\nfree text after it",
    "subject\n\nbody\n\n   Co-Authored-By: Claude <noreply@anthropic.com>",
    "subject\n\n# a comment\nAssisted-by: X\n\n",
    "subject\nsecond subject line\n\nAssisted-by: X",
    "subject\n\nNöt-ascii: value\nAssisted-by: X",
    "subject\n\nhttp://example.com: not a trailer",
]


_git = git_trailers


@pytest.mark.parametrize("text", CASES)
def test_same_trailers_as_git(text: str) -> None:
    assert [f"{t.key}: {t.value}" for t in parse(text).trailers] == _git(text)


@pytest.mark.parametrize(
    "entry", json.loads((MESSAGES / "index.json").read_text()), ids=lambda e: e["file"]
)
def test_real_messages_match_what_git_parsed(entry: dict[str, object]) -> None:
    text = (MESSAGES / str(entry["file"])).read_text()
    assert [f"{t.key}: {t.value}" for t in parse(text).trailers] == entry["git_parsed_trailers"]


def test_cleanup_drops_comments_and_everything_below_scissors() -> None:
    text = (
        "Subject\r\n\r\nBody line\r\n# Please enter the commit message\r\n\r\n"
        "Assisted-by: Claude Code\r\n"
        f"# {SCISSORS}\r\n# Do not modify\r\ndiff --git a/x b/x\r\n+Co-authored-by: Cursor\r\n"
    )
    assert cleanup(text) == "Subject\n\nBody line\n\nAssisted-by: Claude Code"


def test_trailer_line_numbers() -> None:
    message = parse("Subject\n\nBody\n\nA: 1\nB: 2")
    assert [(t.key, t.line) for t in message.trailers] == [("A", 5), ("B", 6)]
    assert message.subject == "Subject"


@pytest.mark.parametrize(
    ("line", "at"),
    [
        ("Assisted-by: x", 11),
        ("Assisted-by : x", 12),
        (" Assisted-by: x", -1),
        ("Key\t: v", 4),
        ("Two words: v", -1),
        (": v", 0),
        ("no separator", -1),
    ],
)
def test_separator(line: str, at: int) -> None:
    assert separator(line) == at
