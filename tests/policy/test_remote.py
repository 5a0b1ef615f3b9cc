"""A central policy in another repository, pinned to a commit (`github:OWNER/REPO/PATH@SHA`):
read through the API in CI, from the user's cache by the hooks, filled by `fetch`."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from conftest import Repo, judge
from github_fake import FakeGitHub

from ai_governance.errors import PolicyError
from ai_governance.policy import remote

SHA = "0123456789abcdef0123456789abcdef01234567"
CENTRAL = """version: 1
name: acme-central
extends: [common.yml]
rules:
  - id: ai-review
    kind: review
    approvals: 2
"""
COMMON = """version: 1
name: acme-common
rules:
  - id: ai-disclosure
    kind: disclosure
"""
OWN = f"""version: 1
name: payments
extends: ["github:acme/.github/policies/central.yml@{SHA}"]
rules:
  - id: bandit
    kind: security-scan
"""


def serve_central(fake: FakeGitHub, central: str = CENTRAL) -> None:
    fake.files[("acme/.github", "policies/central.yml", SHA)] = central.encode()
    fake.files[("acme/.github", "policies/common.yml", SHA)] = COMMON.encode()


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            "github:acme/.github/central.yml@main",
            "@main is not a full commit SHA: a branch, a tag or a short SHA can change what"
            " every extending repository enforces; pin the 40-hex commit SHA (lower case)",
        ),
        ("github:acme/.github/central.yml@v1.2.0", "@v1.2.0 is not a full commit SHA"),
        ("github:acme/.github/central.yml@0123456", "@0123456 is not a full commit SHA"),
        (f"github:acme/.github/central.yml@{SHA.upper()}", "is not a full commit SHA"),
        ("github:acme/.github/central.yml@", "@(nothing) is not a full commit SHA"),
        (
            "github:acme/.github/central.yml",
            "write a policy in another repository as github:OWNER/REPO/PATH@<40-hex commit SHA>",
        ),
        (f"github:acme/.github/../../etc/passwd.yml@{SHA}", "is outside the repository"),
        (f"github:acme/.github/central.json@{SHA}", "central.json is not a .yml or .yaml file"),
        (f"github:acme/../central.yml@{SHA}", "'..' is not a repository name"),
        (f"github:-acme/x/central.yml@{SHA}", "write a policy in another repository as"),
    ],
)
def test_only_a_pinned_reference_inside_a_repository_is_accepted(text: str, problem: str) -> None:
    with pytest.raises(ValueError, match=re.escape(problem)):
        remote.parse(text)


def test_a_relative_extends_in_a_remote_policy_stays_in_its_repository_and_commit() -> None:
    name = f"github:acme/.github/policies/central.yml@{SHA}"
    assert str(remote.target(name, "common.yml")) == (
        f"github:acme/.github/policies/common.yml@{SHA}"
    )
    assert remote.target("own/.ai-governance.yml", "base.yml") is None
    with pytest.raises(ValueError, match="outside the repository"):
        remote.target(name, "../../x.yml")


def test_a_moving_ref_is_a_validation_error_at_its_line(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.write(".ai-governance.yml", OWN.replace(SHA, "main"))
    code, out = judge(repo.path, "validate", ".ai-governance.yml")
    assert (code, out) == (2, [])
    assert capsys.readouterr().err == (
        ".ai-governance.yml:3:11: extends[0]: github:acme/.github/policies/central.yml@main:"
        " @main is not a full commit SHA: a branch, a tag or a short SHA can change what every"
        " extending repository enforces; pin the 40-hex commit SHA (lower case)\n"
        "ai-governance: 1 policy problem(s); nothing was judged\n"
    )


def test_without_the_cache_the_hook_fails_naming_the_command_never_the_default(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.write(".ai-governance.yml", OWN)
    (repo.path / "msg").write_text("Add a cache\n")
    code, _ = judge(repo.path, "hook", "commit-msg", "msg")
    cache = Path(os.environ["AI_GOVERNANCE_CACHE"]) / "ai-governance"
    path = cache / "remote/github/acme/.github" / SHA / "policies/central.yml"
    assert code == 2
    assert capsys.readouterr().err == (
        f"{repo.path}/.ai-governance.yml: extends github:acme/.github/policies/central.yml@{SHA}:"
        f" github:acme/.github/policies/central.yml@{SHA} is not in the local cache ({path});"
        " run `ai-governance fetch` to fill it (CI reads it through the API)\n"
        "ai-governance: 1 policy problem(s); nothing was judged\n"
    )


def test_fetch_fills_the_cache_then_the_hooks_enforce_the_central_rules_offline(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo.write(".ai-governance.yml", OWN)
    with FakeGitHub() as fake:
        serve_central(fake)
        monkeypatch.setenv("GITHUB_API_URL", fake.url)
        monkeypatch.setenv("GITHUB_TOKEN", "secret")
        code, out = judge(repo.path, "fetch")
        again = judge(repo.path, "fetch")
    cache = Path(os.environ["AI_GOVERNANCE_CACHE"]) / "ai-governance"
    folder = cache / "remote/github/acme/.github" / SHA / "policies"
    assert (code, out) == (
        0,
        [
            f"fetched  github:acme/.github/policies/central.yml@{SHA} ({len(CENTRAL)} bytes) into"
            f" {folder / 'central.yml'}",
            f"fetched  github:acme/.github/policies/common.yml@{SHA} ({len(COMMON)} bytes) into"
            f" {folder / 'common.yml'}",
            f"{repo.path}/.ai-governance.yml: valid policy `payments` (3 rules); 2 remote policies in the"
            " cache",
        ],
    )
    assert again[1][:2] == [
        f"cached   github:acme/.github/policies/central.yml@{SHA}",
        f"cached   github:acme/.github/policies/common.yml@{SHA}",
    ]
    assert [(p.split("?")[1], auth) for p, auth in fake.requests] == [
        (f"ref={SHA}", "Bearer secret"),
        (f"ref={SHA}", "Bearer secret"),
    ]
    (repo.path / "msg").write_text(
        "Add a cache\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n"
    )
    monkeypatch.delenv("GITHUB_API_URL")  # the hook never reaches the network
    code, out = judge(repo.path, "hook", "commit-msg", "msg")
    assert code == 1
    assert (
        out[0]
        == f"ai-governance: policy payments ({repo.path}/.ai-governance.yml), stage commit-msg"
    )
    assert any(line.startswith("FAIL  ai-disclosure (disclosure, enforce)") for line in out)


def test_a_repository_cannot_weaken_a_remote_rule(
    repo: Repo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    weaker = OWN + "  - id: ai-review\n    kind: review\n    approvals: 1\n"
    repo.write(".ai-governance.yml", weaker)
    with FakeGitHub() as fake:
        serve_central(fake)
        monkeypatch.setenv("GITHUB_API_URL", fake.url)
        code, _ = judge(repo.path, "fetch")
    assert code == 2
    assert capsys.readouterr().err.splitlines()[-2] == (
        f"{repo.path}/.ai-governance.yml:9:16: rules[1].approvals: lowers approvals from 2 to 1"
        f" (inherited from github:acme/.github/policies/central.yml@{SHA}:7:16)"
    )


def test_a_tampered_cache_copy_is_read_again_not_trusted_from_the_policy_cache(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The policy cache keeps the remote file's bytes: editing the copy is seen at once."""
    repo.write(".ai-governance.yml", OWN)
    with FakeGitHub() as fake:
        serve_central(fake)
        monkeypatch.setenv("GITHUB_API_URL", fake.url)
        judge(repo.path, "fetch")
    assert judge(repo.path, "validate", "--effective")[0] == 0
    cache = Path(os.environ["AI_GOVERNANCE_CACHE"]) / "ai-governance"
    copy = cache / "remote/github/acme/.github" / SHA / "policies/central.yml"
    (repo.path / "msg").write_text("Add a cache\n")
    assert judge(repo.path, "hook", "commit-msg", "msg")[0] == 0
    copy.write_text(CENTRAL.replace("approvals: 2", "approvals: [2]"))
    assert judge(repo.path, "hook", "commit-msg", "msg")[0] == 2


def test_the_action_reads_a_remote_base_through_the_api(repo: Repo) -> None:
    from ai_governance.commands import pull_request
    from ai_governance.gather.github import contents
    from ai_governance.gather.github_api import Api

    repo.write(".ai-governance.yml", OWN)
    base = repo.commit("Policy", files={".ai-governance.yml": OWN})
    with FakeGitHub() as fake:
        serve_central(fake)
        api = Api(fake.url, None, sleep=lambda _: None)
        policy = pull_request.base_policy(
            None, base, str(repo.path), fetch=lambda ref: contents(api, ref)
        )
        assert [r.id for r in policy.rules] == ["ai-disclosure", "ai-review", "bandit"]
        del fake.files[("acme/.github", "policies/common.yml", SHA)]
        with pytest.raises(PolicyError) as caught:
            pull_request.base_policy(
                None, base, str(repo.path), fetch=lambda ref: contents(api, ref)
            )
    assert list(caught.value.problems) == [
        f"github:acme/.github/policies/central.yml@{SHA}: extends common.yml: GitHub answered"
        f" 404 for {fake.url}/repos/acme/.github/contents/policies/common.yml?ref={SHA}:"
        " missing, or hidden from this token; for a private repository give the job a token"
        " that can read its contents"
    ]


def test_a_pull_request_is_judged_by_the_remote_rules_its_base_extends(
    repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Through the GitHub front end: nothing in the user's cache, the API at the pin."""
    import json

    from github_fake import pull_request_event, review_item

    base = repo.commit("Policy", files={".ai-governance.yml": OWN})
    head = repo.commit("Add a cache\n\nAssisted-by: Claude Code\n", files={"a.py": "x = 1\n"})
    with FakeGitHub() as fake:
        serve_central(fake)
        fake.serve_pull(repo.path, 3, base, head, reviews=[review_item("bob", "APPROVED", head)])
        monkeypatch.setenv("GITHUB_API_URL", fake.url)
        event = tmp_path / "event.json"
        event.write_text(json.dumps(pull_request_event(3, base, head, 1)))
        code, out = judge(repo.path, "check", "--github-event", str(event), "--format", "json")
    report = json.loads("\n".join(out))
    assert code == 1
    assert [(r["rule"], r["status"], r["reason"]) for r in report["results"]][:2] == [
        ("ai-disclosure", "passed", "pull request #3 is AI-assisted and discloses it"),
        ("ai-review", "failed", "1 of 2 approval(s)"),
    ]
    cache = Path(os.environ["AI_GOVERNANCE_CACHE"]) / "ai-governance" / "remote"
    assert not cache.exists()


GITLAB_OWN = OWN.replace(
    f"github:acme/.github/policies/central.yml@{SHA}",
    f"gitlab:acme/platform/governance:policies/central.yml@{SHA}",
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            f"gitlab:acme/governance:central.yml@{SHA}",
            remote.Ref("acme", "governance", "central.yml", SHA, "gitlab"),
        ),
        (
            f"gitlab:acme/platform/sec.team/governance:policies/central.yml@{SHA}",
            remote.Ref(
                "acme/platform/sec.team", "governance", "policies/central.yml", SHA, "gitlab"
            ),
        ),
    ],
)
def test_a_gitlab_reference_names_a_project_of_any_depth(text: str, expected: remote.Ref) -> None:
    assert remote.parse(text) == expected
    assert str(expected) == text
    cache = remote.cache_file(expected, "/c")
    assert cache == "/c/remote/gitlab/" + expected.project + f"/{SHA}/" + expected.path


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            f"gitlab:governance:central.yml@{SHA}",
            "write a policy in another repository as gitlab:GROUP/PROJECT:PATH@",
        ),
        (
            f"gitlab:acme/governance/central.yml@{SHA}",
            "as gitlab:GROUP/PROJECT:PATH@<40-hex commit SHA>",
        ),
        (f"gitlab:acme/../governance:central.yml@{SHA}", "'..' is not a repository name"),
        (f"gitlab:acme/..:central.yml@{SHA}", "'..' is not a repository name"),
        (f"gitlab:acme/governance:../x.yml@{SHA}", "is outside the repository"),
        ("gitlab:acme/governance:central.yml@main", "@main is not a full commit SHA"),
        (
            f"bitbucket:acme/governance/central.yml@{SHA}",
            "github:OWNER/REPO/PATH@<40-hex commit SHA> or gitlab:",
        ),
    ],
)
def test_a_gitlab_reference_is_pinned_and_inside_its_project(text: str, problem: str) -> None:
    with pytest.raises(ValueError, match=re.escape(problem)):
        remote.parse(text)


def test_fetch_reads_a_gitlab_central_policy_through_gitlabs_api(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gitlab_fake import FakeGitLab

    repo.write(".ai-governance.yml", GITLAB_OWN)
    with FakeGitLab() as fake:
        fake.files[("acme/platform/governance", "policies/central.yml", SHA)] = CENTRAL.encode()
        fake.files[("acme/platform/governance", "policies/common.yml", SHA)] = COMMON.encode()
        monkeypatch.setenv("AI_GOVERNANCE_GITLAB_API_URL", fake.api)
        monkeypatch.setenv("AI_GOVERNANCE_GITLAB_TOKEN", "glpat-fetch")
        code, out = judge(repo.path, "fetch")
    folder = (
        Path(os.environ["AI_GOVERNANCE_CACHE"])
        / "ai-governance/remote/gitlab/acme/platform/governance"
        / SHA
        / "policies"
    )
    assert (code, out[:2]) == (
        0,
        [
            f"fetched  gitlab:acme/platform/governance:policies/central.yml@{SHA}"
            f" ({len(CENTRAL)} bytes) into {folder / 'central.yml'}",
            f"fetched  gitlab:acme/platform/governance:policies/common.yml@{SHA}"
            f" ({len(COMMON)} bytes) into {folder / 'common.yml'}",
        ],
    )
    assert {token for _, _, token in fake.requests} == {"glpat-fetch"}
    assert fake.requests[0][1] == (
        f"/api/v4/projects/acme%2Fplatform%2Fgovernance/repository/files/"
        f"policies%2Fcentral.yml/raw?ref={SHA}"
    )
    (repo.path / "msg").write_text(
        "Add a cache\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n"
    )
    code, _ = judge(repo.path, "hook", "commit-msg", "msg")
    assert code == 1  # the central disclosure rule, from the cache, offline


def test_a_gitlab_central_policy_cannot_be_read_through_github() -> None:
    from ai_governance.gather.github import contents
    from ai_governance.gather.github_api import Api

    ref = remote.parse(f"gitlab:acme/governance:central.yml@{SHA}")
    with pytest.raises(PolicyError) as caught:
        contents(Api("https://api.github.com", None), ref)
    assert list(caught.value.problems) == [
        f"extends gitlab:acme/governance:central.yml@{SHA}: a GitLab project's file;"
        " GitHub's API cannot read it"
    ]
