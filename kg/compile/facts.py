"""Compiling facts: each (subject, property, value) written as a plain triple and as a
`kg:Statement` carrying one `kg:evidence` per quote, each quote re-found in its article.

A statement's IRI is derived from its triple, so the same fact stated by several
documents is one statement with several pieces of evidence.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator

import pyoxigraph as ox

from kg.compile.context import Article, At, Context, Document, Object, offset
from kg.compile.sourcemap import Source
from kg.compile.values import typed_literal
from kg.errors import Location
from kg.mapping import schema
from kg.mapping.load import Loaded
from kg.vocab import DCTERMS, EVIDENCE, KG, OA, PROV, RDF, STATEMENT, XSD

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z]+")
STANCES = {
    "reported": KG.Reported,
    "rumoured": KG.Rumoured,
    "alleged": KG.Alleged,
    "officially-stated": KG.OfficiallyStated,
    "denied": KG.Denied,
}


def compile_facts(ctx: Context, loaded: Loaded[schema.DocumentFile], doc: Document) -> None:
    """Every reviewed fact of a document (drafts too when asked); facts that combine other
    documents' facts wait in `ctx.combinations` until every document's evidence is known."""
    doc_file = loaded.model
    fact_ids: set[str] = set()
    for i, fact in enumerate(doc_file.facts):
        at = At(loaded, ("facts", i))
        if fact.id in fact_ids:
            ctx.errors.add(f"duplicate fact id '{fact.id}'", at.loc("id"))
            continue
        fact_ids.add(fact.id)
        review = fact.review or doc_file.review
        if review.status != "reviewed" and not ctx.include_drafts:
            doc.stats.drafts_left_out += 1
        elif fact.combines:
            ctx.combinations.append((fact, doc, at))
        else:
            _fact(ctx, fact, review, doc, at)


def _fact(ctx: Context, fact: schema.Fact, review: schema.Review, doc: Document, at: At) -> None:
    subject = ctx.resolve.ref(fact.subject, at.loc("subject"), doc.article_nodes)
    values = list(property_values(ctx, fact, doc, at))
    evidence = [
        _evidence(ctx, item, f"{doc.id}.{fact.id}.{i}", review, doc, at / ("evidence", i - 1))
        for i, item in enumerate(fact.evidence, 1)
    ]
    if subject is None or None in values or None in evidence:
        return
    ctx.evidence_of[f"{doc.id}.{fact.id}"] = evidence  # type: ignore[assignment]
    doc.stats.facts += 1
    doc.stats.quotes += len(evidence)
    for predicate, obj, here in values:  # type: ignore[misc]
        doc.stats.statements += 1
        triple = ox.Triple(subject, predicate, obj)
        statement(ctx, triple, evidence, doc.graph, Source.at(at.loc("id")))  # type: ignore[arg-type]
        for item in fact.evidence:
            ctx.result.sources.triple(triple, Source.at(here, item.quote))


def property_values(
    ctx: Context, fact: schema.Fact, doc: Document, at: At
) -> Iterator[tuple[ox.NamedNode, Object, Location] | None]:
    """(predicate, object, where) for every value of every property; None for a bad one."""
    for key, values in fact.properties.items():
        prop = None if key == "a" else ctx.resolve.property(key, at.loc("properties", key))
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
                    ctx.errors.add(f"{key}: {exc}", here)
                    yield None
            elif not isinstance(value, str):
                ctx.errors.add(f"{key} takes an id, not text in several languages", here)
                yield None
            elif prop is None:
                kind = ctx.resolve.cls(value, here)
                yield (ox.NamedNode(RDF.type), kind, here) if kind else None
            else:
                target = ctx.resolve.ref(value, here, doc.article_nodes)
                yield (ox.NamedNode(prop.iri), target, here) if target else None


def _evidence(
    ctx: Context, item: schema.Evidence, key: str, review: schema.Review, doc: Document, at: At
) -> ox.NamedNode | None:
    article = _article_of(ctx, item, doc, at)
    if article is None:
        return None
    try:
        match = doc.source.find(item.quote, article.span, item.occurrence)
    except ValueError as exc:
        ctx.errors.add(str(exc), at.loc("quote"))
        return None
    doc.spans.mapped.append((match.start, match.end))
    asserter = (
        ctx.resolve.ref(item.asserted_by, at.loc("asserted_by"), doc.article_nodes)
        if item.asserted_by
        else article.asserter
    )
    relays = [ctx.resolve.ref(v, at.loc("via", i), doc.article_nodes) for i, v in enumerate(item.via)]
    if asserter is None or None in relays:
        return None
    node = ox.NamedNode(EVIDENCE[key])
    ctx.result.sources.node(node, Source.at(at.loc("quote"), item.quote))
    add = ctx.result.adder(node, doc.graph)
    add(RDF.type, ox.NamedNode(KG.Evidence))
    add(PROV.wasDerivedFrom, article.node)
    add(OA.exact, ox.Literal(item.quote))
    add(DCTERMS.language, ox.Literal(quote_language(item.quote, article.languages)))
    if match.prefix:
        add(OA.prefix, ox.Literal(match.prefix))
    if match.suffix:
        add(OA.suffix, ox.Literal(match.suffix))
    add(OA.start, offset(match.start))
    add(OA.end, offset(match.end))
    add(KG.assertedBy, asserter)
    for relay in relays:
        add(KG.reportedVia, relay)  # type: ignore[arg-type]
    add(KG.stance, ox.NamedNode(STANCES[item.stance]))
    add(KG.reviewStatus, ox.NamedNode(KG.Reviewed if review.status == "reviewed" else KG.Draft))
    add(KG.reviewedBy, ox.Literal(review.reviewer))
    add(KG.reviewedOn, ox.Literal(review.date.isoformat(), datatype=ox.NamedNode(XSD.date)))
    return node


def quote_language(quote: str, languages: tuple[str, ...]) -> str:
    """The language a quote is written in, as its article tags it: Chinese when the quote has
    more Han characters than Latin words (a Chinese title naming "H20" is Chinese, an English
    sentence naming 蔚来 is English), else the article's other language; a quote in neither of
    the article's languages gets "zh" if Chinese, else the article's first language."""
    chinese = len(_HAN.findall(quote)) > len(_LATIN_WORD.findall(quote))
    same = [tag for tag in languages if (tag.split("-")[0].lower() == "zh") == chinese]
    return same[0] if same else ("zh" if chinese else languages[0])


def _article_of(ctx: Context, item: schema.Evidence, doc: Document, at: At) -> Article | None:
    if item.article is not None:
        if item.article not in doc.articles:
            known = ", ".join(doc.articles)
            ctx.errors.add(f"unknown article '{item.article}' (articles: {known})", at.loc("article"))
        return doc.articles.get(item.article)
    if len(doc.articles) != 1:
        ctx.errors.add("the document has several articles; say which with 'article:'", at.loc("quote"))
        return None
    return next(iter(doc.articles.values()))


def statement(
    ctx: Context, triple: ox.Triple, evidence: list[ox.NamedNode], graph: ox.NamedNode, fact: Source
) -> ox.NamedNode:
    """The plain triple, and its statement node with the evidence."""
    ctx.result.quads.append(ox.Quad(triple.subject, triple.predicate, triple.object, graph))
    node = statement_node(triple)
    ctx.result.sources.node(node, fact)
    add = ctx.result.adder(node, graph)
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
