"""Policies in another repository, pinned to a commit: ``github:OWNER/REPO/PATH@SHA`` on
GitHub, ``gitlab:GROUP/PROJECT:PATH@SHA`` on GitLab (subgroups included:
``gitlab:acme/platform/policies:central.yml@SHA``, on the GitLab instance the job or
``fetch`` talks to).

An organisation keeps one central policy; each repository ``extends`` it at a full commit
SHA, so what a repository inherits changes only when the repository says so in a reviewed
change. A branch, a tag or a short SHA can move under every repository at once, and is an
error. CI reads the file through the forge's API at that commit; hooks read it from the
user's cache, which ``ai-governance fetch`` fills. A policy that is not in the cache is an
error naming that command, never a fall back to the embedded default. A relative
``extends`` inside a remote policy names a file of the same repository at the same commit.
"""

from __future__ import annotations

import os
import posixpath
import re

from ai_governance.records import NamedTuple

PREFIXES = ("github:", "gitlab:")
FETCH = "ai-governance fetch"  # the command that fills the cache
_FORMS = {
    "github": re.compile(
        r"github:(?P<owner>[A-Za-z0-9][A-Za-z0-9-]{0,38})/(?P<repo>[A-Za-z0-9_.-]{1,100})"
        r"/(?P<path>[^@]+)@(?P<rev>[^@]*)"
    ),
    # a project's full path: its groups, then its own path; ":" before the file's path
    "gitlab": re.compile(
        r"gitlab:(?P<owner>[A-Za-z0-9_.][A-Za-z0-9_.-]{0,254}(?:/[A-Za-z0-9_.][A-Za-z0-9_.-]{0,254})*)"
        r"/(?P<repo>[A-Za-z0-9_.][A-Za-z0-9_.-]{0,254}):(?P<path>[^@]+)@(?P<rev>[^@]*)"
    ),
}
_SHA = re.compile(r"[0-9a-f]{40}")
_EXAMPLES = {
    "github": "github:OWNER/REPO/PATH@<40-hex commit SHA>",
    "gitlab": "gitlab:GROUP/PROJECT:PATH@<40-hex commit SHA>",
}


class Ref(NamedTuple):
    owner: str  # GitHub's owner; GitLab's group path (subgroups joined by "/")
    repo: str  # the repository's (project's) own name
    path: str
    sha: str
    forge: str = "github"

    @property
    def project(self) -> str:
        """The repository's full path (``owner/repo``)."""
        return f"{self.owner}/{self.repo}"

    def __str__(self) -> str:
        if self.forge == "gitlab":
            return f"gitlab:{self.project}:{self.path}@{self.sha}"
        return f"github:{self.project}/{self.path}@{self.sha}"


def is_remote(text: str) -> bool:
    return text.startswith(PREFIXES)


def _inside(path: str) -> str:
    """``path`` normalised; ValueError when it leaves the repository or is no policy."""
    target = posixpath.normpath(path)
    if target in (".", "..") or target.startswith(("../", "/")):
        raise ValueError(f"{path} is outside the repository")
    if not target.endswith((".yml", ".yaml")):
        raise ValueError(f"{path} is not a .yml or .yaml file")
    return target


def parse(text: str) -> Ref:
    """The pinned reference in ``text``; ValueError saying what is wrong with it."""
    forge = text.partition(":")[0]
    form = _FORMS.get(forge)
    match = form.fullmatch(text) if form is not None else None
    if match is None:
        example = _EXAMPLES.get(forge) or " or ".join(_EXAMPLES.values())
        raise ValueError(f"write a policy in another repository as {example}")
    for part in (*match["owner"].split("/"), match["repo"]):
        if part in (".", ".."):
            raise ValueError(f"{part!r} is not a repository name")
    rev = match["rev"]
    if not _SHA.fullmatch(rev):
        raise ValueError(
            f"@{rev or '(nothing)'} is not a full commit SHA: a branch, a tag or a short SHA"
            " can change what every extending repository enforces; pin the 40-hex commit SHA"
            " (lower case)"
        )
    return Ref(match["owner"], match["repo"], _inside(match["path"]), rev, forge)


def target(name: str, relative: str) -> Ref | None:
    """The remote policy that ``relative`` names from the policy ``name``; None for a file
    of the same repository. ValueError when the reference is not a pinned one."""
    if is_remote(relative):
        return parse(relative)
    if is_remote(name):
        base = parse(name)
        return base._replace(path=_inside(posixpath.join(posixpath.dirname(base.path), relative)))
    return None


def cache_file(ref: Ref, cache: str) -> str:
    """Where the hooks look for ``ref`` under the cache folder ``cache``. Every part is
    checked by ``parse``: none can climb out of the folder."""
    folder = os.path.join(cache, "remote", ref.forge, *ref.owner.split("/"), ref.repo, ref.sha)
    return os.path.join(folder, *ref.path.split("/"))
