"""A small GitHub REST client: pagination, bounded retries, rate limits, clear failures.

Anything it cannot fetch completely raises GitHubError, which ends the check as a failure:
a pull request is never judged on part of its commits, reviews or files.
"""

from __future__ import annotations

import email.utils
import http.client
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from typing import Any

from ai_governance import __version__
from ai_governance.errors import GovernanceError, UsageError

RAW = "application/vnd.github.raw"  # a file's bytes from the contents endpoint
RAW_CAP = 1 << 20  # bytes: a policy file is far smaller; a bigger answer is an error
RETRIES = 3  # attempts after the first, for 5xx answers and dropped connections
WAIT_CAP = 60.0  # seconds: a rate limit that resets later than this fails instead


class GitHubError(GovernanceError):
    """The GitHub API could not give what the check needs; the check fails (exit 1)."""

    exit_code = 1


class Forbidden(GitHubError):
    """403/404 that is not a rate limit: the token may not read this."""


def _next_link(header: str | None) -> str | None:
    for part in (header or "").split(","):
        url, _, rel = part.partition(";")
        if rel.strip() == 'rel="next"':
            return url.strip().strip("<>")
    return None


class Api:
    def __init__(
        self,
        base: str,
        token: str | None,
        *,
        sleep: Callable[[float], None] = time.sleep,
        backoff: float = 1.0,
        timeout: float = 30.0,
    ) -> None:
        if not base.startswith(("https://", "http://")):
            raise UsageError(f"GITHUB_API_URL {base!r} is not an http(s) URL")
        self.base = base.rstrip("/")
        self.token = token
        self.sleep = sleep
        self.backoff = backoff
        self.timeout = timeout  # seconds for each request to connect and to answer

    def _request(
        self, url: str, method: str = "GET", body: Any = None, accept: str | None = None
    ) -> tuple[Any, dict[str, str]]:
        headers = {
            "Accept": accept or "application/vnd.github+json",
            "X-GitHub-Api-Version": "2022-11-28",
            "User-Agent": f"ai-governance/{__version__}",
        }
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        data = None if body is None else json.dumps(body).encode()
        if data is not None:
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(  # noqa: S310 (checked: http(s))
            url, data=data, headers=headers, method=method
        )
        with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310  # nosec B310
            if accept == RAW:
                content = response.read(RAW_CAP + 1)
                if len(content) > RAW_CAP:
                    raise GitHubError(f"{url} is larger than {RAW_CAP} bytes: not a policy")
                return content, dict(response.headers.items())
            return json.loads(response.read() or b"null"), dict(response.headers.items())

    def _wait_for_rate_limit(
        self, error: urllib.error.HTTPError, url: str, method: str = "GET"
    ) -> None:
        headers = error.headers
        retry_after = _seconds(headers.get("Retry-After"), relative=True)
        reset = _seconds(headers.get("X-RateLimit-Reset"), relative=False)
        if retry_after is not None:
            wait = retry_after
        elif headers.get("X-RateLimit-Remaining") == "0" and reset is not None:
            wait = reset
        elif odd := headers.get("Retry-After") or headers.get("X-RateLimit-Reset"):
            raise GitHubError(
                f"GitHub answered {error.code} for {url} with a rate-limit header that is"
                f" neither seconds nor a date ({odd!r}); nothing was judged"
            )
        else:
            verb = "read" if method == "GET" else "write"
            raise Forbidden(
                f"GitHub answered {error.code} for {method} {url}: the token may not {verb} it"
            )
        if wait > WAIT_CAP:
            until = time.strftime("%H:%M:%S UTC", time.gmtime(time.time() + wait))
            raise GitHubError(
                f"GitHub API rate limit exhausted for {url} until {until};"
                " nothing was judged. Re-run the job after that time."
            )
        self.sleep(wait)

    def get(self, path: str) -> tuple[Any, dict[str, str]]:
        """GET one page (``path`` relative to the API root, or a full URL from a Link)."""
        return self.send("GET", path)

    def raw(self, path: str) -> bytes:
        """A file's exact bytes from a contents endpoint (``...?ref=SHA``)."""
        content, _ = self.send("GET", path, accept=RAW)
        return bytes(content)

    def send(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        retry: bool = True,
        accept: str | None = None,
    ) -> tuple[Any, dict[str, str]]:
        """One request; 5xx answers and dropped connections are retried only when ``retry``
        (a POST that may have landed is not sent twice: the caller looks first)."""
        url = (
            path if path.startswith(("http://", "https://")) else f"{self.base}/{path.lstrip('/')}"
        )
        last = ""
        for attempt in range(RETRIES + 1 if retry else 1):
            try:
                return self._request(url, method, body, accept)
            except urllib.error.HTTPError as error:
                error.close()  # its socket: the answer's headers are all that is needed
                if error.code in (403, 429) and attempt < RETRIES:
                    self._wait_for_rate_limit(error, url, method)
                    continue
                if error.code == 404:
                    raise Forbidden(
                        f"GitHub answered 404 for {url}: missing, or hidden from this token"
                    ) from None
                if error.code < 500:
                    raise GitHubError(f"GitHub answered {error.code} for {url}") from None
                last = f"{error.code} {error.reason}"
            except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
                # a dropped connection, a timeout, a body cut short of its Content-Length
                last = str(getattr(error, "reason", error)) or type(error).__name__
            except ValueError:
                raise GitHubError(
                    f"GitHub answered {url} with something that is not JSON"
                ) from None
            if attempt < RETRIES and retry:
                self.sleep(self.backoff * 2**attempt)
        tries = f"after {RETRIES + 1} attempts" if retry else "(not retried)"
        raise GitHubError(f"GitHub API failed for {url} {tries}: {last}; nothing was judged")

    def pages(self, path: str, limit: int) -> tuple[list[Any], bool]:
        """Every item of a list endpoint, following Link headers; (items, capped)."""
        separator = "&" if "?" in path else "?"
        url: str | None = f"{path}{separator}per_page=100"
        items: list[Any] = []
        while url is not None:
            page, headers = self.get(url)
            if not isinstance(page, list):
                raise GitHubError(f"GitHub answered {path} with something that is not a list")
            items.extend(page)
            url = _next_link(headers.get("Link") or headers.get("link"))
        return items, len(items) >= limit


def _seconds(header: str | None, *, relative: bool) -> float | None:
    """Seconds to wait from ``Retry-After`` (seconds, or an HTTP date) or from
    ``X-RateLimit-Reset`` (epoch seconds); None when absent or not one of those."""
    if header is None:
        return None
    text = header.strip()
    if text.isdigit():
        return float(text) if relative else max(0.0, float(text) - time.time())
    if relative:
        try:
            when = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
        return max(0.0, when.timestamp() - time.time())
    return None


def quote(segment: str) -> str:
    return urllib.parse.quote(segment, safe="")
