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

from ai_governance.adoption.history import Raw
from ai_governance.change import Commit, Identity
from ai_governance.detect.markers import commit_evidence
from ai_governance.detect.trailers import parse
from ai_governance.engine import disclosure_markers, in_team
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


def _teams(policy: Policy, who: Identity) -> tuple[str, ...]:
    return tuple(team for team in policy.teams if in_team(policy, team, who))


def classify(read: Reader, raw: Raw, team_cache: dict[bytes, tuple[str, ...]]) -> Facts:
    policy = read.policy
    email = raw.author_email.lower()
    if email not in team_cache:
        team_cache[email] = _teams(policy, Identity(_text(raw.author_name), _text(email)))
    merge = b" " in raw.parents
    base = Facts(_text(raw.date[:7]), _text(email), team_cache[email], merge, (), False, ())
    parts = (
        raw.message,
        raw.author_name,
        raw.author_email,
        raw.committer_name,
        raw.committer_email,
    )
    haystack = b"\0".join(parts).lower()
    markers = read.markers
    if read.needles is not None:
        if not read.needles.search(haystack):
            return base
        found = [needle for needle in read.by_needle if needle in haystack]
        # Only the markers whose needles are here can match: the others need not be tried.
        chosen = {id(m) for needle in found for m in read.by_needle[needle]}
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
        return base
    tools = tuple(sorted({e.tool or e.marker for e in evidence if e.tool or e.marker}))
    disclosed, violations = True, []
    for rule in policy.rules:
        if rule.kind != "disclosure" or rule.mode == "off":
            continue
        ok, problems = disclosure.judge_message(
            rule.options, message, list(evidence), "", commit.sha
        )
        disclosed = disclosed and ok
        if problems:
            violations.append(rule.id)
    return base._replace(tools=tools, disclosed=disclosed, violations=tuple(violations))


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
        if fact.merge:
            self.merges += 1
            return
        self.commits += 1
        self.authors.add(fact.author)
        if fact.tools:
            self.ai += 1
            self.disclosed += fact.disclosed
            self.ai_authors.add(fact.author)
            for tool in fact.tools:  # plain increments: Counter.update costs twice as much
                self.tools[tool] += 1
        for rule in fact.violations:
            self.violations[rule] += 1

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
