"""The bounds every query runs within (README: "Limits and threat model").

Each is a field with its default; `kg query` takes them as options, and a server built on
kg.ask.runner passes its own.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

from kg.errors import KgError

MAX_TIMEOUT = 1_000_000.0  # seconds: the longest deadline a query may be given


@dataclass(frozen=True)
class Limits:
    """What one query may use. Going past a size or time limit refuses the query (kg.errors.
    Refused, exit code 2); going past the row or byte cap cuts the answer and marks it
    truncated."""

    timeout: float = 30.0  # seconds of wall-clock time for checking, running and reading an answer
    max_rows: int = 100_000  # rows of a SELECT answer, triples of a CONSTRUCT or DESCRIBE answer
    max_bytes: int = 256 * 2**20  # bytes of an answer as it leaves the engine
    max_query_chars: int = 100_000  # characters of query text
    max_depth: int = 64  # nesting of brackets ({, (, [) in the query text
    memory_mb: int = 2048  # memory a query may take beyond the loaded graph (address space), in MiB

    def __post_init__(self) -> None:
        """Refuse bounds that bound nothing (an infinite or negative timeout, a cap of 0)."""
        timeout = self.timeout
        if not (isinstance(timeout, int | float) and math.isfinite(timeout) and 0 < timeout <= MAX_TIMEOUT):
            raise KgError(
                f"the timeout must be more than 0 and at most {MAX_TIMEOUT:.0f} seconds, not {timeout!r}"
            )
        for bound in fields(self)[1:]:
            value = getattr(self, bound.name)
            if not isinstance(value, int) or value < 1:
                raise KgError(f"the limit {bound.name} must be a whole number of at least 1, not {value!r}")
