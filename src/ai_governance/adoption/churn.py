"""Short-term churn: how many of the lines a commit adds a later commit deletes or rewrites
within a window (21 days unless told), read from the patches of the one pass.

The pass meets the newest commit first, so this walks history backwards. For each file it
keeps the lines of the version being walked back to, each marked with when a later commit
deleted it (``None``: it survives, as far as the walk has seen). A commit's patch then
says everything: its added lines, at their places in the newer version, are looked up
(churned when deleted within the window), and the lines it deleted take their places, as
deleted at the commit's own date. What is kept is one slot per line of the files at the
point reached, whatever the length of the history.

The walk follows git's patches in git's order: exact on a history where each commit's
parent is the one before it (squash or rebase merges); where branches ran side by side,
their patches are applied in date order and a line's place can be off.
"""

from __future__ import annotations

import re

from ai_governance.records import NamedTuple

WINDOW_DAYS = 21
HUNK = re.compile(rb"^@@ -\d+(,\d+)? \+(\d+)(,\d+)? @@", re.MULTILINE)  # counts: 1 if absent
HEADER = b"\ndiff --git "  # no line of a patch's body can start this way (+, -, \\)


class Lines(NamedTuple):
    """What one commit did to lines: added, and of those deleted again within the window."""

    added: int
    churned: int


class _Section(NamedTuple):
    old: bytes | None  # the file's name before the commit; None: the commit created it
    new: bytes | None  # after it; None: the commit deleted it
    hunks: list[tuple[int, int, int]]  # (first line in the new version, new lines, old lines)


def _name(text: bytes) -> bytes | None:
    # git ends a name that has a space with a tab in --- and +++ lines (for GNU patch)
    name = text.rstrip(b"\t")
    return None if name == b"/dev/null" else name


def _sections(patch: bytes) -> list[_Section]:
    found = []
    for section in patch.split(HEADER)[1:]:
        at = section.find(b"\n@@ ")
        head = section if at < 0 else section[:at]
        old = new = None
        named = False
        for line in head.split(b"\n")[1:]:
            for prefix in (b"--- ", b"rename from "):
                if line.startswith(prefix):
                    old, named = _name(line[len(prefix) :]), True
            for prefix in (b"+++ ", b"rename to "):
                if line.startswith(prefix):
                    new, named = _name(line[len(prefix) :]), True
        if not named or at < 0:  # a mode change, a binary file, a pure rename: no lines
            if named and old is not None and new is not None and old != new:
                found.append(_Section(old, new, []))
            continue
        hunks = [
            (int(start), int(count[1:]) if count else 1, int(gone[1:]) if gone else 1)
            for gone, start, count in HUNK.findall(section, at + 1)
        ]
        found.append(_Section(old, new, hunks))
    return found


class Churn:
    """The walk's state: for each file, when each of its lines is deleted later."""

    def __init__(self, window_days: int = WINDOW_DAYS) -> None:
        self.window = window_days * 86400
        self.files: dict[bytes, list[int | None]] = {}

    def commit(self, patch: bytes, when: int) -> Lines:
        """Apply one commit (``when``: its date in seconds), newest commit first."""
        sections = _sections(patch) if patch else []
        after = [self.files.pop(s.new, []) if s.new is not None else [] for s in sections]
        added = churned = 0
        for section, lines in zip(sections, after, strict=True):
            for start, count, gone in reversed(section.hunks):
                at = start - 1 if count else start  # -U0: a pure deletion names the line before
                added += count
                for deleted in lines[at : at + count]:
                    if deleted is not None and deleted - when <= self.window:
                        churned += 1
                if len(lines) < at:
                    lines.extend([None] * (at - len(lines)))
                lines[at : at + count] = [when] * gone
            while lines and lines[-1] is None:
                lines.pop()
            if section.old is not None and lines:
                self.files[section.old] = lines
        return Lines(added, churned)
