"""Commands that skip git hooks are told apart from those that do not, as a shell reads
them; and the refused ones really do skip hooks (checked with real git)."""

from __future__ import annotations

import subprocess

import pytest
from conftest import Repo, git

from ai_governance.guard.shell import reasons

NONE: dict[str, str] = {}
SKIPS = "`git commit --no-verify` skips the repository's hooks"


def why(command: str, aliases: dict[str, str] = NONE) -> list[str]:
    return reasons(command, aliases.get)


@pytest.mark.parametrize(
    "command",
    [
        "git commit --no-verify -m x",
        "git commit -n -m x",
        "git commit -nm x",
        "git commit -anm x",
        "git commit -qn",
        "git commit --no-veri -m x",
        "git commit -m x --no-verify",
        "git -C /tmp/repo commit -n",
        "git -c user.name=x commit --no-verify",
        "git --no-pager commit -n",
        "/usr/bin/git commit -n",
        "\\git commit -n",
        '"git" commit -n',
        "cd repo && git commit -n -m x",
        "make; git commit -n",
        "true || git commit -n",
        "git add . | git commit -n",
        "(git commit -n)",
        "{ git commit -n; }",
        "echo $(git commit -n)",
        "echo `git commit -n`",
        "sh -c 'git commit -n'",
        "bash -lc \"git commit --no-verify -m 'x'\"",
        "eval git commit -n",
        "env GIT_AUTHOR_NAME=x git commit -n",
        "sudo -u dev git commit -n",
        "timeout 30 git commit -n",
        "nohup git commit -n &",
        "G=git; $G commit -n -m x",
        "if true; then git commit -n; fi",
    ],
)
def test_commit_without_verification_is_refused(command: str) -> None:
    assert why(command) == [SKIPS]


def test_git_am_n_skips_hooks_too() -> None:
    assert why("git am -n < patch") == ["`git am --no-verify` skips the repository's hooks"]


@pytest.mark.parametrize(
    ("command", "reason"),
    [
        ("git push --no-verify", "`git push --no-verify` skips the repository's hooks"),
        ("git merge --no-verify topic", "`git merge --no-verify` skips the repository's hooks"),
        ("git pull --no-verify", "`git pull --no-verify` skips the repository's hooks"),
        ("git rebase --no-verify main", "`git rebase --no-verify` skips the repository's hooks"),
        (
            "git -c core.hooksPath=/dev/null commit -m x",
            "`git -c core.hooksPath=/dev/null` points git at other hooks (or none)",
        ),
        (
            "git -c core.hookspath= commit -m x",
            "`git -c core.hookspath=` points git at other hooks (or none)",
        ),
        (
            "git --config-env=core.hooksPath=EMPTY commit -m x",
            "`git --config-env=core.hooksPath=EMPTY` points git at other hooks (or none)",
        ),
        (
            "GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=core.hooksPath GIT_CONFIG_VALUE_0= git commit",
            "GIT_CONFIG_KEY_0=core.hooksPath points git at other hooks (or none)",
        ),
        (
            "GIT_CONFIG_PARAMETERS=\"'core.hooksPath'=''\" git commit -m x",
            "GIT_CONFIG_PARAMETERS='core.hooksPath'='' turns git hooks off",
        ),
        ("HUSKY=0 git commit -m x", "HUSKY=0 turns git hooks off"),
        ("export HUSKY=0; git commit -m x", "HUSKY=0 turns git hooks off"),
        ("HUSKY_SKIP_HOOKS=1 git commit", "HUSKY_SKIP_HOOKS=1 turns git hooks off"),
        ("LEFTHOOK=0 git commit", "LEFTHOOK=0 turns git hooks off"),
        (
            "SKIP=flake8,ai-governance-commit-msg git commit -m x",
            "SKIP=flake8,ai-governance-commit-msg turns git hooks off",
        ),
        (
            "env SKIP=ai-governance-scan git commit -m x",
            "SKIP=ai-governance-scan turns git hooks off",
        ),
        (
            "git config core.hooksPath /dev/null",
            "`git config core.hooksPath` points git at other hooks (or none)",
        ),
        (
            "git config --unset core.hooksPath",
            "`git config core.hooksPath` points git at other hooks (or none)",
        ),
        (
            "git config -f .git/config core.hooksPath /dev/null",
            "`git config core.hooksPath` points git at other hooks (or none)",
        ),
        (
            "git config alias.ci 'commit --no-verify' && git ci -m x",
            "`git commit --no-verify` skips the repository's hooks",
        ),
        (
            "git config alias.yolo '!git commit -n'; git yolo",
            "`git commit --no-verify` skips the repository's hooks",
        ),
        ("rm -f .git/hooks/commit-msg", "`rm` on .git/hooks/commit-msg disables git hooks"),
        ("chmod -x .husky/pre-commit", "`chmod` on .husky/pre-commit disables git hooks"),
        ("pre-commit uninstall", "`pre-commit uninstall` removes the git hooks"),
        ("git commit-tree HEAD^{tree} -m x", "`git commit-tree` makes commits without running any hook"),
        (
            "git -c alias.ci='commit --no-verify' ci -m x",
            "`git commit --no-verify` skips the repository's hooks",
        ),
        ('git commit -m "unclosed', "it cannot be split as a shell would (an unclosed quote?), and it runs git"),
    ],
)  # fmt: skip
def test_every_other_way_around_the_hooks_is_refused(command: str, reason: str) -> None:
    assert why(command) == [reason]


@pytest.mark.parametrize(
    "command",
    [
        "git status",
        "git commit -m x",
        "git commit -m 'do not use --no-verify'",
        "git commit -m -n",
        "git commit -F notes-n.txt",
        "git commit --no-verify --verify -m x",
        "git commit -m x -- -n",
        "git push -n",
        "git merge -n topic",
        "git cherry-pick -n abc",
        "git revert -n abc",
        "npm install --no-verify",
        "echo 'git commit --no-verify'",
        "grep -n hooksPath README.md",
        "git config --get core.hooksPath",
        "git config core.hooksPath",
        "git config -f .git/config user.name Ann",
        "git config alias.st status",
        "SKIP=flake8 git commit -m x",
        "HUSKY=1 git commit -m x",
        "cat .git/hooks/commit-msg",
        "git log --format=%B -n 1",
        "ls",
    ],
)
def test_ordinary_commands_pass(command: str) -> None:
    assert why(command) == []


def test_a_repository_alias_is_read_through(repo: Repo) -> None:
    from ai_governance.commands.agent_hook import _aliases

    git(repo.path, "config", "alias.ci", "commit --no-verify")
    git(repo.path, "config", "alias.yolo", "!git commit -n")
    git(repo.path, "config", "alias.st", "status")
    found = _aliases(str(repo.path))
    assert reasons("git ci -m x", found) == [SKIPS]
    assert reasons("git yolo -m x", found) == [SKIPS]
    assert reasons("git st", found) == []


@pytest.mark.parametrize(
    ("command", "refused"),
    [
        ("git commit -q --no-veri -m x", True),
        ("git commit -qanm x", True),
        ("git -c core.hooksPath= commit -q -m x", True),
        ("GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=core.hooksPath GIT_CONFIG_VALUE_0= git commit -qm x", True),
        ("git commit -q -m '--no-verify'", False),
        ("git commit -q -m x -- -n", False),
    ],
)  # fmt: skip
def test_what_is_refused_really_skips_hooks(repo: Repo, command: str, refused: bool) -> None:
    """The refusals are not guesses: with a commit-msg hook that always fails, exactly the
    refused commands make a commit."""
    hook = repo.path / ".git" / "hooks" / "commit-msg"
    hook.write_text("#!/bin/sh\nexit 1\n")
    hook.chmod(0o755)
    repo.write("a.txt", "a")
    git(repo.path, "add", "a.txt")
    done = subprocess.run(["sh", "-c", command], cwd=repo.path, capture_output=True, check=False)
    assert (done.returncode == 0, bool(why(command))) == (refused, refused)
