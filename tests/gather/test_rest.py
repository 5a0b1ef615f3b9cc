"""What both forges' clients share: the token goes only to the API it is for, and a list
that never ends is an error. Loopback servers stand in for the forge and for elsewhere."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from github_fake import FakeGitHub, Response

from ai_governance.gather import rest
from ai_governance.gather.github_api import Api


@pytest.fixture
def forge() -> Iterator[FakeGitHub]:
    with FakeGitHub() as server:
        yield server


@pytest.fixture
def elsewhere() -> Iterator[FakeGitHub]:
    with FakeGitHub() as server:
        yield server


def api(forge: FakeGitHub) -> Api:
    return Api(forge.url, "secret-token", sleep=lambda s: None)


def test_a_next_page_on_another_origin_is_not_followed(
    forge: FakeGitHub, elsewhere: FakeGitHub
) -> None:
    link = {"Link": f'<{elsewhere.url}/steal?page=2>; rel="next"'}
    forge.routes["/list"] = [Response(200, [1], link)]
    with pytest.raises(rest.ApiError) as caught:
        api(forge).pages("list", 100)
    assert str(caught.value) == (
        f"GitHub pointed to {elsewhere.url}/steal?page=2, outside {forge.url}: not followed"
        " (the token is only sent to the API it is for); nothing was judged"
    )
    assert elsewhere.requests == []


def test_a_redirect_to_another_origin_is_an_error_and_carries_no_token(
    forge: FakeGitHub, elsewhere: FakeGitHub
) -> None:
    elsewhere.routes["/landing"] = [Response(200, {"ok": True})]
    forge.routes["/moved"] = [Response(302, {}, {"Location": f"{elsewhere.url}/landing"})]
    with pytest.raises(rest.ApiError, match=rf"^GitHub answered 302 for {forge.url}/moved$"):
        api(forge).get("moved")
    assert elsewhere.requests == []


def test_a_redirect_within_the_api_is_followed_with_the_token(forge: FakeGitHub) -> None:
    forge.routes["/old"] = [Response(301, {}, {"Location": f"{forge.url}/new"})]
    forge.routes["/new"] = [Response(200, {"here": 1})]
    assert api(forge).get("old")[0] == {"here": 1}
    assert forge.requests == [("/old", "Bearer secret-token"), ("/new", "Bearer secret-token")]


def test_a_list_that_never_ends_is_an_error(
    forge: FakeGitHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rest, "PAGE_CAP", 3)
    forge.routes["/loop"] = [Response(200, [1], {"Link": f'<{forge.url}/loop>; rel="next"'})]
    with pytest.raises(
        rest.ApiError, match=r"^GitHub listed loop past 3 pages; nothing was judged$"
    ):
        api(forge).pages("loop", 100)
    assert len(forge.requests) == 3
