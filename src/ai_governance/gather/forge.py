"""The forge-neutral face of a pull request (or merge request, or merge queue).

A forge adapter (``gather.github``, ``gather.gitlab``) turns an event into a
``PullRequestSource``; the pull-request front end judges any source the same way: the
policy of its base commit, the change it gathers, one ``engine.evaluate``.
"""

from __future__ import annotations

import contextlib
from typing import Protocol

from ai_governance.change import Change
from ai_governance.errors import GitError
from ai_governance.gather import git
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


class Depth(NamedTuple):
    """How a forge's job gets whole history, for the messages of ``ensure_history``."""

    change: str  # "pull request", "merge request"
    setting: str  # what the user sets to clone it all


GITHUB = Depth("pull request", "use actions/checkout with `fetch-depth: 0`")


def has_commit(revision: str, cwd: str) -> bool:
    try:
        git.verify_commit(revision, cwd)
    except GitError:
        return False
    return True


def ensure_history(
    base: str, head: str, expected: int, cwd: str, depth: Depth = GITHUB
) -> tuple[str, ...]:
    """The checkout must hold the change's base, head and every commit between: deepen it
    once if it does not (a shallow clone silently drops commits), else fail naming the
    fix. Returns the notice that it was deepened, if it was."""

    def complete() -> bool:
        if not (has_commit(base, cwd) and has_commit(head, cwd)):
            return False
        count = int(git.text(git.run(["rev-list", "--count", f"{base}..{head}"], cwd)).strip())
        return not expected or count >= expected

    if complete():
        return ()
    with contextlib.suppress(GitError):  # no remote or no network: judged just below
        git.run(
            ["fetch", "--no-tags", "--quiet", f"--deepen={expected + 1}", "origin", head, base],
            cwd,
        )
    if not complete():
        raise GitError(
            f"the checkout lacks commits of the {depth.change} (base {base[:12]}, head"
            f" {head[:12]}, {expected} commits) and could not be deepened: {depth.setting}"
        )
    return (
        f"the checkout lacked commits between {base[:12]} and {head[:12]}; it was deepened"
        f" with `git fetch --deepen` ({depth.setting} to skip this)",
    )
