"""Same input, same bytes: across runs and locales, for every machine-read format."""

from __future__ import annotations

import os
import subprocess
import sys

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
        env = {**os.environ, "LANG": locale, "LC_ALL": locale, "CLAUDECODE": "1"}
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
