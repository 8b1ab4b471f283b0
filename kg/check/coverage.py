"""`kg coverage`: which sentences of each article carry evidence, which the mapping skips
(with a reason), and which are neither — the mapping work still to do; and the dates the
build could not place on the calendar, with the reason.

Within a sentence that carries evidence, a clause that no quote or skipped passage touches
is left out when it carries a number, a date (a month's name) or a name (a name from the
registry, in any language, or a capitalised word that does not open the sentence): the
sentence is then partly mapped, and counts as a gap like an unaccounted sentence.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import Enum

import pyoxigraph as ox

from kg.cache import FOLDER, Cache
from kg.compile.builder import compile_project
from kg.compile.context import Spans, Unplaced
from kg.mapping.sentences import split_clauses, split_units
from kg.project import Project
from kg.vocab import ENTITY, RDFS, SKOS


class Status(Enum):
    MAPPED = "mapped"
    PARTLY = "partly mapped"
    SKIPPED = "skipped"
    UNACCOUNTED = "unaccounted"


_NUMBER = re.compile(r"\d")
_MONTH = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|November|December)\b"
)
_CAPITALISED = re.compile(r"\b[A-Z][\w'\u2019&.-]*")
_WORD = re.compile(r"\w+")
_CITATION = re.compile(r"\[\d+\]")  # the "[2][5]" of a summary: not a number of the text


@dataclass(frozen=True)
class Unit:
    """A sentence, bullet item or line of an article."""

    start: int
    end: int
    line: int
    text: str
    status: Status
    reason: str = ""
    left_out: tuple[str, ...] = ()  # clauses carrying a number, date or name that no quote touches


@dataclass(frozen=True)
class ArticleCoverage:
    document: str
    article: str
    path: str
    units: tuple[Unit, ...]

    def count(self, status: Status) -> int:
        return sum(1 for u in self.units if u.status is status)

    @property
    def gaps(self) -> int:
        """Sentences unaccounted for, and clauses left out of mapped sentences."""
        return self.count(Status.UNACCOUNTED) + sum(len(u.left_out) for u in self.units)


@dataclass(frozen=True)
class Coverage:
    articles: list[ArticleCoverage]
    unplaced: list[Unplaced]


OUTSIDE = "outside articles"
NAME_PREDICATES = frozenset({str(RDFS.label), str(SKOS.altLabel)})


def coverage(project: Project) -> list[ArticleCoverage]:
    """Coverage of every article of every mapped document (drafts count as mapped), and of
    any text of a document that lies outside all its articles (page chrome, forgotten lines)."""
    return coverage_report(project).articles


def coverage_report(project: Project, use_cache: bool = True) -> Coverage:
    """The coverage of every article, and the dates that could not be placed; with
    `use_cache`, documents unchanged since a build are taken from its cache (kg.cache)."""
    cache = Cache(project.root / FOLDER if use_cache else None)
    with cache.transaction():
        generated, compiled = compile_project(project, include_drafts=True, cache=cache)
    names = _names(itertools.chain(generated, compiled.quads.with_predicate(NAME_PREDICATES)))
    result = []
    for doc_id, spans in sorted(compiled.spans.items()):
        path = spans.source.path.as_posix()
        for article, (start, end, language) in spans.articles.items():
            units = _units(spans, split_units(spans.source.text, start, end, language), names)
            result.append(ArticleCoverage(doc_id, article, path, tuple(units)))
        outside = list(_outside_articles(spans))
        if outside:
            result.append(ArticleCoverage(doc_id, OUTSIDE, path, tuple(_units(spans, iter(outside), names))))
    return Coverage(result, compiled.unplaced)


def _outside_articles(spans: Spans) -> Iterator[tuple[int, int]]:
    """The units of the lines no article covers (articles are whole lines: each line is split
    on its own, so splitting only these lines finds what splitting the whole text would)."""
    text, cursor = spans.source.text, 0
    for start, end in sorted((a, b) for a, b, _ in spans.articles.values()):
        if start > cursor:
            yield from split_units(text, cursor, start)
        cursor = max(cursor, end)
    if cursor < len(text):
        yield from split_units(text, cursor, len(text))


def _units(spans: Spans, found: Iterator[tuple[int, int]], names: frozenset[str]) -> list[Unit]:
    units = []
    for begin, finish in found:
        text = spans.source.text[begin:finish]
        line = spans.source.line_of(begin)
        if any(a < finish and begin < b for a, b in spans.mapped):
            left_out = tuple(_left_out(spans, begin, finish, names))
            units.append(
                Unit(begin, finish, line, text, Status.PARTLY if left_out else Status.MAPPED, "", left_out)
            )
        elif reason := next((r for a, b, r in spans.skipped if a < finish and begin < b), None):
            units.append(Unit(begin, finish, line, text, Status.SKIPPED, reason))
        else:
            units.append(Unit(begin, finish, line, text, Status.UNACCOUNTED))
    return units


def _left_out(spans: Spans, begin: int, finish: int, names: frozenset[str]) -> Iterator[str]:
    """The clauses of a mapped sentence that carry a number, date or name and that no quote
    or skipped passage touches."""
    touched = [(a, b) for a, b in spans.mapped] + [(a, b) for a, b, _ in spans.skipped]
    first_word = _WORD.search(spans.source.text, begin, finish)
    opening = first_word.start() if first_word else begin
    for start, end in split_clauses(spans.source.text, begin, finish):
        if any(a < end and start < b for a, b in touched):
            continue
        clause = _CITATION.sub("", spans.source.text[start:end])
        capitalised = any(m.start() + start != opening for m in _CAPITALISED.finditer(clause))
        if _NUMBER.search(clause) or _MONTH.search(clause) or capitalised or _names_in(clause, names):
            yield clause


def _names_in(clause: str, names: frozenset[str]) -> bool:
    return any(name in clause for name in names)


def _names(quads: Iterable[ox.Quad]) -> frozenset[str]:
    """Every name and variant of a registry entity, in every language (two characters or more)."""
    return frozenset(
        q.object.value
        for q in quads
        if q.predicate.value in NAME_PREDICATES
        and isinstance(q.subject, ox.NamedNode)
        and q.subject.value.startswith(str(ENTITY))
        and isinstance(q.object, ox.Literal)
        and len(q.object.value) >= 2
    )
