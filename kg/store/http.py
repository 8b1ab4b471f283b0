"""HTTP to a remote store: credentials, deadlines, size caps, retries.

Credentials come from the environment (KG_STORE_TOKEN for a bearer token, or
KG_STORE_USER and KG_STORE_PASSWORD, given in the scheme the server asks for: basic, or
digest as Virtuoso asks), else from ~/.netrc (or the file NETRC names), else from the user
information of the URL, and are never printed: messages show URLs without their user
information, and every message (a server's answer or reason phrase quoted in an error, a
redirect's target, a retry's warning) has each credential blanked out, as sent, as base64,
percent-encoded or JSON-escaped.

Every URL is checked before anything is sent (http or https, a host, a valid port). Each
request has a total deadline (`timeout`: connecting, sending, the server's answer and
reading it, together; a server that trickles its answer is cut off, and the request is not
tried again, since the server may still be carrying it out), reads the answer as a stream
up to a size cap, follows redirects only on the same scheme, host and port and keeping
their method, and checks that the answer is in a content type it may be (never an HTML page
passing for a store's answer). Requests that fail with 429, 502, 503 or 504, or cannot
connect, are retried with exponential backoff, waiting as long as a Retry-After header asks
(up to a cap).
"""

from __future__ import annotations

import base64
import email.utils
import json
import math
import netrc
import os
import ssl
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import quote

import anyio
import httpx

from kg.errors import KgError, Refused

RETRY_STATUSES = {429, 502, 503, 504}
MAX_WAIT = 120.0  # seconds: the longest wait between two tries (a Retry-After is capped too)
MAX_TIMEOUT = 1_000_000.0  # seconds: the longest deadline a request may be given
MAX_REDIRECTS = 5
SMALL_ANSWER = 1 << 20  # bytes: the cap for answers that are only acknowledgements


@dataclass(frozen=True)
class RetryPolicy:
    """How long a request may take in all, and how often to try again."""

    timeout: float = 60.0
    retries: int = 5
    backoff: float = 1.0  # the first wait, doubled at each retry (up to MAX_WAIT)

    def __post_init__(self) -> None:
        if not (math.isfinite(self.timeout) and 0 < self.timeout <= MAX_TIMEOUT):
            raise KgError(
                f"the timeout must be more than 0 and at most {MAX_TIMEOUT:.0f} seconds, not {self.timeout!r}"
            )
        if self.retries < 0 or not (math.isfinite(self.backoff) and self.backoff >= 0):
            raise KgError("retries and the backoff cannot be negative")


@dataclass(frozen=True)
class Reply:
    """A server's answer, read whole (within its cap); `content` is empty when the body was
    written to a file (`Http.download`), `size` its length either way."""

    status: int
    reason: str
    media_type: str
    content: bytes
    headers: httpx.Headers
    size: int


class Http:
    """A client for one remote store; `notify` hears about each retry."""

    def __init__(self, policy: RetryPolicy | None = None, notify: Callable[[str], None] = lambda m: None):
        self.policy = policy or RetryPolicy()
        self.notify = notify
        self.auth, self.secrets = credentials()
        self.sent = 0  # requests sent, retries included
        self._tls: ssl.SSLContext | None = None

    @property
    def tls(self) -> ssl.SSLContext:
        """The certificate store, loaded once (loading it took 23 ms of every request)."""
        if self._tls is None:
            self._tls = httpx.create_ssl_context()
        return self._tls

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

    def download(
        self,
        method: str,
        url: str,
        what: str,
        max_bytes: int,
        accept: set[str],
        into: BinaryIO,
        **kwargs: Any,
    ) -> str:
        """Like `fetch`, but the answer is written to `into` as it arrives (emptied before
        each try), never held in memory; returns the media type."""
        return self.send(method, url, what, max_bytes, accept, into=into, **kwargs).media_type

    def send(
        self, method: str, url: str, what: str, max_bytes: int, accept: set[str] | None, **kwargs: Any
    ) -> Reply:
        """Send a request, retrying what may succeed later; fail with a KgError naming `what`
        was being done, the URL (without credentials) and the server's answer, with every
        credential blanked out. `deadline=` (seconds) gives a request whose work grows with
        its size longer than the policy's timeout."""
        parsed = checked_url(url, what)
        secrets = _longest_first(self.secrets + _forms(parsed.username, parsed.password))
        try:
            return self._send(method, url, what, max_bytes, accept, secrets, kwargs)
        except KgError as exc:
            raise type(exc)(redact(str(exc), secrets)) from None

    def _send(
        self,
        method: str,
        url: str,
        what: str,
        max_bytes: int,
        accept: set[str] | None,
        secrets: list[str],
        kwargs: dict[str, Any],
    ) -> Reply:
        deadline = min(max(kwargs.pop("deadline", 0.0), self.policy.timeout), MAX_TIMEOUT)
        for attempt in range(self.policy.retries + 1):
            last = attempt == self.policy.retries
            self.sent += 1
            try:
                reply = anyio.run(self._exchange, method, url, what, max_bytes, deadline, kwargs)
            except (httpx.TimeoutException, TimeoutError):
                raise Refused(
                    f"{what}: {safe_url(url)} gave no complete answer within {deadline:g} s; "
                    "stopped (see --timeout)"
                ) from None
            except httpx.TransportError as exc:
                reason = _describe(exc)
                if last:
                    raise KgError(
                        f"{what}: cannot reach {safe_url(url)} ({reason}), after {attempt + 1} attempt(s)"
                    ) from None
                wait = min(self.policy.backoff * 2**attempt, MAX_WAIT)
            else:
                if reply.status not in RETRY_STATUSES or last:
                    return self._checked(reply, url, what, accept, secrets)
                asked = retry_after(reply.headers)
                wait = min(self.policy.backoff * 2**attempt, MAX_WAIT) if asked is None else asked
                reason = f"{reply.status} {reply.reason}"
            self.notify(redact(f"{what}: {reason}; retrying in {wait:g} s", secrets))
            time.sleep(wait)
        raise AssertionError("unreachable")

    async def _exchange(
        self, method: str, url: str, what: str, max_bytes: int, deadline: float, kwargs: dict[str, Any]
    ) -> Reply:
        into = kwargs.pop("into", None)
        with anyio.fail_after(deadline):
            async with httpx.AsyncClient(
                auth=self.auth, timeout=deadline, follow_redirects=False, verify=self.tls
            ) as client:
                request = client.build_request(method, url, **kwargs)
                for _ in range(MAX_REDIRECTS + 1):
                    response = await client.send(request, stream=True)
                    try:
                        if not response.is_redirect:
                            body, size = await _read(response, max_bytes, what, url, into)
                            media_type = (
                                response.headers.get("Content-Type", "").split(";")[0].strip().lower()
                            )
                            return Reply(
                                response.status_code,
                                response.reason_phrase,
                                media_type,
                                body,
                                response.headers,
                                size,
                            )
                        following = response.next_request
                    finally:
                        await response.aclose()
                    request = _redirected(request, following, what, url)
                raise Refused(f"{what}: {safe_url(url)} redirects more than {MAX_REDIRECTS} times")

    def _checked(
        self, reply: Reply, url: str, what: str, accept: set[str] | None, secrets: list[str]
    ) -> Reply:
        shown = safe_url(url)
        if 200 <= reply.status < 300:
            if reply.size and reply.media_type in ("text/html", "application/xhtml+xml"):
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
        message = " ".join(redact(reply.content.decode("utf-8", "replace"), secrets).split())[:300]
        raise KgError(f"{what}: {shown} answered {reply.status} {reply.reason}: {message}")


def redact(text: str, secrets: list[str]) -> str:
    """`text` with each of `secrets` (longest first) blanked out."""
    for secret in secrets:
        text = text.replace(secret, "***")
    return text


def _redirected(
    request: httpx.Request, following: httpx.Request | None, what: str, url: str
) -> httpx.Request:
    """The request a redirect asks for, if on the same scheme, host and port and with the
    same method (so credentials go nowhere else and an upload never turns into a GET)."""
    if following is None or _origin(following.url) != _origin(request.url):
        target = safe_url(str(following.url)) if following else "nowhere"
        raise Refused(f"{what}: {safe_url(url)} redirects to another host ({target}); not followed")
    if following.method != request.method:
        raise Refused(
            f"{what}: {safe_url(url)} redirects the {request.method} request as a {following.method}; "
            "not followed"
        )
    return following


async def _read(
    response: httpx.Response, max_bytes: int, what: str, url: str, into: BinaryIO | None
) -> tuple[bytes, int]:
    """The answer's body (b"" when it is written to `into`, which only a successful answer
    is) and its length."""
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise Refused(f"{what}: {safe_url(url)} answers {declared} bytes; the limit is {max_bytes}")
    if into is not None and 200 <= response.status_code < 300:
        into.seek(0)
        into.truncate()
    else:
        into = None
    parts, size = [], 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise Refused(f"{what}: {safe_url(url)} answers more than {max_bytes} bytes; stopped reading")
        if into is None:
            parts.append(chunk)
        else:
            into.write(chunk)
    return b"".join(parts), size


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    return (url.scheme, url.host, url.port)


def credentials() -> tuple[httpx.Auth | None, list[str]]:
    """Bearer token or user and password from the environment, else the netrc file; and
    every form in which these credentials could come back in an answer."""
    token = os.environ.get("KG_STORE_TOKEN")
    if token:
        return _Bearer(token), _forms(None, token)
    user, password = os.environ.get("KG_STORE_USER"), os.environ.get("KG_STORE_PASSWORD")
    if user or password:
        if not (user and password):
            raise KgError("set both KG_STORE_USER and KG_STORE_PASSWORD, or neither")
        return _Password(user, password), _forms(user, password)
    path = Path(os.environ.get("NETRC") or Path.home() / ".netrc")
    if not path.is_file():
        return None, []
    try:
        entries = netrc.netrc(str(path))
    except netrc.NetrcParseError as exc:
        raise KgError(f"{path}: malformed netrc file: {exc.msg}") from None  # its line numbers are off
    except (OSError, UnicodeDecodeError) as exc:
        raise KgError(f"{path}: cannot read the netrc file ({exc})") from None
    secrets = [form for login, _, password in entries.hosts.values() for form in _forms(login, password)]
    return _FromNetrc(entries), secrets


def _forms(user: str | None, secret: str | None) -> list[str]:
    """The forms in which `secret` (a password or token) may be echoed: as sent, percent-
    encoded, JSON-escaped, and as the base64 of a basic-authentication header."""
    if not secret or len(secret) < 4:  # blanking out a short string would garble messages
        return []
    forms = {secret, quote(secret, safe=""), json.dumps(secret)[1:-1]}
    if user is not None:
        forms.add(base64.b64encode(f"{user}:{secret}".encode()).decode())
    return list(forms)


def _longest_first(secrets: list[str]) -> list[str]:
    return sorted(set(secrets), key=len, reverse=True)


def checked_url(url: str, what: str) -> httpx.URL:
    """`url` parsed, if it is an http or https URL with a host and a valid port."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError) as exc:
        raise KgError(f"{what}: not a valid URL ({exc})") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise KgError(f"{what}: {safe_url(url)} is not an http:// or https:// URL with a host")
    if parsed.port is not None and not 0 < parsed.port < 65536:
        raise KgError(f"{what}: {safe_url(url)} has no valid port ({parsed.port})")
    return parsed


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


def _describe(exc: Exception) -> str:
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


class _FromNetrc(httpx.Auth):
    """Basic authentication with the login and password the netrc file gives the host."""

    def __init__(self, entries: netrc.netrc) -> None:
        self.entries = entries

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        found = self.entries.authenticators(request.url.host)
        if found and found[2]:
            yield from httpx.BasicAuth(found[0], found[2]).auth_flow(request)
        else:
            yield request
