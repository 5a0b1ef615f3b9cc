"""A loopback stand-in for GitLab's REST API v4, serving its real response shapes.

Responses are built from the recorded examples in tests/fixtures/gitlab/rest (each item's
shape is kept; only the values a test's repository needs are replaced). Each route answers
from a queue, the last answer repeating, so a test can script `429 then 200`, a 401, or a
permanent 500. Lists are paged by ``page_size`` with GitLab's headers (``x-next-page``
empty on the last page, ``x-page``, ``x-per-page``, ``link``), unless an answer carries
its own; the token is recorded with every request. Notes are kept as GitLab keeps them: POST adds one by the token's user,
PUT edits one.
"""

from __future__ import annotations

import copy
import json
import urllib.parse
from pathlib import Path
from typing import Any

import loopback
from conftest import FIXTURES, git

REST = FIXTURES / "gitlab" / "rest"
PROJECT = 15513260  # the docs' example merge request's project (marcel.amirault/test-project)
IID = 133


def shape(name: str) -> Any:
    return json.loads((REST / name).read_text())


def error(name: str) -> Any:
    return json.loads((REST / "errors" / name).read_text())


def user(username: str, user_id: int, **extra: Any) -> dict[str, Any]:
    """A user as GitLab embeds one (the reviewers example's shape)."""
    item: dict[str, Any] = copy.deepcopy(shape("merge_request_reviewers.list.json")[0]["user"])
    item.update(id=user_id, username=username, name=username.title(), **extra)
    item["web_url"] = f"https://gitlab.example.com/{username}"
    return item


def commit_item(repo: Path, sha: str) -> dict[str, Any]:
    fields = git(repo, "show", "-s", "--format=%an%x00%ae%x00%cn%x00%ce%x00%P%x00%B", sha)
    an, ae, cn, ce, parents, message = fields.split("\0")
    item: dict[str, Any] = copy.deepcopy(shape("merge_request_commits.list.json")[0])
    item.update(
        id=sha,
        short_id=sha[:11],
        title=message.split("\n", 1)[0],
        message=message.rstrip("\n") + "\n",
        author_name=an,
        author_email=ae,
        committer_name=cn,
        committer_email=ce,
        parent_ids=parents.split(),
        web_url=f"https://gitlab.example.com/acme/app/-/commit/{sha}",
    )
    return item


def diff_item(path: str) -> dict[str, Any]:
    item: dict[str, Any] = copy.deepcopy(shape("merge_request_diffs.list.json")[0])
    item.update(old_path=path, new_path=path)
    return item


def version_item(version: int, head: str, base: str, created_at: str) -> dict[str, Any]:
    item: dict[str, Any] = copy.deepcopy(shape("merge_request_versions.list.json")[0])
    item.update(
        id=version,
        head_commit_sha=head,
        base_commit_sha=base,
        start_commit_sha=base,
        created_at=created_at,
    )
    return item


def approval(who: dict[str, Any], approved_at: str | None) -> dict[str, Any]:
    """An ``approved_by`` entry; GitLab added ``approved_at`` in 17.x (None: older)."""
    entry: dict[str, Any] = {"user": who}
    if approved_at is not None:
        entry["approved_at"] = approved_at
    return entry


def approvals(entries: list[dict[str, Any]], *, premium: bool = True) -> dict[str, Any]:
    """``GET .../approvals``: Premium's ApprovalState shape, or Free's four fields."""
    item: dict[str, Any] = copy.deepcopy(shape("merge_request_approvals.get.json"))
    item["approved_by"] = entries
    if not premium:
        return {
            "user_has_approved": False,
            "user_can_approve": False,
            "approved": bool(entries),
            "approved_by": entries,
        }
    item.update(iid=IID, project_id=PROJECT, approvals_left=max(0, 1 - len(entries)))
    return item


def reviewer(who: dict[str, Any], state: str) -> dict[str, Any]:
    item: dict[str, Any] = copy.deepcopy(shape("merge_request_reviewers.list.json")[0])
    item.update(user=who, state=state)
    return item


def member(username: str, user_id: int) -> dict[str, Any]:
    item: dict[str, Any] = copy.deepcopy(shape("group_members_all.list.json")[0])
    item.update(id=user_id, username=username, name=username.title())
    return item


def merge_request(
    base: str,
    head: str,
    *,
    author: dict[str, Any],
    title: str = "Add a cache",
    description: str | None = "Adds a cache.",
    labels: tuple[str, ...] = (),
    draft: bool = False,
) -> dict[str, Any]:
    """The docs' gitlab.com merge request with this repository's values put in (its
    ``head_pipeline`` stays a merged-results pipeline on a merge commit of GitLab's)."""
    item: dict[str, Any] = copy.deepcopy(shape("merge_request.get.json"))
    item.update(
        iid=IID,
        project_id=PROJECT,
        title=title,
        description=description,
        author=author,
        labels=list(labels),
        draft=draft,
        sha=head,
        web_url=f"https://gitlab.example.com/acme/app/-/merge_requests/{IID}",
    )
    item["diff_refs"] = {"base_sha": base, "head_sha": head, "start_sha": base}
    return item


class Response:
    def __init__(
        self, status: int, body: Any, headers: dict[str, str] | None = None, *, text: bool = False
    ) -> None:
        self.status, self.body, self.headers, self.text = status, body, headers or {}, text


PREFIX = f"/api/v4/projects/{PROJECT}/merge_requests/{IID}"


class FakeGitLab:
    """Routes are request paths (without the query), each a list of Responses."""

    def __init__(self, page_size: int = 100, me: dict[str, Any] | None = None) -> None:
        self.routes: dict[str, list[Response]] = {}
        self.requests: list[tuple[str, str, str | None]] = []  # (method, path, token)
        self.notes: list[dict[str, Any]] = []
        # "POST /path": answers, the last repeating; "lands" does the write and answers 502
        self.scripts: dict[str, list[Response | str]] = {}
        self.me = me or user("project_15513260_bot_4f9c", 901, bot=True)
        self.files: dict[tuple[str, str, str], bytes] = {}  # (project, path, sha) -> bytes
        self.page_size = page_size
        fake = self

        class Handler(loopback.Handler):
            def do_GET(self) -> None:
                self.handle_any("GET")

            def do_POST(self) -> None:
                self.handle_any("POST")

            def do_PUT(self) -> None:
                self.handle_any("PUT")

            def handle_any(self, method: str) -> None:
                fake.requests.append((method, self.path, self.headers.get("PRIVATE-TOKEN")))
                path, _, query = self.path.partition("?")
                raw = fake.raw_file(path, query) if method == "GET" else None
                if raw is not None:
                    self.reply(200, {"Content-Type": "text/plain"}, raw)
                    return
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length) or b"null") if length else None
                self.answer(fake.answer(method, path, body), query, path)

            def answer(self, answer: Response, query: str, path: str) -> None:
                body, headers = answer.body, dict(answer.headers)
                scripted = {"X-Next-Page", "Link"} & set(headers)  # a test pages it itself
                if isinstance(body, list) and answer.status == 200 and not scripted:
                    asked = dict(urllib.parse.parse_qsl(query))
                    page = int(asked.get("page", 1))
                    start = (page - 1) * fake.page_size
                    more = start + fake.page_size < len(body)
                    headers.setdefault("X-Next-Page", str(page + 1) if more else "")
                    headers.setdefault("X-Page", str(page))
                    headers.setdefault("X-Per-Page", str(fake.page_size))
                    if more:
                        nxt = urllib.parse.urlencode({**asked, "page": page + 1})
                        headers.setdefault("Link", f'<{fake.url}{path}?{nxt}>; rel="next"')
                    body = body[start : start + fake.page_size]
                if answer.text:
                    headers.setdefault("Content-Type", "text/plain")
                data = body.encode() if answer.text else json.dumps(body).encode()
                self.reply(answer.status, headers, data)

        self.loopback = loopback.Server(Handler)
        self.url = self.loopback.url
        self.api = f"{self.url}/api/v4"

    def raw_file(self, path: str, query: str) -> bytes | None:
        """``GET /projects/:id/repository/files/:file_path/raw?ref=SHA``: a file's bytes at
        a commit, the project and path each one URL-encoded segment; None (a 404 from
        ``answer``) for anything else."""
        parts = path.split("/")
        if len(parts) != 9 or parts[3] != "projects" or parts[5:7] != ["repository", "files"]:
            return None
        if parts[8] != "raw":
            return None
        project, file = urllib.parse.unquote(parts[4]), urllib.parse.unquote(parts[7])
        ref = dict(urllib.parse.parse_qsl(query)).get("ref", "")
        return self.files.get((project, file, ref))

    def answer(self, method: str, path: str, body: Any) -> Response:
        scripted = self.scripts.get(f"{method} {path}")
        if scripted:
            script = scripted.pop(0) if len(scripted) > 1 else scripted[0]
            if isinstance(script, Response):
                return script
            self.write(method, path, body)
            return Response(502, {"message": "502 Bad Gateway"})
        return self.write(method, path, body)

    def write(self, method: str, path: str, body: Any) -> Response:
        if method == "GET" and path == "/api/v4/user":
            return Response(200, self.me)
        if path == f"{PREFIX}/notes":
            if method == "GET":
                return Response(200, self.notes)
            if method == "POST":
                item = copy.deepcopy(shape("merge_request_note.get.json"))
                item.update(id=1000 + len(self.notes), body=body["body"], author=self.me)
                item.update(noteable_iid=IID, project_id=PROJECT)
                self.notes.append(item)
                return Response(201, item)
        if method == "PUT" and path.startswith(f"{PREFIX}/notes/"):
            for item in self.notes:
                if str(item["id"]) == path.rsplit("/", 1)[1]:
                    item["body"] = body["body"]
                    return Response(200, item)
        if method == "GET" and path in self.routes:
            queue = self.routes[path]
            return queue.pop(0) if len(queue) > 1 else queue[0]
        return Response(404, error("404.record_not_found.json"))

    def serve(
        self,
        repo: Path,
        base: str,
        head: str,
        *,
        author: dict[str, Any],
        approved: list[dict[str, Any]] | None = None,
        reviewers: list[dict[str, Any]] | None = None,
        pushed_at: str = "2027-01-01T10:00:00.000Z",
        premium: bool = True,
        **fields: Any,
    ) -> dict[str, Any]:
        """Serve the merge request of ``base..head`` of ``repo``: its object, commits
        (newest first, as GitLab lists them), diffs, one diff version per commit (the
        head's created at ``pushed_at``), approvals and reviewers."""
        shas = git(repo, "rev-list", f"{base}..{head}").split()
        names = [n for n in git(repo, "diff", "--name-only", f"{base}...{head}").split("\n") if n]
        mr = merge_request(base, head, author=author, **fields)
        self.routes[PREFIX] = [Response(200, mr)]
        self.routes[f"{PREFIX}/commits"] = [Response(200, [commit_item(repo, s) for s in shas])]
        self.routes[f"{PREFIX}/diffs"] = [Response(200, [diff_item(n) for n in names])]
        versions = [version_item(len(shas) + 100, head, base, pushed_at)] + [
            version_item(len(shas) - i + 99, sha, base, "2026-12-01T09:00:00.000Z")
            for i, sha in enumerate(shas[1:], start=1)
        ]
        self.routes[f"{PREFIX}/versions"] = [Response(200, versions)]
        self.routes[f"{PREFIX}/approvals"] = [
            Response(200, approvals(approved or [], premium=premium))
        ]
        self.routes[f"{PREFIX}/reviewers"] = [Response(200, reviewers or [])]
        if premium:
            self.routes[f"{PREFIX}/approval_state"] = [
                Response(200, shape("merge_request_approval_state.get.json"))
            ]
        return mr

    def __enter__(self) -> FakeGitLab:
        self.loopback.start()
        return self

    def __exit__(self, *args: object) -> None:
        self.loopback.stop()
