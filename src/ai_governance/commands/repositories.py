"""``ai-governance repositories ORG``: the repositories of an organisation to measure, as a
JSON array of ``owner/name`` (what a GitHub Actions matrix takes; the reusable workflow
``ai-adoption-report.yml`` runs one report job for each).

Listed through ``GET /orgs/ORG/repos`` (every page; ``GITHUB_API_URL``, with
``GITHUB_TOKEN`` or ``GH_TOKEN``: private repositories need a token that can read them).
Archived repositories and forks are left out unless asked for: an archive has stopped, and
a fork's history is mostly its upstream's.
"""

from __future__ import annotations

import argparse
import json
import os
import re
from typing import Any

from ai_governance.errors import UsageError
from ai_governance.gather.github_api import Api, GitHubError, quote

ORGANISATION = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?")
FULL_NAME = re.compile(r"[A-Za-z0-9-]+/[A-Za-z0-9_.-]+")
LIMIT = 100_000


def chosen(items: list[Any], *, archived: bool, forks: bool) -> list[str]:
    """The full names of the repositories to measure; GitHubError for a wrong shape."""
    names = []
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("full_name"), str):
            raise GitHubError("GitHub listed a repository without a `full_name`")
        if not FULL_NAME.fullmatch(item["full_name"]):
            raise GitHubError(f"GitHub listed a repository named {item['full_name']!r}")
        if (item.get("archived") is True and not archived) or (
            item.get("fork") is True and not forks
        ):
            continue
        names.append(item["full_name"])
    return sorted(set(names))


def run(args: argparse.Namespace) -> int:
    if not ORGANISATION.fullmatch(args.organisation):
        raise UsageError(f"{args.organisation!r} is not a GitHub organisation name")
    token = os.environ.get("GITHUB_TOKEN") or os.environ.get("GH_TOKEN") or None
    api = Api(os.environ.get("GITHUB_API_URL") or "https://api.github.com", token)
    items, _ = api.pages(f"/orgs/{quote(args.organisation)}/repos?type=all", LIMIT)
    names = chosen(items, archived=args.include_archived, forks=args.include_forks)
    if not names:
        raise UsageError(f"{args.organisation} has no repository to measure")
    if args.at_most is not None and len(names) > args.at_most:
        raise UsageError(
            f"{args.organisation} has {len(names)} repositories to measure, more than"
            f" {args.at_most} (--at-most): measure them in parts"
        )
    print(json.dumps(names))
    return 0
