"""Interleaved wall-clock timing of whole commands: same run, same machine, medians."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def median_ms(
    commands: Mapping[str, Sequence[str]],
    *,
    runs: int,
    cwd: Path,
    env: Mapping[str, str],
    envs: Mapping[str, Mapping[str, str]] | None = None,
) -> dict[str, float]:
    """Median milliseconds of each command, run in turn ``runs`` times (one warm-up each);
    ``envs``: variables to add for some of the commands, by name."""
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for round_ in range(runs + 1):
        for name, command in commands.items():
            start = time.perf_counter()
            subprocess.run(
                command,
                cwd=cwd,
                env={**env, **(envs or {}).get(name, {})},
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                check=False,
            )
            if round_:
                samples[name].append((time.perf_counter() - start) * 1000)
    return {name: statistics.median(values) for name, values in samples.items()}


def table(
    title: str,
    medians: Mapping[str, float],
    base: str,
    budget: float | None,
    *,
    speedup: bool = False,
) -> str:
    lines = [title, f"  {'command':<28} {'median ms':>10} {'ratio':>7}"]
    for name, value in medians.items():
        lines.append(f"  {name:<28} {value:>10.1f} {value / medians[base]:>6.2f}x")
    if budget is not None:
        ratio = medians["ai-governance"] / medians[base]
        verdict = "within" if ratio <= budget else "OVER"
        if speedup:  # a budget stated as "N times faster"
            lines.append(
                f"  budget: ai-governance at least {1 / budget:.0f}x faster than {base}:"
                f" {1 / ratio:.0f}x faster, {verdict}"
            )
        else:
            lines.append(
                f"  budget: ai-governance at most {budget}x {base}: {ratio:.2f}x, {verdict}"
            )
    return "\n".join(lines)


def save(name: str, payload: object) -> Path:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(payload, indent=2) + "\n")
    return path


def machine() -> dict[str, object]:
    return {"cpus": os.cpu_count(), "uname": " ".join(os.uname())}


def record(
    name: str, runs: int, medians: Mapping[str, float], base: str, budget: float
) -> dict[str, object]:
    """One benchmark's entry in the results file: medians, ratio to ``base``, the machine."""
    return {
        "benchmark": name,
        "runs": runs,
        "median_ms": dict(medians),
        "ratio": medians["ai-governance"] / medians[base],
        "budget": budget,
        "machine": machine(),
    }
