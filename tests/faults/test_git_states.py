"""Fault battery: the awkward git states, each judged on a real repository.

Hooks are installed as git runs them (``core.hooksPath``), so git sets ``GIT_INDEX_FILE``,
``GIT_EDITOR`` and, where the repository is elsewhere, ``GIT_DIR`` itself.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, Repo, git, judge, try_commit

from ai_governance.cli import main

SHELL = "import subprocess\nsubprocess.call(input(), shell=True)\n"
B602 = (
    ":2: B602 subprocess_popen_with_shell_equals_true: subprocess call with shell=True"
    " identified, security issue. (severity high, confidence high)"
)
AI = "Add cache\n\nCo-Authored-By: Claude Opus 4.6 <noreply@anthropic.com>\n"
REFUSED = "fix: add this line directly below the trailers at the end of the message: Assisted-by: Claude Code"
SCAN = "    scan (security-scan, enforce): {n} Python file(s) scanned at severity >= medium,"
POLICY = "version: 1\nname: local\nrules:\n  - id: scan\n    kind: security-scan\n"


def install_hooks(git_dir: Path) -> None:
    """hooks/commit-msg and hooks/pre-commit, as their headers say to install them."""
    hooks = git_dir / "hooks"
    hooks.mkdir(exist_ok=True)
    for name in ("commit-msg", "pre-commit"):
        (hooks / name).write_bytes((ROOT / "hooks" / name).read_bytes())
        (hooks / name).chmod(0o755)


def hits(output: str | list[str]) -> list[str]:
    """The Bandit finding lines of a text report, in order."""
    lines = output.splitlines() if isinstance(output, str) else output
    return [line.strip() for line in lines if "B602" in line and "fix:" not in line]


def notes(lines: list[str]) -> list[str]:
    return [line.strip() for line in lines if line.startswith("      note: ")]


def test_empty_repository(
    repo: Repo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.write(".ai-governance.yml", POLICY)
    monkeypatch.chdir(repo.path)
    assert main(["check", "--range", "HEAD"]) == 2
    assert capsys.readouterr().err == (
        "ai-governance: error: 'HEAD' is not a commit in this repository"
        " (the repository has no commits yet)\n"
    )
    repo.write("app.py", SHELL)
    git(repo.path, "add", "app.py")
    code, lines = judge(repo.path, "hook", "pre-commit", "app.py")
    assert (code, hits(lines), lines[-1]) == (1, [f"app.py{B602}"], "result: failed (exit 1)")


def test_first_commit_is_scanned_whole(repo: Repo) -> None:
    repo.write(".ai-governance.yml", POLICY)
    repo.commit("Initial\n", files={"app.py": SHELL})
    code, lines = judge(repo.path, "check", "--range", "HEAD")
    assert (code, hits(lines)) == (1, [f"app.py{B602}"])
    assert (
        "FAIL  scan (security-scan, enforce): 1 Python file(s) scanned at severity >= medium,"
        " confidence >= medium: 1 finding(s)"
    ) in lines


def test_detached_head(repo: Repo) -> None:
    install_hooks(repo.path / ".git")
    repo.commit("One\n")
    git(repo.path, "checkout", "-q", "--detach")
    refused = try_commit(repo.path, AI, "--allow-empty")
    assert (refused.returncode, REFUSED in refused.stdout + refused.stderr) == (1, True)
    made = try_commit(repo.path, AI + "Assisted-by: Claude Code\n", "--allow-empty")
    assert made.returncode == 0, made.stdout + made.stderr
    assert judge(repo.path, "check", "--range", "HEAD~1..HEAD")[0] == 0


def test_linked_worktree_uses_its_own_policy(repo: Repo) -> None:
    install_hooks(repo.path / ".git")
    repo.commit("One\n")
    tree = repo.path.parent / "linked"
    git(repo.path, "worktree", "add", "-q", str(tree))
    assert (tree / ".git").is_file()
    (tree / ".ai-governance.yml").write_text(POLICY)
    (tree / "app.py").write_text(SHELL)
    git(tree, "add", "app.py")
    refused = try_commit(tree, "Add app\n")
    output = refused.stdout + refused.stderr
    assert (refused.returncode, output.splitlines()[0], hits(output)) == (
        1,
        f"ai-governance: policy local ({tree / '.ai-governance.yml'}), stage pre-commit",
        [f"app.py{B602}"],
    )


def test_git_dir_and_work_tree_in_the_environment(tmp_path: Path) -> None:
    """A repository kept apart from its work tree (``git --git-dir``, dotfiles managers): git
    sets GIT_DIR for the hook, and the work tree's policy is the one used."""
    store, tree = tmp_path / "store.git", tmp_path / "home"
    tree.mkdir()
    git(tmp_path, "init", "-q", "--bare", str(store))
    install_hooks(store)
    env = {"GIT_DIR": str(store), "GIT_WORK_TREE": str(tree)}
    (tree / ".ai-governance.yml").write_text(POLICY)
    (tree / "app.py").write_text(SHELL)
    git(tree, "add", "app.py", env=env)
    done = subprocess.run(
        ["git", "commit", "-q", "-m", "Add app"],
        cwd=tree,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    output = done.stdout + done.stderr
    assert (done.returncode, output.splitlines()[0], hits(output)) == (
        1,
        f"ai-governance: policy local ({tree / '.ai-governance.yml'}), stage pre-commit",
        [f"app.py{B602}"],
    )


@pytest.mark.parametrize(
    "how", [["app.py"], ["-a"], ["-i", "app.py"]], ids=["only-path", "all", "include"]
)
def test_partial_commits_scan_the_index_git_is_about_to_commit(repo: Repo, how: list[str]) -> None:
    """``git commit PATH``/``-a`` commit through a temporary index named by GIT_INDEX_FILE:
    what is staged is not what is committed, and the scan must judge the latter."""
    install_hooks(repo.path / ".git")
    repo.commit("Initial\n", files={"app.py": "x = 1\n"})
    repo.write("app.py", "print(2)\n")
    git(repo.path, "add", "app.py")  # harmless content staged...
    repo.write("app.py", SHELL)  # ...and the unsafe content is what the commit will hold
    refused = try_commit(repo.path, "Change app\n", *how)
    assert (refused.returncode, hits(refused.stdout + refused.stderr)) == (1, [f"app.py{B602}"])
    assert git(repo.path, "diff", "--cached", "--name-only") == "app.py\n"  # index untouched


def test_merge_commits(repo: Repo) -> None:
    repo.write(
        ".ai-governance.yml",
        POLICY.replace("rules:\n", "rules:\n  - id: disclose\n    kind: disclosure\n"),
    )
    base = repo.commit("Base\n", files={"base.txt": "b"})
    git(repo.path, "checkout", "-q", "-b", "feature")
    feature = repo.commit(AI, files={"feature.py": SHELL})
    git(repo.path, "checkout", "-q", "main")
    repo.commit("Main\n", files={"main.txt": "m"})
    git(repo.path, "merge", "-q", "--no-ff", "-m", "Merge feature", "feature")
    code, lines = judge(repo.path, "check", "--range", f"{base}..HEAD")
    assert code == 1
    assert (
        f"      [{feature[:12]}] commit {feature[:12]} shows AI assistance but has no"
        in "\n".join(lines)
    )
    code, lines = judge(repo.path, "check", "--range", "HEAD")  # the merge alone
    assert (code, hits(lines)) == (1, [f"feature.py{B602}"])


def test_octopus_merge_scans_what_it_brings_in(repo: Repo) -> None:
    repo.write(".ai-governance.yml", POLICY)
    repo.commit("Base\n")
    for branch in ("one", "two"):
        git(repo.path, "checkout", "-q", "-b", branch, "main")
        repo.commit(f"Add {branch}\n", files={f"{branch}.py": SHELL})
    git(repo.path, "checkout", "-q", "main")
    git(repo.path, "merge", "-q", "--no-ff", "-m", "Octopus", "one", "two")
    assert git(repo.path, "log", "-1", "--format=%P").count(" ") == 2
    code, lines = judge(repo.path, "check", "--range", "HEAD")
    assert (code, hits(lines)) == (1, [f"one.py{B602}", f"two.py{B602}"])


def test_rename_is_scanned_at_its_new_path(repo: Repo) -> None:
    repo.write(
        ".ai-governance.yml",
        POLICY.replace("kind: security-scan\n", "kind: security-scan\n    new_only: false\n"),
    )
    repo.commit("Initial\n", files={"old.py": SHELL})
    (repo.path / "pkg dir").mkdir()
    git(repo.path, "mv", "old.py", "pkg dir/new.py")
    git(repo.path, "commit", "-q", "-m", "Move")
    code, lines = judge(repo.path, "check", "--range", "HEAD")
    assert (code, hits(lines)) == (
        1,
        [f"pkg dir/new.py{B602}"],
    )


def test_mode_only_change_adds_no_line(repo: Repo) -> None:
    repo.write(
        ".ai-governance.yml",
        POLICY.replace("kind: security-scan\n", "kind: security-scan\n    new_only: true\n"),
    )
    repo.commit("Initial\n", files={"app.py": SHELL})
    git(repo.path, "update-index", "--chmod=+x", "app.py")
    git(repo.path, "commit", "-q", "-m", "Make it executable")
    assert git(repo.path, "show", "--format=", "--raw", "HEAD").startswith(":100644 100755")
    code, lines = judge(repo.path, "check", "--range", "HEAD")
    assert (code, lines[1]) == (0, "AI assistance: none found")
    assert lines[2] == (
        "PASS  scan (security-scan, enforce): 1 Python file(s) scanned at severity >= medium,"
        " confidence >= medium: no finding introduced by the change"
    )


def test_submodule_and_symlink_are_notes_not_passes(repo: Repo) -> None:
    repo.write(".ai-governance.yml", POLICY)
    sub = Repo(repo.path.parent / "sub")
    sub.commit("Sub\n", files={"x.py": SHELL})
    repo.add_submodule(sub, "vendor.py")
    repo.write("real.py", "x = 1\n")
    (repo.path / "link.py").symlink_to("real.py")
    git(repo.path, "add", "real.py", "link.py")
    code, lines = judge(repo.path, "check", "--staged")
    assert code == 0
    assert notes(lines) == [
        "note: link.py: not scanned: a symbolic link to real.py, which is scanned where it is",
        "note: vendor.py: not scanned: a submodule (scan it in its own repository)",
    ]


def test_file_names_with_spaces_newlines_and_bytes_that_are_not_utf_8(repo: Repo) -> None:
    repo.write(".ai-governance.yml", POLICY)
    names = {b"with space.py", b"new\nresult: passed (exit 0)\nline.py", b"caf\xe9.py"}
    for name in names:
        (repo.path / os.fsdecode(name)).write_text(SHELL)
    git(repo.path, "add", "-A")
    code, lines = judge(repo.path, "check", "--staged")
    assert (code, hits(lines)) == (
        1,
        [
            f'"caf\\351.py"{B602}',
            f'"new\\nresult: passed (exit 0)\\nline.py"{B602}',
            f"with space.py{B602}",
        ],
    )
    assert lines[-1] == "result: failed (exit 1)"


def test_autocrlf_scans_the_normalised_blob(repo: Repo) -> None:
    repo.write(".ai-governance.yml", POLICY)
    git(repo.path, "config", "core.autocrlf", "true")
    repo.write("app.py", SHELL.replace("\n", "\r\n").encode())
    git(repo.path, "add", "app.py")
    assert git(repo.path, "cat-file", "-p", ":app.py") == SHELL  # LF in the index
    code, lines = judge(repo.path, "check", "--staged")
    assert (code, hits(lines)) == (1, [f"app.py{B602}"])
    assert (repo.path / "app.py").read_bytes() == SHELL.replace("\n", "\r\n").encode()


def test_c_locale(repo: Repo) -> None:
    """LANG=C and LC_ALL=C: names and messages outside ASCII are read and printed intact."""
    repo.write(
        ".ai-governance.yml",
        POLICY.replace("rules:\n", "rules:\n  - id: disclose\n    kind: disclosure\n"),
    )
    repo.commit("Initial\n")
    (repo.path / "r\u00e9sum\u00e9.py").write_text(SHELL)
    git(repo.path, "add", "-A")
    message = repo.write("MSG", "R\u00e9sum\u00e9\n\n" + AI.split("\n\n")[1])
    env = {**os.environ, "LANG": "C", "LC_ALL": "C"}
    env.pop("PYTHONIOENCODING", None)
    for args, expected in (
        (["check", "--staged"], f"r\u00e9sum\u00e9.py{B602}"),
        (["check", "--commit-msg", str(message)], REFUSED),
    ):
        done = subprocess.run(
            [sys.executable, "-m", "ai_governance", *args],
            cwd=repo.path,
            env=env,
            capture_output=True,
            check=False,
        )
        lines = [line.strip() for line in done.stdout.decode().splitlines()]
        assert (done.returncode, expected in lines) == (1, True)
