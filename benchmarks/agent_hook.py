"""The agent guardrail, which runs before every shell command an agent makes, against
Python's own start-up (`python -c pass`) and against a start-up that loads what any JSON
reading program loads (`python -c "import json"`). Both read the same hook input on stdin.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

from benchmarks import timing
from benchmarks.commit_msg import tool

PAYLOAD = {
    "session_id": "abc123",
    "cwd": ".",
    "hook_event_name": "PreToolUse",
    "tool_name": "Bash",
    "tool_input": {"command": "git commit -m 'Add a cache' && git push"},
}


def run(runs: int) -> dict[str, object]:
    exe = tool("ai-governance") or "ai-governance"
    with tempfile.TemporaryDirectory() as folder:
        repo = Path(folder)
        (repo / "input.json").write_text(json.dumps(PAYLOAD))
        feed = "exec {} < input.json"
        commands = {
            "python -c pass": ["sh", "-c", feed.format(f"{sys.executable} -c pass")],
            "python -c 'import json'": [
                "sh",
                "-c",
                feed.format(f"{sys.executable} -c 'import json'"),
            ],
            "ai-governance": ["sh", "-c", feed.format(f"{exe} agent-hook claude-code")],
        }
        medians = timing.median_ms(commands, runs=runs, cwd=repo, env=dict(os.environ))
    print(
        timing.table(
            f"agent-hook (allows the command), median of {runs} interleaved runs",
            medians,
            "python -c pass",
            None,
        )
    )
    return {
        "benchmark": "agent-hook",
        "runs": runs,
        "median_ms": medians,
        "ratio_to_floor": {k: v / medians["python -c pass"] for k, v in medians.items()},
        "machine": timing.machine(),
    }
