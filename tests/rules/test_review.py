"""review: latest state per reviewer, blockers, independence, staleness, teams."""

from __future__ import annotations

import datetime

from conftest import make_policy

from ai_governance.change import Change, Commit, Identity, PullRequest, Review
from ai_governance.engine import evaluate
from ai_governance.report import Finding, RuleResult

HEAD_SHA = "a" * 40
OLD_SHA = "b" * 40
DAY = datetime.date(2027, 1, 1)
POLICY = (
    "version: 1\nname: t\nteams:\n  security: ['@acme/appsec', carol]\n"
    "rules:\n  - id: r\n    kind: review\n{options}"
)
COMMITS = (
    Commit(
        HEAD_SHA,
        "Fix\n\nCo-authored-by: Dave <12+dave@users.noreply.github.com>",
        Identity("Erin", "erin@example.com", login="erin"),
        None,
    ),
)


def judge(
    reviews: list[tuple[str, str, str]],
    options: str = "",
    *,
    members: dict[str, frozenset[str]] | None = None,
    stage: str = "pull-request",
) -> RuleResult:
    pr = PullRequest(
        5,
        "Fix",
        "",
        "ann",
        head_sha=HEAD_SHA,
        reviews=tuple(Review(who, state, sha) for who, state, sha in reviews),
    )
    change = Change(
        stage, COMMITS, pr=pr if stage == "pull-request" else None, team_members=members
    )
    return evaluate(make_policy(POLICY.format(options=options)), change, DAY).results[0]


def test_latest_review_per_reviewer_counts() -> None:
    result = judge(
        [
            ("bob", "CHANGES_REQUESTED", OLD_SHA),
            ("bob", "APPROVED", HEAD_SHA),
            ("bob", "COMMENTED", HEAD_SHA),
        ]
    )
    assert (result.status, result.reason) == ("passed", "approved by bob (1 of 1)")


def test_changes_requested_blocks_even_with_enough_approvals() -> None:
    result = judge([("bob", "APPROVED", HEAD_SHA), ("carol", "changes_requested", HEAD_SHA)])
    assert result.status == "failed"
    assert result.findings == (
        Finding(
            message="carol requested changes", fix="address carol's review and ask for a new one"
        ),
    )


def test_dismissed_review_no_longer_counts() -> None:
    result = judge([("bob", "APPROVED", HEAD_SHA), ("bob", "DISMISSED", HEAD_SHA)])
    assert result.findings[0].message == "0 of 1 required independent approval(s)"


def test_author_and_contributors_never_count_when_independent() -> None:
    reviews = [
        ("ann", "APPROVED", HEAD_SHA),
        ("erin", "APPROVED", HEAD_SHA),
        ("dave", "APPROVED", HEAD_SHA),
    ]
    assert judge(reviews).findings == (
        Finding(
            message="0 of 1 required independent approval(s)",
            fix="1 more independent approval(s) needed: request review; the PR author and"
            " commit authors/co-authors do not count",
        ),
    )
    assert judge(reviews, "    independent: false\n").reason == "approved by dave, erin (2 of 1)"


def test_dismiss_stale_counts_only_head_commit_approvals() -> None:
    options = "    approvals: 2\n    dismiss_stale: true\n"
    result = judge([("bob", "APPROVED", OLD_SHA), ("carol", "APPROVED", HEAD_SHA)], options)
    assert result.findings[0].message == (
        "1 of 2 required independent approval(s) of the head commit (counted: carol)"
    )


def test_from_teams_uses_members_read_from_github() -> None:
    options = "    from_teams: [security]\n"
    reviews = [("bob", "APPROVED", HEAD_SHA)]
    ok = judge(reviews, options, members={"@acme/appsec": frozenset({"bob"})})
    assert ok.reason == "approved by bob (1 of 1 from security)"
    nope = judge(reviews, options, members={"@acme/appsec": frozenset({"zed"})})
    assert nope.findings[0].message == "0 of 1 required independent approval(s) from security"
    listed = judge([("carol", "APPROVED", HEAD_SHA)], options)
    assert listed.status == "passed"


def test_unreadable_team_membership_is_an_error_not_a_pass() -> None:
    result = judge([("bob", "APPROVED", HEAD_SHA)], "    from_teams: [security]\n")
    assert (result.status, result.reason) == (
        "error",
        "could not read the members of team(s) security: the token needs the"
        " `members: read` organization permission (read:org)",
    )


def test_local_stages_skip_with_reason() -> None:
    result = judge([], stage="commit-msg")
    assert (result.status, result.reason) == (
        "skipped",
        "reviews exist only on a pull request; the commit-msg stage has none (CI judges it)",
    )
