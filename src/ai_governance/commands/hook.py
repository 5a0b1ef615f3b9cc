"""``ai-governance hook STAGE``: the pre-commit stages, quiet when everything passes."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from ai_governance.change import Change
from ai_governance.commands.common import judge
from ai_governance.gather import local
from ai_governance.policy.model import Policy
from ai_governance.rules.needs import needs

if TYPE_CHECKING:
    import argparse


def run(args: argparse.Namespace) -> int:
    cwd = os.getcwd()
    if args.stage == "commit-msg":
        path: str = args.message_file
        return judge(
            args,
            lambda p: local.from_message_file(path, cwd, with_files=needs(p, "commit-msg").paths),
            quiet=True,
        )
    from ai_governance.scanners import select  # not on the commit-msg path
    from ai_governance.scanners.pool import PARALLEL_FROM, Pool

    paths: list[str] | None = list(args.files) or None
    python = [path for path in paths or () if select.by_name(path)]
    with Pool() as pool:

        def gather(policy: Policy) -> Change:
            cap = needs(policy, "pre-commit").content_bytes
            if cap is not None and python:
                # Bandit takes a fifth of a second to import: let forked scanners do it on
                # the other core while this process asks git for the staged files.
                pool.start(2 if len(python) >= PARALLEL_FROM else 1)
            return local.from_staged(cwd, paths=paths, max_bytes=cap)

        return judge(args, gather, quiet=True, scanner=pool)
