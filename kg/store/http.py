"""HTTP to a remote store: credentials, timeouts, retries.

Credentials come from the environment (KG_STORE_TOKEN for a bearer token, or
KG_STORE_USER and KG_STORE_PASSWORD for basic authentication) or else from ~/.netrc (or
the file NETRC names), and are never printed: messages show URLs without their user
information. Requests that fail with 429, 502, 503 or 504, or cannot connect, are retried
with exponential backoff, waiting as long as a Retry-After header asks (up to a cap).
"""

from __future__ import annotations

import email.utils
import os
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from kg.errors import KgError

RETRY_STATUSES = {429, 502, 503, 504}
MAX_WAIT = 120.0  # seconds: the longest Retry-After honoured


@dataclass(frozen=True)
class RetryPolicy:
    """How long to wait for an answer, and how often to try again."""

    timeout: float = 60.0
    retries: int = 5
    backoff: float = 1.0  # the first wait, doubled at each retry


class Http:
    """A client for one remote store; `notify` hears about each retry."""

    def __init__(self, policy: RetryPolicy | None = None, notify: Callable[[str], None] = lambda m: None):
        self.policy = policy or RetryPolicy()
        self.notify = notify
        self.client = httpx.Client(timeout=self.policy.timeout, auth=credentials(), follow_redirects=True)
        self.sent = 0  # requests sent, retries included

    def __enter__(self) -> Http:
        return self

    def __exit__(self, *exc: object) -> None:
        self.client.close()

    def request(self, method: str, url: str, what: str, **kwargs: Any) -> httpx.Response:
        """Send a request, retrying what may succeed later; fail with a KgError naming `what`
        was being done, the URL (without credentials) and the server's answer."""
        for attempt in range(self.policy.retries + 1):
            last = attempt == self.policy.retries
            self.sent += 1
            try:
                response = self.client.request(method, url, **kwargs)
            except httpx.TransportError as exc:
                if last:
                    raise KgError(
                        f"{what}: cannot reach {safe_url(url)} ({_describe(exc)}), "
                        f"after {attempt + 1} attempt(s)"
                    ) from None
                wait, reason = self.policy.backoff * 2**attempt, _describe(exc)
            else:
                if response.status_code not in RETRY_STATUSES or last:
                    return _checked(response, what)
                asked = retry_after(response)
                wait = self.policy.backoff * 2**attempt if asked is None else asked
                reason = f"{response.status_code} {response.reason_phrase}"
            self.notify(f"{what}: {reason}; retrying in {wait:g} s")
            time.sleep(wait)
        raise AssertionError("unreachable")


def credentials() -> httpx.Auth | None:
    """Bearer token or user and password from the environment, else the netrc file."""
    token = os.environ.get("KG_STORE_TOKEN")
    if token:
        return _Bearer(token)
    user, password = os.environ.get("KG_STORE_USER"), os.environ.get("KG_STORE_PASSWORD")
    if user or password:
        if not (user and password):
            raise KgError("set both KG_STORE_USER and KG_STORE_PASSWORD, or neither")
        return httpx.BasicAuth(user, password)
    netrc = Path(os.environ.get("NETRC") or Path.home() / ".netrc")
    return httpx.NetRCAuth(str(netrc)) if netrc.is_file() else None


def safe_url(url: str) -> str:
    """The URL without user information (a password in the URL is never shown)."""
    return str(httpx.URL(url).copy_with(username=None, password=None))


def retry_after(response: httpx.Response) -> float | None:
    """The wait a Retry-After header asks for, in seconds (capped), if any."""
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    if value.isdigit():
        return min(float(value), MAX_WAIT)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return min(max(when.timestamp() - time.time(), 0.0), MAX_WAIT)


def _checked(response: httpx.Response, what: str) -> httpx.Response:
    if response.is_success:
        return response
    url = safe_url(str(response.request.url))
    if response.status_code in (401, 403):
        raise KgError(
            f"{what}: {url} refused the credentials ({response.status_code}); set KG_STORE_USER and "
            "KG_STORE_PASSWORD, or KG_STORE_TOKEN, or add the host to ~/.netrc"
        )
    message = " ".join(response.text.split())[:300]
    raise KgError(f"{what}: {url} answered {response.status_code} {response.reason_phrase}: {message}")


def _describe(exc: httpx.TransportError) -> str:
    kind = type(exc).__name__
    return f"{kind}: {exc}" if str(exc) else kind


class _Bearer(httpx.Auth):
    def __init__(self, token: str) -> None:
        self.token = token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self.token}"
        yield request
