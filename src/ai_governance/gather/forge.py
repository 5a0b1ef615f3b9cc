"""The forge-neutral face of a pull request (or merge request, or merge queue).

A forge adapter (``gather.github``; GitLab's will sit beside it) turns an event into a
``PullRequestSource``; the pull-request front end judges any source the same way: the
policy of its base commit, the change it gathers, one ``engine.evaluate``.
"""

from __future__ import annotations

from typing import Protocol

from ai_governance.change import Change
from ai_governance.policy.remote import Ref
from ai_governance.records import NamedTuple


class Base(NamedTuple):
    sha: str  # the commit whose policy judges the change
    notices: tuple[str, ...] = ()  # how it was had (the checkout deepened...)


class PullRequestSource(Protocol):
    def base(self, cwd: str) -> Base:
        """The commit whose policy judges the change (a PR cannot loosen its own rules),
        fetched into the checkout at ``cwd`` when it is missing there, else an error."""

    def gather(self, cwd: str, *, max_bytes: int | None, teams: tuple[str, ...]) -> Change:
        """The whole change, with file contents up to ``max_bytes`` when not None and the
        members of the ``@org/slug`` ``teams``; an error when any part cannot be had."""

    def policy(self, ref: Ref) -> bytes:
        """A policy of another repository at a pinned commit (``extends``), read through
        the forge's API; an error when it cannot be read."""
