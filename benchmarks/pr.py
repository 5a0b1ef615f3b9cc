"""The PR check: a 10-file pull request in a generated 1,700-file repository.

Budget (DESIGN.md): at least 20x faster than a whole-tree Bandit run, which is what
bandit-action does (`bandit -r .`). Ours is the Action's engine on the checkout,
`ai-governance check --range BASE..HEAD` (the Action adds the GitHub API calls for the PR's
metadata and reviews, which a loopback server would make look free). The repository is the
standard library's modules of 200 to 500 lines, cycled to 1,700 files in 34 packages; the PR
changes 5 of them and adds 5, one with a Bandit finding, so the check has one to report.
"""

from __future__ import annotations

import compileall
import os
import subprocess
import tempfile
from pathlib import Path

import ai_governance
from benchmarks import timing
from benchmarks.commit_msg import tool
from benchmarks.scan import STDLIB

FILES = 1700
CHANGED = 10
BUDGET = 1 / 20
POLICY = (
    "version: 1\nname: bench\nrules:\n  - id: bandit\n    kind: security-scan\n"
    "    severity: medium\n    confidence: medium\n"
)
UNSAFE = (
    "import subprocess\n\n\ndef run(command):\n    return subprocess.call(command, shell=True)\n"
)


def _git(folder: Path, env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=folder, env=env, check=True, capture_output=True, text=True
    )
    return done.stdout.strip()


def _repository(folder: Path, env: dict[str, str]) -> tuple[str, str]:
    """(base, head) of a 1,700-file repository and a 10-file PR on top of it."""
    corpus = sorted(p for p in STDLIB.glob("*.py") if 200 <= p.read_bytes().count(b"\n") <= 500)
    for index in range(FILES):
        source = corpus[index % len(corpus)]
        target = folder / f"pkg{index // 50}" / f"m{index}_{source.name}"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(source.read_bytes())
    (folder / ".ai-governance.yml").write_text(POLICY)
    _git(folder, env, "init", "-q")
    _git(folder, env, "add", "-A")
    _git(folder, env, "commit", "-q", "-m", "Base")
    base = _git(folder, env, "rev-parse", "HEAD")
    for index in range(CHANGED // 2):
        changed = next((folder / f"pkg{index * 6}").glob("*.py"))
        changed.write_text(changed.read_text() + "\n\ndef added():\n    return 1\n")
    for index in range(CHANGED - CHANGED // 2):
        added = folder / "feature" / f"part{index}.py"
        added.parent.mkdir(exist_ok=True)
        added.write_text(UNSAFE if index == 0 else f"VALUE = {index}\n")
    _git(folder, env, "add", "-A")
    _git(folder, env, "commit", "-q", "-m", "Feature")
    head = _git(folder, env, "rev-parse", "HEAD")
    if len(_git(folder, env, "diff", "--name-only", base, head).split()) != CHANGED:
        raise SystemExit("the PR does not change 10 files: not measured")
    return base, head


def run(runs: int) -> dict[str, object]:
    compileall.compile_dir(str(Path(ai_governance.__file__).parent), quiet=1)
    bandit = tool("bandit") or "bandit"
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        env = {
            **os.environ,
            "AI_GOVERNANCE_CACHE": str(folder / ".git" / "cache"),
            "GIT_AUTHOR_NAME": "Bench Mark",
            "GIT_AUTHOR_EMAIL": "bench@example.com",
            "GIT_COMMITTER_NAME": "Bench Mark",
            "GIT_COMMITTER_EMAIL": "bench@example.com",
            "AI_GOVERNANCE_SCAN_CACHE": "0",  # as in CI: every run scans
        }
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        base, head = _repository(folder, env)
        ours = [tool("ai-governance") or "ai-governance", "check", "--range", f"{base}..{head}"]
        check = subprocess.run(ours, cwd=folder, env=env, capture_output=True, check=False)
        if check.returncode != 1 or b"feature/part0.py:5: B602" not in check.stdout:
            raise SystemExit(f"the PR check did not find the planted B602: not measured\n{check}")
        commands = {"bandit -r .": [bandit, "-r", ".", "-f", "json", "-q"], "ai-governance": ours}
        rounds = max(2, runs // 13)  # a whole-tree run takes most of a minute
        medians = timing.median_ms(commands, runs=rounds, cwd=folder, env=env)
    title = (
        f"PR check: {CHANGED} changed files in a {FILES}-file repository,"
        f" median of {rounds} interleaved runs"
    )
    print(timing.table(title, medians, "bandit -r .", BUDGET, speedup=True))
    return timing.record("pr", rounds, medians, "bandit -r .", BUDGET)
