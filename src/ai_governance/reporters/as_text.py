"""The terminal report: one line a rule, then what was found and the exact fix."""

from __future__ import annotations

import re

from ai_governance.report import Report, RuleResult

_LABEL = {
    "passed": "PASS",
    "failed": "FAIL",
    "warned": "WARN",
    "skipped": "SKIP",
    "error": "ERROR",
}
_COLOR = {"passed": "32", "failed": "31", "warned": "33", "skipped": "2", "error": "31;1"}
_VERDICT = {"fail": "failed", "error": "could not be verified"}  # else "passed"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x9b]")


def clean(text: str) -> str:
    """Text from a commit or a PR cannot move the cursor or recolour the terminal."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


_NEEDS_QUOTES = re.compile(r'[\x00-\x1f"\\\x7f\udc80-\udcff]')
_C_ESCAPES = {
    7: "\\a",
    8: "\\b",
    9: "\\t",
    10: "\\n",
    11: "\\v",
    12: "\\f",
    13: "\\r",
    34: '\\"',
    92: "\\\\",
}


def path_text(path: str) -> str:
    """A file name as git prints it: in double quotes with C escapes when it holds control
    characters, quotes, backslashes or bytes that are not UTF-8 (those in octal), so that
    a name can never make a line of its own."""
    if not _NEEDS_QUOTES.search(path):
        return path
    out = []
    for char in path:
        raw = char.encode("utf-8", "surrogateescape")
        if len(raw) == 1 and (raw[0] < 0x20 or raw[0] in (0x22, 0x5C, 0x7F) or raw[0] >= 0x80):
            out.append(_C_ESCAPES.get(raw[0], f"\\{raw[0]:03o}"))
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _paint(text: str, code: str, color: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if color else text


def _result(result: RuleResult, color: bool) -> list[str]:
    label = _paint(f"{_LABEL[result.status]:<5}", _COLOR[result.status], color)
    lines = [f"{label} {result.rule} ({result.kind}, {result.mode}): {clean(result.reason)}"]
    for finding in result.findings:
        path = None if finding.path is None else path_text(finding.path)
        where = ":".join(str(p) for p in (path, finding.line) if p is not None)
        where = f"{where}: " if where else ""
        commit = f"[{finding.commit[:12]}] " if finding.commit else ""
        note = "" if finding.blocking else "note: "
        lines.append(f"      {note}{commit}{where}{clean(finding.message)}")
        if finding.fix:
            lines.append(f"      fix: {clean(finding.fix)}")
    return lines


def render(report: Report, *, color: bool) -> str:
    lines = [f"ai-governance: policy {report.policy} ({report.source}), stage {report.stage}"]
    if report.evidence:
        lines.append("AI assistance found:")
        lines += [
            f"      {clean(e.tool or e.marker)}: {clean(e.where)}"
            + (f" [{e.commit[:12]}]" if e.commit else "")
            for e in report.evidence
        ]
    else:
        lines.append("AI assistance: none found")
    for result in report.results:
        lines += _result(result, color)
    lines += [f"NOTE  {clean(notice)}" for notice in report.notices]
    lines.append(f"result: {_VERDICT.get(report.status, 'passed')} (exit {report.exit_code})")
    return "\n".join(lines) + "\n"
