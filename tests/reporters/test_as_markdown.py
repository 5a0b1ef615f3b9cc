"""The markdown reporter: the pull request comment's body, checklist first, text inert."""

from __future__ import annotations

from ai_governance.report import Evidence, Finding, Report, RuleResult
from ai_governance.reporters import as_markdown

EVIL = "@everyone <img src=x onerror=alert(1)> [x](javascript:alert(1)) **bold** `code`"


def report(*results: RuleResult, notices: tuple[str, ...] = ()) -> Report:
    evidence = (Evidence("co-author", "Claude Code", "commit abc: Co-Authored-By", "abc"),)
    return Report("default", "embedded", "pull-request", True, evidence, results, notices)


DISCLOSURE = RuleResult(
    "ai-disclosure",
    "disclosure",
    "enforce",
    "failed",
    "1 of 2 commit(s) undisclosed",
    (
        Finding(
            commit="abc1234def5678",
            message="commit abc1234def56 shows AI assistance but has no `Assisted-by:` trailer",
            fix="add this line directly below the trailers at the end of the message: Assisted-by: Claude Code",
        ),
    ),
)
REVIEW = RuleResult(
    "ai-review",
    "review",
    "enforce",
    "failed",
    "0 of 1 approval(s) from @acme/appsec",
    (
        Finding(
            message="0 of 1 required independent approval(s) from @acme/appsec",
            fix="1 more independent approval(s) from @acme/appsec needed: request review",
        ),
    ),
)
SCAN = RuleResult("bandit", "security-scan", "enforce", "passed", "no findings in 2 file(s)")


def test_what_is_still_required_comes_first_as_a_checklist() -> None:
    text = as_markdown.body(report(DISCLOSURE, REVIEW, SCAN), head="0123456789abcdef")
    assert text == (
        "<!-- ai-governance: pull request comment -->\n"
        "### ai-governance: ❌ changes are still required\n"
        "\n"
        "Policy **default** (embedded). AI assistance: **Claude Code**.\n"
        "\n"
        "**Still required** (2):\n"
        "\n"
        "- [ ] **ai-disclosure** (disclosure, enforce): 1 of 2 commit(s) undisclosed\n"
        "  - commit `abc1234def56`: commit abc1234def56 shows AI assistance but has no"
        " \\`Assisted-by:\\` trailer\n"
        "    - **fix:** add this line directly below the trailers at the end of the message:"
        " Assisted-by: Claude Code\n"
        "- [ ] **ai-review** (review, enforce): 0 of 1 approval(s) from @\u200bacme/appsec\n"
        "  - 0 of 1 required independent approval(s) from @\u200bacme/appsec\n"
        "    - **fix:** 1 more independent approval(s) from @\u200bacme/appsec needed:"
        " request review\n"
        "\n"
        "<details><summary>Passed or not applicable</summary>\n"
        "\n"
        "- ✅ **bandit** (security-scan, enforce): no findings in 2 file(s)\n"
        "\n"
        "</details>\n"
        "\n"
        "<sub>Judged at head `0123456789ab`; this comment is updated in place on every"
        " run.</sub>\n"
    )


def test_all_passing_is_marked_resolved() -> None:
    text = as_markdown.body(report(SCAN))
    assert text.splitlines()[1] == "### ai-governance: ✅ resolved: every rule passes"
    assert "Still required" not in text


def test_warn_mode_failures_are_warnings_unless_the_job_fails_on_them() -> None:
    warned = DISCLOSURE._replace(mode="warn", status="warned")
    text = as_markdown.body(report(warned, SCAN))
    assert text.splitlines()[1] == (
        "### ai-governance: ✅ nothing blocks this change; see the warnings"
    )
    assert "**Warnings** (not blocking in this rollout step):\n\n- ⚠️ **ai-disclosure**" in text
    strict = as_markdown.body(report(warned, SCAN), fail_on="warning")
    assert strict.splitlines()[1] == "### ai-governance: ❌ changes are still required"
    assert "**Still required** (1):\n\n- [ ] **ai-disclosure** (disclosure, warn)" in strict


def test_an_error_is_never_shown_as_resolved() -> None:
    broken = SCAN._replace(status="error", reason="Bandit crashed")
    text = as_markdown.body(report(broken))
    assert text.splitlines()[1] == "### ai-governance: 🛑 could not be verified"
    assert "- [ ] **bandit** (security-scan, enforce): Bandit crashed" in text


def test_text_from_the_change_cannot_mention_link_or_format() -> None:
    finding = Finding(path=EVIL, line=3, message=EVIL, fix=EVIL)
    text = as_markdown.body(report(DISCLOSURE._replace(reason=EVIL, findings=(finding,))))
    assert "@everyone" not in text
    assert "<img" not in text
    assert " [x](javascript" not in text  # the brackets are escaped: no link
    assert "**bold**" not in text
    assert (
        "@\u200beveryone &lt;img src=x onerror=alert(1)&gt; \\[x\\](javascript:alert(1))"
        " \\*\\*bold\\*\\* \\`code\\`" in text
    )


def test_a_huge_body_is_cut_under_githubs_limit_and_says_so() -> None:
    findings = tuple(Finding(path=f"f{i}.py", line=1, message="x" * 200) for i in range(2000))
    text = as_markdown.body(report(DISCLOSURE._replace(findings=findings)))
    assert len(text) <= 65536
    assert text.startswith(as_markdown.MARKER)
    assert text.endswith(
        "\n> The comment was cut at GitHub's size limit; the job summary has everything.\n"
    )
