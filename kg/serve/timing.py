"""Where a request's time went, sent back in a `Server-Timing` header: `wait` (for a query
worker), `run` (in the worker: checking the query, running it, reading its answer), `render`
(making the page), `total`, and `hit` when the answer was kept from before (kg.serve.cache).
benchmarks/serve.py reads it to show where each kind of request spends its time."""

from __future__ import annotations

import time
from contextvars import ContextVar

from starlette.types import ASGIApp, Message, Receive, Scope, Send

_spent: ContextVar[dict[str, float] | None] = ContextVar("spent", default=None)
HIT = "hit"


def add(name: str, seconds: float) -> None:
    """Count `seconds` towards `name` for the request being answered (if any)."""
    spent = _spent.get()
    if spent is not None:
        spent[name] = spent.get(name, 0.0) + seconds


def header(spent: dict[str, float]) -> str:
    """The Server-Timing value: each part in milliseconds; `hit` without a duration."""
    parts = (name if name == HIT else f"{name};dur={seconds * 1000:.1f}" for name, seconds in spent.items())
    return ", ".join(parts)


class ServerTiming:
    """ASGI middleware: collects what a request spent, and adds the header to its answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        spent: dict[str, float] = {}
        token = _spent.set(spent)
        started = time.perf_counter()

        async def send_with_timing(message: Message) -> None:
            if message["type"] == "http.response.start":
                spent["total"] = time.perf_counter() - started
                message["headers"] = [*message.get("headers", []), (b"server-timing", header(spent).encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_timing)
        finally:
            _spent.reset(token)
