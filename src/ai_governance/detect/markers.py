"""Evidence of AI assistance: markers (data) matched against a change.

Trailers in git's trailer block are matched as trailers. ``Key: value`` lines elsewhere
(free text after the block, the indented trailers of a squash merge) are matched the same
way and reported as outside the block. Identities are matched as ``Name <email>``, so a
human called Claude is never mistaken for Claude Code: the markers name addresses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from ai_governance.change import Change, Commit, Identity
from ai_governance.detect.trailers import Message, parse, separator, visible
from ai_governance.policy.model import Marker
from ai_governance.records import NamedTuple
from ai_governance.report import Evidence

CO_AUTHOR = "co-authored-by"
SIGN_OFF = "signed-off-by"
_NONE = r"\s*(none|no|n/?a|false)\s*$"  # "Assisted-by: none": a declaration of no AI
NO_AI = re.compile(f"^{_NONE}", re.IGNORECASE)
SOME_AI = re.compile(f"^(?!{_NONE})", re.IGNORECASE)  # any other value


def tool_named_by(value: str) -> str:
    """``Claude Code:claude-opus-4 [tool]`` names ``Claude Code``; ``claude-code`` too (one
    display name a tool, by the catalogue's aliases)."""
    for stop in ("<", ":", "(", "["):
        value = value.split(stop, 1)[0]
    return display_name(value.strip())


_ALIASES: dict[str, str] = {}


def display_name(name: str) -> str:
    """The catalogue's one name for a tool however it is spelled (``claude code``,
    ``Claude-Code``, ``claude``: ``Claude Code``); an unknown name as written."""
    if not _ALIASES:  # once, and only when a trailer names a tool
        from ai_governance.resources import catalogue

        for shown, spellings in catalogue()["aliases"].items():
            _ALIASES.update({_spelling(s): shown for s in (shown, *spellings)})
    return _ALIASES.get(_spelling(name), name)


def _spelling(name: str) -> str:
    return " ".join(name.lower().replace("-", " ").replace("_", " ").split())


def _trailer_hits(markers: Iterable[Marker], key: str, value: str) -> Iterator[tuple[Marker, str]]:
    lowered = key.lower()
    for marker in markers:
        if marker.trailer == lowered and (marker.value is None or marker.value.search(value)):
            yield marker, marker.tool or tool_named_by(value)
        elif lowered == CO_AUTHOR and marker.identity and marker.identity.search(value):
            yield marker, marker.tool


class Credit(NamedTuple):
    """A ``Co-authored-by`` or ``Signed-off-by`` line that names an AI."""

    line: int  # 1-based line of the message
    key: str  # as written
    value: str
    tool: str
    model: str | None  # when the marker's ``model`` finds one in the value


def ai_credits(markers: Iterable[Marker], message: Message) -> Iterator[Credit]:
    """Every co-author or sign-off line (in git's trailer block or not: a forbid fails
    closed) whose identity is an AI's, by the identity markers."""
    for number, raw in enumerate(message.lines, start=1):
        line = raw.strip()
        at = separator(line)
        key = line[:at].strip() if at >= 1 else ""
        if key.lower() not in (CO_AUTHOR, SIGN_OFF) or number == 1:  # the subject is none
            continue
        value = line[at + 1 :].strip()
        for marker in markers:
            if marker.identity and marker.identity.search(value):
                found = marker.model.search(value) if marker.model else None
                model = found.group(1).strip() if found and found.groups() else None
                yield Credit(number, key, value, marker.tool, model)
                break


def identity_hits(markers: Iterable[Marker], role: str, who: Identity) -> Iterator[Marker]:
    text = str(who)
    for marker in markers:
        name = marker.author_name if role == "author" else marker.committer_name
        email = marker.author_email if role == "author" else marker.committer_email
        if (
            (marker.identity and marker.identity.search(text))
            or (name and name.search(who.name))
            or (email and email.search(who.email))
        ):
            yield marker


def _short(text: str, width: int = 100) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def message_evidence(
    markers: tuple[Marker, ...], message: Message, origin: str, commit: str | None
) -> Iterator[Evidence]:
    """Evidence in a message (or PR body): subject, trailers, marker lines anywhere.

    ``origin`` prefixes each place, e.g. "pull request body, " (empty for a commit).
    """
    for marker in markers:
        if marker.subject and marker.subject.search(message.subject):
            yield Evidence(
                marker.id, marker.tool, f"{origin}subject: {_short(message.subject)}", commit
            )
    in_block = {trailer.line: trailer for trailer in message.trailers}
    for number, raw in enumerate(message.lines, start=1):
        for marker in markers:
            if marker.message and marker.message.search(raw):
                where = f"{origin}line {number}: {_short(raw.strip())}"
                yield Evidence(marker.id, marker.tool, where, commit)
        if number in in_block:
            key, value = in_block[number].key, in_block[number].value
            place = f"{origin}trailer (line {number})"
        else:
            line = raw.strip()
            at = separator(line)
            if (number == 1 and not origin) or at < 1:  # a commit's subject is no trailer
                continue
            key, value = line[:at].strip(), line[at + 1 :].strip()
            place = f"{origin}line {number}, outside git's trailer block"
        for marker, tool in _trailer_hits(markers, key, value):
            yield Evidence(marker.id, tool, f"{place}: {key}: {_short(value)}", commit)


def _unique(found: Iterable[Evidence]) -> tuple[Evidence, ...]:
    """One piece of evidence per place: the first marker that matched it."""
    unique: dict[tuple[str | None, str], Evidence] = {}
    for evidence in found:
        unique.setdefault((evidence.commit, evidence.where), evidence)
    return tuple(unique.values())


def candidates(markers: tuple[Marker, ...], text: str) -> tuple[Marker, ...]:
    """The markers that can match ``text`` (lower case): every match of a marker contains
    one of its needles, so the others are not searched (nor their patterns compiled)."""
    needles, by_needle, always = _needle_index(markers)
    hits = set(always)
    for needle in needles:
        if needle in text:
            hits.update(by_needle[needle])
    return markers if len(hits) == len(markers) else tuple(markers[i] for i in sorted(hits))


_INDEXES: dict[int, tuple[tuple[Marker, ...], object]] = {}
Index = tuple[tuple[str, ...], dict[str, list[int]], frozenset[int]]


def _needle_index(markers: tuple[Marker, ...]) -> Index:
    """(every distinct needle, the markers of each, the markers without needles), worked
    out once for a tuple of markers."""
    held = _INDEXES.get(id(markers))
    if held is not None and held[0] is markers:
        return held[1]  # type: ignore[return-value]
    by_needle: dict[str, list[int]] = {}
    always: set[int] = set()
    for index, marker in enumerate(markers):
        if marker.needles is None:
            always.add(index)
        for needle in marker.needles or ():
            by_needle.setdefault(needle, []).append(index)
    built: Index = (tuple(by_needle), by_needle, frozenset(always))
    if len(_INDEXES) > 64:  # a run judges by few policies; never grow without end
        _INDEXES.clear()
    _INDEXES[id(markers)] = (markers, built)
    return built


def _commit_evidence(
    markers: tuple[Marker, ...], commit: Commit, message: Message | None
) -> Iterator[Evidence]:
    names = " ".join(str(p) for p in (commit.author, commit.committer) if p is not None)
    markers = candidates(markers, f"{commit.message}\n{names}".lower())
    yield from message_evidence(markers, message or parse(commit.message), "", commit.sha)
    for role, who in (("author", commit.author), ("committer", commit.committer)):
        if who is not None:
            for marker in identity_hits(markers, role, who):
                yield Evidence(marker.id, marker.tool, f"{role}: {who}", commit.sha)


def commit_evidence(
    markers: tuple[Marker, ...], commit: Commit, message: Message | None = None
) -> tuple[Evidence, ...]:
    """The evidence in one commit (``message``: its message, already parsed)."""
    return _unique(_commit_evidence(markers, commit, message))


def detect(
    markers: tuple[Marker, ...], labels: tuple[str, ...], change: Change
) -> tuple[Evidence, ...]:
    """All evidence in ``change``, one entry per place, in a stable order."""
    found: list[Evidence] = []
    for commit in change.commits:
        found.extend(commit_evidence(markers, commit))
    for marker in markers:
        if marker.env and marker.env in change.environment:
            found.append(Evidence(marker.id, marker.tool, f"environment: {marker.env} is set"))
    if change.pr is not None:
        wanted = {label.lower() for label in labels}
        for label in change.pr.labels:
            if label.lower() in wanted:
                found.append(Evidence("pr-label", "", f"pull request label: {label}"))
        title = change.pr.title
        found.extend(
            Evidence(marker.id, marker.tool, f"pull request title: {_short(title)}")
            for marker in markers
            if marker.subject and marker.subject.search(title)
        )
        body = parse(visible(change.pr.body))
        found.extend(message_evidence(markers, body, "pull request body, ", None))
    return _unique(found)
