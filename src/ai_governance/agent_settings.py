"""What ``init --agents`` writes: each agent's pre-tool hook running ``agent-hook``.

Pure functions over text. A settings file that exists is merged into (its keys kept, our
entry added to the hook list), and left alone when it already runs our hook. The formats
are the agents' own (docs/agents.md says where each comes from).
"""

from __future__ import annotations

import json
from typing import Any

from ai_governance.errors import UsageError

COMMAND = "ai-governance agent-hook {agent}"
FILES = {  # agent -> (settings file, keys down to the hook list, our entry)
    "claude-code": (
        ".claude/settings.json",
        ("hooks", "PreToolUse"),
        {
            "matcher": "Bash|PowerShell",
            "hooks": [{"type": "command", "command": COMMAND, "timeout": 10}],
        },
    ),
    "codex": (
        ".codex/hooks.json",
        ("hooks", "PreToolUse"),
        {"matcher": "Bash", "hooks": [{"type": "command", "command": COMMAND, "timeout": 10}]},
    ),
    "cursor": (
        ".cursor/hooks.json",
        ("hooks", "beforeShellExecution"),
        {"command": COMMAND, "timeout": 10, "failClosed": True},
    ),
    "gemini": (
        ".gemini/settings.json",
        ("hooks", "BeforeTool"),
        {
            "matcher": "run_shell_command",
            "hooks": [
                {
                    "name": "ai-governance-guard",
                    "type": "command",
                    "command": COMMAND,
                    "timeout": 10000,  # milliseconds, in Gemini CLI
                }
            ],
        },
    ),
    "copilot": (
        ".github/hooks/ai-governance.json",
        ("hooks", "preToolUse"),
        {
            "type": "command",
            "bash": COMMAND,
            "powershell": COMMAND,
            "cwd": ".",
            "timeoutSec": 10,
        },
    ),
}
VERSIONED = {"cursor", "copilot"}  # their files start with "version": 1


def _filled(value: Any, agent: str) -> Any:
    if isinstance(value, dict):
        return {k: _filled(v, agent) for k, v in value.items()}
    if isinstance(value, list):
        return [_filled(v, agent) for v in value]
    return value.format(agent=agent) if isinstance(value, str) else value


def settings(agent: str, existing: str | None) -> str | None:
    """The agent's settings file with our hook in it; None when it already has it."""
    path, keys, entry = FILES[agent]
    command = COMMAND.format(agent=agent)
    if existing is not None and command in existing:
        return None
    try:
        data = json.loads(existing) if existing and existing.strip() else {}
    except ValueError as exc:
        raise UsageError(f"{path} is not valid JSON ({exc}); fix it and run init again") from None
    if not isinstance(data, dict):
        raise UsageError(f"{path} is not a JSON object; add our hook to it yourself")
    if agent in VERSIONED:
        data.setdefault("version", 1)
    node: Any = data
    for key in keys[:-1]:
        node = node.setdefault(key, {})
        if not isinstance(node, dict):
            raise UsageError(f"{path}: `{key}` is not an object; add our hook to it yourself")
    hooks = node.setdefault(keys[-1], [])
    if not isinstance(hooks, list):
        raise UsageError(f"{path}: `{keys[-1]}` is not a list; add our hook to it yourself")
    hooks.append(_filled(entry, agent))
    return json.dumps(data, indent=2) + "\n"
