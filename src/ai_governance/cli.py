"""The command line: the one error boundary and the table of exit codes.

0 pass, 1 violations (or a rule that could not be verified), 2 usage or policy error,
3 internal error, 130 interrupted. Nothing below this module exits or prints.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
from collections.abc import Callable, Sequence

from ai_governance import __version__
from ai_governance.errors import GovernanceError, PolicyError, UsageError


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--policy",
        metavar="PATH",
        help="policy file (default: "
        ".ai-governance.yml at the repository root, else the embedded default)",
    )
    from ai_governance.reporters import REPORTERS

    parser.add_argument(
        "--format",
        action="append",
        choices=sorted(REPORTERS),
        dest="formats",
        help="output format; repeat for several (default: text)",
    )
    parser.add_argument(
        "--output",
        action="append",
        metavar="PATH",
        dest="outputs",
        help="write the matching --format to PATH instead of stdout",
    )
    parser.add_argument("--no-color", action="store_true", help="never colour the text output")
    parser.add_argument(
        "--today",
        type=_date,
        metavar="YYYY-MM-DD",
        help="judge as of this date (rollout steps, exception expiry)",
    )


def _validate(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("files", nargs="*", metavar="POLICY")
    sub.add_argument("--policy", metavar="PATH", help=argparse.SUPPRESS)


def _check(sub: argparse.ArgumentParser) -> None:
    _common(sub)
    what = sub.add_mutually_exclusive_group()
    what.add_argument("--commit-msg", metavar="FILE", help="a commit message file")
    what.add_argument("--staged", action="store_true", help="the staged changes")
    what.add_argument(
        "--range",
        metavar="BASE..HEAD",
        help="every commit of a range, or one commit (default: HEAD)",
    )
    what.add_argument(
        "--github-event",
        metavar="FILE",
        help="a pull_request or pull_request_review payload; the API is read from"
        " GITHUB_API_URL with GITHUB_TOKEN",
    )


def _hook(sub: argparse.ArgumentParser) -> None:
    stages = sub.add_subparsers(dest="stage", required=True, metavar="STAGE")
    commit_msg = stages.add_parser("commit-msg", help="judge the message file git passes")
    _common(commit_msg)
    commit_msg.add_argument("message_file", metavar="FILE")
    pre_commit = stages.add_parser("pre-commit", help="judge the staged change")
    _common(pre_commit)
    pre_commit.add_argument("files", nargs="*", metavar="FILE")


def _github(sub: argparse.ArgumentParser) -> None:
    _common(sub)


def _report(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "revisions",
        nargs="*",
        metavar="REVISION",
        help="what to read, as git log takes it (default: HEAD)",
    )
    sub.add_argument("--policy", metavar="PATH", help="policy file (as for check)")
    sub.add_argument("--since", metavar="DATE", help="only commits after DATE")
    sub.add_argument("--until", metavar="DATE", help="only commits before DATE")
    sub.add_argument(
        "--today",
        type=_date,
        metavar="YYYY-MM-DD",
        help="judge every commit as `check` would on this date (rollout, exceptions)",
    )
    sub.add_argument(
        "--by",
        choices=("month", "team", "author", "tool"),
        default="month",
        help="group the figures (default: month)",
    )
    sub.add_argument("--pilot", metavar="TEAM", help="group as this team against everyone else")
    sub.add_argument(
        "--baseline",
        type=_date,
        metavar="YYYY-MM-DD",
        help="also compare the commits before this date with those from it",
    )
    sub.add_argument("--no-merges", action="store_true", help="leave merge commits out")
    sub.add_argument(
        "--merge",
        nargs="+",
        metavar="REPORT.json",
        help="combine the JSON reports of several repositories instead",
    )
    sub.add_argument(
        "--format",
        action="append",
        dest="formats",
        choices=("text", "json", "csv", "html"),
        help="repeatable (default: text)",
    )
    sub.add_argument(
        "--output",
        action="append",
        metavar="PATH",
        dest="outputs",
        help="write the matching --format to PATH",
    )


SUBCOMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None]]] = {
    "validate": ("validate policy files (exit 2 when invalid)", _validate),
    "check": ("evaluate the policy on a change", _check),
    "hook": ("the pre-commit stages (used by .pre-commit-hooks.yaml)", _hook),
    "github": ("the GitHub Action: judge the pull request of GITHUB_EVENT_PATH", _github),
    "report": ("AI adoption and compliance from git history", _report),
}


def parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole parser, or (for speed on the hook path) only the named command's."""
    top = argparse.ArgumentParser(
        prog="ai-governance", description="Policy as code for AI-assisted changes."
    )
    top.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (text, build) in SUBCOMMANDS.items():
        if only in (None, name):
            build(sub.add_parser(name, help=text))
    return top


_HOOK_FLAGS = {"--policy": "policy", "--today": "today"}


def quick_hook_args(argv: list[str]) -> argparse.Namespace | None:
    """``hook commit-msg [--policy P] [--today D] [--no-color] FILE`` without building argparse.

    The commit-msg hook runs on every commit and argparse's set-up is a fifth of its budget.
    Anything else (help, other options, errors) returns None and goes to the full parser;
    tests check that both give the same namespace.
    """
    if argv[:2] != ["hook", "commit-msg"]:
        return None
    values: dict[str, object] = {"policy": None, "today": None, "no_color": False}
    rest = argv[2:]
    files: list[str] = []
    while rest:
        word = rest.pop(0)
        if word in _HOOK_FLAGS and rest and not rest[0].startswith("-"):
            values[_HOOK_FLAGS[word]] = rest.pop(0)
        elif word == "--no-color":
            values["no_color"] = True
        elif word.startswith("-") or files:
            return None
        else:
            files.append(word)
    if not files:
        return None
    if values["today"] is not None:
        try:
            values["today"] = _date(str(values["today"]))
        except argparse.ArgumentTypeError:
            return None
    return argparse.Namespace(
        command="hook",
        stage="commit-msg",
        message_file=files[0],
        formats=None,
        outputs=None,
        **values,
    )


def _run(argv: Sequence[str] | None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = quick_hook_args(argv) or parser(
        argv[0] if argv and argv[0] in SUBCOMMANDS else None
    ).parse_args(argv)
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
        print(
            f"ai-governance: {len(exc.problems)} policy problem(s); nothing was judged",
            file=sys.stderr,
        )
        return exc.exit_code
    except UsageError as exc:
        print(f"ai-governance: usage error: {exc}", file=sys.stderr)
        return exc.exit_code
    except GovernanceError as exc:
        print(f"ai-governance: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except Exception:
        import traceback

        traceback.print_exc()
        print(
            f"ai-governance {__version__}: internal error (exit 3); nothing was judged."
            " Please report it with the trace above.",
            file=sys.stderr,
        )
        return 3


def color_wanted(no_color: bool) -> bool:
    return not no_color and "NO_COLOR" not in os.environ and sys.stdout.isatty()
