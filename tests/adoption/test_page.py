"""The HTML page, opened in a real headless Chromium: its headline equals the JSON of the
same run, its month axis stays readable over years, small months and one-commit tools
show, the pilot is drawn, `--merge` gives one row a repository, and nothing from the
history becomes markup."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import git

from ai_governance.cli import main

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None and os.environ.get("AI_GOVERNANCE_REQUIRE_BROWSER"):
    pytest.fail("AI_GOVERNANCE_REQUIRE_BROWSER is set and no chromium is installed")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no chromium (apt install chromium)")

AI = "\n\nCo-authored-by: Cursor <cursoragent@cursor.com>\nAssisted-by: Cursor\n"
POLICY = (
    "version: 1\nname: page\nteams:\n  pilot: [pilot@example.org]\n"
    "rules:\n  - {id: disclosure, kind: disclosure}\n"
)


def _stream(months: int, seed: int) -> bytes:
    """A history over ``months`` months: busy and quiet months (some under 20 commits), a
    pilot author who takes to AI earlier, and one commit of a tool nobody else uses."""
    out, mark, when = [], 0, 1_600_000_000
    for month in range(months):
        count = 4 if month % 7 == 3 else 25 + (month * seed) % 30
        for index in range(count):
            mark += 1
            when += (30 * 86400) // count
            pilot = index % 3 == 0
            author = (
                "Pilot Person <pilot@example.org>" if pilot else "Dev Person <dev@example.org>"
            )
            ai = (pilot and month > months // 3) or (index % 5 == 0 and month > months // 2)
            body = f"Change {mark}" + (AI if ai else "")
            if mark == 7:
                body = "One with another tool\n\nAssisted-by: Aider\n"
            data = body.encode()
            out.append(
                f"commit refs/heads/main\nmark :{mark}\nauthor {author} {when} +0000\n"
                f"committer {author} {when} +0000\ndata {len(data)}\n".encode()
                + data
                + f"\nM 644 inline f{mark % 9}.txt\ndata 2\n{mark % 10}\n\n".encode()
            )
    return b"".join(out)


def _repository(path: Path, months: int, seed: int) -> Path:
    path.mkdir(parents=True)
    git(path, "init", "-q", "-b", "main")
    subprocess.run(
        ["git", "fast-import", "--quiet"], cwd=path, input=_stream(months, seed), check=True
    )
    git(path, "checkout", "-q", "main")
    return path


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


def _report(cwd: Path, out: Path, *args: str) -> dict[str, Any]:
    here = os.getcwd()
    os.chdir(cwd)
    try:
        outputs = [str(out / "r.json"), str(out / "r.html")]
        args = (*args, "--format", "json", "--output", outputs[0])
        code = main(["report", *args, "--format", "html", "--output", outputs[1]])
    finally:
        os.chdir(here)
    assert code == 0
    data: dict[str, Any] = json.loads((out / "r.json").read_text())
    return data


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.1f}%"


def _open(browser: Any, page_file: Path) -> Any:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(page_file.as_uri())
    return page


def _texts(figure: Any) -> list[str]:
    """The texts of an SVG chart (SVG elements have no innerText)."""
    return [t.text_content() for t in figure.locator("text").all()]


def _overlapping(boxes: list[dict[str, float]]) -> list[tuple[int, int]]:
    return [
        (i, j)
        for i, a in enumerate(boxes)
        for j, b in enumerate(boxes)
        if i < j
        and a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    ]


def test_the_page_a_leader_reads(browser: Any, tmp_path: Path) -> None:
    repo = _repository(tmp_path / "repo", 40, 7)
    (tmp_path / "p.yml").write_text(POLICY)
    data = _report(
        repo, tmp_path, "--policy", str(tmp_path / "p.yml"), "--pilot", "pilot", "--by", "month"
    )
    totals = data["totals"]
    ai, other = totals["quality"]["ai"], totals["quality"]["other"]
    page = _open(browser, tmp_path / "r.html")
    shown = {e.get_attribute("data-figure"): e.inner_text() for e in page.locator("[data-figure]").all()}  # fmt: skip
    assert shown == {
        "period": "September 2020 to December 2023",
        "generated": data["generated"],
        "commits": f"{totals['commits']:,}",
        "authors": str(totals["authors"]),
        "adoption": _pct(totals["adoption"]),
        "disclosure_compliance": _pct(totals["disclosure_compliance"]),
        "ai_revert_rate": _pct(ai["revert_rate"]),
        "other_revert_rate": _pct(other["revert_rate"]),
    }
    assert (data["period"], totals["commits"]) == (
        {"first": "2020-09", "last": "2023-12"},
        sum(g["commits"] for g in data["groups"]),
    )
    # every chart with a month axis: over 40 months, no two labels touch
    figures = page.locator("figure")
    labels = ["commits and AI-assisted share by month", "the pilot against everyone else by month"]
    for label in labels:
        figure = page.locator(f'figure[aria-label="{label}"]')
        boxes = [t.bounding_box() for t in figure.locator('g[id^="xtick_"] text').all()]
        assert len(boxes) >= 3, label
        assert _overlapping(boxes) == [], label
        assert all(b["width"] > 0 for b in boxes)
    assert figures.count() == 5  # trend, pilot, quality, teams, tools
    # the pilot chart names both sides; the trend marks small months
    pilot = page.locator('figure[aria-label="the pilot against everyone else by month"]')
    assert {"pilot", "everyone else"} <= set(_texts(pilot))
    trend = page.locator('figure[aria-label="commits and AI-assisted share by month"]')
    assert "hollow: a month of fewer than 20 commits" in _texts(trend)
    small = sum(1 for g in data["groups"] if g["commits"] < 20)
    assert small > 0
    assert page.locator('table[aria-label="by pilot by month"] tr.small').count() == small
    # a tool of one commit is labelled, not an invisible bar
    tools = _texts(page.locator('figure[aria-label="tools"]'))
    assert data["totals"]["by_tool"]["Aider"] == 1
    assert "Aider" in tools
    assert "1" in tools
    assert page.locator("script").count() == 0
    page.close()


def test_merged_reports_give_one_row_a_repository(
    browser: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AI_GOVERNANCE_AUTHOR_KEY", "organisation secret")
    reports = []
    odd = "octo/<script>alert(1)</script> $\\frac{a}{b}$"  # a report's name is its author's
    for number, name in enumerate(["octo/api", odd, "octo/mobile"]):
        repo = _repository(tmp_path / f"r{number}", 14 + number * 6, number + 3)
        out = tmp_path / f"out{number}"
        out.mkdir()
        reports.append(_report(repo, out, "--repository", name))
    merged_dir = tmp_path / "merged"
    merged_dir.mkdir()
    paths = [str(tmp_path / f"out{n}" / "r.json") for n in range(3)]
    merged = _report(tmp_path, merged_dir, "--merge", *paths)
    assert [(r["repository"], r["commits"]) for r in merged["repositories"]] == sorted(
        (r["repository"], r["totals"]["commits"]) for r in reports
    )
    assert merged["totals"]["commits"] == sum(r["totals"]["commits"] for r in reports)
    assert merged["period"] == {"first": "2020-09", "last": "2022-11"}
    page = _open(browser, merged_dir / "r.html")
    rows = page.locator('table[aria-label="repositories"] tr').all()[1:]
    cells = [row.locator("td").all_inner_texts()[:2] for row in rows]
    assert cells == [[r["repository"], f"{r['commits']:,}"] for r in merged["repositories"]]
    assert page.locator("script").count() == 0
    assert page.locator('[data-figure="commits"]').inner_text() == (
        f"{merged['totals']['commits']:,}"
    )
    assert (
        page.locator(".meta")
        .inner_text()
        .startswith("Period: September 2020 to November 2022 · 3 repositories")
    )
    page.close()
