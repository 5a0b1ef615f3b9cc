"""The pull-request front end: ``ai-governance github`` (the Action) and ``check --github-event``.

It reads the environment a runner sets, judges the PR (or the merge group) by the policy of
its *base* commit (a PR cannot loosen the rules it is judged by), and writes annotations,
the job summary, step outputs and, when asked, SARIF.
"""

from __future__ import annotations

import argparse
import datetime
import os
import secrets
import sys

from ai_governance.change import Change
from ai_governance.engine import evaluate
from ai_governance.errors import GitError, UsageError
from ai_governance.gather import git, github, local
from ai_governance.gather.github_api import Api
from ai_governance.policy import load
from ai_governance.policy.model import Policy
from ai_governance.report import Report
from ai_governance.reporters import REPORTERS, as_github
from ai_governance.rules.needs import needs

FAIL_ON = ("error", "warning")


def _env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def _fetch_hint(base: str) -> str:
    return (
        f"run `git fetch --no-filter origin {base}` (or check out with `fetch-depth: 0` and"
        " no `filter:`) so the base commit's policy can be read; nothing was judged"
    )


def base_policy(requested: str | None, base: str, cwd: str) -> Policy:
    """The policy as it is in the base commit, never as the PR edits it. No policy file in
    the base means the embedded default; a policy that exists but cannot be read (a missing
    object in a partial clone, a symbolic link) is an error, never the default."""
    names = [requested.removeprefix("./")] if requested else list(load.FILENAMES)
    try:
        listing = git.run(["ls-tree", "-z", "--full-tree", base, "--", *names], cwd)
    except GitError:
        raise GitError(
            f"the base commit {base[:12]}'s tree cannot be read: {_fetch_hint(base)}"
        ) from None
    entries = [git.text(entry).split("\t", 1) for entry in listing.split(b"\0") if entry]
    if not entries:
        if requested:
            raise UsageError(
                f"the policy {names[0]} does not exist in the base commit {base[:12]};"
                " a pull request is judged by the base commit's policy"
            )
        return load.from_bytes(load.EMBEDDED, load.data_file("default.yml"))
    path = load.one_policy([name for _, name in entries])
    mode, kind, blob = entries[0][0].split(" ")
    if kind != "blob" or mode not in ("100644", "100755"):
        raise UsageError(
            f"{path} in the base commit {base[:12]} is not a regular file (mode {mode});"
            " the policy must be the file itself"
        )
    try:
        raw = git.run(["cat-file", "blob", blob], cwd)
    except GitError:
        raise GitError(
            f"the base commit's policy {path} (object {blob[:12]}) is not in this checkout:"
            f" {_fetch_hint(base)}"
        ) from None
    return load.from_bytes(f"{path}@{base[:12]}", raw)


def policy_notices(policy_path: str | None, change: Change) -> tuple[str, ...]:
    """A change that edits, adds, moves or deletes a policy file is a policy change."""
    names = {*load.FILENAMES, (policy_path or load.FILENAME).removeprefix("./")}
    edited = sorted(
        {p for f in change.files for p in (f.path, f.old_path) if p is not None and p in names}
    )
    return tuple(
        f"this change touches the policy file {path}; it was judged by the policy of the"
        " base commit, and the change needs the policy owners' review"
        for path in edited
    )


def judge(
    event: github.Event, api: Api, cwd: str, policy_path: str | None, today: datetime.date
) -> Report:
    if event.queue is not None:  # a merge group: the queued commits, as a range
        base, head = event.queue
        github.ensure_history(base, head, 0, cwd)
        policy = base_policy(policy_path, base, cwd)
        need = needs(policy, "merge-group")
        change = local.from_range(f"{base}..{head}", cwd, max_bytes=need.content_bytes)
        change = change._replace(stage="merge-group")
    else:
        _, pr = github.pull_request(event, api)
        base = pr["base"]["sha"]
        github.ensure_history(base, base, 0, cwd)
        policy = base_policy(policy_path, base, cwd)
        need = needs(policy, "pull-request")
        change = github.gather(
            event._replace(pr=pr),
            api,
            cwd,
            max_bytes=need.content_bytes,
            teams=list(need.team_slugs),
        )
    change = change._replace(notices=change.notices + policy_notices(policy_path, change))
    return evaluate(policy, change, today)


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


def inert(text: str) -> str:
    """Free text for a runner's log: between ``stop-commands`` and its random token the
    runner reads no workflow command, in the ``::x::`` syntax or the legacy ``##[x]``."""
    token = secrets.token_hex(16)
    return (
        f"::stop-commands::{token}\n{text}{'' if text.endswith(chr(10)) else chr(10)}::{token}::\n"
    )


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
    report = judge(event, api, cwd, _env("INPUT_POLICY") or args.policy, today)
    sarif_file = _env("INPUT_SARIF_FILE") or None
    if sarif_file:
        with open(os.path.join(cwd, sarif_file), "w", encoding="utf-8") as out:
            out.write(REPORTERS["sarif"].render(report, color=False))
    sys.stdout.write(as_github.workflow_commands(report))
    if extra not in ("", "github"):
        sys.stdout.write(inert(REPORTERS[extra].render(report, color=False)))
    write_outputs(report, sarif_file, fail_on)
    return 0 if report.status_at(fail_on) == "pass" else 1


def check_event(args: argparse.Namespace) -> Report:
    """``check --github-event FILE``: the same judgement, reported like any other check."""
    event = github.read_event(args.github_event, _env("GITHUB_EVENT_NAME"))
    api = Api(_env("GITHUB_API_URL", "https://api.github.com"), _env("GITHUB_TOKEN") or None)
    return judge(event, api, os.getcwd(), args.policy, args.today or datetime.date.today())
