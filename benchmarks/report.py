"""The history report of 20,000 commits against the bare ``git log -z`` of the same fields.

Budget (DESIGN.md): at most 2x the floor. The repository is generated with
``git fast-import``: half of the commits carry the real markers of AI assistants
(Claude Code, Aider by author name, Copilot, Cursor), some disclosed, the rest human.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from ai_governance.adoption.history import FORMAT, PATCH
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


def _measure(
    stream: bytes, expected: bytes, what: str, runs: int, *, churn: bool = False
) -> tuple[int, dict[str, float]]:
    """(rounds, medians) of the report and ``git log -z`` on the history ``stream`` makes
    (branch ``main``), once the report is seen to count ``expected``. ``churn``: the report
    with ``--churn`` against ``git log -p`` with the same patch options."""
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
        if churn:
            floor[2:2] = list(PATCH)
            ours.append("--churn")
        check = subprocess.run(ours, cwd=repo, env=env, capture_output=True, check=True)
        if expected not in check.stdout:
            raise SystemExit(f"the report did not count {what}: not measured")
        rounds = max(5, runs // 4)
        base = "git log -z -p" if churn else "git log -z"
        medians = timing.median_ms(
            {base: floor, "ai-governance": ours}, runs=rounds, cwd=repo, env=env
        )
    return rounds, medians


CHURN_COMMITS = 5_000
CHURN_BUDGET = 3.0


def edits_stream(count: int, seed: int = 2026) -> bytes:
    """A history whose commits edit code: 40 files of about 150 lines; each commit rewrites,
    deletes and inserts a few lines in one or two of them, two hours after the last."""
    import random

    pick = random.Random(seed)
    files = {f"src/module{n}.py": [f"line {n} {k}" for k in range(150)] for n in range(40)}
    out = []
    for index in range(count):
        author = HUMANS[index % len(HUMANS)]
        body = f"Change number {index}\n" + (f"\n{TRAILERS[index % 3]}\n" if index % 3 else "")
        data = body.encode()
        when = 1_700_000_000 + index * 7200
        changed = []
        for name in pick.sample(sorted(files), pick.choice([1, 1, 2])):
            lines = files[name]
            for _ in range(pick.randint(1, 4)):
                at = pick.randrange(len(lines) + 1)
                action = pick.random()
                if action < 0.4 and at < len(lines):
                    lines[at] = f"rewritten {index} {at}"
                elif action < 0.6 and at < len(lines):
                    del lines[at : at + pick.randint(1, 3)]
                else:
                    lines[at:at] = [f"added {index} {k}" for k in range(pick.randint(1, 6))]
            content = "".join(f"{line}\n" for line in lines).encode()
            changed.append(
                f"M 644 inline {name}\ndata {len(content)}\n".encode() + content + b"\n"
            )
        out.append(
            f"commit refs/heads/main\nmark :{index + 1}\nauthor {author} {when} +0000\n"
            f"committer {author} {when} +0000\ndata {len(data)}\n".encode()
            + data
            + b"".join(changed)
            + b"\n"
        )
    return b"".join(out)


def churn(runs: int) -> dict[str, object]:
    """``report --churn`` against a bare ``git log -p`` of the same range and patch options."""
    stream = edits_stream(CHURN_COMMITS)
    rounds, medians = _measure(
        stream, b'"churn_days": 21', f"{CHURN_COMMITS} commits", runs, churn=True
    )
    title = (
        f"history report --churn of {CHURN_COMMITS} commits that edit code,"
        f" median of {rounds} interleaved runs"
    )
    print(timing.table(title, medians, "git log -z -p", CHURN_BUDGET))
    return timing.record("report-churn", rounds, medians, "git log -z -p", CHURN_BUDGET)


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


def _peak_kib(command: list[str], cwd: Path, env: dict[str, str]) -> int:
    """The peak resident memory of one run of ``command`` and the processes it waited for,
    in KiB (Linux: ``ru_maxrss``)."""
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"{' '.join(command)} failed: not measured")
    return int(usage.ru_maxrss)


# the report's own process (its git log is a child, measured apart)
OWN_PEAK = (  # VmHWM: this process's own high-water mark (Linux), no child's
    "import re, sys\n"
    "from ai_governance.cli import main\n"
    "code = main(['report', '--format', 'json', '--output', '/dev/null', 'main'])\n"
    "status = open('/proc/self/status').read()\n"
    "print(re.search(r'VmHWM:\\s+(\\d+) kB', status)[1]) if code == 0 else sys.exit(code)\n"
)
MEMORY_SIZES = (20_000, 200_000)


def memory() -> dict[str, object]:
    """Peak memory of the report's process on 20,000 and on 200,000 generated commits (flat:
    about the same), beside that of the ``git log`` it reads (git keeps every commit)."""
    peaks: dict[str, dict[int, int]] = {"ai-governance": {}, "git log -z": {}}
    for count in MEMORY_SIZES:
        with tempfile.TemporaryDirectory() as name:
            repo = Path(name)
            env = {**os.environ, "AI_GOVERNANCE_CACHE": str(repo / ".cache")}
            subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, check=True, env=env)
            subprocess.run(
                ["git", "fast-import", "--quiet"],
                cwd=repo,
                check=True,
                env=env,
                input=fast_import_stream(count),
            )
            own = subprocess.run(
                [sys.executable, "-c", OWN_PEAK],
                cwd=repo,
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            peaks["ai-governance"][count] = int(own.stdout)
            floor = ["git", "log", "-z", f"--format={FORMAT}", "main", "--"]
            peaks["git log -z"][count] = _peak_kib(floor, repo, env)
    small, large = MEMORY_SIZES
    print(f"peak resident memory, MiB, at {small:,} and {large:,} generated commits")
    for name, found in peaks.items():
        print(
            f"  {name:<28} {found[small] / 1024:>7.1f} {found[large] / 1024:>7.1f}"
            f"  {found[large] / found[small]:.2f}x for 10x the commits"
        )
    ours = peaks["ai-governance"]
    return {
        "benchmark": "report-memory",
        "peak_kib": {name: {str(n): v for n, v in found.items()} for name, found in peaks.items()},
        "ratio": ours[large] / ours[small],
        "machine": timing.machine(),
    }
