"""The command line: the one error boundary and the table of exit codes.

0 pass, 1 violations (or a rule that could not be verified), 2 usage or policy error,
3 internal error, 130 interrupted. Nothing below this module exits or prints.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from ai_governance import __version__
from ai_governance.errors import GovernanceError, PolicyError, UsageError
from ai_governance.reporters import REPORTERS


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--policy", metavar="PATH", help="policy file (default: "
                        ".ai-governance.yml at the repository root, else the embedded default)")
    parser.add_argument("--format", action="append", choices=sorted(REPORTERS), dest="formats",
                        help="output format; repeat for several (default: text)")
    parser.add_argument("--output", action="append", metavar="PATH", dest="outputs",
                        help="write the matching --format to PATH instead of stdout")
    parser.add_argument("--no-color", action="store_true", help="never colour the text output")
    parser.add_argument("--today", type=_date, metavar="YYYY-MM-DD",
                        help="judge as of this date (rollout steps, exception expiry)")


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="ai-governance", description="Policy as code for "
                                  "AI-assisted changes.")
    top.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    validate = sub.add_parser("validate", help="validate policy files (exit 2 when invalid)")
    validate.add_argument("files", nargs="*", metavar="POLICY")
    validate.add_argument("--policy", metavar="PATH", help=argparse.SUPPRESS)
    check = sub.add_parser("check", help="evaluate the policy on a change")
    _common(check)
    what = check.add_mutually_exclusive_group()
    what.add_argument("--commit-msg", metavar="FILE", type=Path, help="a commit message file")
    what.add_argument("--staged", action="store_true", help="the staged changes")
    what.add_argument("--range", metavar="BASE..HEAD", help="every commit of a range, or one "
                      "commit (default: HEAD)")
    hook = sub.add_parser("hook", help="the pre-commit stages (used by .pre-commit-hooks.yaml)")
    stages = hook.add_subparsers(dest="stage", required=True, metavar="STAGE")
    commit_msg = stages.add_parser("commit-msg", help="judge the message file git passes")
    _common(commit_msg)
    commit_msg.add_argument("message_file", type=Path, metavar="FILE")
    pre_commit = stages.add_parser("pre-commit", help="judge the staged change")
    _common(pre_commit)
    pre_commit.add_argument("files", nargs="*", metavar="FILE")
    return top


def _run(argv: Sequence[str] | None) -> int:
    args = parser().parse_args(argv)
    from ai_governance import commands

    return commands.COMMANDS[args.command](args)


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    try:
        return _run(argv)
    except KeyboardInterrupt:
        print("ai-governance: interrupted", file=sys.stderr)
        return 130
    except SystemExit as exc:  # argparse: --help, --version, bad arguments
        return exc.code if isinstance(exc.code, int) else 2
    except PolicyError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"ai-governance: {len(exc.problems)} policy problem(s); nothing was judged",
              file=sys.stderr)
        return exc.exit_code
    except UsageError as exc:
        print(f"ai-governance: usage error: {exc}", file=sys.stderr)
        return exc.exit_code
    except GovernanceError as exc:
        print(f"ai-governance: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except Exception:
        traceback.print_exc()
        print(
            f"ai-governance {__version__}: internal error (exit 3); nothing was judged."
            " Please report it with the trace above.",
            file=sys.stderr,
        )
        return 3


def color_wanted(no_color: bool) -> bool:
    return not no_color and "NO_COLOR" not in os.environ and sys.stdout.isatty()
