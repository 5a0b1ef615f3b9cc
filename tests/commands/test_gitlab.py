"""``ai-governance gitlab`` end to end: a real repository as the job's clone, a loopback
GitLab serving its real response shapes, the pipeline's variables as GitLab sets them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import jsonschema
import pytest
from conftest import FIXTURES, Repo, git
from gitlab_fake import (
    IID,
    PREFIX,
    PROJECT,
    FakeGitLab,
    Response,
    approval,
    error,
    member,
    reviewer,
    user,
)

from ai_governance.cli import main

ALICE = user("alice", 5)  # the merge request's author
BOB = user("bob", 6)
CAROL = user("carol", 7)
AI = (
    "Add a cache\n\nAssisted-by: Claude Code\n"
    "Co-Authored-By: Claude Opus 4.6 <noreply@anthropic.com>\n"
)
ALICE_COMMITS = "Alice <5-alice@users.noreply.gitlab.com>"
PUSHED = "2027-01-01T10:00:00.000Z"
AFTER, BEFORE = "2027-01-01T11:00:00.000Z", "2027-01-01T09:00:00.000Z"
SCHEMA = json.loads((FIXTURES / "gitlab" / "codeclimate.schema.json").read_text())


class Job:
    """A merge request pipeline: the clone, GitLab, and the variables of the job."""

    def __init__(self, repo: Repo, fake: FakeGitLab, monkeypatch: pytest.MonkeyPatch) -> None:
        self.repo, self.fake, self.monkeypatch = repo, fake, monkeypatch
        self.base = repo.commit("Initial", files={"app.py": "x = 1\n"})
        self.head = ""

    def push(
        self,
        message: str = AI,
        *,
        files: dict[str, str] | None = None,
        author: str = ALICE_COMMITS,
    ) -> str:
        self.head = self.repo.commit(
            message, files=files or {"cache.py": "CACHE = {}\n"}, author=author, committer=author
        )
        return self.head

    def policy(self, text: str) -> None:
        """A policy in the base commit (the one that judges)."""
        self.base = self.repo.commit(
            "Policy", files={".ai-governance.yml": f"version: 1\nname: t\n{text}"}
        )

    def serve(self, **fields: Any) -> dict[str, Any]:
        fields.setdefault("author", ALICE)
        return self.fake.serve(self.repo.path, self.base, self.head, **fields)

    def run(self, *args: str, **env: str) -> int:
        variables = {
            "CI": "true",
            "GITLAB_CI": "true",
            "CI_PIPELINE_SOURCE": "merge_request_event",
            "CI_API_V4_URL": self.fake.api,
            "CI_MERGE_REQUEST_PROJECT_ID": str(PROJECT),
            "CI_MERGE_REQUEST_IID": str(IID),
            "CI_MERGE_REQUEST_DIFF_BASE_SHA": self.base,
            "CI_MERGE_REQUEST_EVENT_TYPE": "detached",
            "CI_COMMIT_SHA": self.head,
            "CI_PROJECT_DIR": str(self.repo.path),
            "AI_GOVERNANCE_GITLAB_TOKEN": "glpat-test-token",
            **env,
        }
        for name, value in variables.items():
            if value is None:
                self.monkeypatch.delenv(name, raising=False)
            else:
                self.monkeypatch.setenv(name, value)
        return main(["gitlab", "--today", "2027-01-02", *args])

    def quality(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = json.loads(
            (self.repo.path / "gl-code-quality-report.json").read_text()
        )
        for finding in found:
            jsonschema.validate(finding, SCHEMA)
        return found


@pytest.fixture
def job(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> Iterator[Job]:
    with FakeGitLab() as fake:
        yield Job(repo, fake, monkeypatch)


def lines(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.strip()]


def test_an_independent_approval_after_the_last_push_passes(
    job: Job, capsys: pytest.CaptureFixture[str]
) -> None:
    job.push()
    job.serve(approved=[approval(BOB, AFTER)], pushed_at=PUSHED)
    assert job.run() == 0
    out = capsys.readouterr().out
    assert "PASS  ai-review (review, enforce): approved by bob (1 of 1)" in out
    assert "PASS  ai-disclosure (disclosure, enforce): merge request !133 is AI-assisted" in out
    assert "result: passed (exit 0)" in out
    assert job.quality() == []
    tokens = {token for _, _, token in job.fake.requests}
    assert tokens == {"glpat-test-token"}


def test_the_author_approving_their_own_merge_request_does_not_count(
    job: Job, capsys: pytest.CaptureFixture[str]
) -> None:
    job.push()
    job.serve(approved=[approval(ALICE, AFTER)])
    assert job.run() == 1
    out = capsys.readouterr().out
    assert "FAIL  ai-review (review, enforce): 0 of 1 approval(s)" in out
    assert "0 of 1 required independent approval(s)" in out
    quality = job.quality()
    assert [(q["check_name"], q["severity"]) for q in quality] == [
        ("ai-governance/ai-review", "major")
    ]


def test_an_approval_before_the_last_push_does_not_count_with_dismiss_stale(
    job: Job, capsys: pytest.CaptureFixture[str]
) -> None:
    job.policy(
        "rules:\n  - id: review\n    kind: review\n    approvals: 1\n    dismiss_stale: true\n"
    )
    job.push("Add a cache\n")
    job.serve(approved=[approval(BOB, BEFORE), approval(CAROL, AFTER)], pushed_at=PUSHED)
    assert job.run() == 0
    assert "approved by carol (1 of 1)" in capsys.readouterr().out
    job.serve(approved=[approval(BOB, BEFORE)], pushed_at=PUSHED)
    assert job.run() == 1
    assert "0 of 1 required independent approval(s) of the head commit" in capsys.readouterr().out


def test_an_undated_approval_counts_as_stale_and_is_said(
    job: Job, capsys: pytest.CaptureFixture[str]
) -> None:
    job.policy("rules:\n  - id: review\n    kind: review\n    dismiss_stale: true\n")
    job.push("Add a cache\n")
    job.serve(approved=[approval(BOB, None)], premium=False)
    assert job.run() == 1
    out = capsys.readouterr().out
    assert "GitLab does not say when bob approved" in out
    assert "0 of 1 required independent approval(s) of the head commit" in out


def test_a_request_for_changes_blocks_and_bots_do_not_count(
    job: Job, capsys: pytest.CaptureFixture[str]
) -> None:
    job.push()
    token_user = user("project_15513260_bot_4f9c", 901)
    job.serve(
        approved=[approval(BOB, AFTER)],
        reviewers=[reviewer(CAROL, "requested_changes"), reviewer(BOB, "reviewed")],
    )
    assert job.run() == 1
    assert "carol requested changes" in capsys.readouterr().out
    job.serve(approved=[approval(token_user, AFTER), approval(user("svc", 9, bot=True), AFTER)])
    assert job.run() == 1
    assert (
        "0 of 1 required independent approval(s); bots do not count:"
        " project_15513260_bot_4f9c, svc" in capsys.readouterr().out
    )


def test_a_commit_author_approving_is_not_independent(
    job: Job, capsys: pytest.CaptureFixture[str]
) -> None:
    job.push(author="Bob <6-bob@users.noreply.gitlab.com>")
    job.serve(approved=[approval(BOB, AFTER)])
    assert job.run() == 1
    assert "0 of 1 required independent approval(s)" in capsys.readouterr().out


def test_commit_authors_without_a_username_cannot_be_shown_independent(
    job: Job, capsys: pytest.CaptureFixture[str]
) -> None:
    job.push(author="Bob <bob@acme.com>")
    job.serve(approved=[approval(BOB, AFTER)])
    assert job.run() == 1
    out = capsys.readouterr().out
    assert (
        "independence cannot be verified: no GitLab login is known for Bob <bob@acme.com>,"
        " who wrote commits of this merge request" in out
    )
    assert "commit with their GitLab noreply address" in out


def test_other_pipelines_and_missing_settings_are_usage_errors(
    job: Job, capsys: pytest.CaptureFixture[str]
) -> None:
    job.push()
    job.serve()
    assert job.run(CI_PIPELINE_SOURCE="push") == 2
    assert capsys.readouterr().err == (
        "ai-governance: usage error: this is a push pipeline, not a merge request pipeline"
        " (CI_PIPELINE_SOURCE=merge_request_event): it has no merge request to judge; run"
        ' the job with `rules: - if: $CI_PIPELINE_SOURCE == "merge_request_event"` (the'
        " template does)\n"
    )
    assert job.run(AI_GOVERNANCE_GITLAB_TOKEN="") == 2
    assert "AI_GOVERNANCE_GITLAB_TOKEN is not set" in capsys.readouterr().err
    assert job.run(CI_MERGE_REQUEST_IID="") == 2
    assert capsys.readouterr().err == (
        "ai-governance: usage error: a merge request pipeline without CI_MERGE_REQUEST_IID:"
        " nothing was judged\n"
    )
    assert job.run(GITLAB_CI="") == 2
    assert "not in GitLab CI" in capsys.readouterr().err
    assert job.fake.requests == []


@pytest.mark.parametrize(
    ("status", "body", "said"),
    [
        (401, "401.json", "(401 Unauthorized): the token is missing, wrong or expired"),
        (403, "403.json", "(403 Forbidden): the token may not read it"),
        (404, "404.project.json", "(404 Project Not Found): missing, or hidden from this token"),
    ],
)
def test_a_refused_api_fails_the_job_and_says_why(
    job: Job, capsys: pytest.CaptureFixture[str], status: int, body: str, said: str
) -> None:
    job.push()
    job.serve()
    job.fake.routes[PREFIX] = [Response(status, error(body))]
    assert job.run() == 1
    err = capsys.readouterr().err
    assert err.startswith("ai-governance: error: GitLab answered ")
    assert said in err


def test_a_rate_limit_is_waited_out(job: Job, capsys: pytest.CaptureFixture[str]) -> None:
    job.push()
    job.serve(approved=[approval(BOB, AFTER)])
    limited = Response(429, error("429.application_limit.json"), {"Retry-After": "0"})
    job.fake.routes[f"{PREFIX}/commits"].insert(0, limited)
    assert job.run() == 0
    paths = [path.split("?")[0] for _, path, _ in job.fake.requests]
    assert paths.count(f"{PREFIX}/commits") == 2


def test_a_wrong_shaped_answer_is_an_error_never_a_pass(
    job: Job, capsys: pytest.CaptureFixture[str]
) -> None:
    job.push()
    job.serve(approved=[approval(BOB, AFTER)])
    job.fake.routes[f"{PREFIX}/approvals"] = [Response(200, {"approved": True})]
    assert job.run() == 1
    assert capsys.readouterr().err == (
        f"ai-governance: error: GitLab's approvals of projects/{PROJECT}/merge_requests/{IID}:"
        " `approved_by` must be a list but is missing; nothing was judged\n"
    )


def test_every_page_of_commits_is_judged(
    repo: Repo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with FakeGitLab(page_size=2) as fake:
        job = Job(repo, fake, monkeypatch)
        for index in range(4):
            job.push("Tidy\n", files={f"f{index}.txt": "x"})
        job.push("Add a cache\n\nCo-Authored-By: Claude Opus 4.6 <noreply@anthropic.com>\n")
        for index in range(4, 6):
            job.push("Tidy more\n", files={f"f{index}.txt": "x"})
        job.serve(approved=[approval(BOB, AFTER)])
        assert job.run() == 1
    out = capsys.readouterr().out
    assert "FAIL  ai-disclosure (disclosure, enforce)" in out
    pages = [p for _, p, _ in fake.requests if p.startswith(f"{PREFIX}/commits")]
    assert len(pages) == 4  # 7 commits, 2 a page


def test_the_base_policy_judges_a_merge_request_that_loosens_it(
    job: Job, capsys: pytest.CaptureFixture[str]
) -> None:
    job.push(
        "Add a cache\n\nCo-Authored-By: Claude Opus 4.6 <noreply@anthropic.com>\n",
        files={
            ".ai-governance.yml": "version: 1\nname: loose\nrules: []\n",
            "cache.py": "C = 1\n",
        },
    )
    job.serve()
    assert job.run() == 1
    out = capsys.readouterr().out
    assert "ai-governance-default" in out
    assert "this change touches the policy file .ai-governance.yml" in out


def test_editing_the_ci_configuration_that_runs_the_check_is_flagged(
    job: Job, capsys: pytest.CaptureFixture[str]
) -> None:
    job.push(
        "Drop the job\n",
        files={".gitlab-ci.yml": "stages: [test]\n", "ci/gov.gitlab-ci.yml": "x: 1\n"},
    )
    job.serve()
    job.run()
    out = capsys.readouterr().out
    assert (
        "this change touches .gitlab-ci.yml, the CI configuration that runs this check: it"
        " could change or remove the check for itself" in out
    )
    assert "this change touches ci/gov.gitlab-ci.yml, the CI configuration" in out
    job.run(CI_CONFIG_PATH=".gitlab-ci.yml@acme/central")
    assert "touches .gitlab-ci.yml, the CI" not in capsys.readouterr().out


def test_nothing_from_the_merge_request_reaches_the_log_as_a_control_sequence(
    job: Job, capsys: pytest.CaptureFixture[str]
) -> None:
    evil = "\x1b[2J\x1b]8;;http://x\x07section_start:1:evil\r\x1b[0Kgotcha\x9b31m"
    shell = "import subprocess\nsubprocess.call(input(), shell=True)\n"
    job.push(f"Add {evil}\n", files={f"x{evil}.py": shell})
    job.serve(title=f"Title {evil}", description=evil)
    assert job.run("--format", "text", "--format", "markdown", "--format", "json") == 1
    captured = capsys.readouterr()
    for out in (captured.out, captured.err):
        assert not any(c in out for c in "\x1b\x07\r\x9b")
        assert "section_start:" not in out
    # the text quotes the path C-style and JSON escapes it; Markdown backslashes its `_`
    assert captured.out.count("section\u200b_start:1:evil") == 2
    assert "section\\_start:1:evil" in captured.out
    assert json.loads((job.repo.path / "gl-code-quality-report.json").read_text())


def test_merged_results_pipelines_judge_the_merge_request_head(
    job: Job, capsys: pytest.CaptureFixture[str]
) -> None:
    job.push()
    job.serve(approved=[approval(BOB, AFTER)])
    git(job.repo.path, "checkout", "-q", "--detach", job.base)
    merge = job.repo.commit("Merge branch into main\n", files={"other.txt": "o"})
    assert (
        job.run(
            CI_MERGE_REQUEST_EVENT_TYPE="merged_result",
            CI_COMMIT_SHA=merge,
            CI_MERGE_REQUEST_SOURCE_BRANCH_SHA=job.head,
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "other.txt" not in out
    job.run(
        CI_MERGE_REQUEST_EVENT_TYPE="detached",
        CI_COMMIT_SHA=job.base,
        CI_MERGE_REQUEST_SOURCE_BRANCH_SHA="",
        CI_MERGE_REQUEST_DIFF_BASE_SHA=merge,
    )
    out = capsys.readouterr().out
    assert (
        f"the merge request's head moved to {job.head[:12]} after this pipeline started"
        f" (for {job.base[:12]}); the current head was judged" in out
    )
    assert (
        f"the merge request's diff base is {job.base[:12]}, not the pipeline's"
        f" CI_MERGE_REQUEST_DIFF_BASE_SHA {merge[:12]} (its target moved); the current base"
        " and its policy were used" in out
    )


def test_teams_are_gitlab_groups(job: Job, capsys: pytest.CaptureFixture[str]) -> None:
    job.policy(
        "teams:\n  security: ['@acme/appsec']\n"
        "rules:\n  - id: review\n    kind: review\n    from_teams: [security]\n"
    )
    job.push("Add a cache\n")
    job.serve(approved=[approval(BOB, AFTER), approval(CAROL, AFTER)])
    job.fake.routes["/api/v4/groups/acme%2Fappsec/members/all"] = [
        Response(200, [member("carol", 7), member("dave", 8)])
    ]
    assert job.run() == 0
    assert "approved by carol (1 of 1 from security)" in capsys.readouterr().out
    job.fake.routes["/api/v4/groups/acme%2Fappsec/members/all"] = [
        Response(404, error("404.record_not_found.json"))
    ]
    assert job.run() == 1
    assert "could not read the members of team(s) security" in capsys.readouterr().out


def test_the_note_is_posted_once_and_edited_in_place(
    job: Job, capsys: pytest.CaptureFixture[str]
) -> None:
    job.push()
    job.serve(approved=[approval(ALICE, AFTER)])
    assert job.run("--comment") == 1
    out = capsys.readouterr().out
    url = f"https://gitlab.example.com/acme/app/-/merge_requests/{IID}#note_1000"
    assert f"ai-governance: note created: {url}" in out
    assert len(job.fake.notes) == 1
    assert job.fake.notes[0]["body"].startswith("<!-- ai-governance: pull request comment -->")
    assert "changes are still required" in job.fake.notes[0]["body"]
    assert "this note is updated in place on every run" in job.fake.notes[0]["body"]
    job.serve(approved=[approval(BOB, AFTER)])
    assert job.run("--comment") == 0
    assert f"ai-governance: note updated: {url}" in capsys.readouterr().out
    assert len(job.fake.notes) == 1
    assert "resolved: every rule passes" in job.fake.notes[0]["body"]
    assert job.run("--comment") == 0
    assert f"ai-governance: note unchanged: {url}" in capsys.readouterr().out


def test_a_token_that_may_only_read_keeps_the_verdict_and_says_so(
    job: Job, capsys: pytest.CaptureFixture[str]
) -> None:
    job.push()
    job.serve(approved=[approval(BOB, AFTER)])
    job.fake.scripts[f"POST {PREFIX}/notes"] = [
        Response(403, error("403.insufficient_scope.json"))
    ]
    assert job.run("--comment") == 0
    out = capsys.readouterr().out
    assert "result: passed (exit 0)" in out
    assert (
        "ai-governance: no note: the token may not write to the merge request (posting a note"
        " needs the api scope; read_api only reads): GitLab answered 403 for POST" in out
    )
    assert "insufficient_scope: The request requires higher privileges" in out
    assert job.fake.notes == []


def test_someone_elses_note_with_the_marker_is_never_edited(
    job: Job, capsys: pytest.CaptureFixture[str]
) -> None:
    job.push()
    job.serve(approved=[approval(BOB, AFTER)])
    job.fake.notes.append(
        {
            "id": 5,
            "body": "<!-- ai-governance: pull request comment -->\nforged: passed",
            "author": ALICE,
            "system": False,
        }
    )
    job.run("--comment")
    assert [n["body"].split("\n")[1] for n in job.fake.notes] == [
        "forged: passed",
        "### ai-governance: ✅ resolved: every rule passes",
    ]


def test_the_sast_report_and_the_code_quality_report(
    job: Job, capsys: pytest.CaptureFixture[str]
) -> None:
    job.push(
        files={
            "run.py": "import subprocess\n\n\ndef run(cmd):\n    return subprocess.call(cmd, shell=True)\n"
        }
    )
    job.serve(approved=[approval(BOB, AFTER)])
    assert job.run("--sast", "gl-sast-report.json") == 1
    quality = job.quality()
    assert [(q["check_name"], q["severity"], q["location"]) for q in quality] == [
        ("ai-governance/bandit/B404", "minor", {"path": "run.py", "lines": {"begin": 1}}),
        ("ai-governance/bandit/B602", "critical", {"path": "run.py", "lines": {"begin": 5}}),
    ]
    sast = json.loads((job.repo.path / "gl-sast-report.json").read_text())
    schema = json.loads(
        (FIXTURES / "gitlab" / "sast" / "sast-report-format.15.1.0.json").read_text()
    )
    jsonschema.validate(sast, schema)
    assert [
        (v["identifiers"][0]["value"], v["severity"], v["location"])
        for v in sast["vulnerabilities"]
    ] == [
        ("B404", "Low", {"file": "run.py", "start_line": 1, "end_line": 1}),
        ("B602", "High", {"file": "run.py", "start_line": 5, "end_line": 5}),
    ]
    assert job.run("--codequality", "") == 1


def test_errors_reach_the_log_inert_too(job: Job, capsys: pytest.CaptureFixture[str]) -> None:
    job.push()
    job.serve()
    evil = "x\x1b[2Jsection_start:1:a\r.yml"
    assert job.run("--policy", evil) == 2
    assert capsys.readouterr().err == (
        "ai-governance: usage error: the policy x[2Jsection\u200b_start:1:a.yml does not exist"
        f" in the base commit {job.base[:12]}; a pull request is judged by the base commit's"
        " policy\n"
    )


def test_a_note_that_landed_despite_an_error_is_not_posted_twice(
    job: Job, capsys: pytest.CaptureFixture[str]
) -> None:
    job.push()
    job.serve(approved=[approval(BOB, AFTER)])
    job.fake.scripts[f"POST {PREFIX}/notes"] = ["lands"]
    assert job.run("--comment") == 0
    assert "ai-governance: note unchanged: " in capsys.readouterr().out
    assert len(job.fake.notes) == 1
    job.fake.me = {"username": "no-id"}
    assert job.run("--comment") == 0
    assert (
        "ai-governance: no note: GitLab's answer to GET /user has no numeric `id`"
        in capsys.readouterr().out
    )


def test_the_templates_variables_set_the_options(
    job: Job, capsys: pytest.CaptureFixture[str]
) -> None:
    job.push(files={"run.py": "import subprocess\nsubprocess.call(input(), shell=True)\n"})
    job.serve(approved=[approval(BOB, AFTER)])
    code = job.run(
        AI_GOVERNANCE_SAST="true",
        AI_GOVERNANCE_COMMENT="false",
        AI_GOVERNANCE_FAIL_ON="warning",
        AI_GOVERNANCE_POLICY=".ai-governance.yml",
    )
    assert code == 2
    assert (
        "the policy .ai-governance.yml does not exist in the base commit"
        in capsys.readouterr().err
    )
    assert job.run(AI_GOVERNANCE_POLICY="", AI_GOVERNANCE_SAST="true") == 1
    assert (job.repo.path / "gl-sast-report.json").is_file()
    assert job.fake.notes == []
    assert job.run(AI_GOVERNANCE_COMMENT="yes") == 2
    assert capsys.readouterr().err.endswith(
        "ai-governance: usage error: AI_GOVERNANCE_COMMENT='yes': choose true or false\n"
    )
    assert job.run(AI_GOVERNANCE_COMMENT="", AI_GOVERNANCE_FAIL_ON="never") == 2
    assert capsys.readouterr().err.endswith(
        "ai-governance: usage error: AI_GOVERNANCE_FAIL_ON='never': choose error or warning\n"
    )


CENTRAL_SHA = "0123456789abcdef0123456789abcdef01234567"


def test_a_central_policy_on_gitlab_is_read_at_its_commit(
    job: Job, capsys: pytest.CaptureFixture[str]
) -> None:
    """The base policy extends a GitLab project's policy at a commit: the job reads it
    through the API (and what it extends, in the same project and commit)."""
    central = "version: 1\nname: central\nextends: [common.yml]\nrules:\n  - id: two\n    kind: review\n    approvals: 2\n"
    common = "version: 1\nname: common\nrules:\n  - id: ai-disclosure\n    kind: disclosure\n"
    project = "acme/platform/governance"
    job.fake.files[(project, "central.yml", CENTRAL_SHA)] = central.encode()
    job.fake.files[(project, "common.yml", CENTRAL_SHA)] = common.encode()
    job.policy(f'extends: ["gitlab:{project}:central.yml@{CENTRAL_SHA}"]\nrules: []\n')
    job.push()
    job.serve(approved=[approval(BOB, AFTER)])
    assert job.run() == 1
    out = capsys.readouterr().out
    assert "FAIL  two (review, enforce): 1 of 2 approval(s)" in out
    assert "PASS  ai-disclosure (disclosure, enforce)" in out
    job.fake.files.clear()
    assert job.run() == 2
    url = f"{job.fake.api}/projects/acme%2Fplatform%2Fgovernance/repository/files"
    assert capsys.readouterr().err == (
        f".ai-governance.yml@{job.base[:12]}: extends gitlab:{project}:central.yml@"
        f"{CENTRAL_SHA}: GitLab answered 404 for {url}/central.yml/raw?ref={CENTRAL_SHA}"
        " (404 Not found): missing, or hidden from this token; for a private repository"
        " give the job a token that can read its contents\n"
        "ai-governance: 1 policy problem(s); nothing was judged\n"
    )


def test_a_github_central_policy_cannot_be_read_from_gitlab(
    job: Job, capsys: pytest.CaptureFixture[str]
) -> None:
    job.policy(f'extends: ["github:acme/.github/central.yml@{CENTRAL_SHA}"]\nrules: []\n')
    job.push()
    job.serve()
    assert job.run() == 2
    assert capsys.readouterr().err == (
        f"extends github:acme/.github/central.yml@{CENTRAL_SHA}: a GitLab job has no GitHub API"
        " to read it through; keep the central policy in a GitLab project"
        " (gitlab:GROUP/PROJECT:PATH@SHA)\n"
        "ai-governance: 1 policy problem(s); nothing was judged\n"
    )
