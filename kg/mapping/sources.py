"""Seed documents as evidence: their text, line spans, and finding quotes in them.

Offsets count Unicode code points from 0 in the UTF-8-decoded file, end exclusive, as
Web Annotation's TextPositionSelector does.
"""

from __future__ import annotations

import bisect
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz

from kg.errors import KgError, Location
from kg.mapping.textfile import decode, read_bytes

CONTEXT = 32


@dataclass(frozen=True)
class Match:
    """Where a quote is, with up to CONTEXT characters around it inside its article."""

    start: int
    end: int
    prefix: str
    suffix: str


@dataclass(frozen=True)
class SourceDocument:
    path: Path
    text: str
    sha256: str
    line_starts: list[int] = field(repr=False)

    @classmethod
    def read(cls, path: Path, display: Path) -> SourceDocument:
        raw = read_bytes(path, display)
        text = decode(raw, display)
        starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
        return cls(display, text, hashlib.sha256(raw).hexdigest(), starts)

    @property
    def line_count(self) -> int:
        return len(self.line_starts) - (1 if self.text.endswith("\n") else 0)

    def span(self, first: int, last: int) -> tuple[int, int]:
        """Offsets of lines first..last (1-based, inclusive), without the final newline."""
        if last > self.line_count:
            raise ValueError(f"the document has {self.line_count} lines, not {last}")
        start = self.line_starts[first - 1]
        end = self.line_starts[last] - 1 if last < len(self.line_starts) else len(self.text)
        return start, end

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.line_starts, offset)

    def find(self, quote: str, span: tuple[int, int], occurrence: int | None = None) -> Match:
        """Locate `quote` verbatim inside `span`; raise ValueError explaining a miss."""
        start, end = span
        hits = self.occurrences(quote, span)
        if not hits:
            raise ValueError(f"quote not found in {self.path}; {self.nearest(quote, span)}")
        if occurrence is None and len(hits) > 1:
            lines = ", ".join(str(self.line_of(h)) for h in hits)
            raise ValueError(
                f"quote occurs {len(hits)} times (lines {lines}); lengthen it or add 'occurrence: N'"
            )
        index = (occurrence or 1) - 1
        if index >= len(hits):
            raise ValueError(f"occurrence {occurrence} asked for, but the quote occurs {len(hits)} time(s)")
        begin = hits[index]
        finish = begin + len(quote)
        return Match(
            begin,
            finish,
            self.text[max(start, begin - CONTEXT) : begin],
            self.text[finish : min(end, finish + CONTEXT)],
        )

    def occurrences(self, text: str, span: tuple[int, int]) -> list[int]:
        """Start offsets of every occurrence of `text` inside `span`."""
        start, end = span
        hits = []
        position = self.text.find(text, start, end)
        while position != -1:
            hits.append(position)
            position = self.text.find(text, position + 1, end)
        return hits

    def nearest(self, quote: str, span: tuple[int, int]) -> str:
        """Describe the passage of `span` closest to `quote`, for an error message."""
        start, end = span
        best = fuzz.partial_ratio_alignment(quote, self.text[start:end])
        if best is None or best.score == 0:
            return "no similar passage"
        begin = start + best.dest_start
        finish = min(end, max(start + best.dest_end, begin + len(quote)))
        while finish < end and not self.text[finish].isspace():
            finish += 1
        passage = self.text[begin:finish].strip().replace("\n", " ")
        return f'nearest passage (line {self.line_of(begin)}, {best.score:.0f}% similar): "{passage}"'


def resolve_seed(seeds_dir: Path, relative: str, root: Path, location: Location) -> Path:
    """The seed file a mapping names, refusing any path outside `seeds/`."""
    candidate = (root / relative).resolve()
    seeds = seeds_dir.resolve()
    if not candidate.is_relative_to(seeds) or candidate == seeds:
        raise KgError(f"document path '{relative}' is outside seeds/", location)
    if not candidate.is_file():
        raise KgError(f"document '{relative}' does not exist", location)
    return candidate
