"""`kg coverage`: which sentences of each article carry evidence, which the mapping skips
(with a reason), and which are neither — the mapping work still to do."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from kg.builder import compile_project
from kg.compile import Spans
from kg.project import Project
from kg.sentences import split_units


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


def coverage(project: Project) -> list[ArticleCoverage]:
    """Coverage of every article of every mapped document (drafts count as mapped)."""
    _, compiled = compile_project(project, include_drafts=True)
    return [
        ArticleCoverage(
            doc_id, article, spans.source.path.as_posix(), tuple(_units(spans, start, end, language))
        )
        for doc_id, spans in sorted(compiled.spans.items())
        for article, (start, end, language) in spans.articles.items()
    ]


def _units(spans: Spans, start: int, end: int, language: str) -> list[Unit]:
    units = []
    for begin, finish in split_units(spans.source.text, start, end, language):
        text = spans.source.text[begin:finish]
        line = spans.source.line_of(begin)
        if any(a < finish and begin < b for a, b in spans.mapped):
            units.append(Unit(begin, finish, line, text, Status.MAPPED))
        elif reason := next((r for a, b, r in spans.skipped if a < finish and begin < b), None):
            units.append(Unit(begin, finish, line, text, Status.SKIPPED, reason))
        else:
            units.append(Unit(begin, finish, line, text, Status.UNACCOUNTED))
    return units
