"""Trailers are added where git adds them (``git interpret-trailers --no-divider --where
end``, as ``git commit --trailer`` runs it), and nothing else in the message changes."""

from __future__ import annotations

import difflib
import random
import re
import subprocess
from pathlib import Path

import pytest
from conftest import FIXTURES

from ai_governance.detect.amend import add_trailers, drop_trailers, message_part
from ai_governance.detect.trailers import SCISSORS

NEW = "Assisted-by: Claude Code"
TEMPLATE = (
    "\n# Please enter the commit message for your changes. Lines starting\n"
    "# with '#' will be ignored, and an empty message aborts the commit.\n#\n"
    "# On branch main\n# Changes to be committed:\n#\tnew file:   a.py\n#\n"
)
VERBOSE = f"# {SCISSORS}\n# Do not modify or remove the line above.\ndiff --git a/a b/a\n+x\n"
PIECES = [
    "",
    "Fix the cache",
    "body text that explains",
    "Co-Authored-By: Claude <noreply@anthropic.com>",
    "Signed-off-by: Ann <ann@example.com>",
    "# a comment",
    f"# {SCISSORS}",
    "diff --git a/x b/x",
    "Key: value",
    "  continued",
    "---",
    "   ",
    "Conflicts:",
    "\tfile.c",
    "(cherry picked from commit abc)",
    "Key :spaced",
    NEW,
]


def _corpus() -> list[str]:
    real = [p.read_text() for p in sorted((FIXTURES / "commit-messages").glob("*.txt"))]
    made = [m + TEMPLATE for m in real[:4]] + [m + "\n" + VERBOSE for m in real[4:8]]
    chance = random.Random(20261130)  # a fixed sample of odd shapes, the same every run
    odd = {
        "\n".join(chance.choice(PIECES) for _ in range(chance.randint(0, 7)))
        + chance.choice(["", "\n", "\n\n"])
        for _ in range(400)
    }
    return real + made + ["", "\n", TEMPLATE, "Subject only\n", "No newline"] + sorted(odd)


def _git(tmp: Path, text: str, *args: str) -> str:
    """What ``git interpret-trailers ARGS FILE`` makes of ``text``: the file it rewrote
    in place, else what it printed."""
    path = tmp / "message"
    path.write_text(text)
    done = subprocess.run(
        ["git", "interpret-trailers", *args, str(path)],
        check=True,
        cwd=tmp,
        capture_output=True,
        text=True,
    )
    return path.read_text() if "--in-place" in args else done.stdout


def _parsed(tmp: Path, text: str) -> list[str]:
    """The trailers git sees (``Key: value`` entries; git also echoes odd blank lines)."""
    found = _git(tmp, message_part(text), "--parse", "--no-divider").splitlines()
    return [line for line in found if re.match(r"[A-Za-z0-9-]+: ", line)]


def test_every_message_gets_the_trailer_where_git_puts_it(tmp_path: Path) -> None:
    for text in _corpus():
        ours = add_trailers(text, [NEW])
        gits = _git(tmp_path, text, "--in-place", "--no-divider", "--where", "end",
                    "--if-exists", "add", "--trailer", NEW)  # fmt: skip
        # Git reprints the trailers it keeps in its own spacing; what it sees must agree,
        # except where git glues the trailer to an unterminated last line.
        unterminated = text and not text.endswith("\n")
        seen = _parsed(tmp_path, gits)
        assert ours == gits or _parsed(tmp_path, ours) == seen or unterminated, text
        assert NEW in _parsed(tmp_path, ours), text
        changes = [
            line for line in difflib.ndiff(text.split("\n"), ours.split("\n")) if line[:1] in "+-"
        ]
        assert [c for c in changes if c[0] == "-" and c != "- "] == [], text
        assert sorted(set(changes) - {"- "}) in (["+ " + NEW], ["+ ", "+ " + NEW]), text


def test_the_trailer_goes_before_an_editors_comments_and_the_diff() -> None:
    assert add_trailers("Fix\n" + TEMPLATE, [NEW]) == f"Fix\n\n{NEW}\n{TEMPLATE}"
    text = "Fix\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n" + VERBOSE
    assert add_trailers(text, [NEW]) == (
        f"Fix\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n{NEW}\n{VERBOSE}"
    )


@pytest.mark.parametrize(
    ("text", "lines", "expected"),
    [
        (
            "Fix\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n",
            {3},
            "Fix\n",
        ),
        (
            "Fix\n\nSigned-off-by: Ann <a@x>\nCo-Authored-By: Claude\n  <noreply@anthropic.com>\n",
            {4},
            "Fix\n\nSigned-off-by: Ann <a@x>\n",
        ),
        (
            "Fix\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n" + TEMPLATE,
            {3},
            "Fix\n" + TEMPLATE,
        ),
    ],
)
def test_dropped_trailers_take_their_continuation_and_an_emptied_block(
    text: str, lines: set[int], expected: str
) -> None:
    assert drop_trailers(text, lines) == expected


def test_a_crlf_message_stays_crlf() -> None:
    text = "Fix\r\n\r\nCo-Authored-By: Claude <noreply@anthropic.com>\r\n"
    assert add_trailers(text, [NEW]) == text + NEW + "\r\n"
    assert drop_trailers(text, {3}) == "Fix\r\n"
