"""Markdown for a forge's conversation: what still blocks the change, then what passed.

It is the body of the pull request comment (and of a merge request note): a reviewer reads
the required actions first, as a checklist naming the commit, file and exact fix. Text from
the change is inert: HTML and Markdown are escaped and every ``@`` is broken with a
zero-width space, so a commit message cannot mention, ping or format anything. The body is
kept under GitHub's 65,536-character limit, and what is cut is said.
"""

from __future__ import annotations

from ai_governance.report import Finding, Report, RuleResult
from ai_governance.reporters.as_github import markdown

MARKER = "<!-- ai-governance: pull request comment -->"
BODY_CAP = 65536 - 512  # GitHub refuses longer comment bodies; room for the cut note
_HEADING = {
    "fail": "❌ changes are still required",
    "error": "🛑 could not be verified",
    "warned": "✅ nothing blocks this change; see the warnings",
    "resolved": "✅ resolved: every rule passes",
}


def inert(text: str) -> str:
    """Text from the change, safe inline: escaped and unable to mention anyone."""
    return markdown(text).replace("@", "@\u200b")


def _where(finding: Finding) -> str:
    parts = []
    if finding.commit:
        parts.append(f"commit `{finding.commit[:12]}`")
    if finding.path is not None:
        place = finding.path + (f":{finding.line}" if finding.line else "")
        parts.append(inert(place))
    elif finding.line and finding.commit:
        parts.append(f"line {finding.line}")
    return f"{', '.join(parts)}: " if parts else ""


def _finding(finding: Finding) -> list[str]:
    note = "" if finding.blocking else "note: "
    lines = [f"  - {note}{_where(finding)}{inert(finding.message)}"]
    if finding.fix:
        lines.append(f"    - **fix:** {inert(finding.fix)}")
    return lines


def _rule(result: RuleResult, box: str) -> list[str]:
    head = (
        f"- {box}**{inert(result.rule)}** ({result.kind}, {result.mode}): {inert(result.reason)}"
    )
    return [head] + [line for f in result.findings for line in _finding(f)]


_CUT = {  # forge -> (what it calls the text, where everything is when it is cut)
    "GitHub": ("comment", "The comment was cut at GitHub's size limit; the job summary"),
    "GitLab": ("note", "The note was cut at 65,536 characters; the job's log"),
}


def body(
    report: Report, *, head: str | None = None, fail_on: str = "error", forge: str = "GitHub"
) -> str:
    """The whole comment (a note on GitLab), starting with the marker that finds it again.
    With ``fail_on`` "warning" a warn-mode rule that fails blocks too, as it fails the job."""
    thing, cut_note = _CUT[forge]
    open_ = [r for r in report.results if r.status in ("failed", "warned", "error")]
    blocking = [r for r in open_ if fail_on == "warning" or r.mode == "enforce"]
    warned = [r for r in open_ if r not in blocking]
    passed = [r for r in report.results if r.status in ("passed", "skipped")]
    status = report.status_at(fail_on)
    if status == "pass":
        status = "warned" if warned else "resolved"
    heading = _HEADING[status]
    lines = [MARKER, f"### ai-governance: {heading}", ""]
    tools = sorted({e.tool or e.marker for e in report.evidence})
    lines.append(
        f"Policy **{inert(report.policy)}** ({inert(report.source)})."
        f" AI assistance: **{inert(', '.join(tools)) if tools else 'none found'}**."
    )
    if blocking:
        lines += ["", f"**Still required** ({len(blocking)}):", ""]
        lines += [line for r in blocking for line in _rule(r, "[ ] ")]
    if warned:
        lines += ["", "**Warnings** (not blocking in this rollout step):", ""]
        lines += [line for r in warned for line in _rule(r, "⚠️ ")]
    if passed:
        lines += ["", "<details><summary>Passed or not applicable</summary>", ""]
        lines += [
            line for r in passed for line in _rule(r, "✅ " if r.status == "passed" else "⏭️ ")
        ]
        lines += ["", "</details>"]
    if report.notices:
        lines += [""] + [f"> ⚠️ {inert(notice)}" for notice in report.notices]
    at = f" at head `{head[:12]}`" if head else ""
    lines += ["", f"<sub>Judged{at}; this {thing} is updated in place on every run.</sub>"]
    text = "\n".join(lines) + "\n"
    if len(text) > BODY_CAP:
        cut = text[:BODY_CAP]
        text = cut[: cut.rfind("\n") + 1] + (f"\n> {cut_note} has everything.\n")
    return text


def render(report: Report, *, color: bool) -> str:
    return body(report)
