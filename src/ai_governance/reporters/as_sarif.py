"""SARIF 2.1.0 for code scanning: one run, rules listed once, findings on files.

Levels come from severity (high: error, medium: warning, low: note); findings without a
severity are errors when they block and notes when they do not. Files that could not be
scanned are tool execution notifications and make the run unsuccessful. Fingerprints hash
the rule, the file and the message (not the line), so a finding keeps its identity when
code above it moves.
"""

from __future__ import annotations

import json
from typing import Any

from ai_governance import __version__
from ai_governance.report import Finding, Report, RuleResult

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"high": "error", "medium": "warning", "low": "note"}


def level(finding: Finding, result: RuleResult) -> str:
    found = _LEVEL.get(finding.severity or "", "error" if finding.blocking else "note")
    return "warning" if found == "error" and result.status == "warned" else found


def uri(path: str) -> str:
    """A relative POSIX URI; bytes that are not UTF-8 stay as they were in git."""
    from urllib.parse import quote  # not at import: the commit-msg hook never writes SARIF

    return quote(path.encode("utf-8", "surrogateescape"), safe="/")


def _location(finding: Finding) -> dict[str, Any]:
    physical: dict[str, Any] = {
        "artifactLocation": {"uri": uri(finding.path or ""), "uriBaseId": "%SRCROOT%"}
    }
    if finding.line:
        physical["region"] = {"startLine": finding.line}
    return {"physicalLocation": physical}


def _rule(rule_id: str, result: RuleResult, finding: Finding) -> dict[str, Any]:
    text = finding.message.split(": ", 1)[0] if finding.code else result.reason
    return {
        "id": rule_id,
        "name": rule_id.replace("/", "-"),
        "shortDescription": {"text": f"{result.rule} ({result.kind}): {text}"},
        "help": {"text": finding.fix or result.reason},
        "properties": {"tags": ["ai-governance", result.kind]},
    }


def document(report: Report) -> dict[str, Any]:
    import hashlib

    rules: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    results: list[dict[str, Any]] = []
    notifications: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for result in report.results:
        for finding in result.findings:
            if finding.code == "scan-error":
                notifications.append(
                    {
                        "level": "error",
                        "message": {"text": finding.message},
                        "locations": [_location(finding)],
                    }
                )
                continue
            if not finding.path:
                continue  # commit-level findings are in the text, JSON and job summary
            rule_id = f"{result.rule}/{finding.code}" if finding.code else result.rule
            if rule_id not in index:
                index[rule_id] = len(rules)
                rules.append(_rule(rule_id, result, finding))
            key = f"{rule_id}\0{finding.path}\0{finding.message}"
            seen[key] = seen.get(key, 0) + 1
            digest = hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:32]
            results.append(
                {
                    "ruleId": rule_id,
                    "ruleIndex": index[rule_id],
                    "level": level(finding, result),
                    "message": {
                        "text": finding.message + (f" Fix: {finding.fix}" if finding.fix else "")
                    },
                    "locations": [_location(finding)],
                    "partialFingerprints": {"aiGovernanceFinding/v1": f"{digest}:{seen[key]}"},
                }
            )
    failed = bool(notifications) or any(r.status == "error" for r in report.results)
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "ai-governance",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": rules,
                    }
                },
                "invocations": [
                    {
                        "executionSuccessful": not failed,
                        "toolExecutionNotifications": notifications,
                    }
                ],
                "results": results,
            }
        ],
    }


def render(report: Report, *, color: bool) -> str:
    return json.dumps(document(report), indent=2, ensure_ascii=False, sort_keys=False) + "\n"
