"""Per-commit facts and the figures of a history: adoption, disclosure, tools, violations.

A commit is read in full (trailers, every marker) only when its raw text holds one of the
markers' needles; the others are counted as they are, which keeps a history of hundreds of
thousands of commits within a couple of ``git log`` times. Detection, the disclosure
judgement and team membership are the same code ``check`` uses.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from typing import Any, NamedTuple

from ai_governance import identities
from ai_governance.adoption.history import Raw
from ai_governance.change import Commit, Identity
from ai_governance.detect.markers import commit_evidence
from ai_governance.detect.trailers import parse
from ai_governance.engine import disclosure_markers
from ai_governance.policy.model import Marker, Policy
from ai_governance.rules import disclosure

NO_TEAM = "(no team)"


class Facts(NamedTuple):
    month: str  # YYYY-MM of the author date
    author: str  # lower-case email
    teams: tuple[str, ...]
    merge: bool
    tools: tuple[str, ...]  # empty: no AI evidence
    disclosed: bool
    violations: tuple[str, ...]  # ids of commit-level rules the commit fails
    n: int = 1  # commits with exactly these facts


class Reader(NamedTuple):
    """What classifying a commit needs, computed once per report."""

    policy: Policy
    markers: tuple[Marker, ...]
    needles: re.Pattern[bytes] | None  # any needle; None: a marker has none, read every commit
    by_needle: dict[bytes, tuple[Marker, ...]]  # the markers each needle may lead to


def reader(policy: Policy) -> Reader:
    markers = disclosure_markers(policy) + tuple(m for m in policy.detect.markers if not m.env)
    if any(m.needles is None for m in markers):
        return Reader(policy, markers, None, {})
    by_needle: dict[bytes, tuple[Marker, ...]] = {}
    for marker in markers:
        for needle in marker.needles or ():
            by_needle[needle.encode()] = (*by_needle.get(needle.encode(), ()), marker)
    any_needle = re.compile(b"|".join(re.escape(n) for n in sorted(by_needle)) or b"(?!)")
    return Reader(policy, markers, any_needle, by_needle)


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", "replace")


def teams_of(policy: Policy, email: str) -> tuple[str, ...]:
    who = Identity("", email)
    return tuple(
        team
        for team in policy.teams
        if identities.member(policy.teams, policy.people, team, who, None)
    )


Verdict = tuple[tuple[str, ...], bool, tuple[str, ...]]  # (tools, disclosed, failed rule ids)
NOTHING: Verdict = ((), False, ())  # no AI evidence


def judge(read: Reader, raw: Raw) -> Verdict:
    """Read one commit in full: its AI evidence and the disclosure rules' verdict."""
    markers = read.markers
    if read.needles is not None:
        haystack = b"\0".join(
            (
                raw.message,
                raw.author_name,
                raw.author_email,
                raw.committer_name,
                raw.committer_email,
            )
        ).lower()
        # Only the markers whose needles are here can match: the others need not be tried.
        chosen = {id(m) for needle, ms in read.by_needle.items() if needle in haystack for m in ms}
        markers = tuple(m for m in read.markers if id(m) in chosen)
    commit = Commit(
        _text(raw.sha),
        _text(raw.message).rstrip("\n"),
        Identity(_text(raw.author_name), _text(raw.author_email)),
        Identity(_text(raw.committer_name), _text(raw.committer_email)),
    )
    message = parse(commit.message)
    evidence = commit_evidence(markers, commit, message)
    if not evidence:
        return NOTHING
    tools = tuple(sorted({e.tool or e.marker for e in evidence if e.tool or e.marker}))
    disclosed, violations = True, []
    for rule in read.policy.rules:
        if rule.kind != "disclosure" or rule.mode == "off":
            continue
        ok, problems = disclosure.judge_message(
            rule.options, message, list(evidence), "", commit.sha
        )
        disclosed = disclosed and ok
        if problems:
            violations.append(rule.id)
    return tools, disclosed, tuple(violations)


# A line of prose: not empty, not indented, not a comment, not ``Key:``-like, not git's.
_PROSE = re.compile(
    rb"^(?![ \t#]|[A-Za-z0-9-]*[ \t]*:|\(cherry picked from commit |[ \t\r]*$).+$", re.M
)


def judged_by(
    raw: Raw, lowered: bytes, needles: re.Pattern[bytes], identities: bool = True
) -> tuple[bytes, ...]:
    """What ``judge`` reads of a commit, less what cannot change its verdict.

    That is the identities (unless ``identities`` is false: none holds a needle, so no
    marker can match them); every line holding a needle, marked when it is the subject;
    and the message from its last empty line down (the trailer block lies there: git's
    last paragraph, or the whole message when it has one paragraph) with each line of
    prose reduced to a placeholder, since the block's rules count such lines but never
    read them. A marker matches only where its needle is, so commits with the same key get
    the same verdict: line numbers and prose differ, and the verdict uses neither.
    """
    message = raw.message.rstrip(b"\n")
    key = list(raw[2:6]) if identities else []
    for hit in needles.finditer(lowered, 0, len(message)):
        start = message.rfind(b"\n", 0, hit.start()) + 1
        end = message.find(b"\n", hit.start())
        key.append(b"S" if start == 0 else b"B")
        key.append(message[start : end if end >= 0 else len(message)])
    key.append(_PROSE.sub(b"\0", message[max(message.rfind(b"\n\n"), 0) :]))
    return tuple(key)


class Tally(NamedTuple):
    """The figures of a set of commits; ``authors`` are hashed emails, so tallies merge."""

    commits: int = 0
    merges: int = 0
    ai_assisted: int = 0
    disclosed: int = 0
    authors: frozenset[str] = frozenset()
    ai_authors: frozenset[str] = frozenset()
    by_tool: tuple[tuple[str, int], ...] = ()
    violations: tuple[tuple[str, int], ...] = ()

    def __add__(self, other: object) -> Tally:
        if not isinstance(other, Tally):
            return NotImplemented
        return Tally(
            self.commits + other.commits,
            self.merges + other.merges,
            self.ai_assisted + other.ai_assisted,
            self.disclosed + other.disclosed,
            self.authors | other.authors,
            self.ai_authors | other.ai_authors,
            tuple(sorted((Counter(dict(self.by_tool)) + Counter(dict(other.by_tool))).items())),
            tuple(
                sorted((Counter(dict(self.violations)) + Counter(dict(other.violations))).items())
            ),
        )


def author_id(email: str) -> str:
    return hashlib.sha256(email.encode()).hexdigest()[:16]


class Counts:
    """Running counts for one group of commits (local to the report's single pass)."""

    def __init__(self) -> None:
        self.commits = self.merges = self.ai = self.disclosed = 0
        self.authors: set[str] = set()
        self.ai_authors: set[str] = set()
        self.tools: Counter[str] = Counter()
        self.violations: Counter[str] = Counter()

    def add(self, fact: Facts) -> None:
        n = fact.n
        if fact.merge:
            self.merges += n
            return
        self.commits += n
        self.authors.add(fact.author)
        if fact.tools:
            self.ai += n
            self.disclosed += n * fact.disclosed
            self.ai_authors.add(fact.author)
            for tool in fact.tools:
                self.tools[tool] += n
        for rule in fact.violations:
            self.violations[rule] += n

    def freeze(self) -> Tally:
        return Tally(
            self.commits,
            self.merges,
            self.ai,
            self.disclosed,
            frozenset(map(author_id, self.authors)),
            frozenset(map(author_id, self.ai_authors)),
            tuple(sorted(self.tools.items())),
            tuple(sorted(self.violations.items())),
        )


def ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def as_dict(figures: Tally) -> dict[str, Any]:
    return {
        "commits": figures.commits,
        "merges": figures.merges,
        "ai_assisted": figures.ai_assisted,
        "disclosed": figures.disclosed,
        "authors": len(figures.authors),
        "ai_authors": len(figures.ai_authors),
        "adoption": ratio(figures.ai_assisted, figures.commits),
        "author_adoption": ratio(len(figures.ai_authors), len(figures.authors)),
        "disclosure_compliance": ratio(figures.disclosed, figures.ai_assisted),
        "by_tool": dict(figures.by_tool),
        "violations": dict(figures.violations),
        "author_ids": sorted(figures.authors),
        "ai_author_ids": sorted(figures.ai_authors),
    }


def from_dict(data: dict[str, Any]) -> Tally:
    """A Tally from a report's JSON; TypeError/KeyError/ValueError when it is not one."""
    for key in ("commits", "merges", "ai_assisted", "disclosed"):
        if type(data[key]) is not int or data[key] < 0:
            raise TypeError(f"`{key}` must be a whole number, not {data[key]!r}")
    for key in ("author_ids", "ai_author_ids"):
        if not isinstance(data[key], list) or not all(isinstance(i, str) for i in data[key]):
            raise TypeError(f"`{key}` must be a list of text")
    for key in ("by_tool", "violations"):
        counts = data[key]
        if not isinstance(counts, dict) or not all(type(n) is int for n in counts.values()):
            raise TypeError(f"`{key}` must map names to whole numbers")
    return Tally(
        int(data["commits"]),
        int(data["merges"]),
        int(data["ai_assisted"]),
        int(data["disclosed"]),
        frozenset(data["author_ids"]),
        frozenset(data["ai_author_ids"]),
        tuple(sorted(data["by_tool"].items())),
        tuple(sorted(data["violations"].items())),
    )
