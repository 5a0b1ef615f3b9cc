"""GitLab's REST client and the merge request as a Change: pagination as GitLab pages,
rate limits, refusals, wrong shapes and the older shapes of real responses."""

from __future__ import annotations

import email.utils
import json
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import Repo, git
from gitlab_fake import (
    IID,
    PREFIX,
    PROJECT,
    REST,
    FakeGitLab,
    Response,
    approval,
    error,
    shape,
    user,
)

from ai_governance.errors import GitError, UsageError
from ai_governance.gather import gitlab, rest
from ai_governance.gather.gitlab_api import Api, ApiError, Forbidden, said


@pytest.fixture
def fake() -> Iterator[FakeGitLab]:
    with FakeGitLab(page_size=2) as server:
        yield server


def api(fake: FakeGitLab, sleeps: list[float] | None = None) -> Api:
    return Api(
        fake.api, "glpat-x", sleep=(sleeps.append if sleeps is not None else lambda s: None)
    )


def test_pages_follow_x_next_page_on_the_request_itself(fake: FakeGitLab) -> None:
    """The docs' example response names another project in its Link header: the client
    pages the request it made, by number."""
    items = list(range(5))
    fake.routes["/api/v4/projects/9/issues/8/notes"] = [Response(200, items)]
    assert api(fake).pages("projects/9/issues/8/notes?sort=asc", 100) == (items, False)
    asked = [path for _, path, _ in fake.requests]
    assert asked == [
        "/api/v4/projects/9/issues/8/notes?sort=asc&per_page=100",
        "/api/v4/projects/9/issues/8/notes?sort=asc&per_page=100&page=2",
        "/api/v4/projects/9/issues/8/notes?sort=asc&per_page=100&page=3",
    ]
    misleading = {
        "X-Next-Page": "2",
        "Link": f'<{fake.api}/projects/8/issues/8/notes?page=2>; rel="next"',
    }
    fake.routes["/api/v4/one"] = [
        Response(200, [1], misleading),
        Response(200, [2], {"X-Next-Page": ""}),
    ]
    assert api(fake).pages("one", 100) == ([1, 2], False)
    assert all("/projects/8/" not in path for _, path, _ in fake.requests)


def test_without_x_next_page_the_link_header_is_followed(fake: FakeGitLab) -> None:
    link = {"X-Next-Page": "", "Link": ""}
    fake.routes["/api/v4/a"] = [Response(200, [1], {"Link": f'<{fake.api}/b>; rel="next"'})]
    fake.routes["/api/v4/b"] = [Response(200, [2], link)]
    assert api(fake).pages("a", 100) == ([1, 2], False)
    fake.routes["/api/v4/odd"] = [Response(200, [1], {"X-Next-Page": "two"})]
    with pytest.raises(ApiError, match=r"with x-next-page 'two', not a page number$"):
        api(fake).pages("odd", 100)


@pytest.mark.parametrize(
    "headers",
    [
        {"Retry-After": "3"},
        {"RateLimit-ResetTime": "DATE"},
        {"RateLimit-Reset": "EPOCH"},
        {},
    ],
)
def test_429_waits_as_gitlab_runner_does(fake: FakeGitLab, headers: dict[str, str]) -> None:
    soon = time.time() + 3
    values = {
        k: v.replace("DATE", email.utils.formatdate(soon, usegmt=True)).replace(
            "EPOCH", str(int(soon))
        )
        for k, v in headers.items()
    }
    fake.routes["/api/v4/x"] = [
        Response(429, "Retry later\n", values, text=True),
        Response(200, {"ok": 1}),
    ]
    sleeps: list[float] = []
    assert api(fake, sleeps).get("x")[0] == {"ok": 1}
    assert len(sleeps) == 1
    assert 0 <= sleeps[0] <= 4


def test_a_long_rate_limit_or_a_lasting_one_fails(fake: FakeGitLab) -> None:
    fake.routes["/api/v4/later"] = [
        Response(429, error("429.application_limit.json"), {"Retry-After": "3600"})
    ]
    with pytest.raises(
        ApiError, match=r"^GitLab API rate limit exhausted for .*/later until .* UTC"
    ):
        api(fake).get("later")
    fake.routes["/api/v4/always"] = [
        Response(429, error("429.application_limit.json"), {"Retry-After": "0"})
    ]
    with pytest.raises(ApiError) as caught:
        api(fake).get("always")
    assert str(caught.value) == (
        f"GitLab answered 429 for GET {fake.api}/always (This endpoint has been requested too"
        " many times. Try again later.)"
    )


def test_refusals_name_the_status_and_gitlabs_reason(fake: FakeGitLab) -> None:
    fake.routes["/api/v4/gone"] = [Response(404, error("404.project.json"))]
    with pytest.raises(Forbidden) as caught:
        api(fake).get("gone")
    assert str(caught.value) == (
        f"GitLab answered 404 for {fake.api}/gone (404 Project Not Found): missing, or hidden"
        " from this token"
    )
    fake.routes["/api/v4/bad"] = [Response(400, {"message": {"bio": ["is too long"]}})]
    with pytest.raises(
        ApiError, match=r'^GitLab answered 400 for GET .*/bad \(\{"bio": \["is too long"\]\}\)$'
    ):
        api(fake).get("bad")
    fake.routes["/api/v4/boom"] = [Response(500, {"message": "500 Internal Server Error"})]
    with pytest.raises(
        ApiError, match=r"after 4 attempts: 500 Internal Server Error; nothing was judged$"
    ):
        api(fake).get("boom")
    assert said(b"\x1b[31mred\nline\x00") == "[31mred line"
    assert said(b"x" * 300) == "x" * 200 + "..."
    assert said(json.dumps(error("403.insufficient_scope.json")).encode()) == (
        "insufficient_scope: The request requires higher privileges than provided by the"
        " access token. (needs the sudo scope)"
    )


def test_the_api_url_must_be_http() -> None:
    with pytest.raises(UsageError, match=r"^CI_API_V4_URL 'file:///etc' is not an http\(s\) URL$"):
        Api("file:///etc", "t")


def _pipeline(**env: str) -> gitlab.Pipeline:
    base = {
        "GITLAB_CI": "true",
        "CI_PIPELINE_SOURCE": "merge_request_event",
        "CI_API_V4_URL": "https://gitlab.example.com/api/v4",
        "CI_MERGE_REQUEST_PROJECT_ID": "15513260",
        "CI_MERGE_REQUEST_IID": "133",
    }
    return gitlab.pipeline({**base, **env})


def test_the_pipeline_says_which_merge_request_and_which_head() -> None:
    assert _pipeline(CI_COMMIT_SHA="a" * 40) == gitlab.Pipeline(
        "https://gitlab.example.com/api/v4", "15513260", 133, "", "a" * 40, ""
    )
    merged = _pipeline(
        CI_MERGE_REQUEST_EVENT_TYPE="merged_result",
        CI_COMMIT_SHA="c" * 40,
        CI_MERGE_REQUEST_SOURCE_BRANCH_SHA="b" * 40,
    )
    assert merged.source_sha == "b" * 40
    train = _pipeline(CI_MERGE_REQUEST_EVENT_TYPE="merge_train", CI_COMMIT_SHA="c" * 40)
    assert train.source_sha == ""  # the train's merge commit is nobody's head
    with pytest.raises(UsageError, match=r"^CI_MERGE_REQUEST_IID '1; rm' is not a number$"):
        _pipeline(CI_MERGE_REQUEST_IID="1; rm")
    with pytest.raises(UsageError, match=r"^this is a schedule pipeline"):
        _pipeline(CI_PIPELINE_SOURCE="schedule")


def _source(fake: FakeGitLab) -> gitlab.MergeRequest:
    return gitlab.merge_request(_pipeline(CI_API_V4_URL=fake.api), api(fake))


def test_the_older_recorded_shape_is_read(fake: FakeGitLab, repo: Repo) -> None:
    """go-gitlab's recording of gitlab-ee!14656: ``\\r\\n`` in the description, nine
    labels, ``draft`` beside ``work_in_progress``, reviewers without states."""
    base = repo.commit("Initial", files={"a.py": "a = 1\n"})
    head = repo.commit("Change", files={"a.py": "a = 2\n"})
    recorded = shape("merge_request.get.go-gitlab.json")
    recorded["diff_refs"] = {"base_sha": base, "head_sha": head, "start_sha": base}
    fake.serve(repo.path, base, head, author=user("alice", 5))
    fake.routes[PREFIX] = [Response(200, recorded)]
    change = _source(fake).gather(str(repo.path), max_bytes=None, teams=())
    assert change.pr is not None
    assert (change.pr.number, change.pr.draft, len(change.pr.labels)) == (IID, True, 9)
    assert change.pr.author == recorded["author"]["username"]
    assert change.pr.body == recorded["description"]
    assert "\r\n" in change.pr.body
    assert change.pr.forge == "GitLab"
    assert [c.sha for c in change.commits] == [head]


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("diff_refs", None, "GitLab has not worked out its diff yet"),
        ("diff_refs.head_sha", "main", "`diff_refs.head_sha` 'main' is not a commit id"),
        ("title", 5, "`title` must be a str but is a int"),
        ("author", None, "`author.username` must be a str but is missing"),
    ],
)
def test_a_merge_request_of_the_wrong_shape_is_an_error(
    fake: FakeGitLab, repo: Repo, path: str, value: object, message: str
) -> None:
    base = repo.commit("Initial")
    mr = fake.serve(repo.path, base, base, author=user("alice", 5))
    *parents, key = path.split(".")
    target = mr
    for part in parents:
        target = target[part]
    target[key] = value
    with pytest.raises(ApiError, match=message):
        _source(fake)


def test_versions_decide_which_approvals_are_of_the_head(fake: FakeGitLab, repo: Repo) -> None:
    base = repo.commit("Initial")
    head = repo.commit("Change")
    fake.serve(
        repo.path,
        base,
        head,
        author=user("alice", 5),
        approved=[
            approval(user("bob", 6), "2027-01-01T10:00:01+00:00"),
            approval(user("carol", 7), "2027-01-01T09:59:59Z"),
            approval(user("dave", 8), "not a time"),
        ],
        pushed_at="2027-01-01T10:00:00.000Z",
    )
    change = _source(fake).gather(str(repo.path), max_bytes=None, teams=())
    assert change.pr is not None
    assert [(r.reviewer, r.commit) for r in change.pr.reviews] == [
        ("bob", head),
        ("carol", None),
        ("dave", None),
    ]
    assert change.notices == (
        "GitLab does not say when dave approved (`approved_at` is missing before GitLab"
        " 17.x): those approvals count as given before the last push",
    )
    fake.routes[f"{PREFIX}/versions"] = [Response(200, [])]
    change = _source(fake).gather(str(repo.path), max_bytes=None, teams=())
    assert change.pr is not None
    assert all(r.commit is None for r in change.pr.reviews)
    assert change.notices[0] == (
        f"GitLab lists no diff version for the head {head[:12]} yet, so no approval can be"
        " shown to come after the last push"
    )


def test_a_shallow_clone_is_deepened_or_fails_naming_git_depth(
    fake: FakeGitLab, repo: Repo, tmp_path: Path
) -> None:
    base = repo.commit("Initial")
    for index in range(3):
        repo.commit(f"Change {index}")
    head = repo.head()
    fake.serve(repo.path, base, head, author=user("alice", 5))
    shallow = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{repo.path}", str(shallow)], check=True
    )
    change = _source(fake).gather(str(shallow), max_bytes=None, teams=())
    assert change.notices[0] == (
        f"the checkout lacked commits between {base[:12]} and {head[:12]}; it was deepened with"
        " `git fetch --deepen` (set `GIT_DEPTH: 0` on the job (the template does) to skip this)"
    )
    lone = tmp_path / "lone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{repo.path}", str(lone)], check=True
    )
    git(lone, "remote", "remove", "origin")
    with pytest.raises(GitError, match=r"lacks commits of the merge request .* `GIT_DEPTH: 0`"):
        _source(fake).gather(str(lone), max_bytes=None, teams=())


def test_premium_approval_rules_not_met_are_said(fake: FakeGitLab, repo: Repo) -> None:
    base = repo.commit("Initial")
    head = repo.commit("Change")
    fake.serve(repo.path, base, head, author=user("alice", 5))
    state = shape("merge_request_approval_state.get.json")
    state["rules"][0]["approved"] = False
    fake.routes[f"{PREFIX}/approval_state"] = [Response(200, state)]
    change = _source(fake).gather(str(repo.path), max_bytes=None, teams=())
    assert change.notices == (
        "GitLab's approval rule 'Ruby' is not met yet (2 approval(s) required)",
    )


def test_fixtures_are_the_recorded_shapes() -> None:
    assert sorted(p.name for p in REST.glob("*.json"))[:3] == [
        "group_members_all.list.json",
        "merge_request.get.go-gitlab.json",
        "merge_request.get.json",
    ]
    assert shape("merge_request.get.json")["project_id"] == PROJECT
    assert rest.PAGE_CAP == 10_000
