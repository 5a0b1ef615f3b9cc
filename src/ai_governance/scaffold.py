"""What ``ai-governance init`` writes, as text: pure functions, no I/O.

The pre-commit configuration is merged as text, not rewritten from parsed YAML: a user's
comments, order and quoting stay as they were, and only our lines are added.
"""

from __future__ import annotations

import re
from typing import Any

from ai_governance.errors import UsageError
from ai_governance.records import NamedTuple

PRESETS = {  # name -> data file; each is byte for byte a file of the project's policies/
    "default": "default.yml",
    "strict": "presets/strict.yml",
    "pilot-rollout": "presets/pilot-rollout.yml",
    "kernel": "presets/kernel.yml",
    "llvm": "presets/llvm.yml",
    "asf": "presets/asf.yml",
    "openinfra": "presets/openinfra.yml",
    "no-ai-coauthor": "presets/no-ai-coauthor.yml",
}
HOOK_IDS = (
    "ai-governance-prepare-commit-msg",
    "ai-governance-commit-msg",
    "ai-governance-scan",
    "ai-governance-validate",
    "ai-governance-test",
)
STAGES = ("pre-commit", "prepare-commit-msg", "commit-msg")
CHECKOUT = "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683  # v4.2.2"
_GITHUB = re.compile(r"^https://github\.com/([\w.-]+/[\w.-]+?)(?:\.git)?/?$")


class Source(NamedTuple):
    """Where the hooks and the Action come from: a repository URL and a full commit SHA."""

    url: str
    rev: str

    @property
    def action(self) -> str | None:
        """``owner/name`` for ``uses:``, when the repository is on GitHub."""
        match = _GITHUB.match(self.url)
        return match.group(1) if match else None


def policy(preset: bytes, source: Source) -> bytes:
    """The preset, with the line editors read the schema from when it can be fetched."""
    if source.action is None:
        return preset
    schema = (
        f"https://raw.githubusercontent.com/{source.action}/{source.rev}"
        "/src/ai_governance/data/policy.schema.json"
    )
    return f"# yaml-language-server: $schema={schema}\n".encode() + preset


def _entry(source: Source, indent: str, version: str) -> str:
    hooks = "".join(f"{indent}    - id: {hook}\n" for hook in HOOK_IDS)
    return (
        f"{indent}- repo: {source.url}\n"
        f"{indent}  rev: {source.rev}  # ai-governance {version}\n"
        f"{indent}  hooks:\n{hooks}"
    )


def new_precommit(source: Source, version: str) -> str:
    return (
        "# pre-commit installs only the pre-commit stage unless told otherwise: without the next\n"
        "# line the disclosure would be neither added nor checked.\n"
        f"default_install_hook_types: [{', '.join(STAGES)}]\n"
        "repos:\n" + _entry(source, "  ", version)
    )


def merge_precommit(existing: str, data: Any, source: Source, version: str) -> str | None:
    """``existing`` (parsed: ``data``) with our hooks added and both stages installed; None
    when it already has them. A shape this cannot edit safely is a UsageError that says
    what to add by hand."""
    by_hand = f"add this entry under `repos:` yourself:\n{_entry(source, '  ', version)}"
    if not isinstance(data, dict) or not isinstance(data.get("repos") or [], list):
        raise UsageError(f".pre-commit-config.yaml is not a pre-commit configuration; {by_hand}")
    ours = [
        r for r in data.get("repos") or [] if isinstance(r, dict) and r.get("repo") == source.url
    ]
    types = data.get("default_install_hook_types")
    missing_types = types is None or not set(STAGES) <= set(types or [])
    if ours:
        ids = {h.get("id") for r in ours for h in r.get("hooks") or [] if isinstance(h, dict)}
        if not set(HOOK_IDS) <= ids:
            absent = ", ".join(sorted(set(HOOK_IDS) - ids))
            raise UsageError(
                f".pre-commit-config.yaml already lists {source.url} without {absent}:"
                " add those hook ids to it yourself"
            )
        if not missing_types:
            return None
    lines = existing.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    if types is not None and missing_types:
        raise UsageError(
            ".pre-commit-config.yaml sets default_install_hook_types without"
            f" {', '.join(STAGES)}: add them, or the disclosure is neither added nor checked"
        )
    at = next((i for i, line in enumerate(lines) if re.match(r"repos:\s*(#.*)?$", line)), None)
    if not ours:
        if at is None and "repos" in data:
            raise UsageError(f".pre-commit-config.yaml writes `repos:` inline; {by_hand}")
        at = _add_entry(lines, at, _entry(source, "{indent}", version))
    if types is None:
        start = at if at is not None else len(lines)
        lines.insert(start, f"default_install_hook_types: [{', '.join(STAGES)}]\n")
    return "".join(lines)


def _add_entry(lines: list[str], at: int | None, entry: str) -> int:
    """Insert ``entry`` (its indent as ``{indent}``) after the last item of the ``repos:``
    block that starts at line ``at`` (appended, with the key, when there is none); returns
    the line of ``repos:``."""
    if at is None:
        lines.append("repos:\n")
        at = len(lines) - 1
    end = at + 1
    for index in range(at + 1, len(lines)):
        line = lines[index]
        if line.strip() and not line.startswith((" ", "\t", "#", "-")):
            break  # the next top-level key
        if line.strip() and not line.lstrip().startswith("#"):
            end = index + 1
    indent = next(
        (m.group(1) for line in lines[at + 1 : end] if (m := re.match(r"(\s*)- ", line))), "  "
    )
    lines.insert(end, entry.replace("{indent}", indent))
    return at


EXAMPLE_TESTS = """# Policy tests: `ai-governance test` runs them (docs/policy-tests.md).
# Add a case for every rule you change: a rule that stops meeting its cases fails the hook.
policy: ../../.ai-governance.yml
cases:
  - name: an undisclosed Claude commit is refused
    change:
      stage: commit-msg
      commits:
        - message: "Add a cache\\n\\nCo-Authored-By: Claude <noreply@anthropic.com>"
    expect:
      ai-disclosure: failed
  - name: the disclosed commit passes
    change:
      stage: commit-msg
      commits:
        - message: "Add a cache\\n\\nAssisted-by: Claude Code"
    expect:
      ai-disclosure: passed
"""


def workflow(source: Source) -> str | None:
    """The pull-request workflow, least privilege and pinned; None off GitHub."""
    if source.action is None:
        return None
    return f"""# Judges every pull request by the policy of its base commit (ai-governance init).
name: ai-governance
on:
  pull_request:
    types: [opened, synchronize, edited, labeled, unlabeled, ready_for_review, reopened]
  pull_request_review:
    types: [submitted, dismissed]
permissions:
  contents: read
  pull-requests: read  # write, and `comment: true` under the step's with:, for a PR comment
concurrency:  # one run per pull request at a time: the newest push wins
  group: ai-governance-${{{{ github.event.pull_request.number }}}}
  cancel-in-progress: true
jobs:
  governance:
    runs-on: ubuntu-latest
    steps:
      - uses: {CHECKOUT}
        with:
          fetch-depth: 0
          persist-credentials: false
      - uses: {source.action}@{source.rev}
"""


GITLAB_TEMPLATE = "ci/ai-governance.gitlab-ci.yml"


def gitlab_ci(source: Source) -> str:
    """A ``.gitlab-ci.yml`` that includes the template at the pinned commit (GitHub's raw
    files for a GitHub source, GitLab's ``/-/raw/`` for any other)."""
    if source.action is not None:
        raw = f"https://raw.githubusercontent.com/{source.action}/{source.rev}/{GITLAB_TEMPLATE}"
        clone = f"https://github.com/{source.action}.git"
    else:
        project = source.url.rstrip("/").removesuffix(".git")
        raw = f"{project}/-/raw/{source.rev}/{GITLAB_TEMPLATE}"
        clone = f"{project}.git"
    return f"""# Judges each merge request by its diff base's policy (ai-governance init --gitlab).
# The job needs a token: the masked CI/CD variable AI_GOVERNANCE_GITLAB_TOKEN (docs/gitlab.md).
include:
  - remote: {raw}
    inputs:
      revision: {source.rev}
      source: {clone}
"""
