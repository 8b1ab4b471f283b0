"""Compiling mapping files into quads: entities, documents, articles, facts, evidence.

Each fact's (subject, property, value) triples are written twice: as plain triples for
simple queries, and as `kg:Statement` nodes (rdf:subject/predicate/object) carrying one
`kg:evidence` per quote. A statement's IRI is derived from its triple, so the same fact
stated by several documents is one statement with several pieces of evidence.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.compile.ontology import Ontology
from kg.compile.resolve import Resolver
from kg.compile.sourcemap import Source, SourceMap
from kg.compile.values import date_time, language_literals, typed_literal
from kg.errors import ErrorCollector, KgError, Location
from kg.mapping import schema
from kg.mapping.load import Loaded, Mappings
from kg.mapping.sources import SourceDocument, resolve_seed
from kg.vocab import (
    ARTICLE,
    DCTERMS,
    DOCUMENT,
    ENTITY,
    EVIDENCE,
    GRAPH,
    KG,
    OA,
    ORG,
    PROV,
    RDF,
    RDFS,
    SDO,
    SKOS,
    STATEMENT,
    XSD,
)

REGISTRY_GRAPH = ox.NamedNode(GRAPH.registry)
STANCES = {
    "reported": KG.Reported,
    "rumoured": KG.Rumoured,
    "alleged": KG.Alleged,
    "officially-stated": KG.OfficiallyStated,
    "denied": KG.Denied,
}
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


@dataclass
class Spans:
    """What a document's mapping accounts for, by character offsets (for `kg coverage`)."""

    source: SourceDocument
    articles: dict[str, tuple[int, int, str]] = field(default_factory=dict)  # start, end, language
    mapped: list[tuple[int, int]] = field(default_factory=list)  # quotes, titles, bylines
    skipped: list[tuple[int, int, str]] = field(default_factory=list)  # start, end, reason


@dataclass
class Compiled:
    quads: list[ox.Quad] = field(default_factory=list)
    documents: dict[str, DocumentStats] = field(default_factory=dict)
    sources: SourceMap = field(default_factory=SourceMap)
    spans: dict[str, Spans] = field(default_factory=dict)

    def adder(self, subject: ox.NamedNode, graph: ox.NamedNode) -> _Adder:
        return _Adder(self, subject, graph)


@dataclass(frozen=True)
class _Adder:
    """Appends quads about one subject in one graph, noting where a triple was stated."""

    compiled: Compiled
    subject: ox.NamedNode
    graph: ox.NamedNode

    def __call__(self, predicate: str, obj: Object, source: Location | None = None) -> None:
        quad = ox.Quad(self.subject, ox.NamedNode(predicate), obj, self.graph)
        self.compiled.quads.append(quad)
        if source:
            self.compiled.sources.triple(quad.triple, Source.at(source))


@dataclass(frozen=True)
class _At:
    """A place inside a loaded mapping file."""

    loaded: Loaded[Any]
    path: tuple[str | int, ...]

    def loc(self, *more: str | int) -> Location:
        return self.loaded.at(*self.path, *more)

    def __truediv__(self, more: tuple[str | int, ...]) -> _At:
        return _At(self.loaded, (*self.path, *more))


@dataclass(frozen=True)
class _Article:
    node: ox.NamedNode
    span: tuple[int, int]
    asserter: ox.NamedNode


@dataclass
class _Document:
    """What compiling one document's facts needs to know about it."""

    id: str
    source: SourceDocument
    graph: ox.NamedNode
    articles: dict[str, _Article]
    stats: DocumentStats
    spans: Spans

    @property
    def article_nodes(self) -> dict[str, ox.NamedNode]:
        return {key: article.node for key, article in self.articles.items()}


def compile_mappings(
    mappings: Mappings, ontology: Ontology, paths: Paths, *, include_drafts: bool = False
) -> Compiled:
    """Check every mapping against the ontology and the seeds; return the quads."""
    return _Compiler(mappings, ontology, paths, include_drafts).run()


class _Compiler:
    def __init__(self, mappings: Mappings, ontology: Ontology, paths: Paths, include_drafts: bool) -> None:
        self.mappings = mappings
        self.paths = paths
        self.include_drafts = include_drafts
        self.errors = ErrorCollector()
        self.result = Compiled()
        self.entities: dict[str, Location] = {}
        self.resolve = Resolver(ontology, self.entities, self.errors)
        self.evidence_of: dict[str, list[ox.NamedNode]] = {}  # "DOC.FACT" -> its evidence
        self.combinations: list[tuple[schema.Fact, _Document, _At]] = []

    def run(self) -> Compiled:
        declared = list(self._declared_entities())
        for entity, at in declared:
            if entity.id in self.entities:
                first = self.entities[entity.id]
                self.errors.add(
                    f"duplicate entity id '{entity.id}' (first declared at {first})", at.loc("id")
                )
            else:
                self.entities[entity.id] = at.loc("id")
        for entity, at in declared:
            self._entity(entity, at)
        for loaded, source in self._sources():
            self._document(loaded, source)
        for fact, doc, at in self.combinations:
            self._combination(fact, doc, at)
        self.errors.raise_if_any()
        return self.result

    # Entities ----------------------------------------------------------------

    def _declared_entities(self) -> Iterator[tuple[schema.Entity, _At]]:
        files: list[Loaded[Any]] = [*self.mappings.registry, *self.mappings.documents]
        for loaded in files:
            for i, entity in enumerate(loaded.model.entities):
                yield entity, _At(loaded, ("entities", i))

    def _entity(self, entity: schema.Entity, at: _At) -> None:
        node = ox.NamedNode(ENTITY[entity.id])
        self.result.sources.node(node, Source.at(at.loc("id")))
        add = self.result.adder(node, REGISTRY_GRAPH)
        if kind := self.resolve.cls(entity.kind, at.loc("kind")):
            add(RDF.type, kind, at.loc("kind"))
        add(DCTERMS.identifier, ox.Literal(entity.id))
        for literal in language_literals(entity.label):
            add(RDFS.label, literal, at.loc("label"))
        for lang, names in (("en", entity.variants.en), ("zh-Hans", entity.variants.zh)):
            for name in names:
                add(SKOS.altLabel, ox.Literal(name, language=lang), at.loc("variants"))
        for literal in language_literals(entity.description) if entity.description else []:
            add(SDO.description, literal, at.loc("description"))
        if entity.country and (country := self.resolve.curie(entity.country, at.loc("country"))):
            add(KG.country, country, at.loc("country"))
        if entity.parent and (parent := self.resolve.entity(entity.parent, at.loc("parent"))):
            add(ORG.subOrganizationOf, parent, at.loc("parent"))

    # Documents ---------------------------------------------------------------

    def _sources(self) -> Iterator[tuple[Loaded[schema.DocumentFile], SourceDocument]]:
        """Each document mapping with its seed file; one mapping per id and per seed."""
        ids: dict[str, Location] = {}
        paths: dict[Path, Location] = {}
        for loaded in self.mappings.documents:
            doc, here = loaded.model, loaded.at("document")
            try:
                if doc.id in ids:
                    raise KgError(
                        f"duplicate document id '{doc.id}' (also at {ids[doc.id]})", loaded.at("id")
                    )
                ids[doc.id] = loaded.at("id")
                path = resolve_seed(self.paths.seeds, doc.document, self.paths.root, here)
                if path in paths:
                    raise KgError(f"document '{doc.document}' is already mapped at {paths[path]}", here)
                paths[path] = here
                yield loaded, SourceDocument.read(path, path.relative_to(self.paths.root.resolve()))
            except KgError as exc:
                self.errors.extend(exc)

    def _document(self, loaded: Loaded[schema.DocumentFile], source: SourceDocument) -> None:
        doc_file = loaded.model
        node = ox.NamedNode(DOCUMENT[doc_file.id])
        doc = _Document(
            doc_file.id,
            source,
            ox.NamedNode(GRAPH[f"document-{doc_file.id}"]),
            {},
            self.result.documents.setdefault(doc_file.id, DocumentStats()),
            self.result.spans.setdefault(doc_file.id, Spans(source)),
        )
        self.result.sources.node(node, Source.at(loaded.at("document")))
        add = self.result.adder(node, doc.graph)
        add(RDF.type, ox.NamedNode(KG.Document))
        add(DCTERMS.identifier, ox.Literal(doc.id))
        add(RDFS.label, ox.Literal(f"document {doc.id}", language="en"))
        add(KG.sourcePath, ox.Literal(source.path.as_posix()))
        add(KG.sha256, ox.Literal(source.sha256))
        for i, article in enumerate(doc_file.articles):
            at = _At(loaded, ("articles", i))
            if article.id in doc.articles:
                self.errors.add(f"duplicate article id '{article.id}'", at.loc("id"))
            elif compiled := self._article(article, doc, node, at):
                doc.stats.articles += 1
                doc.articles[article.id] = compiled
                doc.spans.articles[article.id] = (*compiled.span, article.language[-1])
        for i, skip in enumerate(doc_file.skipped):
            self._skip(skip, doc, _At(loaded, ("skipped", i)))
        fact_ids: set[str] = set()
        for i, fact in enumerate(doc_file.facts):
            at = _At(loaded, ("facts", i))
            if fact.id in fact_ids:
                self.errors.add(f"duplicate fact id '{fact.id}'", at.loc("id"))
                continue
            fact_ids.add(fact.id)
            review = fact.review or doc_file.review
            if review.status != "reviewed" and not self.include_drafts:
                doc.stats.drafts_left_out += 1
            elif fact.combines:
                self.combinations.append((fact, doc, at))  # once every document's evidence is known
            else:
                self._fact(fact, review, doc, at)

    def _article(
        self, article: schema.Article, doc: _Document, document: ox.NamedNode, at: _At
    ) -> _Article | None:
        try:
            span = doc.source.span(*article.line_range)
        except ValueError as exc:
            self.errors.add(f"lines {article.lines}: {exc}", at.loc("lines"))
            return None
        node = ox.NamedNode(ARTICLE[f"{doc.id}.{article.id}"])
        self.result.sources.node(node, Source.at(at.loc("id")))
        add = self.result.adder(node, doc.graph)
        add(RDF.type, ox.NamedNode(KG.Article))
        add(DCTERMS.isPartOf, document)
        add(DCTERMS.identifier, ox.Literal(f"{doc.id}.{article.id}"))
        add(RDFS.label, ox.Literal(f"document {doc.id}, article {article.id}", language="en"))
        add(KG.startOffset, _offset(span[0]))
        add(KG.endOffset, _offset(span[1]))
        for lang in article.language:
            add(DCTERMS.language, ox.Literal(lang))
        for literal in language_literals(article.title) if article.title else []:
            self._verbatim(
                literal.value, doc, span, at.loc("title", "en" if literal.language == "en" else "zh")
            )
            add(DCTERMS.title, literal)
        if article.byline:
            self._verbatim(article.byline, doc, span, at.loc("byline"))
            add(KG.byline, ox.Literal(article.byline))
        if article.published:
            try:
                add(DCTERMS.issued, date_time(article.published))
            except ValueError as exc:
                self.errors.add(str(exc), at.loc("published"))
        asserter = node
        if article.outlet and (outlet := self.resolve.entity(article.outlet, at.loc("outlet"))):
            add(KG.outlet, outlet)
            asserter = outlet
        return _Article(node, span, asserter)

    def _verbatim(self, text: str, doc: _Document, span: tuple[int, int], location: Location) -> None:
        start = doc.source.text.find(text, *span)
        if start == -1:
            self.errors.add(f"not found verbatim in the article; {doc.source.nearest(text, span)}", location)
        else:
            doc.spans.mapped.append((start, start + len(text)))

    def _skip(self, skip: schema.Skip, doc: _Document, at: _At) -> None:
        """Account for every occurrence of the skipped text in its article, or anywhere in
        the document (page chrome outside the articles) when no article is given."""
        if skip.article and skip.article not in doc.articles:
            self.errors.add(f"unknown article '{skip.article}'", at.loc("article"))
            return
        span = doc.articles[skip.article].span if skip.article else (0, len(doc.source.text))
        hits = doc.source.occurrences(skip.quote, span)
        if not hits:
            self.errors.add(
                f"skipped text not found; {doc.source.nearest(skip.quote, span)}", at.loc("quote")
            )
        doc.spans.skipped.extend((h, h + len(skip.quote), skip.reason) for h in hits)

    # Facts -------------------------------------------------------------------

    def _fact(self, fact: schema.Fact, review: schema.Review, doc: _Document, at: _At) -> None:
        subject = self.resolve.ref(fact.subject, at.loc("subject"), doc.article_nodes)
        values = list(self._properties(fact, doc, at))
        evidence = [
            self._evidence(item, f"{doc.id}.{fact.id}.{i}", review, doc, at / ("evidence", i - 1))
            for i, item in enumerate(fact.evidence, 1)
        ]
        if subject is None or None in values or None in evidence:
            return
        self.evidence_of[f"{doc.id}.{fact.id}"] = evidence  # type: ignore[assignment]
        doc.stats.facts += 1
        doc.stats.quotes += len(evidence)
        for predicate, obj, here in values:  # type: ignore[misc]
            doc.stats.statements += 1
            triple = ox.Triple(subject, predicate, obj)
            self._statement(triple, evidence, doc.graph, Source.at(at.loc("id")))  # type: ignore[arg-type]
            for item in fact.evidence:
                self.result.sources.triple(triple, Source.at(here, item.quote))

    def _combination(self, fact: schema.Fact, doc: _Document, at: _At) -> None:
        """A value no single document states, supported by the evidence of the facts it
        combines, and marked as inferred (kg:derivation) with the reviewer's note."""
        subject = self.resolve.ref(fact.subject, at.loc("subject"), doc.article_nodes)
        values = list(self._properties(fact, doc, at))
        unknown = [(i, ref) for i, ref in enumerate(fact.combines) if ref not in self.evidence_of]
        for i, ref in unknown:
            self.errors.add(
                f"combines unknown fact '{ref}' (give DOCUMENT.FACT of a reviewed fact with quotes)",
                at.loc("combines", i),
            )
        if subject is None or None in values or unknown:
            return
        evidence = [node for ref in fact.combines for node in self.evidence_of[ref]]
        doc.stats.facts += 1
        for predicate, obj, here in values:  # type: ignore[misc]
            doc.stats.statements += 1
            triple = ox.Triple(subject, predicate, obj)
            node = self._statement(triple, evidence, doc.graph, Source.at(at.loc("id")))
            add = self.result.adder(node, doc.graph)
            add(KG.derivation, ox.NamedNode(KG.CombinedAcrossDocuments))
            for literal in language_literals(fact.note) if fact.note else []:
                add(KG.note, literal)
            self.result.sources.triple(triple, Source.at(here))

    def _properties(
        self, fact: schema.Fact, doc: _Document, at: _At
    ) -> Iterator[tuple[ox.NamedNode, Object, Location] | None]:
        """(predicate, object, where) for every value of every property; None for a bad one."""
        for key, values in fact.properties.items():
            prop = None if key == "a" else self.resolve.property(key, at.loc("properties", key))
            if key != "a" and prop is None:
                yield None
                continue
            for i, value in enumerate(values if isinstance(values, list) else [values]):
                here = at.loc("properties", key, *([i] if isinstance(values, list) else []))
                if prop is not None and not prop.takes_entity:
                    try:
                        yield from (
                            (ox.NamedNode(prop.iri), lit, here) for lit in typed_literal(value, prop.range)
                        )
                    except ValueError as exc:
                        self.errors.add(f"{key}: {exc}", here)
                        yield None
                elif not isinstance(value, str):
                    self.errors.add(f"{key} takes an id, not text in several languages", here)
                    yield None
                elif prop is None:
                    kind = self.resolve.cls(value, here)
                    yield (ox.NamedNode(RDF.type), kind, here) if kind else None
                else:
                    target = self.resolve.ref(value, here, doc.article_nodes)
                    yield (ox.NamedNode(prop.iri), target, here) if target else None

    def _evidence(
        self, item: schema.Evidence, key: str, review: schema.Review, doc: _Document, at: _At
    ) -> ox.NamedNode | None:
        article = self._article_of(item, doc, at)
        if article is None:
            return None
        try:
            match = doc.source.find(item.quote, article.span, item.occurrence)
        except ValueError as exc:
            self.errors.add(str(exc), at.loc("quote"))
            return None
        doc.spans.mapped.append((match.start, match.end))
        asserter = (
            self.resolve.ref(item.asserted_by, at.loc("asserted_by"), doc.article_nodes)
            if item.asserted_by
            else article.asserter
        )
        relays = [self.resolve.ref(v, at.loc("via", i), doc.article_nodes) for i, v in enumerate(item.via)]
        if asserter is None or None in relays:
            return None
        node = ox.NamedNode(EVIDENCE[key])
        self.result.sources.node(node, Source.at(at.loc("quote"), item.quote))
        add = self.result.adder(node, doc.graph)
        add(RDF.type, ox.NamedNode(KG.Evidence))
        add(PROV.wasDerivedFrom, article.node)
        add(OA.exact, ox.Literal(item.quote))
        if match.prefix:
            add(OA.prefix, ox.Literal(match.prefix))
        if match.suffix:
            add(OA.suffix, ox.Literal(match.suffix))
        add(OA.start, _offset(match.start))
        add(OA.end, _offset(match.end))
        add(KG.assertedBy, asserter)
        for relay in relays:
            add(KG.reportedVia, relay)  # type: ignore[arg-type]
        add(KG.stance, ox.NamedNode(STANCES[item.stance]))
        add(KG.reviewStatus, ox.NamedNode(KG.Reviewed if review.status == "reviewed" else KG.Draft))
        add(KG.reviewedBy, ox.Literal(review.reviewer))
        add(KG.reviewedOn, ox.Literal(review.date.isoformat(), datatype=ox.NamedNode(XSD.date)))
        return node

    def _article_of(self, item: schema.Evidence, doc: _Document, at: _At) -> _Article | None:
        if item.article is not None:
            if item.article not in doc.articles:
                known = ", ".join(doc.articles)
                self.errors.add(f"unknown article '{item.article}' (articles: {known})", at.loc("article"))
            return doc.articles.get(item.article)
        if len(doc.articles) != 1:
            self.errors.add("the document has several articles; say which with 'article:'", at.loc("quote"))
            return None
        return next(iter(doc.articles.values()))

    def _statement(
        self, triple: ox.Triple, evidence: list[ox.NamedNode], graph: ox.NamedNode, fact: Source
    ) -> ox.NamedNode:
        self.result.quads.append(ox.Quad(triple.subject, triple.predicate, triple.object, graph))
        node = statement_node(triple)
        self.result.sources.node(node, fact)
        add = self.result.adder(node, graph)
        add(RDF.type, ox.NamedNode(KG.Statement))
        add(RDF.subject, triple.subject)  # type: ignore[arg-type]
        add(RDF.predicate, triple.predicate)
        add(RDF.object, triple.object)  # type: ignore[arg-type]
        for item in evidence:
            add(KG.evidence, item)
        return node


def statement_node(triple: ox.Triple) -> ox.NamedNode:
    """The IRI of the statement of a triple: derived from the triple, so the same everywhere."""
    return ox.NamedNode(STATEMENT[hashlib.sha256(str(triple).encode()).hexdigest()[:20]])


def _offset(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=ox.NamedNode(XSD.nonNegativeInteger))
