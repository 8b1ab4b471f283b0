"""The bounds every query runs within (README: "Limits and threat model").

Each is a field with its default; `kg query` takes them as options, and a server built on
kg.ask.runner passes its own.
"""

from __future__ import annotations

from dataclasses import dataclass


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
    memory_mb: int = 2048  # address space of the process that runs queries, in MiB
