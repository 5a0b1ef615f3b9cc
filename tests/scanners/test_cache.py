"""The scan cache: a re-scan of unchanged files reuses Bandit's results, and nothing that
judged before judges differently. Real repositories, the real Bandit, the real cache
folder (the test's own); every key part is changed once to see a miss."""

from __future__ import annotations

import marshal
import os
import threading
from pathlib import Path
from typing import Any

import pytest
from conftest import Repo, git

from ai_governance.cli import main
from ai_governance.scanners import cache
from ai_governance.scanners.bandit import Hit, Scan

SHELL = "import subprocess\nsubprocess.call(input(), shell=True)\n"
BROKEN = "def broken(:\n"


def _policy(repo: Repo, options: str = "") -> None:
    repo.write(
        ".ai-governance.yml",
        "version: 1\nname: t\nrules:\n  - id: bandit\n    kind: security-scan\n" + options,
    )


def _entries() -> list[Path]:
    folder = Path(os.environ["AI_GOVERNANCE_CACHE"]) / "ai-governance" / "scan"
    return sorted(folder.glob("*/*.entry")) if folder.exists() else []


def _read(entry: Path) -> dict[str, Any]:
    data: dict[str, Any] = marshal.loads(entry.read_bytes())
    return data


def _write(entry: Path, data: Any) -> None:
    entry.write_bytes(marshal.dumps(data))


def _check(capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["check", "--staged"])
    return code, capsys.readouterr().out


@pytest.fixture
def staged(chdir_repo: Repo) -> Repo:
    _policy(chdir_repo)
    chdir_repo.write("app.py", SHELL)
    chdir_repo.write("clean.py", "x = 1\n")
    chdir_repo.write("broken.py", BROKEN)
    git(chdir_repo.path, "add", "app.py", "clean.py", "broken.py")
    return chdir_repo


def test_a_rescan_reuses_every_result_and_judges_the_same(
    staged: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    first = _check(capsys)
    assert first[0] == 1
    assert "B602" in first[1]
    assert "broken.py: not scanned" in first[1]
    entries = _entries()
    assert len(entries) == 3  # the finding, the clean file and the error, one entry each
    for entry in entries:  # a hit touches its entry: set them far back to see which are used
        os.utime(entry, (946684800, 946684800))
    assert _check(capsys) == first  # the same finding and the same error, from the cache
    assert all(entry.stat().st_mtime > 946684800 for entry in entries)


def test_a_moved_file_reuses_its_result_under_its_new_path(
    staged: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    _check(capsys)
    git(staged.path, "mv", "app.py", "moved.py")
    code, out = _check(capsys)
    assert code == 1
    assert "moved.py:2" in out
    assert len(_entries()) == 3  # nothing new was scanned


@pytest.mark.parametrize(
    "options",
    [
        "    tests: [B602]\n",
        "    skips: [B404]\n",
        "    severity: low\n",
        "    confidence: high\n",
    ],
    ids=["tests", "skips", "severity", "confidence"],
)
def test_the_rules_tests_skips_and_thresholds_are_in_the_key(
    staged: Repo, options: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _check(capsys)
    _policy(staged, options)
    _check(capsys)
    assert len(_entries()) == 6  # every file scanned again under the new key


def test_the_scanner_python_and_tool_versions_are_in_the_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = cache.key(["B602"], ["B101"], ("medium", "medium"))
    assert base.of("a" * 40) != base.of("b" * 40)  # the blob
    installed = tmp_path / "site"
    (installed / "bandit_plugin_x-1.0.dist-info").mkdir(parents=True)
    monkeypatch.syspath_prepend(str(installed))
    with_plugin = cache.key(["B602"], ["B101"], ("medium", "medium"))
    assert "bandit_plugin_x-1.0.dist-info" in with_plugin.scanner
    assert with_plugin.of("a" * 40) != base.of("a" * 40)  # a plugin installed
    (installed / "bandit_plugin_x-1.0.dist-info").rename(
        installed / "bandit_plugin_x-1.1.dist-info"
    )
    assert cache.key(["B602"], ["B101"], ("medium", "medium")).of("a" * 40) != with_plugin.of(
        "a" * 40
    )  # upgraded
    assert base._replace(tool="0.0.0").of("a" * 40) != base.of("a" * 40)
    assert f"python {__import__('sys').version}" in base.scanner
    assert (
        cache.blob_id(b"x = 1\n")
        == git(tmp_path, "hash-object", "--stdin", stdin="x = 1\n").strip()
    )


def test_a_file_that_timed_out_is_not_kept(
    chdir_repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    _policy(chdir_repo, "    timeout_seconds: 0.5\n")
    calls = "".join(f'x{n} = subprocess.call(["ls", "{n}"])\n' for n in range(20_000))
    chdir_repo.write("generated.py", "import subprocess\n" + calls)
    git(chdir_repo.path, "add", "generated.py")
    code, out = _check(capsys)
    assert code == 1
    assert "generated.py: not scanned: Bandit did not finish within 0.5 s" in out
    assert _entries() == []


def test_a_corrupt_or_foreign_entry_is_a_miss(
    staged: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    first = _check(capsys)
    entries = _entries()
    records = {e: _read(e) for e in entries}
    finding = next(e for e, r in records.items() if r["hits"])
    clean = next(e for e, r in records.items() if not r["hits"] and not r["errors"])
    finding.write_bytes(b"\xfb\x00 not marshal")  # corrupt
    foreign = dict(records[clean], key=records[finding]["key"] + "x")
    _write(clean, foreign)  # written for another key
    assert _check(capsys) == first
    assert _read(finding) == records[finding]  # scanned again, kept again
    wrongs: list[object] = [
        {"key": records[finding]["key"], "hits": [[1, 2]], "errors": []},
        {"key": records[finding]["key"], "hits": [], "errors": [3]},
        [],
    ]
    for wrong in wrongs:
        _write(finding, wrong)
        assert _check(capsys) == first


def _forge_clean(entry: Path) -> None:
    """The entry of the file with a finding, rewritten to say it has none."""
    record = _read(entry)
    _write(entry, {**record, "hits": []})


def test_a_folder_others_may_write_to_is_not_trusted(
    staged: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    first = _check(capsys)
    finding = next(e for e in _entries() if _read(e)["hits"])
    _forge_clean(finding)  # what another user could plant in a shared folder
    folder = finding.parent.parent
    folder.chmod(0o777)
    try:
        assert _check(capsys) == first  # the finding is still reported: the folder is ignored
    finally:
        folder.chmod(0o700)
    assert not _read(finding)["hits"]  # and nothing was written there


@pytest.mark.parametrize(
    ("env", "kept"),
    [
        ({"CI": "true"}, False),
        ({"GITLAB_CI": "true"}, False),
        ({"CI": "true", "AI_GOVERNANCE_SCAN_CACHE": "1"}, True),
        ({"AI_GOVERNANCE_SCAN_CACHE": "0"}, False),
        ({}, True),
    ],
)
def test_off_in_ci_unless_asked(
    staged: Repo,
    env: dict[str, str],
    kept: bool,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert _check(capsys)[0] == 1
    assert bool(_entries()) is kept


def test_the_cache_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "LIMIT", cache.SHARDS * 2)  # two entries a shard
    store = cache.Store(cache.key([], [], ("medium", "medium")))
    for number in range(2000):
        store.put(f"x = {number}\n".encode(), Scan((), ()))
    shards = [
        len(list(s.glob("*.entry")))
        for s in _entries()[0].parent.parent.iterdir()
        if s.name != "last"
    ]
    assert max(shards) == 2
    assert sum(shards) <= cache.SHARDS * 2
    assert store.get(b"x = 1999\n") == Scan((), ())  # the newest stays


def test_writers_at_once_never_give_a_reader_half_an_entry() -> None:
    store = cache.Store(cache.key([], [], ("medium", "medium")))
    hit = Hit("", 2, "B602", "subprocess_popen_with_shell_equals_true", "HIGH", "HIGH", "t", "u")
    result = Scan((hit,) * 200, (("", "why"),))  # a large entry: a torn write would show
    content = SHELL.encode()
    seen: list[Scan | None] = []
    stop = threading.Event()

    def write() -> None:
        while not stop.is_set():
            store.put(content, result)

    writers = [threading.Thread(target=write) for _ in range(3)]
    for writer in writers:
        writer.start()
    try:
        for _ in range(300):
            seen.append(store.get(content))
    finally:
        stop.set()
        for writer in writers:
            writer.join()
    assert {s for s in seen if s is not None} == {result}
    assert not list(_entries()[0].parent.glob("*.tmp"))


def test_a_retry_from_the_same_index_is_known_and_any_change_is_not(
    staged: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    """Only a guess about forking scanners early: the verdict comes from the scan."""
    files = ["app.py", "clean.py", "broken.py"]
    cwd = str(staged.path)
    assert not cache.likely_known(cwd, files)
    assert main(["hook", "pre-commit", *files]) == 1
    first = capsys.readouterr().out
    assert cache.likely_known(cwd, files)  # a retried commit
    assert not cache.likely_known(cwd, files[:2])  # other files
    for entry in _entries():  # the guess is wrong: nothing is cached any more
        entry.unlink()
    assert main(["hook", "pre-commit", *files]) == 1
    assert capsys.readouterr().out == first  # scanned all the same
    staged.write("clean.py", "x = 2\n")
    git(staged.path, "add", "clean.py")
    assert not cache.likely_known(cwd, files)  # the index changed


def test_a_retry_whose_policy_breaks_leaves_no_git_behind(
    staged: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    """A retried commit starts git before the policy is read; a policy that fails to load
    still ends it (no process left running or unreaped)."""
    files = ["app.py", "clean.py"]
    assert main(["hook", "pre-commit", *files]) == 1
    assert cache.likely_known(str(staged.path), files)
    staged.write(".ai-governance.yml", "version: 1\nrules: [\n")
    capsys.readouterr()
    assert main(["hook", "pre-commit", *files]) == 2
    assert "nothing was judged" in capsys.readouterr().err
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)
