"""Fault battery: the ways an author, a developer's git config or a payload could talk the
gate out of a verdict. Each ends in a failing result with a reason or a clear error."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import Repo, git, judge, make_policy
from github_fake import FakeGitHub, Response, pull_request_event, review_item

from ai_governance.change import Change, Commit, Identity, PullRequest, Review
from ai_governance.cli import main
from ai_governance.commands import pull_request
from ai_governance.engine import evaluate
from ai_governance.errors import GitError, PolicyError, UsageError
from ai_governance.gather import github, local
from ai_governance.gather.github_api import Api, GitHubError
from ai_governance.policy import load

DAY = datetime.date(2027, 1, 1)
SCAN = (
    "version: 1\nname: scan\nrules:\n  - id: scan\n    kind: security-scan\n    new_only: true\n"
)


# 1. The scan's view of the change depends on the commits alone.


@pytest.mark.parametrize(
    "config",
    [
        [],
        ["diff.noprefix=true"],
        ["diff.interHunkContext=100"],
        ["diff.relative=true"],
        ["diff.external=true"],
        ["log.showSignature=true"],
    ],
)
def test_attributes_config_and_folder_hide_no_added_line(repo: Repo, config: list[str]) -> None:
    repo.write(".ai-governance.yml", SCAN)
    base = repo.commit("Base", files={"src/app.py": "x = 1\n", "docs/x.md": "x\n"})
    repo.commit(
        "Hide it",
        files={
            ".gitattributes": "*.py -diff binary diff=nothing\n",
            "src/app.py": "import subprocess\nx = 1\nsubprocess.call(input(), shell=True)\n",
        },
    )
    for setting in config:
        git(repo.path, "config", *setting.split("=", 1))
    for where in (repo.path, repo.path / "docs"):
        code, lines = judge(where, "check", "--range", f"{base}..HEAD", "--format", "json")
        result = json.loads("\n".join(lines))["results"][0]
        assert (code, result["status"]) == (1, "failed")
        assert [(f["path"], f["line"]) for f in result["findings"]] == [("src/app.py", 3)]


# 2. "New" means a finding the change introduces.


def test_deleting_a_safe_keyword_makes_the_finding_new(repo: Repo) -> None:
    repo.write(".ai-governance.yml", SCAN)
    safe = "import hashlib\nh = hashlib.md5(\n    b'x',\n    usedforsecurity=False,\n)\n"
    base = repo.commit("Base", files={"app.py": safe})
    repo.commit("Drop it", files={"app.py": safe.replace("    usedforsecurity=False,\n", "")})
    code, lines = judge(repo.path, "check", "--range", f"{base}..HEAD", "--format", "json")
    result = json.loads("\n".join(lines))["results"][0]
    assert code == 1
    assert [(f["path"], f["line"], f["message"][:4]) for f in result["findings"]] == [
        ("app.py", 2, "B324")
    ]


def test_moved_code_is_not_new_and_a_shebang_makes_a_file_new(repo: Repo) -> None:
    repo.write(".ai-governance.yml", SCAN)
    body = "import subprocess\nsubprocess.call(input(), shell=True)\n"
    base = repo.commit("Base", files={"app.py": body, "tool.sh": body})  # not Python
    git(repo.path, "mv", "tool.sh", "tool")  # a rename and a shebang make it Python
    repo.commit(
        "Move and promote",
        files={"app.py": "# moved down\n\n" + body, "tool": "#!/usr/bin/env pypy3\n" + body},
    )
    code, lines = judge(repo.path, "check", "--range", f"{base}..HEAD", "--format", "json")
    result = json.loads("\n".join(lines))["results"][0]
    assert code == 1
    found = [(f["path"], f["line"]) for f in result["findings"] if f["message"][:4] == "B602"]
    assert found == [("tool", 3)]


# 3. What counts as Python.


@pytest.mark.parametrize(
    ("name", "first"),
    [
        ("run", "#!/usr/bin/env -S uv run --script"),
        ("run", "#!/usr/bin/env pypy3"),
        ("run", "#!/opt/python3.12/bin/python3.12 -u"),
        ("Tool.PY", "# no shebang"),
        ("deploy.sh", "#!/usr/bin/env python"),
        ("manage", "import os"),
        ("manage", "# a helper, run as `python manage`: no shebang, comments first"),
    ],
)
def test_every_form_of_python_is_scanned(repo: Repo, name: str, first: str) -> None:
    repo.write(".ai-governance.yml", SCAN)
    repo.write(name, f"{first}\nimport subprocess\nsubprocess.call(input(), shell=True)\n")
    git(repo.path, "add", "-A")
    code, lines = judge(repo.path, "check", "--staged", "--format", "json")
    result = json.loads("\n".join(lines))["results"][0]
    assert (code, [(f["path"], f["line"]) for f in result["findings"]]) == (1, [(name, 3)])


def test_a_python_named_link_to_an_unscanned_file_is_refused(repo: Repo) -> None:
    repo.write(".ai-governance.yml", SCAN)
    repo.write("bin/tool.sh", "import subprocess\nsubprocess.call(input(), shell=True)\n")
    (repo.path / "run.py").symlink_to("bin/tool.sh")
    (repo.path / "stub.pyi").write_text("x: int\n")
    git(repo.path, "add", "-A")
    code, lines = judge(repo.path, "check", "--staged", "--format", "json")
    result = json.loads("\n".join(lines))["results"][0]
    assert (code, result["status"]) == (1, "error")
    assert [(f["path"], f["message"]) for f in result["findings"]] == [
        (
            "run.py",
            "not scanned: a symbolic link to bin/tool.sh (a file not named like Python): what"
            " runs through it is not scanned; commit the file itself, or point the link at a"
            " .py file in the repository",
        ),
        ("stub.pyi", "not scanned: a type stub"),
    ]


# 4 and 5. Who counts, and teams.


def _pr(*reviews: Review, commits: tuple[Commit, ...] = (), author: str = "ann") -> Change:
    pr = PullRequest(7, "Add", "", author, head_sha="h", reviews=reviews)
    return Change("pull-request", commits, (), pr)


REVIEW = "version: 1\nname: r\n{extra}rules:\n  - id: review\n    kind: review\n{rule}"


@pytest.mark.parametrize("bot", ["github-actions[bot]", "claude[bot]", "coderabbitai"])
def test_bots_never_count_as_approvers(bot: str) -> None:
    policy = make_policy(REVIEW.format(extra="", rule=""))
    flagged = Review(bot, "APPROVED", "h", bot=not bot.endswith("[bot]"))
    result = evaluate(policy, _pr(flagged), DAY).results[0]
    assert (result.status, result.findings[0].message) == (
        "failed",
        f"0 of 1 required independent approval(s); bots do not count: {bot}",
    )
    named = make_policy(REVIEW.format(extra="", rule=f"    bot_approvers: ['{bot}']\n"))
    assert evaluate(named, _pr(flagged), DAY).results[0].status == "passed"


def test_a_commit_author_approving_under_their_login_does_not_count() -> None:
    bob = Identity("Bob", "bob@acme.com")
    commits = (Commit("c1", "Add", bob, bob),)
    unknown = evaluate(
        make_policy(REVIEW.format(extra="", rule="")),
        _pr(Review("bob", "APPROVED", "h"), commits=commits),
        DAY,
    ).results[0]
    assert unknown.status == "failed"
    assert unknown.findings[0].message == (
        "independence cannot be verified: no GitHub login is known for Bob <bob@acme.com>,"
        " who wrote commits of this pull request, so an approval by bob may be their own"
    )
    mapped = make_policy(REVIEW.format(extra="people:\n  bob: [bob@acme.com]\n", rule=""))
    result = evaluate(mapped, _pr(Review("bob", "APPROVED", "h"), commits=commits), DAY)
    assert result.results[0].findings[0].message == "0 of 1 required independent approval(s)"


def test_github_teams_decide_rollout_and_scope() -> None:
    text = (
        "version: 1\nname: t\nteams:\n  pilot: ['@acme/pilot']\n"
        "rollout:\n  - {teams: [pilot], mode: enforce}\n  - {mode: warn}\n"
        "rules:\n  - id: d\n    kind: disclosure\n    scope: {teams: [pilot]}\n"
    )
    policy = make_policy(text)
    ai = Commit("c1", "Add\n\nCo-Authored-By: Claude <noreply@anthropic.com>", None, None)
    change = _pr(commits=(ai,))._replace(team_members={"@acme/pilot": frozenset({"ann"})})
    result = evaluate(policy, change, DAY).results[0]
    assert (result.mode, result.status) == ("enforce", "failed")
    unread = evaluate(policy, change._replace(team_members={}), DAY).results[0]
    assert (unread.mode, unread.status) == ("enforce", "error")


# 6. Paths: a moved file matches by its old path; moving the policy is a policy change.


def test_moving_a_file_out_of_a_guarded_folder_keeps_the_rule(repo: Repo) -> None:
    policy = (
        "version: 1\nname: p\nrules:\n  - id: scan\n    kind: security-scan\n"
        "    scope: {paths: ['src/auth/**'], exclude_paths: ['tests/**']}\n"
    )
    shell = "import subprocess\nsubprocess.call(input(), shell=True)\n"
    files = {".ai-governance.yml": policy, "src/auth/login.py": shell, "src/auth/token.py": shell}
    base = repo.commit("Base", files=files)
    git(repo.path, "mv", "src/auth/login.py", "src/login.py")
    (repo.path / "tests").mkdir()
    git(repo.path, "mv", "src/auth/token.py", "tests/token.py")
    git(repo.path, "mv", ".ai-governance.yml", ".ai-governance.yaml")
    git(repo.path, "commit", "-qm", "Move")
    change = local.from_range(f"{base}..HEAD", str(repo.path), max_bytes=1 << 20)
    report = evaluate(make_policy(policy), change, DAY)
    assert [(f.path, f.line) for f in report.results[0].findings] == [
        ("src/login.py", 2),
        ("tests/token.py", 2),
    ]
    assert pull_request.policy_notices(None, change) == (
        "this change touches the policy file .ai-governance.yaml; it was judged by the policy"
        " of the base commit, and the change needs the policy owners' review",
        "this change touches the policy file .ai-governance.yml; it was judged by the policy"
        " of the base commit, and the change needs the policy owners' review",
    )


# 7. The policy under review.


def test_both_policy_names_and_an_unreadable_base_policy(repo: Repo) -> None:
    strict = "version: 1\nname: strict\nrules:\n  - id: d\n    kind: disclosure\n"
    base = repo.commit("Base", files={".ai-governance.yaml": strict})
    assert pull_request.base_policy(None, base, str(repo.path)).name == "strict"
    code, _ = judge(repo.path, "validate")
    assert code == 0
    repo.write(".ai-governance.yml", strict)
    with pytest.raises(
        PolicyError, match=re.escape("both .ai-governance.yml and .ai-governance.yaml")
    ):
        load.load(None, str(repo.path))
    code, _ = judge(repo.path, "check", "--range", "HEAD")
    assert code == 2
    blob = git(repo.path, "rev-parse", f"{base}:.ai-governance.yaml").strip()
    obj = repo.path / ".git" / "objects" / blob[:2] / blob[2:]
    obj.unlink()
    with pytest.raises(GitError, match=f"run `git fetch --no-filter origin {base}`"):
        pull_request.base_policy(None, base, str(repo.path))


# 8 and 12. Events, payloads and API garbage.


@pytest.fixture
def fake() -> Any:
    with FakeGitHub() as server:
        yield server


@pytest.mark.parametrize(
    ("name", "action_name"),
    [
        ("pull_request", "opened"),
        ("pull_request", "closed"),
        ("pull_request", "converted_to_draft"),
        ("pull_request", "review_requested"),
        ("pull_request", "assigned"),
        ("pull_request_target", "opened"),
        ("pull_request_review_comment", "created"),
    ],
)
def test_every_event_with_a_pull_request_is_judged(
    repo: Repo, fake: FakeGitHub, tmp_path: Path, name: str, action_name: str
) -> None:
    base = repo.commit("Initial")
    head = repo.commit("Add\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n")
    fake.serve_pull(repo.path, 5, base, head, reviews=[review_item("bob", "APPROVED", head)])
    payload = pull_request_event(5, base, head, 1) | {"action": action_name}
    path = tmp_path / "event.json"
    path.write_text(json.dumps(payload))
    event = github.read_event(str(path), name)
    report = pull_request.judge(
        github.source(event, Api(fake.url, "t")), str(repo.path), None, DAY
    )
    assert (report.status, report.results[0].status) == ("fail", "failed")


def test_merge_group_judges_the_queued_commits(repo: Repo, tmp_path: Path) -> None:
    base = repo.commit("Initial")
    head = repo.commit("Add\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n")
    payload = {
        "action": "checks_requested",
        "merge_group": {"base_sha": base, "head_sha": head},
        "repository": {"full_name": "octo-org/app"},
    }
    (tmp_path / "e.json").write_text(json.dumps(payload))
    event = github.read_event(str(tmp_path / "e.json"), "merge_group")
    report = pull_request.judge(
        github.source(event, Api("http://127.0.0.1:9", "t")), str(repo.path), None, DAY
    )
    assert [(r.rule, r.status) for r in report.results] == [
        ("ai-disclosure", "failed"),
        ("ai-review", "skipped"),
        ("bandit", "passed"),
    ]


@pytest.mark.parametrize(
    ("payload", "error"),
    [
        ({}, "a unrecognised event carries no pull request"),
        ({"pull_request": {"number": 1}}, "`repository.full_name` must be a str but is missing"),
        (
            {"pull_request": {"number": "1"}, "repository": {"full_name": "o/r"}, "action": "x"},
            "`number` must be a int but is a str",
        ),
        (
            {"pull_request": {"number": 1}, "repository": {"full_name": "o/r"}},
            "`action` must be a str but is missing",
        ),
    ],
)
def test_a_malformed_payload_is_an_error(tmp_path: Path, payload: Any, error: str) -> None:
    (tmp_path / "e.json").write_text(json.dumps(payload))
    with pytest.raises(UsageError, match=re.escape(error)):
        github.read_event(str(tmp_path / "e.json"), "")


@pytest.mark.parametrize(
    ("route", "answer", "error"),
    [
        ("", Response(200, {"number": 5}), "`base.sha` must be a str but is missing"),
        ("/commits", Response(200, [{"sha": None}]), "`sha` must be a str but is missing"),
        ("/reviews", Response(200, [{"user": None, "state": 3}]), "`state` must be a str"),
        ("/reviews", Response(200, {"message": "x"}), "something that is not a list"),
        ("/files", Response(429, {}, {"Retry-After": "soon"}), "neither seconds nor a date"),
        (
            "/files",
            Response(200, [], {"Content-Length": "4096"}),
            "after 4 attempts: .*IncompleteRead",
        ),
    ],
)
def test_api_garbage_is_a_clear_error(
    repo: Repo, fake: FakeGitHub, route: str, answer: Response, error: str
) -> None:
    base = repo.commit("Initial")
    head = repo.commit("Change")
    fake.serve_pull(repo.path, 5, base, head)
    fake.routes[f"/repos/octo-org/app/pulls/5{route}"] = [answer]
    event = github.Event("pull_request_review", "submitted", "octo-org/app", 5, {"number": 5})
    if route:
        event = event._replace(pr=pull_request_event(5, base, head, 1)["pull_request"])
    with pytest.raises(GitHubError, match=error):
        pull_request.judge(
            github.source(event, Api(fake.url, "t", sleep=lambda s: None)),
            str(repo.path),
            None,
            DAY,
        )


# 9 and 10. fail-on: warning, and free text in the runner's log.


def test_an_unverified_warn_rule_fails_under_fail_on_warning_and_text_is_inert(
    repo: Repo,
    fake: FakeGitHub,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    policy = (
        "version: 1\nname: p\nteams:\n  sec: ['@acme/sec']\nrules:\n"
        "  - id: sec-review\n    kind: review\n    mode: warn\n    from_teams: [sec]\n"
    )
    base = repo.commit("Base", files={".ai-governance.yml": policy})
    head = repo.commit("Add\n\nCo-Authored-By: Claude ##[error]forged <noreply@anthropic.com>\n")
    fake.serve_pull(repo.path, 5, base, head, reviews=[review_item("bob", "APPROVED", head)])
    fake.routes["/orgs/acme/teams/sec/members"] = [Response(403, {"message": "Forbidden"})]
    (tmp_path / "e.json").write_text(json.dumps(pull_request_event(5, base, head, 1)))
    outputs = tmp_path / "out"
    outputs.write_text("")
    for name, value in {
        "GITHUB_EVENT_NAME": "pull_request",
        "GITHUB_EVENT_PATH": str(tmp_path / "e.json"),
        "GITHUB_API_URL": fake.url,
        "GITHUB_WORKSPACE": str(repo.path),
        "GITHUB_OUTPUT": str(outputs),
        "INPUT_FORMAT": "text",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("INPUT_FAIL_ON", "error")
    assert main(["github", "--today", "2027-01-01"]) == 0
    assert "\nerror\n" not in outputs.read_text()
    log = capsys.readouterr().out.splitlines()
    monkeypatch.setenv("INPUT_FAIL_ON", "warning")
    assert main(["github", "--today", "2027-01-01"]) == 1
    assert "status<<" in outputs.read_text()
    assert outputs.read_text().split("status<<", 2)[2].split("\n")[1] == "error"
    start = next(i for i, line in enumerate(log) if line.startswith("::stop-commands::"))
    end = log.index(f"::{log[start].removeprefix('::stop-commands::')}::")
    outside = log[:start] + log[end + 1 :]
    assert [line for line in log[start:end] if "##[" in line] != []
    assert [line for line in outside if "##[" in line] == []


# 11. Pull-request bodies: every line, HTML comments, folded trailers.


DISCLOSE = "version: 1\nname: d\nrules:\n  - id: d\n    kind: disclosure\n"


def _body(body: str, message: str = "Add") -> Change:
    pr = PullRequest(3, "Add", body, "ann", head_sha="h")
    return Change("pull-request", (Commit("c1", message, None, None),), (), pr)


def test_pull_request_bodies_are_read_as_shown() -> None:
    policy = make_policy(DISCLOSE)
    first = evaluate(policy, _body("Co-Authored-By: Claude <noreply@anthropic.com>"), DAY)
    assert (first.ai_assisted, first.results[0].status) == (True, "failed")
    hidden = "Co-Authored-By: Claude <noreply@anthropic.com>\n<!-- Assisted-by: Claude Code -->"
    commented = evaluate(policy, _body(hidden), DAY)
    assert (commented.ai_assisted, commented.results[0].status) == (True, "failed")
    only_comment = evaluate(policy, _body("<!-- Co-Authored-By: Claude -->"), DAY)
    assert only_comment.ai_assisted is False
    folded = evaluate(policy, _body("", "Add\n\nAssisted-by:\n  Claude Code"), DAY)
    assert (folded.ai_assisted, folded.results[0].status) == (True, "passed")


# 12. Garbage in: dates, merged reports, unknown Bandit ids.


def test_report_dates_and_merged_reports_are_checked(
    repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.commit("One")
    assert judge(repo.path, "report", "--since", "notadate")[0] == 2
    assert capsys.readouterr().err == (
        "ai-governance: usage error: --since 'notadate' is not a date: use YYYY-MM-DD or"
        " YYYY-MM-DDTHH:MM[:SS]\n"
    )
    _, lines = judge(repo.path, "report", "--format", "json")
    good = json.loads("\n".join(lines))
    bad = tmp_path / "bad.json"
    for broken in ({**good, "totals": {**good["totals"], "commits": "7"}}, {**good, "groups": 3}):
        bad.write_text(json.dumps(broken))
        assert judge(repo.path, "report", "--merge", str(bad))[0] == 2
        assert capsys.readouterr().err.startswith(
            f"ai-governance: usage error: {bad}: not a whole `ai-governance report --format"
            " json` document ("
        )


def test_an_unknown_bandit_id_is_a_policy_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "p.yml"
    path.write_text(SCAN + "    tests: [B602, B620]\n")
    assert judge(tmp_path, "validate", str(path))[0] == 2
    assert (
        capsys.readouterr()
        .err.splitlines()[0]
        .startswith(
            f"{path}:7:19: rules[0].tests[1]: unknown Bandit test id 'B620'; the installed Bandit"
        )
    )


@pytest.mark.parametrize("name", ["workflow_run", "check_suite"])
def test_events_that_list_pull_requests_judge_the_one_listed_or_refuse(
    tmp_path: Path, name: str
) -> None:
    payload: dict[str, Any] = {
        "action": "completed",
        name: {"pull_requests": [{"number": 5}]},
        "repository": {"full_name": "octo-org/app"},
    }
    (tmp_path / "e.json").write_text(json.dumps(payload))
    assert github.read_event(str(tmp_path / "e.json"), "")[:4] == (
        name,
        "completed",
        "octo-org/app",
        5,
    )
    payload[name]["pull_requests"] = []
    (tmp_path / "e.json").write_text(json.dumps(payload))
    with pytest.raises(UsageError, match=f"the {name} event names 0 pull requests, not one"):
        github.read_event(str(tmp_path / "e.json"), name)


def test_commit_text_is_inert_in_any_format_in_a_runner_log(
    repo: Repo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.commit(
        "Add ##[error]forged\n\nCo-Authored-By: Claude ##[add-mask]x <noreply@anthropic.com>\n"
    )
    monkeypatch.chdir(repo.path)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    for fmt in ("text", "json", "sarif"):
        assert main(["check", "--range", "HEAD", "--format", fmt]) == 1
        lines = capsys.readouterr().out.splitlines()
        token = lines[0].removeprefix("::stop-commands::")
        assert re.fullmatch("[0-9a-f]{32}", token)
        assert lines[-1] == f"::{token}::"
        assert any("##[" in line for line in lines[1:-1]) or fmt == "sarif", fmt
    monkeypatch.delenv("GITHUB_ACTIONS")
    assert main(["check", "--range", "HEAD"]) == 1
    assert not capsys.readouterr().out.startswith("::stop-commands::")


def test_a_bandit_test_that_crashes_is_a_scan_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """Bandit logs a test that raised and carries on without its verdict; here every
    check of calls raises (as a plugin bug or PYTHONWARNINGS=error would make it)."""
    from ai_governance.scanners import bandit

    bandit.import_quietly()  # Bandit warns about its own extras when it loads
    from bandit.core import context

    def broken(self: object) -> str:
        raise RuntimeError("plugin bug")

    monkeypatch.setattr(context.Context, "call_function_name_qual", property(broken))
    scan = bandit.scan_here(
        [("app.py", b"import subprocess\nsubprocess.call('x', shell=True)\n")], (), ()
    )
    assert [hit.test_id for hit in scan.hits] == ["B404"]  # the import check still ran
    assert scan.errors[0][0] == "app.py"
    assert scan.errors[0][1].startswith("Bandit's test ")
    assert "crashed at line 2: plugin bug" in scan.errors[0][1]


def test_a_large_data_file_is_streamed_past_and_a_large_script_is_an_error(repo: Repo) -> None:
    repo.write(".ai-governance.yml", SCAN + "    max_file_bytes: 1000\n")
    repo.write("data.bin", b"\x89PNG" + b"\0" * 5000)
    repo.write("tool", "#!/usr/bin/env python3\n" + "x = 1\n" * 500)
    git(repo.path, "add", "-A")
    code, lines = judge(repo.path, "check", "--staged", "--format", "json")
    result = json.loads("\n".join(lines))["results"][0]
    assert (code, result["status"]) == (1, "error")
    assert [(f["path"], f["message"]) for f in result["findings"]] == [
        ("tool", "not scanned: 3023 bytes, over the cap of 1000")
    ]


def test_rollout_and_scope_teams_are_read_from_the_api(
    repo: Repo, fake: FakeGitHub, tmp_path: Path
) -> None:
    policy = (
        "version: 1\nname: t\nteams:\n  pilot: ['@acme/pilot']\n"
        "rollout:\n  - {teams: [pilot], mode: enforce}\n  - {mode: warn}\nrules:\n"
        "  - id: d\n    kind: disclosure\n  - id: s\n    kind: disclosure\n"
        "    scope: {teams: [pilot]}\n"
    )
    base = repo.commit("Base", files={".ai-governance.yml": policy})
    head = repo.commit("Add\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n")
    fake.serve_pull(repo.path, 5, base, head)
    members = [{**review_item("octocat", "APPROVED", head)["user"], "login": "octocat"}]
    fake.routes["/orgs/acme/teams/pilot/members"] = [Response(200, members)]
    (tmp_path / "e.json").write_text(json.dumps(pull_request_event(5, base, head, 1)))
    event = github.read_event(str(tmp_path / "e.json"), "pull_request")
    report = pull_request.judge(
        github.source(event, Api(fake.url, "t")), str(repo.path), None, DAY
    )
    assert [(r.rule, r.mode, r.status) for r in report.results] == [
        ("d", "enforce", "failed"),
        ("s", "enforce", "failed"),
    ]


def test_a_change_to_the_workflow_running_the_check_is_flagged(repo: Repo) -> None:
    from ai_governance.commands.github import workflow_path

    workflow = workflow_path("octo-org/app/.github/workflows/gov.yml@refs/pull/5/merge")
    assert workflow == ".github/workflows/gov.yml"
    assert workflow_path("") is None
    base = repo.commit("Base", files={".github/workflows/gov.yml": "on: pull_request\n"})
    git(repo.path, "rm", "-q", ".github/workflows/gov.yml")
    git(repo.path, "commit", "-qm", "Drop the check")
    change = local.from_range(f"{base}..HEAD", str(repo.path))
    assert pull_request.policy_notices(None, change, pull_request.actions_workflow(workflow)) == (
        "this change touches .github/workflows/gov.yml, the workflow that runs this check: it"
        " could change or remove the check for itself; it needs the policy owners' review,"
        " and a required workflow from a central repository prevents it"
        " (docs/github-action.md)",
    )


@pytest.mark.parametrize("name", ["Mallory[bot]", "Mallory (aider)", "Copilot"])
def test_a_commit_author_cannot_name_themselves_out_of_independence(name: str) -> None:
    """Whatever name a commit author types, their login (as the forge links the email) is
    theirs; with an unlinked email the approval cannot be shown to be someone else's."""
    policy = make_policy(REVIEW.format(extra="", rule=""))
    linked = Identity(name, "mallory@acme.com", "mallory")
    commits = (Commit("c1", "Add", linked, linked),)
    result = evaluate(policy, _pr(Review("mallory", "APPROVED", "h"), commits=commits), DAY)
    assert result.results[0].findings[0].message == "0 of 1 required independent approval(s)"
    unlinked = Identity(name, "mallory@acme.com")
    commits = (Commit("c1", "Add", unlinked, unlinked),)
    result = evaluate(policy, _pr(Review("mallory", "APPROVED", "h"), commits=commits), DAY)
    assert result.results[0].status == "failed"
    assert (
        result.results[0]
        .findings[0]
        .message.startswith(
            f"independence cannot be verified: no GitHub login is known for {name} <mallory@acme.com>"
        )
    )


def test_a_tool_address_and_githubs_committer_are_not_people() -> None:
    policy = make_policy(REVIEW.format(extra="", rule=""))
    ann = Identity("Ann", "ann@acme.com", "ann")
    web = Identity("GitHub", "noreply@github.com")
    message = "Add\n\nCo-Authored-By: Claude <noreply@anthropic.com>"
    commits = (Commit("c1", message, ann, web),)
    result = evaluate(policy, _pr(Review("bob", "APPROVED", "h"), commits=commits), DAY)
    assert result.results[0].status == "passed"
    spoofed = (Commit("c1", "Add", web, web),)  # GitHub's address as an author is no excuse
    result = evaluate(policy, _pr(Review("bob", "APPROVED", "h"), commits=spoofed), DAY)
    assert result.results[0].status == "failed"
