"""Path globs, anchored at the repository root: ``*`` stays in a folder, ``**`` crosses them.

``fnmatch`` lets ``*`` cross ``/`` and the stdlib has no ``**`` before Python 3.13, so the
translation is done here, in one small function that is exercised by the tests.
"""

from __future__ import annotations

import re

from ai_governance.policy.model import Glob


def _class(glob: str, start: int) -> tuple[str, int]:
    first = start + 1 + (glob[start + 1 : start + 2] in ("!", "^"))
    end = glob.find("]", first + 1)  # a `]` right after `[` or `[!` is a literal
    if end < 0:
        raise ValueError(f"unclosed `[` at character {start + 1}")
    body = glob[start + 1 : end]
    if body[:1] in ("!", "^"):
        body = "^" + body[1:]
    return "[" + body.replace("\\", "\\\\") + "]", end + 1


def compile_glob(glob: str) -> Glob:
    """Translate ``glob``; ValueError says what is wrong with it."""
    if glob.startswith("/") or "\\" in glob:
        raise ValueError("use a path relative to the repository root, with `/` separators")
    out, index = [], 0
    while index < len(glob):
        if glob.startswith("**/", index):
            out.append("(?:[^/]*/)*")
            index += 3
        elif glob.startswith("**", index):
            out.append(".*")
            index += 2
        elif glob[index] == "*":
            out.append("[^/]*")
            index += 1
        elif glob[index] == "?":
            out.append("[^/]")
            index += 1
        elif glob[index] == "[":
            part, index = _class(glob, index)
            out.append(part)
        else:
            out.append(re.escape(glob[index]))
            index += 1
    return Glob(glob, re.compile("".join(out), re.DOTALL))
