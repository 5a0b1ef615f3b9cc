"""A loopback stand-in for the GitHub REST API, serving the real response shapes.

Responses are built from the recorded examples in tests/fixtures/github-rest (the shape of
each item is kept; only the values our repository needs are replaced). Each route answers
from a queue, so a test can script `502 then 200`, a rate limit, or a permanent 500.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import loopback
from conftest import FIXTURES, git

REST = FIXTURES / "github-rest"
EVENTS = FIXTURES / "github-events"


def example(name: str) -> dict[str, Any]:
    item: dict[str, Any] = json.loads((REST / f"pulls-list-{name}.example.2022.json").read_text())[
        0
    ]
    return item


def commit_item(repo: Path, sha: str) -> dict[str, Any]:
    fields = git(repo, "show", "-s", "--format=%an%x00%ae%x00%cn%x00%ce%x00%P%x00%B", sha)
    an, ae, cn, ce, parents, message = fields.split("\0")
    item = copy.deepcopy(example("commits"))
    item["sha"] = sha
    item["commit"]["message"] = message.rstrip("\n")
    item["commit"]["author"].update(name=an, email=ae)
    item["commit"]["committer"].update(name=cn, email=ce)
    item["author"]["login"] = ae.split("@")[0]
    item["committer"]["login"] = ce.split("@")[0]
    item["parents"] = [{"sha": p} for p in parents.split()]
    return item


def review_item(login: str, state: str, commit: str) -> dict[str, Any]:
    item = copy.deepcopy(example("reviews"))
    item.update(state=state, commit_id=commit)
    item["user"]["login"] = login
    return item


def repository_item(name: str, *, archived: bool = False, fork: bool = False) -> dict[str, Any]:
    """A repository of octo-org as GitHub's API lists it (octokit/fixtures' recording)."""
    recorded = json.loads((REST / "repos-get.octokit-fixtures.json").read_text())
    return {**recorded, "name": name, "full_name": f"octo-org/{name}", "archived": archived,
            "fork": fork}  # fmt: skip


def file_item(name: str, status: str = "modified") -> dict[str, Any]:
    item = copy.deepcopy(example("files"))
    item.update(filename=name, status=status)
    return item


def pull_request_event(
    number: int,
    base: str,
    head: str,
    commits: int,
    *,
    title: str = "Add a cache",
    body: str | None = "Adds a cache.",
    author: str = "octocat",
    labels: tuple[str, ...] = (),
) -> dict[str, Any]:
    """The real octokit `opened` payload with this repository's values put in."""
    payload: dict[str, Any] = json.loads((EVENTS / "octokit" / "opened.payload.json").read_text())
    pr = payload["pull_request"]
    pr.update(number=number, title=title, body=body, commits=commits)
    pr["base"]["sha"], pr["head"]["sha"] = base, head
    pr["user"]["login"] = author
    pr["labels"] = [{"name": label} for label in labels]
    payload["repository"]["full_name"] = "octo-org/app"
    return payload


def comment_item(comment_id: int, number: int, login: str, body: str) -> dict[str, Any]:
    """GitHub's documented issue comment with this repository's values put in."""
    item: dict[str, Any] = json.loads((REST / "issues-create-comment.example.json").read_text())
    url = f"https://api.github.com/repos/octo-org/app/issues/comments/{comment_id}"
    item.update(
        id=comment_id,
        url=url,
        html_url=f"https://github.com/octo-org/app/pull/{number}#issuecomment-{comment_id}",
        issue_url=f"https://api.github.com/repos/octo-org/app/issues/{number}",
        body=body,
    )
    item["user"]["login"] = login
    item["user"]["type"] = "Bot" if login.endswith("[bot]") else "User"
    return item


FORBIDDEN = {  # what GitHub answers a read-only token (a fork's pull request) that writes
    "message": "Resource not accessible by integration",
    "documentation_url": "https://docs.github.com/rest/reference/issues#create-an-issue-comment",
}


def raw_content_headers() -> dict[str, str]:
    """The headers GitHub sent with a file's raw bytes (octokit/fixtures, get-content)."""
    recorded = json.loads((REST / "repos-get-content.raw.octokit-fixtures.json").read_text())
    return {"Content-Type": recorded[0]["headers"]["content-type"]}


class Response:
    def __init__(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        self.status, self.body, self.headers = status, body, headers or {}


class FakeGitHub:
    """Routes are request paths (without the query); each holds a list of Responses, the last
    of which repeats. List answers are paged by ``page_size`` with real Link headers."""

    def __init__(self, page_size: int = 100, login: str = "github-actions[bot]") -> None:
        self.routes: dict[str, list[Response]] = {}
        self.requests: list[tuple[str, str | None]] = []
        self.writes: list[tuple[str, str, Any]] = []  # (method, path, JSON body)
        self.comments: dict[int, list[dict[str, Any]]] = {}  # pull request -> comments
        self.scripts: dict[str, list[Response | str | None]] = {}
        self.files: dict[tuple[str, str, str], bytes] = {}  # (owner/repo, path, sha) -> bytes
        self.login = login  # the account the token belongs to
        self.page_size = page_size
        fake = self

        class Handler(loopback.Handler):
            def do_GET(self) -> None:
                fake.requests.append((self.path, self.headers.get("Authorization")))
                path, _, query = self.path.partition("?")
                content = fake.content(path, query, self.headers.get("Accept", ""))
                if content is not None:
                    self.send_response(200)
                    for key, value in raw_content_headers().items():
                        self.send_header(key, value)
                    self.send_header("Content-Length", str(len(content)))
                    self.end_headers()
                    self.wfile.write(content)
                    return
                self.answer(fake.route(path), query, path)

            def do_POST(self) -> None:
                self.write("POST")

            def do_PATCH(self) -> None:
                self.write("PATCH")

            def write(self, method: str) -> None:
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length) or b"null")
                fake.writes.append((method, self.path, body))
                self.answer(fake.write(method, self.path, body), "", self.path)

            def answer(self, queue: list[Response], query: str, path: str) -> None:
                answer = queue.pop(0) if len(queue) > 1 else queue[0]
                body, headers = answer.body, dict(answer.headers)
                if isinstance(body, list) and answer.status == 200:
                    page = int(
                        dict(p.split("=") for p in query.split("&") if "=" in p).get("page", 1)
                    )
                    start = (page - 1) * fake.page_size
                    if start + fake.page_size < len(body):
                        headers["Link"] = (
                            f'<{fake.url}{path}?per_page=100&page={page + 1}>; rel="next"'
                        )
                    body = body[start : start + fake.page_size]
                self.reply(answer.status, headers, json.dumps(body).encode())

        self.loopback = loopback.Server(Handler)
        self.url = self.loopback.url

    def content(self, path: str, query: str, accept: str) -> bytes | None:
        """A file's raw bytes at ``?ref=SHA``, as the contents endpoint gives them to a raw
        Accept header; None (a 404 from ``route``) for any other path, ref or Accept."""
        parts = path.split("/")
        if len(parts) < 6 or parts[1] != "repos" or parts[4] != "contents":
            return None
        ref = dict(p.split("=", 1) for p in query.split("&") if "=" in p).get("ref", "")
        key = (f"{parts[2]}/{parts[3]}", "/".join(parts[5:]), ref)
        raw = accept in ("application/vnd.github.raw", "application/vnd.github.v3.raw")
        return self.files.get(key) if raw else None

    def route(self, path: str) -> list[Response]:
        found = self.routes.get(path)
        if found is None and path.startswith("/repos/octo-org/app/issues/"):
            number = path.split("/")[5]
            if number.isdigit() and path.endswith("/comments"):
                return [Response(200, self.comments.get(int(number), []))]
        return found or [Response(404, {"message": "Not Found"})]

    def write(self, method: str, path: str, body: Any) -> list[Response]:
        """Issue comments as GitHub keeps them: POST adds one by the token's account, PATCH
        edits one. ``scripts["POST /path"]`` overrides, one entry a request (the last
        repeats): a Response is answered as is, "lands" does the write and answers 502."""
        queue = self.scripts.get(f"{method} {path}", [None])
        script = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(script, Response):
            return [script]
        done = self._write(method, path, body)
        return [Response(502, {"message": "Server Error"})] if script == "lands" else [done]

    def _write(self, method: str, path: str, body: Any) -> Response:
        parts = path.split("/")
        if method == "POST" and path.endswith("/comments") and parts[5].isdigit():
            number = int(parts[5])
            every = [c for thread in self.comments.values() for c in thread]
            item = comment_item(len(every) + 1, number, self.login, body["body"])
            self.comments.setdefault(number, []).append(item)
            return Response(201, item)
        if method == "PATCH" and parts[4:6] == ["issues", "comments"]:
            for thread in self.comments.values():
                for item in thread:
                    if item["id"] == int(parts[6]):
                        item["body"] = body["body"]
                        return Response(200, item)
        return Response(404, {"message": "Not Found"})

    def serve_pull(
        self,
        repo: Path,
        number: int,
        base: str,
        head: str,
        *,
        reviews: list[dict[str, Any]] | None = None,
    ) -> None:
        prefix = f"/repos/octo-org/app/pulls/{number}"
        shas = git(repo, "rev-list", "--reverse", f"{base}..{head}").split()
        names = git(repo, "diff", "--name-only", f"{base}...{head}").split("\n")
        self.routes[f"{prefix}/commits"] = [Response(200, [commit_item(repo, s) for s in shas])]
        self.routes[f"{prefix}/reviews"] = [Response(200, reviews or [])]
        self.routes[f"{prefix}/files"] = [Response(200, [file_item(n) for n in names if n])]

    def __enter__(self) -> FakeGitHub:
        self.loopback.start()
        return self

    def __exit__(self, *args: object) -> None:
        self.loopback.stop()


def iter_payloads() -> Iterator[Path]:
    yield from sorted(EVENTS.glob("*/*.json"))
