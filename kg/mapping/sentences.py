"""Splitting an article into the units a reviewer accounts for: lines, bullet items and
sentences, with their character offsets; and a sentence into its clauses.

News summaries in the corpus run bullets together on one line ("Core Insights - … [1] -
…[2][3] Industry Developments - …"), so a line is first cut at " - " and after citation
markers like "[1]", then each piece is split into sentences by pysbd.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

import pysbd

_PIECE_BREAK = re.compile(r"\s+-\s+|(?<=\])\s+(?=[^\s\[])")
_LEADING = re.compile(r"^[\s\-•]+")
_HAS_WORD = re.compile(r"\w")
# Between clauses: semicolons, colons and commas (not inside a number or a time: 1,070 and
# 09:30 stay whole), dashes set off by spaces, and their Chinese forms.
_CLAUSE_BREAK = re.compile(
    r"[;\uff1b\uff1a\uff0c\u3001]|(?<!\d)[,:]|[,:](?!\d)|\s[\u2014\u2013-]\s|\u2014\u2014"
)


def split_units(text: str, start: int, end: int, language: str = "en") -> Iterator[tuple[int, int]]:
    """(start, end) of every unit in text[start:end], in order, trimmed of spaces and bullets."""
    position = start
    for line in text[start:end].split("\n"):
        yield from _line_units(line, position, language)
        position += len(line) + 1


def split_clauses(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """(start, end) of every clause of the sentence text[start:end], trimmed of spaces."""
    cursor = start
    for match in [*_CLAUSE_BREAK.finditer(text, start, end), None]:
        stop = match.start() if match else end
        piece = text[cursor:stop]
        if _HAS_WORD.search(piece):
            lead = len(piece) - len(piece.lstrip())
            yield cursor + lead, cursor + len(piece.rstrip())
        if match:
            cursor = match.end()


def _line_units(line: str, offset: int, language: str) -> Iterator[tuple[int, int]]:
    cursor = 0
    for match in [*_PIECE_BREAK.finditer(line), None]:
        piece_end = match.start() if match else len(line)
        yield from _sentences(line[cursor:piece_end], offset + cursor, language)
        if match:
            cursor = match.end()


def _sentences(piece: str, offset: int, language: str) -> Iterator[tuple[int, int]]:
    for span in _segmenter(language).segment(piece):
        text = span.sent
        lead = len(_LEADING.match(text).group(0)) if _LEADING.match(text) else 0  # type: ignore[union-attr]
        stripped = text[lead:].rstrip()
        if _HAS_WORD.search(stripped):
            begin = offset + span.start + lead
            yield begin, begin + len(stripped)


@cache
def _segmenter(language: str) -> pysbd.Segmenter:
    return pysbd.Segmenter(language="zh" if language.startswith("zh") else "en", clean=False, char_span=True)
