"""The commit-msg hook (message -> verdict) against `python -c "import yaml"` and peers.

Budget (DESIGN.md): at most 1.5x the floor. Peers, when installed (`pip install -e '.[bench]'`):
commit-check with AI attribution required, and gitlint. Each command runs in a real
repository with the environment git gives a commit-msg hook.
"""

from __future__ import annotations

import compileall
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import ai_governance
from benchmarks import timing

MESSAGE = (
    "Add a cache for parsed policies\n\nKeeps the hook fast.\n\n"
    "Co-Authored-By: Claude Opus 4.6 <noreply@anthropic.com>\nAssisted-by: Claude Code\n"
)
BUDGET = 1.0  # issue 14: at or below `python -c "import yaml"`


def tool(name: str) -> str | None:
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else shutil.which(name)


def run(runs: int) -> dict[str, object]:
    # pip compiles an installed package; an editable checkout gets the same here.
    compileall.compile_dir(str(Path(ai_governance.__file__).parent), quiet=1)
    with tempfile.TemporaryDirectory() as folder:
        repo = Path(folder)
        env = {
            **os.environ,
            "GIT_AUTHOR_NAME": "Bench Mark",
            "GIT_AUTHOR_EMAIL": "bench@example.com",
            "GIT_AUTHOR_DATE": "@1700000000 +0000",
            "GIT_EDITOR": ":",
            "GIT_INDEX_FILE": ".git/index",
            "AI_GOVERNANCE_CACHE": str(repo / "cache"),
        }
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
        message = repo / ".git" / "COMMIT_EDITMSG"
        message.write_text(MESSAGE)
        ours = [tool("ai-governance") or "ai-governance", "hook", "commit-msg", str(message)]
        for expected, text in (
            (1, MESSAGE.replace("Assisted-by: Claude Code\n", "")),
            (0, MESSAGE),
        ):
            message.write_text(text)  # also warms the validated-policy cache
            code = subprocess.run(
                ours, cwd=repo, env=env, capture_output=True, check=False
            ).returncode
            if code != expected:
                raise SystemExit(f"ai-governance exited {code}, expected {expected}: not measured")
        commands: dict[str, list[str]] = {
            "python -c 'import yaml'": [sys.executable, "-c", "import yaml"],
            "ai-governance": ours,
        }
        if commit_check := tool("commit-check"):
            commands["commit-check (disclose)"] = [
                commit_check,
                "-m",
                "--ai-attribution",
                "disclose",
                "--no-banner",
                str(message),
            ]
        if gitlint := tool("gitlint"):
            commands["gitlint"] = [gitlint, "--msg-filename", str(message)]
        medians = timing.median_ms(commands, runs=runs, cwd=repo, env=env)
        stages = _stages(repo, env, runs)
    floor = "python -c 'import yaml'"
    print(
        timing.table(f"commit-msg hook, median of {runs} interleaved runs", medians, floor, BUDGET)
    )
    return {
        "benchmark": "commit-msg",
        "runs": runs,
        "median_ms": medians,
        "ratio_to_floor": {k: v / medians[floor] for k, v in medians.items()},
        "budget": BUDGET,
        "stages": stages,
        "machine": timing.machine(),
    }


UNDISCLOSED = MESSAGE.replace("Assisted-by: Claude Code\n", "")


def _stages(repo: Path, env: dict[str, str], runs: int) -> dict[str, object]:
    """prepare-commit-msg against commit-msg on the same undisclosed AI message (each run
    starts from a fresh copy: prepare writes the disclosure into it), and the cost of the
    AI-threshold scan at commit-msg against bare Bandit on the staged file."""
    exe = tool("ai-governance") or "ai-governance"
    (repo / "template").write_text(UNDISCLOSED)
    fresh = "cp template .git/MSG && exec "
    commands = {
        "commit-msg": ["sh", "-c", f"{fresh}{exe} hook commit-msg .git/MSG"],
        "ai-governance": ["sh", "-c", f"{fresh}{exe} hook prepare-commit-msg .git/MSG message"],
    }
    prepared = timing.median_ms(commands, runs=runs, cwd=repo, env=env)
    print(
        timing.table(
            "prepare-commit-msg (adds the disclosure) against commit-msg, same message",
            {"prepare-commit-msg": prepared["ai-governance"], **prepared},
            "commit-msg",
            1.0,
        )
    )
    (repo / "tool.py").write_text("import subprocess\nsubprocess.call(['ls'])\n")
    subprocess.run(["git", "add", "tool.py"], cwd=repo, env=env, check=True)
    (repo / ".git" / "AI").write_text(MESSAGE)  # disclosed: only the scan can fail it
    (repo / ".git" / "HUMAN").write_text("Add a tool\n")
    bandit = tool("bandit") or "bandit"
    scans = timing.median_ms(
        {
            "bandit tool.py": [bandit, "-q", "tool.py"],
            "ai-governance": [exe, "hook", "commit-msg", ".git/AI"],
            "commit-msg, AI, re-run (cached)": [exe, "hook", "commit-msg", ".git/AI"],
            "commit-msg, person": [exe, "hook", "commit-msg", ".git/HUMAN"],
        },
        runs=runs,
        cwd=repo,
        env=env,
        envs={"ai-governance": {"AI_GOVERNANCE_SCAN_CACHE": "0"}},  # every run scans
    )
    print(
        timing.table(
            "commit-msg of an AI commit with one staged Python file (scanned at the AI"
            " thresholds) against bare Bandit on that file",
            {"commit-msg, AI (scans)": scans["ai-governance"], **scans},
            "bandit tool.py",
            None,
        )
    )
    return {"prepare_vs_commit_msg": prepared, "ai_threshold_scan": scans}
