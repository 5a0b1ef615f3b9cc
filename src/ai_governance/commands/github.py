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
from ai_governance.gather.github_api import Api, Forbidden, GitHubError
from ai_governance.report import Report
from ai_governance.reporters import REPORTERS, as_github, reporter

FAIL_ON = ("error", "warning")
SWITCH = {"true": True, "false": False, "": False}


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


def comment(report: Report, event: github.Event, api: Api, fail_on: str) -> str:
    """Post or edit the pull request comment; what happened, as one line for the log. A
    token that may not write (a fork's pull request) or an API failure is a notice: the
    comment is output, and never changes the verdict."""
    from ai_governance.publish import github_comment
    from ai_governance.reporters import as_markdown

    if not event.number:
        return "no comment: a merge group has no pull request to comment on"
    head = event.pr.get("head")
    sha = head.get("sha") if isinstance(head, dict) else None
    body = as_markdown.body(report, head=sha if isinstance(sha, str) else None, fail_on=fail_on)
    author = _env("INPUT_COMMENT_AUTHOR") or "github-actions[bot]"
    try:
        posted = github_comment.upsert(api, event.repository, event.number, body, author)
    except Forbidden as exc:
        return (
            f"no comment: the token may not write to pull request #{event.number} (a fork's"
            f" pull request gets a read-only token; the job needs `pull-requests: write`): {exc}"
        )
    except GitHubError as exc:
        return f"no comment: {str(exc).removesuffix('; nothing was judged')}"
    return f"comment {posted.action}: {posted.url}"


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
    wants_comment = SWITCH.get(_env("INPUT_COMMENT").strip().lower())
    if wants_comment is None:
        raise UsageError(f"comment {_env('INPUT_COMMENT')!r}: choose true or false")
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
        runner=pull_request.actions_workflow(workflow_path(_env("GITHUB_WORKFLOW_REF"))),
    )
    sarif_file = _env("INPUT_SARIF_FILE") or None
    if sarif_file:
        write(os.path.join(cwd, sarif_file), reporter("sarif").render(report, color=False))
    sys.stdout.write(as_github.workflow_commands(report))
    if extra not in ("", "github"):
        sys.stdout.write(as_github.inert(reporter(extra).render(report, color=False)))
    write_outputs(report, sarif_file, fail_on)
    if wants_comment:
        said = comment(report, event, api, fail_on)
        level = "notice" if said.startswith("comment ") else "warning"
        sys.stdout.write(as_github.command(level, said, title="ai-governance comment") + "\n")
        if level == "warning" and _env("GITHUB_STEP_SUMMARY"):
            with open(_env("GITHUB_STEP_SUMMARY"), "a", encoding="utf-8") as out:
                out.write(f"\n> ⚠️ {as_github.markdown(said)}\n")
    return 0 if report.status_at(fail_on) == "pass" else 1


def check_event(args: argparse.Namespace) -> Report:
    """``check --github-event FILE``: the same judgement, reported like any other check."""
    event = github.read_event(args.github_event, _env("GITHUB_EVENT_NAME"))
    api = Api(_env("GITHUB_API_URL", "https://api.github.com"), _env("GITHUB_TOKEN") or None)
    return pull_request.judge(
        github.source(event, api), os.getcwd(), args.policy, args.today or datetime.date.today()
    )
