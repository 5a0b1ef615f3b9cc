"""Same input, same bytes: across runs and locales, for every machine-read format."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import Repo, git


@pytest.mark.parametrize("fmt", ["json", "sarif", "text", "github"])
def test_identical_output_across_runs_and_locales(repo: Repo, fmt: str) -> None:
    repo.commit("Initial")
    for name, content in {
        "app.py": "import subprocess\nsubprocess.call(input(), shell=True)\n",
        "caf\u00e9.py": "assert True  # \u2026\n",
        "bad.py": "def f(:\n",
    }.items():
        repo.write(name, content)
        git(repo.path, "add", "--", name)
    outputs = set()
    for locale in ("C", "C.UTF-8", "C", "en_US.UTF-8"):
        env = {**os.environ, "LANG": locale, "LC_ALL": locale, "CLAUDE_CODE_CHILD_SESSION": "1"}
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "ai_governance",
                "check",
                "--staged",
                "--format",
                fmt,
                "--today",
                "2027-01-01",
            ],
            cwd=repo.path,
            env=env,
            capture_output=True,
            check=False,
        )
        assert done.returncode == 1, done.stderr
        outputs.add(done.stdout)
    assert len(outputs) == 1
    expected = b"caf%C3%A9.py" if fmt == "sarif" else "caf\u00e9.py".encode()
    assert expected in outputs.pop()


def _run(cwd: Path, *args: str) -> tuple[int, bytes]:
    done = subprocess.run(
        [sys.executable, "-m", "ai_governance", *args, "--today", "2027-01-01"],
        cwd=cwd,
        capture_output=True,
        check=False,
    )
    return done.returncode, done.stdout


def test_identical_output_regardless_of_file_order(tmp_path: Path) -> None:
    """The same 14 files (enough for two scanner processes) created, staged and named on the
    command line in different orders, in two repositories: the same bytes and exit code."""
    files = {
        f"m{n:02}/f{n}.py": "import subprocess\n"
        + "x = 1\n" * n
        + "subprocess.call(input(), shell=True)\n"
        for n in range(13)
    }
    files["broken.py"] = "def f(:\n"
    names = sorted(files)
    orders = [names, names[::-1], random.Random(7).sample(names, len(names))]
    outputs = set()
    for index, order in enumerate(orders):
        repo = Repo(tmp_path / f"repo{index}")
        repo.commit("Initial\n")
        for name in order:
            repo.write(name, files[name])
            git(repo.path, "add", "--", name)
        for fmt in ("json", "sarif", "text"):
            staged = _run(repo.path, "check", "--staged", "--format", fmt)
            hook = _run(repo.path, "hook", "pre-commit", "--format", fmt, *order)
            outputs.add((fmt, staged, hook))
    assert len(outputs) == 3  # one per format
    for fmt, staged, hook in outputs:
        assert (staged[0], hook[0], staged[1] == hook[1] or fmt == "text") == (1, 1, True)
    json_out = next(staged[1] for fmt, staged, _ in outputs if fmt == "json")
    paths = [f["path"] for r in json.loads(json_out)["results"] for f in r["findings"]]
    assert (paths, len(paths)) == (sorted(paths), 14)
