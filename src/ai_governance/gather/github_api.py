"""GitHub's REST API (``rest.Client``): a bearer token, GitHub's rate-limit headers and
``Link`` pagination."""

from __future__ import annotations

from ai_governance.gather import rest
from ai_governance.gather.rest import ApiError, Failure, Forbidden, quote

GitHubError = ApiError  # the names the GitHub front end has always used
__all__ = ["RAW", "Api", "Forbidden", "GitHubError", "quote"]

RAW = "application/vnd.github.raw"  # a file's bytes from the contents endpoint


class Api(rest.Client):
    forge = "GitHub"
    variable = "GITHUB_API_URL"

    def headers(self, accept: str | None) -> dict[str, str]:
        headers = {
            "Accept": accept or "application/vnd.github+json",
            "X-GitHub-Api-Version": "2022-11-28",
            "User-Agent": rest.user_agent(),
        }
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return headers

    def raw_accept(self) -> str:
        return RAW

    def rate_limited(self, failure: Failure) -> bool:
        return failure.code in (403, 429)  # GitHub says 403 for its primary rate limit

    def wait(self, failure: Failure, url: str, method: str) -> float:
        headers = failure.headers
        retry_after = rest.seconds(headers.get("Retry-After"), relative=True)
        reset = rest.seconds(headers.get("X-RateLimit-Reset"), relative=False)
        if retry_after is not None:
            return retry_after
        if headers.get("X-RateLimit-Remaining") == "0" and reset is not None:
            return reset
        if odd := headers.get("Retry-After") or headers.get("X-RateLimit-Reset"):
            raise GitHubError(
                f"GitHub answered {failure.code} for {url} with a rate-limit header that is"
                f" neither seconds nor a date ({odd!r}); nothing was judged"
            )
        verb = "read" if method == "GET" else "write"
        raise Forbidden(
            f"GitHub answered {failure.code} for {method} {url}: the token may not {verb} it"
        )

    def refused(self, failure: Failure, url: str, method: str) -> ApiError:
        if failure.code == 404:
            return Forbidden(f"GitHub answered 404 for {url}: missing, or hidden from this token")
        return GitHubError(f"GitHub answered {failure.code} for {url}")
