"""Admission control: queries run in a bounded pool of worker processes, and a request
that cannot get a worker soon is refused with Retry-After instead of piling up.

The server keeps two pools (lanes): one for the text people send (the SPARQL endpoint and
the query editor), one for the pages, whose queries are the server's own. A slow query sent
to the endpoint holds one worker of its lane; the pages, and the endpoint's other workers,
go on answering. A lane's workers may run at a lower CPU priority (`nice`): the endpoint's
do, so that a query that keeps a core busy gives way to the server itself and the pages.

Two kinds of refusal: the pool is full (every worker busy and `max_waiting` requests
already waiting, or no worker came free within `wait_timeout`) is `Busy`, answered 503; one
client (by address) already holding or waiting for `max_per_client` workers of the lane is
`TooMany`, answered 429. Both carry Retry-After.

A page runs several queries one after another; inside `holding()` they share one worker:
the page waits for a worker once (at its first query), not before each query.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio
import anyio.to_thread

from kg.ask.limits import Limits
from kg.ask.prepare import Prepared, Term
from kg.ask.runner import Answer, Runner
from kg.errors import KgError
from kg.serve import timing


class Busy(KgError):
    """No worker came free in time: answer 503 and ask the client to retry."""


class TooMany(KgError):
    """This client already holds or waits for its share of workers: answer 429."""


@dataclass
class _Hold:
    client: str
    admitted: bool = False


class Lane:
    """Up to `workers` queries at a time on their own worker processes; up to `max_waiting`
    more wait, each at most `wait_timeout` seconds; one client at most `max_per_client` at
    once (0: no per-client limit)."""

    def __init__(
        self,
        name: str,
        dist: Path,
        limits: Limits,
        workers: int,
        max_waiting: int,
        wait_timeout: float,
        max_per_client: int = 0,
        nice: int = 0,
    ) -> None:
        self.name, self.workers = name, workers
        self.runner = Runner(dist, limits, workers, nice)
        self.max_waiting, self.wait_timeout, self.max_per_client = max_waiting, wait_timeout, max_per_client
        self._running = anyio.CapacityLimiter(workers)
        self._threads = anyio.CapacityLimiter(workers)
        self._clients: Counter[str] = Counter()
        self._hold: ContextVar[_Hold | None] = ContextVar(f"hold-{name}", default=None)

    async def run(
        self,
        text: str,
        values: Mapping[str, Term] | None = None,
        limits: Limits | None = None,
        client: str = "",
    ) -> Answer:
        """Check and run a query on a worker of this lane, or raise Busy or TooMany."""
        answer: Answer = await self._on_worker(client, self.runner.run, text, values, limits)
        return answer

    async def prepare(self, text: str) -> Prepared:
        """Check a query on a worker of this lane without running it."""
        prepared: Prepared = await self._on_worker("", self.runner.prepare, text)
        return prepared

    @asynccontextmanager
    async def holding(self, client: str = "") -> AsyncIterator[None]:
        """Queries run inside share one worker of this lane, taken at the first of them and
        given back at the end (a page's queries, run one after another)."""
        if self._hold.get() is not None:
            yield
            return
        hold = _Hold(client)
        token = self._hold.set(hold)
        try:
            yield
        finally:
            self._hold.reset(token)
            if hold.admitted:
                self._running.release()
                self._forget(client)

    async def _on_worker(self, client: str, call: Callable[..., Any], *args: object) -> Any:
        async with self.holding(client):
            hold = self._hold.get()
            assert hold is not None
            if not hold.admitted:
                await self._admit(hold.client)
                hold.admitted = True
            started = time.perf_counter()
            try:
                return await anyio.to_thread.run_sync(call, *args, limiter=self._threads)
            finally:
                timing.add("run", time.perf_counter() - started)

    async def _admit(self, client: str) -> None:
        if self.max_per_client and client and self._clients[client] >= self.max_per_client:
            raise TooMany(f"too many queries at once from one client (at most {self.max_per_client})")
        waiting = self._running.statistics().tasks_waiting
        if not self._running.available_tokens and waiting >= self.max_waiting:
            raise Busy(f"the server is busy ({self.name}): too many queries are waiting")
        self._clients[client] += 1
        started = time.perf_counter()
        try:
            with anyio.move_on_after(self.wait_timeout) as waited:
                await self._running.acquire()
            if waited.cancelled_caught:
                raise Busy(
                    f"the server is busy ({self.name}): no worker came free in {self.wait_timeout:g} s"
                )
        except BaseException:
            self._forget(client)
            raise
        finally:
            timing.add("wait", time.perf_counter() - started)

    def _forget(self, client: str) -> None:
        self._clients[client] -= 1
        if self._clients[client] <= 0:
            del self._clients[client]

    def close(self) -> None:
        self.runner.close()
