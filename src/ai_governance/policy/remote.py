"""Policies in another repository, pinned to a commit: ``github:OWNER/REPO/PATH@SHA``.

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

PREFIX = "github:"
FETCH = "ai-governance fetch"  # the command that fills the cache
_FORM = re.compile(
    r"github:(?P<owner>[A-Za-z0-9][A-Za-z0-9-]{0,38})/(?P<repo>[A-Za-z0-9_.-]{1,100})"
    r"/(?P<path>[^@]+)@(?P<rev>[^@]*)"
)
_SHA = re.compile(r"[0-9a-f]{40}")
_EXAMPLE = "github:OWNER/REPO/PATH@<40-hex commit SHA>"


class Ref(NamedTuple):
    owner: str
    repo: str
    path: str
    sha: str

    def __str__(self) -> str:
        return f"{PREFIX}{self.owner}/{self.repo}/{self.path}@{self.sha}"


def is_remote(text: str) -> bool:
    return text.startswith(PREFIX)


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
    match = _FORM.fullmatch(text)
    if match is None:
        raise ValueError(f"write a policy in another repository as {_EXAMPLE}")
    if match["repo"] in (".", ".."):
        raise ValueError(f"{match['repo']!r} is not a repository name")
    rev = match["rev"]
    if not _SHA.fullmatch(rev):
        raise ValueError(
            f"@{rev or '(nothing)'} is not a full commit SHA: a branch, a tag or a short SHA"
            " can change what every extending repository enforces; pin the 40-hex commit SHA"
            " (lower case)"
        )
    return Ref(match["owner"], match["repo"], _inside(match["path"]), rev)


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
    folder = os.path.join(cache, "remote", "github", ref.owner, ref.repo, ref.sha)
    return os.path.join(folder, *ref.path.split("/"))
