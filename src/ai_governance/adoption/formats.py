"""How a history report is written: a terminal table, JSON, CSV, or an HTML page."""

from __future__ import annotations

import io
import json
from collections.abc import Callable

from ai_governance.adoption.figures import Tally, as_dict, quality
from ai_governance.adoption.measure import History, to_json

COLUMNS = (
    "commits",
    "merges",
    "ai_assisted",
    "disclosed",
    "authors",
    "ai_authors",
    "adoption",
    "author_adoption",
    "disclosure_compliance",
)
CHURN_COLUMNS = tuple(
    f"{side}_{name}"
    for side in ("ai", "other")
    for name in ("added_lines", "churned_lines", "churn_rate")
)


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.1f}%"


def _row(key: str, tally: Tally, churn: bool) -> list[str]:
    data = as_dict(tally, churn=churn)
    ai, other = data["quality"]["ai"], data["quality"]["other"]
    tools = ", ".join(f"{tool} {count}" for tool, count in tally.by_tool) or "-"
    churned = [f"{_percent(ai['churn_rate'])} / {_percent(other['churn_rate'])}"] if churn else []
    return [
        key,
        str(data["commits"]),
        str(data["ai_assisted"]),
        _percent(data["adoption"]),
        f"{data['ai_authors']}/{data['authors']}",
        _percent(data["disclosure_compliance"]),
        str(sum(n for _, n in tally.violations)),
        f"{_percent(ai['revert_rate'])} / {_percent(other['revert_rate'])}",
        *churned,
        tools,
    ]


def text(history: History) -> str:
    churn = history.churn_days is not None
    header = [
        history.by,
        "commits",
        "AI",
        "adoption",
        "AI authors",
        "disclosed",
        "violations",
        "reverted AI / other",
        *(["churned AI / other"] if churn else []),
        "tools",
    ]
    tallies = [*history.groups, ("all", history.totals)]
    if history.baseline is not None:
        date, before, after = history.baseline
        tallies += [(f"before {date}", before), (f"from {date}", after)]
    rows = [_row(key, tally, churn) for key, tally in tallies]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = [
        f"ai-governance report: policy {history.policy}, {history.scope}",
        f"merge commits, counted apart: {history.totals.merges}",
        "",
    ]
    for index, row in enumerate([header, *rows]):
        lines.append(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )
        if index == 0 or (row[0] == "all" and history.baseline is not None):
            lines.append("  ".join("-" * width for width in widths))
    violations = ", ".join(f"{rule} {n}" for rule, n in history.totals.violations) or "none"
    lines += ["", f"violations by rule: {violations}", _reverts(history.totals)]
    if history.churn_days is not None:
        lines.append(_churn(history.totals, history.churn_days))
    return "\n".join(lines) + "\n"


def _churn(tally: Tally, days: int) -> str:
    """One line: lines churned within the window, AI-assisted commits against the rest."""
    found = quality(tally, churn=True)
    sides = [
        f"{label} {found[side]['churned_lines']} of {found[side]['added_lines']} lines"
        f" ({_percent(found[side]['churn_rate'])}, {found[side]['churn_commits']} commits)"
        for side, label in (("ai", "AI-assisted"), ("other", "other"))
    ]
    return f"churned within {days} day{'s' if days != 1 else ''}: " + "; ".join(sides)


def _reverts(tally: Tally) -> str:
    """One line: reverts of AI-assisted commits against the rest."""
    found = quality(tally)
    sides = []
    for side, label in (("ai", "AI-assisted"), ("other", "other")):
        figures = found[side]
        days = figures["median_days_to_revert"]
        after = f", median {days} days after" if days is not None else ""
        sides.append(
            f"{label} {figures['reverted']} of {figures['commits']}"
            f" ({_percent(figures['revert_rate'])}{after})"
        )
    return "reverted: " + "; ".join(sides)


def as_json(history: History) -> str:
    return json.dumps(to_json(history), indent=2, ensure_ascii=False) + "\n"


def as_csv(history: History) -> str:
    import csv  # only for this format

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    reverts = ("ai_reverted", "ai_revert_rate", "other_reverted", "other_revert_rate")
    churn = history.churn_days is not None
    churned = CHURN_COLUMNS if churn else ()
    writer.writerow([history.by, *COLUMNS, *reverts, *churned, "by_tool", "violations"])
    rows = [*history.groups, ("all", history.totals)]
    if history.baseline is not None:
        date, before, after = history.baseline
        rows += [(f"before {date}", before), (f"from {date}", after)]
    for key, tally in rows:
        data = as_dict(tally, churn=churn)
        ai, other = data["quality"]["ai"], data["quality"]["other"]
        lines = [
            "" if side[name] is None else side[name]
            for side in (ai, other)
            for name in ("added_lines", "churned_lines", "churn_rate")
            if churn
        ]
        writer.writerow(
            [
                key,
                *(data[c] if data[c] is not None else "" for c in COLUMNS),
                ai["reverted"],
                "" if ai["revert_rate"] is None else ai["revert_rate"],
                other["reverted"],
                "" if other["revert_rate"] is None else other["revert_rate"],
                *lines,
                ";".join(f"{t}={n}" for t, n in tally.by_tool),
                ";".join(f"{r}={n}" for r, n in tally.violations),
            ]
        )
    return out.getvalue()


def as_html(history: History) -> str:
    from ai_governance.adoption import page

    return page.render(history)


FORMATS: dict[str, Callable[[History], str]] = {
    "text": text,
    "json": as_json,
    "csv": as_csv,
    "html": as_html,
}
