"""Commit messages read the way git reads them.

``cleanup`` does what ``git commit`` does to the message file before it becomes a commit
(comment lines and everything below the scissors line go). ``parse`` finds the trailer
block with the rules of git's ``trailer.c``: the last paragraph, never the subject; every
line a trailer, or at least a quarter of them with one git-generated line such as
``Signed-off-by:``; ``Key : value`` with blanks before the colon counts; indented lines
continue the previous trailer.
"""

from __future__ import annotations

import re

from ai_governance.records import NamedTuple

SCISSORS = "------------------------ >8 ------------------------"
BLANKS = " \t\n\r"  # git's isspace(); Python's also counts \x1c-\x1f, \v, \f and more
_GIT_GENERATED = ("Signed-off-by: ", "(cherry picked from commit ")


class Trailer(NamedTuple):
    key: str
    value: str
    line: int  # 1-based line of the message where the trailer starts


class Message(NamedTuple):
    lines: tuple[str, ...]
    trailers: tuple[Trailer, ...]
    block_start: int  # 0-based index of the first line of the trailer block

    @property
    def subject(self) -> str:
        return self.lines[0] if self.lines else ""


CLEANUP_MODES = ("strip", "whitespace", "verbatim")


def cleanup(text: str, comment: str = "#", mode: str = "strip", *, cut: bool = True) -> str:
    """The message as ``git commit --cleanup=MODE`` stores it (git's ``cleanup_message``).

    With ``cut`` everything from the scissors line down goes first (an editor showed it:
    ``git commit -v`` puts the diff there). ``strip`` then drops comment lines; it and
    ``whitespace`` strip trailing blanks and leading and trailing empty lines and squeeze
    runs of empty lines. ``verbatim`` keeps the rest as it is.
    """
    lines = text.split("\n")
    if cut:
        marker = f"{comment} {SCISSORS}"
        end = next((n for n, line in enumerate(lines) if line.rstrip("\r") == marker), None)
        if end is not None:
            lines = [*lines[:end], ""]
    if mode == "verbatim":
        return "\n".join(lines)
    kept: list[str] = []
    for line in lines:
        if mode == "strip" and line.startswith(comment):
            continue
        stripped = line.rstrip(BLANKS)
        if stripped or (kept and kept[-1]):
            kept.append(stripped)
    while kept and not kept[-1]:
        kept.pop()
    return "\n".join(kept)


_SEPARATOR = re.compile(r"(?:[A-Za-z0-9-]+[ \t]*)?:")


def separator(line: str) -> int:
    """Position of the ``:`` that makes ``line`` a trailer, or -1 (git's find_separator:
    a token of ASCII letters, digits and ``-``, optional blanks, then the colon)."""
    match = _SEPARATOR.match(line)
    return match.end() - 1 if match else -1


def _block_start(lines: list[str], comment: str) -> int:
    title_end = 0
    while title_end < len(lines) and (
        lines[title_end].startswith(comment) or lines[title_end].strip(BLANKS)
    ):
        title_end += 1
    trailers = non_trailers = continuation = 0
    recognized, only_blank = False, True
    for index in range(len(lines) - 1, title_end - 1, -1):
        line = lines[index]
        if line.startswith(comment):
            non_trailers += continuation
            continuation = 0
        elif not line.strip(BLANKS):
            if only_blank:
                continue
            non_trailers += continuation
            if (recognized and trailers * 3 >= non_trailers) or (trailers and not non_trailers):
                return index + 1
            return len(lines)
        else:
            only_blank = False
            if line.startswith(_GIT_GENERATED):
                trailers, continuation, recognized = trailers + 1, 0, True
            elif separator(line) >= 1 and line[0] not in BLANKS:
                trailers, continuation = trailers + 1, 0
            elif line[0] in BLANKS:
                continuation += 1
            else:
                non_trailers, continuation = non_trailers + 1 + continuation, 0
    return len(lines)


_HTML_COMMENT = r"<!--.*?(?:-->|\Z)"  # re.S; compiled when first used (pull requests only)


def visible(body: str) -> str:
    """A pull-request description as it is shown: HTML comments (where PR templates keep
    their instructions, never rendered) blanked, their line breaks kept so that line
    numbers still point at the description as written."""
    return re.compile(_HTML_COMMENT, re.S).sub(lambda m: "\n" * m.group().count("\n"), body)


def parse(text: str, comment: str = "#") -> Message:
    """Split a (cleaned) message into lines and git's trailers."""
    lines = text.replace("\r\n", "\n").split("\n")
    start = _block_start(lines, comment)
    found: list[Trailer] = []
    continues = False  # may an indented line continue the previous trailer?
    for index in range(start, len(lines)):
        line = lines[index]
        if not line.strip(BLANKS) or line.startswith(comment):
            continues = False  # as git: a comment line ends the trailer before it
            continue
        if line[0] in BLANKS:
            if continues:
                last = found[-1]
                joined = f"{last.value} {line.strip(BLANKS)}".strip(BLANKS)  # as git unfolds
                found[-1] = last._replace(value=joined)
            continue
        at = separator(line)
        continues = at >= 1
        if continues:
            found.append(Trailer(line[:at].strip(BLANKS), line[at + 1 :].strip(BLANKS), index + 1))
    return Message(tuple(lines), tuple(found), start)
