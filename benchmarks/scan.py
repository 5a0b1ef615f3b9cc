"""The pre-commit scan of N staged files against bare `bandit -f json` on the same files:
cold (nothing cached: every file is scanned) and warm (a re-scan of the same staged files,
whose results the scan cache holds, as when a refused commit is retried).

Budgets (issue 14): cold at most 1.0x bare Bandit for one file and 0.6x for 100 (both
cores); warm at most 0.2x for one file and 0.1x for 100. DESIGN.md measured "about 26 ms
a typical file"; the corpus is real code of that kind: the standard library's top-level
modules of 200 to 500 lines (always installed), cycled to N and staged in a real
repository. The per-file cost is printed with the table.
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
BUDGETS = {1: (1.0, 0.2), 100: (0.6, 0.1)}  # files: (cold, warm)


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
    for count, (cold, warm) in BUDGETS.items():
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
                "ai-governance (warm)": ours,
            }
            rounds = max(3, runs // 8) if count > 1 else runs
            subprocess.run(ours, cwd=folder, env=env, capture_output=True, check=False)  # cache
            medians = timing.median_ms(
                commands,
                runs=rounds,
                cwd=folder,
                env=env,
                envs={"ai-governance": {"AI_GOVERNANCE_SCAN_CACHE": "0"}},  # cold: no cache
            )
        title = f"pre-commit scan of {count} staged file(s), median of {rounds} interleaved runs"
        print(timing.table(title, medians, "bandit -f json", cold))
        ratio = medians["ai-governance (warm)"] / medians["bandit -f json"]
        print(
            f"  budget: ai-governance (warm) at most {warm}x bandit -f json: {ratio:.2f}x,"
            f" {'within' if ratio <= warm else 'OVER'}"
        )
        if first:
            per_file = (medians["bandit -f json"] - first["bandit -f json"]) / (count - 1)
            print(f"  bare Bandit: {per_file:.1f} ms a file after the first")
        first = medians
        results.append(timing.record(f"scan-{count}", rounds, medians, "bandit -f json", cold))
        warm_medians = {**medians, "ai-governance": medians["ai-governance (warm)"]}
        results.append(
            timing.record(f"scan-{count}-warm", rounds, warm_medians, "bandit -f json", warm)
        )
    return results
