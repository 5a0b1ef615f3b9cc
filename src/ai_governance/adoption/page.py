"""The HTML report: one self-contained page (inline SVG charts drawn by matplotlib, no
scripts, no network), readable offline from a file."""

from __future__ import annotations

import html
import io

from ai_governance.adoption.figures import Tally, as_dict
from ai_governance.adoption.measure import History
from ai_governance.errors import UsageError

STYLE = (
    "body{font-family:system-ui,sans-serif;margin:2rem;max-width:72rem;color:#1f2328}"
    "table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #d0d7de;"
    "padding:.3rem .6rem;text-align:right}th:first-child,td:first-child{text-align:left}"
    "figure{display:inline-block;margin:0 1rem 1rem 0}"
)


def _svg(figure: object) -> str:
    out = io.StringIO()
    figure.savefig(out, format="svg", metadata={"Date": None})  # type: ignore[attr-defined]
    text = out.getvalue()
    return text[text.index("<svg") :]


def _charts(history: History) -> list[str]:
    try:
        import matplotlib as mpl

        mpl.use("Agg")
        from matplotlib import pyplot
    except ImportError:
        raise UsageError(
            "--format html draws charts with matplotlib: pip install 'ai-change-governance[html]'"
        ) from None
    mpl.rcParams.update({"svg.fonttype": "path", "svg.hashsalt": "ai-governance"})
    charts = dict(history.charts)
    drawn = []
    months = charts.get("month", ())
    if months:
        figure, axes = pyplot.subplots(figsize=(7, 3.2))
        keys = [key for key, _ in months]
        for field, label in (("adoption", "AI adoption"), ("disclosure_compliance", "disclosure")):
            values = [(as_dict(t)[field] or 0) * 100 for _, t in months]
            axes.plot(keys, values, marker="o", label=label)
        axes.set_ylabel("% of commits / of AI commits")
        axes.set_ylim(0, 100)
        axes.legend()
        axes.set_title("Adoption and disclosure by month")
        axes.tick_params(axis="x", labelrotation=45)
        figure.tight_layout()
        drawn.append(_svg(figure))
        pyplot.close(figure)
    for name, title in (("team", "AI adoption by team"), ("tool", "Commits by AI tool")):
        rows = [(k, t) for k, t in charts.get(name, ()) if name != "tool" or t.ai_assisted]
        if not rows:
            continue
        figure, axes = pyplot.subplots(figsize=(5, 3.2))
        values = [
            (as_dict(t)["adoption"] or 0) * 100 if name == "team" else t.commits for _, t in rows
        ]
        axes.barh([k for k, _ in rows], values)
        axes.set_xlabel("% of commits" if name == "team" else "commits")
        axes.set_title(title)
        figure.tight_layout()
        drawn.append(_svg(figure))
        pyplot.close(figure)
    return drawn


def _table(history: History) -> str:
    head = ["", "commits", "AI-assisted", "adoption", "AI authors", "disclosure", "violations"]
    rows: list[tuple[str, Tally]] = [*history.groups, ("all", history.totals)]
    if history.baseline is not None:
        date, before, after = history.baseline
        rows += [(f"before {date}", before), (f"from {date}", after)]

    def cells(key: str, tally: Tally) -> list[str]:
        data = as_dict(tally)
        pct = [
            ("-" if v is None else f"{v * 100:.1f}%")
            for v in (data["adoption"], data["disclosure_compliance"])
        ]
        return [
            key,
            str(data["commits"]),
            str(data["ai_assisted"]),
            pct[0],
            f"{data['ai_authors']}/{data['authors']}",
            pct[1],
            str(sum(n for _, n in tally.violations)),
        ]

    out = ["<table><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in head) + "</tr>"]
    for key, tally in rows:
        out.append(
            "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells(key, tally)) + "</tr>"
        )
    return "\n".join(out) + "</table>"


def render(history: History) -> str:
    figures = "".join(f"<figure>{svg}</figure>" for svg in _charts(history))
    tools = ", ".join(f"{html.escape(t)} {n}" for t, n in history.totals.by_tool) or "none"
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>ai-governance report: {html.escape(history.policy)}</title>"
        f"<style>{STYLE}</style></head><body>"
        f"<h1>AI adoption and compliance</h1><p>Policy <b>{html.escape(history.policy)}</b>,"
        f" {html.escape(history.scope)}. Merge commits, counted apart:"
        f" {history.totals.merges}. Tools: {tools}.</p>"
        f"{figures}<h2>By {html.escape(history.by)}</h2>{_table(history)}</body></html>\n"
    )
