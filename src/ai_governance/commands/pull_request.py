"""Judging a pull request from any forge: by its base commit's policy, never its own."""

from __future__ import annotations

import datetime
import posixpath
from collections.abc import Callable

from ai_governance.change import Change
from ai_governance.engine import evaluate
from ai_governance.errors import GitError, PolicyError, UsageError
from ai_governance.gather import git
from ai_governance.gather.forge import PullRequestSource
from ai_governance.gather.rest import Forbidden
from ai_governance.policy import load, remote
from ai_governance.policy.model import Policy
from ai_governance.records import NamedTuple
from ai_governance.report import Report
from ai_governance.resources import data_file
from ai_governance.rules.context import Scanner
from ai_governance.rules.needs import needs


def _fetch_hint(base: str) -> str:
    return (
        f"run `git fetch --no-filter origin {base}` (or check out with `fetch-depth: 0` and"
        " no `filter:`) so the base commit's policy can be read; nothing was judged"
    )


Remote = Callable[[remote.Ref], bytes]


def _reader(base: str, cwd: str, read: list[str], fetch: Remote) -> load.Reader:
    """Policies a base policy extends, read from the same base commit (appended to
    ``read``): never from the checkout, which holds the pull request's edits. A pinned
    policy of another repository is read through the forge's API (``fetch``)."""

    def at_base(name: str, relative: str) -> tuple[str, bytes]:
        ref = remote.target(name, relative)
        if ref is not None:
            try:
                return str(ref), fetch(ref)
            except Forbidden as exc:
                raise PolicyError(
                    [
                        f"{name}: extends {relative}: {exc}; for a private repository give"
                        " the job a token that can read its contents"
                    ]
                ) from None
        current = name.rsplit("@", 1)[0]
        target = posixpath.normpath(posixpath.join(posixpath.dirname(current), relative))
        if target == ".." or target.startswith(("../", "/")):
            raise PolicyError([f"{name}: extends {relative}: outside the repository"])
        try:
            raw = git.run(["cat-file", "blob", f"{base}:{target}"], cwd)
        except GitError:
            raise PolicyError(
                [f"{name}: extends {relative}: {target} is not in the base commit {base[:12]}"]
            ) from None
        read.append(target)
        return f"{target}@{base[:12]}", raw

    return at_base


def _no_remote(ref: remote.Ref) -> bytes:
    raise PolicyError([f"extends {ref}: this job has no API to read it through"])


def base_policy(
    requested: str | None,
    base: str,
    cwd: str,
    extended: list[str] | None = None,
    fetch: Remote = _no_remote,
) -> Policy:
    """The policy as it is in the base commit, never as the PR edits it, with what it
    extends read from that commit too (their paths appended to ``extended``). No policy
    file in the base means the embedded default; a policy that exists but cannot be read
    (a missing object in a partial clone, a symbolic link) is an error, never the default."""
    names = [requested.removeprefix("./")] if requested else list(load.FILENAMES)
    try:
        listing = git.run(["ls-tree", "-z", "--full-tree", base, "--", *names], cwd)
    except GitError:
        raise GitError(
            f"the base commit {base[:12]}'s tree cannot be read: {_fetch_hint(base)}"
        ) from None
    entries = [git.text(entry).split("\t", 1) for entry in listing.split(b"\0") if entry]
    if not entries:
        if requested:
            raise UsageError(
                f"the policy {names[0]} does not exist in the base commit {base[:12]};"
                " a pull request is judged by the base commit's policy"
            )
        return load.from_bytes(load.EMBEDDED, data_file("default.yml"))
    path = load.one_policy([name for _, name in entries])
    mode, kind, blob = entries[0][0].split(" ")
    if kind != "blob" or mode not in ("100644", "100755"):
        raise UsageError(
            f"{path} in the base commit {base[:12]} is not a regular file (mode {mode});"
            " the policy must be the file itself"
        )
    try:
        raw = git.run(["cat-file", "blob", blob], cwd)
    except GitError:
        raise GitError(
            f"the base commit's policy {path} (object {blob[:12]}) is not in this checkout:"
            f" {_fetch_hint(base)}"
        ) from None
    reader = _reader(base, cwd, extended if extended is not None else [], fetch)
    return load.from_bytes(f"{path}@{base[:12]}", raw, read=reader)


class Runner(NamedTuple):
    """What runs the check, as a change could edit it: its configuration files' paths
    and what keeps it out of the change author's hands."""

    paths: tuple[str, ...]
    what: str  # "the workflow", "the CI configuration"
    remedy: str
    suffixes: tuple[str, ...] = ()  # any file so named may be part of it (an include)


def actions_workflow(path: str | None) -> Runner:
    return Runner(
        (path,) if path else (),
        "the workflow",
        "a required workflow from a central repository prevents it (docs/github-action.md)",
    )


def policy_notices(
    policy_path: str | None,
    change: Change,
    runner: Runner | None = None,
    extended: tuple[str, ...] = (),
) -> tuple[str, ...]:
    """A change that edits, adds, moves or deletes a policy file (or one it extends) is a
    policy change; one that touches the configuration running this check could switch the
    check off for itself."""
    names = {*load.FILENAMES, (policy_path or load.FILENAME).removeprefix("./"), *extended}
    touched = {p for f in change.files for p in (f.path, f.old_path) if p is not None}
    notices = [
        f"this change touches the policy file {path}; it was judged by the policy of the"
        " base commit, and the change needs the policy owners' review"
        for path in sorted(touched & names)
    ]
    running = {p for p in touched if runner and (p in runner.paths or p.endswith(runner.suffixes))}
    for path in sorted(running):
        assert runner is not None  # nosec B101: paths come from it
        notices.append(
            f"this change touches {path}, {runner.what} that runs this check: it could"
            " change or remove the check for itself; it needs the policy owners' review, and"
            f" {runner.remedy}"
        )
    return tuple(notices)


def judge(
    source: PullRequestSource,
    cwd: str,
    policy_path: str | None,
    today: datetime.date,
    *,
    scanner: Scanner | None = None,
    runner: Runner | None = None,
) -> Report:
    """Judge the source by its base commit's policy; ``runner``: the configuration
    running this check, when known (a change to it is flagged)."""
    base = source.base(cwd)
    extended: list[str] = []
    policy = base_policy(policy_path, base.sha, cwd, extended, source.policy)
    need = needs(policy, "pull-request")
    change = source.gather(cwd, max_bytes=need.content_bytes, teams=need.team_slugs)
    notices = (
        *base.notices,
        *change.notices,
        *policy_notices(policy_path, change, runner, tuple(extended)),
    )
    change = change._replace(notices=tuple(dict.fromkeys(notices)))
    return evaluate(policy, change, today, scanner)
