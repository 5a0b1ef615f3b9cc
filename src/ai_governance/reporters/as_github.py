"""GitHub Actions output: workflow-command annotations, the job summary, step outputs.

Everything that came from a pull request (titles, bodies, messages, file names) is data:
annotation messages escape ``%``, CR and LF, properties also ``:`` and ``,``, so no text can
end a command early or start one (``::stop-commands::`` would silence every later line).
The summary escapes Markdown and HTML. GitHub shows at most 10 annotations of each level
per step and 1 MiB of summary; what is cut is said, not dropped silently.
"""

from __future__ import annotations

import html
import re

from ai_governance.report import Finding, Report, RuleResult

PER_LEVEL = 10
SUMMARY_CAP = 1024 * 1024 - 4096  # room for the note that says what was cut
_MARKDOWN = re.compile(r"([\\`*_\[\]|~#])")  # with HTML escaped, what can still format
_ICON = {"passed": "✅", "failed": "❌", "warned": "⚠️", "skipped": "⏭️", "error": "🛑"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def inert(text: str) -> str:
    """Free text for a runner's log: between ``stop-commands`` and its random token the
    runner reads no workflow command, in the ``::x::`` syntax or the legacy ``##[x]`` one
    (which it finds anywhere on a line)."""
    import secrets

    token = secrets.token_hex(16)
    end = "" if text.endswith("\n") else "\n"
    return f"::stop-commands::{token}\n{text}{end}::{token}::\n"


def command(name: str, message: str, **properties: str | int | None) -> str:
    props = ",".join(
        f"{key}={escape_property(str(value))}"
        for key, value in properties.items()
        if value is not None
    )
    return f"::{name}{' ' + props if props else ''}::{escape_data(message)}"


def _level(finding: Finding, result: RuleResult) -> str:
    if not finding.blocking:
        return "notice"
    return "warning" if result.status == "warned" else "error"


def workflow_commands(report: Report) -> str:
    """The annotations, grouped per rule, at most PER_LEVEL of each level."""
    lines, shown, hidden = [], {"error": 0, "warning": 0, "notice": 0}, 0
    for result in report.results:
        lines.append(
            command(
                "group",
                f"{result.rule} ({result.kind}, {result.mode}): {result.status}: {result.reason}",
            )
        )
        for finding in result.findings:
            level = _level(finding, result)
            if shown[level] >= PER_LEVEL:
                hidden += 1
                continue
            shown[level] += 1
            text = finding.message + (f"\nfix: {finding.fix}" if finding.fix else "")
            lines.append(
                command(
                    level,
                    text,
                    file=finding.path,
                    line=finding.line,
                    title=f"{result.rule}: {result.status}",
                )
            )
        lines.append("::endgroup::")
    for notice in report.notices:
        lines.append(command("warning", notice, title="ai-governance"))
    if hidden:
        lines.append(
            command(
                "notice",
                f"{hidden} more finding(s) not shown as annotations"
                " (GitHub shows 10 of each level per step); all are in the job"
                " summary",
                title="ai-governance",
            )
        )
    return "\n".join(lines) + "\n"


def markdown(text: str) -> str:
    """Inert in a Markdown table cell: HTML escaped, Markdown marks backslashed, one line."""
    return (
        _MARKDOWN.sub(r"\\\1", html.escape(text, quote=False))
        .replace("\r", "")
        .replace("\n", "<br>")
    )


def summary(report: Report) -> str:
    verdict = {"fail": "❌ failed", "error": "🛑 could not be verified"}.get(
        report.status, "✅ passed"
    )
    lines = [
        f"## ai-governance: {verdict}",
        "",
        f"Policy **{markdown(report.policy)}** ({markdown(report.source)})."
        f" AI assistance: **{'yes' if report.ai_assisted else 'none found'}**.",
        "",
    ]
    if report.evidence:
        lines += ["<details><summary>AI evidence</summary>", ""]
        lines += [
            f"- {markdown(e.tool or e.marker)}: {markdown(e.where)}" for e in report.evidence
        ]
        lines += ["", "</details>", ""]
    lines += ["| rule | kind | mode | result | why |", "|---|---|---|---|---|"]
    lines += [
        f"| {markdown(r.rule)} | {r.kind} | {r.mode} | {_ICON[r.status]} {r.status} |"
        f" {markdown(r.reason)} |"
        for r in report.results
    ]
    for result in report.results:
        if result.findings:
            lines += ["", f"### {markdown(result.rule)}", ""]
            for finding in result.findings:
                where = ":".join(str(p) for p in (finding.path, finding.line) if p is not None)
                lines.append(
                    f"- {markdown(where) + ': ' if where else ''}{markdown(finding.message)}"
                )
                if finding.fix:
                    lines.append(f"  - fix: {markdown(finding.fix)}")
    lines += [f"> ⚠️ {markdown(notice)}" for notice in report.notices]
    text = "\n".join(lines) + "\n"
    if len(text.encode()) > SUMMARY_CAP:
        cut = text.encode()[:SUMMARY_CAP].decode("utf-8", "ignore")
        text = cut[: cut.rfind("\n") + 1] + (
            "\n> The summary was cut at GitHub's 1 MiB limit; the JSON report has everything.\n"
        )
    return text


def render(report: Report, *, color: bool) -> str:
    return workflow_commands(report)
