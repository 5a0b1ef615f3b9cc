"""``ai-governance agent-hook AGENT``: an agent's pre-tool hook that refuses shell commands
that would skip the repository's git hooks, and tells the agent what to do instead.

It runs before every shell command an agent makes, so it imports nothing it does not need:
no policy, no argparse. Repository aliases are read from git only when a command runs a
git subcommand that git itself does not have.
"""

from __future__ import annotations

import sys

from ai_governance.guard import agents, shell

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse

INSTEAD = (
    "Run it without skipping the hooks. If a hook refuses the commit, fix what it names"
    " (for example add the `Assisted-by:` trailer it shows, or the security finding) and"
    " commit again; the hooks are the repository's rules, and CI applies them anyway."
)


def _aliases(cwd: str | None) -> shell.Aliases:
    def alias(name: str) -> str | None:
        import os
        import re

        from ai_governance.errors import GitError
        from ai_governance.gather import git  # only for a subcommand git does not have

        try:
            found = git.config(f"^alias\\.{re.escape(name)}$", cwd or os.getcwd())
        except GitError:
            return None
        return found[-1][1] if found else None

    return alias


def decide(agent: str, raw: bytes) -> tuple[str, int]:
    """(stdout, exit code) for the hook input ``raw``."""
    try:
        command, cwd = agents.read(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        return agents.deny(agent, f"ai-governance could not read the hook input ({exc})")
    if command is None:
        return agents.allow(agent)
    found = shell.reasons(command, _aliases(cwd))
    if not found:
        return agents.allow(agent)
    because = "; ".join(dict.fromkeys(found))
    return agents.deny(agent, f"ai-governance refused this command: {because}. {INSTEAD}")


def run(args: argparse.Namespace) -> int:
    agent = agents.ALIASES.get(args.agent, args.agent)
    if agent not in agents.AGENTS:
        from ai_governance.errors import UsageError

        raise UsageError(f"agent {args.agent!r}: choose {', '.join(agents.AGENTS)}")
    out, code = decide(agent, sys.stdin.buffer.read())
    sys.stdout.write(out)
    return code
