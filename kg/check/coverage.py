"""`kg coverage`: which sentences of each article carry evidence, which the mapping skips
(with a reason), and which are neither — the mapping work still to do; and the dates the
build could not place on the calendar, with the reason."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum

from kg.compile.builder import compile_project
from kg.compile.context import Spans, Unplaced
from kg.mapping.sentences import split_units
from kg.project import Project


class Status(Enum):
    MAPPED = "mapped"
    SKIPPED = "skipped"
    UNACCOUNTED = "unaccounted"


@dataclass(frozen=True)
class Unit:
    """A sentence, bullet item or line of an article."""

    start: int
    end: int
    line: int
    text: str
    status: Status
    reason: str = ""


@dataclass(frozen=True)
class ArticleCoverage:
    document: str
    article: str
    path: str
    units: tuple[Unit, ...]

    def count(self, status: Status) -> int:
        return sum(1 for u in self.units if u.status is status)


@dataclass(frozen=True)
class Coverage:
    articles: list[ArticleCoverage]
    unplaced: list[Unplaced]


OUTSIDE = "outside articles"


def coverage(project: Project) -> list[ArticleCoverage]:
    """Coverage of every article of every mapped document (drafts count as mapped), and of
    any text of a document that lies outside all its articles (page chrome, forgotten lines)."""
    return coverage_report(project).articles


def coverage_report(project: Project) -> Coverage:
    """The coverage of every article, and the dates that could not be placed."""
    _, compiled = compile_project(project, include_drafts=True)
    result = []
    for doc_id, spans in sorted(compiled.spans.items()):
        path = spans.source.path.as_posix()
        for article, (start, end, language) in spans.articles.items():
            units = _units(spans, split_units(spans.source.text, start, end, language))
            result.append(ArticleCoverage(doc_id, article, path, tuple(units)))
        outside = [
            unit
            for unit in split_units(spans.source.text, 0, len(spans.source.text))
            if not any(a <= unit[0] < b for a, b, _ in spans.articles.values())
        ]
        if outside:
            result.append(ArticleCoverage(doc_id, OUTSIDE, path, tuple(_units(spans, iter(outside)))))
    return Coverage(result, compiled.unplaced)


def _units(spans: Spans, found: Iterator[tuple[int, int]]) -> list[Unit]:
    units = []
    for begin, finish in found:
        text = spans.source.text[begin:finish]
        line = spans.source.line_of(begin)
        if any(a < finish and begin < b for a, b in spans.mapped):
            units.append(Unit(begin, finish, line, text, Status.MAPPED))
        elif reason := next((r for a, b, r in spans.skipped if a < finish and begin < b), None):
            units.append(Unit(begin, finish, line, text, Status.SKIPPED, reason))
        else:
            units.append(Unit(begin, finish, line, text, Status.UNACCOUNTED))
    return units
