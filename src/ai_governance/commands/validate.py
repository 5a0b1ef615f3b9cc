"""``ai-governance validate [POLICY...]``: every problem of every file, then exit 2."""

from __future__ import annotations

import argparse

from ai_governance.commands.common import root
from ai_governance.errors import PolicyError
from ai_governance.policy import load


def run(args: argparse.Namespace) -> int:
    files: list[str | None] = list(args.files) or [args.policy]
    problems: list[str] = []
    for name in files:
        try:
            policy = load.load(name, root(), use_cache=False)
        except PolicyError as exc:
            problems.extend(exc.problems)
            continue
        print(f"{policy.source}: valid policy `{policy.name}` ({len(policy.rules)} rules)")
    if problems:
        raise PolicyError(problems)
    return 0
