"""Whole answers kept while the server runs: the graph does not change then, so a page or a
query's answer made once stays the answer until the server stops.

The cache is bounded by bytes (`--cache-mb`); the least recently used answers go first, and
one answer larger than an eighth of the budget is served but not kept. Every answer it
gives carries validators, so clients revalidate instead of fetching again: an `ETag` made of
the build's digest (of its manifest, `build.json`) and the body's, `Last-Modified` (when the
build was written) and `Cache-Control: no-cache`; a GET whose `If-None-Match` (or
`If-Modified-Since`) shows the client has it is answered 304 Not Modified.

An answer is made once however many ask for it at the same time: while one request makes
it, the others asking for the same key wait for it instead of making it again (and share
its refusal, if it is refused).
"""

from __future__ import annotations

import email.utils
import hashlib
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from pathlib import Path

import anyio
from starlette.requests import Request
from starlette.responses import Response

from kg.compile.output import MANIFEST
from kg.errors import KgError
from kg.serve import timing

KEPT_HEADERS = ("vary", "kg-truncated")  # what an answer keeps of its handler's headers


@dataclass(frozen=True)
class Kept:
    """An answer as it is sent: its body, type, own headers, status and ETag."""

    body: bytes
    media_type: str
    headers: tuple[tuple[str, str], ...]
    etag: str
    status: int = 200


@dataclass
class _Making:
    """An answer being made: done when it is, with the refusal if it was refused."""

    done: anyio.Event = field(default_factory=anyio.Event)
    refused: KgError | None = None


class Cache:
    """Answers by key (a page's path, query and variant; a query's text and format)."""

    def __init__(self, dist: Path, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        parts = [dist / MANIFEST] if (dist / MANIFEST).is_file() else [dist / "graph.nt", dist / "graph.nq"]
        digest = hashlib.sha256()
        for part in parts:
            digest.update(part.read_bytes())
        self.build = digest.hexdigest()[:16]
        self.modified = int(max(part.stat().st_mtime for part in parts))
        self.size = 0
        self._kept: OrderedDict[Hashable, Kept] = OrderedDict()
        self._making: dict[Hashable, _Making] = {}

    async def answer(self, key: Hashable, make: Callable[[], Awaitable[Response]]) -> Kept:
        """The answer kept under `key`, else the one `make` gives (kept if it fits): made
        once, other requests for `key` meanwhile waiting for it."""
        if not self.max_bytes:
            return self.keep(key, await make())
        while (other := self._making.get(key)) is not None:
            await other.done.wait()
            if other.refused is not None:
                raise other.refused
        kept = self.get(key)
        if kept is not None:
            return kept
        self._making[key] = making = _Making()
        try:
            return self.keep(key, await make())
        except KgError as exc:
            making.refused = exc
            raise
        finally:
            del self._making[key]
            making.done.set()

    def get(self, key: Hashable) -> Kept | None:
        """The answer kept under `key`, if any (marked `hit` in Server-Timing)."""
        kept = self._kept.get(key)
        if kept is not None:
            self._kept.move_to_end(key)
            timing.add(timing.HIT, 0.0)
        return kept

    def keep(self, key: Hashable, response: Response) -> Kept:
        """`response` as an answer to keep (kept under `key` when it is a 200 that fits)."""
        body = bytes(response.body)
        kept = Kept(
            body,
            response.headers.get("content-type", "application/octet-stream"),
            tuple((name, value) for name, value in response.headers.items() if name in KEPT_HEADERS),
            f'"{self.build}-{hashlib.sha256(body).hexdigest()[:16]}"',
            response.status_code,
        )
        if self.max_bytes and kept.status == 200 and len(body) <= self.max_bytes // 8:
            if key in self._kept:
                self.size -= len(self._kept.pop(key).body)
            self._kept[key] = kept
            self.size += len(body)
            while self.size > self.max_bytes:
                self.size -= len(self._kept.popitem(last=False)[1].body)
        return kept

    def respond(self, request: Request, kept: Kept) -> Response:
        """The answer, or 304 Not Modified when the client's copy is this one."""
        headers = {
            **dict(kept.headers),
            "ETag": kept.etag,
            "Last-Modified": email.utils.formatdate(self.modified, usegmt=True),
            "Cache-Control": "no-cache",
        }
        if kept.status == 200 and request.method in ("GET", "HEAD") and self._fresh(request, kept.etag):
            return Response(status_code=304, headers=headers)
        return Response(kept.body, kept.status, headers=headers, media_type=kept.media_type)

    def _fresh(self, request: Request, etag: str) -> bool:
        matches = request.headers.get("if-none-match")
        if matches is not None:
            tags = [tag.strip().removeprefix("W/") for tag in matches.split(",")]
            return "*" in tags or etag in tags
        since = request.headers.get("if-modified-since")
        if since:
            try:
                parsed = email.utils.parsedate_to_datetime(since)
            except (TypeError, ValueError):
                return False
            return parsed.timestamp() >= self.modified
        return False
