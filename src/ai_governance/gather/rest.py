"""What the forges' REST clients share: pagination, bounded retries, rate limits, clear
failures, and no token sent anywhere but the API it is for.

Anything a client cannot fetch completely raises ``ApiError``, which ends the check as a
failure: a pull (or merge) request is never judged on part of its commits, reviews or
files. Each forge (``github_api``, ``gitlab_api``) says how it authenticates, what its
rate limits look like and how it names the next page.
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

RAW_CAP = 1 << 20  # bytes: a policy file is far smaller; a bigger answer is an error
ERROR_CAP = 4096  # bytes of an error's body kept to say what was wrong
RETRIES = 3  # attempts after the first, for 5xx answers and dropped connections
WAIT_CAP = 60.0  # seconds: a rate limit that resets later than this fails instead
PAGE_CAP = 10_000  # pages: a list that never ends is an error, not a hang


class ApiError(GovernanceError):
    """A forge's API could not give what the check needs; the check fails (exit 1)."""

    exit_code = 1


class Forbidden(ApiError):
    """The token may not read (or write) this: 403, or a 404 that may hide it."""


def next_link(header: str | None) -> str | None:
    """The ``rel="next"`` URL of an RFC 8288 ``Link`` header."""
    for part in (header or "").split(","):
        url, _, rel = part.partition(";")
        if rel.strip() == 'rel="next"':
            return url.strip().strip("<>")
    return None


def seconds(header: str | None, *, relative: bool) -> float | None:
    """Seconds to wait from ``Retry-After`` (seconds, or an HTTP date) or from a reset
    time (epoch seconds, or with ``relative=False`` only those); None when absent or not
    one of those."""
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


def field(data: Any, path: str, kind: type, origin: str) -> Any:
    """``data[a][b]...`` for ``path`` "a.b", which must be a ``kind``; a clear error naming
    ``origin`` and the key when an answer is not the shape its forge documents."""
    value = data
    for key in path.split("."):
        value = value.get(key) if isinstance(value, dict) else None
    if kind is int and isinstance(value, bool):
        value = None
    if not isinstance(value, kind):
        found = "missing" if value is None else f"a {type(value).__name__}"
        raise ApiError(
            f"{origin}: `{path}` must be a {kind.__name__} but is {found}; nothing was judged"
        )
    return value


def members(
    api: Client, slugs: list[str], listing: Callable[[str], str], name: Callable[[Any], str]
) -> dict[str, frozenset[str] | None]:
    """{slug: the lower-case ``name`` of every item the list ``listing(slug)`` holds}, for a
    forge's teams or groups; None for one this token cannot read."""
    found: dict[str, frozenset[str] | None] = {}
    for slug in slugs:
        try:
            items, _ = api.pages(listing(slug), 10**9)
        except Forbidden:
            found[slug.lower()] = None
            continue
        found[slug.lower()] = frozenset(name(item).lower() for item in items if name(item))
    return found


def quote(segment: str) -> str:
    return urllib.parse.quote(segment, safe="")


def _origin(url: str) -> tuple[str, str]:
    parts = urllib.parse.urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()


class Failure:
    """An HTTP error answer: its status, headers and the start of its body (read before
    the connection is closed)."""

    def __init__(self, error: urllib.error.HTTPError) -> None:
        self.code = error.code
        self.reason = str(error.reason)
        self.headers = error.headers
        try:
            self.body = error.read(ERROR_CAP)
        except (OSError, http.client.HTTPException):
            self.body = b""
        error.close()


class Client:
    """One forge's REST API at ``base``, with ``token`` sent only to ``base``'s origin."""

    forge = "the forge"
    variable = "the API URL"  # the setting that names ``base``, for its error

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
            raise UsageError(f"{self.variable} {base!r} is not an http(s) URL")
        self.base = base.rstrip("/")
        self.token = token
        self.sleep = sleep
        self.backoff = backoff
        self.timeout = timeout  # seconds for each request to connect and to answer

    # What each forge says differently.

    def headers(self, accept: str | None) -> dict[str, str]:
        """Every request's headers but the body's type (the token included)."""
        raise NotImplementedError

    def rate_limited(self, failure: Failure) -> bool:
        """Whether ``failure`` may be a rate limit (then ``wait`` says for how long)."""
        raise NotImplementedError

    def wait(self, failure: Failure, url: str, method: str) -> float:
        """Seconds until the rate limit ``failure`` lifts; raises when it is not one."""
        raise NotImplementedError

    def refused(self, failure: Failure, url: str, method: str) -> ApiError:
        """The error a 4xx answer (not a rate limit) is."""
        raise NotImplementedError

    def next_page(self, url: str, headers: dict[str, str]) -> str | None:
        """The next page of the list ``url`` answered with ``headers``."""
        return next_link(header(headers, "Link"))

    def raw_accept(self) -> str | None:
        """The Accept header that asks for a file's bytes, not JSON."""
        return None

    # What they share.

    def _request(self, url: str, method: str, body: Any, raw: bool) -> tuple[Any, dict[str, str]]:
        headers = self.headers(self.raw_accept() if raw else None)
        data = None if body is None else json.dumps(body).encode()
        if data is not None:
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(  # noqa: S310 (checked: http(s))
            url, data=data, headers=headers, method=method
        )
        with _OPENER.open(request, timeout=self.timeout) as response:  # nosec B310
            if raw:
                content = response.read(RAW_CAP + 1)
                if len(content) > RAW_CAP:
                    raise ApiError(f"{url} is larger than {RAW_CAP} bytes: not a policy")
                return content, dict(response.headers.items())
            return json.loads(response.read() or b"null"), dict(response.headers.items())

    def _url(self, path: str) -> str:
        if not path.startswith(("http://", "https://")):
            return f"{self.base}/{path.lstrip('/')}"
        if _origin(path) != _origin(self.base):
            raise ApiError(
                f"{self.forge} pointed to {path}, outside {self.base}: not followed (the"
                " token is only sent to the API it is for); nothing was judged"
            )
        return path

    def get(self, path: str) -> tuple[Any, dict[str, str]]:
        """GET one page (``path`` relative to the API root, or a full URL of it)."""
        return self.send("GET", path)

    def raw(self, path: str) -> bytes:
        """A file's exact bytes."""
        content, _ = self.send("GET", path, raw=True)
        return bytes(content)

    def send(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        retry: bool = True,
        raw: bool = False,
    ) -> tuple[Any, dict[str, str]]:
        """One request; 5xx answers and dropped connections are retried only when ``retry``
        (a POST that may have landed is not sent twice: the caller looks first)."""
        url = self._url(path)
        last = ""
        for attempt in range(RETRIES + 1 if retry else 1):
            try:
                return self._request(url, method, body, raw)
            except urllib.error.HTTPError as error:
                failure = Failure(error)
                if self.rate_limited(failure) and attempt < RETRIES:
                    wait = self.wait(failure, url, method)
                    if wait > WAIT_CAP:
                        until = time.strftime("%H:%M:%S UTC", time.gmtime(time.time() + wait))
                        raise ApiError(
                            f"{self.forge} API rate limit exhausted for {url} until {until};"
                            " nothing was judged. Re-run the job after that time."
                        ) from None
                    self.sleep(wait)
                    continue
                if failure.code < 500:
                    raise self.refused(failure, url, method) from None
                last = f"{failure.code} {failure.reason}"
            except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
                # a dropped connection, a timeout, a body cut short of its Content-Length
                last = str(getattr(error, "reason", error)) or type(error).__name__
            except ValueError:
                raise ApiError(
                    f"{self.forge} answered {url} with something that is not JSON"
                ) from None
            if attempt < RETRIES and retry:
                self.sleep(self.backoff * 2**attempt)
        tries = f"after {RETRIES + 1} attempts" if retry else "(not retried)"
        raise ApiError(f"{self.forge} API failed for {url} {tries}: {last}; nothing was judged")

    def pages(self, path: str, limit: int) -> tuple[list[Any], bool]:
        """Every item of a list endpoint, page after page; (items, capped)."""
        separator = "&" if "?" in path else "?"
        url: str | None = f"{path}{separator}per_page=100"
        items: list[Any] = []
        for _ in range(PAGE_CAP):
            if url is None:
                return items, len(items) >= limit
            page, headers = self.get(url)
            if not isinstance(page, list):
                raise ApiError(f"{self.forge} answered {path} with something that is not a list")
            items.extend(page)
            url = self.next_page(url, headers)
        raise ApiError(f"{self.forge} listed {path} past {PAGE_CAP} pages; nothing was judged")


def header(headers: dict[str, str], name: str) -> str | None:
    """A header whatever its case (HTTP/2 servers send them lower case)."""
    wanted = name.lower()
    return next((value for key, value in headers.items() if key.lower() == wanted), None)


def user_agent() -> str:
    return f"ai-governance/{__version__}"


class _SameOrigin(urllib.request.HTTPRedirectHandler):
    """Redirects are followed only within the origin they came from: urllib would carry
    the token's header to any host a redirect names. Another origin's redirect is the
    3xx answer itself (an error: nothing was judged)."""

    def redirect_request(  # noqa: PLR0917  # urllib's signature
        self,
        req: urllib.request.Request,
        fp: Any,
        code: int,
        msg: str,
        headers: Any,
        newurl: str,
    ) -> urllib.request.Request | None:
        if _origin(newurl) != _origin(req.full_url):
            return None
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.build_opener(_SameOrigin)
