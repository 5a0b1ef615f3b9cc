"""Fault battery: the processes and services the tool relies on fail, hang or are missing.

Every case ends as a failing result or an error that says what happened, never as a pass.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import Repo, git

from ai_governance.cli import main
from ai_governance.gather.github_api import Api, GitHubError
from ai_governance.scanners import pool

SHELL = "import subprocess\nsubprocess.call(input(), shell=True)\n"


def _policy(repo: Repo, options: str = "") -> Path:
    return repo.write(
        ".ai-governance.yml",
        "version: 1\nname: t\nrules:\n  - id: bandit\n    kind: security-scan\n" + options,
    )


def _without_git() -> str:
    """A PATH with Python's own folder and nothing else: no git on it."""
    folder = Path(sys.executable).parent
    assert not (folder / "git").exists()
    return str(folder)


@pytest.mark.parametrize(
    "args",
    [["check", "--range", "HEAD"], ["check", "--staged"], ["hook", "commit-msg", "MSG"]],
    ids=["range", "staged", "commit-msg"],
)
def test_git_missing_from_path_is_an_error(repo: Repo, args: list[str]) -> None:
    repo.commit("Add\n")
    repo.write("MSG", "Add\n")
    done = subprocess.run(
        [sys.executable, "-m", "ai_governance", *args],
        cwd=repo.path,
        env={**os.environ, "PATH": _without_git()},
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stdout, done.stderr) == (
        2,
        "",
        "ai-governance: error: git is not installed or not on PATH\n",
    )


def test_a_scanner_process_killed_mid_scan_is_an_error(
    chdir_repo: Repo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _policy(chdir_repo)
    chdir_repo.write("app.py", SHELL)
    git(chdir_repo.path, "add", "app.py")
    fork = pool.Pool._fork

    def killed(self: pool.Pool) -> Any:
        worker = fork(self)
        os.kill(worker.pid, signal.SIGKILL)  # as the out-of-memory killer would
        return worker

    monkeypatch.setattr(pool.Pool, "_fork", killed)
    assert main(["check", "--staged"]) == 1
    assert (
        "ERROR bandit (security-scan, enforce): Bandit crashed: the scanner process was killed by"
        " signal 9 before it reported; no file was verified\n"
    ) in capsys.readouterr().out


def test_a_scan_over_its_time_limit_is_an_error_naming_the_file(
    chdir_repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    """20,000 calls: Bandit needs seconds for them (8 s measured), the limit is half a second."""
    _policy(chdir_repo, "    timeout_seconds: 0.5\n")
    calls = "".join(f'x{n} = subprocess.call(["ls", "{n}"])\n' for n in range(20_000))
    chdir_repo.write("generated.py", "import subprocess\n" + calls)
    chdir_repo.write("small.py", "x = 1\n")
    git(chdir_repo.path, "add", "generated.py", "small.py")
    assert main(["check", "--staged"]) == 1
    out = capsys.readouterr().out
    assert (
        "ERROR bandit (security-scan, enforce): 2 Python file(s) scanned at severity >= medium,"
        " confidence >= medium; some could not be scanned\n"
        "      generated.py: not scanned: Bandit did not finish within 0.5 s\n"
        "      fix: raise `timeout_seconds`, or leave generated files out with `exclude_paths`\n"
        "      small.py: not scanned: Bandit did not finish within 0.5 s\n"
    ) in out


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A loopback server that accepts connections and never answers."""
    server = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.05)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}"
    stop.set()
    thread.join()
    for connection in held:
        connection.close()
    server.close()


def test_a_github_api_that_never_answers_fails_after_bounded_retries(silent_server: str) -> None:
    waits: list[float] = []
    api = Api(silent_server, "token", sleep=waits.append, timeout=0.2)
    with pytest.raises(GitHubError) as raised:
        api.get("repos/o/r/pulls/1")
    assert str(raised.value) == (
        f"GitHub API failed for {silent_server}/repos/o/r/pulls/1 after 4 attempts: timed out;"
        " nothing was judged"
    )
    assert waits == [1.0, 2.0, 4.0]
