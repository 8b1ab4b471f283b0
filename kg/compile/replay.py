"""Each document compiled on its own, its result kept in the build's cache and replayed.

A document compiles in a context of its own (`DocumentContext`): its quads, sources, counts,
dates and the records the last passes need (evidence, dated and claimed statements, what each
article reports) are collected apart, then added to the build's (`merge`). The same record,
kept in the cache (kg.cache) under the hash of everything it was computed from, is what a
later build adds instead of compiling the document again:

- the code, the ontology's files, the versions of the reference-data libraries, and
  whether drafts are included if the document has draft facts;
- the mapping file's name and text, the seed file's name and SHA-256;
- not the registry as a whole: a document refers to a few entities, and compiles the same
  whatever else is declared. The record lists the entity ids the document looked up, and
  is used only while every one of them is still declared.

A document with facts that combine other documents' facts is compiled every time (what it
adds waits for every document's evidence); a reference time a reviewer based on other facts
is kept as the article and the index of its mapping entry, and settled with the rest. A
replayed build writes the same bytes as a clean one (tests/test_incremental.py).
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np
import pyoxigraph as ox

from kg.cache import Cache
from kg.compile.context import (
    Article,
    At,
    Claimed,
    Compiled,
    Context,
    Document,
    DocumentStats,
    InferredReference,
    Spans,
    Unplaced,
)
from kg.compile.dating import Dated, date_node
from kg.compile.quadtable import Rows, Term
from kg.compile.resolve import Resolver
from kg.compile.sourcemap import Source
from kg.errors import Location
from kg.mapping import schema
from kg.mapping.dates import Interval, Placed, Yearless
from kg.mapping.load import Loaded
from kg.mapping.sources import SourceDocument

DateValue = Placed | Yearless
LIBRARIES = ("pyoxigraph", "pycountry", "periodictable", "edtf", "pint")  # what resolving reads


class Lookups(Mapping[str, Location]):
    """The declared entities, noting each id looked up."""

    def __init__(self, entities: Mapping[str, Location]) -> None:
        self.entities = entities
        self.asked: set[str] = set()

    def __getitem__(self, key: str) -> Location:
        self.asked.add(key)
        return self.entities[key]

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str):
            self.asked.add(key)
        return key in self.entities

    def __iter__(self) -> Iterator[str]:
        return iter(self.entities)

    def __len__(self) -> int:
        return len(self.entities)


@dataclass
class DocumentContext(Context):
    """The context one document compiles in: a result and records of its own, the dates it
    uses noted (written to the calendar when merged), the entity ids it looks up noted."""

    dates: dict[str, DateValue] = field(default_factory=dict)
    lookups: Lookups = field(default_factory=lambda: Lookups({}))

    @classmethod
    def within(cls, ctx: Context) -> DocumentContext:
        lookups = Lookups(ctx.entities)
        resolve = Resolver(ctx.resolve.ontology, lookups, ctx.errors)
        return cls(
            ctx.mappings, ctx.paths, ctx.include_drafts, resolve, ctx.errors, ctx.entities, lookups=lookups
        )

    def date(self, value: DateValue) -> ox.NamedNode:
        self.dates.setdefault(value.edtf, value)
        return date_node(value)


@dataclass
class Recorded:
    """What compiling one document added to the build."""

    doc_id: str
    terms: list[Term]
    rows: Rows  # quads: graph, subject, predicate, object, as numbers into `terms`
    nodes: dict[str, tuple[Source, ...]]
    triples: dict[str, tuple[Source, ...]]
    stats: DocumentStats
    spans: Spans
    unplaced: list[Unplaced]
    evidence_of: dict[str, list[ox.NamedNode]]
    dated: list[Dated]
    claimed: list[Claimed]
    dates: list[DateValue]
    reported: dict[ox.NamedNode, dict[Article, list[ox.NamedNode]]]
    entities: list[str]  # the entity ids looked up, sorted
    combinations: list[tuple[schema.Fact, Document, At]] = field(default_factory=list)
    references: list[InferredReference] = field(default_factory=list)

    @property
    def waiting(self) -> bool:
        """Whether some of its facts combine other documents' (then it is not kept)."""
        return bool(self.combinations)

    @classmethod
    def of(cls, doc_id: str, ctx: DocumentContext) -> Recorded:
        terms, rows = ctx.result.quads.parts()
        return cls(
            doc_id,
            terms,
            rows,
            ctx.result.sources.nodes,
            ctx.result.sources.triples,
            ctx.result.documents[doc_id],
            ctx.result.spans[doc_id],
            ctx.result.unplaced,
            ctx.evidence_of,
            ctx.dated,
            ctx.claimed,
            list(ctx.dates.values()),
            ctx.reported,
            sorted(ctx.lookups.asked),
            ctx.combinations,
            ctx.references,
        )


def merge(ctx: Context, recorded: Recorded) -> None:
    """Add what one document compiled to the build, as compiling it in `ctx` would have."""
    result: Compiled = ctx.result
    result.quads.add_rows(recorded.terms, recorded.rows)
    result.sources.update(recorded.nodes, recorded.triples)
    result.documents[recorded.doc_id] = recorded.stats
    result.spans[recorded.doc_id] = recorded.spans
    result.unplaced.extend(recorded.unplaced)
    ctx.evidence_of.update(recorded.evidence_of)
    ctx.combinations.extend(recorded.combinations)
    ctx.references.extend(recorded.references)
    ctx.dated.extend(recorded.dated)
    ctx.claimed.extend(recorded.claimed)
    for value in recorded.dates:
        ctx.date(value)
    for subject, by_article in recorded.reported.items():
        into_subject = ctx.reported.setdefault(subject, {})
        for article, nodes in by_article.items():
            into_subject.setdefault(article, []).extend(nodes)


class Replay:
    """Documents' records in `cache`, for one build's ontology and options."""

    def __init__(self, cache: Cache, ontology_digest: str, include_drafts: bool) -> None:
        self.cache = cache
        self.include_drafts = include_drafts
        libraries = {name: version(name) for name in LIBRARIES}
        self.context = json.dumps([ontology_digest, libraries], sort_keys=True)
        self.parsed: dict[str, Term] = {}  # each term's text parsed once (kg.compile.replay.decode)

    def key(self, loaded: Loaded[schema.DocumentFile], source: SourceDocument) -> str:
        """The document's key; a document with no draft fact compiles alike with drafts or
        without, so `kg coverage` and `kg serve` (drafts included) share a build's records."""
        mapping = loaded.source
        drafts = self.include_drafts and _has_drafts(loaded.model)
        content = [self.context, drafts, mapping.digest, source.path.as_posix(), source.sha256]
        return self.cache.key("compiled", mapping.path.as_posix(), json.dumps(content))

    def get(
        self,
        key: str,
        loaded: Loaded[schema.DocumentFile],
        source: SourceDocument,
        entities: Mapping[str, Location],
    ) -> Recorded | None:
        """The record kept under `key`, if every entity it looked up is still declared."""
        if (kept := self.cache.get(key)) is None:
            return None
        if not all(entity in entities for entity in kept["entities"]):
            return None
        try:
            return decode(kept, source, loaded, self.parsed)
        except (KeyError, IndexError, TypeError, ValueError, SyntaxError):
            return None  # written by other code: compiled again

    def put(self, key: str, recorded: Recorded) -> None:
        if self.cache.folder is not None and not recorded.waiting:
            self.cache.put(key, encode(recorded))


def _has_drafts(document: schema.DocumentFile) -> bool:
    return any(not document.review_of(fact).reviewed for fact in document.facts)


class _Terms:
    """Terms written once each in a record, referred to by number."""

    def __init__(self) -> None:
        self.number: dict[Term, int] = {}
        self.text: list[str | None] = []

    def __call__(self, term: Term) -> int:
        found = self.number.get(term)
        if found is None:
            if isinstance(term, ox.Triple):
                raise ValueError("a quoted triple is not kept")
            found = self.number[term] = len(self.text)
            self.text.append(None if isinstance(term, ox.DefaultGraph) else str(term))
        return found


def encode(recorded: Recorded) -> dict[str, Any]:
    """A record as JSON data."""
    term = _Terms()
    rows = [term(t) for t in recorded.terms]
    return {
        "doc": recorded.doc_id,
        "rows": np.asarray(rows, dtype=np.int64)[recorded.rows].ravel().tolist() if len(rows) else [],
        "nodes": _sources(recorded.nodes),
        "triples": _sources(recorded.triples),
        "stats": dataclasses.asdict(recorded.stats),
        "spans": {
            "articles": recorded.spans.articles,
            "mapped": recorded.spans.mapped,
            "skipped": recorded.spans.skipped,
        },
        "unplaced": [
            [u.location.path.as_posix(), u.location.line, u.value, u.reason] for u in recorded.unplaced
        ],
        "evidence": {key: [term(n) for n in nodes] for key, nodes in recorded.evidence_of.items()},
        "dated": [
            [term(d.subject), term(d.predicate), _date(d.value), term(d.statement), term(d.graph)]
            for d in recorded.dated
        ],
        "claimed": [
            [term(c.claim), term(c.statement), *(term(t) for t in c.triple), term(c.graph)]
            for c in recorded.claimed
        ],
        "dates": [_date(value) for value in recorded.dates],
        "reported": [
            [
                term(subject),
                [[_article(term, article), [term(n) for n in nodes]] for article, nodes in items.items()],
            ]
            for subject, items in recorded.reported.items()
        ],
        "entities": recorded.entities,
        "references": [
            [term(ref.article), _date(ref.value), term(ref.graph), _article_index(ref.at)]
            for ref in recorded.references
        ],
        "terms": term.text,
    }


def decode(
    kept: dict[str, Any],
    source: SourceDocument,
    loaded: Loaded[schema.DocumentFile],
    parsed: dict[str, Term] | None = None,
) -> Recorded:
    """A record from its JSON data (`source` and `loaded`: the seed document and the mapping
    it was compiled from; `parsed`: terms parsed before, by their text, to which this record's
    are added)."""
    terms = _parse_terms(kept["terms"], {} if parsed is None else parsed)
    rows = kept["rows"]
    spans = kept["spans"]
    return Recorded(
        kept["doc"],
        terms,
        np.asarray(rows, dtype=np.uintc).reshape(-1, 4),
        _read_sources(kept["nodes"]),
        _read_sources(kept["triples"]),
        DocumentStats(**kept["stats"]),
        Spans(
            source,
            {key: tuple(value) for key, value in spans["articles"].items()},
            [tuple(pair) for pair in spans["mapped"]],
            [tuple(item) for item in spans["skipped"]],
        ),
        [
            Unplaced(Location(Path(path), line), value, reason)
            for path, line, value, reason in kept["unplaced"]
        ],
        {key: [terms[n] for n in nodes] for key, nodes in kept["evidence"].items()},
        [
            Dated(terms[s], terms[p], _read_date(value), terms[node], terms[g])
            for s, p, value, node, g in kept["dated"]
        ],
        [
            Claimed(terms[c], terms[node], ox.Triple(terms[s], terms[p], terms[o]), terms[g])
            for c, node, s, p, o, g in kept["claimed"]
        ],
        [_read_date(value) for value in kept["dates"]],
        {
            terms[subject]: {
                _read_article(terms, article): [terms[n] for n in nodes] for article, nodes in items
            }
            for subject, items in kept["reported"]
        },
        kept["entities"],
        references=[
            _read_reference(terms[article], _read_date(value), terms[graph], loaded, i)
            for article, value, graph, i in kept["references"]
        ],
    )


def _article_index(at: At) -> int:
    """The index of the article an inferred reference time is given in."""
    kind, index = at.path
    if kind != "articles" or not isinstance(index, int):
        raise ValueError(f"a reference time at {at.path} is not an article's")
    return index


def _read_reference(
    article: Term, value: DateValue, graph: Term, loaded: Loaded[schema.DocumentFile], index: int
) -> InferredReference:
    reference = loaded.model.articles[index].reference
    if reference is None or not isinstance(value, Placed):
        raise ValueError(f"article {index} gives no reference time")
    if not isinstance(article, ox.NamedNode) or not isinstance(graph, ox.NamedNode):
        raise ValueError("an article and its graph are named nodes")
    return InferredReference(article, value, reference, graph, At(loaded, ("articles", index)))


def _parse_terms(texts: list[str | None], parsed: dict[str, Term]) -> list[Term]:
    """Terms from their N-Triples text (None: the default graph). Those not in `parsed` are
    parsed as objects of one N-Triples document, and added to it: a build's documents share
    most of their terms (at 10,000 documents, 707,000 texts in 4,000 records were 240,000
    terms)."""
    new = [text for text in texts if text is not None and text not in parsed]
    lines = "".join(f"<k:> <k:> {text} .\n" for text in new)
    objects = [t.object for t in ox.parse(lines.encode(), format=ox.RdfFormat.N_TRIPLES)]
    if len(objects) != len(new):
        raise ValueError("a term is not one N-Triples term")
    parsed.update(zip(new, objects, strict=True))
    return [ox.DefaultGraph() if text is None else parsed[text] for text in texts]


def _sources(table: dict[str, tuple[Source, ...]]) -> list[Any]:
    return [[key, [[s.path, s.line, s.quote] for s in sources]] for key, sources in table.items()]


def _read_sources(entries: list[Any]) -> dict[str, tuple[Source, ...]]:
    paths: dict[str, str] = {}
    return {
        key: tuple(Source(paths.setdefault(p, sys.intern(p)), line, quote) for p, line, quote in sources)
        for key, sources in entries
    }


def _date(value: DateValue) -> list[Any]:
    if isinstance(value, Yearless):
        return [value.month, value.day]
    bounds = value.bounds
    return [
        value.edtf,
        bounds.earliest.isoformat(),
        bounds.latest.isoformat(),
        value.approximate,
        value.uncertain,
    ]


def _read_date(value: list[Any]) -> DateValue:
    if len(value) == 2:
        return Yearless(value[0], value[1])
    edtf, earliest, latest, approximate, uncertain = value
    bounds = Interval(datetime.date.fromisoformat(earliest), datetime.date.fromisoformat(latest))
    return Placed(edtf, bounds, approximate, uncertain)


def _article(term: _Terms, article: Article) -> list[Any]:
    reference = _date(article.reference) if article.reference else None
    return [
        term(article.node),
        term(article.graph),
        list(article.span),
        term(article.asserter),
        reference,
        list(article.languages),
    ]


def _read_article(terms: list[Term], value: list[Any]) -> Article:
    node, graph, span, asserter, reference, languages = value
    placed = _read_date(reference) if reference else None
    return Article(terms[node], terms[graph], tuple(span), terms[asserter], placed, tuple(languages))  # type: ignore[arg-type]
