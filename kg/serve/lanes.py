"""Admission control: queries run in a bounded pool of worker processes, and a request
that cannot get a worker soon is answered 503 with Retry-After instead of piling up.

The server keeps two pools (lanes): one for the text people send (the SPARQL endpoint and
the query editor), one for the pages, whose queries are the server's own. A slow query sent
to the endpoint holds one worker of its lane; the pages, and the endpoint's other workers,
go on answering.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import anyio
import anyio.to_thread

from kg.ask.limits import Limits
from kg.ask.prepare import Term
from kg.ask.runner import Answer, Runner
from kg.errors import KgError


class Busy(KgError):
    """No worker came free in time: answer 503 and ask the client to retry."""


class Lane:
    """Up to `workers` queries at a time on their own worker processes; up to `max_waiting`
    more wait, each at most `wait_timeout` seconds."""

    def __init__(
        self, name: str, dist: Path, limits: Limits, workers: int, max_waiting: int, wait_timeout: float
    ) -> None:
        self.name = name
        self.runner = Runner(dist, limits, workers)
        self.max_waiting, self.wait_timeout = max_waiting, wait_timeout
        self._running = anyio.CapacityLimiter(workers)
        self._threads = anyio.CapacityLimiter(workers)

    async def run(
        self, text: str, values: Mapping[str, Term] | None = None, limits: Limits | None = None
    ) -> Answer:
        """Check and run a query on a worker of this lane, or raise Busy."""
        if (
            not self._running.available_tokens
            and self._running.statistics().tasks_waiting >= self.max_waiting
        ):
            raise Busy(f"the server is busy ({self.name}): too many queries are waiting")
        with anyio.move_on_after(self.wait_timeout) as waited:
            await self._running.acquire()
        if waited.cancelled_caught:
            raise Busy(f"the server is busy ({self.name}): no worker came free in {self.wait_timeout:g} s")
        try:
            answer: Answer = await anyio.to_thread.run_sync(
                self.runner.run, text, values, limits, limiter=self._threads
            )
            return answer
        finally:
            self._running.release()

    def close(self) -> None:
        self.runner.close()
