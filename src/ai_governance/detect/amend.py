"""Editing a commit message file the way git edits it.

A trailer is added where ``git commit --trailer`` puts it (``git interpret-trailers
--no-divider --where end``): at the end of git's trailer block, or as a new last paragraph
when there is none; before the trailing comment lines of an editor's template and before
the scissors line of ``git commit -v``. Nothing else in the file changes: git would
reprint the existing trailers in its own spacing, this leaves them as written; a last
line without a newline is ended first (git would glue the trailer to it, and not see it).
Removed trailers take their indented continuation lines with them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from ai_governance.detect.trailers import BLANKS, SCISSORS, parse

TYPE_CHECKING = False  # typing itself costs a hook start-up 2.4 ms
if TYPE_CHECKING:
    from typing import Any


def _end(lines: list[str], comment: str, *, terminated: bool = True) -> int:
    """Index of the first line after the message proper: git's ``ignored_log_message_bytes``
    (the scissors line and what follows it, then a trailing run of comment lines, empty
    lines and an old-style ``Conflicts:`` block). As in git, a run cannot start at the very
    first byte: there the start reads as "no run yet". ``terminated``: the last line ends
    with a newline (git matches ``Conflicts:\\n``)."""
    marker = f"{comment} {SCISSORS}"
    cut = [n for n, line in enumerate(lines) if line == marker]
    cutoff = next((n for n in cut if terminated or n < len(lines) - 1), len(lines))
    start = 0  # 0: no run (git's boc)
    conflicts = False
    for index in range(cutoff):
        line = lines[index]
        if not line or line.startswith(comment):
            start = start or index
        elif line == "Conflicts:" and (terminated or index < len(lines) - 1):
            conflicts = True
            start = start or index
        elif conflicts and line.startswith("\t"):
            continue
        elif start:
            start, conflicts = 0, False
    return start or cutoff


def message_part(text: str, comment: str = "#") -> str:
    """The message proper of a message file: what precedes its trailing comment lines and
    its scissors line (line numbers in it are the file's; CRLF read as LF)."""
    text = text.replace("\r\n", "\n")
    lines = text.split("\n")
    ended = text.endswith("\n")
    end = _end(lines[:-1] if ended else lines, comment, terminated=ended)
    return "".join(f"{line}\n" for line in lines[:end])[: len(text)]


def _blank_last_line(text: str) -> bool:
    """git's ``ends_with_blank_line``: the last line of ``text`` holds only blanks."""
    if not text:
        return False
    last = text[text.rfind("\n", 0, len(text) - 1) + 1 :] if len(text) > 1 else text
    return not last.strip(BLANKS)


def _crlf(edit: Callable[..., str]) -> Callable[..., str]:
    """A message written with CRLF line ends is edited as LF and written back as CRLF."""

    @functools.wraps(edit)
    def edited(text: str, *args: Any, **kwargs: Any) -> str:
        if "\r\n" not in text:
            return edit(text, *args, **kwargs)
        return edit(text.replace("\r\n", "\n"), *args, **kwargs).replace("\n", "\r\n")

    return edited


@_crlf
def add_trailers(text: str, trailers: list[str], comment: str = "#") -> str:
    """``text`` with each ``Key: value`` of ``trailers`` added to its trailer block."""
    if not trailers:
        return text
    lines = text.split("\n")
    ended = text.endswith("\n")
    end = _end(lines[:-1] if ended else lines, comment, terminated=ended)
    offset = sum(len(line) + 1 for line in lines[:end])
    head, tail = text[:offset], text[offset:]
    if offset > len(text):  # the message proper runs to an unterminated last line
        head, tail = text + "\n", ""
    message = parse(head, comment)
    if message.block_start < len(message.lines):  # a trailer block: add after its last line
        last = max(n for n, line in enumerate(message.lines) if line.strip(BLANKS))
        offset = sum(len(line) + 1 for line in message.lines[: last + 1])
        head, tail = head[:offset], head[offset:] + tail
        gap = "" if head.endswith("\n") else "\n"
    else:  # a new last paragraph, after a blank line unless one is there
        gap = "" if _blank_last_line(head) else "\n"
    return head + gap + "".join(f"{t}\n" for t in trailers) + tail


@_crlf
def drop_trailers(text: str, numbers: set[int], comment: str = "#") -> str:
    """``text`` without the trailers that start on the 1-based lines ``numbers`` (and the
    indented lines that continue them); a trailer block left empty takes the blank line
    that set it apart with it."""
    if not numbers:
        return text
    ended = text.endswith("\n")
    lines = text.split("\n")[:-1] if ended else text.split("\n")
    gone: set[int] = set()
    for number in sorted(numbers):
        gone.add(number)
        follow = number + 1
        while follow <= len(lines) and lines[follow - 1][:1] in (" ", "\t"):
            if not lines[follow - 1].strip(BLANKS):
                break
            gone.add(follow)
            follow += 1
    message = parse(message_part(text, comment), comment)
    block = [
        n
        for n in range(message.block_start + 1, len(message.lines) + 1)
        if message.lines[n - 1].strip(BLANKS)
    ]
    before = message.lines[message.block_start - 1] if message.block_start >= 1 else "x"
    if block and set(block) <= gone and not before.strip(BLANKS):
        gone.add(message.block_start)  # the blank line before the block (1-based)
    kept = [line for number, line in enumerate(lines, start=1) if number not in gone]
    return "\n".join(kept) + ("\n" if ended and kept else "")
