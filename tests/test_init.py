"""`ai-governance init` in real repositories: what it writes, that a second run changes
nothing, that it never overwrites without --force, and the errors it gives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import Repo, judge, valid_workflow

SHA = "0123456789abcdef0123456789abcdef01234567"
ARGS = ("init", "--repo", "https://github.com/acme/ai-governance", "--rev", SHA)
FILES = (
    ".ai-governance.yml",
    ".pre-commit-config.yaml",
    ".github/workflows/ai-governance.yml",
    ".ai-governance/tests/example.yml",
)


def _snapshot(root: Path) -> dict[str, bytes]:
    return {name: (root / name).read_bytes() for name in FILES if (root / name).exists()}


def test_init_writes_three_valid_files_and_a_second_run_changes_nothing(repo: Repo) -> None:
    code, lines = judge(repo.path, *ARGS)
    assert code == 0
    assert lines == [
        ".ai-governance.yml: written (policy from the preset default)",
        ".pre-commit-config.yaml: written (the hooks)",
        ".ai-governance/tests/example.yml: written (an example policy test)",
        ".github/workflows/ai-governance.yml: written (the check)",
        "next: `pre-commit install` (all three stages), `ai-governance validate`, commit the"
        " files,"
        " and make the `governance` check required (docs/github-action.md)",
    ]
    assert judge(repo.path, "validate")[0] == 0
    assert judge(repo.path, "test")[0] == 0  # the example policy test passes
    workflow = valid_workflow(repo.path / FILES[2])
    assert workflow["permissions"] == {"contents": "read", "pull-requests": "read"}
    assert workflow["jobs"]["governance"]["steps"][1]["uses"] == f"acme/ai-governance@{SHA}"
    before = _snapshot(repo.path)
    code, lines = judge(repo.path, *ARGS)
    assert (code, lines[:4]) == (
        0,
        [
            ".ai-governance.yml: kept (it exists; --force replaces it)",
            ".pre-commit-config.yaml: unchanged",
            ".ai-governance/tests/example.yml: kept (it exists; --force replaces it)",
            ".github/workflows/ai-governance.yml: unchanged",
        ],
    )
    assert _snapshot(repo.path) == before


def test_dry_run_writes_nothing_and_force_replaces_the_policy(repo: Repo) -> None:
    code, lines = judge(repo.path, *ARGS, "--dry-run", "--preset", "strict")
    assert code == 0
    assert lines[0] == ".ai-governance.yml: would write (policy from the preset strict):"
    assert _snapshot(repo.path) == {}
    repo.write(".ai-governance.yml", "version: 1\nname: mine\nrules: []\n")
    judge(repo.path, *ARGS)
    assert (repo.path / ".ai-governance.yml").read_text() == "version: 1\nname: mine\nrules: []\n"
    judge(repo.path, *ARGS, "--force", "--preset", "pilot-rollout")
    assert "name: pilot-rollout" in (repo.path / ".ai-governance.yml").read_text()


def test_init_keeps_an_existing_yaml_policy(repo: Repo) -> None:
    repo.write(".ai-governance.yaml", "version: 1\nname: mine\nrules: []\n")
    code, lines = judge(repo.path, *ARGS)
    assert (code, lines[0]) == (0, ".ai-governance.yaml: kept (it exists; --force replaces it)")
    assert not (repo.path / ".ai-governance.yml").exists()


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (("init",), "was not installed from a pinned commit"),
        (("init", "--rev", SHA), "--repo and --rev go together"),
        (
            ("init", "--repo", "https://github.com/a/b", "--rev", "main"),
            "--rev 'main' is not a full commit SHA",
        ),
    ],
)
def test_errors_name_what_to_pass(
    repo: Repo, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], error: str
) -> None:
    assert judge(repo.path, *args)[0] == 2
    assert error in capsys.readouterr().err
    assert _snapshot(repo.path) == {}


def test_init_outside_a_repository_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert judge(tmp_path, *ARGS)[0] == 2
    assert capsys.readouterr().err == (
        "ai-governance: usage error: run ai-governance init inside a git repository\n"
    )


def test_a_broken_pre_commit_configuration_is_left_alone(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.write(".pre-commit-config.yaml", "repos: [\n")
    assert judge(repo.path, *ARGS)[0] == 2
    assert capsys.readouterr().err.startswith(
        "ai-governance: usage error: .pre-commit-config.yaml is not valid YAML ("
    )
    assert (repo.path / ".pre-commit-config.yaml").read_text() == "repos: [\n"
    assert not (repo.path / ".ai-governance.yml").exists()


def test_agents_get_their_guardrail_merged_into_their_own_settings(repo: Repo) -> None:
    claude = repo.path / ".claude" / "settings.json"
    claude.parent.mkdir()
    claude.write_text('{"permissions": {"allow": ["Bash(npm test)"]}}\n')
    code, lines = judge(repo.path, *ARGS, "--agents")
    assert code == 0
    assert lines[4:9] == [
        ".claude/settings.json: written (claude-code guardrail)",
        ".codex/hooks.json: written (codex guardrail)",
        ".cursor/hooks.json: written (cursor guardrail)",
        ".gemini/settings.json: written (gemini guardrail)",
        ".github/hooks/ai-governance.json: written (copilot guardrail)",
    ]
    data = json.loads(claude.read_text())
    assert data == {
        "permissions": {"allow": ["Bash(npm test)"]},  # kept
        "hooks": {
            "PreToolUse": [
                {
                    "matcher": "Bash|PowerShell",
                    "hooks": [
                        {
                            "type": "command",
                            "command": "ai-governance agent-hook claude-code",
                            "timeout": 10,
                        }
                    ],
                }
            ]
        },
    }
    copilot = json.loads((repo.path / ".github" / "hooks" / "ai-governance.json").read_text())
    assert copilot["version"] == 1
    assert copilot["hooks"]["preToolUse"][0]["bash"] == "ai-governance agent-hook copilot"
    gemini = json.loads((repo.path / ".gemini" / "settings.json").read_text())
    assert gemini["hooks"]["BeforeTool"][0]["hooks"][0]["timeout"] == 10000  # milliseconds
    before = _snapshot(repo.path)
    again = judge(repo.path, *ARGS, "--agents", "cursor,claude-code")
    assert again[1][4:6] == [".cursor/hooks.json: unchanged", ".claude/settings.json: unchanged"]
    assert _snapshot(repo.path) == before


def test_agent_settings_that_cannot_be_merged_are_errors(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo.path / ".cursor").mkdir()
    (repo.path / ".cursor" / "hooks.json").write_text("{not json")
    assert judge(repo.path, *ARGS, "--agents", "cursor")[0] == 2
    assert capsys.readouterr().err.startswith(
        "ai-governance: usage error: .cursor/hooks.json is not valid JSON ("
    )
    assert judge(repo.path, *ARGS, "--agents", "windsurf")[0] == 2
    assert "--agents windsurf: choose from claude-code, codex, cursor, gemini, copilot or all" in (
        capsys.readouterr().err
    )


def test_init_for_gitlab_includes_the_template_and_never_rewrites_a_pipeline(
    repo: Repo, tmp_path: Path
) -> None:
    """`--gitlab` writes `.gitlab-ci.yml` with the template included at the pinned commit
    (valid GitLab CI), and leaves a project's own pipeline alone, saying what to add."""
    import subprocess
    import sys

    import yaml

    code, lines = judge(repo.path, *ARGS, "--gitlab")
    assert code == 0
    assert lines[3] == ".gitlab-ci.yml: written (the check: the GitLab template, included)"
    assert lines[-1].endswith("turn on Pipelines must succeed (docs/gitlab.md)")
    assert not (repo.path / ".github").exists()
    ci = repo.path / ".gitlab-ci.yml"
    checker = Path(sys.executable).parent / "check-jsonschema"
    done = subprocess.run(
        [str(checker), "--builtin-schema", "vendor.gitlab-ci", str(ci)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout
    assert yaml.safe_load(ci.read_text())["include"] == [
        {
            "remote": "https://raw.githubusercontent.com/acme/ai-governance/"
            f"{SHA}/ci/ai-governance.gitlab-ci.yml",
            "inputs": {"revision": SHA, "source": "https://github.com/acme/ai-governance.git"},
        }
    ]
    assert judge(repo.path, *ARGS, "--gitlab")[1][3] == (
        ".gitlab-ci.yml: unchanged (it includes the template)"
    )
    ci.write_text("stages: [build]\n")
    gitlab = ("init", "--repo", "https://gitlab.example.com/platform/ai-governance.git")
    code, lines = judge(repo.path, *gitlab, "--rev", SHA, "--gitlab", "--force")
    assert lines[3:8] == [
        ".gitlab-ci.yml: kept (it exists); add to its include:",
        "      - remote: https://gitlab.example.com/platform/ai-governance/-/raw/"
        f"{SHA}/ci/ai-governance.gitlab-ci.yml",
        "        inputs:",
        f"          revision: {SHA}",
        "          source: https://gitlab.example.com/platform/ai-governance.git",
    ]
    assert ci.read_text() == "stages: [build]\n"
