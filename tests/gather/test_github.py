"""Pull requests gathered from real payloads and a loopback GitHub API."""

from __future__ import annotations

import datetime
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import Repo, git
from github_fake import FakeGitHub, Response, iter_payloads, pull_request_event, review_item

from ai_governance.commands import pull_request
from ai_governance.errors import GitError
from ai_governance.gather import forge, github
from ai_governance.gather.github_api import Api, GitHubError

DAY = datetime.date(2027, 1, 1)
AI = "Add cache\n\nCo-Authored-By: Claude Opus 4.6 <noreply@anthropic.com>\n"


@pytest.fixture
def fake() -> Any:
    with FakeGitHub() as server:
        yield server


def pr_repo(repo: Repo, messages: list[str]) -> tuple[str, str]:
    base = repo.commit("Initial", files={"app.py": "x = 1\n"})
    for index, message in enumerate(messages):
        repo.commit(message, files={f"f{index}.txt": message})
    return base, repo.head()


def api(fake: FakeGitHub, sleeps: list[float] | None = None) -> Api:
    return Api(
        fake.url, "test-token", sleep=(sleeps.append if sleeps is not None else lambda s: None)
    )


def write_event(tmp: Path, payload: dict[str, Any]) -> str:
    path = tmp / "event.json"
    path.write_text(json.dumps(payload))
    return str(path)


@pytest.mark.parametrize("payload", list(iter_payloads()), ids=lambda p: "/".join(p.parts[-2:]))
def test_every_recorded_payload_is_gathered(
    payload: Path, repo: Repo, fake: FakeGitHub, tmp_path: Path
) -> None:
    base, head = pr_repo(repo, ["One", "Two"])
    data = json.loads(payload.read_text())
    pr = data["pull_request"]
    pr["base"]["sha"], pr["head"]["sha"] = base, head
    if "commits" in pr:
        pr["commits"] = 2
    number, owner_repo = pr["number"], data["repository"]["full_name"]
    fake.serve_pull(repo.path, number, base, head)
    for suffix in ("commits", "reviews", "files"):
        fake.routes[f"/repos/{owner_repo}/pulls/{number}/{suffix}"] = fake.routes.pop(
            f"/repos/octo-org/app/pulls/{number}/{suffix}"
        )
    full = json.loads((payload.parents[1] / "octokit" / "opened.payload.json").read_text())[
        "pull_request"
    ]
    full.update(number=number, commits=2, title=pr["title"], body=pr["body"], user=pr["user"])
    full["base"]["sha"], full["head"]["sha"] = base, head
    fake.routes[f"/repos/{owner_repo}/pulls/{number}"] = [Response(200, full)]
    event = github.read_event(write_event(tmp_path, data), "")
    assert event.name == ("pull_request_review" if "review" in data else "pull_request")
    change = github.gather(event, api(fake), str(repo.path), max_bytes=None, teams=[])
    assert change.pr is not None
    assert (change.pr.number, change.pr.title, change.pr.body) == (
        number,
        pr["title"],
        pr["body"] or "",
    )
    assert [c.message for c in change.commits] == ["One", "Two"]
    assert change.pr.author == pr["user"]["login"]


def test_pagination_and_authorization(repo: Repo, tmp_path: Path) -> None:
    base, head = pr_repo(repo, ["One", "Two", "Three"])
    with FakeGitHub(page_size=2) as fake:
        fake.serve_pull(repo.path, 7, base, head, reviews=[review_item("bob", "APPROVED", head)])
        event = github.read_event(write_event(tmp_path, pull_request_event(7, base, head, 3)), "")
        change = github.gather(event, api(fake), str(repo.path), max_bytes=None, teams=[])
    assert [c.message for c in change.commits] == ["One", "Two", "Three"]
    assert [path for path, _ in fake.requests] == [
        "/repos/octo-org/app/pulls/7/commits?per_page=100",
        "/repos/octo-org/app/pulls/7/commits?per_page=100&page=2",
        "/repos/octo-org/app/pulls/7/reviews?per_page=100",
        "/repos/octo-org/app/pulls/7/files?per_page=100",
        "/repos/octo-org/app/pulls/7/files?per_page=100&page=2",
    ]
    assert {auth for _, auth in fake.requests} == {"Bearer test-token"}


def test_502_then_success_is_retried(fake: FakeGitHub) -> None:
    fake.routes["/x"] = [Response(502, {"message": "Bad Gateway"}), Response(200, [1, 2])]
    sleeps: list[float] = []
    assert api(fake, sleeps).pages("x", 100) == ([1, 2], False)
    assert sleeps == [1.0]


def test_rate_limit_waits_when_it_resets_soon_and_fails_when_not(fake: FakeGitHub) -> None:
    import time

    soon = {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(int(time.time()) + 2)}
    fake.routes["/soon"] = [Response(403, {"message": "rate limited"}, soon), Response(200, [])]
    sleeps: list[float] = []
    assert api(fake, sleeps).pages("soon", 100) == ([], False)
    assert len(sleeps) == 1
    assert 0 <= sleeps[0] <= 2
    later = {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(int(time.time()) + 3600)}
    fake.routes["/later"] = [Response(403, {"message": "rate limited"}, later)]
    with pytest.raises(
        GitHubError,
        match=r"rate limit exhausted for .*/later\?per_page=100 until .* UTC; nothing was judged",
    ):
        api(fake).pages("later", 100)


def test_permanent_500_fails_after_bounded_retries(fake: FakeGitHub) -> None:
    fake.routes["/broken"] = [Response(500, {"message": "boom"})]
    with pytest.raises(GitHubError) as caught:
        api(fake).get("broken")
    assert str(caught.value) == (
        f"GitHub API failed for {fake.url}/broken after 4 attempts: 500 Internal Server Error;"
        " nothing was judged"
    )
    assert len(fake.requests) == 4


def test_commit_cap_falls_back_to_the_checkout(
    repo: Repo, fake: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(github, "COMMIT_CAP", 2)
    base, head = pr_repo(repo, ["One", "Two", "Three"])
    fake.serve_pull(repo.path, 7, base, head)
    fake.routes["/repos/octo-org/app/pulls/7/commits"][0].body = fake.routes[
        "/repos/octo-org/app/pulls/7/commits"
    ][0].body[:2]
    event = github.read_event(write_event(tmp_path, pull_request_event(7, base, head, 3)), "")
    change = github.gather(event, api(fake), str(repo.path), max_bytes=None, teams=[])
    assert [c.message for c in change.commits] == ["Three", "Two", "One"]


def test_shallow_checkout_is_deepened_or_fails(
    repo: Repo, fake: FakeGitHub, tmp_path: Path
) -> None:
    base, head = pr_repo(repo, ["One", "Two", "Three"])
    shallow = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{repo.path}", str(shallow)], check=True
    )
    assert (
        forge.ensure_history(base, head, 3, str(shallow))
        == (  # deepened from origin
            f"the checkout lacked commits between {base[:12]} and {head[:12]}; it was deepened"
            " with `git fetch --deepen` (use actions/checkout with `fetch-depth: 0` to skip this)",
        )
    )
    assert git(shallow, "rev-list", "--count", f"{base}..{head}").strip() == "3"
    assert forge.ensure_history(base, head, 3, str(shallow)) == ()
    lone = tmp_path / "lone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{repo.path}", str(lone)], check=True
    )
    git(lone, "remote", "remove", "origin")
    with pytest.raises(GitError, match=r"lacks commits of the pull request .* `fetch-depth: 0`"):
        forge.ensure_history(base, head, 3, str(lone))


def test_the_base_commit_policy_judges_a_pr_that_loosens_it(
    repo: Repo, fake: FakeGitHub, tmp_path: Path
) -> None:
    strict = "version: 1\nname: base-policy\nrules:\n  - {id: d, kind: disclosure}\n"
    base = repo.commit("Policy", files={".ai-governance.yml": strict})
    repo.commit(
        AI,
        files={
            ".ai-governance.yml": strict.replace(
                "kind: disclosure", "kind: disclosure, mode: 'off'"
            )
        },
    )
    head = repo.head()
    fake.serve_pull(repo.path, 9, base, head)
    event = github.read_event(write_event(tmp_path, pull_request_event(9, base, head, 1)), "")
    report = pull_request.judge(github.source(event, api(fake)), str(repo.path), None, DAY)
    assert report.policy == "base-policy"
    assert (report.results[0].mode, report.results[0].status) == ("enforce", "failed")
    assert report.notices[-1] == (
        "this change touches the policy file .ai-governance.yml; it was judged by the"
        " policy of the base commit, and the change needs the policy owners' review"
    )


def test_unreadable_team_is_an_error_naming_the_permission(
    repo: Repo, fake: FakeGitHub, tmp_path: Path
) -> None:
    policy = (
        "version: 1\nname: t\nteams:\n  security: ['@octo-org/appsec']\nrules:\n"
        "  - {id: r, kind: review, from_teams: [security]}\n"
    )
    base = repo.commit("Policy", files={".ai-governance.yml": policy})
    head = repo.commit("Change")
    fake.serve_pull(repo.path, 4, base, head, reviews=[review_item("bob", "APPROVED", head)])
    fake.routes["/orgs/octo-org/teams/appsec/members"] = [Response(403, {"message": "Forbidden"})]
    event = github.read_event(write_event(tmp_path, pull_request_event(4, base, head, 1)), "")
    result = pull_request.judge(
        github.source(event, api(fake)), str(repo.path), None, DAY
    ).results[0]
    assert (result.status, result.reason) == (
        "error",
        (
            "could not read the members of team(s) security: the token needs the `members: read`"
            " organization permission (read:org)"
        ),
    )
    fake.routes["/orgs/octo-org/teams/appsec/members"] = [Response(200, [{"login": "bob"}])]
    assert (
        pull_request.judge(github.source(event, api(fake)), str(repo.path), None, DAY)
        .results[0]
        .status
        == "passed"
    )


def test_review_event_fetches_the_full_pull_request(
    repo: Repo, fake: FakeGitHub, tmp_path: Path
) -> None:
    base, head = pr_repo(repo, [AI + "\nAssisted-by: Claude Code"])
    fake.serve_pull(repo.path, 2, base, head, reviews=[review_item("bob", "APPROVED", head)])
    full = pull_request_event(2, base, head, 1)["pull_request"]
    fake.routes["/repos/octo-org/app/pulls/2"] = [Response(200, full)]
    payload = json.loads(
        (
            Path(__file__).parents[1]
            / "fixtures"
            / "github-events"
            / "octokit-review"
            / "submitted.payload.json"
        ).read_text()
    )
    payload["pull_request"]["base"]["sha"], payload["pull_request"]["head"]["sha"] = base, head
    payload["repository"]["full_name"] = "octo-org/app"
    event = github.read_event(write_event(tmp_path, payload), "pull_request_review")
    report = pull_request.judge(github.source(event, api(fake)), str(repo.path), None, DAY)
    assert [(r.rule, r.status) for r in report.results] == [
        ("ai-disclosure", "passed"),
        ("ai-review", "passed"),
        ("bandit", "passed"),
    ]


def test_check_github_event_from_the_command_line(
    repo: Repo,
    fake: FakeGitHub,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from ai_governance.cli import main

    base, head = pr_repo(repo, [AI + "Assisted-by: Claude Code\n"])
    fake.serve_pull(repo.path, 3, base, head, reviews=[review_item("bob", "APPROVED", head)])
    monkeypatch.setenv("GITHUB_API_URL", fake.url)
    monkeypatch.setenv("GITHUB_TOKEN", "test-token")
    monkeypatch.chdir(repo.path)
    event = write_event(tmp_path, pull_request_event(3, base, head, 1))
    assert (
        main(["check", "--github-event", event, "--format", "json", "--today", "2027-01-01"]) == 0
    )
    report = json.loads(capsys.readouterr().out)
    assert (report["stage"], report["status"]) == ("pull-request", "pass")
    assert [r["reason"] for r in report["results"]][:2] == [
        "pull request #3 is AI-assisted and discloses it",
        "approved by bob (1 of 1)",
    ]
    closed = pull_request_event(3, base, head, 1) | {"action": "closed"}
    assert (
        main(["check", "--github-event", write_event(tmp_path, closed), "--format", "json"]) == 0
    )
    assert json.loads(capsys.readouterr().out)["status"] == "pass"
    assert main(["check", "--github-event", write_event(tmp_path, {})]) == 2
    assert capsys.readouterr().err == (
        "ai-governance: usage error: "
        f"{tmp_path / 'event.json'}: a unrecognised event carries no pull request;"
        " ai-governance judges pull_request, pull_request_target, pull_request_review,"
        " pull_request_review_comment, pull_request_review_thread, issue_comment, workflow_run,"
        " check_run, check_suite, merge_group"
        " (see docs/github-action.md)\n"
    )


@pytest.mark.parametrize("listed", ["in order", "reversed"])
def test_reviews_count_in_the_order_given_whatever_the_api_order(
    repo: Repo, fake: FakeGitHub, tmp_path: Path, listed: str
) -> None:
    """bob approved, then asked for changes: the later review stands, however listed."""
    base, head = pr_repo(repo, [AI + "\nAssisted-by: Claude Code"])
    approved, changes = (
        review_item("bob", "APPROVED", head),
        review_item("bob", "CHANGES_REQUESTED", head),
    )
    approved.update(id=80, submitted_at="2026-11-02T10:00:00Z")
    changes.update(id=81, submitted_at="2026-11-02T11:00:00Z")
    reviews = [approved, changes] if listed == "in order" else [changes, approved]
    fake.serve_pull(repo.path, 5, base, head, reviews=reviews)
    event = github.read_event(write_event(tmp_path, pull_request_event(5, base, head, 1)), "")
    result = pull_request.judge(
        github.source(event, api(fake)), str(repo.path), None, DAY
    ).results[1]
    assert (result.rule, result.status) == ("ai-review", "failed")
