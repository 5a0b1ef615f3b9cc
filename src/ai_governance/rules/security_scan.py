"""security-scan: Bandit over the changed Python files, as of the change.

The content judged is the staged blob (pre-commit, ``--staged``) or the head commit's blob
(``--range``, pull requests). Nothing passes unscanned: a file Bandit cannot parse, one over
the size cap, or a scanner crash is an error finding naming the file. ``new_only`` keeps the
findings on lines the change adds; a ``# nosec`` the change adds is reported for review.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, NamedTuple

from ai_governance.change import ChangedFile
from ai_governance.policy.model import Rule
from ai_governance.report import Finding, Outcome
from ai_governance.rules.context import Context, Needs, Problems, Regex
from ai_governance.scanners import select

LEVELS = ("low", "medium", "high")
MAX_FILE_BYTES = 1024 * 1024
TIMEOUT_SECONDS = 300.0
_NOSEC = re.compile(rb"#.*\bnosec\b", re.I)


class Options(NamedTuple):
    severity: str
    confidence: str
    ai_severity: str
    ai_confidence: str
    tests: tuple[str, ...]
    skips: tuple[str, ...]
    new_only: bool
    on_error: str
    max_file_bytes: int
    timeout_seconds: float


def parse(raw: Mapping[str, Any], regex: Regex) -> Options:
    severity, confidence = raw.get("severity", "medium"), raw.get("confidence", "medium")
    ai = raw.get("ai_assisted", {})
    return Options(
        severity=severity,
        confidence=confidence,
        ai_severity=ai.get("severity", severity),
        ai_confidence=ai.get("confidence", confidence),
        tests=tuple(raw.get("tests", ())),
        skips=tuple(raw.get("skips", ())),
        new_only=raw.get("new_only", False),
        on_error=raw.get("on_error", "fail"),
        max_file_bytes=raw.get("max_file_bytes", MAX_FILE_BYTES),
        timeout_seconds=float(raw.get("timeout_seconds", TIMEOUT_SECONDS)),
    )


def problems(raw: Mapping[str, Any]) -> Problems:
    """Every test id in ``tests`` and ``skips`` must be one the installed Bandit has: an
    unknown id in ``tests`` would silently run no test at all. (Bandit is imported only
    when the rule names ids.)"""
    if not raw.get("tests") and not raw.get("skips"):
        return []
    from ai_governance.scanners import bandit

    known = bandit.test_ids()
    return [
        (
            (key, index),
            f"unknown Bandit test id {test!r}; the installed Bandit has"
            f" {min(known)}..{max(known)} (see `bandit --help`)",
        )
        for key in ("tests", "skips")
        for index, test in enumerate(raw.get(key, ()))
        if test not in known
    ]


def needs(rule: Rule) -> Needs:
    return Needs(content_bytes=rule.options.max_file_bytes)


def skip(rule: Rule, stage: str) -> str | None:
    if stage == "commit-msg":
        return "the scan runs in the pre-commit stage, on the staged files"
    return None


def _is_added(file: ChangedFile, line: int) -> bool:
    return any(first <= line < first + count for first, count in file.added)


def _select(ctx: Context, options: Options) -> tuple[list[ChangedFile], list[Finding]]:
    """(files to scan, findings for files that cannot be)."""
    chosen, notes = [], []
    for file in ctx.files:
        why = select.not_scanned(file)
        if why == "deleted" or not select.maybe_python(file.path):
            continue
        if why is None and file.content is None and file.size is not None:
            notes.append(
                Finding(
                    file.path,
                    message=f"not scanned: {file.size} bytes, over the cap of"
                    f" {options.max_file_bytes}",
                    fix="raise `max_file_bytes` or split the file",
                    code="scan-error",
                    blocking=options.on_error == "fail",
                )
            )
        elif why is not None:
            notes.append(
                Finding(
                    file.path, message=f"not scanned: {why}", code="not-scanned", blocking=False
                )
            )
        elif file.content is None:
            notes.append(
                Finding(
                    file.path,
                    message="not scanned: its content was not gathered",
                    code="scan-error",
                    blocking=True,
                )
            )
        elif select.is_python(file.path, file.content):
            chosen.append(file)
        elif b"\0" in file.content[:8000]:
            notes.append(
                Finding(
                    file.path,
                    message="not scanned: a binary file",
                    code="not-scanned",
                    blocking=False,
                )
            )
    return chosen, notes  # ctx.files is already the rule's scope, exclude_paths applied


def _nosec_added(file: ChangedFile) -> list[Finding]:
    lines = (file.content or b"").split(b"\n")
    added = (
        n for first, count in file.added for n in range(first, min(first + count, len(lines) + 1))
    )
    return [
        Finding(
            file.path,
            number,
            message="`# nosec` added: it hides Bandit findings on this line",
            fix="keep it only with a reason a reviewer accepts",
            code="nosec",
            blocking=False,
        )
        for number in added
        if _NOSEC.search(lines[number - 1])
    ]


def check(rule: Rule, ctx: Context) -> Outcome:
    options: Options = rule.options
    files, findings = _select(ctx, options)
    severity = options.ai_severity if ctx.ai_assisted else options.severity
    confidence = options.ai_confidence if ctx.ai_assisted else options.confidence
    if files:
        from ai_governance.scanners import bandit

        try:
            result = bandit.scan(
                [(f.path, f.content or b"") for f in files],
                options.tests,
                options.skips,
                options.timeout_seconds,
            )
        except bandit.ScanFailed as exc:
            return Outcome("error", f"Bandit crashed: {exc}; no file was verified")
        except Exception as exc:  # the scanner itself failed: nothing was verified
            return Outcome("error", f"Bandit crashed: {exc!r}; no file was verified")
        by_path = {f.path: f for f in files}
        for hit in result.hits:
            if LEVELS.index(hit.severity.lower()) < LEVELS.index(severity):
                continue
            if LEVELS.index(hit.confidence.lower()) < LEVELS.index(confidence):
                continue
            if options.new_only and not _is_added(by_path[hit.path], hit.line):
                continue
            findings.append(
                Finding(
                    hit.path,
                    hit.line,
                    message=f"{hit.test_id} {hit.test_name}: {hit.text}"
                    f" (severity {hit.severity.lower()}, confidence {hit.confidence.lower()})",
                    fix=f"fix the code ({hit.more_info}); if it is safe, end the line with"
                    f" `# nosec {hit.test_id}` and say why",
                    code=hit.test_id,
                    severity=hit.severity.lower(),
                )
            )
        unscanned = [
            (
                path,
                f"Bandit could not parse it ({why})",
                "make it valid Python the running interpreter can parse",
            )
            for path, why in result.errors
        ] + [
            (
                path,
                f"Bandit did not finish within {options.timeout_seconds:g} s",
                "raise `timeout_seconds`, or leave generated files out with `exclude_paths`",
            )
            for path in result.timed_out
        ]
        findings.extend(
            Finding(
                path,
                message=f"not scanned: {why}",
                fix=fix,
                code="scan-error",
                blocking=options.on_error == "fail",
            )
            for path, why, fix in unscanned
        )
        for file in files:
            findings.extend(_nosec_added(file))
    threshold = f"severity >= {severity}, confidence >= {confidence}" + (
        " (stricter: AI-assisted)"
        if ctx.ai_assisted and (severity, confidence) != (options.severity, options.confidence)
        else ""
    )
    scanned = f"{len(files)} Python file(s) scanned at {threshold}"
    blocking = [f for f in findings if f.blocking]
    if any(f.code == "scan-error" for f in blocking):
        return Outcome("error", f"{scanned}; some could not be scanned", tuple(findings))
    if blocking:
        return Outcome(
            "failed",
            f"{scanned}: {len(blocking)} finding(s)"
            + (" on added lines" if options.new_only else ""),
            tuple(findings),
        )
    return Outcome(
        "passed",
        f"{scanned}: no finding" + (" on added lines" if options.new_only else ""),
        tuple(findings),
    )
