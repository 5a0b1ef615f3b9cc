"""The hooks through the real pre-commit framework and the real .pre-commit-hooks.yaml."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import FIXTURES, ROOT, Repo, git, try_commit

MANIFEST = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
HOOKS = {hook["id"]: hook for hook in MANIFEST}
EXAMPLES = Path(__file__).resolve().parent / "examples"
AI_MESSAGE = "Add a cache\n\nCo-Authored-By: Claude Opus 4.6 <noreply@anthropic.com>\n"


@pytest.fixture(scope="session")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """This working tree (committed or not) as a repository pre-commit can install from."""
    target = tmp_path_factory.mktemp("snapshot")
    listed = subprocess.run(
        ["git", "ls-files", "-z", "-co", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout
    for name in filter(None, listed.decode().split("\0")):
        source = ROOT / name
        if source.is_symlink() or source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            if source.is_symlink():
                (target / name).symlink_to(os.readlink(source))
            else:
                shutil.copy2(source, target / name)
    env = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_AUTHOR_NAME": "Snap",
        "GIT_AUTHOR_EMAIL": "snap@example.com",
        "GIT_COMMITTER_NAME": "Snap",
        "GIT_COMMITTER_EMAIL": "snap@example.com",
    }
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "snapshot"]):
        subprocess.run(["git", *args], cwd=target, check=True, env=env, capture_output=True)
    rev = subprocess.run(
        ["git", "rev-parse", "HEAD"],
        cwd=target,
        check=True,
        env=env,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return target, rev


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def pre_commit(repo: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_manifest_matches_schemastore() -> None:
    schema = json.loads((FIXTURES / "schemas" / "pre-commit-hooks.json").read_text())
    jsonschema.validate(MANIFEST, schema)


@pytest.mark.parametrize("hook_id", sorted(HOOKS))
def test_every_hook_has_examples_and_a_real_command(hook_id: str) -> None:
    entry = shlex.split(HOOKS[hook_id]["entry"])
    assert shutil.which(entry[0]) is not None
    assert sorted(p.name for p in (EXAMPLES / hook_id).iterdir()) == ["fail", "pass"]


@pytest.mark.parametrize(
    "example", sorted(EXAMPLES.glob("*/*/*")), ids=lambda p: "/".join(p.parts[-3:])
)
def test_examples_through_the_manifest_entry(example: Path, repo: Repo) -> None:
    hook = HOOKS[example.parts[-3]]
    target = str(example)
    if "pre-commit" in hook.get("stages", []):  # a pre-commit stage hook judges what is staged
        shutil.copy2(example, repo.path / example.name)
        git(repo.path, "add", example.name)
        target = example.name
    if "prepare-commit-msg" in hook.get("stages", []):  # it edits: "fail" examples change
        target = str(shutil.copy2(example, repo.path / "MSG"))
    command = [*shlex.split(hook["entry"]), *hook.get("args", []), target]
    done = subprocess.run(command, cwd=repo.path, capture_output=True, text=True, check=False)
    if "prepare-commit-msg" in hook.get("stages", []):
        changed = Path(target).read_bytes() != example.read_bytes()
        assert (done.returncode, changed) == (0, example.parts[-2] == "fail"), done.stdout
        return
    expected = 0 if example.parts[-2] == "pass" else 2 if hook["id"].endswith("validate") else 1
    assert done.returncode == expected, done.stdout + done.stderr


def test_real_commits_refused_or_made(
    repo: Repo, snapshot: tuple[Path, str], pre_commit_home: Path
) -> None:
    path, rev = snapshot
    repo.write(
        ".pre-commit-config.yaml",
        (
            "default_install_hook_types: [pre-commit, commit-msg]\n"
            f"repos:\n  - repo: {path}\n    rev: {rev}\n    hooks:\n"
            "      - id: ai-governance-commit-msg\n      - id: ai-governance-validate\n"
        ),
    )
    installed = pre_commit(repo.path, pre_commit_home, "install")
    assert installed.returncode == 0, installed.stderr
    repo.write("app.py", "print('hi')\n")
    git(repo.path, "add", "-A")
    refused = try_commit(repo.path, AI_MESSAGE)
    assert refused.returncode == 1
    assert (
        "fix: add this line directly below the trailers at the end of the message: Assisted-by: Claude Code"
        in (refused.stdout + refused.stderr)
    )
    with pytest.raises(subprocess.CalledProcessError):
        git(repo.path, "rev-parse", "--verify", "-q", "HEAD")
    made = try_commit(repo.path, AI_MESSAGE + "Assisted-by: Claude Code\n")
    assert made.returncode == 0, made.stdout + made.stderr
    assert git(
        repo.path, "log", "-1", "--format=%(trailers:key=Assisted-by,valueonly)"
    ).strip() == ("Claude Code")
    (repo.path / "sub").mkdir()
    repo.write("sub/x.txt", "x")
    git(repo.path, "add", "-A")
    from_subdir = try_commit(repo.path / "sub", "aider: tweak\n")
    assert from_subdir.returncode == 1
    assert "Assisted-by: Aider" in from_subdir.stdout + from_subdir.stderr


def test_try_repo_commit_msg_and_validate(
    repo: Repo, snapshot: tuple[Path, str], pre_commit_home: Path
) -> None:
    path, _ = snapshot
    repo.commit("Initial")
    message = repo.write("MSG", AI_MESSAGE)
    stage = ["--hook-stage", "commit-msg", "--commit-msg-filename", str(message)]
    refused = pre_commit(
        repo.path, pre_commit_home, "try-repo", str(path), "ai-governance-commit-msg", *stage
    )
    assert refused.returncode == 1
    assert "FAIL  ai-disclosure (disclosure, enforce)" in refused.stdout
    repo.write(
        ".ai-governance.yml",
        "version: 1\nname: w\nmode: warn\nrules:\n  - {id: d, kind: disclosure}\n",
    )
    warned = pre_commit(
        repo.path, pre_commit_home, "try-repo", str(path), "ai-governance-commit-msg", *stage
    )
    assert warned.returncode == 0, warned.stdout
    assert "WARN  d (disclosure, warn): 1 of 1 AI-assisted commit(s) lack" in warned.stdout
    (repo.path / ".ai-governance.yml").unlink()
    message.write_text(AI_MESSAGE + "Assisted-by: Claude Code\n")
    passed = pre_commit(
        repo.path, pre_commit_home, "try-repo", str(path), "ai-governance-commit-msg", *stage
    )
    assert passed.returncode == 0, passed.stdout
    repo.write(".ai-governance.yml", "version: 1\nname: t\nmode: off\nrules: []\n")
    git(repo.path, "add", ".ai-governance.yml")
    invalid = pre_commit(
        repo.path, pre_commit_home, "try-repo", str(path), "ai-governance-validate", "--all-files"
    )
    assert invalid.returncode == 1
    assert ".ai-governance.yml:3:7: mode: YAML reads the unquoted `off` as False" in invalid.stdout


def test_try_repo_scan_judges_the_staged_content(
    repo: Repo, snapshot: tuple[Path, str], pre_commit_home: Path
) -> None:
    path, _ = snapshot
    repo.commit("Initial")
    shutil.copy2(EXAMPLES / "ai-governance-scan" / "fail" / "shell-true.py", repo.path / "app.py")
    git(repo.path, "add", "app.py")
    refused = pre_commit(repo.path, pre_commit_home, "try-repo", str(path), "ai-governance-scan")
    assert refused.returncode == 1
    assert "app.py:5: B602 subprocess_popen_with_shell_equals_true" in refused.stdout
    (repo.path / "app.py").write_text("x = 1\n")
    git(repo.path, "add", "app.py")
    passed = pre_commit(repo.path, pre_commit_home, "try-repo", str(path), "ai-governance-scan")
    assert passed.returncode == 0, passed.stdout


def test_init_then_commit_through_pre_commit(
    repo: Repo, snapshot: tuple[Path, str], pre_commit_home: Path
) -> None:
    """A newcomer's first minutes: init, pre-commit install, a refused and a made commit;
    and an assistant's co-author trailer disclosed by the prepare-commit-msg hook."""
    from conftest import judge

    path, rev = snapshot
    code, lines = judge(repo.path, "init", "--repo", str(path), "--rev", rev)
    assert code == 0
    assert lines[3] == f".github/workflows/ai-governance.yml: not written: {path} is not on GitHub"
    installed = pre_commit(repo.path, pre_commit_home, "install")
    assert installed.returncode == 0, installed.stderr
    assert "prepare-commit-msg" in installed.stdout
    git(repo.path, "add", "-A")
    generic = "Add cache\n\nAI-assisted: yes\n"  # says AI helped, but not which assistant
    refused = try_commit(repo.path, generic)
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "AI assistance found but not which assistant: add `Assisted-by: <name>`" in (
        refused.stdout + refused.stderr
    )
    made = try_commit(repo.path, generic + "Assisted-by: Claude Code\n")
    assert made.returncode == 0, made.stdout + made.stderr
    repo.write("b.txt", "b")
    git(repo.path, "add", "b.txt")
    fixed = try_commit(repo.path, AI_MESSAGE)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert git(repo.path, "log", "-1", "--format=%B").endswith("Assisted-by: Claude Code\n\n")
