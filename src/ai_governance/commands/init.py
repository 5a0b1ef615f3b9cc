"""``ai-governance init``: a policy, the pre-commit hooks and the workflow, in one command.

Nothing is overwritten without ``--force`` (the pre-commit configuration is never
overwritten, only merged into); a second run changes nothing; ``--dry-run`` prints what it
would write. The hooks and the Action are pinned to the commit this copy was installed
from (pip records it for ``pip install git+URL@SHA``), or to ``--repo`` and ``--rev``.
"""

from __future__ import annotations

import json
import os
import re
import sys
from importlib import metadata
from typing import TYPE_CHECKING

from ai_governance import __version__, agent_settings, scaffold
from ai_governance.errors import UsageError
from ai_governance.gather import git
from ai_governance.policy import load
from ai_governance.resources import data_file

if TYPE_CHECKING:
    import argparse

DISTRIBUTION = "ai-change-governance"
WORKFLOW = os.path.join(".github", "workflows", "ai-governance.yml")
GITLAB_CI = ".gitlab-ci.yml"
_SHA = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")


def _installed_from() -> scaffold.Source | None:
    try:
        raw = metadata.distribution(DISTRIBUTION).read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        return None
    data = json.loads(raw or "{}")
    commit = (data.get("vcs_info") or {}).get("commit_id")
    url = str(data.get("url") or "")
    return scaffold.Source(url, commit) if commit and url.startswith("https://") else None


def source(args: argparse.Namespace) -> scaffold.Source:
    if args.repo or args.rev:
        if not (args.repo and args.rev):
            raise UsageError("--repo and --rev go together: the repository and a commit of it")
        chosen = scaffold.Source(args.repo, args.rev)
    else:
        found = _installed_from()
        if found is None:
            raise UsageError(
                "this copy of ai-governance was not installed from a pinned commit, so init"
                " cannot tell which commit the hooks and the Action should run: pass --repo"
                " URL --rev SHA (see docs/install.md)"
            )
        chosen = found
    if not _SHA.fullmatch(chosen.rev):
        raise UsageError(
            f"--rev {chosen.rev!r} is not a full commit SHA: a branch or tag can move, so the"
            " hooks and the Action are pinned by commit"
        )
    return chosen


def _read(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except FileNotFoundError:
        return None


def plan(args: argparse.Namespace, root: str) -> list[tuple[str, str | None, str]]:
    """(path, new content or None to leave it, what happens) for every file init manages."""
    import yaml

    chosen = source(args)
    steps: list[tuple[str, str | None, str]] = []
    preset = scaffold.policy(data_file(scaffold.PRESETS[args.preset]), chosen).decode()
    present = [name for name in load.FILENAMES if os.path.lexists(os.path.join(root, name))]
    target = present[0] if present else load.FILENAME
    if not present or args.force:
        steps.append((target, preset, f"policy from the preset {args.preset}"))
    else:
        steps.append((target, None, "kept (it exists; --force replaces it)"))
    config = ".pre-commit-config.yaml"
    existing = _read(os.path.join(root, config))
    if existing is None:
        steps.append((config, scaffold.new_precommit(chosen, __version__), "the hooks"))
    else:
        try:
            data = yaml.safe_load(existing)
        except yaml.YAMLError as exc:
            raise UsageError(
                f"{config} is not valid YAML ({str(exc).splitlines()[0]}); fix it, or move it"
                " aside and run init again"
            ) from None
        merged = scaffold.merge_precommit(existing, data, chosen, __version__)
        steps.append((config, merged, "hooks added") if merged else (config, None, "unchanged"))
    tests = os.path.join(".ai-governance", "tests", "example.yml")
    if _read(os.path.join(root, tests)) is None or args.force:
        if _read(os.path.join(root, tests)) != scaffold.EXAMPLE_TESTS:
            steps.append((tests, scaffold.EXAMPLE_TESTS, "an example policy test"))
        else:
            steps.append((tests, None, "unchanged"))
    else:
        steps.append((tests, None, "kept (it exists; --force replaces it)"))
    check = _gitlab_step(chosen, root) if args.gitlab else _github_step(chosen, root, args.force)
    return [*steps, check, *_agent_steps(args, root)]


def _github_step(chosen: scaffold.Source, root: str, force: bool) -> tuple[str, str | None, str]:
    flow = scaffold.workflow(chosen)
    if flow is None:
        return WORKFLOW, None, f"not written: {chosen.url} is not on GitHub"
    if _read(os.path.join(root, WORKFLOW)) not in (None, flow) and not force:
        return WORKFLOW, None, "kept (it exists; --force replaces it)"
    same = _read(os.path.join(root, WORKFLOW)) == flow
    return WORKFLOW, None if same else flow, "unchanged" if same else "the check"


def _gitlab_step(chosen: scaffold.Source, root: str) -> tuple[str, str | None, str]:
    """``.gitlab-ci.yml`` with the template's include; a project's own is never rewritten
    (its pipeline is its own): the include to add is said instead."""
    wanted = scaffold.gitlab_ci(chosen)
    existing = _read(os.path.join(root, GITLAB_CI))
    if existing is None:
        return GITLAB_CI, wanted, "the check: the GitLab template, included"
    if scaffold.GITLAB_TEMPLATE in existing:
        return GITLAB_CI, None, "unchanged (it includes the template)"
    include = wanted.split("include:\n", 1)[1].rstrip("\n").replace("\n", "\n    ")
    return GITLAB_CI, None, f"kept (it exists); add to its include:\n    {include}"


def _agent_steps(args: argparse.Namespace, root: str) -> list[tuple[str, str | None, str]]:
    """The agents' settings (``--agents``): each runs ``agent-hook`` before shell commands."""
    steps: list[tuple[str, str | None, str]] = []
    for agent in _agents(args):
        path = agent_settings.FILES[agent][0]
        merged = agent_settings.settings(agent, _read(os.path.join(root, path)))
        steps.append((path, merged, f"{agent} guardrail") if merged else (path, None, "unchanged"))
    return steps


def _agents(args: argparse.Namespace) -> list[str]:
    if not args.agents:
        return []
    wanted = list(agent_settings.FILES) if args.agents == "all" else args.agents.split(",")
    unknown = [a for a in wanted if a not in agent_settings.FILES]
    if unknown:
        raise UsageError(
            f"--agents {','.join(unknown)}: choose from {', '.join(agent_settings.FILES)} or all"
        )
    return wanted


def run(args: argparse.Namespace) -> int:
    root = git.toplevel(os.getcwd())
    if root is None:
        raise UsageError("run ai-governance init inside a git repository")
    for path, content, what in plan(args, root):
        if content is None:
            print(f"{path}: {what}")
            continue
        if args.dry_run:
            print(f"{path}: would write ({what}):")
            sys.stdout.write("".join(f"    {line}\n" for line in content.splitlines()))
            continue
        full = os.path.join(root, path)
        os.makedirs(os.path.dirname(full) or ".", exist_ok=True)
        with open(full, "w", encoding="utf-8") as handle:
            handle.write(content)
        print(f"{path}: written ({what})")
    required = (
        "give the job its AI_GOVERNANCE_GITLAB_TOKEN and turn on Pipelines must succeed"
        " (docs/gitlab.md)"
        if args.gitlab
        else "make the `governance` check required (docs/github-action.md)"
    )
    print(
        "next: `pre-commit install` (all three stages), `ai-governance validate`, commit the"
        f" files, and {required}"
    )
    return 0
