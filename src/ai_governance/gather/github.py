"""A pull request as a Change: the event payload, the REST API, and the local checkout.

Commits, reviews and changed files come from the API (every page); file contents and added
lines come from the checkout at the PR's own head and base SHAs (never the synthetic merge
commit a `pull_request` checkout sits on). Whatever cannot be had completely is an error.
"""

from __future__ import annotations

import json
from typing import Any

from ai_governance.change import Change, Commit, Identity, PullRequest, Review
from ai_governance.errors import PolicyError, UsageError
from ai_governance.gather import git, local
from ai_governance.gather.forge import Base, ensure_history, has_commit
from ai_governance.gather.github_api import Api, GitHubError, quote
from ai_governance.gather.rest import field, members
from ai_governance.policy.remote import Ref
from ai_governance.records import NamedTuple

PULL_REQUEST_EVENTS = (
    "pull_request",
    "pull_request_target",
    "pull_request_review",
    "pull_request_review_comment",
    "pull_request_review_thread",
)
LISTING = ("workflow_run", "check_run", "check_suite")  # name their pull requests in a list
JUDGED = (*PULL_REQUEST_EVENTS, "issue_comment", *LISTING, "merge_group")
COMMIT_CAP, FILE_CAP = 250, 3000


class Event(NamedTuple):
    name: str
    action: str
    repository: str  # owner/name
    number: int  # the pull request's number; 0 for a merge group
    pr: dict[str, Any]  # the payload's pull_request object ({} when it must be fetched)
    queue: tuple[str, str] | None = None  # merge_group: (base sha, head sha)


def _event_name(payload: dict[str, Any]) -> str:
    """What a payload is, when GITHUB_EVENT_NAME does not say (``check --github-event``)."""
    if "merge_group" in payload:
        return "merge_group"
    if "pull_request" in payload:
        if isinstance(payload.get("review"), dict):
            return "pull_request_review"
        return "pull_request_review_comment" if "comment" in payload else "pull_request"
    listing = next((name for name in LISTING if isinstance(payload.get(name), dict)), "")
    return "issue_comment" if "issue" in payload else listing


def read_event(path: str, name: str) -> Event:
    """The event of ``path``: every event that carries a pull request or a merge group is
    judged, whatever its action; anything else, or a payload without the fields GitHub
    always sends, is a usage error (exit 2), never a pass."""
    try:
        with open(path, "rb") as handle:
            payload = json.loads(handle.read())
    except (OSError, ValueError) as exc:
        raise UsageError(f"{path}: cannot read the event payload: {exc}") from None
    if not isinstance(payload, dict):
        raise UsageError(f"{path}: the event payload is not a JSON object")
    name = name or _event_name(payload)
    if name not in JUDGED:
        raise UsageError(
            f"{path}: a {name or 'unrecognised'} event carries no pull request; ai-governance"
            f" judges {', '.join(JUDGED)} (see docs/github-action.md)"
        )
    try:
        repository = field(payload, "repository.full_name", str, path)
        if name == "merge_group":
            base = field(payload, "merge_group.base_sha", str, path)
            head = field(payload, "merge_group.head_sha", str, path)
            return Event(name, str(payload.get("action", "")), repository, 0, {}, (base, head))
        action = field(payload, "action", str, path)
        if name in LISTING:
            listed = field(payload, f"{name}.pull_requests", list, path)
            if len(listed) != 1:
                raise UsageError(
                    f"{path}: the {name} event names {len(listed)} pull requests, not one (a"
                    " fork's pull request is not listed there): run the job on pull_request"
                )
            return Event(name, action, repository, field(listed[0], "number", int, path), {})
        if name == "issue_comment":
            field(payload, "issue.pull_request", dict, f"{path} (an issue, not a pull request)")
            return Event(name, action, repository, field(payload, "issue.number", int, path), {})
        pr = field(payload, "pull_request", dict, path)
        return Event(
            name, action, repository, field(pr, "number", int, f"{path} pull_request"), pr
        )
    except GitHubError as exc:
        raise UsageError(str(exc).removesuffix("; nothing was judged")) from None


def _login(user: Any) -> str:
    return str(user.get("login", "")) if isinstance(user, dict) else ""


def _bot(user: Any) -> bool:
    return isinstance(user, dict) and (
        user.get("type") == "Bot" or str(user.get("login", "")).endswith("[bot]")
    )


def _identity(who: Any, user: Any) -> Identity:
    who = who if isinstance(who, dict) else {}
    return Identity(str(who.get("name") or ""), str(who.get("email") or ""), _login(user) or None)


def _commit(item: Any, origin: str) -> Commit:
    return Commit(
        field(item, "sha", str, origin),
        field(item, "commit.message", str, origin),
        _identity(field(item, "commit.author", dict, origin), item.get("author")),
        _identity(item["commit"].get("committer"), item.get("committer")),
        len(item.get("parents") or []) or 1,
    )


def _commits(
    api: Api, prefix: str, *, expected: int, base: str, head: str, cwd: str
) -> tuple[Commit, ...]:
    items, capped = api.pages(f"{prefix}/commits", COMMIT_CAP)
    if not capped and (not expected or len(items) == expected):
        return tuple(_commit(item, f"GitHub's list of commits of {prefix}") for item in items)
    local_commits = (
        git.log([f"{base}..{head}"], cwd)
        if has_commit(base, cwd) and has_commit(head, cwd)
        else ()
    )
    if expected and len(local_commits) == expected:
        return local_commits  # the API stops at 250 commits; the checkout has them all
    raise GitHubError(
        f"the pull request has {expected} commits; the API lists at most {COMMIT_CAP} and the"
        f" checkout has {len(local_commits)}: check out with `fetch-depth: 0`"
    )


def _team(slug: str) -> str:
    org, _, team = slug.lstrip("@").partition("/")
    return f"orgs/{quote(org)}/teams/{quote(team)}/members"


def team_members(api: Api, slugs: list[str]) -> dict[str, frozenset[str] | None]:
    """{"@org/slug": logins}, or None for a team this token cannot read."""
    return members(api, slugs, _team, _login)


def _chronological(review: dict[str, Any]) -> tuple[str, int]:
    """Reviews in the order they were given, whatever order the API lists them in (a
    pending review has no time yet and never counts)."""
    at, number = review.get("submitted_at"), review.get("id")
    return str(at or ""), number if isinstance(number, int) else 0


def pull_request(event: Event, api: Api) -> tuple[str, dict[str, Any]]:
    """(API path prefix, the full pull request object): the payload's when it is complete,
    else fetched (review, comment and issue_comment payloads carry a reduced one)."""
    owner, _, name = event.repository.partition("/")
    prefix = f"repos/{quote(owner)}/{quote(name)}/pulls/{event.number}"
    pr = event.pr
    if "commits" not in pr:
        pr, _ = api.get(prefix)
    origin = f"the pull request {prefix}"
    for key in ("base.sha", "head.sha"):
        field(pr, key, str, origin)
    if not isinstance(pr.get("body"), (str, type(None))):
        field(pr, "body", str, origin)
    field(pr, "title", str, origin)
    return prefix, pr


def _review(item: Any, origin: str) -> Review:
    user = item.get("user") if isinstance(item, dict) else None
    commit = item.get("commit_id") if isinstance(item, dict) else None
    return Review(
        _login(user) or "(a deleted account)",
        field(item, "state", str, origin).upper(),
        commit if isinstance(commit, str) else None,
        bot=_bot(user) or not _login(user),  # whoever it was cannot be shown independent
    )


def gather(event: Event, api: Api, cwd: str, *, max_bytes: int | None, teams: list[str]) -> Change:
    """The Change of a pull-request event, with notices about how it was gathered."""
    prefix, pr = pull_request(event, api)
    base, head = pr["base"]["sha"], pr["head"]["sha"]
    commits_field = pr.get("commits")
    expected = commits_field if isinstance(commits_field, int) else 0
    deepened = ensure_history(base, head, expected, cwd)
    commits = _commits(api, prefix, expected=expected, base=base, head=head, cwd=cwd)
    reviews, _ = api.pages(f"{prefix}/reviews", 10**9)
    listed, capped = api.pages(f"{prefix}/files", FILE_CAP)
    files = git.changed_files(git.range_diff(base, head), cwd)
    notices = list(deepened)
    if capped or len(listed) != len(files):
        notices.append(
            f"the API lists {len(listed)} changed files (it stops at {FILE_CAP});"
            f" the checkout's diff of base and head, {len(files)} files, was used"
        )
    if max_bytes is not None:
        files = local.with_contents(files, cwd, max_bytes)
    labels = tuple(
        str(label.get("name", "")) for label in pr.get("labels") or () if isinstance(label, dict)
    )
    origin = f"GitHub's list of reviews of {prefix}"
    pull = PullRequest(
        number=event.number,
        title=pr["title"],
        body=pr.get("body") or "",
        author=_login(pr.get("user")),
        labels=labels,
        base_sha=base,
        head_sha=head,
        reviews=tuple(
            _review(r, origin)
            for r in sorted(
                reviews, key=lambda r: _chronological(r if isinstance(r, dict) else {})
            )
        ),
        draft=pr.get("draft") is True,
    )
    members = team_members(api, teams) if teams else None
    known = {k: v for k, v in (members or {}).items() if v is not None}
    return Change("pull-request", commits, files, pull, team_members=known, notices=tuple(notices))


def contents(api: Api, ref: Ref) -> bytes:
    """The exact bytes of ``ref``'s file at its commit, from the contents endpoint."""
    if ref.forge != "github":
        raise PolicyError([f"extends {ref}: a GitLab project's file; GitHub's API cannot read it"])
    path = "/".join(quote(part) for part in ref.path.split("/"))
    return api.raw(f"repos/{quote(ref.owner)}/{quote(ref.repo)}/contents/{path}?ref={ref.sha}")


class GitHubPullRequest(NamedTuple):
    """A pull request as a ``PullRequestSource``: the full object already fetched."""

    event: Event
    api: Api
    pr: dict[str, Any]

    def base(self, cwd: str) -> Base:
        sha = str(self.pr["base"]["sha"])
        return Base(sha, ensure_history(sha, sha, 0, cwd))

    def gather(self, cwd: str, *, max_bytes: int | None, teams: tuple[str, ...]) -> Change:
        event = self.event._replace(pr=self.pr)
        return gather(event, self.api, cwd, max_bytes=max_bytes, teams=list(teams))

    def policy(self, ref: Ref) -> bytes:
        return contents(self.api, ref)


class MergeQueue(NamedTuple):
    """A merge group: the queued commits, judged as a range (each pull request in it had
    its reviews judged on its own)."""

    base_sha: str
    head_sha: str
    api: Api

    def base(self, cwd: str) -> Base:
        return Base(self.base_sha, ensure_history(self.base_sha, self.head_sha, 0, cwd))

    def gather(self, cwd: str, *, max_bytes: int | None, teams: tuple[str, ...]) -> Change:
        change = local.from_range(f"{self.base_sha}..{self.head_sha}", cwd, max_bytes=max_bytes)
        return change._replace(stage="merge-group")

    def policy(self, ref: Ref) -> bytes:
        return contents(self.api, ref)


def source(event: Event, api: Api) -> GitHubPullRequest | MergeQueue:
    """The event's pull request (fetched when the payload carries a reduced one) or queue."""
    if event.queue is not None:
        return MergeQueue(*event.queue, api)
    _, pr = pull_request(event, api)
    return GitHubPullRequest(event, api, pr)
