"""A pull request as a Change: the event payload, the REST API, and the local checkout.

Commits, reviews and changed files come from the API (every page); file contents and added
lines come from the checkout at the PR's own head and base SHAs (never the synthetic merge
commit a `pull_request` checkout sits on). Whatever cannot be had completely is an error.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any, NamedTuple

from ai_governance.change import Change, Commit, Identity, PullRequest, Review
from ai_governance.errors import GitError, UsageError
from ai_governance.gather import git, local
from ai_governance.gather.github_api import Api, Forbidden, GitHubError, quote

CHECKED = {
    "pull_request": (
        "opened",
        "synchronize",
        "edited",
        "labeled",
        "unlabeled",
        "ready_for_review",
        "reopened",
    ),
    "pull_request_review": ("submitted", "dismissed", "edited"),
}
COMMIT_CAP, FILE_CAP = 250, 3000


class Event(NamedTuple):
    name: str
    action: str
    repository: str  # owner/name
    pr: dict[str, Any]  # the payload's pull_request object (reduced for reviews)

    @property
    def checked(self) -> bool:
        return self.action in CHECKED.get(self.name, ())


def read_event(path: str, name: str) -> Event:
    try:
        with open(path, "rb") as handle:
            payload = json.loads(handle.read())
    except (OSError, ValueError) as exc:
        raise UsageError(f"{path}: cannot read the event payload: {exc}") from None
    if not isinstance(payload, dict):
        raise UsageError(f"{path}: the event payload is not a JSON object")
    pr = payload.get("pull_request")
    name = name or ("pull_request_review" if "review" in payload else "pull_request" if pr else "")
    repository = (payload.get("repository") or {}).get("full_name", "")
    return Event(
        name, str(payload.get("action", "")), repository, pr if isinstance(pr, dict) else {}
    )


def _login(user: Any) -> str:
    return str(user.get("login", "")) if isinstance(user, dict) else ""


def _identity(who: Any, user: Any) -> Identity:
    who = who if isinstance(who, dict) else {}
    return Identity(str(who.get("name", "")), str(who.get("email", "")), _login(user) or None)


def _commits(
    api: Api, prefix: str, *, expected: int, base: str, head: str, cwd: str
) -> tuple[Commit, ...]:
    items, capped = api.pages(f"{prefix}/commits", COMMIT_CAP)
    if not capped and (not expected or len(items) == expected):
        return tuple(
            Commit(
                item["sha"],
                item["commit"]["message"],
                _identity(item["commit"].get("author"), item.get("author")),
                _identity(item["commit"].get("committer"), item.get("committer")),
                len(item.get("parents", [])) or 1,
            )
            for item in items
        )
    local_commits = (
        git.log([f"{base}..{head}"], cwd) if _has(base, cwd) and _has(head, cwd) else ()
    )
    if expected and len(local_commits) == expected:
        return local_commits  # the API stops at 250 commits; the checkout has them all
    raise GitHubError(
        f"the pull request has {expected} commits; the API lists at most {COMMIT_CAP} and the"
        f" checkout has {len(local_commits)}: check out with `fetch-depth: 0`"
    )


def _has(revision: str, cwd: str) -> bool:
    try:
        git.verify_commit(revision, cwd)
    except GitError:
        return False
    return True


def ensure_history(base: str, head: str, expected: int, cwd: str) -> None:
    """The checkout must hold the PR's base, head and every commit between: deepen it once
    if it does not (a shallow clone silently drops commits), else fail naming the fix."""

    def complete() -> bool:
        if not (_has(base, cwd) and _has(head, cwd)):
            return False
        count = int(git.text(git.run(["rev-list", "--count", f"{base}..{head}"], cwd)).strip())
        return not expected or count >= expected

    if complete():
        return
    with contextlib.suppress(GitError):  # no remote or no network: judged just below
        git.run(
            ["fetch", "--no-tags", "--quiet", f"--deepen={expected + 1}", "origin", head, base],
            cwd,
        )
    if not complete():
        raise GitError(
            f"the checkout lacks commits of the pull request (base {base[:12]}, head {head[:12]},"
            f" {expected} commits) and could not be deepened: use actions/checkout with"
            " `fetch-depth: 0`"
        )


def team_members(api: Api, slugs: list[str]) -> dict[str, frozenset[str] | None]:
    """{"@org/slug": logins}, or None for a team this token cannot read."""
    members: dict[str, frozenset[str] | None] = {}
    for slug in slugs:
        org, _, team = slug.lstrip("@").partition("/")
        try:
            items, _ = api.pages(f"orgs/{quote(org)}/teams/{quote(team)}/members", 10**9)
        except Forbidden:
            members[slug.lower()] = None
            continue
        members[slug.lower()] = frozenset(_login(item).lower() for item in items)
    return members


def _chronological(review: dict[str, Any]) -> tuple[str, int]:
    """Reviews in the order they were given, whatever order the API lists them in (a
    pending review has no time yet and never counts)."""
    return str(review.get("submitted_at") or ""), int(review.get("id") or 0)


def gather(
    event: Event, api: Api, cwd: str, *, max_bytes: int | None, teams: list[str]
) -> tuple[Change, list[str]]:
    """(the Change, notices) for a checked pull-request event."""
    number = int(event.pr.get("number") or 0)
    if not number or not event.repository:
        raise UsageError(f"the {event.name} payload names no pull request and repository")
    owner, _, name = event.repository.partition("/")
    prefix = f"repos/{quote(owner)}/{quote(name)}/pulls/{number}"
    pr = event.pr
    if "commits" not in pr:  # pull_request_review payloads carry a reduced object
        pr, _ = api.get(prefix)
    base, head = pr["base"]["sha"], pr["head"]["sha"]
    expected = int(pr.get("commits") or 0)
    ensure_history(base, head, expected, cwd)
    commits = _commits(api, prefix, expected=expected, base=base, head=head, cwd=cwd)
    reviews, _ = api.pages(f"{prefix}/reviews", 10**9)
    listed, capped = api.pages(f"{prefix}/files", FILE_CAP)
    files = git.changed_files(git.range_diff(base, head), cwd)
    notices = []
    if capped or len(listed) != len(files):
        notices.append(
            f"the API lists {len(listed)} changed files (it stops at {FILE_CAP});"
            f" the checkout's diff of base and head, {len(files)} files, was used"
        )
    if max_bytes is not None:
        files = local.with_contents(files, git.range_diff(base, head), cwd, max_bytes)
    labels = tuple(
        str(label.get("name", "")) for label in pr.get("labels") or () if isinstance(label, dict)
    )
    pull = PullRequest(
        number=number,
        title=str(pr.get("title") or ""),
        body=str(pr.get("body") or ""),
        author=_login(pr.get("user")),
        labels=labels,
        base_sha=base,
        head_sha=head,
        reviews=tuple(
            Review(_login(r.get("user")), str(r.get("state", "")).upper(), r.get("commit_id"))
            for r in sorted(reviews, key=_chronological)
        ),
        draft=bool(pr.get("draft", False)),
    )
    members = team_members(api, teams) if teams else None
    known = {k: v for k, v in (members or {}).items() if v is not None}
    return Change("pull-request", commits, files, pull, team_members=known), notices
