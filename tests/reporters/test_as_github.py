"""The github reporter: escaping, caps, the summary's limits."""

from __future__ import annotations

from ai_governance.report import Evidence, Finding, Report, RuleResult
from ai_governance.reporters import as_github


def report(findings: list[Finding], status: str = "failed") -> Report:
    result = RuleResult("bandit", "security-scan", "enforce", status, "why", tuple(findings))
    return Report(
        "p", "p.yml", "pull-request", True, (Evidence("m", "Tool", "line 1: <b>x</b>"),), (result,)
    )


def test_escaping_of_data_and_properties() -> None:
    assert as_github.escape_data("50% done\r\n::error::x") == "50%25 done%0D%0A::error::x"
    assert as_github.escape_property("a,b:c%\n") == "a%2Cb%3Ac%25%0A"
    assert as_github.command("error", "m\nx", file="a,b.py", line=3, title=None) == (
        "::error file=a%2Cb.py,line=3::m%0Ax"
    )


def test_no_line_can_start_a_command_of_its_own() -> None:
    evil = "x\n::stop-commands::t\r\n::error::forged"
    text = as_github.workflow_commands(report([Finding(evil, 1, None, evil, evil)]))
    assert [line.split("::")[1].split(" ")[0] for line in text.splitlines()] == [
        "group",
        "error",
        "endgroup",
    ]


def test_annotations_are_capped_per_level_and_the_rest_is_counted() -> None:
    findings = [Finding(f"f{i}.py", i, None, "bad") for i in range(1, 14)]
    findings += [Finding("n.py", 1, None, "note", blocking=False)]
    lines = as_github.workflow_commands(report(findings)).splitlines()
    assert sum(line.startswith("::error ") for line in lines) == 10
    assert sum(line.startswith("::notice file=") for line in lines) == 1
    assert lines[-1] == (
        "::notice title=ai-governance::3 more finding(s) not shown as annotations (GitHub shows"
        " 10 of each level per step); all are in the job summary"
    )


def test_warned_rules_annotate_as_warnings() -> None:
    text = as_github.workflow_commands(report([Finding("a.py", 1, None, "m")], status="warned"))
    assert "::warning file=a.py,line=1,title=bandit%3A warned::m" in text


def test_summary_escapes_and_stays_under_the_limit() -> None:
    big = [
        Finding(f"f{i}.py", i, None, "<img src=x onerror=alert(1)> | `code` " * 40)
        for i in range(1, 2000)
    ]
    text = as_github.summary(report(big))
    assert len(text.encode()) < 1024 * 1024
    assert text.endswith(
        "\n> The summary was cut at GitHub's 1 MiB limit; the JSON report has everything.\n"
    )
    assert "<img" not in text
    assert "&lt;img src=x onerror=alert(1)&gt; \\| \\`code\\`" in text
    assert "- Tool: line 1: &lt;b&gt;x&lt;/b&gt;" in text
