"""security-scan: Bandit over the changed Python files, as of the change.

The content judged is the staged blob (pre-commit, ``--staged``) or the head commit's blob
(``--range``, pull requests). Nothing passes unscanned: a file Bandit cannot parse, one over
the size cap, or a scanner crash is an error finding naming the file. ``new_only`` keeps the
findings the change introduces (at the head and not at the base, however lines moved; see
docs/rules.md); a ``# nosec`` the change adds is reported for review.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping

from ai_governance.change import ChangedFile
from ai_governance.detect.trailers import Message
from ai_governance.policy.model import Rule
from ai_governance.records import NamedTuple
from ai_governance.report import Finding, Outcome
from ai_governance.rules.context import (
    Context,
    Needs,
    Problems,
    Regex,
    no_advice,
    no_prepare,
    options_of,
    validated_regex,
)

TYPE_CHECKING = False  # typing itself costs a hook start-up 2.4 ms

if TYPE_CHECKING:  # Bandit's wrapper is imported only when a file is scanned
    from typing import Any

    from ai_governance.scanners import bandit as bandit_types

LEVELS = ("low", "medium", "high")
MAX_FILE_BYTES = 1024 * 1024
TIMEOUT_SECONDS = 300.0
_NOSEC = rb"#.*\bnosec\b"  # re.I; compiled when a scan looks for it

SCANS_CODE = True  # rules.context.RuleKind


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


def _options(rule: Rule) -> Options:
    return options_of(rule, Options)


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


advice = no_advice
prepare = no_prepare


def weakened(base: Mapping[str, Any], merged: Mapping[str, Any]) -> Problems:
    old, new = parse(base, validated_regex), parse(merged, validated_regex)
    found: Problems = []
    for key in ("severity", "confidence", "ai_severity", "ai_confidence"):
        was, now = getattr(old, key), getattr(new, key)
        if LEVELS.index(now) > LEVELS.index(was):
            where = ("ai_assisted", key.removeprefix("ai_")) if key.startswith("ai_") else (key,)
            found.append(
                (where, f"raises the {key.replace('_', ' ')} threshold from {was} to {now}")
            )
    if new.new_only and not old.new_only:
        found.append((("new_only",), "reports only new findings where all were reported"))
    if old.on_error == "fail" and new.on_error != "fail":
        found.append((("on_error",), "lets unscannable files pass"))
    if (old.tests and not set(old.tests) <= set(new.tests)) or (new.tests and not old.tests):
        found.append((("tests",), "runs fewer Bandit tests"))
    if not set(new.skips) <= set(old.skips):
        found.append((("skips",), "skips more Bandit tests"))
    if not set(merged.get("exclude_paths", ())) <= set(base.get("exclude_paths", ())):
        found.append((("exclude_paths",), "leaves more paths out"))
    for key in ("max_file_bytes", "timeout_seconds", "scanner"):
        if base.get(key) != merged.get(key):
            found.append(((key,), f"changes {key}"))
    return found


def needs(rule: Rule) -> Needs:
    return Needs(content_bytes=_options(rule).max_file_bytes)


def in_history(rule: Rule) -> bool:
    return False  # the report does not scan the files of every commit


def discloses(rule: Rule, message: Message) -> bool | None:
    return None


def trailer_keys(rule: Rule) -> frozenset[str]:
    return frozenset()


def stricter_for_ai(options: Options) -> bool:
    return (options.ai_severity, options.ai_confidence) != (options.severity, options.confidence)


def skip(rule: Rule, stage: str) -> str | None:
    """The scan runs in the pre-commit stage, which cannot know whether the commit is
    AI-assisted; so a rule with stricter ``ai_assisted`` thresholds also runs at commit-msg,
    where the message says it (``check`` then scans only an AI-assisted commit)."""
    if stage == "commit-msg" and not stricter_for_ai(_options(rule)):
        return "the scan runs in the pre-commit stage, on the staged files"
    return None


def _note(file: ChangedFile, why: str, *, blocking: bool, fix: str | None = None) -> Finding:
    return Finding(
        file.path,
        message=f"not scanned: {why}",
        fix=fix,
        code="scan-error" if blocking else "not-scanned",
        blocking=blocking,
    )


def _select(ctx: Context, options: Options) -> tuple[list[ChangedFile], list[Finding]]:
    """(files to scan, findings for files that cannot be). ``ctx.files`` is already the
    rule's scope, ``exclude_paths`` applied."""
    from ai_governance.scanners import select  # only when there are files to judge

    chosen, notes = [], []
    for file in ctx.files:
        why = select.not_scanned(file)
        if why == "deleted":
            continue
        if why is not None:
            notes.append(_note(file, why, blocking=False))
            continue
        if file.mode == select.SYMLINK:
            verdict = select.link_verdict(file)
            if verdict is not None:
                notes.append(_note(file, verdict[0], blocking=verdict[1]))
            continue
        if file.content is None and file.size is None:
            notes.append(_note(file, "its content was not gathered", blocking=True))
        elif not select.is_python(file.path, file.head if file.content is None else file.content):
            unscannable = select.not_python_because(file.path)
            if unscannable:
                notes.append(_note(file, unscannable, blocking=False))
        elif file.content is None:
            notes.append(
                _note(
                    file,
                    f"{file.size} bytes, over the cap of {options.max_file_bytes}",
                    blocking=options.on_error == "fail",
                    fix="raise `max_file_bytes` or split the file",
                )
            )
        else:
            chosen.append(file)
    return chosen, notes


def _key(hit: bandit_types.Hit, lines: list[bytes]) -> tuple[str, str, str, bytes]:
    """What a finding is, wherever it moved: its test, levels and the code on its line."""
    text = lines[hit.line - 1].strip() if 0 < hit.line <= len(lines) else b""
    return hit.test_id, hit.severity, hit.confidence, text


def introduced(
    hits: list[bandit_types.Hit], files: dict[str, ChangedFile], before: bandit_types.Scan
) -> list[bandit_types.Hit]:
    """The findings at the head that are not at the base, however lines moved: each base
    finding cancels one head finding with the same test, levels and line of code. A file
    with no base (new, or not Python before) keeps all its findings."""
    old: dict[str, Counter[tuple[str, str, str, bytes]]] = {}
    for hit in before.hits:
        lines = (files[hit.path].base or b"").split(b"\n")
        old.setdefault(hit.path, Counter())[_key(hit, lines)] += 1
    kept = []
    for hit in hits:
        key = _key(hit, (files[hit.path].content or b"").split(b"\n"))
        if old.get(hit.path, Counter())[key] > 0:
            old[hit.path][key] -= 1
        else:
            kept.append(hit)
    return kept


def _nosec_lines(content: bytes) -> list[tuple[int, bytes]]:
    """Each line holding a ``# nosec`` comment: its number and its text, stripped. One
    search of the whole file (``.`` never crosses a line, so each match is one line's);
    lines are counted only up to the matches."""
    found = []
    number, counted = 1, 0
    for match in re.finditer(_NOSEC, content, re.I):
        start = content.rfind(b"\n", 0, match.start()) + 1
        number += content.count(b"\n", counted, start)
        counted = start
        end = content.find(b"\n", match.end())
        found.append((number, content[start : len(content) if end < 0 else end].strip()))
    return found


def _nosec_added(file: ChangedFile) -> list[Finding]:
    """``# nosec`` lines at the head beyond those at the base (counted by their text)."""
    before = Counter(text for _, text in _nosec_lines(file.base or b""))
    found = []
    for number, text in _nosec_lines(file.content or b""):
        if before[text] > 0:
            before[text] -= 1
            continue
        found.append(
            Finding(
                file.path,
                number,
                message="`# nosec` added: it hides Bandit findings on this line",
                fix="keep it only with a reason a reviewer accepts",
                code="nosec",
                blocking=False,
            )
        )
    return found


def _finding(hit: bandit_types.Hit) -> Finding:
    return Finding(
        hit.path,
        hit.line,
        message=f"{hit.test_id} {hit.test_name}: {hit.text}"
        f" (severity {hit.severity.lower()}, confidence {hit.confidence.lower()})",
        fix=f"fix the code ({hit.more_info}); if it is safe, end the line with"
        f" `# nosec {hit.test_id}` and say why",
        code=hit.test_id,
        severity=hit.severity.lower(),
    )


def _unscanned(result: bandit_types.Scan, options: Options) -> list[Finding]:
    unscanned = [
        (
            path,
            f"Bandit could not check it ({why})",
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
    return [
        Finding(
            path,
            message=f"not scanned: {why}",
            fix=fix,
            code="scan-error",
            blocking=options.on_error == "fail",
        )
        for path, why, fix in unscanned
    ]


def check(rule: Rule, ctx: Context) -> Outcome:
    options = _options(rule)
    if ctx.change.stage == "commit-msg" and not ctx.ai_assisted:
        return Outcome(
            "skipped",
            "no AI assistance in this commit: the pre-commit stage scanned it at the usual"
            " thresholds",
        )
    files, findings = _select(ctx, options)
    severity = options.ai_severity if ctx.ai_assisted else options.severity
    confidence = options.ai_confidence if ctx.ai_assisted else options.confidence
    if files:
        from ai_governance.scanners import cache
        from ai_governance.scanners.bandit import ScanFailed
        from ai_governance.scanners.pool import Pool

        store = cache.Store(cache.key(options.tests, options.skips, (severity, confidence)))
        with Pool() as own:
            scanner = ctx.scanner or own

            def scan(pairs: list[tuple[str, bytes]]) -> bandit_types.Scan:
                return cache.scan_with(
                    store,
                    pairs,
                    lambda missing: scanner.scan(
                        missing, options.tests, options.skips, options.timeout_seconds
                    ),
                )

            try:
                result = scan([(f.path, f.content or b"") for f in files])
                by_path = {f.path: f for f in files}
                hits = [
                    hit
                    for hit in result.hits
                    if LEVELS.index(hit.severity.lower()) >= LEVELS.index(severity)
                    and LEVELS.index(hit.confidence.lower()) >= LEVELS.index(confidence)
                ]
                if options.new_only:
                    # the base is scanned only where the head has findings: usually nowhere
                    olds = sorted({h.path for h in hits if by_path[h.path].base is not None})
                    before = scan([(p, by_path[p].base or b"") for p in olds])
                    hits = introduced(hits, by_path, before)
            except ScanFailed as exc:
                return Outcome("error", f"Bandit crashed: {exc}; no file was verified")
            except Exception as exc:  # the scanner itself failed: nothing was verified
                return Outcome("error", f"Bandit crashed: {exc!r}; no file was verified")
        findings += [_finding(hit) for hit in hits] + _unscanned(result, options)
        for file in files:
            findings.extend(_nosec_added(file))
    threshold = f"severity >= {severity}, confidence >= {confidence}" + (
        " (stricter: AI-assisted)" if ctx.ai_assisted and stricter_for_ai(options) else ""
    )
    scanned = f"{len(files)} Python file(s) scanned at {threshold}"
    blocking = [f for f in findings if f.blocking]
    new = " introduced by the change" if options.new_only else ""
    if any(f.code == "scan-error" for f in blocking):
        return Outcome("error", f"{scanned}; some could not be scanned", tuple(findings))
    if blocking:
        return Outcome("failed", f"{scanned}: {len(blocking)} finding(s){new}", tuple(findings))
    return Outcome("passed", f"{scanned}: no finding{new}", tuple(findings))
