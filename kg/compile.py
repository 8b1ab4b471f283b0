"""Compiling mapping files into quads: entities, documents, articles, facts, evidence.

Each fact's (subject, property, value) triples are written twice: as plain triples for
simple queries, and as `kg:Statement` nodes (rdf:subject/predicate/object) carrying one
`kg:evidence` per quote. A statement's IRI is derived from its triple, so the same fact
stated by several documents is one statement with several pieces of evidence.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg import schema
from kg.errors import ErrorCollector, KgError, Location
from kg.mappings import Loaded, Mappings
from kg.ontology import Ontology, Property
from kg.reference import country_codes, element_symbols
from kg.sources import SourceDocument, resolve_seed
from kg.values import date_time, language_literals, typed_literal
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
    "reported": "Reported",
    "rumoured": "Rumoured",
    "alleged": "Alleged",
    "officially-stated": "OfficiallyStated",
    "denied": "Denied",
}


@dataclass(frozen=True)
class Paths:
    """Where inputs live, and how to show them in messages (relative to the project)."""

    root: Path
    seeds: Path


@dataclass
class DocumentStats:
    facts: int = 0
    drafts_left_out: int = 0
    statements: int = 0
    quotes: int = 0


@dataclass
class Compiled:
    quads: list[ox.Quad] = field(default_factory=list)
    documents: dict[str, DocumentStats] = field(default_factory=dict)


@dataclass(frozen=True)
class _Article:
    node: ox.NamedNode
    span: tuple[int, int]
    asserter: ox.NamedNode


def compile_mappings(
    mappings: Mappings, ontology: Ontology, paths: Paths, *, include_drafts: bool = False
) -> Compiled:
    """Check every mapping against the ontology and the seeds; return the quads."""
    return _Compiler(mappings, ontology, paths, include_drafts).run()


class _Compiler:
    def __init__(self, mappings: Mappings, ontology: Ontology, paths: Paths, include_drafts: bool) -> None:
        self.mappings = mappings
        self.ontology = ontology
        self.paths = paths
        self.include_drafts = include_drafts
        self.errors = ErrorCollector()
        self.result = Compiled()
        self.entities: dict[str, Location] = {}

    def run(self) -> Compiled:
        declared = list(self._declared_entities())
        for entity, location, _ in declared:
            if entity.id in self.entities:
                self.errors.add(
                    f"duplicate entity id '{entity.id}' (first declared at {self.entities[entity.id]})",
                    location,
                )
            else:
                self.entities[entity.id] = location
        for entity, _, loaded_at in declared:
            self._entity(entity, loaded_at)
        seen_ids: dict[str, Location] = {}
        seen_paths: dict[Path, Location] = {}
        for loaded in self.mappings.documents:
            doc = loaded.model
            if doc.id in seen_ids:
                self.errors.add(
                    f"duplicate document id '{doc.id}' (also at {seen_ids[doc.id]})",
                    loaded.at("id"),
                )
                continue
            seen_ids[doc.id] = loaded.at("id")
            try:
                path = resolve_seed(self.paths.seeds, doc.document, self.paths.root, loaded.at("document"))
            except KgError as exc:
                self.errors.extend(exc)
                continue
            if path in seen_paths:
                self.errors.add(
                    f"document '{doc.document}' is already mapped at {seen_paths[path]}",
                    loaded.at("document"),
                )
                continue
            seen_paths[path] = loaded.at("document")
            try:
                source = SourceDocument.read(path, path.relative_to(self.paths.root.resolve()))
            except KgError as exc:
                self.errors.extend(exc)
                continue
            self._document(loaded, source)
        self.errors.raise_if_any()
        return self.result

    # Entities ----------------------------------------------------------------

    def _declared_entities(self) -> Iterator[tuple[schema.Entity, Location, _At]]:
        for registry in self.mappings.registry:
            for i, entity in enumerate(registry.model.entities):
                yield entity, registry.at("entities", i, "id"), _At(registry, ("entities", i))
        for document in self.mappings.documents:
            for i, entity in enumerate(document.model.entities):
                yield entity, document.at("entities", i, "id"), _At(document, ("entities", i))

    def _entity(self, entity: schema.Entity, at: _At) -> None:
        node = ox.NamedNode(ENTITY[entity.id])
        add = self._adder(node, REGISTRY_GRAPH)
        kind = self._class(entity.kind, at.loc("kind"))
        if kind:
            add(RDF.type, kind)
        add(DCTERMS.identifier, ox.Literal(entity.id))
        for literal in language_literals(entity.label):
            add(RDFS.label, literal)
        for lang, names in (("en", entity.variants.en), ("zh-Hans", entity.variants.zh)):
            for name in names:
                add(SKOS.altLabel, ox.Literal(name, language=lang))
        if entity.description:
            for literal in language_literals(entity.description):
                add(SDO.description, literal)
        if entity.country:
            country = self._reference(entity.country, at.loc("country"))
            if country:
                add(KG.country, country)
        if entity.parent:
            parent = self._entity_ref(entity.parent, at.loc("parent"))
            if parent:
                add(ORG.subOrganizationOf, parent)

    # Documents ---------------------------------------------------------------

    def _document(self, loaded: Loaded[schema.DocumentFile], source: SourceDocument) -> None:
        doc = loaded.model
        graph = ox.NamedNode(GRAPH[f"document-{doc.id}"])
        node = ox.NamedNode(DOCUMENT[doc.id])
        add = self._adder(node, graph)
        add(RDF.type, ox.NamedNode(KG.Document))
        add(DCTERMS.identifier, ox.Literal(doc.id))
        add(RDFS.label, ox.Literal(f"document {doc.id}", language="en"))
        add(KG.sourcePath, ox.Literal(source.path.as_posix()))
        add(KG.sha256, ox.Literal(source.sha256))
        articles: dict[str, _Article] = {}
        for i, article in enumerate(doc.articles):
            at = _At(loaded, ("articles", i))
            if article.id in articles:
                self.errors.add(f"duplicate article id '{article.id}'", at.loc("id"))
                continue
            compiled = self._article(article, doc.id, node, source, graph, at)
            if compiled:
                articles[article.id] = compiled
        stats = self.result.documents.setdefault(doc.id, DocumentStats())
        fact_ids: set[str] = set()
        for i, fact in enumerate(doc.facts):
            at = _At(loaded, ("facts", i))
            if fact.id in fact_ids:
                self.errors.add(f"duplicate fact id '{fact.id}'", at.loc("id"))
                continue
            fact_ids.add(fact.id)
            review = fact.review or doc.review
            if review.status != "reviewed" and not self.include_drafts:
                stats.drafts_left_out += 1
                continue
            self._fact(fact, review, doc.id, articles, source, graph, stats, at)

    def _article(
        self,
        article: schema.Article,
        doc_id: str,
        document: ox.NamedNode,
        source: SourceDocument,
        graph: ox.NamedNode,
        at: _At,
    ) -> _Article | None:
        try:
            span = source.span(*article.line_range)
        except ValueError as exc:
            self.errors.add(f"lines {article.lines}: {exc}", at.loc("lines"))
            return None
        node = ox.NamedNode(ARTICLE[f"{doc_id}.{article.id}"])
        add = self._adder(node, graph)
        add(RDF.type, ox.NamedNode(KG.Article))
        add(DCTERMS.isPartOf, document)
        add(DCTERMS.identifier, ox.Literal(f"{doc_id}.{article.id}"))
        add(KG.startOffset, ox.Literal(str(span[0]), datatype=ox.NamedNode(XSD.nonNegativeInteger)))
        add(KG.endOffset, ox.Literal(str(span[1]), datatype=ox.NamedNode(XSD.nonNegativeInteger)))
        for lang in article.language:
            add(DCTERMS.language, ox.Literal(lang))
        add(RDFS.label, ox.Literal(f"document {doc_id}, article {article.id}", language="en"))
        if article.title:
            for literal in language_literals(article.title):
                key = "en" if literal.language == "en" else "zh"
                self._verbatim(literal.value, source, span, at.loc("title", key))
                add(DCTERMS.title, literal)
        if article.byline:
            self._verbatim(article.byline, source, span, at.loc("byline"))
            add(KG.byline, ox.Literal(article.byline))
        if article.published:
            try:
                add(DCTERMS.issued, date_time(article.published))
            except ValueError as exc:
                self.errors.add(str(exc), at.loc("published"))
        asserter = node
        if article.outlet:
            outlet = self._entity_ref(article.outlet, at.loc("outlet"))
            if outlet:
                add(KG.outlet, outlet)
                asserter = outlet
        return _Article(node, span, asserter)

    def _verbatim(self, text: str, source: SourceDocument, span: tuple[int, int], location: Location) -> None:
        if source.text.find(text, *span) == -1:
            self.errors.add(f"not found verbatim in the article; {source.nearest(text, span)}", location)

    # Facts -------------------------------------------------------------------

    def _fact(
        self,
        fact: schema.Fact,
        review: schema.Review,
        doc_id: str,
        articles: dict[str, _Article],
        source: SourceDocument,
        graph: ox.NamedNode,
        stats: DocumentStats,
        at: _At,
    ) -> None:
        subject = self._ref(fact.subject, at.loc("subject"), articles)
        triples = list(self._triples(fact, articles, at))
        evidence = [
            node
            for i, item in enumerate(fact.evidence, 1)
            if (
                node := self._evidence(
                    item,
                    i,
                    fact.id,
                    review,
                    doc_id,
                    articles,
                    source,
                    graph,
                    _At(at.loaded, (*at.path, "evidence", i - 1)),
                )
            )
        ]
        if subject is None or len(evidence) != len(fact.evidence) or None in triples:
            return
        stats.facts += 1
        stats.quotes += len(evidence)
        for predicate, obj in triples:  # type: ignore[misc]
            stats.statements += 1
            self._statement(subject, predicate, obj, evidence, graph)

    def _triples(
        self, fact: schema.Fact, articles: dict[str, _Article], at: _At
    ) -> Iterator[tuple[ox.NamedNode, ox.NamedNode | ox.Literal] | None]:
        for key, values in fact.properties.items():
            location = at.loc("properties", key)
            prop = None if key == "a" else self._property(key, location)
            if key != "a" and prop is None:
                yield None
                continue
            for i, value in enumerate(_listed(values)):
                item = at.loc("properties", key, i) if isinstance(values, list) else location
                if prop is None or prop.takes_entity:
                    if not isinstance(value, str):
                        self.errors.add(f"{key} takes an id, not text in several languages", item)
                        yield None
                        continue
                    if prop is None:
                        kind = self._class(value, item)
                        yield (ox.NamedNode(RDF.type), kind) if kind else None
                    else:
                        target = self._ref(value, item, articles)
                        yield (ox.NamedNode(prop.iri), target) if target else None
                    continue
                try:
                    for literal in typed_literal(value, prop.range):
                        yield ox.NamedNode(prop.iri), literal
                except ValueError as exc:
                    self.errors.add(f"{key}: {exc}", item)
                    yield None

    def _evidence(
        self,
        item: schema.Evidence,
        number: int,
        fact_id: str,
        review: schema.Review,
        doc_id: str,
        articles: dict[str, _Article],
        source: SourceDocument,
        graph: ox.NamedNode,
        at: _At,
    ) -> ox.NamedNode | None:
        article = self._pick_article(item, articles, at)
        if article is None:
            return None
        try:
            match = source.find(item.quote, article.span, item.occurrence)
        except ValueError as exc:
            self.errors.add(str(exc), at.loc("quote"))
            return None
        node = ox.NamedNode(EVIDENCE[f"{doc_id}.{fact_id}.{number}"])
        asserter = (
            self._ref(item.asserted_by, at.loc("asserted_by"), articles)
            if item.asserted_by
            else article.asserter
        )
        via = [self._ref(v, at.loc("via", i), articles) for i, v in enumerate(item.via)]
        if asserter is None or None in via:
            return None
        add = self._adder(node, graph)
        add(RDF.type, ox.NamedNode(KG.Evidence))
        add(PROV.wasDerivedFrom, article.node)
        add(OA.exact, ox.Literal(item.quote))
        if match.prefix:
            add(OA.prefix, ox.Literal(match.prefix))
        if match.suffix:
            add(OA.suffix, ox.Literal(match.suffix))
        add(OA.start, ox.Literal(str(match.start), datatype=ox.NamedNode(XSD.nonNegativeInteger)))
        add(OA.end, ox.Literal(str(match.end), datatype=ox.NamedNode(XSD.nonNegativeInteger)))
        add(KG.assertedBy, asserter)
        for relay in via:
            add(KG.reportedVia, relay)  # type: ignore[arg-type]
        add(KG.stance, ox.NamedNode(KG[STANCES[item.stance]]))
        add(KG.reviewStatus, ox.NamedNode(KG.Reviewed if review.status == "reviewed" else KG.Draft))
        add(KG.reviewedBy, ox.Literal(review.reviewer))
        add(KG.reviewedOn, ox.Literal(review.date.isoformat(), datatype=ox.NamedNode(XSD.date)))
        return node

    def _pick_article(self, item: schema.Evidence, articles: dict[str, _Article], at: _At) -> _Article | None:
        if item.article is not None:
            if item.article not in articles:
                self.errors.add(
                    f"unknown article '{item.article}' (articles: {', '.join(articles)})",
                    at.loc("article"),
                )
            return articles.get(item.article)
        if len(articles) != 1:
            self.errors.add("the document has several articles; say which with 'article:'", at.loc("quote"))
            return None
        return next(iter(articles.values()))

    def _statement(
        self,
        subject: ox.NamedNode,
        predicate: ox.NamedNode,
        obj: ox.NamedNode | ox.Literal,
        evidence: list[ox.NamedNode],
        graph: ox.NamedNode,
    ) -> None:
        triple = ox.Triple(subject, predicate, obj)
        node = ox.NamedNode(STATEMENT[hashlib.sha256(str(triple).encode()).hexdigest()[:20]])
        quads = self.result.quads
        quads.append(ox.Quad(subject, predicate, obj, graph))
        add = self._adder(node, graph)
        add(RDF.type, ox.NamedNode(KG.Statement))
        add(RDF.subject, subject)
        add(RDF.predicate, predicate)
        add(RDF.object, obj)
        for item in evidence:
            add(KG.evidence, item)

    # References --------------------------------------------------------------

    def _ref(self, ref: str, location: Location, articles: dict[str, _Article]) -> ox.NamedNode | None:
        """An entity id, `article:ID` of this document, or a CURIE of reference data or a term."""
        if ref.startswith("article:"):
            article = articles.get(ref.removeprefix("article:"))
            if article is None:
                self.errors.add(f"unknown article '{ref}'", location)
            return article.node if article else None
        if ":" in ref:
            return self._reference(ref, location)
        return self._entity_ref(ref, location)

    def _entity_ref(self, ref: str, location: Location) -> ox.NamedNode | None:
        if ref not in self.entities:
            self.errors.add(f"unknown entity '{ref}' (declare it in mappings/registry/)", location)
            return None
        return ox.NamedNode(ENTITY[ref])

    def _reference(self, curie: str, location: Location) -> ox.NamedNode | None:
        iri = self.ontology.expand(curie)
        prefix, _, local = curie.partition(":")
        if prefix == "country":
            known = local in country_codes()
        elif prefix == "element":
            known = local in element_symbols()
        elif prefix == "ent":
            known = local in self.entities
        else:
            known = iri in self.ontology.individuals
        if iri is None or not known:
            self.errors.add(f"unknown reference '{curie}'", location)
            return None
        return ox.NamedNode(iri)

    def _class(self, curie: str, location: Location) -> ox.NamedNode | None:
        iri = self.ontology.expand(curie)
        if iri is None or iri not in self.ontology.classes:
            self.errors.add(f"unknown class '{curie}' (not declared in ontology/)", location)
            return None
        return ox.NamedNode(iri)

    def _property(self, curie: str, location: Location) -> Property | None:
        iri = self.ontology.expand(curie)
        prop = self.ontology.properties.get(iri) if iri else None
        if prop is None:
            self.errors.add(f"unknown property '{curie}' (not declared in ontology/)", location)
        elif prop.set_by_build:
            self.errors.add(f"property '{curie}' is written by the build, not by mappings", location)
            return None
        return prop

    def _adder(
        self, subject: ox.NamedNode, graph: ox.NamedNode
    ) -> Callable[[str, ox.NamedNode | ox.Literal], None]:
        quads = self.result.quads

        def add(predicate: str, obj: ox.NamedNode | ox.Literal) -> None:
            quads.append(ox.Quad(subject, ox.NamedNode(predicate), obj, graph))

        return add


@dataclass(frozen=True)
class _At:
    """A place inside a loaded mapping file."""

    loaded: Loaded[Any]
    path: tuple[str | int, ...]

    def loc(self, *more: str | int) -> Location:
        return self.loaded.at(*self.path, *more)


def _listed(values: schema.Value | list[schema.Value]) -> list[schema.Value]:
    return values if isinstance(values, list) else [values]
