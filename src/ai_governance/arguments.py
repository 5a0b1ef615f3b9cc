"""The command line's grammar: every command's options, built with argparse.

Not imported by the commit-msg hook's quick path (argparse costs it 7 ms); ``cli`` builds
only the parser of the command that runs.
"""

from __future__ import annotations

import argparse
import datetime
from collections.abc import Callable

from ai_governance import __version__


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _outputs(parser: argparse.ArgumentParser, formats: list[str]) -> None:
    """``--format`` (repeatable, from ``formats``) and an ``--output`` for each."""
    parser.add_argument(
        "--format",
        action="append",
        choices=formats,
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


def _today(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument("--today", type=_date, metavar="YYYY-MM-DD", help=what)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--policy",
        metavar="PATH",
        help="policy file (default: "
        ".ai-governance.yml at the repository root, else the embedded default)",
    )
    from ai_governance.reporters import REPORTERS

    _outputs(parser, sorted(REPORTERS))
    parser.add_argument("--no-color", action="store_true", help="never colour the text output")
    _today(parser, "judge as of this date (rollout steps, exception expiry)")


def _validate(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("files", nargs="*", metavar="POLICY")
    sub.add_argument("--policy", metavar="PATH", help=argparse.SUPPRESS)
    sub.add_argument(
        "--strict", action="store_true", help="fail on warnings too (dead rollout steps...)"
    )
    sub.add_argument(
        "--effective",
        action="store_true",
        help="print where each rule of the merged policy (with what it extends) is stated",
    )
    _today(sub, "judge dates as of this day (default: today)")


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
    prepare = stages.add_parser(
        "prepare-commit-msg", help="add the disclosure the policy asks to the message file"
    )
    _common(prepare)
    prepare.add_argument("message_file", metavar="FILE")
    prepare.add_argument("source", nargs="?", metavar="SOURCE", help="git's commit source")
    prepare.add_argument("sha", nargs="?", metavar="SHA", help="the commit being amended")
    pre_commit = stages.add_parser("pre-commit", help="judge the staged change")
    _common(pre_commit)
    pre_commit.add_argument("files", nargs="*", metavar="FILE")


def _github(sub: argparse.ArgumentParser) -> None:
    _common(sub)


def _gitlab(sub: argparse.ArgumentParser) -> None:
    _common(sub)
    sub.add_argument(
        "--codequality",
        metavar="PATH",
        default="gl-code-quality-report.json",
        help="the Code Quality report for the merge request widget (default:"
        " %(default)s; an empty PATH writes none)",
    )
    sub.add_argument(
        "--sast",
        metavar="PATH",
        help="also write a SAST report of the Bandit findings (default: none, or"
        " gl-sast-report.json when AI_GOVERNANCE_SAST=true)",
    )
    sub.add_argument(
        "--comment",
        action="store_true",
        default=None,
        help="post the verdict as one merge request note, edited in place (the token needs"
        " the api scope; default: AI_GOVERNANCE_COMMENT)",
    )
    sub.add_argument(
        "--fail-on",
        choices=("error", "warning"),
        help="fail the job on enforced rules only (error, the default) or on warn-mode"
        " rules too (default: AI_GOVERNANCE_FAIL_ON)",
    )


def _days(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 3660:
        raise argparse.ArgumentTypeError(f"not a number of days from 1 to 3660: {text!r}")
    return int(text)


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
    _today(sub, "judge every commit as `check` would on this date (rollout, exceptions)")
    sub.add_argument(
        "--by",
        choices=("month", "team", "author", "tool"),
        help="group the figures (default: month; with --pilot, month splits each side by month)",
    )
    sub.add_argument("--pilot", metavar="TEAM", help="group as this team against everyone else")
    sub.add_argument(
        "--tz",
        metavar="ZONE",
        help="months, days and --since/--until in this zone: UTC (default), +02:00, Europe/Berlin",
    )
    sub.add_argument(
        "--baseline",
        type=_date,
        metavar="YYYY-MM-DD",
        help="also compare the commits before this date with those from it",
    )
    sub.add_argument("--no-merges", action="store_true", help="leave merge commits out")
    sub.add_argument(
        "--churn",
        action="store_true",
        help="also measure short-term churn: lines deleted or rewritten soon after they were"
        " added (reads every patch)",
    )
    sub.add_argument(
        "--churn-days",
        type=_days,
        default=None,
        metavar="DAYS",
        help="the churn window (default 21; implies --churn)",
    )
    sub.add_argument(
        "--repository",
        metavar="NAME",
        help="the name the JSON gives the repository, for --merge's rows"
        " (default: its folder's name)",
    )
    sub.add_argument(
        "--merge",
        nargs="+",
        metavar="REPORT.json",
        help="combine the JSON reports of several repositories instead",
    )
    _outputs(sub, ["text", "json", "csv", "html"])


def _init(sub: argparse.ArgumentParser) -> None:
    from ai_governance.scaffold import PRESETS

    sub.add_argument(
        "--preset", choices=sorted(PRESETS), default="default", help="the policy to start from"
    )
    sub.add_argument("--repo", metavar="URL", help="where the hooks and the Action come from")
    sub.add_argument("--rev", metavar="SHA", help="the full commit SHA to pin them to")
    sub.add_argument("--force", action="store_true", help="replace the policy and workflow")
    sub.add_argument(
        "--gitlab",
        action="store_true",
        help="write .gitlab-ci.yml including the GitLab template, not the GitHub workflow",
    )
    sub.add_argument("--dry-run", action="store_true", help="print what would be written")
    sub.add_argument(
        "--agents",
        nargs="?",
        const="all",
        metavar="LIST",
        help="also install the agent guardrail: all, or some of"
        " claude-code,codex,cursor,gemini,copilot",
    )


def _schema(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--output", metavar="PATH", help="write the schema to PATH instead of stdout")
    sub.add_argument("--tests", action="store_true", help="the schema of policy test files")


def _test(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="test files or folders (default: .ai-governance/tests/)",
    )
    _outputs(sub, ["text", "json", "junit"])
    _today(sub, "the date of cases that give none (default: today)")


def _agent_hook(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "agent", metavar="AGENT", help="claude-code, codex, cursor, gemini or copilot"
    )


def _fetch(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--policy", metavar="PATH", help="policy file (as for check)")


def _repositories(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("organisation", metavar="ORG", help="the GitHub organisation")
    sub.add_argument("--include-archived", action="store_true", help="archived ones too")
    sub.add_argument("--include-forks", action="store_true", help="forks too")
    sub.add_argument(
        "--at-most",
        type=int,
        metavar="N",
        help="fail when there are more (a GitHub Actions matrix runs at most 256 jobs)",
    )


# The command registry: name -> (help, its parser's builder); each is run by the module
# ai_governance.commands.NAME, imported only when that command runs.
SUBCOMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None]]] = {
    "validate": ("validate policy files (exit 2 when invalid)", _validate),
    "check": ("evaluate the policy on a change", _check),
    "hook": ("the pre-commit stages (used by .pre-commit-hooks.yaml)", _hook),
    "github": ("the GitHub Action: judge the pull request of GITHUB_EVENT_PATH", _github),
    "gitlab": ("the GitLab CI job: judge the merge request of this pipeline", _gitlab),
    "report": ("AI adoption and compliance from git history", _report),
    "schema": ("print the policy's JSON Schema, for editors and other tools", _schema),
    "init": ("write a policy, the pre-commit hooks and the workflow", _init),
    "test": ("run policy tests: changes and the result each rule must give", _test),
    "fetch": ("copy the pinned policies of other repositories the policy extends", _fetch),
    "repositories": ("list an organisation's repositories to report on, as JSON", _repositories),
    "agent-hook": ("an agent's pre-tool hook: refuse commands that skip git hooks", _agent_hook),
}


def parse(argv: list[str]) -> argparse.Namespace:
    """The namespace of ``argv``; for speed only the named command's parser is built."""
    return parser(argv[0] if argv and argv[0] in SUBCOMMANDS else None).parse_args(argv)


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
