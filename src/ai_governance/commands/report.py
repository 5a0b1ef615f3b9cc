"""``ai-governance report``: adoption, compliance and violations from git history."""

from __future__ import annotations

import argparse
import datetime
import os
import sys

from ai_governance.commands.common import deliver, destinations, root, today
from ai_governance.errors import UsageError
from ai_governance.gather import git
from ai_governance.policy import load


def run(args: argparse.Namespace) -> int:
    from ai_governance.adoption import churn, clock, formats, history, measure

    try:
        zone = clock.zone(args.tz)
    except ValueError as exc:
        raise UsageError(str(exc)) from None

    formats_wanted = [name for name, _ in destinations(args)]
    since, until = _report_date("--since", args.since), _report_date("--until", args.until)
    if until is not None and "T" not in until and " " not in until:
        until += " 23:59:59"  # a date-only --until includes that whole day
    if args.merge:
        result = measure.merge(args.merge, today(args))
        deliver(args, lambda name, tty: formats.FORMATS[name](result))
        return 0
    churn_days = args.churn_days or (churn.WINDOW_DAYS if args.churn else None)
    log_args = history.log_args(
        args.revisions, since, until, not args.no_merges, patches=churn_days is not None
    )
    log = history.start(log_args, os.getcwd(), tz=args.tz or "UTC")  # runs while we load
    try:
        top = root()
        policy = load.load(args.policy, top)
        scope = " ".join(args.revisions or ["HEAD"]) + "".join(
            f" {flag} {value}"
            for flag, value in (("since", args.since), ("until", args.until))
            if value
        )
        baseline = args.baseline.isoformat() if args.baseline else None
        result = measure.measure(
            policy,
            lambda: history.chunks(log),
            lambda shas: git.files_of(shas, os.getcwd()),
            today=today(args),
            by=args.by or ("pilot" if args.pilot else "month"),
            pilot=args.pilot,
            baseline=baseline,
            scope=scope,
            progress=sys.stderr.isatty(),
            charts_wanted="html" in formats_wanted,
            zone=zone,
            churn_days=churn_days,
            repository=args.repository or os.path.basename(top or os.getcwd()),
        )
    finally:
        history.stop(log)
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
