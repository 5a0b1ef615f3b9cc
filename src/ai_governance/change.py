"""The change under judgement, gathered completely before any rule runs."""

from __future__ import annotations

from collections.abc import Mapping

from ai_governance.records import NamedTuple


class Identity(NamedTuple):
    name: str
    email: str
    login: str | None = None  # the forge's login, when the change came from its API

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


class Commit(NamedTuple):
    sha: str | None  # None: the commit being made (commit-msg stage)
    message: str
    author: Identity | None
    committer: Identity | None
    parents: int = 1


class ChangedFile(NamedTuple):
    path: str
    status: str  # added | modified | deleted | renamed | copied | type-changed | unchanged
    old_path: str | None = None
    mode: str = "100644"  # git's mode: 120000 symlink, 160000 submodule
    blob: str = ""  # the object id of the content as of the change
    size: int | None = None  # bytes, when the content was looked at
    content: bytes | None = None  # gathered only where a rule reads it, and under its cap
    head: bytes = b""  # the content's first line, kept even when the content is over the cap
    old_blob: str = ""  # the object id before the change ("" or zeros: there was none)
    old_mode: str = ""
    base: bytes | None = None  # the content before the change, when it was Python then;
    # None: the file is new as Python (added, or not Python before), so all of it is new


class Review(NamedTuple):
    reviewer: str
    state: str  # APPROVED | CHANGES_REQUESTED | COMMENTED | DISMISSED | PENDING
    commit: str | None = None
    bot: bool = False  # the API says the reviewer is a bot (or its login ends in [bot])


class PullRequest(NamedTuple):
    number: int
    title: str
    body: str
    author: str
    labels: tuple[str, ...] = ()
    base_sha: str = ""
    head_sha: str = ""
    reviews: tuple[Review, ...] = ()
    draft: bool = False
    forge: str = "GitHub"  # whose logins the reviews and authors are

    @property
    def kind(self) -> str:
        """What the forge calls it."""
        return "merge request" if self.forge == "GitLab" else "pull request"

    @property
    def name(self) -> str:
        """How the forge refers to it: ``pull request #5``, ``merge request !5``."""
        return f"{self.kind} {'!' if self.forge == 'GitLab' else '#'}{self.number}"


class Change(NamedTuple):
    stage: str  # commit-msg | pre-commit | range | pull-request
    commits: tuple[Commit, ...] = ()
    files: tuple[ChangedFile, ...] = ()
    pr: PullRequest | None = None
    environment: frozenset[str] = frozenset()  # names of set variables, local stages only
    team_members: Mapping[str, frozenset[str]] | None = None  # "@org/slug" -> logins
    notices: tuple[str, ...] = ()  # what gathering found worth saying (policy edited...)

    @property
    def authors(self) -> tuple[Identity, ...]:
        seen = [commit.author for commit in self.commits if commit.author]
        return tuple(dict.fromkeys(seen))
