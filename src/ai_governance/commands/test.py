"""``ai-governance test [PATH...]``: run policy tests; exit 0 when every case meets its
expectations, 1 when one does not, 2 when a test file (or the policy) is invalid."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from ai_governance.cases import Suite, discover, load_suite
from ai_governance.commands.common import deliver, destinations, root, today
from ai_governance.engine import evaluate
from ai_governance.errors import PolicyError
from ai_governance.policy import load
from ai_governance.records import NamedTuple
from ai_governance.scanners.pool import Pool

if TYPE_CHECKING:
    import argparse

SCHEMA_VERSION = 1


class Mismatch(NamedTuple):
    what: str  # a rule id, "exit" or "ai_assisted"
    expected: str
    got: str
    reason: str = ""


class Outcome(NamedTuple):
    file: str
    where: str  # file:line:col of the case
    name: str
    mismatches: tuple[Mismatch, ...]


def _run_suite(suite: Suite, args: argparse.Namespace, pool: Pool) -> list[Outcome]:
    policy = load.load(suite.policy, root())
    ids = [rule.id for rule in policy.rules]
    unknown = [
        f"{suite.where(('cases', case.number, 'expect', rule), key=True)}: cases[{case.number}]"
        f".expect.{rule}: the policy {policy.source} has no rule {rule!r}; rules: {', '.join(ids)}"
        for case in suite.cases
        for rule in case.expect
        if rule not in ids
    ]
    if unknown:
        raise PolicyError(unknown)
    outcomes = []
    for case in suite.cases:
        report = evaluate(policy, case.change, case.today or today(args), pool)
        results = {r.rule: r for r in report.results}
        found = [
            Mismatch(rule, want, results[rule].status, results[rule].reason)
            for rule, want in case.expect.items()
            if results[rule].status != want
        ]
        if case.exit is not None and case.exit != report.exit_code:
            found.append(Mismatch("exit", str(case.exit), str(report.exit_code)))
        if case.ai_assisted is not None and case.ai_assisted != report.ai_assisted:
            found.append(Mismatch("ai_assisted", str(case.ai_assisted), str(report.ai_assisted)))
        where = suite.where(("cases", case.number))
        outcomes.append(Outcome(suite.path, where, case.name, tuple(found)))
    return outcomes


def text(outcomes: list[Outcome]) -> str:
    lines = []
    for outcome in outcomes:
        if not outcome.mismatches:
            lines.append(f"PASS  {outcome.where}: {outcome.name}")
            continue
        lines.append(f"FAIL  {outcome.where}: {outcome.name}")
        lines += [
            f"      {m.what}: expected {m.expected}, got {m.got}"
            + (f" ({m.reason})" if m.reason else "")
            for m in outcome.mismatches
        ]
    failed = sum(1 for o in outcomes if o.mismatches)
    lines.append(f"policy tests: {len(outcomes) - failed} passed, {failed} failed")
    return "\n".join(lines) + "\n"


def as_json(outcomes: list[Outcome]) -> str:
    document = {
        "schema_version": SCHEMA_VERSION,
        "status": "fail" if any(o.mismatches for o in outcomes) else "pass",
        "cases": [
            {
                "file": o.file,
                "where": o.where,
                "name": o.name,
                "status": "failed" if o.mismatches else "passed",
                "mismatches": [m._asdict() for m in o.mismatches],
            }
            for o in outcomes
        ],
    }
    return json.dumps(document, indent=2, sort_keys=True) + "\n"


def junit(outcomes: list[Outcome]) -> str:
    """JUnit XML, which CI systems show as test results (data escaped by ElementTree)."""
    import xml.etree.ElementTree as ET  # nosec B405: builds XML, never parses it

    suites = ET.Element("testsuites", name="ai-governance policy tests")
    for file in dict.fromkeys(o.file for o in outcomes):
        mine = [o for o in outcomes if o.file == file]
        failures = sum(1 for o in mine if o.mismatches)
        suite = ET.SubElement(
            suites, "testsuite", name=file, tests=str(len(mine)), failures=str(failures)
        )
        for outcome in mine:
            case = ET.SubElement(suite, "testcase", name=outcome.name, classname=file)
            if outcome.mismatches:
                failure = ET.SubElement(
                    case, "failure", message=f"{len(outcome.mismatches)} expectation(s) not met"
                )
                failure.text = "\n".join(
                    f"{m.what}: expected {m.expected}, got {m.got} {m.reason}".rstrip()
                    for m in outcome.mismatches
                )
    return ET.tostring(suites, encoding="unicode") + "\n"


FORMATS = {"text": text, "json": as_json, "junit": junit}


def run(args: argparse.Namespace) -> int:
    destinations(args)
    suites = []
    problems: list[str] = []
    for path in discover(list(args.paths), root()):
        try:
            suites.append(load_suite(path))
        except PolicyError as exc:
            problems.extend(exc.problems)
    if problems:
        raise PolicyError(problems)
    outcomes: list[Outcome] = []
    with Pool() as pool:
        for suite in suites:
            outcomes += _run_suite(suite, args, pool)
    deliver(args, lambda name, tty: FORMATS[name](outcomes))
    return 1 if any(o.mismatches for o in outcomes) else 0
