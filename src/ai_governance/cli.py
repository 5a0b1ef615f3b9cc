"""The command line: the one error boundary and the table of exit codes.

0 pass, 1 violations (or a rule that could not be verified), 2 usage or policy error,
3 internal error, 130 interrupted. Nothing below this module exits or prints.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from types import SimpleNamespace

from ai_governance import __version__
from ai_governance.errors import GovernanceError, PolicyError, UsageError

TYPE_CHECKING = False  # typing's own import costs the hooks a tenth of their start-up

if TYPE_CHECKING:
    import argparse


_HOOK_FLAGS = {"--policy": "policy", "--today": "today"}


def _namespace(quick: SimpleNamespace) -> argparse.Namespace:
    """``quick`` has the attributes argparse would give (tests compare both)."""
    return quick  # type: ignore[return-value]


def quick_agent_args(argv: list[str]) -> argparse.Namespace | None:
    """``agent-hook AGENT``: it runs before every shell command an agent makes."""
    if len(argv) == 2 and argv[0] == "agent-hook" and not argv[1].startswith("-"):
        return _namespace(SimpleNamespace(command="agent_hook", agent=argv[1]))
    return None


def quick_hook_args(argv: list[str]) -> argparse.Namespace | None:
    """``hook commit-msg [--policy P] [--today D] [--no-color] FILE`` (and ``hook
    prepare-commit-msg ... FILE [SOURCE [SHA]]``, ``hook pre-commit ... [FILE...]``)
    without building argparse.

    These hooks run on every commit and argparse's set-up is a fifth of their budget.
    Anything else (help, other options, errors) returns None and goes to the full parser;
    tests check that both give the same namespace.
    """
    stages = (["commit-msg"], ["prepare-commit-msg"], ["pre-commit"])
    if argv[:1] != ["hook"] or argv[1:2] not in stages:
        return None
    stage = argv[1]
    most = {"prepare-commit-msg": 3, "commit-msg": 1}.get(stage, len(argv))
    values: dict[str, object] = {"policy": None, "today": None, "no_color": False}
    rest = argv[2:]
    files: list[str] = []
    closed = False  # pre-commit's files are one run: argparse refuses a file after an option
    while rest:
        word = rest.pop(0)
        if word in _HOOK_FLAGS and rest and not rest[0].startswith("-"):
            values[_HOOK_FLAGS[word]] = rest.pop(0)
            closed = bool(files) and stage == "pre-commit"
        elif word == "--no-color":
            values["no_color"] = True
            closed = bool(files) and stage == "pre-commit"
        elif word.startswith("-") or len(files) >= most or closed:
            return None
        else:
            files.append(word)
    if not files and stage != "pre-commit":
        return None
    if values["today"] is not None:
        import datetime  # only when asked: a hook rarely is

        try:
            values["today"] = datetime.date.fromisoformat(str(values["today"]))
        except ValueError:
            return None  # the full parser says what is wrong
    if stage == "prepare-commit-msg":
        padded: list[str | None] = [*files, None, None]
        values.update(source=padded[1], sha=padded[2])
    named = {"files": files} if stage == "pre-commit" else {"message_file": files[0]}
    quick = SimpleNamespace(
        command="hook", stage=stage, formats=None, outputs=None, **named, **values
    )
    return _namespace(quick)


_REPORT_VALUES = {  # option -> (attribute, the values it takes, or None for any)
    "--policy": ("policy", None),
    "--since": ("since", None),
    "--until": ("until", None),
    "--today": ("today", None),
    "--by": ("by", ("month", "team", "author", "tool")),
    "--pilot": ("pilot", None),
    "--tz": ("tz", None),
    "--baseline": ("baseline", None),
    "--churn-days": ("churn_days", None),
    "--repository": ("repository", None),
    "--format": ("formats", ("text", "json", "csv", "html")),
    "--output": ("outputs", None),
}
_REPORT_FLAGS = {"--no-merges": "no_merges", "--churn": "churn"}


def quick_report_args(argv: list[str]) -> argparse.Namespace | None:
    """``report [REVISION...] [options]`` without building argparse, whose set-up (and the
    modules it pulls in) is a tenth of a report on a large history. The same attributes as
    argparse's; anything unusual (``--merge``, ``--opt=value``, help, a value argparse
    would refuse) returns None and goes to the full parser, which says what is wrong.
    Tests check that both give the same namespace."""
    if argv[:1] != ["report"]:
        return None
    values: dict[str, object] = {name: None for name, _ in _REPORT_VALUES.values()}
    values |= {"merge": None, "no_merges": False, "churn": False, "revisions": []}
    rest = argv[1:]
    while rest:
        word = rest.pop(0)
        if word in _REPORT_FLAGS:
            values[_REPORT_FLAGS[word]] = True
        elif word in _REPORT_VALUES:
            name, choices = _REPORT_VALUES[word]
            if not rest or rest[0].startswith("-") or (choices and rest[0] not in choices):
                return None
            value = rest.pop(0)
            if name in ("formats", "outputs"):
                values[name] = [*(values[name] or []), value]  # type: ignore[misc]
            else:
                values[name] = value
        elif word.startswith("-"):
            return None
        else:
            values["revisions"].append(word)  # type: ignore[attr-defined]
    if not _typed(values):
        return None
    return _namespace(SimpleNamespace(command="report", **values))


def _typed(values: dict[str, object]) -> bool:
    """Convert the report's typed values in place as argparse would; False when argparse
    would refuse one."""
    days = values["churn_days"]
    if days is not None:
        if not (isinstance(days, str) and days.isdigit() and 1 <= int(days) <= 3660):
            return False
        values["churn_days"] = int(days)
    dated = [name for name in ("today", "baseline") if values[name] is not None]
    if dated:
        import datetime  # only when asked

        for name in dated:
            try:
                values[name] = datetime.date.fromisoformat(str(values[name]))
            except ValueError:
                return False
    return True


def _run(argv: Sequence[str] | None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = quick_hook_args(argv) or quick_agent_args(argv) or quick_report_args(argv)
    if args is None:
        from ai_governance import arguments

        args = arguments.parse(argv)
    if args.command == "hook" and args.stage == "pre-commit" and args.files:
        return _pre_commit(args)
    if args.command == "hook" and args.stage in ("commit-msg", "prepare-commit-msg"):
        return _message_stage(args)
    name = f"ai_governance.commands.{args.command.replace('-', '_')}"
    __import__(name)  # not importlib: its package imports warnings, for every hook
    run: Callable[[argparse.Namespace], int] = sys.modules[name].run
    return run(args)


def _message_stage(args: argparse.Namespace) -> int:
    """The commit-msg and prepare-commit-msg hooks: git reads the message's settings
    (``commit.cleanup``, ``core.commentChar``) while this process imports the tool."""
    import os

    from ai_governance.gather import local

    settings = local.begin_settings(os.getcwd())
    from ai_governance.commands import hook

    return hook.run(args, settings=settings)


def _pre_commit(args: argparse.Namespace) -> int:
    """The pre-commit hook on staged files. When some are Python by name, the scanner
    processes are forked first, before this process imports the rest of the tool: each
    imports Bandit (a fifth of a second) on the other core meanwhile. Should no rule scan,
    or every result be cached, they are killed unused. Not when the same files were
    scanned from the same index before (a retried commit): their results are cached, and
    a scanner is forked later for any that is not."""
    import os

    from ai_governance.scanners import cache
    from ai_governance.scanners.pool import PARALLEL_FROM, Pool

    python = sum(1 for path in args.files if path.lower().endswith((".py", ".pyw")))
    cwd = os.getcwd()
    known = bool(python) and cache.likely_known(cwd, args.files)
    listing = ready = None
    with Pool() as pool:
        if python and not known:
            pool.start(2 if python >= PARALLEL_FROM else 1)
        elif known:  # git lists and reads the staged files while the tool is imported
            from ai_governance.gather import local

            listing = local.staged_listing(cwd)
            ready = local.prefetch_staged(cwd, args.files)
        from ai_governance.commands import hook

        code = hook.run(args, pool=pool, early=not known, listing=listing, ready=ready)
    if python and not known:
        cache.remember(cwd, args.files)
    return code


def _say(text: str) -> None:
    """One line of the error boundary on stderr, which a CI log shows as it shows stdout:
    inert there as every report is (a path or a message may quote a change's text)."""
    import os

    text += "\n"
    if os.environ.get("GITHUB_ACTIONS") == "true":
        from ai_governance.reporters import as_github

        text = as_github.inert(text)
    if os.environ.get("GITLAB_CI") == "true":
        from ai_governance.reporters import as_gitlab

        text = as_gitlab.inert(text)
    sys.stderr.write(text)


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    try:
        return _run(argv)
    except KeyboardInterrupt:
        print("ai-governance: interrupted", file=sys.stderr)
        return 130
    except SystemExit as exc:  # arguments: --help, --version, bad arguments
        return exc.code if isinstance(exc.code, int) else 2
    except PolicyError as exc:
        for problem in exc.problems:
            _say(problem)
        _say(f"ai-governance: {len(exc.problems)} policy problem(s); nothing was judged")
        return exc.exit_code
    except UsageError as exc:
        _say(f"ai-governance: usage error: {exc}")
        return exc.exit_code
    except GovernanceError as exc:
        _say(f"ai-governance: error: {exc}")
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
