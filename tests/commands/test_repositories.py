"""`ai-governance repositories ORG` against a loopback GitHub serving the recorded shape of a
repository: every page read, archives and forks left out unless asked, bad answers fail."""

from __future__ import annotations

import json

import pytest
from github_fake import FakeGitHub, Response, repository_item

from ai_governance.cli import main

ORGANISATION = [
    *(repository_item(f"service-{n:03d}") for n in range(230)),
    repository_item("old", archived=True),
    repository_item("upstream-copy", fork=True),
]


def _list(
    fake: FakeGitHub, monkeypatch: pytest.MonkeyPatch, *args: str
) -> tuple[int, list[str] | str]:
    monkeypatch.setenv("GITHUB_API_URL", fake.url)
    monkeypatch.setenv("GH_TOKEN", "org-token")
    return main(["repositories", "octo-org", *args]), ""


def test_every_page_is_read_and_archives_and_forks_are_left_out(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with FakeGitHub() as fake:
        fake.routes["/orgs/octo-org/repos"] = [Response(200, ORGANISATION)]
        code, _ = _list(fake, monkeypatch)
        assert code == 0
        names = json.loads(capsys.readouterr().out)
        assert names == sorted(f"octo-org/service-{n:03d}" for n in range(230))
        assert [q for q, _ in fake.requests] == [
            "/orgs/octo-org/repos?type=all&per_page=100",
            "/orgs/octo-org/repos?per_page=100&page=2",
            "/orgs/octo-org/repos?per_page=100&page=3",
        ]
        assert {token for _, token in fake.requests} == {"Bearer org-token"}
        code, _ = _list(fake, monkeypatch, "--include-archived", "--include-forks")
        assert code == 0
        assert len(json.loads(capsys.readouterr().out)) == 232


def test_more_than_a_matrix_takes_fails_saying_so(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with FakeGitHub() as fake:
        fake.routes["/orgs/octo-org/repos"] = [Response(200, ORGANISATION)]
        code, _ = _list(fake, monkeypatch, "--at-most", "200")
    assert code == 2
    assert capsys.readouterr().err == (
        "ai-governance: usage error: octo-org has 230 repositories to measure, more than 200"
        " (--at-most): measure them in parts\n"
    )


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (
            Response(200, []),
            "ai-governance: usage error: octo-org has no repository to measure\n",
        ),
        (
            Response(200, [{**repository_item("x"), "full_name": "octo-org/x;rm -rf /"}]),
            "ai-governance: error: GitHub listed a repository named 'octo-org/x;rm -rf /'\n",
        ),
        (
            Response(200, [{"name": "no-full-name"}]),
            "ai-governance: error: GitHub listed a repository without a `full_name`\n",
        ),
        (
            Response(200, {"message": "not a list"}),
            "ai-governance: error: GitHub answered /orgs/octo-org/repos?type=all with something"
            " that is not a list\n",
        ),
    ],
)
def test_wrong_answers_fail_closed(
    answer: Response,
    message: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with FakeGitHub() as fake:
        fake.routes["/orgs/octo-org/repos"] = [answer]
        code, _ = _list(fake, monkeypatch)
    assert code in (1, 2)
    assert capsys.readouterr() == ("", message)


def test_an_organisation_the_token_cannot_see_fails(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with FakeGitHub() as fake:  # no route: GitHub's 404
        code, _ = _list(fake, monkeypatch)
        url = f"{fake.url}/orgs/octo-org/repos?type=all&per_page=100"
    assert code == 1
    assert capsys.readouterr().err == (
        f"ai-governance: error: GitHub answered 404 for {url}: missing, or hidden from this"
        " token\n"
    )


def test_a_name_that_is_not_an_organisation_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["repositories", "../etc"]) == 2
    assert capsys.readouterr().err == (
        "ai-governance: usage error: '../etc' is not a GitHub organisation name\n"
    )
