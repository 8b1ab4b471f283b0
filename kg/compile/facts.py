"""Compiling facts: each (subject, property, value) written as a plain triple and as a
`kg:Statement` carrying one `kg:evidence` per quote, each quote re-found in its article.

A statement's IRI is derived from its triple, so the same fact stated by several
documents is one statement with several pieces of evidence.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pyoxigraph as ox

from kg.compile.context import Article, At, Claimed, Context, Document, Object, Unplaced, named, offset
from kg.compile.dating import Dated
from kg.compile.sourcemap import Source
from kg.compile.units import read_unit
from kg.compile.values import typed_literal
from kg.errors import Location
from kg.mapping import schema
from kg.mapping.dates import Expression, Placed, Yearless, place, read_wording
from kg.mapping.dates import parse as parse_date
from kg.mapping.load import Loaded
from kg.vocab import DCTERMS, EVIDENCE, KG, OA, PROV, RDF, STATEMENT, XSD, compact

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
        review = doc_file.review_of(fact)
        if not review.reviewed and not ctx.include_drafts:
            doc.stats.drafts_left_out += 1
        elif fact.combines:
            ctx.combinations.append((fact, doc, at))
        else:
            _fact(ctx, fact, review, doc, at)


def _fact(ctx: Context, fact: schema.Fact, review: schema.Review, doc: Document, at: At) -> None:
    subject = ctx.resolve.ref(fact.subject, at.loc("subject"), doc.article_nodes)
    values = list(property_values(ctx, fact, doc, at))
    cited = [
        _evidence(ctx, item, f"{doc.id}.{fact.id}.{i}", review, doc, at / ("evidence", i - 1))
        for i, item in enumerate(fact.evidence, 1)
    ]
    if subject is None or None in values or None in cited:
        return
    articles = [article for article, _ in cited]  # type: ignore[misc]
    evidence = [node for _, node in cited]  # type: ignore[misc]
    ctx.evidence_of[f"{doc.id}.{fact.id}"] = evidence
    for article, node in cited:  # type: ignore[misc]
        ctx.reported.setdefault(subject, {}).setdefault(article, []).append(node)
    doc.stats.facts += 1
    doc.stats.quotes += len(evidence)
    quotes = [item.quote for item in fact.evidence]
    claim = ctx.resolve.entity(fact.claim, at.loc("claim")) if fact.claim else None
    for predicate, obj, here in values:  # type: ignore[misc]
        doc.stats.statements += 1
        fact_source = Source.at(at.loc("id"))
        if isinstance(obj, DateText):
            made = date_statement(
                ctx,
                subject,
                predicate,
                obj,
                _reference(articles),
                evidence,
                quotes,
                doc,
                here,
                fact_source,
                f"{doc.id}.{fact.id}",
            )
        else:
            triple = ox.Triple(subject, predicate, obj)
            made = triple, statement(ctx, triple, evidence, doc.graph, fact_source)
        if made:
            for quote in quotes:
                ctx.result.sources.triple(made[0], Source.at(here, quote))
            if claim:
                ctx.claimed.append(Claimed(claim, made[1], made[0], doc.graph))


def _reference(articles: list[Article]) -> Placed | None:
    """The reference time of a fact: that of its articles (all of them, when it has quotes
    from several)."""
    references = [article.reference for article in articles]
    if not references or None in references:
        return None
    first = references[0]
    assert first is not None
    bounds = first.bounds
    for other in references[1:]:
        assert other is not None
        bounds = bounds.hull(other.bounds)
    return (
        first if all(r == first for r in references) else Placed(f"{bounds.earliest}/{bounds.latest}", bounds)
    )


def date_statement(
    ctx: Context,
    subject: ox.NamedNode,
    predicate: ox.NamedNode,
    text: DateText,
    reference: Placed | None,
    evidence: list[ox.NamedNode],
    quotes: list[str],
    doc: Document,
    here: Location,
    fact: Source,
    key: str,
) -> tuple[ox.Triple, ox.NamedNode] | None:
    """A dated value's triple and statement: placed against the reference time when the text
    gives no year or relative words (marked, with the words kept), ranked later
    (kg.compile.dating)."""
    if text.said and not any(text.written in quote for quote in quotes):
        ctx.errors.add(f"the words '{text.written}' are not in the fact's quote(s)", here)
        return None
    try:
        value: Placed | Yearless = place(text.expression, reference)
    except LookupError as exc:
        if not isinstance(text.expression, Yearless):
            ctx.errors.add(f"cannot place '{text.written}': {exc}; give the article a reference time", here)
            return None
        value = text.expression
        ctx.result.unplaced.append(Unplaced(here, text.written, str(exc)))
    resolved = not isinstance(text.expression, Placed)
    triple = ox.Triple(subject, predicate, ctx.date(value))
    node = statement(
        ctx, triple, evidence, doc.graph, fact, plain=False, key=f"resolved:{key}" if resolved else None
    )
    add = ctx.result.adder(node, doc.graph)
    if resolved and isinstance(value, Placed):
        add(KG.derivation, ox.NamedNode(KG.ResolvedAgainstReferenceTime))
    if resolved or text.said:
        add(KG.statedAs, ox.Literal(text.written))
    ctx.dated.append(Dated(subject, predicate, value, node, doc.graph))
    if isinstance(value, Yearless):
        doc.stats.dates_unplaced += 1
    elif resolved:
        doc.stats.dates_resolved += 1
    else:
        doc.stats.dates_stated += 1
    return triple, node


@dataclass(frozen=True)
class DateText:
    """A date value as the mapping writes it: EDTF, or the text's words (`said`)."""

    expression: Expression
    written: str
    said: bool


def property_values(
    ctx: Context, fact: schema.Fact, doc: Document, at: At
) -> Iterator[tuple[ox.NamedNode, Object | DateText, Location] | None]:
    """(predicate, object, where) for every value of every property; None for a bad one."""
    for key, values in fact.properties.items():
        prop = None if key == "a" else ctx.resolve.property(key, at.loc("properties", key))
        if key != "a" and prop is None:
            yield None
            continue
        for i, value in enumerate(values if isinstance(values, list) else [values]):
            here = at.loc("properties", key, *([i] if isinstance(values, list) else []))
            if prop is not None and prop.range == str(KG.DateInterval):
                yield _date_text(ctx, prop.iri, value, key, here)
            elif prop is not None and prop.iri == str(KG.unit):
                yield from _unit(ctx, value, here)
            elif isinstance(value, schema.Said):
                ctx.errors.add(f"{key} is not a date: 'said' is only for dates", here)
                yield None
            elif prop is not None and not prop.takes_entity:
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


def _unit(
    ctx: Context, value: schema.Value, here: Location
) -> Iterator[tuple[ox.NamedNode, Object, Location] | None]:
    """A unit as the text gives it (`USD/kg`): its currency (kg:currency, ISO 4217) and the
    QUDT unit of the rest (kg:unit), which the units vocabulary must declare."""
    if not isinstance(value, str):
        ctx.errors.add("kg:unit takes a unit such as percent, count, CNY or USD/kg", here)
        yield None
        return
    try:
        unit = read_unit(value)
    except ValueError as exc:
        ctx.errors.add(f"kg:unit: {exc}", here)
        yield None
        return
    if unit.currency:
        yield ox.NamedNode(KG.currency), ox.Literal(unit.currency), here
    if unit.qudt:
        if unit.qudt not in ctx.resolve.ontology.individuals:
            ctx.errors.add(f"kg:unit: '{value}' is {compact(unit.qudt)}, not in the units vocabulary", here)
            yield None
            return
        yield ox.NamedNode(KG.unit), ox.NamedNode(unit.qudt), here


def _date_text(
    ctx: Context, iri: str, value: schema.Value, key: str, here: Location
) -> tuple[ox.NamedNode, DateText, Location] | None:
    try:
        if isinstance(value, schema.Said):
            return ox.NamedNode(iri), DateText(read_wording(value.said), value.said, True), here
        if isinstance(value, str):
            return ox.NamedNode(iri), DateText(parse_date(value), value, False), here
        ctx.errors.add(f'{key} takes a date: EDTF (e.g. "2025-04") or {{said: the text\'s words}}', here)
    except ValueError as exc:
        ctx.errors.add(f"{key}: {exc}", here)
    return None


def _evidence(
    ctx: Context, item: schema.Evidence, key: str, review: schema.Review, doc: Document, at: At
) -> tuple[Article, ox.NamedNode] | None:
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
    add(KG.reviewStatus, ox.NamedNode(KG.Reviewed if review.reviewed else KG.Draft))
    add(KG.reviewedBy, ox.Literal(review.reviewer))
    add(KG.reviewedOn, ox.Literal(review.date.isoformat(), datatype=ox.NamedNode(XSD.date)))
    return article, node


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
    ctx: Context,
    triple: ox.Triple,
    evidence: list[ox.NamedNode],
    graph: ox.NamedNode,
    fact: Source,
    *,
    plain: bool = True,
    key: str | None = None,
) -> ox.NamedNode:
    """The statement node with its evidence, and (unless ranked later) the plain triple. A
    derived statement has a `key` saying how, so it is not merged with a stated one."""
    subject, predicate, obj = triple.subject, triple.predicate, triple.object
    if plain:
        ctx.result.quads.add(graph, subject, predicate, obj)
    node = statement_node(triple, key)
    ctx.result.sources.node(node, fact)
    add = ctx.result.adder(node, graph)
    add(RDF.type, named(KG.Statement))
    add(RDF.subject, subject)  # type: ignore[arg-type]
    add(RDF.predicate, predicate)
    add(RDF.object, obj)  # type: ignore[arg-type]
    for item in evidence:
        add(KG.evidence, item)
    return node


def statement_node(triple: ox.Triple, key: str | None = None) -> ox.NamedNode:
    """The IRI of the statement of a triple: derived from the triple (and, for a derived
    statement, how it was derived), so the same everywhere."""
    text = str(triple) if key is None else f"{triple} {key}"
    return ox.NamedNode(STATEMENT[hashlib.sha256(text.encode()).hexdigest()[:20]])
