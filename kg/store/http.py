"""HTTP to a remote store: credentials, deadlines, size caps, retries.

Credentials come from the environment (KG_STORE_TOKEN for a bearer token, or
KG_STORE_USER and KG_STORE_PASSWORD, given in the scheme the server asks for: basic, or
digest as Virtuoso asks) or else from ~/.netrc (or the file NETRC names), and are never
printed: messages show URLs without their user information, and a server's answer quoted
in an error has every credential blanked out.

Each request has a total deadline (`timeout`: connecting, sending, the server's answer and
reading it, together; a server that trickles its answer is cut off), reads the answer as a
stream up to a size cap, follows redirects only on the same host, and checks that the
answer is in a content type it may be (never an HTML page passing for a store's answer).
Requests that fail with 429, 502, 503 or 504, or cannot connect, are retried with
exponential backoff, waiting as long as a Retry-After header asks (up to a cap).
"""

from __future__ import annotations

import base64
import email.utils
import os
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio
import httpx

from kg.errors import KgError

RETRY_STATUSES = {429, 502, 503, 504}
MAX_WAIT = 120.0  # seconds: the longest Retry-After honoured
MAX_REDIRECTS = 5
SMALL_ANSWER = 1 << 20  # bytes: the cap for answers that are only acknowledgements


@dataclass(frozen=True)
class RetryPolicy:
    """How long a request may take in all, and how often to try again."""

    timeout: float = 60.0
    retries: int = 5
    backoff: float = 1.0  # the first wait, doubled at each retry


@dataclass(frozen=True)
class Reply:
    """A server's answer, read whole (within its cap)."""

    status: int
    reason: str
    media_type: str
    content: bytes
    headers: httpx.Headers


class Http:
    """A client for one remote store; `notify` hears about each retry."""

    def __init__(self, policy: RetryPolicy | None = None, notify: Callable[[str], None] = lambda m: None):
        self.policy = policy or RetryPolicy()
        self.notify = notify
        self.auth = credentials()
        self.secrets = _secrets()
        self.sent = 0  # requests sent, retries included

    def __enter__(self) -> Http:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Nothing stays open between requests; kept for symmetry with other clients."""

    def request(
        self, method: str, url: str, what: str, accept: set[str] | None = None, **kwargs: Any
    ) -> Reply:
        """Send a request whose answer is an acknowledgement (small, and never HTML)."""
        return self.send(method, url, what, SMALL_ANSWER, accept, **kwargs)

    def fetch(
        self, method: str, url: str, what: str, max_bytes: int, accept: set[str], **kwargs: Any
    ) -> tuple[str, bytes]:
        """Send a request and read an answer of up to `max_bytes` in one of the `accept`
        media types; returns the media type and the body."""
        reply = self.send(method, url, what, max_bytes, accept, **kwargs)
        return reply.media_type, reply.content

    def send(
        self, method: str, url: str, what: str, max_bytes: int, accept: set[str] | None, **kwargs: Any
    ) -> Reply:
        """Send a request, retrying what may succeed later; fail with a KgError naming `what`
        was being done, the URL (without credentials) and the server's answer."""
        for attempt in range(self.policy.retries + 1):
            last = attempt == self.policy.retries
            self.sent += 1
            try:
                reply = anyio.run(self._exchange, method, url, what, max_bytes, kwargs)
            except (httpx.TransportError, TimeoutError) as exc:
                reason = _describe(exc, self.policy.timeout)
                if last:
                    raise KgError(
                        f"{what}: cannot reach {safe_url(url)} ({reason}), after {attempt + 1} attempt(s)"
                    ) from None
                wait = self.policy.backoff * 2**attempt
            else:
                if reply.status not in RETRY_STATUSES or last:
                    return self._checked(reply, url, what, accept)
                asked = retry_after(reply.headers)
                wait = self.policy.backoff * 2**attempt if asked is None else asked
                reason = f"{reply.status} {reply.reason}"
            self.notify(f"{what}: {reason}; retrying in {wait:g} s")
            time.sleep(wait)
        raise AssertionError("unreachable")

    async def _exchange(
        self, method: str, url: str, what: str, max_bytes: int, kwargs: dict[str, Any]
    ) -> Reply:
        with anyio.fail_after(self.policy.timeout):
            async with httpx.AsyncClient(
                auth=self.auth, timeout=self.policy.timeout, follow_redirects=False
            ) as client:
                request = client.build_request(method, url, **kwargs)
                for _ in range(MAX_REDIRECTS + 1):
                    response = await client.send(request, stream=True)
                    try:
                        if not response.is_redirect:
                            body = await _read(response, max_bytes, what, url)
                            media_type = (
                                response.headers.get("Content-Type", "").split(";")[0].strip().lower()
                            )
                            return Reply(
                                response.status_code,
                                response.reason_phrase,
                                media_type,
                                body,
                                response.headers,
                            )
                        following = response.next_request
                    finally:
                        await response.aclose()
                    if following is None or _origin(following.url) != _origin(request.url):
                        target = safe_url(str(following.url)) if following else "nowhere"
                        raise KgError(
                            f"{what}: {safe_url(url)} redirects to another host ({target}); not followed"
                        )
                    request = following
                raise KgError(f"{what}: {safe_url(url)} redirects more than {MAX_REDIRECTS} times")

    def _checked(self, reply: Reply, url: str, what: str, accept: set[str] | None) -> Reply:
        shown = safe_url(url)
        if 200 <= reply.status < 300:
            if reply.content and reply.media_type in ("text/html", "application/xhtml+xml"):
                raise KgError(
                    f"{what}: {shown} answered {reply.status} with an HTML page, not a store's answer"
                )
            if accept is not None and reply.media_type not in accept:
                raise KgError(
                    f"{what}: {shown} answered in '{reply.media_type or 'no content type'}', "
                    f"not {' or '.join(sorted(accept))}"
                )
            return reply
        if reply.status in (401, 403):
            raise KgError(
                f"{what}: {shown} refused the credentials ({reply.status}); set KG_STORE_USER and "
                "KG_STORE_PASSWORD, or KG_STORE_TOKEN, or add the host to ~/.netrc"
            )
        message = self.redact(" ".join(reply.content.decode("utf-8", "replace").split())[:300])
        raise KgError(f"{what}: {shown} answered {reply.status} {reply.reason}: {message}")

    def redact(self, text: str) -> str:
        """`text` with every credential this client sends blanked out."""
        for secret in self.secrets:
            text = text.replace(secret, "***")
        return text


async def _read(response: httpx.Response, max_bytes: int, what: str, url: str) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise KgError(f"{what}: {safe_url(url)} answers {declared} bytes; the limit is {max_bytes}")
    parts, size = [], 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise KgError(f"{what}: {safe_url(url)} answers more than {max_bytes} bytes; stopped reading")
        parts.append(chunk)
    return b"".join(parts)


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    return (url.scheme, url.host, url.port)


def credentials() -> httpx.Auth | None:
    """Bearer token or user and password from the environment, else the netrc file."""
    token = os.environ.get("KG_STORE_TOKEN")
    if token:
        return _Bearer(token)
    user, password = os.environ.get("KG_STORE_USER"), os.environ.get("KG_STORE_PASSWORD")
    if user or password:
        if not (user and password):
            raise KgError("set both KG_STORE_USER and KG_STORE_PASSWORD, or neither")
        return _Password(user, password)
    netrc = Path(os.environ.get("NETRC") or Path.home() / ".netrc")
    return httpx.NetRCAuth(str(netrc)) if netrc.is_file() else None


def _secrets() -> list[str]:
    """Every form in which a credential from the environment could come back."""
    found = [os.environ.get(name, "") for name in ("KG_STORE_TOKEN", "KG_STORE_PASSWORD")]
    user, password = os.environ.get("KG_STORE_USER", ""), os.environ.get("KG_STORE_PASSWORD", "")
    if user and password:
        found.append(base64.b64encode(f"{user}:{password}".encode()).decode())
    return sorted((s for s in found if len(s) >= 4), key=len, reverse=True)


def safe_url(url: str) -> str:
    """The URL without user information (a password in the URL is never shown)."""
    return str(httpx.URL(url).copy_with(username=None, password=None))


def retry_after(answer: httpx.Headers | httpx.Response) -> float | None:
    """The wait a Retry-After header asks for, in seconds (capped), if any."""
    headers = answer.headers if isinstance(answer, httpx.Response) else answer
    value = headers.get("Retry-After", "").strip()
    if not value:
        return None
    if value.isdigit():
        return min(float(value), MAX_WAIT)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return min(max(when.timestamp() - time.time(), 0.0), MAX_WAIT)


def _describe(exc: Exception, timeout: float) -> str:
    if isinstance(exc, TimeoutError):
        return f"no complete answer within {timeout:g} s"
    kind = type(exc).__name__
    return f"{kind}: {exc}" if str(exc) else kind


class _Bearer(httpx.Auth):
    def __init__(self, token: str) -> None:
        self.token = token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self.token}"
        yield request


class _Password(httpx.Auth):
    """A user and password, given as the server asks (RFC 7235): the first request goes
    without them, and the scheme its 401 names (Basic, or Digest as Virtuoso's endpoints
    ask) is used from then on, at once."""

    def __init__(self, user: str, password: str) -> None:
        self.basic = httpx.BasicAuth(user, password)
        self.digest = httpx.DigestAuth(user, password)
        self.scheme: httpx.Auth | None = None

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self.scheme is None:
            response = yield request
            if response.status_code != 401:
                return
            challenge = response.headers.get("WWW-Authenticate", "").lower()
            self.scheme = self.digest if challenge.startswith("digest") else self.basic
        yield from self.scheme.auth_flow(request)
