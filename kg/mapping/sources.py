"""Seed documents as evidence: their text, line spans, and finding quotes in them.

Offsets count Unicode code points from 0 in the UTF-8-decoded file, end exclusive, as
Web Annotation's TextPositionSelector does.
"""

from __future__ import annotations

import bisect
import difflib
import hashlib
import unicodedata
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
        found = f'nearest passage (line {self.line_of(begin)}, {best.score:.0f}% similar): "{passage}"'
        return found + difference(quote, self.text[begin : min(end, begin + len(quote) + CONTEXT)])


def difference(quote: str, passage: str) -> str:
    """Where `quote` first departs from `passage` (which starts where the quote should), with
    both characters and their code points: a curly quote, a non-breaking or zero-width space
    or another Unicode normalisation looks the same on screen."""
    opcodes = difflib.SequenceMatcher(None, quote, passage, autojunk=False).get_opcodes()
    if opcodes and opcodes[0][0] == "insert":  # the passage starts a little early
        passage = passage[opcodes[0][4] :]
        opcodes = [(op, i1, i2, j1 - opcodes[0][4], j2 - opcodes[0][4]) for op, i1, i2, j1, j2 in opcodes[1:]]
    change = next((op for op in opcodes if op[0] != "equal"), None)
    if change is None:
        return ""
    _, i, _, j, _ = change
    ours = _character(quote[i]) if i < len(quote) else "nothing (the quote ends)"
    theirs = _character(passage[j]) if j < len(passage) else "nothing (the text ends)"
    normal = unicodedata.normalize("NFC", quote)
    same = unicodedata.normalize("NFC", passage).startswith(normal)
    note = " (the same text once Unicode-normalised: write it as the document does)" if same else ""
    where = f"first difference at character {i + 1} of the quote"
    return f"; {where}: the quote has {ours}, the document has {theirs}{note}"


def _character(c: str) -> str:
    return f"{c!r} (U+{ord(c):04X} {unicodedata.name(c, 'unnamed')})"


def resolve_seed(seeds: Path, relative: str, root: Path, location: Location) -> Path:
    """The seed file a mapping names, refusing any path outside `seeds` (the seeds folder,
    resolved: `seeds/` may be a symbolic link to the folder holding the documents). One path
    resolved for a name under seeds/ (at 10,000 documents, four took 5 s)."""
    try:
        within = seeds / Path(relative).relative_to("seeds") if _under_seeds(relative) else None
        inside = within.resolve() if within is not None else None
        if inside is not None and inside.is_relative_to(seeds) and inside != seeds:
            candidate = inside
        else:
            candidate = (root / relative).resolve()
    except (RuntimeError, OSError) as exc:  # a symbolic link that points to itself
        raise KgError(f"document path '{relative}' cannot be followed ({exc})", location) from None
    if not candidate.is_relative_to(seeds) or candidate == seeds:
        raise KgError(f"document path '{relative}' is outside seeds/", location)
    if not candidate.exists():
        raise KgError(f"document '{relative}' does not exist", location)
    if not candidate.is_file():
        raise KgError(f"document '{relative}' is not a regular file (a folder, a pipe or a device)", location)
    return candidate


def seed_display(seeds: Path, path: Path) -> Path:
    """How a seed file is named in messages: seeds/NAME, wherever seeds/ (resolved: `seeds`)
    points."""
    return Path("seeds") / path.relative_to(seeds)


def _under_seeds(relative: str) -> bool:
    parts = Path(relative).parts
    return len(parts) > 1 and parts[0] == "seeds"
