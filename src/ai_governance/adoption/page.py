"""The HTML report: one self-contained page for the people who ask whether the rollout
works. Headline figures first, then the trend, the pilot, quality, teams, tools and
repositories, then the tables and what the figures cannot say. Charts are inline SVG drawn
by matplotlib (text kept as text, so it reads and scales); no scripts, nothing fetched.

Every text on the page that came from a repository (names of tools, teams, authors,
repositories, the policy) is escaped, and matplotlib is told not to read ``$`` as maths.
"""

from __future__ import annotations

import datetime
import html
import io
from collections.abc import Iterable, Sequence
from typing import Any

from ai_governance.adoption.figures import Tally, as_dict, quality
from ai_governance.adoption.measure import History
from ai_governance.errors import UsageError

SMALL = 20  # a month with fewer commits than this is marked: its rates swing on a few commits
AI_COLOUR, OTHER_COLOUR, DISCLOSED_COLOUR = "#8250df", "#9aa4ae", "#1a7f37"
STYLE = (
    "body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:76rem;padding:0 1rem;"
    "color:#1f2328;line-height:1.45}h1{margin-bottom:.2rem}.meta{color:#59636e;margin-top:0}"
    ".headline{display:grid;grid-template-columns:repeat(auto-fit,minmax(11rem,1fr));gap:1rem;"
    "margin:1.5rem 0;padding:0}.headline div{border:1px solid #d0d7de;border-radius:6px;"
    "padding:.7rem 1rem}.headline dt{color:#59636e;font-size:.9rem}.headline dd{margin:0;"
    "font-size:1.8rem;font-weight:600}.headline small{color:#59636e}"
    "table{border-collapse:collapse;margin:1rem 0;font-variant-numeric:tabular-nums}"
    "td,th{border:1px solid #d0d7de;padding:.3rem .6rem;text-align:right}"
    "th:first-child,td:first-child{text-align:left}tr.small td{color:#8c959f}"
    "figure{margin:1rem 0}figure svg{max-width:100%;height:auto}"
    ".caveats{background:#fff8c5;border:1px solid #d4a72c;border-radius:6px;"
    "padding:.5rem 1.2rem;margin:2rem 0}"
)


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.1f}%"


def _n(value: int) -> str:
    return f"{value:,}"


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


# Headline


def _card(label: str, figure: str, value: str, note: str = "") -> str:
    small = f"<small>{_e(note)}</small>" if note else ""
    return f'<div><dt>{_e(label)}</dt><dd data-figure="{figure}">{_e(value)}</dd>{small}</div>'


def _headline(history: History) -> str:
    totals = as_dict(history.totals, churn=history.churn_days is not None)
    q = totals["quality"]  # per side: "ai", "other"
    cards = [
        _card("Commits", "commits", _n(totals["commits"]), f"and {_n(totals['merges'])} merges"),
        _card("Authors", "authors", _n(totals["authors"]), f"{_n(totals['ai_authors'])} used AI"),
        _card(
            "AI-assisted commits",
            "adoption",
            _pct(totals["adoption"]),
            f"{_n(totals['ai_assisted'])} of {_n(totals['commits'])}",
        ),
        _card(
            "Disclosed as the policy asks",
            "disclosure_compliance",
            _pct(totals["disclosure_compliance"]),
            f"{_n(totals['disclosed'])} of {_n(totals['ai_assisted'])} AI-assisted",
        ),
    ]
    sides = (("ai", "AI-assisted"), ("other", "other"))
    cards += [
        _card(
            f"Reverted: {label}",
            f"{side}_revert_rate",
            _pct(q[side]["revert_rate"]),
            f"{_n(q[side]['reverted'])} of {_n(q[side]['commits'])}",
        )
        for side, label in sides
    ]
    if history.churn_days is not None:
        cards += [
            _card(
                f"Churned in {history.churn_days} days: {label}",
                f"{side}_churn_rate",
                _pct(q[side]["churn_rate"]),
                f"{_n(q[side]['churned_lines'])} of {_n(q[side]['added_lines'])} lines",
            )
            for side, label in sides
        ]
    return f'<dl class="headline">{"".join(cards)}</dl>'


def _meta(history: History) -> str:
    period = (
        "no commits"
        if history.period is None
        else f"{_month_name(history.period[0])} to {_month_name(history.period[1])}"
    )
    where = (
        f"{len(history.repositories)} repositories"
        if history.repositories
        else _e(history.repository or history.scope)
    )
    return (
        f'<p class="meta">Period: <span data-figure="period">{_e(period)}</span>'
        f" · {where} · read: {_e(history.scope)}"
        f" · policy {_e(history.policy)}"
        f' · generated <span data-figure="generated">{_e(history.generated)}</span></p>'
    )


def _month_name(month: str) -> str:
    return datetime.date(int(month[:4]), int(month[5:7]), 1).strftime("%B %Y")


# Charts


def _pyplot() -> Any:
    try:
        import matplotlib as mpl

        mpl.use("Agg")
        from matplotlib import pyplot
    except ImportError:
        raise UsageError(
            "--format html draws charts with matplotlib: pip install 'ai-change-governance[html]'"
        ) from None
    mpl.rcParams.update(
        {
            "svg.fonttype": "none",  # text stays text: readable, searchable, scalable
            "svg.hashsalt": "ai-governance",  # the same page for the same figures
            "text.parse_math": False,  # a name with $ in it is a name, not maths
            "font.size": 10,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )
    return pyplot


def _svg(pyplot: Any, figure: Any, label: str) -> str:
    out = io.StringIO()
    figure.savefig(out, format="svg", metadata={"Date": None}, bbox_inches="tight")
    pyplot.close(figure)
    text = out.getvalue()
    svg = text[text.index("<svg") :]
    return f'<figure aria-label="{_e(label)}">{svg}</figure>'


def _months(rows: Iterable[tuple[str, Tally]]) -> tuple[list[datetime.date], list[Tally]]:
    dated = sorted((datetime.date(int(k[:4]), int(k[5:7]), 15), t) for k, t in rows)
    return [d for d, _ in dated], [t for _, t in dated]


def _date_axis(axes: Any) -> None:
    """Month ticks that never crowd: matplotlib picks months, quarters or years to fit."""
    from matplotlib import dates

    locator = dates.AutoDateLocator(minticks=3, maxticks=9)  # type: ignore[no-untyped-call]
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(dates.ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]


def _rate_line(
    axes: Any, days: Sequence[datetime.date], tallies: Sequence[Tally], field: str, **style: Any
) -> None:
    """A rate by month; months with fewer than SMALL commits hollow."""
    values = [(v * 100 if (v := as_dict(t)[field]) is not None else float("nan")) for t in tallies]
    axes.plot(days, values, **style)
    small = [i for i, t in enumerate(tallies) if t.commits < SMALL]
    axes.plot(
        [days[i] for i in small],
        [values[i] for i in small],
        linestyle="none",
        marker="o",
        markerfacecolor="white",
        markeredgecolor=style.get("color"),
        markersize=6,
    )


def _trend(pyplot: Any, rows: Sequence[tuple[str, Tally]]) -> str:
    days, tallies = _months(rows)
    figure, (counts, rates) = pyplot.subplots(
        2, 1, figsize=(10, 5.6), sharex=True, gridspec_kw={"height_ratios": [1, 1.4]}
    )
    width = 24 if len(days) < 40 else 20
    ai = [t.ai_assisted for t in tallies]
    counts.bar(days, ai, width=width, color=AI_COLOUR, label="AI-assisted")
    counts.bar(
        days,
        [t.commits - t.ai_assisted for t in tallies],
        width=width,
        bottom=ai,
        color=OTHER_COLOUR,
        label="other",
    )
    counts.set_ylabel("commits")
    counts.legend(loc="upper left", frameon=False, ncols=2)
    counts.set_title("Commits a month, and what share was AI-assisted", loc="left")
    _rate_line(rates, days, tallies, "adoption", color=AI_COLOUR, label="AI-assisted share")
    _rate_line(
        rates,
        days,
        tallies,
        "disclosure_compliance",
        color=DISCLOSED_COLOUR,
        label="of them disclosed",
    )
    rates.plot(
        [],
        [],
        linestyle="none",
        marker="o",
        markerfacecolor="white",
        markeredgecolor="#59636e",
        label=f"hollow: a month of fewer than {SMALL} commits",
    )
    rates.set_ylim(0, 100)
    rates.set_ylabel("% of commits")
    rates.legend(loc="upper left", frameon=False, ncols=3)
    _date_axis(rates)
    return _svg(pyplot, figure, "commits and AI-assisted share by month")


def _pilot(pyplot: Any, rows: Sequence[tuple[str, Tally]], team: str) -> str:
    figure, axes = pyplot.subplots(figsize=(10, 3.2))
    for side, colour in ((team, AI_COLOUR), ("everyone else", OTHER_COLOUR)):
        mine = [(k[:7], t) for k, t in rows if k[8:] == side]
        if mine:
            days, tallies = _months(mine)
            _rate_line(axes, days, tallies, "adoption", color=colour, label=side)
    axes.set_ylim(0, 100)
    axes.set_ylabel("% AI-assisted")
    axes.set_title(f"The pilot ({team}) against everyone else", loc="left")
    axes.legend(loc="upper left", frameon=False, ncols=2)
    _date_axis(axes)
    return _svg(pyplot, figure, "the pilot against everyone else by month")


def _bars(
    pyplot: Any, rows: Sequence[tuple[str, float, str]], title: str, unit: str, label: str
) -> str:
    """Horizontal bars, each labelled with its figure so a bar of one is still read."""
    figure, axes = pyplot.subplots(figsize=(7, 0.6 + 0.38 * len(rows)))
    names = [name for name, _, _ in rows][::-1]
    values = [value for _, value, _ in rows][::-1]
    bars = axes.barh(names, values, color=AI_COLOUR)
    axes.bar_label(bars, labels=[text for _, _, text in rows][::-1], padding=3)
    axes.set_xlabel(unit)
    axes.set_xlim(0, max(values, default=0) * 1.35 or 1)
    axes.set_title(title, loc="left")
    return _svg(pyplot, figure, label)


def _quality(pyplot: Any, history: History) -> str:
    found = quality(history.totals, churn=history.churn_days is not None)
    measures = [("revert_rate", "reverted", "commits", "reverted")]
    if history.churn_days is not None:
        measures.append(
            ("churn_rate", "churned_lines", "added_lines", f"churned in {history.churn_days} days")
        )
    figure, panes = pyplot.subplots(1, len(measures), figsize=(4.2 * len(measures), 2.6))
    panes = panes if len(measures) > 1 else [panes]
    for axes, (rate, part, whole, title) in zip(panes, measures, strict=True):
        sides = [("AI-assisted", found["ai"], AI_COLOUR), ("other", found["other"], OTHER_COLOUR)]
        bars = axes.bar(
            [s for s, _, _ in sides],
            [(f[rate] or 0) * 100 for _, f, _ in sides],
            color=[c for _, _, c in sides],
        )
        axes.bar_label(
            bars,
            labels=[f"{_pct(f[rate])}\n{_n(f[part])} of {_n(f[whole])}" for _, f, _ in sides],
            padding=2,
        )
        axes.set_ylabel("%")
        axes.set_ylim(0, max([(f[rate] or 0) * 100 for _, f, _ in sides] + [1]) * 1.6)
        axes.set_title(title.capitalize(), loc="left")
    return _svg(pyplot, figure, "quality: AI-assisted against other commits")


def _charts(history: History) -> list[str]:
    pyplot = _pyplot()
    charts = dict(history.charts)
    drawn = []
    if charts.get("month"):
        drawn.append(_trend(pyplot, charts["month"]))
    if history.pilot is not None and charts.get("pilot"):
        drawn.append(_pilot(pyplot, charts["pilot"], history.pilot))
    drawn.append(_quality(pyplot, history))
    teams = [(k, t) for k, t in charts.get("team", ()) if t.commits]
    if teams:
        rows = [
            (k, (a or 0) * 100, f"{_pct(a)} ({_n(t.ai_assisted)} of {_n(t.commits)})")
            for k, t in teams
            for a in [as_dict(t)["adoption"]]
        ]
        drawn.append(_bars(pyplot, rows, "AI-assisted share by team", "% of commits", "teams"))
    tools = sorted(history.totals.by_tool, key=lambda item: (-item[1], item[0]))
    if tools:
        rows = [(tool, float(n), _n(n)) for tool, n in tools]
        drawn.append(_bars(pyplot, rows, "Commits by AI tool", "commits", "tools"))
    return drawn


# Tables


def _table(
    head: Sequence[str], rows: Iterable[tuple[str, Tally]], *, label: str, churn: bool
) -> str:
    head = [*head, "AI churned", "other churned"] if churn else head
    out = [f'<table aria-label="{_e(label)}"><tr>']
    out += [f"<th>{_e(h)}</th>" for h in head]
    out.append("</tr>")
    for key, tally in rows:
        data = as_dict(tally, churn=churn)
        ai, other = data["quality"]["ai"], data["quality"]["other"]
        cells = [
            key,
            _n(data["commits"]),
            f"{_pct(data['adoption'])} ({_n(data['ai_assisted'])})",
            f"{data['ai_authors']}/{data['authors']}",
            f"{_pct(data['disclosure_compliance'])} ({_n(data['disclosed'])})",
            f"{_pct(ai['revert_rate'])} ({_n(ai['reverted'])})",
            f"{_pct(other['revert_rate'])} ({_n(other['reverted'])})",
            _n(sum(n for _, n in tally.violations)),
        ]
        if churn:
            cells += [
                f"{_pct(side['churn_rate'])} ({_n(side['churned_lines'])} lines)"
                for side in (ai, other)
            ]
        small = ' class="small"' if tally.commits < SMALL else ""
        out.append(f"<tr{small}>" + "".join(f"<td>{_e(c)}</td>" for c in cells) + "</tr>")
    return "".join(out) + "</table>"


HEAD = [
    "commits",
    "AI-assisted",
    "AI authors",
    "disclosed",
    "AI reverted",
    "other reverted",
    "violations",
]


def _tables(history: History) -> str:
    churn = history.churn_days is not None
    parts = []
    if history.repositories:
        parts.append("<h2>By repository</h2>")
        parts.append(
            _table(["repository", *HEAD], history.repositories, label="repositories", churn=churn)
        )
    rows: list[tuple[str, Tally]] = [*history.groups, ("all", history.totals)]
    if history.baseline is not None:
        date, before, after = history.baseline
        rows += [(f"before {date}", before), (f"from {date}", after)]
    parts.append(f"<h2>By {_e(history.by)}</h2>")
    parts.append(_table([history.by, *HEAD], rows, label=f"by {history.by}", churn=churn))
    parts.append(
        f"<p>Rows in grey: fewer than {SMALL} commits. Rates are shown with their counts:"
        " a share of a few commits says little.</p>"
    )
    return "".join(parts)


CAVEATS = (
    "AI assistance is counted only where it left a mark in git: a trailer, a marker line,"
    " an agent's identity. Inline completions and chat answers pasted by hand leave none,"
    " so “other” includes some AI-assisted code, and the AI-assisted share is a floor.",
    "A reverted commit is one a later commit names in git's “This reverts commit” line, in"
    " the history read. Why it was reverted is not known; a fix that undoes a change by hand"
    " is not seen.",
    f"Months of fewer than {SMALL} commits are marked: their rates swing on a few commits.",
    "Authors are counted by email as .mailmap maps them; one person with an unmapped"
    " second address counts twice.",
)
CHURN_CAVEAT = (
    "Churn follows git's patches in log order: exact where each commit follows the one"
    " before (squash or rebase merging), an estimate where branches were merged. A line"
    " moved to another file counts as deleted and added. Commits younger than the window"
    " at the newest commit read are left out."
)


def _caveats(history: History) -> str:
    items = [*CAVEATS, *([CHURN_CAVEAT] if history.churn_days is not None else [])]
    listed = "".join(f"<li>{_e(item)}</li>" for item in items)
    return (
        f'<aside class="caveats"><h2>What these figures cannot say</h2><ul>{listed}</ul></aside>'
    )


def render(history: History) -> str:
    charts = "".join(_charts(history))
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>AI-assisted changes: {_e(history.repository or history.policy)}</title>"
        f"<style>{STYLE}</style></head><body>"
        "<h1>AI-assisted changes: adoption, compliance and quality</h1>"
        f"{_meta(history)}{_headline(history)}{charts}{_tables(history)}{_caveats(history)}"
        "</body></html>\n"
    )
