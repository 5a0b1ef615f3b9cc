"""`ai-governance report` on histories built from real AI-assisted commits, checked against
plain git counts."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, Repo, git

from ai_governance.adoption import history
from ai_governance.cli import main

MESSAGES = FIXTURES / "commit-messages"
INDEX = json.loads((MESSAGES / "index.json").read_text())


def _who(text: str) -> tuple[str, str]:
    name, email = text.rsplit(" <", 1)
    return name, email.rstrip(">")


@pytest.fixture
def real_history(repo: Repo) -> Repo:
    """The 14 recorded commits, oldest first, with their own authors, committers and dates."""
    for entry in sorted(INDEX, key=lambda e: e["author_date"]):
        (an, ae), (cn, ce) = _who(entry["author"]), _who(entry["committer"])
        env = {
            "GIT_AUTHOR_NAME": an,
            "GIT_AUTHOR_EMAIL": ae,
            "GIT_COMMITTER_NAME": cn,
            "GIT_COMMITTER_EMAIL": ce,
            "GIT_AUTHOR_DATE": entry["author_date"],
            "GIT_COMMITTER_DATE": entry["author_date"],
        }
        repo.write("log.txt", entry["commit"])
        git(repo.path, "add", "log.txt")
        git(repo.path, "commit", "-q", "--no-verify", "-F", str(MESSAGES / entry["file"]), env=env)
    return repo


def report(repo: Repo, *args: str, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    import os

    cwd = os.getcwd()
    os.chdir(repo.path)
    try:
        assert main(["report", "--format", "json", *args]) == 0
    finally:
        os.chdir(cwd)
    data: dict[str, Any] = json.loads(capsys.readouterr().out)
    return data


def test_totals_on_real_commits_match_git(
    real_history: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    totals = report(real_history, capsys=capsys)["totals"]
    assert totals["commits"] == int(git(real_history.path, "rev-list", "--count", "HEAD")) == 14
    assert totals["merges"] == 0
    assert totals["ai_assisted"] == 11
    assert totals["by_tool"] == {"Aider": 4, "Claude": 1, "Claude Code": 5, "Cursor": 1}
    aider_by_name = git(real_history.path, "log", "--format=%an%n%cn").count("(aider)")
    assert aider_by_name == 3  # two commits by name (one of them twice), as index.json says
    assert (totals["disclosed"], totals["violations"]) == (0, {"ai-disclosure": 11})
    authors = set(git(real_history.path, "log", "--format=%ae").lower().split())
    assert totals["authors"] == len(authors)
    assert (totals["adoption"], totals["disclosure_compliance"]) == (round(11 / 14, 4), 0.0)


def test_groups_by_month_tool_author(
    real_history: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    months = {
        g["key"]: (g["commits"], g["ai_assisted"])
        for g in report(real_history, capsys=capsys)["groups"]
    }
    git_months: dict[str, int] = {}
    for date in git(real_history.path, "log", "--format=%aI").split():
        git_months[date[:7]] = git_months.get(date[:7], 0) + 1
    assert {k: v[0] for k, v in months.items()} == git_months
    assert months["2023-05"] == (1, 1)  # the old `aider:` subject convention
    tools = {
        g["key"]: g["commits"]
        for g in report(real_history, "--by", "tool", capsys=capsys)["groups"]
    }
    assert tools == {"(no AI evidence)": 3, "Aider": 4, "Claude": 1, "Claude Code": 5, "Cursor": 1}
    authors = report(real_history, "--by", "author", capsys=capsys)["groups"]
    assert sum(g["commits"] for g in authors) == 14
    newest: dict[str, str] = {}
    per_email: dict[str, int] = {}
    for line in git(real_history.path, "log", "--format=%aE%x00%aN").splitlines():
        email, name = line.split("\0")
        newest.setdefault(email.lower(), name)
        per_email[email.lower()] = per_email.get(email.lower(), 0) + 1
    # one row an address (as .mailmap maps it), shown by its newest name, most commits first
    assert [g["commits"] for g in authors] == sorted(per_email.values(), reverse=True)
    assert sorted(g["key"].split(" (")[0] for g in authors) == sorted(newest.values())


def test_teams_pilot_and_baseline(real_history: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    real_history.write(
        ".git/policy.yml",
        (
            "version: 1\nname: t\nteams:\n  aider-team: [paul@aider.chat]\n"
            "  anthropic: [ashwin@anthropic.com, lina@anthropic.com]\n"
            "rules:\n  - {id: ai-disclosure, kind: disclosure}\n"
        ),
    )
    policy = str(real_history.path / ".git" / "policy.yml")
    teams = {
        g["key"]: g["commits"]
        for g in report(real_history, "--policy", policy, "--by", "team", capsys=capsys)["groups"]
    }
    assert teams == {"(no team)": 7, "aider-team": 3, "anthropic": 4}
    pilot = report(real_history, "--policy", policy, "--pilot", "anthropic", capsys=capsys)
    assert [(g["key"], g["commits"], g["ai_assisted"]) for g in pilot["groups"]] == [
        ("anthropic", 4, 4),
        ("everyone else", 10, 7),
    ]
    split = report(real_history, "--baseline", "2026-01-01", capsys=capsys)["baseline"]
    assert (split["before"]["commits"], split["after"]["commits"]) == (4, 10)


def test_merges_counted_apart_or_left_out(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.commit("Initial")
    git(repo.path, "checkout", "-q", "-b", "side")
    repo.commit("Side\n\nCo-authored-by: Cursor <cursoragent@cursor.com>", files={"side.txt": "s"})
    git(repo.path, "checkout", "-q", "-")
    repo.commit("Main", files={"main.txt": "m"})
    git(repo.path, "merge", "-q", "--no-ff", "-m", "Merge side", "side")
    totals = report(repo, capsys=capsys)["totals"]
    assert (totals["commits"], totals["merges"], totals["ai_assisted"]) == (3, 1, 1)
    assert report(repo, "--no-merges", capsys=capsys)["totals"]["merges"] == 0
    dated = report(repo, "--since", "2000-01-01", "--until", "2001-01-01", capsys=capsys)
    assert dated["totals"]["commits"] == 0


def test_chunk_boundaries_do_not_change_anything(
    real_history: Repo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("AI_GOVERNANCE_AUTHOR_KEY", "k")  # ids the same in both runs
    whole = report(real_history, capsys=capsys)
    monkeypatch.setattr(history, "CHUNK", 7)
    assert report(real_history, capsys=capsys) == whole


def test_formats_and_merge(
    real_history: Repo,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(real_history.path)
    monkeypatch.setenv("AI_GOVERNANCE_AUTHOR_KEY", "the organisation's secret")
    outputs = [str(tmp_path / name) for name in ("r.json", "r.csv", "r.html")]
    assert (
        main(
            [
                "report",
                "--format",
                "json",
                "--output",
                outputs[0],
                "--format",
                "csv",
                "--output",
                outputs[1],
                "--format",
                "html",
                "--output",
                outputs[2],
            ]
        )
        == 0
    )
    csv_lines = Path(outputs[1]).read_text().splitlines()
    assert csv_lines[0] == (
        "month,commits,merges,ai_assisted,disclosed,authors,ai_authors,adoption,"
        "author_adoption,disclosure_compliance,ai_reverted,ai_revert_rate,other_reverted,"
        "other_revert_rate,by_tool,violations"
    )
    assert csv_lines[-1].startswith("all,14,0,11,0,")
    page = Path(outputs[2]).read_text()
    assert page.count("<svg") == 4  # trend, quality, teams, tools
    assert "<script" not in page
    assert 'src="http' not in page
    assert main(["report", "--merge", outputs[0], outputs[0], "--format", "json"]) == 0
    merged = json.loads(capsys.readouterr().out)["totals"]
    assert (merged["commits"], merged["authors"]) == (
        28,
        json.loads(Path(outputs[0]).read_text())["totals"]["authors"],
    )
    assert main(["report"]) == 0
    table = capsys.readouterr().out
    assert table.splitlines()[-2:] == [
        "violations by rule: ai-disclosure 11",
        "reverted: AI-assisted 0 of 11 (0.0%); other 0 of 3 (0.0%)",
    ]


def test_bad_input(
    repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.commit("One")
    monkeypatch.chdir(repo.path)
    assert main(["report", "no-such-rev"]) == 2
    assert capsys.readouterr().err == (
        "ai-governance: error: `git log no-such-rev` failed: fatal: bad revision 'no-such-rev'\n"
    )
    (tmp_path / "x.json").write_text("{}")
    assert main(["report", "--merge", str(tmp_path / "x.json")]) == 2
    assert "not an `ai-governance report --format json` document" in capsys.readouterr().err
    assert main(["report", "--pilot", "nobody"]) == 2


def test_a_nul_byte_in_a_message_fails_closed(
    repo: Repo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.commit("Initial")
    tree = git(repo.path, "rev-parse", "HEAD^{tree}").strip()
    raw = (
        f"tree {tree}\nparent {repo.head()}\nauthor A <a@example.com> 1700000000 +0000\n"
        "committer A <a@example.com> 1700000000 +0000\n\nSubject\x00hidden\n"
    ).encode()
    import subprocess

    sha = (
        subprocess.run(
            ["git", "hash-object", "-t", "commit", "-w", "--literally", "--stdin"],
            cwd=repo.path,
            input=raw,
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .strip()
    )
    git(repo.path, "update-ref", "HEAD", sha)
    monkeypatch.chdir(repo.path)
    assert main(["report", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["totals"]["commits"] == 2
    assert main(["check", "--range", "HEAD~1..HEAD", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["status"] == "pass"


def test_author_ids_are_keyed_by_the_organisations_secret(
    repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A staff list cannot be tested against the ids without the secret; reports made with
    one secret merge into one count of people; reports without it do not merge."""
    import hashlib
    import hmac

    repo.commit("Add\n\nCo-authored-by: Cursor <cursoragent@cursor.com>", author="Ann <ann@x.org>")
    plain = report(repo, capsys=capsys)
    assert (plain["author_key"], plain["totals"]["authors"], plain["totals"]["author_ids"]) == (
        None,
        1,
        [],
    )
    (tmp_path / "plain.json").write_text(json.dumps(plain))
    for output in ("json", "csv", "text", "html"):  # no format writes an address
        monkeypatch.chdir(repo.path)
        assert main(["report", "--format", output, "--output", str(tmp_path / output)]) == 0
        assert "ann@x.org" not in (tmp_path / output).read_text()
    monkeypatch.setenv("AI_GOVERNANCE_AUTHOR_KEY", "s3cret")
    keyed = report(repo, capsys=capsys)
    expected = hmac.new(b"s3cret", b"ann@x.org", hashlib.sha256).hexdigest()[:16]
    assert keyed["totals"]["author_ids"] == [expected]
    assert expected != hashlib.sha256(b"ann@x.org").hexdigest()[:16]  # not a bare digest
    assert (
        keyed["author_key"]
        == hmac.new(b"s3cret", b"ai-governance author key", hashlib.sha256).hexdigest()[:12]
    )
    (tmp_path / "keyed.json").write_text(json.dumps(keyed))
    monkeypatch.chdir(tmp_path)
    assert main(["report", "--merge", "keyed.json", "keyed.json", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["totals"]["authors"] == 1
    assert main(["report", "--merge", "keyed.json", "plain.json"]) == 2
    assert "make every report with the same AI_GOVERNANCE_AUTHOR_KEY" in capsys.readouterr().err


def test_mailmap_makes_one_person_of_several_addresses(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.commit("One", author="Ann Lee <ann@home.example>")
    repo.commit("Two", author="ann <ann@work.example>", files={"b.txt": "b"})
    assert report(repo, capsys=capsys)["totals"]["authors"] == 2
    repo.write(
        ".mailmap",
        "Ann Lee <ann@work.example> <ann@home.example>\nAnn Lee <ann@work.example> ann <ann@work.example>\n",
    )
    git(repo.path, "add", ".mailmap")
    git(
        repo.path,
        "commit",
        "-q",
        "--no-verify",
        "-m",
        "Map",
        "--author",
        "Ann Lee <ann@work.example>",
    )
    totals = report(repo, capsys=capsys)["totals"]
    assert (totals["commits"], totals["authors"]) == (3, 1)


def test_reverts_of_ai_commits_against_the_rest_equal_plain_git(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    """A history built for it: AI-assisted and other commits, some reverted by `git revert`
    (full sha) or by hand (an abbreviated one), one revert itself reverted."""
    import datetime
    import statistics

    def at(day: int) -> dict[str, str]:
        stamp = f"2026-03-{day:02d}T12:00:00+00:00"
        return {"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}

    ai = "\n\nCo-authored-by: Cursor <cursoragent@cursor.com>\nAssisted-by: Cursor\n"
    shas = []
    for day, message in enumerate(
        ["Base", f"AI one{ai}", f"AI two{ai}", "Human one", f"AI three{ai}", "Human two"], 1
    ):
        repo.write(f"f{day}.txt", message)
        git(repo.path, "add", "-A")
        git(repo.path, "commit", "-q", "--no-verify", "-m", message, env=at(day))
        shas.append(git(repo.path, "rev-parse", "HEAD").strip())
    git(repo.path, "revert", "--no-edit", shas[1], env=at(10))  # AI one, after 9 days
    revert = git(repo.path, "rev-parse", "HEAD").strip()
    repo.write("f3.txt", "undone")
    git(repo.path, "add", "-A")
    git(repo.path, "commit", "-q", "--no-verify", "-m",
        f"Undo human one\n\nThis reverts commit {shas[3][:9]}.", env=at(12))  # fmt: skip
    git(repo.path, "revert", "--no-edit", revert, env=at(13))  # a revert, reverted
    # plain git: every "This reverts commit" line, resolved by git itself
    log = git(repo.path, "log", "--format=%H%x00%aI%x00%B%x1e").split("\x1e")
    dates, named = {}, {}
    for entry in filter(str.strip, log):
        sha, date, body = entry.strip("\n").split("\x00", 2)
        dates[sha] = datetime.datetime.fromisoformat(date)
        for line in body.splitlines():
            if line.startswith("This reverts commit "):
                target = git(repo.path, "rev-parse", line.split()[3].rstrip(".,")).strip()
                named[target] = dates[sha]
    is_ai = {s for s in dates if "Assisted-by" in git(repo.path, "log", "-1", "--format=%B", s)}
    seconds = {s: int((when - dates[s]).total_seconds()) for s, when in named.items()}
    expected = {}
    for side, members in (("ai", is_ai), ("other", set(dates) - is_ai)):
        times = sorted(seconds[s] for s in members if s in seconds)
        expected[side] = {
            "commits": len(members),
            "reverted": len(times),
            "revert_rate": round(len(times) / len(members), 4),
            "median_days_to_revert": round(statistics.median(times) / 86400, 2) if times else None,
            "revert_seconds": times,
        }
    quality = report(repo, capsys=capsys)["totals"]["quality"]
    assert quality == expected
    assert (quality["ai"]["reverted"], quality["other"]["reverted"]) == (1, 2)


def test_the_pilot_against_everyone_else_month_by_month(
    repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for number, (stamp, name, email) in enumerate(
        [
            ("2026-01-01T12:00:00+00:00", "Ann", "ann@x.org"),
            ("2026-01-02T12:00:00+00:00", "Bob", "bob@x.org"),
            ("2026-02-09T12:00:00+00:00", "Ann", "ann@x.org"),
        ]
    ):
        env = {"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
        env |= {"GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email}
        repo.write(f"{number}.txt", name)
        git(repo.path, "add", "-A")
        git(repo.path, "commit", "-q", "--no-verify", "-m", f"Change {number}", env=env)
    (tmp_path / "p.yml").write_text(
        "version: 1\nname: p\nteams:\n  pilot: [ann@x.org]\nrules:\n"
        "  - {id: d, kind: disclosure}\n"
    )
    policy = str(tmp_path / "p.yml")
    by_month = report(repo, "--policy", policy, "--pilot", "pilot", "--by", "month", capsys=capsys)
    assert by_month["by"] == "pilot by month"
    assert [(g["key"], g["commits"]) for g in by_month["groups"]] == [
        ("2026-01 everyone else", 1),
        ("2026-01 pilot", 1),
        ("2026-02 pilot", 1),
    ]
    sides = report(repo, "--policy", policy, "--pilot", "pilot", capsys=capsys)
    assert (sides["by"], [g["key"] for g in sides["groups"]]) == (
        "pilot",
        ["everyone else", "pilot"],
    )


def test_months_are_counted_in_one_stated_zone(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two commits made an hour apart on the evening of 31 January in San Francisco and the
    morning of 1 February in Tokyo: git prints each in its author's offset."""
    import os

    for stamp in (
        "2026-01-31T17:00:00-08:00",  # 2026-02-01T01:00 UTC
        "2026-02-01T09:00:00+09:00",  # 2026-02-01T00:00 UTC
        "2026-01-15T12:00:00+00:00",
        "2026-02-28T23:30:00-05:00",  # 2026-03-01T04:30 UTC
    ):
        repo.write(f"{stamp}.txt", stamp)
        git(repo.path, "add", "-A")
        env = {"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
        git(repo.path, "commit", "-q", "--no-verify", "-m", stamp, env=env)

    def git_months(zone: str) -> dict[str, int]:
        found: dict[str, int] = {}
        env = {**os.environ, "TZ": zone}
        out = subprocess.run(
            ["git", "log", "--date=format-local:%Y-%m", "--format=%ad"],
            cwd=repo.path, env=env, capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        for month in out.split():
            found[month] = found.get(month, 0) + 1
        return found

    def months(*args: str) -> dict[str, int]:
        return {g["key"]: g["commits"] for g in report(repo, *args, capsys=capsys)["groups"]}

    assert months() == git_months("UTC") == {"2026-01": 1, "2026-02": 2, "2026-03": 1}
    assert months("--tz=-08:00") == git_months("UTC+08:00") == {"2026-01": 3, "2026-02": 1}
    assert months("--tz", "Asia/Tokyo") == git_months("Asia/Tokyo")
    # --until's day is the stated zone's too
    assert sum(months("--until", "2026-01-31").values()) == 1
    assert sum(months("--until", "2026-01-31", "--tz=-08:00").values()) == 3
    assert main(["report", "--tz", "Mars/Olympus"]) == 2
    assert "--tz 'Mars/Olympus': give UTC, an offset such as +02:00" in capsys.readouterr().err
