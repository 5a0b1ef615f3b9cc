"""``ai-governance validate [POLICY...]``: every problem of every file, then exit 2.

Warnings (valid but probably not meant, ``policy/lint.py``) are printed; ``--strict`` makes
them fail too."""

from __future__ import annotations

import argparse

from ai_governance.commands.common import root, today
from ai_governance.errors import PolicyError
from ai_governance.policy import lint, load


def run(args: argparse.Namespace) -> int:
    files: list[str | None] = list(args.files) or [args.policy]
    problems: list[str] = []
    strict: list[str] = []
    for name in files:
        try:
            policy, where, origins = load.inspect(name, root())
        except PolicyError as exc:
            problems.extend(exc.problems)
            continue
        advice = lint.warnings(policy, where, today(args))
        if args.strict and advice:
            strict += advice
            continue
        for line in advice:
            print(line)
        if args.effective:
            print(f"{policy.source}: the effective policy, each rule where it is stated:")
            for what, origin in origins or tuple(
                (f"rule {rule.id}", where(("rules", index)))
                for index, rule in enumerate(policy.rules)
            ):
                print(f"  {what}: {origin}")
        print(f"{policy.source}: valid policy `{policy.name}` ({len(policy.rules)} rules)")
    if problems or strict:
        raise PolicyError(problems + strict)
    return 0
