"""security-scan: until the scanner lands it is skipped and says so, never passed."""

from __future__ import annotations

import datetime

from conftest import make_policy

from ai_governance.change import Change, ChangedFile
from ai_governance.engine import evaluate

POLICY = "version: 1\nname: t\nrules:\n  - {id: bandit, kind: security-scan, scanner: bandit}\n"
DAY = datetime.date(2027, 1, 1)


def test_not_passed_while_not_implemented() -> None:
    change = Change("pre-commit", files=(ChangedFile("app.py", "added"),))
    result = evaluate(make_policy(POLICY), change, DAY).results[0]
    assert (result.status, result.reason) == ("skipped", "not implemented")


def test_commit_msg_stage_leaves_the_scan_to_pre_commit() -> None:
    result = evaluate(make_policy(POLICY), Change("commit-msg"), DAY).results[0]
    assert (result.status, result.reason) == (
        "skipped",
        "the scan runs in the pre-commit stage, on the staged files",
    )
