"""One comment per pull request, created once and then edited in place.

The comment is found again by the hidden marker at the start of its body *and* by its
author: anyone can post a comment that starts with the marker, and editing theirs would let
a PR author hide or forge the verdict. Only comments written by ``author`` (the token's own
account, ``github-actions[bot]`` for the workflow token) count; of those, the oldest is
edited and none is ever added while one exists. A POST is not retried blindly: after a
failure the comments are read again, so a request that landed is not made twice.
"""

from __future__ import annotations

from typing import Any

from ai_governance.gather.github_api import Api, Forbidden, GitHubError, quote
from ai_governance.records import NamedTuple
from ai_governance.reporters.as_markdown import MARKER


class Posted(NamedTuple):
    action: str  # created | updated | unchanged
    url: str


def _ours(item: Any, author: str) -> bool:
    if not isinstance(item, dict) or not isinstance(item.get("id"), int):
        return False
    user = item.get("user")
    login = user.get("login") if isinstance(user, dict) else None
    text = item.get("body")
    return (
        isinstance(login, str)
        and login.lower() == author.lower()
        and isinstance(text, str)
        and text.startswith(MARKER)
    )


def _find(api: Api, listing: str, author: str) -> dict[str, Any] | None:
    items, _ = api.pages(listing, limit=1 << 30)
    ours = [item for item in items if _ours(item, author)]
    return min(ours, key=lambda item: int(item["id"])) if ours else None


def upsert(api: Api, repository: str, number: int, body: str, author: str) -> Posted:
    """Create or edit the comment; Forbidden when the token may not write (a fork's PR)."""
    owner, _, name = repository.partition("/")
    base = f"repos/{quote(owner)}/{quote(name)}/issues"
    listing = f"{base}/{number}/comments"
    found = _find(api, listing, author)
    if found is None:
        try:
            return _create(api, listing, body)
        except Forbidden:
            raise
        except GitHubError:  # it may have landed all the same: look before trying again
            found = _find(api, listing, author)
            if found is None:
                return _create(api, listing, body)
    url = str(found.get("html_url", ""))
    if found.get("body") == body:
        return Posted("unchanged", url)
    api.send("PATCH", f"{base}/comments/{int(found['id'])}", {"body": body})
    return Posted("updated", url)


def _create(api: Api, listing: str, body: str) -> Posted:
    created, _ = api.send("POST", listing, {"body": body}, retry=False)
    url = created.get("html_url", "") if isinstance(created, dict) else ""
    return Posted("created", str(url))
