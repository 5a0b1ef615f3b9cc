"""The one exception family: every fatal problem the CLI maps to an exit code."""

from __future__ import annotations


class GovernanceError(Exception):
    """A known, fatal problem; ``exit_code`` is what the CLI returns for it."""

    exit_code = 2


class UsageError(GovernanceError):
    """The command line or the environment cannot be used as given."""


class PolicyError(GovernanceError):
    """A policy file cannot be used: one line per problem, each ``file:line:col: ...``."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = tuple(problems)


class GitError(GovernanceError):
    """Git could not give what the change needs (not a repository, bad revision...)."""
