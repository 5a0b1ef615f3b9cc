"""GitLab's REST API v4 (``rest.Client``): a ``PRIVATE-TOKEN``, 429 rate limits, and
offset pagination followed by ``x-next-page`` (``Link`` when that is absent).

What GitLab answers on failure (tests/fixtures/gitlab/rest/errors): 401 for a missing,
wrong or expired token; 403 for a token without the scope (``insufficient_scope``) or a
user without the right; 404 for what does not exist *or is hidden from the token*; 429
with ``Retry-After`` / ``RateLimit-ResetTime`` / ``RateLimit-Reset`` when rate limited.
"""

from __future__ import annotations

import json
import urllib.parse

from ai_governance.gather import rest
from ai_governance.gather.rest import ApiError, Failure, Forbidden

__all__ = ["TOKEN", "Api", "ApiError", "Forbidden", "project_path"]

TOKEN = "AI_GOVERNANCE_GITLAB_TOKEN"  # noqa: S105  # nosec B105: a variable's name
MESSAGE_CAP = 200  # characters of GitLab's own error message repeated in ours


def project_path(project: str) -> str:
    """``projects/ID`` for a numeric id or a ``group/project`` path (URL-encoded)."""
    return f"projects/{rest.quote(project)}"


def said(body: bytes) -> str:
    """GitLab's reason in an error body (``{"message": ...}``, ``{"error": ...,
    "error_description": ...}`` or plain text), printable and short; "" when none."""
    try:
        data = json.loads(body)
    except ValueError:
        data = body.decode("utf-8", "replace")
    if isinstance(data, dict):
        message = data.get("message")
        if isinstance(message, dict):  # {"message": {"error": ...}} or field errors
            message = message.get("error") or json.dumps(message, sort_keys=True)
        if message is None and "error" in data:
            message = f"{data.get('error')}: {data.get('error_description', '')}".strip(": ")
            if data.get("scope"):
                message += f" (needs the {data['scope']} scope)"
        data = message
    text = "".join(c if c.isprintable() else " " for c in str(data or "")).strip()
    return text if len(text) <= MESSAGE_CAP else f"{text[:MESSAGE_CAP]}..."


class Api(rest.Client):
    forge = "GitLab"
    variable = "CI_API_V4_URL"

    def headers(self, accept: str | None) -> dict[str, str]:
        headers = {"Accept": accept or "application/json", "User-Agent": rest.user_agent()}
        if self.token:
            headers["PRIVATE-TOKEN"] = self.token
        return headers

    def rate_limited(self, failure: Failure) -> bool:
        return failure.code == 429

    def wait(self, failure: Failure, url: str, method: str) -> float:
        """As GitLab Runner reads a 429: ``RateLimit-ResetTime``, then ``Retry-After``, then
        ``RateLimit-Reset``; a 429 with none of them waits the back-off."""
        headers = failure.headers
        for name, relative in (
            ("RateLimit-ResetTime", True),
            ("Retry-After", True),
            ("RateLimit-Reset", False),
        ):
            wait = rest.seconds(headers.get(name), relative=relative)
            if wait is not None:
                return wait
        return self.backoff * 4

    def refused(self, failure: Failure, url: str, method: str) -> ApiError:
        reason = said(failure.body)
        why = f" ({reason})" if reason else ""
        if failure.code == 401:
            return ApiError(
                f"GitLab answered 401 for {url}{why}: the token is missing, wrong or expired;"
                f" set the masked CI/CD variable {TOKEN} to a token with the read_api scope"
            )
        if failure.code == 403:
            verb = "read" if method == "GET" else "write"
            return Forbidden(
                f"GitLab answered 403 for {method} {url}{why}: the token may not {verb} it"
            )
        if failure.code == 404:
            return Forbidden(
                f"GitLab answered 404 for {url}{why}: missing, or hidden from this token"
            )
        return ApiError(f"GitLab answered {failure.code} for {method} {url}{why}")

    def next_page(self, url: str, headers: dict[str, str]) -> str | None:
        """The page ``x-next-page`` names, on the same request (the ``Link`` header's URLs
        are GitLab's to build and have been seen naming another project in its docs);
        ``Link``'s ``rel="next"`` when ``x-next-page`` is absent; None on the last page."""
        number = rest.header(headers, "X-Next-Page")
        if number is None:
            return rest.next_link(rest.header(headers, "Link"))
        number = number.strip()
        if not number:
            return None
        if not number.isdigit():
            raise ApiError(f"GitLab answered {url} with x-next-page {number!r}, not a page number")
        parts = urllib.parse.urlsplit(url)
        query = [(k, v) for k, v in urllib.parse.parse_qsl(parts.query) if k != "page"]
        query.append(("page", number))
        return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))
