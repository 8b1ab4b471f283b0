"""The settings of `kg serve`: where the graph is, and every limit, with its default.

The README's "Serve" section lists the same limits; `kg serve --help` shows them as options.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kg.ask.limits import Limits


@dataclass(frozen=True)
class ServeConfig:
    """What the server serves and within which limits."""

    dist: Path = Path("dist")  # the built graph
    root: Path = Path(".")  # the project (seeds and mappings), for the document pages
    host: str = "127.0.0.1"  # loopback only unless told otherwise
    port: int = 8000
    timeout: float = 10.0  # seconds a query may run before its worker is killed
    max_rows: int = 10_000  # rows (or triples) of an answer; past it the answer is cut and marked
    max_bytes: int = 64 * 2**20  # bytes of an answer as it leaves the engine
    memory_mb: int = 1024  # memory a query may take in a worker beyond the loaded graph, in MiB
    max_query_chars: int = 20_000  # characters of query text
    max_depth: int = 32  # nesting of brackets in the query text
    max_request_bytes: int = 64 * 2**10  # body of a request (a POSTed query, a form)
    workers: int = 3  # worker processes for the endpoint's queries (and as many for the pages)
    max_waiting: int = 64  # requests that may wait for a worker, per pool; past it: 503
    wait_timeout: float = 5.0  # seconds a request may wait for a worker; past it: 503
    max_per_client: int = 0  # workers one client address may hold or wait for, per pool (429); 0: no limit
    retry_after: int = 2  # seconds, the Retry-After of a 503 or 429
    cache_mb: int = 64  # MiB of whole answers (pages, query answers) kept while the server runs (0: none)
    cors_origins: tuple[str, ...] = field(default=())  # origins allowed to read answers (none by default)

    def limits(self) -> Limits:
        """The bounds each query runs within."""
        return Limits(
            timeout=self.timeout,
            max_rows=self.max_rows,
            max_bytes=self.max_bytes,
            max_query_chars=self.max_query_chars,
            max_depth=self.max_depth,
            memory_mb=self.memory_mb,
        )
