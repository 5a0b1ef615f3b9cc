"""What the front ends share: where the policy is, today's date, output destinations."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

from ai_governance.change import Change
from ai_governance.engine import evaluate
from ai_governance.errors import UsageError
from ai_governance.gather import git
from ai_governance.policy import load
from ai_governance.policy.model import Policy
from ai_governance.report import Report
from ai_governance.rules.context import Scanner

TYPE_CHECKING = False  # typing itself costs a hook start-up 2.4 ms

if TYPE_CHECKING:
    import argparse
    import datetime


def root() -> str | None:
    return git.toplevel(os.getcwd())


def today(args: argparse.Namespace) -> datetime.date:
    import datetime

    day: datetime.date = args.today or datetime.date.today()
    return day


def color_wanted(no_color: bool) -> bool:
    return not no_color and "NO_COLOR" not in os.environ and sys.stdout.isatty()


def destinations(args: argparse.Namespace) -> list[tuple[str, str | None]]:
    """(format, output file or None for stdout) pairs; checked before any work is done."""
    formats, outputs = args.formats or ["text"], args.outputs or []
    if len(outputs) > len(formats):
        raise UsageError("each --output needs a --format before it")
    return [(name, outputs[i] if i < len(outputs) else None) for i, name in enumerate(formats)]


def write(path: str, text: str) -> None:
    """Write an output file the user named; a path that cannot be written is their error."""
    try:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        raise UsageError(f"{path}: cannot write: {exc.strerror}") from None


def deliver(
    args: argparse.Namespace, render: Callable[[str, bool], str], *, quiet: bool = False
) -> None:
    """Write each format to its file, or (unless ``quiet``) to stdout, coloured if wanted.
    In a GitHub Actions log every format but ``github`` is free text that may quote commit
    and PR text, so it is printed where the runner reads no workflow command; in a GitLab
    CI log it is printed without control characters or section markers."""
    for name, output in destinations(args):
        if output is not None:
            write(output, render(name, False))
        elif not quiet:
            text = render(name, True)
            if name != "github" and os.environ.get("GITHUB_ACTIONS") == "true":
                from ai_governance.reporters import as_github

                text = as_github.inert(text)
            if os.environ.get("GITLAB_CI") == "true":
                from ai_governance.reporters import as_gitlab

                text = as_gitlab.inert(text)
            sys.stdout.write(text)


def emit(report: Report, args: argparse.Namespace, *, quiet_pass: bool = False) -> int:
    quiet = (
        quiet_pass
        and report.status == "pass"
        and not report.notices
        and all(r.status in ("passed", "skipped") for r in report.results)
    )
    color = color_wanted(args.no_color)

    def render(name: str, tty: bool) -> str:
        from ai_governance.reporters import reporter  # only when something is written

        return reporter(name).render(report, color=tty and color)

    deliver(args, render, quiet=quiet)
    return report.exit_code


def judge(
    args: argparse.Namespace,
    gather: Callable[[Policy], Change],
    *,
    quiet: bool,
    scanner: Scanner | None = None,
) -> int:
    """Load the policy, gather the change its rules need, evaluate, report."""
    destinations(args)
    policy = load.load(args.policy, root())
    # --today, or now if the policy compares dates (the engine asks): no datetime otherwise
    report = evaluate(policy, gather(policy), args.today, scanner)
    return emit(report, args, quiet_pass=quiet)
