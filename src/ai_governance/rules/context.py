"""What every rule kind is given, and the shape every rule kind module has."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from ai_governance.change import Change, ChangedFile
from ai_governance.detect.trailers import Message
from ai_governance.policy.model import Marker, Policy, Rule
from ai_governance.records import NamedTuple
from ai_governance.report import Evidence, Outcome

TYPE_CHECKING = False  # typing itself costs a hook start-up 2.4 ms

if TYPE_CHECKING:  # the scanner's types, without importing it on the hook path
    import datetime
    from typing import Any, Protocol, TypeVar

    from ai_governance.scanners.bandit import Scan
else:  # at run time a Protocol is a plain class and a TypeVar its name: typing stays out
    Protocol = object

    def TypeVar(name: str) -> str:
        return name


Regex = Callable[[str, str], re.Pattern[str]]  # (key, pattern) -> compiled, errors located


class Scanner(Protocol):
    """What scans file contents (``scanners.pool.Pool``): owned by the front end, handed
    to the rules through the engine."""

    def scan(
        self,
        files: Sequence[tuple[str, bytes]],
        tests: Sequence[str] = (),
        skips: Sequence[str] = (),
        timeout: float | None = None,
    ) -> Scan: ...


class Context(NamedTuple):
    policy: Policy
    change: Change
    evidence: tuple[Evidence, ...]
    files: tuple[ChangedFile, ...]  # the changed files inside the rule's scope
    today: datetime.date | None  # None: the policy has no dates, and none was given
    scanner: Scanner | None = None  # None: a rule that scans makes its own, for this run

    @property
    def ai_assisted(self) -> bool:
        return bool(self.evidence)


class Needs(NamedTuple):
    """What a rule of a kind needs gathered before it runs, declared by the kind so that no
    front end or gatherer has to know kinds by name."""

    content_bytes: int | None = None  # reads changed files' content, up to this size
    teams: tuple[str, ...] = ()  # the policy teams it consults (beyond scope.teams)
    markers: tuple[Marker, ...] = ()  # evidence of AI assistance it contributes


Problems = list[tuple[tuple[str | int, ...], str]]  # (key path inside the rule, what is wrong)
Options = TypeVar("Options")


def options_of(rule: Rule, kind: type[Options]) -> Options:
    """``rule``'s options as the kind's own type (built by its ``parse``)."""
    if not isinstance(rule.options, kind):
        raise TypeError(f"rule {rule.id} carries no {rule.kind} options")
    return rule.options


def no_problems(raw: Mapping[str, Any]) -> Problems:
    """For a kind whose options the schema checks completely."""
    return []


def validated_regex(key: str, text: str) -> re.Pattern[str]:
    """The ``Regex`` for re-parsing data already validated (``weakened`` compares options)."""
    return re.compile(text, re.IGNORECASE)


def no_advice(rule: Rule) -> Problems:
    return []


Prepared = tuple[str, tuple[str, ...]]  # (the message file's text, what was done to it)


def no_prepare(rule: Rule, ctx: Context, text: str, comment: str) -> Prepared:
    """For a kind that adds nothing to a commit message."""
    return text, ()


class RuleKind(Protocol):
    """A rule kind is a module with these functions (see rules/disclosure.py)."""

    SCANS_CODE: bool  # its findings are a code scanner's (a SAST report carries them)

    def parse(self, raw: Mapping[str, Any], regex: Regex) -> object:
        """The kind's frozen options from schema-valid rule data."""

    def problems(self, raw: Mapping[str, Any]) -> Problems:
        """What the schema cannot see, checked once when a policy is validated (it may
        import what it needs: validation results are cached by the policy's bytes)."""

    def needs(self, rule: Rule) -> Needs:
        """What the rule needs gathered."""

    def weakened(self, base: Mapping[str, Any], merged: Mapping[str, Any]) -> Problems:
        """Where ``merged`` (an inherited rule's data with an extending policy's keys on
        top) is weaker than ``base``, for this kind's own keys: (key, what changed)."""

    def advice(self, rule: Rule) -> Problems:
        """What is valid but probably not meant (``validate`` warns; ``--strict`` fails)."""

    def in_history(self, rule: Rule) -> bool:
        """Whether ``report`` counts this rule's verdict on each commit of history (the
        verdict itself comes from ``engine.evaluate``, as for ``check --range C``). A kind
        that says yes judges only commits with AI evidence: on any other commit it passes
        or is skipped (the report relies on it, and its differential test checks it)."""

    def discloses(self, rule: Rule, message: Message) -> bool | None:
        """Whether ``message`` carries what the rule accepts as a disclosure of AI
        assistance, whatever the rule's mode; None for a kind that asks no disclosure."""

    def trailer_keys(self, rule: Rule) -> frozenset[str]:
        """The trailer keys (lower case) whose values the rule reads in a commit message:
        the history report keeps such lines whole in a verdict's key, and of every other
        ``Key: value`` line only the key."""

    def prepare(self, rule: Rule, ctx: Context, text: str, comment: str) -> Prepared:
        """The message file ``text`` (comment lines start with ``comment``) with what the
        rule can fix before the commit-msg stage judges it, and a note for each change."""

    def skip(self, rule: Rule, stage: str) -> str | None:
        """Why this rule cannot be judged in ``stage``, or None when it can."""

    def check(self, rule: Rule, ctx: Context) -> Outcome:
        """Judge the change. Pure: no I/O but a scanner's."""
