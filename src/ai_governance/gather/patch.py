"""Which lines a change adds, read from ``git diff -U0`` output (pure functions)."""

from __future__ import annotations

import re

from ai_governance.change import Ranges

_HUNK = re.compile(rb"^@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
_ESCAPES = {b"a": 7, b"b": 8, b"t": 9, b"n": 10, b"v": 11, b"f": 12, b"r": 13, b'"': 34, b"\\": 92}


def unquote(raw: bytes) -> bytes:
    """A path as git prints it in a patch header: C-quoted when it holds odd bytes."""
    if not raw.startswith(b'"'):
        return raw
    out, at = bytearray(), 1
    while at < len(raw) and raw[at : at + 1] != b'"':
        char = raw[at : at + 1]
        if char != b"\\":
            out += char
            at += 1
        elif raw[at + 1 : at + 2] in _ESCAPES:
            out.append(_ESCAPES[raw[at + 1 : at + 2]])
            at += 2
        else:
            out.append(int(raw[at + 1 : at + 4], 8))
            at += 4
    return bytes(out)


def added_lines(patch: bytes) -> dict[str, Ranges]:
    """{new path: added runs} for every file in a ``-U0`` patch that still exists.

    Hunk bodies are counted, not pattern-matched, so an added line reading ``++ x`` (printed
    ``+++ x``) is never taken for a file header.
    """
    found: dict[str, list[tuple[int, int]]] = {}
    current: list[tuple[int, int]] | None = None
    old = new = 0  # lines of the current hunk body still to read
    for line in patch.split(b"\n"):
        if old or new:
            if line.startswith(b"-"):
                old -= 1
            elif line.startswith(b"+"):
                new -= 1
            continue
        if line.startswith(b"+++ "):
            name = line[4:].rstrip(b"\t")
            current = (
                None
                if name == b"/dev/null"
                else found.setdefault(
                    unquote(name)[2:].decode("utf-8", "surrogateescape"),
                    [],  # drop "b/"
                )
            )
        elif match := _HUNK.match(line):
            old = int(match.group(1)) if match.group(1) is not None else 1
            new = int(match.group(3)) if match.group(3) is not None else 1
            if new and current is not None:
                current.append((int(match.group(2)), new))
    return {path: tuple(runs) for path, runs in found.items()}
