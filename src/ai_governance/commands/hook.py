"""``ai-governance hook STAGE``: the pre-commit stages, quiet when everything passes."""

from __future__ import annotations

import os

from ai_governance.change import Change
from ai_governance.commands.common import judge
from ai_governance.gather import git, local
from ai_governance.policy.model import Policy
from ai_governance.rules.needs import needs

TYPE_CHECKING = False  # typing itself costs a hook start-up 2.4 ms

if TYPE_CHECKING:
    import argparse

    from ai_governance.scanners.pool import Pool


SOURCES = ("", "message", "template", "merge", "squash", "commit")  # git's $2, githooks(5)


def prepare(args: argparse.Namespace, cwd: str, settings: git.Pending | None = None) -> int:
    """``hook prepare-commit-msg FILE [SOURCE [SHA]]``: add what the rules can fix (the
    disclosure) to the message file, and say what was added. Every SOURCE gets the same
    judgement, on the message git prepared: a -m/-F message, a template, a merge or squash
    message (the folded commits' trailers are evidence), an amended commit's own message,
    or nothing yet (then the agent session's variables are the evidence)."""
    import sys

    from ai_governance import engine
    from ai_governance.commands.common import root
    from ai_governance.policy import load

    path: str = args.message_file
    read = local.read_message_file(path, cwd, settings)  # first: it ends ``settings``
    source = (
        args.source
        if args.source is not None
        else os.environ.get("PRE_COMMIT_COMMIT_MSG_SOURCE", "")
    )
    if source not in SOURCES:
        from ai_governance.errors import UsageError

        raise UsageError(f"prepare-commit-msg source {source!r}: git passes one of {SOURCES[1:]}")
    policy = load.load(args.policy, root())
    change = local.from_message_file(
        path, cwd, with_files=needs(policy, "commit-msg").paths, read=read
    )
    comment = read.settings.comment
    fixed, notes = engine.prepare(policy, change, args.today, read.text, comment)
    if fixed != read.text:
        with open(path, "wb") as handle:
            handle.write(fixed.encode(read.encoding, "surrogateescape"))
    for note in notes:
        sys.stdout.write(f"ai-governance: {note}\n")
    return 0


def _may_show_ai(policy: Policy, text: str) -> bool:
    """Whether the message file's ``text`` holds one of the policy's markers' needles, or
    an agent's session variable is set: only a guess of what ``evidence_of`` will say (it
    decides), to start git early where it is likely to be asked."""
    from ai_governance.detect.markers import candidates
    from ai_governance.engine import markers_of

    markers = markers_of(policy)
    return any(m.needles for m in candidates(markers, text.lower())) or any(
        m.env and os.environ.get(m.env) for m in markers
    )


def run(
    args: argparse.Namespace,
    pool: Pool | None = None,
    *,
    early: bool = True,
    listing: git.Pending | None = None,
    ready: git.Prefetch | None = None,
    settings: git.Pending | None = None,
) -> int:
    """``early``: start scanners while the staged files are read (not when their results
    are most likely cached: then a scanner is started only for a file that is not).
    ``listing`` and ``ready``: the pre-commit stage's staged listing and contents, begun
    already (``local.staged_listing``, ``local.prefetch_staged``); ``settings``: the message
    stages' reading of the message settings (``local.begin_settings``), ended by reading the
    message file before anything else. Each is ended here whatever happens."""
    cwd = os.getcwd()
    if args.stage == "prepare-commit-msg":
        return prepare(args, cwd, settings)
    if args.stage == "commit-msg":
        path: str = args.message_file
        read = local.read_message_file(path, cwd, settings)  # first: it ends ``settings``

        def message(policy: Policy) -> Change:
            """The commit being made; with its staged content only when a rule scans at
            this stage (stricter thresholds for AI) and the commit shows AI: a person's
            commit costs no Bandit here. When the message holds a marker's needle, git
            lists the staged files while the commit's identities are read."""
            need = needs(policy, "commit-msg")
            started = None
            if need.content_bytes is not None and _may_show_ai(policy, read.text):
                started = local.staged_listing(cwd)
            try:
                change = local.from_message_file(path, cwd, with_files=need.paths, read=read)
                if need.content_bytes is None:
                    return change
                from ai_governance.engine import evidence_of

                if not evidence_of(policy, change):
                    return change
                staged = local.from_staged(cwd, max_bytes=need.content_bytes, started=started)
                started = None
                return change._replace(files=staged.files)
            finally:
                if started is not None:
                    git.discard(started)

        return judge(args, message, quiet=True)
    from ai_governance.scanners import select  # not on the commit-msg path
    from ai_governance.scanners.pool import PARALLEL_FROM
    from ai_governance.scanners.pool import Pool as Own

    paths: list[str] | None = list(args.files) or None
    python = [path for path in paths or () if select.by_name(path)]
    with Own() as own:
        scanner = pool or own

        def gather(policy: Policy) -> Change:
            nonlocal listing, ready
            cap = needs(policy, "pre-commit").content_bytes
            if cap is not None and python and early:
                # Bandit takes a fifth of a second to import: let forked scanners do it on
                # the other core while this process asks git for the staged files (the
                # command line has usually started them already: cli._pre_commit).
                scanner.start(2 if len(python) >= PARALLEL_FROM else 1)
            (started, listing), (contents, ready) = (listing, None), (ready, None)
            return local.from_staged(
                cwd, paths=paths, max_bytes=cap, started=started, ready=contents
            )

        try:
            return judge(args, gather, quiet=True, scanner=scanner)
        finally:  # the policy failed to load: nothing was gathered
            if listing is not None:
                git.discard(listing)
            if ready is not None:
                git.prefetched(ready)
