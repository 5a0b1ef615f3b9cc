"""python -m benchmarks.screenshot: docs/report-html.png, the HTML report of the real Aider
history in benchmarks/data, as headless Chromium shows it at 1280 pixels wide."""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from benchmarks.commit_msg import tool
from benchmarks.report import DATA

TARGET = Path(__file__).resolve().parent.parent / "docs" / "report-html.png"


def main() -> int:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("no chromium: apt install chromium")
    with tempfile.TemporaryDirectory() as name:
        repo = Path(name) / "aider"
        env = {**os.environ, "AI_GOVERNANCE_CACHE": str(Path(name) / "cache")}
        subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True, env=env)
        subprocess.run(
            ["git", "fast-import", "--quiet"],
            cwd=repo,
            check=True,
            env=env,
            input=gzip.decompress(DATA.read_bytes()),
        )
        page_file = Path(name) / "report.html"
        command = [tool("ai-governance") or "ai-governance", "report", "main", "--format", "html"]
        subprocess.run([*command, "--output", str(page_file)], cwd=repo, check=True, env=env)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(page_file.as_uri())
            page.screenshot(path=str(TARGET), full_page=True)
            browser.close()
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
