"""The front ends: each gathers a change its own way, then evaluate and report."""

from __future__ import annotations

import argparse
import datetime
import os
import sys
from collections.abc import Callable

from ai_governance.change import Change
from ai_governance.engine import evaluate
from ai_governance.errors import PolicyError, UsageError
from ai_governance.gather import git
from ai_governance.policy import load
from ai_governance.policy.model import Policy
from ai_governance.report import Report
from ai_governance.rules.needs import needs


def _root() -> str | None:
    return git.toplevel(os.getcwd())


def destinations(args: argparse.Namespace) -> list[tuple[str, str | None]]:
    """(format, output file or None for stdout) pairs; checked before any work is done."""
    formats, outputs = args.formats or ["text"], args.outputs or []
    if len(outputs) > len(formats):
        raise UsageError("each --output needs a --format before it")
    return [(name, outputs[i] if i < len(outputs) else None) for i, name in enumerate(formats)]


def deliver(
    args: argparse.Namespace, render: Callable[[str, bool], str], *, quiet: bool = False
) -> None:
    """Write each format to its file, or (unless ``quiet``) to stdout, coloured if wanted."""
    for name, output in destinations(args):
        if output is not None:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(render(name, False))
        elif not quiet:
            sys.stdout.write(render(name, True))


def emit(report: Report, args: argparse.Namespace, *, quiet_pass: bool = False) -> int:
    from ai_governance.cli import color_wanted
    from ai_governance.reporters import REPORTERS

    quiet = (
        quiet_pass
        and report.status == "pass"
        and not report.notices
        and all(r.status in ("passed", "skipped") for r in report.results)
    )
    color = color_wanted(args.no_color)
    deliver(
        args, lambda name, tty: REPORTERS[name].render(report, color=tty and color), quiet=quiet
    )
    return report.exit_code


def _today(args: argparse.Namespace) -> datetime.date:
    today: datetime.date = args.today or datetime.date.today()
    return today


def _judge(args: argparse.Namespace, gather: Callable[[Policy], Change], quiet: bool) -> int:
    destinations(args)
    policy = load.load(args.policy, _root())
    return emit(evaluate(policy, gather(policy), _today(args)), args, quiet_pass=quiet)


def check(args: argparse.Namespace) -> int:
    from ai_governance.gather import local

    cwd = os.getcwd()
    if args.commit_msg is not None:
        path: str = args.commit_msg
        return _judge(
            args,
            lambda p: local.from_message_file(path, cwd, with_files=needs(p, "commit-msg").paths),
            quiet=False,
        )
    if args.github_event is not None:
        from ai_governance import action

        return emit(action.check_event(args), args)
    if args.staged:
        return _judge(
            args,
            lambda p: local.from_staged(cwd, max_bytes=needs(p, "pre-commit").content_bytes),
            quiet=False,
        )
    spec: str = args.range or "HEAD"
    return _judge(
        args,
        lambda p: local.from_range(spec, cwd, max_bytes=needs(p, "range").content_bytes),
        quiet=False,
    )


def hook(args: argparse.Namespace) -> int:
    from ai_governance.gather import local
    from ai_governance.scanners import select

    cwd = os.getcwd()
    if args.stage == "commit-msg":
        path: str = args.message_file
        return _judge(
            args,
            lambda p: local.from_message_file(path, cwd, with_files=needs(p, "commit-msg").paths),
            quiet=True,
        )
    from ai_governance.scanners import bandit  # not on the commit-msg path

    paths: list[str] | None = list(args.files) or None
    python = [path for path in paths or () if select.by_name(path)]

    def gather(policy: Policy) -> Change:
        cap = needs(policy, "pre-commit").content_bytes
        if cap is not None and python:
            # Bandit takes a fifth of a second to import: let forked scanners do it on the
            # other core while this process asks git for the staged files.
            bandit.start_workers(2 if len(python) >= bandit.PARALLEL_FROM else 1)
        return local.from_staged(cwd, paths=paths, max_bytes=cap)

    try:
        return _judge(args, gather, quiet=True)
    finally:
        bandit.stop_workers()


def validate(args: argparse.Namespace) -> int:
    files: list[str | None] = list(args.files) or [args.policy]
    problems: list[str] = []
    for name in files:
        try:
            policy = load.load(name, _root(), use_cache=False)
        except PolicyError as exc:
            problems.extend(exc.problems)
            continue
        print(f"{policy.source}: valid policy `{policy.name}` ({len(policy.rules)} rules)")
    if problems:
        raise PolicyError(problems)
    return 0


def report(args: argparse.Namespace) -> int:
    from ai_governance.adoption import formats, history, measure

    formats_wanted = [name for name, _ in destinations(args)]
    since, until = _report_date("--since", args.since), _report_date("--until", args.until)
    if until is not None and "T" not in until and " " not in until:
        until += " 23:59:59"  # a date-only --until includes that whole day
    if args.merge:
        result = measure.merge(args.merge)
    else:
        policy = load.load(args.policy, _root())
        log = history.log_args(args.revisions, since, until, not args.no_merges)
        scope = " ".join(args.revisions or ["HEAD"]) + "".join(
            f" {flag} {value}"
            for flag, value in (("since", args.since), ("until", args.until))
            if value
        )
        baseline = args.baseline.isoformat() if args.baseline else None
        result = measure.measure(
            policy,
            lambda: history.chunks(log, os.getcwd()),
            lambda shas: git.files_of(shas, os.getcwd()),
            today=_today(args),
            by=args.by,
            pilot=args.pilot,
            baseline=baseline,
            scope=scope,
            progress=sys.stderr.isatty(),
            charts_wanted="html" in formats_wanted,
        )
    deliver(args, lambda name, tty: formats.FORMATS[name](result))
    return 0


def _report_date(flag: str, text: str | None) -> str | None:
    """An ISO 8601 date or date and time; git's own parser takes anything and reads
    nonsense as "now", which would silently empty the report."""
    if text is None:
        return None
    try:
        datetime.datetime.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(
            f"{flag} {text!r} is not a date: use YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS]"
        ) from None
    return text.strip()


def github(args: argparse.Namespace) -> int:
    from ai_governance import action

    return action.run(args)


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "github": github,
    "report": report,
    "check": check,
    "hook": hook,
    "validate": validate,
}
