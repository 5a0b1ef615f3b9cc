"""``ai-governance fetch``: copy the pinned remote policies the policy extends into the
user's cache, where the hooks read them (they never reach the network themselves).

Each ``github:OWNER/REPO/PATH@SHA`` that the policy extends, directly or through the files
it extends, is read through the GitHub API (``GITHUB_API_URL``, with ``GITHUB_TOKEN`` or
``GH_TOKEN`` when set: a private repository needs one), each
``gitlab:GROUP/PROJECT:PATH@SHA`` through the GitLab API (``AI_GOVERNANCE_GITLAB_API_URL``,
else ``CI_API_V4_URL``, else GitLab.com's; with ``AI_GOVERNANCE_GITLAB_TOKEN`` or
``GITLAB_TOKEN`` when set), and written under its commit, so a copy never goes stale.
Then the whole policy is loaded, as the hooks will load it.
"""

from __future__ import annotations

import argparse
import os

from ai_governance.commands.common import root
from ai_governance.errors import PolicyError
from ai_governance.folders import cache_dir
from ai_governance.policy import load, remote

GITLAB_COM = "https://gitlab.com/api/v4"


def read_remote(ref: remote.Ref) -> bytes:
    """``ref``'s file through its forge's API, configured from the environment."""
    env = os.environ
    if ref.forge == "gitlab":
        from ai_governance.gather import gitlab_api
        from ai_governance.gather.gitlab import file_at

        url = env.get("AI_GOVERNANCE_GITLAB_API_URL") or env.get("CI_API_V4_URL") or GITLAB_COM
        token = env.get(gitlab_api.TOKEN) or env.get("GITLAB_TOKEN") or None
        return file_at(gitlab_api.Api(url, token), ref)
    from ai_governance.gather.github import contents
    from ai_governance.gather.github_api import Api

    token = env.get("GITHUB_TOKEN") or env.get("GH_TOKEN") or None
    return contents(Api(env.get("GITHUB_API_URL") or "https://api.github.com", token), ref)


def _store(path: str, raw: bytes) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    temporary = f"{path}.{os.getpid()}.tmp"
    with open(temporary, "wb") as handle:
        handle.write(raw)
    os.replace(temporary, path)


def _walk(name: str, raw: bytes, seen: set[str], said: list[str], *, depth: int = 1) -> None:
    """Fetch what ``name`` extends, and what that extends, each once; no deeper than a
    policy may be (``load`` says why a deeper or circular chain is refused)."""
    data, where = load.validated(name, raw)
    for index, relative in enumerate(data.get("extends", [])):
        try:
            ref = remote.target(name, relative)
        except ValueError as exc:
            at = where(("extends", index))
            raise PolicyError([f"{at}: extends[{index}]: {relative}: {exc}"]) from None
        if ref is None:
            base_name, base_raw = load.read_beside(name, relative)
        else:
            base_name = str(ref)
            path = remote.cache_file(ref, cache_dir())
            if os.path.isfile(path):
                with open(path, "rb") as handle:
                    base_raw = handle.read()
                said.append(f"cached   {ref}")
            else:
                base_raw = read_remote(ref)
                _store(path, base_raw)
                said.append(f"fetched  {ref} ({len(base_raw)} bytes) into {path}")
        if base_name not in seen and depth < load.MAX_DEPTH:
            seen.add(base_name)
            _walk(base_name, base_raw, seen, said, depth=depth + 1)


def run(args: argparse.Namespace) -> int:
    name, raw = load.locate(args.policy, root())
    said: list[str] = []
    _walk(name, raw, {name}, said)
    for line in said:
        print(line)
    policy, _, _ = load.inspect(args.policy, root())
    remotes = sum(1 for line in said if line.startswith(("cached", "fetched")))
    print(
        f"{policy.source}: valid policy `{policy.name}` ({len(policy.rules)} rules);"
        f" {remotes} remote polic{'y' if remotes == 1 else 'ies'} in the cache"
    )
    return 0
