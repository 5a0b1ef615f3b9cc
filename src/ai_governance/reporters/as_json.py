"""The JSON report: a contract (``schema_version`` 1), keys in a fixed order."""

from __future__ import annotations

import json
from typing import Any

from ai_governance.report import Evidence, Finding, Report

SCHEMA_VERSION = 1


def _finding(finding: Finding) -> dict[str, Any]:
    out: dict[str, Any] = {"message": finding.message}
    for key in ("path", "line", "commit", "fix", "code", "severity"):
        value = getattr(finding, key)
        if value is not None:
            out[key] = value
    if not finding.blocking:
        out["blocking"] = False
    return out


def _evidence(evidence: Evidence) -> dict[str, Any]:
    out: dict[str, Any] = {
        "marker": evidence.marker,
        "tool": evidence.tool,
        "where": evidence.where,
    }
    if evidence.commit is not None:
        out["commit"] = evidence.commit
    return out


def document(report: Report) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "status": report.status,
        "policy": report.policy,
        "source": report.source,
        "stage": report.stage,
        "ai_assisted": report.ai_assisted,
        "evidence": [_evidence(e) for e in report.evidence],
        "results": [
            {
                "rule": r.rule,
                "kind": r.kind,
                "mode": r.mode,
                "status": r.status,
                "reason": r.reason,
                "findings": [_finding(f) for f in r.findings],
            }
            for r in report.results
        ],
        "notices": list(report.notices),
    }


def render(report: Report, *, color: bool) -> str:
    return json.dumps(document(report), indent=2, ensure_ascii=False) + "\n"
