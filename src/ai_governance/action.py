"""The pull-request front end: ``ai-governance github`` (the Action) and ``check --github-event``.

It reads the environment a runner sets, judges the PR by the policy of its *base* commit
(a PR cannot loosen the rules it is judged by), and writes annotations, the job summary,
step outputs and, when asked, SARIF.
"""

from __future__ import annotations

import argparse
import datetime
import os
import secrets
import sys

from ai_governance.engine import evaluate
from ai_governance.errors import GitError, UsageError
from ai_governance.gather import git, github
from ai_governance.gather.github_api import Api
from ai_governance.policy import load
from ai_governance.policy.model import Policy
from ai_governance.report import Report
from ai_governance.reporters import REPORTERS, as_github


def _env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def base_policy(requested: str | None, base: str, cwd: str) -> tuple[Policy, list[str]]:
    """The policy as it is in the base commit, never as the PR edits it."""
    path = (requested or load.FILENAME).removeprefix("./")
    try:
        raw = git.run(["show", f"{base}:{path}"], cwd)
    except GitError:
        if requested:
            raise UsageError(
                f"the policy {path} does not exist in the base commit {base[:12]};"
                " a pull request is judged by the base commit's policy"
            ) from None
        return load.from_bytes(load.EMBEDDED, load.data_file("default.yml")), []
    return load.from_bytes(f"{path}@{base[:12]}", raw), []


def policy_paths(policy_path: str | None) -> set[str]:
    return {load.FILENAME, (policy_path or load.FILENAME).removeprefix("./")}


def judge(
    event: github.Event, api: Api, cwd: str, policy_path: str | None, today: datetime.date
) -> Report:
    from ai_governance.commands import scan_cap

    base = str(((event.pr.get("base") or {}).get("sha")) or "")
    if not base:
        pr, _ = api.get(f"repos/{event.repository}/pulls/{event.pr.get('number')}")
        base = pr["base"]["sha"]
    github.ensure_history(base, base, 0, cwd)
    policy, notices = base_policy(policy_path, base, cwd)
    slugs = sorted(
        {
            member
            for rule in policy.rules
            if rule.kind == "review"
            for team in getattr(rule.options, "from_teams", ())
            for member in policy.teams.get(team, ())
            if member.startswith("@")
        }
    )
    change, more = github.gather(
        event, api, cwd, max_bytes=scan_cap(policy, "pull-request"), teams=slugs
    )
    edited = sorted(policy_paths(policy_path) & {f.path for f in change.files})
    notices += more + [
        f"this pull request changes the policy file {path}; it was judged by the policy of the"
        f" base commit, and the change needs the policy owners' review"
        for path in edited
    ]
    report = evaluate(policy, change, today)
    return report._replace(notices=report.notices + tuple(notices))


def write_outputs(report: Report, sarif_file: str | None) -> None:
    failed = ",".join(r.rule for r in report.results if r.status in ("failed", "error"))
    values = {
        "status": report.status,
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


def run(args: argparse.Namespace) -> int:
    """``ai-governance github``: the Action's entry point."""
    name, path = _env("GITHUB_EVENT_NAME"), _env("GITHUB_EVENT_PATH")
    if not name or not path:
        raise UsageError(
            "GITHUB_EVENT_NAME and GITHUB_EVENT_PATH are not set: run this in"
            " GitHub Actions, or use `check --github-event FILE`"
        )
    event = github.read_event(path, name)
    if not event.checked:
        print(
            f"ai-governance: nothing to check for {name}.{event.action or '?'}"
            " (it judges pull_request and pull_request_review events); exit 0"
        )
        return 0
    token = _env("INPUT_TOKEN") or _env("GITHUB_TOKEN") or None
    api = Api(_env("GITHUB_API_URL", "https://api.github.com"), token)
    cwd = _env("GITHUB_WORKSPACE") or os.getcwd()
    today = args.today or datetime.date.today()
    report = judge(event, api, cwd, _env("INPUT_POLICY") or args.policy, today)
    sarif_file = _env("INPUT_SARIF_FILE") or None
    if sarif_file:
        with open(os.path.join(cwd, sarif_file), "w", encoding="utf-8") as out:
            out.write(REPORTERS["sarif"].render(report, color=False))
    sys.stdout.write(as_github.workflow_commands(report))
    extra = _env("INPUT_FORMAT", "text")
    if extra not in ("", "github"):
        if extra not in REPORTERS:
            raise UsageError(f"format {extra!r}: choose from {', '.join(sorted(REPORTERS))}")
        sys.stdout.write(REPORTERS[extra].render(report, color=False))
    write_outputs(report, sarif_file)
    fail_on = _env("INPUT_FAIL_ON", "error")
    if fail_on not in ("error", "warning"):
        raise UsageError(f"fail-on {fail_on!r}: choose error or warning")
    warned = fail_on == "warning" and any(r.status == "warned" for r in report.results)
    return 1 if warned else report.exit_code


def check_event(args: argparse.Namespace) -> Report | None:
    """``check --github-event FILE``: the same judgement, reported like any other check."""
    event = github.read_event(args.github_event, _env("GITHUB_EVENT_NAME"))
    if not event.checked:
        return None
    api = Api(_env("GITHUB_API_URL", "https://api.github.com"), _env("GITHUB_TOKEN") or None)
    return judge(event, api, os.getcwd(), args.policy, args.today or datetime.date.today())
