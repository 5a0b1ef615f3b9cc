"""One note per merge request, created once and then edited in place.

As on GitHub, the note is found again by the hidden marker at the start of its body *and*
by its author, the token's own user (``GET /user``): anyone can write a note that starts
with the marker. Of the notes written by that user with the marker (system notes never
count), the oldest is edited and none is added while one exists. A POST is not retried
blindly: after a failure the notes are read again.

A note is also a command line: GitLab runs the quick actions (``/approve``, ``/merge``...)
of every line that starts with one, as the token's user. The body is checked here, the
last step before GitLab: no line of it may start with ``/`` (text from the merge request
is escaped and kept on one line by ``as_markdown``; this holds whatever a reporter does).
"""

from __future__ import annotations

import re
from typing import Any

from ai_governance.gather.gitlab_api import Api, ApiError, Forbidden
from ai_governance.records import NamedTuple
from ai_governance.reporters.as_markdown import MARKER

_COMMAND = re.compile(r"^(\s*)/", re.M)


class Posted(NamedTuple):
    action: str  # created | updated | unchanged
    url: str


def without_commands(body: str) -> str:
    """``body`` with every line that starts with ``/`` (a quick action) made text."""
    return _COMMAND.sub(lambda m: f"{m.group(1)}\u200b/", body)


def _ours(item: Any, user: int) -> bool:
    if not isinstance(item, dict) or not isinstance(item.get("id"), int):
        return False
    author = item.get("author")
    text = item.get("body")
    return (
        isinstance(author, dict)
        and author.get("id") == user
        and item.get("system") is not True
        and isinstance(text, str)
        and text.startswith(MARKER)
    )


def _find(api: Api, listing: str, user: int) -> dict[str, Any] | None:
    items, _ = api.pages(f"{listing}?sort=asc&order_by=created_at", limit=1 << 30)
    ours = [item for item in items if _ours(item, user)]
    return min(ours, key=lambda item: int(item["id"])) if ours else None


def upsert(api: Api, prefix: str, body: str, web_url: str = "") -> Posted:
    """Create or edit the note of the merge request at ``prefix``
    (``projects/ID/merge_requests/IID``); Forbidden when the token may not write."""
    body = without_commands(body)
    me, _ = api.get("user")
    user = me.get("id") if isinstance(me, dict) else None
    if not isinstance(user, int) or isinstance(user, bool):
        raise ApiError("GitLab's answer to GET /user has no numeric `id`")
    listing = f"{prefix}/notes"
    found = _find(api, listing, user)
    if found is None:
        try:
            return _create(api, listing, body, web_url)
        except Forbidden:
            raise
        except ApiError:  # it may have landed all the same: look before trying again
            found = _find(api, listing, user)
            if found is None:
                return _create(api, listing, body, web_url)
    url = _link(web_url, found)
    if found.get("body") == body:
        return Posted("unchanged", url)
    api.send("PUT", f"{listing}/{int(found['id'])}", {"body": body})
    return Posted("updated", url)


def _link(web_url: str, note: Any) -> str:
    number = note.get("id") if isinstance(note, dict) else None
    return f"{web_url}#note_{number}" if web_url and isinstance(number, int) else web_url


def _create(api: Api, listing: str, body: str, web_url: str) -> Posted:
    created, _ = api.send("POST", listing, {"body": body}, retry=False)
    return Posted("created", _link(web_url, created))
