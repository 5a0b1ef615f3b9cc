"""The history report of 20,000 commits against the bare ``git log -z`` of the same fields.

Budget (DESIGN.md): at most 2x the floor. The repository is generated with
``git fast-import``: half of the commits carry the real markers of AI assistants
(Claude Code, Aider by author name, Copilot, Cursor), some disclosed, the rest human.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

from ai_governance.adoption.history import FORMAT
from benchmarks import timing
from benchmarks.commit_msg import tool

COMMITS = 20_000
BUDGET = 2.0
HUMANS = [f"Dev {i} <dev{i}@example.com>" for i in range(40)]
TRAILERS = [
    "Co-Authored-By: Claude Opus 4.6 <noreply@anthropic.com>",
    "Co-authored-by: Copilot <223556219+Copilot@users.noreply.github.com>",
    "Co-authored-by: Cursor <cursoragent@cursor.com>",
]


def fast_import_stream(count: int) -> bytes:
    out = []
    for index in range(count):
        author = HUMANS[index % len(HUMANS)]
        body = f"Change number {index}\n\nExplain why the change {index} was made.\n"
        kind = index % 6
        if kind == 1:
            body += f"\n{TRAILERS[index % 3]}\n"
        elif kind == 3:
            body += f"\n{TRAILERS[index % 3]}\nAssisted-by: Claude Code\n"
        elif kind == 5:
            author = author.replace(" <", " (aider) <")
        data = body.encode()
        when = 1_700_000_000 + index * 3600
        out.append(
            f"commit refs/heads/main\nmark :{index + 1}\nauthor {author} {when} +0000\n"
            f"committer {author} {when} +0000\ndata {len(data)}\n".encode()
            + data
            + f"M 644 inline file{index % 50}.txt\ndata 2\n{index % 10}\n\n".encode()
        )
    return b"".join(out)


DATA = Path(__file__).resolve().parent / "data" / "aider-history.fi.gz"


def _measure(stream: bytes, expected: bytes, what: str, runs: int) -> tuple[int, dict[str, float]]:
    """(rounds, medians) of the report and ``git log -z`` on the history ``stream`` makes
    (branch ``main``), once the report is seen to count ``expected``."""
    with tempfile.TemporaryDirectory() as name:
        repo = Path(name)
        env = {**os.environ, "AI_GOVERNANCE_CACHE": str(repo / ".cache")}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, check=True, env=env)
        subprocess.run(
            ["git", "fast-import", "--quiet"], cwd=repo, check=True, env=env, input=stream
        )
        floor = ["git", "log", "-z", f"--format={FORMAT}", "main", "--"]
        ours = [tool("ai-governance") or "ai-governance", "report", "--format", "json", "main"]
        check = subprocess.run(ours, cwd=repo, env=env, capture_output=True, check=True)
        if expected not in check.stdout:
            raise SystemExit(f"the report did not count {what}: not measured")
        rounds = max(5, runs // 4)
        medians = timing.median_ms(
            {"git log -z": floor, "ai-governance": ours}, runs=rounds, cwd=repo, env=env
        )
    return rounds, medians


def real(runs: int) -> dict[str, object]:
    """The same, on the real 13,138-commit history of Aider (benchmarks/data)."""
    import gzip

    stream = gzip.decompress(DATA.read_bytes())
    rounds, medians = _measure(stream, b'"commits": 12461', "Aider's 12,461 commits", runs)
    title = f"history report of Aider's real 13,138 commits, median of {rounds} interleaved runs"
    print(timing.table(title, medians, "git log -z", BUDGET))
    return timing.record("report-real", rounds, medians, "git log -z", BUDGET)


def run(runs: int) -> dict[str, object]:
    stream = fast_import_stream(COMMITS)
    rounds, medians = _measure(stream, b'"commits": 20000', "20,000 commits", runs)
    title = f"history report of {COMMITS} commits, median of {rounds} interleaved runs"
    print(timing.table(title, medians, "git log -z", BUDGET))
    return timing.record("report", rounds, medians, "git log -z", BUDGET)
