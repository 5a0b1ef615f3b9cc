"""The pre-commit scan of N staged files against bare `bandit -f json` on the same files.

Budget (DESIGN.md): at most 1.1x bare Bandit for one file, at most 0.7x for 100 or more
(both cores). DESIGN.md measured "about 26 ms a typical file"; the corpus is real code of
that kind: the standard library's top-level modules of 200 to 500 lines (always installed),
cycled to N and staged in a real repository. The per-file cost is printed with the table.
"""

from __future__ import annotations

import compileall
import os
import subprocess
import sysconfig
import tempfile
from pathlib import Path

import ai_governance
from benchmarks import timing
from benchmarks.commit_msg import tool

STDLIB = Path(sysconfig.get_paths()["stdlib"])
POLICY = (
    "version: 1\nname: bench\nrules:\n  - id: bandit\n    kind: security-scan\n"
    "    severity: low\n    confidence: low\n    new_only: false\n    on_error: warn\n"
)
BUDGETS = {1: 1.1, 100: 0.7}


def _repo(folder: Path, count: int, env: dict[str, str]) -> list[str]:
    corpus = sorted(p for p in STDLIB.glob("*.py") if 200 <= p.read_bytes().count(b"\n") <= 500)
    names = []
    for index in range(count):
        source = corpus[index % len(corpus)]
        name = f"pkg{index // 50}/m{index}_{source.name}"
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(source.read_bytes())
        names.append(name)
    subprocess.run(["git", "init", "-q"], cwd=folder, check=True, env=env)
    subprocess.run(["git", "add", "-A"], cwd=folder, check=True, env=env)
    return names


def run(runs: int) -> list[dict[str, object]]:
    compileall.compile_dir(str(Path(ai_governance.__file__).parent), quiet=1)
    bandit = tool("bandit") or "bandit"
    results: list[dict[str, object]] = []
    first: dict[str, float] = {}
    for count, budget in BUDGETS.items():
        with tempfile.TemporaryDirectory() as name:
            folder = Path(name)
            env = {**os.environ, "AI_GOVERNANCE_CACHE": str(folder / ".cache")}
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            files = _repo(folder, count, env)
            policy = folder / ".git" / "bench-policy.yml"
            policy.write_text(POLICY)
            ours = [
                tool("ai-governance") or "ai-governance",
                "hook",
                "pre-commit",
                "--policy",
                str(policy),
                *files,
            ]
            commands = {
                "bandit -f json": [bandit, "-f", "json", "-q", *files],
                "ai-governance": ours,
            }
            rounds = max(3, runs // 8) if count > 1 else runs
            subprocess.run(ours, cwd=folder, env=env, capture_output=True, check=False)  # cache
            medians = timing.median_ms(commands, runs=rounds, cwd=folder, env=env)
        title = f"pre-commit scan of {count} staged file(s), median of {rounds} interleaved runs"
        print(timing.table(title, medians, "bandit -f json", budget))
        if first:
            per_file = (medians["bandit -f json"] - first["bandit -f json"]) / (count - 1)
            print(f"  bare Bandit: {per_file:.1f} ms a file after the first")
        first = medians
        results.append(timing.record(f"scan-{count}", rounds, medians, "bandit -f json", budget))
    return results
