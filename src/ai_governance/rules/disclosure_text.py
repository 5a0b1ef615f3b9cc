"""A commit message judged for the disclosure a rule asks: the options of a ``disclosure``
rule, what counts as its trailer, and the exact line to add."""

from __future__ import annotations

import re
from collections.abc import Mapping

from ai_governance.change import Commit
from ai_governance.detect.markers import NO_AI, tool_named_by
from ai_governance.detect.trailers import Message, separator
from ai_governance.policy.model import Rule
from ai_governance.records import NamedTuple
from ai_governance.report import Evidence, Finding
from ai_governance.rules.context import Regex, options_of

TYPE_CHECKING = False  # typing itself costs a hook start-up 2.4 ms
if TYPE_CHECKING:
    from typing import Any

DEFAULT_TRAILER = "Assisted-by"
DEFAULT_VALUE = r"^\S.*$"
# What a pull request body may declare; compiled when first used (pull requests only).
DECLARATION = r"^\s*(?:[-*]\s*)?ai[- ]assist(?:ed|ance)\s*:\s*(yes|no|true|false)\s*$"
CHECKBOX = r"^\s*[-*]\s*\[[xX]\]\s*.*\bAI\b"


class Options(NamedTuple):
    trailer: str
    value: re.Pattern[str]
    pr_declaration: str
    accept: tuple[str, ...] = ()  # more trailer keys that disclose
    template: str = "{tool}"  # what prepare-commit-msg writes after the key
    require: str = "trailer"  # trailer | pull-request | none
    forbid: tuple[str, ...] = ()  # ai-co-author | ai-sign-off | ai
    normalise: bool = False  # prepare-commit-msg rewrites AI co-authors into the disclosure

    @property
    def keys(self) -> frozenset[str]:
        """The trailer keys that disclose, lower case."""
        return frozenset(key.lower() for key in (self.trailer, *self.accept))


def parse(raw: Mapping[str, Any], regex: Regex) -> Options:
    return Options(
        trailer=raw.get("trailer", DEFAULT_TRAILER),
        value=regex("value", raw.get("value", DEFAULT_VALUE)),
        pr_declaration=raw.get("pr_declaration", "off"),
        accept=tuple(raw.get("accept", ())),
        template=raw.get("template", "{tool}"),
        require=raw.get("require", "trailer"),
        forbid=tuple(raw.get("forbid", ())),
        normalise=raw.get("normalise", False),
    )


def rule_options(rule: Rule) -> Options:
    return options_of(rule, Options)


def fix(options: Options, evidence: list[Evidence], message: Message | None = None) -> str:
    """The exact line(s) to add, named after the tools the evidence shows, and where: with
    the trailers the message already has (a new paragraph after them would hide them from
    git), else as a new last paragraph."""
    tools = sorted({e.tool for e in evidence if e.tool}) or ["<name of the AI assistant>"]
    lines = []
    for tool in tools:
        line = f"{options.trailer}: {tool}"
        if not options.value.search(tool):
            line += f" (the value must match /{options.value.pattern}/)"
        lines.append(line)
    if message is not None and message.trailers:
        where = "add this line directly below the trailers at the end of the message"
    else:
        where = "add this line as the last paragraph of the message"
    return f"{where}: " + " / ".join(lines)


def keyed_lines(options: Options, message: Message) -> list[tuple[int, str]]:
    """(line, value) of every ``Key: value`` line with the canonical key, block or not; a
    value folded onto indented lines below is unfolded, as git reads a trailer."""
    found = []
    lines = message.lines
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        at = separator(line)
        if at >= 1 and line[:at].strip().lower() in options.keys:
            value = [line[at + 1 :].strip()]
            for more in lines[number:]:
                if not more[:1].isspace() or not more.strip():
                    break
                value.append(more.strip())
            found.append((number, " ".join(filter(None, value))))
    return found


_COLON = "[:\uff1a\ufe55]"  # the colon and its full-width and small forms


def _lookalike(options: Options, message: Message) -> str:
    """A note on the first line whose key is the trailer key typed with look-alike
    characters (zero-width ones, Unicode dashes, full-width letters): git does not take it
    as that trailer, and neither does this rule."""
    import unicodedata  # only on this failing path

    for number, raw in enumerate(message.lines, start=1):
        key = re.split(_COLON, raw, maxsplit=1)[0]
        if raw.isascii() or key == raw:
            continue
        folded = "".join(
            "-" if unicodedata.category(c) == "Pd" or c == "\u2212" else c
            for c in unicodedata.normalize("NFKC", key)
            if unicodedata.category(c) != "Cf"
        )
        if folded.strip(" \t").lower() == options.trailer.lower():
            odd = sorted(
                {
                    f"U+{ord(c):04X} {unicodedata.name(c, '')}".strip()
                    for c in raw[: len(key) + 1]
                    if not c.isascii()
                }
            )
            return (
                f" (line {number} looks like `{options.trailer}:` but is typed with"
                f" {', '.join(odd)})"
            )
    return ""


def judge_message(
    options: Options, message: Message, evidence: list[Evidence], label: str, commit: str | None
) -> tuple[bool, list[Finding]]:
    """(disclosed, findings) for one message and the evidence that concerns it."""
    own = [
        t for t in message.trailers if t.key.lower() in options.keys and not NO_AI.match(t.value)
    ]
    findings = [
        Finding(
            commit=commit,
            line=t.line,
            message=f"{label}: `{t.key}: {t.value}` does not match /{options.value.pattern}/",
            fix=f"write it as the policy asks, e.g. `{options.trailer}: "
            f"{tool_named_by(t.value) or '<name of the AI assistant>'}`",
        )
        for t in own
        if not options.value.search(t.value)
    ]
    if own or not evidence:
        return len(findings) < len(own), findings
    outside = [number for number, _ in keyed_lines(options, message)]
    note = (
        f" (`{options.trailer}:` on line {outside[0]} is outside git's trailer block)"
        if outside
        else _lookalike(options, message)
    )
    seen = "; ".join(f"{e.tool or e.marker}: {e.where}" for e in evidence)
    findings.append(
        Finding(
            commit=commit,
            message=f"{label} shows AI assistance but has no `{options.trailer}:` trailer{note}."
            f" Evidence: {seen}",
            fix=fix(options, evidence, message),
        )
    )
    return False, findings


def label(commit: Commit) -> str:
    return f"commit {commit.sha[:12]}" if commit.sha else "the commit message"
