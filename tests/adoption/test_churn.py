"""`report --churn` against plain git: a line a commit adds is churned when it is gone from
the tree at the last commit of its window, as `git blame` of that tree says."""

from __future__ import annotations

import datetime
import json
import os
import random
import stat
from pathlib import Path
from typing import Any

import pytest
from conftest import Repo, git, judge

from ai_governance.cli import main

AI = "\n\nAssisted-by: Claude Code\n"
START = datetime.datetime(2026, 1, 5, 9, 0, tzinfo=datetime.timezone.utc)
NAMES = ["src/a.py", "src/b.py", "docs/with space.md", "c.txt"]


def _edit(pick: random.Random, lines: list[str], number: int) -> list[str]:
    """Rewrite, delete and insert a few lines, as a change does."""
    lines = list(lines)
    for _ in range(pick.randint(1, 3)):
        action = pick.choice(["rewrite", "delete", "insert", "insert"])
        at = pick.randint(0, len(lines))
        if action == "rewrite" and at < len(lines):
            lines[at] = f"rewritten {number} {at}"
        elif action == "delete" and at < len(lines):
            del lines[at : at + pick.randint(1, 3)]
        else:
            lines[at:at] = [f"line {number} {k}" for k in range(pick.randint(1, 4))]
    return lines


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Repo, list[tuple[str, int, bool]]]:
    """A linear history of 45 commits over about four months: edits, new, deleted and
    renamed files, a file with a space in its name, a binary file and a mode change. Returns
    the repository and (sha, date in seconds, AI-assisted) oldest first."""
    pick = random.Random(20261130)
    repo = Repo(tmp_path_factory.mktemp("churn") / "repo")
    files: dict[str, list[str]] = {}
    made = []
    when = START
    for number in range(45):
        when += datetime.timedelta(days=pick.choice([0, 1, 2, 3, 5, 8]), hours=1)
        name = pick.choice(NAMES)
        if number == 20 and "src/a.py" in files:  # a rename with an edit
            files["src/renamed.py"] = _edit(pick, files.pop("src/a.py"), number)
            os.remove(repo.path / "src/a.py")
        elif number == 30:  # a pure rename
            source = sorted(files)[0]
            files[f"moved/{Path(source).name}"] = files.pop(source)
            os.remove(repo.path / source)
        elif number == 33 and "c.txt" in files:  # a file deleted
            del files["c.txt"]
            os.remove(repo.path / "c.txt")
        elif number == 36:
            repo.write("logo.bin", bytes(range(256)) * 4)
        elif number == 38:
            target = repo.path / sorted(files)[0]
            target.chmod(target.stat().st_mode | stat.S_IXUSR)
        else:
            files[name] = _edit(pick, files.get(name, []), number)
        for path, lines in files.items():
            repo.write(path, "".join(f"{line}\n" for line in lines))
        git(repo.path, "add", "-A")
        ai = pick.random() < 0.45
        stamp = when.isoformat()
        git(repo.path, "commit", "-q", "--no-verify", "--allow-empty", "-m",
            f"Change {number}{AI if ai else ''}",
            env={"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp})  # fmt: skip
        made.append((repo.head(), int(when.timestamp()), ai))
    return repo, made


def _plain_git(repo: Repo, made: list[tuple[str, int, bool]], days: int) -> dict[str, Any]:
    """Lines added (`git show --numstat`) and, of those, not in the tree at the last commit
    within the window (`git blame --line-porcelain` of every file there)."""
    window = days * 86400
    newest = made[-1][1]
    sums = {"ai": [0, 0, 0], "other": [0, 0, 0]}
    for index, (sha, when, ai) in enumerate(made):
        if when + window > newest:
            continue  # its window is not over in the history read
        end = max(i for i, (_, w, _) in enumerate(made) if w <= when + window)
        assert end >= index
        tip = made[end][0]
        added = 0
        for row in git(repo.path, "show", "--numstat", "-M", "--format=", sha).splitlines():
            plus = row.split("\t")[0]
            added += int(plus) if plus.isdigit() else 0
        survived = 0
        for path in git(repo.path, "ls-tree", "-r", "-z", "--name-only", tip).split("\0"):
            if path and path != "logo.bin":  # git counts no lines in a binary file
                blame = git(repo.path, "blame", "--line-porcelain", tip, "--", path)
                survived += sum(line.startswith(f"{sha} ") for line in blame.splitlines())
        side = sums["ai" if ai else "other"]
        side[0], side[1], side[2] = side[0] + 1, side[1] + added, side[2] + added - survived
    return {
        side: {
            "churn_commits": n,
            "added_lines": added,
            "churned_lines": churned,
            "churn_rate": round(churned / added, 4) if added else None,
        }
        for side, (n, added, churned) in sums.items()
    }


def _report(repo: Repo, *args: str) -> dict[str, Any]:
    code, lines = judge(repo.path, "report", "--format", "json", *args)
    assert code == 0
    data: dict[str, Any] = json.loads("\n".join(lines))
    return data


CHURN_KEYS = ("churn_commits", "added_lines", "churned_lines", "churn_rate")


@pytest.mark.parametrize("days", [21, 7])
def test_churn_equals_plain_git(
    built: tuple[Repo, list[tuple[str, int, bool]]],
    days: int,
) -> None:
    repo, made = built
    args = ["--churn"] if days == 21 else ["--churn-days", str(days)]
    data = _report(repo, *args)
    found = {
        side: {k: data["totals"]["quality"][side][k] for k in CHURN_KEYS}
        for side in ("ai", "other")
    }
    assert found == _plain_git(repo, made, days)
    assert data["churn_days"] == days
    assert found["ai"]["churned_lines"] > 0
    assert found["other"]["churned_lines"] > 0
    # every group carries the same figures, and they add up to the totals
    for key in CHURN_KEYS[:3]:
        assert sum(g["quality"]["ai"][key] for g in data["groups"]) == found["ai"][key]


def test_text_and_csv_show_the_json_figures(
    built: tuple[Repo, list[tuple[str, int, bool]]],
) -> None:
    import csv

    repo, _ = built
    quality = _report(repo, "--churn")["totals"]["quality"]
    ai, other = quality["ai"], quality["other"]
    text = judge(repo.path, "report", "--churn")[1]
    rows = list(csv.DictReader(judge(repo.path, "report", "--churn", "--format", "csv")[1]))
    header = text[3].split()
    assert header[-9:] == ["reverted", "AI", "/", "other", "churned", "AI", "/", "other", "tools"]
    assert text[-1] == (
        f"churned within 21 days: AI-assisted {ai['churned_lines']} of {ai['added_lines']}"
        f" lines ({ai['churn_rate'] * 100:.1f}%, {ai['churn_commits']} commits);"
        f" other {other['churned_lines']} of {other['added_lines']} lines"
        f" ({other['churn_rate'] * 100:.1f}%, {other['churn_commits']} commits)"
    )
    total = rows[-1]
    assert total["month"] == "all"
    assert [total[k] for k in ("ai_added_lines", "ai_churned_lines", "ai_churn_rate")] == [
        str(ai["added_lines"]),
        str(ai["churned_lines"]),
        str(ai["churn_rate"]),
    ]
    assert total["other_churned_lines"] == str(other["churned_lines"])


def test_without_churn_the_figures_are_absent_and_patches_unread(
    built: tuple[Repo, list[tuple[str, int, bool]]],
) -> None:
    repo, _ = built
    data = _report(repo)
    assert data["churn_days"] is None
    assert "added_lines" not in data["totals"]["quality"]["ai"]


def test_the_same_figures_whatever_the_chunk_size(
    built: tuple[Repo, list[tuple[str, int, bool]]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ai_governance.adoption import history

    repo, _ = built
    whole = _report(repo, "--churn")
    monkeypatch.setattr(history, "CHUNK", 7)  # patches cut anywhere, even inside a NUL run
    assert _report(repo, "--churn") == whole


def test_odd_configuration_does_not_change_the_patches(
    built: tuple[Repo, list[tuple[str, int, bool]]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    repo, _ = built
    whole = _report(repo, "--churn")
    config = tmp_path / "gitconfig"
    config.write_text(
        "[diff]\n\tnoprefix = false\n\tmnemonicPrefix = true\n\tcontext = 9\n"
        "\tinterHunkContext = 20\n\talgorithm = histogram\n\trenames = false\n"
        "\texternal = false\n[color]\n\tui = always\n[log]\n\tshowSignature = true\n"
    )
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    assert _report(repo, "--churn") == whole


@pytest.mark.parametrize("newest", [True, False])
def test_a_nul_in_a_forced_text_diff_fails_closed(
    repo: Repo, newest: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    """The commit whose patch holds a NUL is the last one read, or one before others."""
    repo.write(".gitattributes", "*.bin diff\n")
    repo.commit("Attributes", files={"data.bin": "a\0b\n"})
    if not newest:
        repo.commit("Later", files={"later.txt": "later\n"})
    assert judge(repo.path, "report", "--churn")[0] == 2
    assert capsys.readouterr().err == (
        "ai-governance: error: a patch in git log's output holds a NUL byte (a `diff`"
        " attribute shows a binary file as text?); --churn cannot read it, and nothing was"
        " counted\n"
    )


@pytest.mark.parametrize("value", ["0", "-3", "x", "99999"])
def test_a_bad_window_is_refused(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--churn-days", value]) == 2
    assert capsys.readouterr().err.endswith(
        f"argument --churn-days: not a number of days from 1 to 3660: {value!r}\n"
    )


def test_merged_reports_add_churn_and_refuse_a_mix(
    built: tuple[Repo, list[tuple[str, int, bool]]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    repo, _ = built
    monkeypatch.setenv("AI_GOVERNANCE_AUTHOR_KEY", "organisation secret")
    one = _report(repo, "--churn")
    paths = []
    for name, data in (("a", one), ("b", one), ("plain", _report(repo))):
        paths.append(tmp_path / f"{name}.json")
        paths[-1].write_text(json.dumps(data))
    assert main(["report", "--format", "json", "--merge", str(paths[0]), str(paths[1])]) == 0
    merged = json.loads(capsys.readouterr().out)
    assert merged["churn_days"] == 21
    for side in ("ai", "other"):
        for key in ("churn_commits", "added_lines", "churned_lines"):
            assert (
                merged["totals"]["quality"][side][key] == 2 * one["totals"]["quality"][side][key]
            )
    assert main(["report", "--merge", str(paths[0]), str(paths[2])]) == 2
    assert capsys.readouterr().err == (
        "ai-governance: usage error: the reports differ in `churn_days` (21, none);"
        " merge reports made with the same --churn\n"
    )
