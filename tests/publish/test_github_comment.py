"""The pull request comment against a loopback GitHub that keeps issue comments as GitHub
does (its documented response shapes): created once, edited in place, never duplicated."""

from __future__ import annotations

import pytest
from github_fake import FORBIDDEN, FakeGitHub, Response, comment_item

from ai_governance.gather.github_api import Api, Forbidden
from ai_governance.publish.github_comment import upsert
from ai_governance.reporters.as_markdown import MARKER

LISTING = "/repos/octo-org/app/issues/7/comments"
AUTHOR = "github-actions[bot]"


def api(fake: FakeGitHub) -> Api:
    return Api(fake.url, "t", sleep=lambda _: None)


def test_created_once_then_edited_in_place() -> None:
    with FakeGitHub() as fake:
        first = upsert(api(fake), "octo-org/app", 7, f"{MARKER}\nfailing\n", AUTHOR)
        again = upsert(api(fake), "octo-org/app", 7, f"{MARKER}\nfailing\n", AUTHOR)
        later = upsert(api(fake), "octo-org/app", 7, f"{MARKER}\nresolved\n", AUTHOR)
    url = "https://github.com/octo-org/app/pull/7#issuecomment-1"
    assert (first, again, later) == (("created", url), ("unchanged", url), ("updated", url))
    assert [(m, p) for m, p, _ in fake.writes] == [
        ("POST", LISTING),
        ("PATCH", "/repos/octo-org/app/issues/comments/1"),
    ]
    assert [c["body"] for c in fake.comments[7]] == [f"{MARKER}\nresolved\n"]


def test_a_comment_by_anyone_else_is_never_taken_for_ours() -> None:
    """A PR author who posts the marker cannot make the tool edit (or trust) their text."""
    with FakeGitHub() as fake:
        planted = comment_item(1, 7, "mallory", f"{MARKER}\n✅ resolved: every rule passes\n")
        fake.comments[7] = [comment_item(2, 7, AUTHOR, "no marker"), planted]
        posted = upsert(api(fake), "octo-org/app", 7, f"{MARKER}\nfailing\n", AUTHOR)
    assert posted.action == "created"
    assert [c["body"] for c in fake.comments[7]] == [
        "no marker",
        f"{MARKER}\n✅ resolved: every rule passes\n",
        f"{MARKER}\nfailing\n",
    ]


def test_the_oldest_of_ours_is_edited_on_any_page() -> None:
    with FakeGitHub(page_size=2) as fake:
        fake.comments[7] = [comment_item(i, 7, "someone", "chat") for i in range(1, 6)]
        fake.comments[7] += [comment_item(9, 7, AUTHOR, f"{MARKER}\nold\n")]
        fake.comments[7] += [comment_item(8, 7, AUTHOR.upper(), f"{MARKER}\nolder\n")]
        posted = upsert(api(fake), "octo-org/app", 7, f"{MARKER}\nnew\n", AUTHOR)
    assert posted.action == "updated"
    assert [(m, p) for m, p, _ in fake.writes] == [
        ("PATCH", "/repos/octo-org/app/issues/comments/8")
    ]


def test_a_post_that_landed_but_failed_is_not_made_twice() -> None:
    with FakeGitHub() as fake:
        fake.scripts[f"POST {LISTING}"] = ["lands", None]
        posted = upsert(api(fake), "octo-org/app", 7, f"{MARKER}\nx\n", AUTHOR)
    assert posted.action == "unchanged"
    assert len(fake.comments[7]) == 1


def test_a_post_that_failed_is_tried_once_more() -> None:
    with FakeGitHub() as fake:
        fake.scripts[f"POST {LISTING}"] = [Response(502, {"message": "Server Error"}), None]
        posted = upsert(api(fake), "octo-org/app", 7, f"{MARKER}\nx\n", AUTHOR)
    assert posted.action == "created"
    assert [m for m, _, _ in fake.writes] == ["POST", "POST"]
    assert len(fake.comments[7]) == 1


def test_a_read_only_token_is_forbidden() -> None:
    with FakeGitHub() as fake:
        fake.scripts[f"POST {LISTING}"] = [Response(403, FORBIDDEN)]
        with pytest.raises(Forbidden, match=r"403 for POST .*: the token may not write it"):
            upsert(api(fake), "octo-org/app", 7, f"{MARKER}\nx\n", AUTHOR)
    assert 7 not in fake.comments
