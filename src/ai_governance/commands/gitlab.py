"""``ai-governance gitlab``: the job of a GitLab merge request pipeline.

It reads the pipeline's variables and the masked token, judges the merge request through
``pull_request.judge`` (the base commit's policy, the one engine), and writes the job log,
the Code Quality report, optionally a SAST report and, with ``--comment``, one merge
request note. Exit codes: 0 passed, 1 failed or could not be verified, 2 not a merge
request pipeline or a setting is wrong (nothing was judged). docs/gitlab.md has the set-up.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys

from ai_governance.commands import pull_request
from ai_governance.commands.common import emit, write
from ai_governance.errors import UsageError
from ai_governance.gather import gitlab
from ai_governance.gather.gitlab_api import TOKEN, Api, ApiError, Forbidden
from ai_governance.report import Report
from ai_governance.reporters import as_gitlab, reporter

CONFIG = ".gitlab-ci.yml"
SAST_FILE = "gl-sast-report.json"
SWITCH = {"true": True, "false": False, "": False}  # the template's boolean inputs


def ci_configuration(env: dict[str, str]) -> pull_request.Runner:
    """The CI configuration of this project that runs the job, as a merge request could
    edit it: ``CI_CONFIG_PATH`` unless it is another project's (``PATH@group/project``,
    which the merge request cannot touch), and any ``*.gitlab-ci.yml`` it may include."""
    path = env.get("CI_CONFIG_PATH") or CONFIG
    elsewhere = "@" in path or ":" in path  # another project's, or a URL
    return pull_request.Runner(
        () if elsewhere else (path.removeprefix("./"),),
        "the CI configuration",
        "a pipeline execution policy or a compliance pipeline keeps the job out of the"
        " merge request's hands (docs/gitlab.md)",
        () if elsewhere else (".gitlab-ci.yml", ".gitlab-ci.yaml"),
    )


def note(report: Report, source: gitlab.MergeRequest, fail_on: str) -> str:
    """Post or edit the merge request note; what happened, as one line for the log. A token
    without the api scope, or an API failure, is said and never changes the verdict."""
    from ai_governance.publish import gitlab_note
    from ai_governance.reporters import as_markdown

    body = as_markdown.body(report, head=source.head, fail_on=fail_on, forge="GitLab")
    web_url = source.mr.get("web_url")
    try:
        posted = gitlab_note.upsert(
            source.api, source.prefix, body, web_url if isinstance(web_url, str) else ""
        )
    except Forbidden as exc:
        return (
            f"no note: the token may not write to the merge request (posting a note needs"
            f" the api scope; read_api only reads): {exc}"
        )
    except ApiError as exc:
        return f"no note: {str(exc).removesuffix('; nothing was judged')}"
    return f"note {posted.action}: {posted.url}"


def settings(args: argparse.Namespace, env: dict[str, str]) -> argparse.Namespace:
    """The options, each from the command line or else from the variable the CI template
    sets from its input (``AI_GOVERNANCE_POLICY``, ``_FAIL_ON``, ``_COMMENT``, ``_SAST``)."""

    def switch(name: str) -> bool:
        value = env.get(name, "").strip().lower()
        if value not in SWITCH:
            raise UsageError(f"{name}={env[name]!r}: choose true or false")
        return SWITCH[value]

    fail_on = args.fail_on or env.get("AI_GOVERNANCE_FAIL_ON") or "error"
    if fail_on not in ("error", "warning"):
        raise UsageError(f"AI_GOVERNANCE_FAIL_ON={fail_on!r}: choose error or warning")
    return argparse.Namespace(
        **{
            **vars(args),
            "policy": args.policy or env.get("AI_GOVERNANCE_POLICY") or None,
            "fail_on": fail_on,
            "comment": switch("AI_GOVERNANCE_COMMENT") if args.comment is None else True,
            "sast": args.sast or (SAST_FILE if switch("AI_GOVERNANCE_SAST") else None),
        }
    )


def run(args: argparse.Namespace) -> int:
    env = dict(os.environ)
    run_for = gitlab.pipeline(env)
    args = settings(args, env)
    token = env.get(TOKEN, "").strip()
    if not token:
        raise UsageError(
            f"{TOKEN} is not set: store a project or group access token with the read_api"
            " scope (api to post the note) as a masked CI/CD variable; CI_JOB_TOKEN cannot"
            " read merge requests"
        )
    api = Api(run_for.api_url, token)
    cwd = env.get("CI_PROJECT_DIR") or os.getcwd()
    today = args.today or datetime.date.today()
    source = gitlab.merge_request(run_for, api)
    report = pull_request.judge(source, cwd, args.policy, today, runner=ci_configuration(env))
    if args.codequality:
        write(
            os.path.join(cwd, args.codequality),
            reporter("codequality").render(report, color=False),
        )
    if args.sast:
        write(os.path.join(cwd, args.sast), reporter("sast").render(report, color=False))
    emit(report, args)
    if args.comment:
        said = note(report, source, args.fail_on)
        sys.stdout.write(as_gitlab.inert(f"ai-governance: {said}\n"))
    return 0 if report.status_at(args.fail_on) == "pass" else 1
