"""Text for a GitLab CI job log, inert.

The log is a terminal: an ANSI escape sequence recolours it, moves the cursor or erases
lines, and GitLab draws collapsible sections from ``section_start:TIME:NAME`` and
``section_end:TIME:NAME`` markers followed by ``\\r\\e[0K`` (older runners wrote them
without the leading escape). A commit message, a file name or a merge request's text must
not do either: every control character but the newline and the tab is dropped (the escape
character, the carriage return, and the C1 controls, whose single-byte CSI also starts a
sequence), and the word ``section_`` of a marker is broken with a zero-width space, so no
line of ours can open or close a section whatever GitLab's parser accepts.
"""

from __future__ import annotations

import re

_CONTROLS = dict.fromkeys([c for c in range(0x20) if c not in (0x09, 0x0A)], None)
_CONTROLS |= dict.fromkeys([0x7F, *range(0x80, 0xA0)], None)
_MARKER = re.compile(r"section_(start|end):", re.IGNORECASE)


def inert(text: str) -> str:
    return _MARKER.sub(lambda m: f"section\u200b_{m.group(1)}:", text.translate(_CONTROLS))
