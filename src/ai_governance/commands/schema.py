"""``ai-governance schema``: the policy's JSON Schema, exactly as the package validates with.

Editors read it through the ``yaml-language-server`` comment (docs/policy.md says how); its
``$id`` is a URN, so no tool is sent to a URL that serves nothing.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from ai_governance.commands.common import write
from ai_governance.resources import data_file

if TYPE_CHECKING:
    import argparse


def run(args: argparse.Namespace) -> int:
    name = "policy-test.schema.json" if args.tests else "policy.schema.json"
    text = data_file(name).decode("utf-8")
    if args.output:
        write(args.output, text)
    else:
        sys.stdout.write(text)
    return 0
