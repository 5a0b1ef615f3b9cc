"""A GitLab merge request as a Change: the pipeline's variables, the REST API and the clone.

The job runs in a merge-request pipeline. GitLab's variables say only which merge request
(``CI_MERGE_REQUEST_PROJECT_ID``, the *target* project, and ``CI_MERGE_REQUEST_IID``);
everything the MR author controls or that changes after the pipeline starts (title,
description, labels, draft, approvals, reviewers) is read from the API when the job runs.
The head and base are the MR's own ``diff_refs``: a merged-results pipeline checks out a
temporary merge commit that is nobody's work. Commits come from the API (every page),
file contents and added lines from the clone at the head and base (deepened when
shallow). Whatever cannot be had completely is an error.

What GitLab does not say is worked out here, never assumed: Free lets an author approve
their own MR and never resets approvals on a push, and no edition says which commit an
approval was for. An approval is of the head only when GitLab dates it
(``approved_by[].approved_at``) after the diff version whose head is the MR's head was
created; an undated one is of an earlier push as far as ``dismiss_stale`` knows.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from ai_governance.change import Change, Commit, Identity, PullRequest, Review
from ai_governance.errors import PolicyError, UsageError
from ai_governance.gather import git, local
from ai_governance.gather.forge import Base, Depth, ensure_history
from ai_governance.gather.gitlab_api import Api, ApiError, Forbidden, project_path
from ai_governance.gather.rest import field, members, quote
from ai_governance.policy.remote import Ref
from ai_governance.records import NamedTuple

EVENT = "merge_request_event"
DEPTH = Depth("merge request", "set `GIT_DEPTH: 0` on the job (the template does)")
SHA = re.compile(r"[0-9a-f]{40}")
# Users GitLab makes for project, group and service-account tokens: bots by name
_BOT = re.compile(r"^(?:(?:project|group)_\d+_bot(?:_[0-9a-f]+)?|service_account_.+)$")


class Pipeline(NamedTuple):
    """What a merge-request pipeline's variables say (none of it is the MR author's)."""

    api_url: str
    project: str  # CI_MERGE_REQUEST_PROJECT_ID: the target project
    iid: int
    diff_base: str  # CI_MERGE_REQUEST_DIFF_BASE_SHA, as the pipeline was created
    source_sha: str  # the MR head the pipeline ran for ("" when GitLab does not say)
    event_type: str  # detached | merged_result | merge_train


def pipeline(env: dict[str, str]) -> Pipeline:
    """The merge request of this pipeline; a usage error (exit 2) in any other pipeline
    or without the variables GitLab always sets in one."""
    source = env.get("CI_PIPELINE_SOURCE", "")
    if env.get("GITLAB_CI") != "true" or not source:
        raise UsageError(
            "not in GitLab CI (GITLAB_CI and CI_PIPELINE_SOURCE are not set): run"
            " `ai-governance gitlab` as a job of a merge request pipeline"
        )
    if source != EVENT:
        raise UsageError(
            f"this is a {source} pipeline, not a merge request pipeline"
            f" (CI_PIPELINE_SOURCE={EVENT}): it has no merge request to judge; run the job"
            ' with `rules: - if: $CI_PIPELINE_SOURCE == "merge_request_event"`'
            " (the template does)"
        )
    missing = [
        name
        for name in ("CI_API_V4_URL", "CI_MERGE_REQUEST_PROJECT_ID", "CI_MERGE_REQUEST_IID")
        if not env.get(name)
    ]
    if missing:
        raise UsageError(
            f"a merge request pipeline without {', '.join(missing)}: nothing was judged"
        )
    iid = env["CI_MERGE_REQUEST_IID"]
    if not iid.isdigit():
        raise UsageError(f"CI_MERGE_REQUEST_IID {iid!r} is not a number")
    event_type = env.get("CI_MERGE_REQUEST_EVENT_TYPE", "")
    source_sha = env.get("CI_MERGE_REQUEST_SOURCE_BRANCH_SHA", "")
    if not source_sha and event_type in ("", "detached"):
        source_sha = env.get("CI_COMMIT_SHA", "")  # a detached pipeline runs on the head
    return Pipeline(
        env["CI_API_V4_URL"],
        env["CI_MERGE_REQUEST_PROJECT_ID"],
        int(iid),
        env.get("CI_MERGE_REQUEST_DIFF_BASE_SHA", ""),
        source_sha,
        event_type,
    )


def _sha(data: Any, path: str, origin: str) -> str:
    value: str = field(data, path, str, origin)
    if not SHA.fullmatch(value):
        raise ApiError(f"{origin}: `{path}` {value!r} is not a commit id; nothing was judged")
    return value


def _time(value: Any) -> datetime.datetime | None:
    """GitLab's ISO 8601 time (``Z`` or an offset), or None when it is not one."""
    if not isinstance(value, str):
        return None
    try:
        when = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo is not None else None


def _username(user: Any) -> str:
    name = user.get("username") if isinstance(user, dict) else None
    return name if isinstance(name, str) else ""


def is_bot(user: Any) -> bool:
    """GitLab flags bot users (``bot: true``); token and service-account users are named so."""
    return isinstance(user, dict) and (
        user.get("bot") is True or bool(_BOT.match(_username(user)))
    )


class MergeRequest(NamedTuple):
    """A merge request as a ``PullRequestSource``: the full object already fetched."""

    api: Api
    prefix: str  # projects/ID/merge_requests/IID
    mr: dict[str, Any]
    run: Pipeline

    @property
    def head(self) -> str:
        return _sha(self.mr, "diff_refs.head_sha", f"the merge request {self.prefix}")

    def base(self, cwd: str) -> Base:
        sha = _sha(self.mr, "diff_refs.base_sha", f"the merge request {self.prefix}")
        return Base(sha, ensure_history(sha, sha, 0, cwd, DEPTH))

    def gather(self, cwd: str, *, max_bytes: int | None, teams: tuple[str, ...]) -> Change:
        return gather(self, cwd, max_bytes=max_bytes, teams=list(teams))

    def policy(self, ref: Ref) -> bytes:
        return file_at(self.api, ref)


def file_at(api: Api, ref: Ref) -> bytes:
    """The exact bytes of a ``gitlab:`` reference's file at its commit (the repository
    files API, raw); a ``github:`` one cannot be read from GitLab."""
    if ref.forge != "gitlab":
        raise PolicyError(
            [
                f"extends {ref}: a GitLab job has no GitHub API to read it through; keep the"
                " central policy in a GitLab project (gitlab:GROUP/PROJECT:PATH@SHA)"
            ]
        )
    return api.raw(
        f"{project_path(ref.project)}/repository/files/{quote(ref.path)}/raw?ref={ref.sha}"
    )


def merge_request(run: Pipeline, api: Api) -> MergeRequest:
    """The merge request of ``run``, read whole from the API (never from the variables,
    which are a snapshot and, for the description, cut at 2,700 characters)."""
    prefix = f"{project_path(run.project)}/merge_requests/{run.iid}"
    mr, _ = api.get(prefix)
    origin = f"the merge request {prefix}"
    if not isinstance(mr, dict):
        raise ApiError(f"{origin}: GitLab's answer is not an object; nothing was judged")
    field(mr, "title", str, origin)
    field(mr, "author.username", str, origin)
    if not isinstance(mr.get("diff_refs"), dict):
        raise ApiError(
            f"{origin}: GitLab has not worked out its diff yet (`diff_refs` is empty right"
            " after a merge request is created or pushed to); re-run the job"
        )
    for key in ("diff_refs.base_sha", "diff_refs.head_sha"):
        _sha(mr, key, origin)
    if not isinstance(mr.get("description"), (str, type(None))):
        field(mr, "description", str, origin)
    return MergeRequest(api, prefix, mr, run)


def _identity(item: dict[str, Any], role: str) -> Identity:
    return Identity(str(item.get(f"{role}_name") or ""), str(item.get(f"{role}_email") or ""))


def _commit(item: Any, origin: str) -> Commit:
    sha = _sha(item, "id", origin)
    parents = item.get("parent_ids")
    return Commit(
        sha,
        field(item, "message", str, origin),
        _identity(item, "author"),
        _identity(item, "committer"),
        len(parents) if isinstance(parents, list) and parents else 1,
    )


def _pushed_at(source: MergeRequest, head: str) -> datetime.datetime | None:
    """When the MR's head arrived: the creation of the newest diff version whose head is
    ``head`` (None when GitLab lists none yet)."""
    versions, _ = source.api.pages(f"{source.prefix}/versions", 10**9)
    origin = f"GitLab's list of diff versions of {source.prefix}"
    times = [
        _time(field(v, "created_at", str, origin))
        for v in versions
        if isinstance(v, dict) and v.get("head_commit_sha") == head
    ]
    known = [t for t in times if t is not None]
    return max(known) if known else None


def _reviews(source: MergeRequest, head: str) -> tuple[tuple[Review, ...], list[str]]:
    """Approvals (of the head when dated after its push) and requests for changes, in that
    order (a request for changes is the reviewer's current state: it blocks); notices."""
    notices: list[str] = []
    approvals, _ = source.api.get(f"{source.prefix}/approvals")
    origin = f"GitLab's approvals of {source.prefix}"
    approved_by = field(approvals, "approved_by", list, origin)
    pushed = _pushed_at(source, head)
    if pushed is None:
        notices.append(
            f"GitLab lists no diff version for the head {head[:12]} yet, so no approval can"
            " be shown to come after the last push"
        )
    reviews: list[Review] = []
    undated = []
    for entry in approved_by:
        user = field(entry, "user", dict, origin)
        name = _username(user) or "(a deleted account)"
        at = _time(entry.get("approved_at"))
        fresh = pushed is not None and at is not None and at >= pushed
        if at is None:
            undated.append(name)
        reviews.append(
            Review(
                name, "APPROVED", head if fresh else None, bot=is_bot(user) or not _username(user)
            )
        )
    if undated:
        notices.append(
            f"GitLab does not say when {', '.join(sorted(undated))} approved (`approved_at`"
            " is missing before GitLab 17.x): those approvals count as given before the last push"
        )
    listed, _ = source.api.pages(f"{source.prefix}/reviewers", 10**9)
    origin = f"GitLab's reviewers of {source.prefix}"
    for entry in listed:
        user = field(entry, "user", dict, origin)
        if field(entry, "state", str, origin) == "requested_changes":
            reviews.append(Review(_username(user) or "(a deleted account)", "CHANGES_REQUESTED"))
    return tuple(reviews), notices


def _approval_rules(source: MergeRequest) -> list[str]:
    """Premium's own approval rules that are not met, as notices (the verdict is the
    policy's; these say what GitLab will also ask). Free has no such route: nothing."""
    try:
        state, _ = source.api.get(f"{source.prefix}/approval_state")
    except Forbidden:
        return []
    rules = state.get("rules") if isinstance(state, dict) else None
    notices = []
    for rule in rules if isinstance(rules, list) else ():
        if isinstance(rule, dict) and rule.get("approved") is False:
            notices.append(
                f"GitLab's approval rule {str(rule.get('name', '?'))!r} is not met yet"
                f" ({rule.get('approvals_required', '?')} approval(s) required)"
            )
    return notices


def group_members(api: Api, slugs: list[str]) -> dict[str, frozenset[str] | None]:
    """{"@group/subgroup": usernames}, inherited and invited members included; None for a
    group this token cannot read."""
    return members(
        api, slugs, lambda slug: f"groups/{quote(slug.lstrip('@'))}/members/all", _username
    )


def gather(source: MergeRequest, cwd: str, *, max_bytes: int | None, teams: list[str]) -> Change:
    """The Change of the merge request, with notices about how it was gathered."""
    mr, api, prefix = source.mr, source.api, source.prefix
    base, head = mr["diff_refs"]["base_sha"], mr["diff_refs"]["head_sha"]
    items, _ = api.pages(f"{prefix}/commits", 10**9)
    origin = f"GitLab's list of commits of {prefix}"
    commits = tuple(_commit(item, origin) for item in items)
    notices = list(ensure_history(base, head, len(commits), cwd, DEPTH))
    if source.run.source_sha and source.run.source_sha != head:
        notices.append(
            f"the merge request's head moved to {head[:12]} after this pipeline started"
            f" (for {source.run.source_sha[:12]}); the current head was judged"
        )
    if source.run.diff_base and source.run.diff_base != base:
        notices.append(
            f"the merge request's diff base is {base[:12]}, not the pipeline's"
            f" CI_MERGE_REQUEST_DIFF_BASE_SHA {source.run.diff_base[:12]} (its target moved);"
            " the current base and its policy were used"
        )
    listed, _ = api.pages(f"{prefix}/diffs", 10**9)
    files = git.changed_files(git.range_diff(base, head), cwd)
    if len(listed) != len(files):
        notices.append(
            f"GitLab lists {len(listed)} changed files (its diff limits may cut the list);"
            f" the clone's diff of base and head, {len(files)} files, was used"
        )
    if max_bytes is not None:
        files = local.with_contents(files, cwd, max_bytes)
    reviews, said = _reviews(source, head)
    notices += said + _approval_rules(source)
    labels = tuple(label for label in mr.get("labels") or () if isinstance(label, str))
    draft = mr.get("draft")
    pull = PullRequest(
        number=source.run.iid,
        title=mr["title"],
        body=mr.get("description") or "",
        author=mr["author"]["username"],
        labels=labels,
        base_sha=base,
        head_sha=head,
        reviews=reviews,
        draft=draft is True or (draft is None and mr.get("work_in_progress") is True),
        forge="GitLab",
    )
    members = group_members(api, teams) if teams else None
    known = {k: v for k, v in (members or {}).items() if v is not None}
    return Change("pull-request", commits, files, pull, team_members=known, notices=tuple(notices))
