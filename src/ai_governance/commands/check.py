"""``ai-governance check``: a commit message, the staged change, a range, or a PR event."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from ai_governance.commands.common import emit, judge
from ai_governance.gather import local
from ai_governance.rules.needs import needs

if TYPE_CHECKING:
    import argparse


def run(args: argparse.Namespace) -> int:
    cwd = os.getcwd()
    if args.commit_msg is not None:
        path: str = args.commit_msg
        return judge(
            args,
            lambda p: local.from_message_file(path, cwd, with_files=needs(p, "commit-msg").paths),
            quiet=False,
        )
    if args.github_event is not None:
        from ai_governance.commands import github

        return emit(github.check_event(args), args)
    if args.staged:
        return judge(
            args,
            lambda p: local.from_staged(cwd, max_bytes=needs(p, "pre-commit").content_bytes),
            quiet=False,
        )
    spec: str = args.range or "HEAD"
    return judge(
        args,
        lambda p: local.from_range(spec, cwd, max_bytes=needs(p, "range").content_bytes),
        quiet=False,
    )
