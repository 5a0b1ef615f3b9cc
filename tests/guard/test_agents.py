"""Each agent's real hook input is read, and the answer is written in that agent's own
protocol (the only form that blocks there); unreadable input is refused, not waved through."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES

from ai_governance.commands.agent_hook import decide

PAYLOADS = FIXTURES / "agent-hooks"
AGENT_OF = {
    "claude-code": "claude-code",
    "codex": "codex",
    "cursor": "cursor",
    "gemini-cli": "gemini",
    "copilot-cli": "copilot",
}
BAD = "git commit -nm 'Add cache'"


def with_command(path: Path, command: str) -> bytes:
    data: dict[str, Any] = json.loads(path.read_text())
    if "toolArgs" in data:
        data["toolArgs"] = json.dumps({**json.loads(data["toolArgs"]), "command": command})
    elif "tool_input" in data:
        data["tool_input"]["command"] = command
    else:
        data["command"] = command
    return json.dumps(data).encode()


def agent(path: Path) -> str:
    return AGENT_OF[path.name.split(".")[0]]


@pytest.mark.parametrize("path", sorted(PAYLOADS.glob("*.json")), ids=lambda p: p.name)
def test_every_real_payload_allows_git_status_and_refuses_a_skip(path: Path) -> None:
    name = agent(path)
    assert decide(name, path.read_bytes()) == ("{}\n" if name == "cursor" else "", 0)
    out, code = decide(name, with_command(path, BAD))
    assert code == 0
    reply = json.loads(out)
    reason = (
        "ai-governance refused this command: `git commit --no-verify` skips the repository's"
        " hooks. Run it without skipping the hooks. If a hook refuses the commit, fix what it"
        " names (for example add the `Assisted-by:` trailer it shows, or the security finding)"
        " and commit again; the hooks are the repository's rules, and CI applies them anyway."
    )
    assert (
        reply
        == {
            "claude-code": {
                "hookSpecificOutput": {
                    "hookEventName": "PreToolUse",
                    "permissionDecision": "deny",
                    "permissionDecisionReason": reason,
                }
            },
            "codex": {
                "hookSpecificOutput": {
                    "hookEventName": "PreToolUse",
                    "permissionDecision": "deny",
                    "permissionDecisionReason": reason,
                }
            },
            "gemini": {"decision": "deny", "reason": reason},
            "cursor": {"permission": "deny", "user_message": reason, "agent_message": reason},
            "copilot": {"permissionDecision": "deny", "permissionDecisionReason": reason},
        }[name]
    )


def test_copilot_tool_args_may_be_an_object_and_cursor_may_send_a_bom() -> None:
    data = json.loads((PAYLOADS / "copilot-cli.pretooluse.json").read_text())
    data["toolArgs"] = {"command": BAD}
    assert json.loads(decide("copilot", json.dumps(data).encode())[0])["permissionDecision"] == (
        "deny"
    )
    bom = b"\xef\xbb\xbf" + with_command(PAYLOADS / "cursor.beforeshellexecution.docs.json", BAD)
    assert json.loads(decide("cursor", bom)[0])["permission"] == "deny"


def test_other_tools_are_not_judged() -> None:
    data = json.loads((PAYLOADS / "claude-code.pretooluse.bash.json").read_text())
    data.update(tool_name="Write", tool_input={"file_path": ".git/hooks/x", "content": ""})
    assert decide("claude-code", json.dumps(data).encode()) == ("", 0)


@pytest.mark.parametrize(
    "raw",
    [b"", b"not json", b"[]", b'{"hook_event_name": "PreToolUse"}', b'{"tool_name": "Bash"}'],
)
def test_input_that_cannot_be_read_is_refused_in_the_agents_format(raw: bytes) -> None:
    out, code = decide("gemini", raw)
    reply = json.loads(out)
    assert (code, reply["decision"]) == (0, "deny")
    assert reply["reason"].startswith("ai-governance could not read the hook input (")


def test_the_command_line_reads_stdin_and_names_the_agents() -> None:
    payload = with_command(PAYLOADS / "gemini-cli.beforetool.run_shell_command.json", BAD)
    done = subprocess.run(
        [sys.executable, "-m", "ai_governance", "agent-hook", "gemini-cli"],
        input=payload,
        capture_output=True,
        check=False,
    )
    assert (done.returncode, json.loads(done.stdout)["decision"]) == (0, "deny")
    unknown = subprocess.run(
        [sys.executable, "-m", "ai_governance", "agent-hook", "windsurf"],
        input=payload.decode(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert (unknown.returncode, unknown.stderr) == (
        2,
        "ai-governance: usage error: agent 'windsurf': choose claude-code, codex, cursor,"
        " gemini, copilot\n",
    )
