"""What compiling the mappings shares: the result being built, and where things are.

The compiler's parts (kg.compile.registry, articles, facts, combined) each take the one
`Context` of a build and append quads to its `Compiled` result, noting in its source map
the mapping line behind every node and triple.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.compile.dating import Dated, calendar_quads, date_node
from kg.compile.ontology import Ontology
from kg.compile.quadtable import QuadTable, Term
from kg.compile.resolve import Resolver
from kg.compile.sourcemap import Source, SourceMap
from kg.errors import ErrorCollector, Location
from kg.mapping import schema
from kg.mapping.dates import Placed, Yearless
from kg.mapping.load import Loaded, Mappings
from kg.mapping.sources import SourceDocument
from kg.vocab import XSD

Object = ox.NamedNode | ox.Literal


@dataclass(frozen=True)
class Paths:
    """Where the project is, and its seed documents."""

    root: Path
    seeds: Path


@dataclass
class DocumentStats:
    articles: int = 0
    facts: int = 0
    drafts_left_out: int = 0
    statements: int = 0
    quotes: int = 0
    dates_stated: int = 0  # as the text gives them, with a year
    dates_resolved: int = 0  # placed against the article's reference time
    dates_combined: int = 0  # placed by combining documents
    dates_unplaced: int = 0  # without a year, in an article without a reference time


@dataclass(frozen=True)
class Unplaced:
    """A date the build could not place on the calendar, and why."""

    location: Location
    value: str
    reason: str


@dataclass
class Spans:
    """What a document's mapping accounts for, by character offsets (for `kg coverage`)."""

    source: SourceDocument
    articles: dict[str, tuple[int, int, str]] = field(default_factory=dict)  # start, end, language
    mapped: list[tuple[int, int]] = field(default_factory=list)  # quotes, titles, bylines
    skipped: list[tuple[int, int, str]] = field(default_factory=list)  # start, end, reason


@dataclass
class Compiled:
    quads: QuadTable = field(default_factory=QuadTable)
    documents: dict[str, DocumentStats] = field(default_factory=dict)
    sources: SourceMap = field(default_factory=SourceMap)
    spans: dict[str, Spans] = field(default_factory=dict)
    unplaced: list[Unplaced] = field(default_factory=list)
    replayed: int = 0  # documents taken from the cache (kg.compile.replay), not compiled

    def adder(self, subject: ox.NamedNode, graph: ox.NamedNode) -> Adder:
        return Adder(self, subject, graph, self.quads.about(graph, subject))


@dataclass(frozen=True)
class Adder:
    """Appends quads about one subject in one graph, noting where a triple was stated."""

    compiled: Compiled
    subject: ox.NamedNode
    graph: ox.NamedNode
    add: Callable[[Term, Term], None]  # kg.compile.quadtable.QuadTable.about

    def __call__(self, predicate: str, obj: Object, source: Location | None = None) -> None:
        link = named(predicate)
        self.add(link, obj)
        if source:
            self.compiled.sources.stated(self.subject, link, obj, Source.at(source))


_NAMED: dict[str, ox.NamedNode] = {}


def named(iri: str) -> ox.NamedNode:
    """The node of an ontology term, made once (a build writes millions of triples with a
    hundred predicates)."""
    node = _NAMED.get(iri)
    if node is None:
        node = _NAMED[iri] = ox.NamedNode(iri)
    return node


@dataclass(frozen=True)
class At:
    """A place inside a loaded mapping file."""

    loaded: Loaded[Any]
    path: tuple[str | int, ...]

    def loc(self, *more: str | int) -> Location:
        return self.loaded.at(*self.path, *more)

    def __truediv__(self, more: tuple[str | int, ...]) -> At:
        return At(self.loaded, (*self.path, *more))


@dataclass(frozen=True)
class Article:
    """A compiled article: its node, where it is in the document, who speaks by default, and
    when it was written (None when neither a byline nor the reviewer says), and the languages
    it is written in (BCP 47 tags, as its mapping gives them)."""

    node: ox.NamedNode
    graph: ox.NamedNode
    span: tuple[int, int]
    asserter: ox.NamedNode
    reference: Placed | None = None
    languages: tuple[str, ...] = ("en",)


@dataclass(frozen=True)
class InferredReference:
    """An article's reference time a reviewer inferred: waits for the evidence it is based on."""

    article: ox.NamedNode
    value: Placed
    reference: schema.Reference
    graph: ox.NamedNode
    at: At


@dataclass
class Document:
    """What compiling one document's facts needs to know about it."""

    id: str
    source: SourceDocument
    graph: ox.NamedNode
    articles: dict[str, Article]
    stats: DocumentStats
    spans: Spans

    @property
    def article_nodes(self) -> dict[str, ox.NamedNode]:
        return {key: article.node for key, article in self.articles.items()}


@dataclass(frozen=True)
class Claimed:
    """A statement that a claim asserts (a fact's `claim:`): contested when another claim
    disputes that claim (kg.compile.contest)."""

    claim: ox.NamedNode
    statement: ox.NamedNode
    triple: ox.Triple
    graph: ox.NamedNode


@dataclass
class Context:
    """The state of one compilation: inputs, errors found so far, and the result."""

    mappings: Mappings
    paths: Paths
    include_drafts: bool
    resolve: Resolver
    errors: ErrorCollector
    entities: dict[str, Location]  # declared entity ids, where each was declared
    result: Compiled = field(default_factory=Compiled)
    evidence_of: dict[str, list[ox.NamedNode]] = field(default_factory=dict)  # "DOC.FACT" -> evidence
    combinations: list[tuple[schema.Fact, Document, At]] = field(default_factory=list)
    references: list[InferredReference] = field(default_factory=list)
    dated: list[Dated] = field(default_factory=list)
    claimed: list[Claimed] = field(default_factory=list)
    calendar: set[str] = field(default_factory=set)  # dates whose node is written
    # subject -> article -> the evidence by which that article reports it (for kg:reportedOn)
    reported: dict[ox.NamedNode, dict[Article, list[ox.NamedNode]]] = field(default_factory=dict)

    def date(self, value: Placed | Yearless) -> ox.NamedNode:
        """The node of a date, written to graph:calendar the first time it is used."""
        if value.edtf not in self.calendar:
            self.calendar.add(value.edtf)
            self.result.quads.extend(calendar_quads(value))
        return date_node(value)

    @classmethod
    def start(cls, mappings: Mappings, ontology: Ontology, paths: Paths, include_drafts: bool) -> Context:
        errors = ErrorCollector()
        entities: dict[str, Location] = {}
        return cls(mappings, paths, include_drafts, Resolver(ontology, entities, errors), errors, entities)


def offset(value: int) -> ox.Literal:
    """A character offset into a seed document."""
    return ox.Literal(str(value), datatype=ox.NamedNode(XSD.nonNegativeInteger))
