"""GitLab's Code Quality report (``artifacts:reports:codequality``): one JSON array of
findings, as the merge request widget reads them.

GitLab validates each finding against its ``codeclimate.json`` schema and silently drops
one that is invalid, and it folds findings with the same ``fingerprint`` into one; so every
finding here has a description, a check name, a severity GitLab knows (``info``,
``minor``, ``major``, ``critical``, ``blocker``), a location with an integer line, and a
fingerprint of its rule, file, commit and message (not its line, so a finding keeps its
identity when code above it moves), with a count for repeats. A rule that could not
verify is ``critical``: nothing that failed closed may look minor. Text from commits and
files is written as text: control characters are dropped, nothing else is read as markup.
"""

from __future__ import annotations

import json

from ai_governance.report import Finding, Report, RuleResult

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_SEVERITY = {"high": "critical", "medium": "major", "low": "minor"}
_CONTROL = dict.fromkeys([*range(0x20), 0x7F], " ")  # newlines included: one line a finding


def severity(finding: Finding, result: RuleResult) -> str:
    if result.status == "error" or finding.code == "scan-error":
        return "critical"  # could not verify: as serious as it gets without blocking merges
    found = _SEVERITY.get(finding.severity or "", "major" if finding.blocking else "info")
    return "minor" if result.status == "warned" and found != "info" else found


def plain(text: str) -> str:
    return text.translate(_CONTROL).strip()


def check_name(result: RuleResult, finding: Finding) -> str:
    return f"ai-governance/{result.rule}" + (f"/{finding.code}" if finding.code else "")


def fingerprint(check: str, path: str, finding: Finding, seen: dict[str, int]) -> str:
    """A finding's identity: its check, file, commit and message, and how many such came
    before it in ``seen`` (not its line: it keeps its identity when code above it moves)."""
    import hashlib  # only when a GitLab report is written

    key = "\0".join([check, path, finding.commit or "", finding.message])
    seen[key] = seen.get(key, 0) + 1
    digest = hashlib.sha256(f"{key}\0{seen[key]}".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()[:32]


def _entry(
    report: Report, result: RuleResult, finding: Finding, seen: dict[str, int]
) -> dict[str, Any]:
    check = check_name(result, finding)
    path = finding.path or report.source  # a commit's finding is the policy's to explain
    where = f"commit {finding.commit[:12]}: " if finding.commit else ""
    fix = f" Fix: {finding.fix}" if finding.fix else ""
    return {
        "description": plain(f"{result.rule}: {where}{finding.message}{fix}"),
        "check_name": check,
        "fingerprint": fingerprint(check, path, finding, seen),
        "severity": severity(finding, result),
        "location": {"path": path, "lines": {"begin": finding.line or 1}},
    }


def findings(report: Report) -> list[dict[str, Any]]:
    """Every finding of every rule that failed, warned or could not verify (a rule without
    findings gives one of its own, so that its verdict shows)."""
    seen: dict[str, int] = {}
    found = []
    for result in report.results:
        if result.status not in ("failed", "warned", "error"):
            continue
        listed = result.findings or (Finding(message=result.reason),)
        found += [_entry(report, result, finding, seen) for finding in listed]
    return found


def render(report: Report, *, color: bool) -> str:
    return json.dumps(findings(report), indent=2, ensure_ascii=False) + "\n"
