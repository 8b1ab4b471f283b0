"""Errors that point at the input that caused them: a file, a line, and what is wrong."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Location:
    """A place in an input file (1-based line; 0 when the whole file is meant)."""

    path: Path
    line: int = 0

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else str(self.path)


class KgError(Exception):
    """Bad input or an impossible request; the message is for the person who caused it."""

    def __init__(self, message: str, location: Location | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


class Refused(KgError):
    """A request kg will not carry out: past a documented limit, or able to reach the
    network or the file system (exit code 2)."""


class Stopped(Refused):
    """A query stopped while it ran: past its time or memory limit, or its engine died."""


class KgErrors(KgError):
    """Several independent problems, reported together like a compiler does."""

    def __init__(self, errors: Iterable[KgError]) -> None:
        self.errors = sorted(errors, key=_sort_key)
        super().__init__("\n".join(str(e) for e in self.errors))

    def __str__(self) -> str:
        return self.message


def _sort_key(error: KgError) -> tuple[str, int, str]:
    loc = error.location
    return (str(loc.path) if loc else "", loc.line if loc else 0, error.message)


class ErrorCollector:
    """Gathers errors from independent checks; raises them all at once."""

    def __init__(self) -> None:
        self.errors: list[KgError] = []

    def add(self, message: str, location: Location | None = None) -> None:
        self.errors.append(KgError(message, location))

    def extend(self, error: KgError) -> None:
        self.errors.extend(error.errors if isinstance(error, KgErrors) else [error])

    def raise_if_any(self) -> None:
        if self.errors:
            raise KgErrors(self.errors)
