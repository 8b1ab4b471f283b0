"""How a seed page is laid out: articles (title, "Outlet · date" byline, body), the
language of each line, and the sentences a mapping has to account for."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from kg.mapping.sentences import split_units
from kg.mapping.sources import SourceDocument

_BYLINE = re.compile(
    r"^(?P<outlet>\S.*?)\s*·\s*(?P<date>\d{4}-\d{2}-\d{2})(?:\s+(?P<time>\d{1,2}:\d{2}))?\s*$"
)
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")


@dataclass(frozen=True)
class Sentence:
    """A sentence (or bullet item, or title) of an article, with its offsets and line."""

    start: int
    end: int
    line: int
    text: str
    language: str


@dataclass(frozen=True)
class ArticleLayout:
    """One article: where it is, its title and byline where the page gives them."""

    first: int  # 1-based lines, inclusive
    last: int
    languages: tuple[str, ...]
    sentences: tuple[Sentence, ...]
    title: str | None = None
    title_language: str | None = None
    byline: str | None = None
    outlet: str | None = None
    published: str | None = None  # "YYYY-MM-DD" or "YYYY-MM-DD HH:MM", as printed

    @property
    def date(self) -> datetime.date | None:
        return datetime.date.fromisoformat(self.published[:10]) if self.published else None


def language_of(text: str) -> str:
    """ "zh" when Chinese characters make up a fair share of the letters, else "en"."""
    cjk, latin = len(_CJK.findall(text)), len(_LATIN.findall(text))
    return "zh" if cjk and cjk * 3 >= latin else "en"


def articles(source: SourceDocument) -> list[ArticleLayout]:
    """The articles of a page: each byline line with the title line above it starts one,
    running to the line before the next title; a page without bylines is one article from
    its first to its last non-empty line."""
    lines = source.text.split("\n")
    bylines = [i for i, line in enumerate(lines) if _BYLINE.match(line)]
    starts = [i - 1 if i > 0 and lines[i - 1].strip() else i for i in bylines]
    filled = [i for i, line in enumerate(lines) if line.strip()]
    if not filled:
        return []
    if not bylines:
        return [_article(source, lines, filled[0], filled[-1], None)]
    ends = [start - 1 for start in starts[1:]] + [filled[-1]]
    return [
        _article(source, lines, start, _last_filled(lines, start, end), byline)
        for start, end, byline in zip(starts, ends, bylines, strict=True)
    ]


def outside_articles(source: SourceDocument, found: list[ArticleLayout]) -> list[Sentence]:
    """The sentences of lines no article holds (page chrome, as a rule)."""
    lines = source.text.split("\n")
    sentences = []
    for index, line in enumerate(lines):
        if line.strip() and not any(a.first <= index + 1 <= a.last for a in found):
            begin = source.line_starts[index]
            for start, end in split_units(source.text, begin, begin + len(line), language_of(line)):
                sentences.append(Sentence(start, end, index + 1, source.text[start:end], language_of(line)))
    return sentences


def _last_filled(lines: list[str], start: int, end: int) -> int:
    while end > start and not lines[end].strip():
        end -= 1
    return end


def _article(
    source: SourceDocument, lines: list[str], first: int, last: int, byline: int | None
) -> ArticleLayout:
    sentences = []
    for index in range(first, last + 1):
        begin = source.line_starts[index]
        language = language_of(lines[index])
        for start, end in split_units(source.text, begin, begin + len(lines[index]), language):
            sentences.append(Sentence(start, end, index + 1, source.text[start:end], language))
    body = [s for s in sentences if byline is None or s.line > byline + 1]
    title = lines[first].strip() if byline is not None and first == byline - 1 else None
    languages = ([language_of(title)] if title else []) + [s.language for s in body]
    match = _BYLINE.match(lines[byline]) if byline is not None else None
    published = None
    if match:
        published = f"{match['date']} {match['time']:0>5}" if match["time"] else match["date"]
    return ArticleLayout(
        first + 1,
        last + 1,
        tuple(dict.fromkeys(languages or ["en"])),
        tuple(sentences),
        title,
        language_of(title) if title else None,
        lines[byline].strip() if byline is not None else None,
        match["outlet"] if match else None,
        published,
    )
