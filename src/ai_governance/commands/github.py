"""``ai-governance github`` (the Action) and ``check --github-event``: GitHub's events.

It reads the environment a runner sets, judges the pull request (or the merge group) through
``pull_request.judge``, and writes annotations, the job summary, step outputs and, when
asked, SARIF. Which events are judged, and why, is in docs/github-action.md.
"""

from __future__ import annotations

import argparse
import datetime
import os
import secrets
import sys

from ai_governance.commands import pull_request
from ai_governance.commands.common import write
from ai_governance.errors import UsageError
from ai_governance.gather import github
from ai_governance.gather.github_api import Api
from ai_governance.report import Report
from ai_governance.reporters import REPORTERS, as_github, reporter

FAIL_ON = ("error", "warning")


def _env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def write_outputs(report: Report, sarif_file: str | None, fail_on: str) -> None:
    failed = ",".join(r.rule for r in report.results if r.status in ("failed", "error"))
    values = {
        "status": report.status_at(fail_on),
        "ai-assisted": str(report.ai_assisted).lower(),
        "failed-rules": failed,
        "sarif-file": sarif_file or "",
    }
    target = _env("GITHUB_OUTPUT")
    if target:
        with open(target, "a", encoding="utf-8") as out:
            for name, value in values.items():
                delimiter = f"ghadelimiter_{secrets.token_hex(16)}"
                out.write(f"{name}<<{delimiter}\n{value}\n{delimiter}\n")
    summary = _env("GITHUB_STEP_SUMMARY")
    if summary:
        with open(summary, "a", encoding="utf-8") as out:
            out.write(as_github.summary(report))


def workflow_path(ref: str) -> str | None:
    """``.github/workflows/x.yml`` from ``GITHUB_WORKFLOW_REF`` (``owner/repo/PATH@REF``)."""
    path = ref.rpartition("@")[0].split("/", 2)[2:] if "@" in ref else []
    return path[0] if path and path[0].startswith(".github/workflows/") else None


def run(args: argparse.Namespace) -> int:
    """``ai-governance github``: the Action's entry point."""
    name, path = _env("GITHUB_EVENT_NAME"), _env("GITHUB_EVENT_PATH")
    if not name or not path:
        raise UsageError(
            "GITHUB_EVENT_NAME and GITHUB_EVENT_PATH are not set: run this in"
            " GitHub Actions, or use `check --github-event FILE`"
        )
    fail_on = _env("INPUT_FAIL_ON", "error")
    if fail_on not in FAIL_ON:
        raise UsageError(f"fail-on {fail_on!r}: choose {' or '.join(FAIL_ON)}")
    extra = _env("INPUT_FORMAT", "text")
    if extra not in ("", "github", *REPORTERS):
        raise UsageError(f"format {extra!r}: choose from {', '.join(sorted(REPORTERS))}")
    event = github.read_event(path, name)
    token = _env("INPUT_TOKEN") or _env("GITHUB_TOKEN") or None
    api = Api(_env("GITHUB_API_URL", "https://api.github.com"), token)
    cwd = _env("GITHUB_WORKSPACE") or os.getcwd()
    today = args.today or datetime.date.today()
    report = pull_request.judge(
        github.source(event, api),
        cwd,
        _env("INPUT_POLICY") or args.policy,
        today,
        workflow=workflow_path(_env("GITHUB_WORKFLOW_REF")),
    )
    sarif_file = _env("INPUT_SARIF_FILE") or None
    if sarif_file:
        write(os.path.join(cwd, sarif_file), reporter("sarif").render(report, color=False))
    sys.stdout.write(as_github.workflow_commands(report))
    if extra not in ("", "github"):
        sys.stdout.write(as_github.inert(reporter(extra).render(report, color=False)))
    write_outputs(report, sarif_file, fail_on)
    return 0 if report.status_at(fail_on) == "pass" else 1


def check_event(args: argparse.Namespace) -> Report:
    """``check --github-event FILE``: the same judgement, reported like any other check."""
    event = github.read_event(args.github_event, _env("GITHUB_EVENT_NAME"))
    api = Api(_env("GITHUB_API_URL", "https://api.github.com"), _env("GITHUB_TOKEN") or None)
    return pull_request.judge(
        github.source(event, api), os.getcwd(), args.policy, args.today or datetime.date.today()
    )
