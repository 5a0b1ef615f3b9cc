"""Each agent's pre-tool hook protocol: where the command is in its input, and how to say no.

One program serves every agent (Cursor and VS Code also run Claude Code's hooks), so the
shape of the input decides how it is read; the agent named on the command line decides how
the answer is written, because only that agent's own reply format blocks a call (an exit
code of 1 never does, and Copilot ignores exit codes entirely). Allowing is saying nothing
(Cursor wants ``{}`` on every path). Input that cannot be read is refused, in the agent's
format: a guard that cannot read the command does not wave it through.
"""

from __future__ import annotations

import json

TYPE_CHECKING = False  # no typing at run time: this runs before every agent command
if TYPE_CHECKING:
    from typing import Any

AGENTS = ("claude-code", "codex", "cursor", "gemini", "copilot")
ALIASES = {"gemini-cli": "gemini", "copilot-cli": "copilot", "claude": "claude-code"}
SHELL_TOOLS = {"bash", "powershell", "monitor", "shell", "run_shell_command", "runterminalcommand"}


def read(raw: bytes) -> tuple[str | None, str | None]:
    """(the shell command an agent is about to run, or None when the tool runs none; the
    folder it runs in, when said) from any agent's hook input; ValueError otherwise."""
    data: Any = json.loads(raw.decode("utf-8-sig"))  # Cursor may write a byte-order mark
    if not isinstance(data, dict):
        raise ValueError("the hook input is not a JSON object")
    cwd = data.get("cwd") if isinstance(data.get("cwd"), str) else None
    if isinstance(data.get("command"), str):  # Cursor beforeShellExecution
        return data["command"], cwd
    if "toolName" in data:  # Copilot CLI, camelCase: toolArgs is a JSON string or an object
        args = data.get("toolArgs")
        args = json.loads(args) if isinstance(args, str) else args
        return _tool(str(data["toolName"]), args, cwd)
    if "tool_name" in data:
        args = data.get("tool_input")
        command, _ = _tool(str(data["tool_name"]), args, cwd)
        if command is not None and isinstance(args, dict):
            where = args.get("dir_path") or args.get("working_directory")  # Gemini, Cursor
            return command, where if isinstance(where, str) else cwd
        return command, cwd
    raise ValueError("the hook input names no tool and no command")


def _tool(name: str, args: Any, cwd: str | None) -> tuple[str | None, str | None]:
    if name.lower() not in SHELL_TOOLS:
        return None, cwd
    command = args.get("command") if isinstance(args, dict) else None
    if not isinstance(command, str):
        raise ValueError(f"the {name} call carries no command string")
    return command, cwd


def deny(agent: str, reason: str) -> tuple[str, int]:
    """(stdout, exit code) that blocks the call in ``agent``'s protocol."""
    out: dict[str, Any]
    if agent in ("claude-code", "codex"):
        out = {
            "hookSpecificOutput": {
                "hookEventName": "PreToolUse",
                "permissionDecision": "deny",
                "permissionDecisionReason": reason,
            }
        }
    elif agent == "gemini":
        out = {"decision": "deny", "reason": reason}
    elif agent == "cursor":
        out = {"permission": "deny", "user_message": reason, "agent_message": reason}
    else:  # copilot
        out = {"permissionDecision": "deny", "permissionDecisionReason": reason}
    return json.dumps(out) + "\n", 0


def allow(agent: str) -> tuple[str, int]:
    return ("{}\n" if agent == "cursor" else ""), 0
