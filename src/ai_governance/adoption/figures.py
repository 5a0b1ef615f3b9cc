"""Per-commit facts and the figures of a history: adoption, disclosure, tools, violations.

Each commit's verdict comes from ``verdicts`` (``engine.evaluate``, as ``check`` judges);
this module holds what is counted of it and how counts add up and merge.
"""

from __future__ import annotations

import os
from collections import Counter
from typing import Any

from ai_governance import identities
from ai_governance.change import Identity
from ai_governance.policy.model import Policy
from ai_governance.records import NamedTuple

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
    reverted_after: int | None = None  # seconds until a later commit reverted it
    lines: tuple[int, int, int] = (0, 0, 0)  # --churn: commits measured, lines added, churned


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", "replace")


def teams_of(policy: Policy, email: str) -> tuple[str, ...]:
    who = Identity("", email)
    return tuple(
        team
        for team in policy.teams
        if identities.member(policy.teams, policy.people, team, who, None)
    )


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
    ai_reverts: tuple[int, ...] = ()  # seconds to revert, one a reverted AI-assisted commit
    other_reverts: tuple[int, ...] = ()  # the same for the other commits
    ai_lines: tuple[int, int, int] = (0, 0, 0)  # --churn: commits measured, added, churned
    other_lines: tuple[int, int, int] = (0, 0, 0)

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
            tuple(sorted(self.ai_reverts + other.ai_reverts)),
            tuple(sorted(self.other_reverts + other.other_reverts)),
            _sum(self.ai_lines, other.ai_lines),
            _sum(self.other_lines, other.other_lines),
        )


def _sum(one: tuple[int, int, int], two: tuple[int, int, int]) -> tuple[int, int, int]:
    return (one[0] + two[0], one[1] + two[1], one[2] + two[2])


KEY_VARIABLE = "AI_GOVERNANCE_AUTHOR_KEY"  # the organisation's secret for author ids


class AuthorKey:
    """What author ids are keyed with: the organisation's secret (``AI_GOVERNANCE_AUTHOR_KEY``)
    so that the reports of all its repositories name a person by the same id and merge
    into one count, while nobody without the secret can test a staff list against them
    (HMAC-SHA-256). Without a secret no id is ever written (``measure.to_json`` leaves
    them out and ``--merge`` refuses such reports), so the addresses themselves serve to
    count distinct authors in memory, and nothing is hashed."""

    def __init__(self, secret: str | None) -> None:
        self.shared = bool(secret)
        self._key = secret.encode() if secret else b""

    def id(self, email: str) -> str:
        if not self.shared:
            return email
        return self._mac(email.encode())[:16]

    def _mac(self, text: bytes) -> str:
        import hashlib  # only with a secret: OpenSSL's loading is 3 ms of a report
        import hmac

        return hmac.new(self._key, text, hashlib.sha256).hexdigest()

    @property
    def fingerprint(self) -> str | None:
        """Names the key (not the secret) in the JSON, so ``--merge`` can tell that reports
        share one; None without a secret."""
        if not self.shared:
            return None
        return self._mac(b"ai-governance author key")[:12]


def author_key() -> AuthorKey:
    return AuthorKey(os.environ.get(KEY_VARIABLE))


class Counts:
    """Running counts for one group of commits (local to the report's single pass)."""

    def __init__(self) -> None:
        self.commits = self.merges = self.ai = self.disclosed = 0
        self.authors: set[str] = set()
        self.ai_authors: set[str] = set()
        self.tools: Counter[str] = Counter()
        self.violations: Counter[str] = Counter()
        self.reverts: tuple[list[int], list[int]] = ([], [])  # AI-assisted, other
        self.lines = [(0, 0, 0), (0, 0, 0)]  # the same

    def add(self, fact: Facts) -> None:
        n = fact.n
        if fact.merge:
            self.merges += n
            return
        self.commits += n
        self.authors.add(fact.author)
        if fact.reverted_after is not None:
            self.reverts[0 if fact.tools else 1].extend([fact.reverted_after] * n)
        if fact.lines[0]:
            side = 0 if fact.tools else 1
            self.lines[side] = _sum(self.lines[side], fact.lines)
        if fact.tools:
            self.ai += n
            self.disclosed += n * fact.disclosed
            self.ai_authors.add(fact.author)
            for tool in fact.tools:
                self.tools[tool] += n
        for rule in fact.violations:
            self.violations[rule] += n

    def freeze(self, key: AuthorKey) -> Tally:
        return Tally(
            self.commits,
            self.merges,
            self.ai,
            self.disclosed,
            frozenset(map(key.id, self.authors)),
            frozenset(map(key.id, self.ai_authors)),
            tuple(sorted(self.tools.items())),
            tuple(sorted(self.violations.items())),
            tuple(sorted(self.reverts[0])),
            tuple(sorted(self.reverts[1])),
            self.lines[0],
            self.lines[1],
        )


def _median_days(seconds: tuple[int, ...]) -> float | None:
    if not seconds:
        return None
    middle = len(seconds) // 2
    value = seconds[middle] if len(seconds) % 2 else (seconds[middle - 1] + seconds[middle]) / 2
    return round(value / 86400, 2)


def quality(figures: Tally, *, churn: bool = False) -> dict[str, Any]:
    """Reverts (and with ``churn``, short-term churn) of AI-assisted commits against the
    rest (merges are neither)."""
    found = {}
    for side, commits, reverts, lines in (
        ("ai", figures.ai_assisted, figures.ai_reverts, figures.ai_lines),
        (
            "other",
            figures.commits - figures.ai_assisted,
            figures.other_reverts,
            figures.other_lines,
        ),
    ):
        found[side] = {
            "commits": commits,
            "reverted": len(reverts),
            "revert_rate": ratio(len(reverts), commits),
            "median_days_to_revert": _median_days(reverts),
            "revert_seconds": list(reverts),
        }
        if churn:
            found[side] |= {
                "churn_commits": lines[0],
                "added_lines": lines[1],
                "churned_lines": lines[2],
                "churn_rate": ratio(lines[2], lines[1]),
            }
    return found


def ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def as_dict(figures: Tally, *, churn: bool = False) -> dict[str, Any]:
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
        "quality": quality(figures, churn=churn),
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
    reverts, lines = [], []
    for side in ("ai", "other"):
        found = data["quality"][side]
        seconds = found["revert_seconds"]
        if not isinstance(seconds, list) or not all(type(n) is int for n in seconds):
            raise TypeError(f"`quality.{side}.revert_seconds` must be a list of whole numbers")
        reverts.append(tuple(sorted(seconds)))
        measured = [found.get(k, 0) for k in ("churn_commits", "added_lines", "churned_lines")]
        if not all(type(n) is int and n >= 0 for n in measured):
            raise TypeError(f"`quality.{side}` churn figures must be whole numbers")
        lines.append((measured[0], measured[1], measured[2]))
    return Tally(
        int(data["commits"]),
        int(data["merges"]),
        int(data["ai_assisted"]),
        int(data["disclosed"]),
        frozenset(data["author_ids"]),
        frozenset(data["ai_author_ids"]),
        tuple(sorted(data["by_tool"].items())),
        tuple(sorted(data["violations"].items())),
        reverts[0],
        reverts[1],
        lines[0],
        lines[1],
    )
