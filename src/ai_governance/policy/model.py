"""The policy as frozen data: what the loader builds and the engine reads."""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

from ai_governance.records import NamedTuple

TYPE_CHECKING = False  # typing itself costs a hook start-up 2.4 ms
if TYPE_CHECKING:
    import datetime

MODES = ("enforce", "warn", "off")


class Lazy:
    """A marker's regular expression (case-insensitive), compiled when first searched: of
    the shipped catalogue's seventy patterns a commit usually needs none (``needles`` rule
    them out), and compiling them all costs the commit-msg hook a fifth of its budget."""

    __slots__ = ("_compiled", "pattern")

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self._compiled: re.Pattern[str] | None = None

    def search(self, text: str) -> re.Match[str] | None:
        if self._compiled is None:
            self._compiled = re.compile(self.pattern, re.IGNORECASE)
        return self._compiled.search(text)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Lazy) and other.pattern == self.pattern

    def __hash__(self) -> int:
        return hash(self.pattern)

    def __repr__(self) -> str:
        return f"Lazy({self.pattern!r})"


Pattern = re.Pattern[str] | Lazy


class Marker(NamedTuple):
    """One way a change shows AI assistance; any one matcher that matches is evidence."""

    id: str
    tool: str  # empty: the tool is named by the matched trailer's value
    trailer: str | None = None  # trailer key, compared case-insensitively
    value: Pattern | None = None  # qualifies ``trailer``
    identity: Pattern | None = None  # "Name <email>" of author, committer, co-author
    author_name: Pattern | None = None
    author_email: Pattern | None = None
    committer_name: Pattern | None = None
    committer_email: Pattern | None = None
    message: Pattern | None = None  # any line of the message
    subject: Pattern | None = None
    env: str | None = None  # agent-session variable, local stages only
    model: Pattern | None = None  # its group 1: the model, in what the marker matched
    needles: tuple[str, ...] | None = None  # lower-case texts every match contains; None: unknown


class Detect(NamedTuple):
    builtin: bool
    markers: tuple[Marker, ...]
    pr_labels: tuple[str, ...]


class Glob(NamedTuple):
    text: str
    pattern: re.Pattern[str]

    def match(self, path: str) -> bool:
        return self.pattern.fullmatch(path) is not None


class When(NamedTuple):
    ai_assisted: bool | None = None
    paths: tuple[Glob, ...] = ()


class Scope(NamedTuple):
    teams: tuple[str, ...] = ()
    paths: tuple[Glob, ...] = ()
    exclude_paths: tuple[Glob, ...] = ()


class Rule(NamedTuple):
    id: str
    kind: str
    mode: str | None  # None: the rollout step for today, else the policy's mode
    when: When
    scope: Scope
    options: object  # the kind's own frozen options, built by its module's ``parse``

    @property
    def uses_paths(self) -> bool:
        return bool(self.when.paths or self.scope.paths or self.scope.exclude_paths)


class RolloutStep(NamedTuple):
    mode: str
    until: datetime.date | None = None
    teams: tuple[str, ...] = ()


class PolicyException(NamedTuple):
    number: int  # 1-based position in the policy's exceptions list
    rules: tuple[str, ...]
    paths: tuple[Glob, ...]
    reason: str
    approved_by: str
    expires: datetime.date


class Policy(NamedTuple):
    name: str
    source: str  # the file it came from, or "<embedded default>"
    mode: str
    rollout: tuple[RolloutStep, ...]
    teams: dict[str, tuple[str, ...]]
    detect: Detect
    rules: tuple[Rule, ...]
    exceptions: tuple[PolicyException, ...]
    people: Mapping[str, tuple[str, ...]] = MappingProxyType({})  # login -> their emails
