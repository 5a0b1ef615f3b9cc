"""python -m benchmarks [--runs N]: every benchmark, its floor and peers, ratios printed."""

from __future__ import annotations

import argparse

from benchmarks import agent_hook, commit_msg, pr, report, scan, timing


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--runs", type=int, default=40, help="timed runs per command")
    parser.add_argument(
        "--only",
        choices=["commit-msg", "agent-hook", "scan", "pr", "report"],
        help="run one benchmark",
    )
    args = parser.parse_args()
    results: list[object] = []
    if args.only in (None, "commit-msg"):
        results.append(commit_msg.run(args.runs))
    if args.only in (None, "agent-hook"):
        results.append(agent_hook.run(args.runs))
    if args.only in (None, "scan"):
        results.extend(scan.run(args.runs))
    if args.only in (None, "pr"):
        results.append(pr.run(args.runs))
    if args.only in (None, "report"):
        results.append(report.run(args.runs))
        results.append(report.real(args.runs))
        results.append(report.churn(args.runs))
        results.append(report.memory())
    print(f"results: {timing.save('latest', results)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
