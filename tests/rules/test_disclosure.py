"""disclosure: the exact findings and fix lines, commit by commit and for a whole PR."""

from __future__ import annotations

import datetime

from conftest import make_policy

from ai_governance.change import Change, Commit, Identity, PullRequest
from ai_governance.engine import evaluate
from ai_governance.report import Finding, RuleResult

POLICY = "version: 1\nname: t\n{detect}rules:\n  - id: d\n    kind: disclosure\n{options}"
ANN = Identity("Ann", "ann@example.com")
DAY = datetime.date(2027, 1, 1)


def judge(
    messages: list[str],
    options: str = "",
    *,
    detect: str = "",
    pr: PullRequest | None = None,
    stage: str = "range",
) -> RuleResult:
    commits = tuple(Commit(f"{i:040x}", m, ANN, ANN) for i, m in enumerate(messages, 1))
    policy = make_policy(POLICY.format(detect=detect, options=options))
    change = Change("pull-request" if pr else stage, commits, pr=pr)
    return evaluate(policy, change, DAY).results[0]


def test_undisclosed_ai_commit_gets_the_exact_line_to_add() -> None:
    result = judge(["Add cache\n\nCo-authored-by: Cursor <cursoragent@cursor.com>"])
    assert result.status == "failed"
    assert result.reason == "1 of 1 AI-assisted commit(s) lack a valid `Assisted-by:` trailer"
    assert result.findings == (
        Finding(
            commit="0" * 39 + "1",
            message="commit 000000000000 shows AI assistance but has no `Assisted-by:` trailer."
            " Evidence: Cursor: trailer (line 3): Co-authored-by: Cursor <cursoragent@cursor.com>",
            fix="add this line directly below the trailers at the end of the message: Assisted-by: Cursor",
        ),
    )


def test_disclosed_commit_passes_and_the_trailer_is_itself_evidence() -> None:
    result = judge(["Add cache\n\nAssisted-by: Claude Code:claude-opus-4"])
    assert (result.status, result.reason) == (
        "passed",
        "1 AI-assisted commit(s) of 1 carry `Assisted-by:`",
    )


def test_git_trailer_rules_apply_to_the_canonical_disclosure() -> None:
    spaced = judge(["Add cache\n\nassisted-by : Claude Code"])
    assert spaced.status == "passed"
    outside = judge(
        [
            "Add cache\n\nAssisted-by: Claude Code\nsome free text after it\n\n"
            "🤖 Generated with [Claude Code](https://claude.ai/code)"
        ]
    )
    assert outside.status == "failed"
    assert outside.findings[0].message.startswith(
        "commit 000000000000 shows AI assistance but has no `Assisted-by:` trailer"
        " (`Assisted-by:` on line 3 is outside git's trailer block). Evidence: "
    )


def test_value_pattern_and_tool_model_form() -> None:
    options = "    value: '^[^:]+:.+$'\n"
    result = judge(["Add cache\n\nAssisted-by: Claude Code"], options)
    assert result.findings == (
        Finding(
            commit="0" * 39 + "1",
            line=3,
            message="commit 000000000000: `Assisted-by: Claude Code` does not match /^[^:]+:.+$/",
            fix="write it as the policy asks, e.g. `Assisted-by: Claude Code`",
        ),
    )
    missing = judge(["Fix\n\nCo-Authored-By: Claude <noreply@anthropic.com>"], options)
    assert missing.findings[0].fix == (
        "add this line directly below the trailers at the end of the message: Assisted-by: Claude Code"
        " (the value must match /^[^:]+:.+$/)"
    )


def test_several_tools_get_a_line_each_and_human_commits_pass() -> None:
    result = judge(
        [
            "One\n\nCo-authored-by: Cursor <cursoragent@cursor.com>\n"
            "Co-authored-by: Copilot <copilot@github.com>",
            "Two\n\nSigned-off-by: Ann <ann@example.com>",
        ]
    )
    assert result.reason == "1 of 1 AI-assisted commit(s) lack a valid `Assisted-by:` trailer"
    assert result.findings[0].fix == (
        "add this line directly below the trailers at the end of the message: Assisted-by: Cursor"
        " / Assisted-by: GitHub Copilot"
    )
    assert judge(["Two\n\nSigned-off-by: Ann <ann@example.com>"]).reason == (
        "no AI assistance found in 1 commit(s)"
    )


def test_custom_trailer_and_policy_marker() -> None:
    detect = "detect:\n  markers:\n    - {id: acme, tool: Acme AI, trailer: X-Acme-AI}\n"
    result = judge(["Fix\n\nX-Acme-AI: session 42"], "    trailer: Generated-by\n", detect=detect)
    assert result.findings[0].fix == (
        "add this line directly below the trailers at the end of the message: Generated-by: Acme AI"
    )


def test_pull_request_is_judged_as_a_whole() -> None:
    pr = PullRequest(12, "Cache", "Adds a cache.\n\nAssisted-by: Claude Code", "ann")
    squash = judge(["wip\n\nCo-Authored-By: Claude <noreply@anthropic.com>", "more"], pr=pr)
    assert (squash.status, squash.reason) == (
        "passed",
        "pull request #12 is AI-assisted and discloses it",
    )
    bare = PullRequest(12, "Cache", "Adds a cache.", "ann")
    result = judge(["wip\n\nCo-Authored-By: Claude <noreply@anthropic.com>"], pr=bare)
    assert result.findings == (
        Finding(
            message="pull request #12 shows AI assistance but neither a commit nor the PR body"
            " carries `Assisted-by:`. Evidence: Claude Code: trailer (line 3): Co-Authored-By:"
            " Claude <noreply@anthropic.com>",
            fix="add this line as the last paragraph of the PR body: Assisted-by: Claude Code",
        ),
    )


def test_pr_declaration_required() -> None:
    options = "    pr_declaration: required\n"
    undeclared = judge(
        ["Fix"],
        options,
        pr=PullRequest(3, "Fix", "", "ann"),
        detect="detect:\n  pr_labels: [ai-assisted]\n",
    )
    assert undeclared.findings == (
        Finding(
            message="pull request #3 does not declare whether AI assisted it",
            fix="add `AI-assisted: yes` or `AI-assisted: no` to the PR description, or the label"
            " `ai-assisted`",
        ),
    )
    for body in ("AI-assisted: no", "- [x] No AI was used", "AI assistance: yes"):
        assert judge(["Fix"], options, pr=PullRequest(3, "Fix", body, "ann")).status == "passed"


def test_pre_commit_stage_skips_with_reason() -> None:
    result = judge([], stage="pre-commit")
    assert (result.status, result.reason) == (
        "skipped",
        "no commit message exists before the commit: disclosure is judged at commit-msg",
    )


def test_the_fix_followed_literally_keeps_every_trailer_in_gits_eyes() -> None:
    """Where the hint says to put the line, git still sees every trailer the message had,
    and the new one; and the commit then passes."""
    from conftest import FIXTURES
    from conftest import git_trailers as parsed

    policy = make_policy("version: 1\nname: p\nrules:\n  - {id: d, kind: disclosure}\n")
    day = datetime.date(2027, 1, 1)
    texts = [p.read_text() for p in sorted((FIXTURES / "commit-messages").glob("*.txt"))]
    texts += [
        "Add cache\n\nCo-Authored-By: Claude <noreply@anthropic.com>\nSigned-off-by: A <a@x>\n"
    ]
    followed = 0
    for text in texts:
        commit = Commit(None, text.rstrip("\n"), Identity("Ann", "ann@example.com"), None)
        result = evaluate(policy, Change("commit-msg", (commit,)), day).results[0]
        if result.status == "passed":
            continue
        fix = result.findings[-1].fix or ""
        where, _, line = fix.partition(": ")
        line = line.split(" / ")[0]
        body = text.rstrip("\n")
        if where == "add this line directly below the trailers at the end of the message":
            amended = f"{body}\n{line}\n"
        else:
            assert where == "add this line as the last paragraph of the message", fix
            amended = f"{body}\n\n{line}\n"
        before = parsed(text)
        assert set(before) | {line} <= set(parsed(amended)), text
        assert line in parsed(amended), text
        again = commit._replace(message=amended.rstrip("\n"))
        assert evaluate(policy, Change("commit-msg", (again,)), day).results[0].status == "passed"
        followed += 1
    assert followed >= 5
