"""The last pass of compiling, once every document's facts are known: the statements of
inferred reference times (with the evidence they rest on), the dates each article reported
events, policies and claims on, what claims assert and which of it is contested
(kg.compile.contest), and the ranks of dated values (kg.compile.dating). A contested value
is left out of the plain layer."""

from __future__ import annotations

import pyoxigraph as ox

from kg.compile.contest import contest, normal_ranks
from kg.compile.context import Context
from kg.compile.dating import settle as rank_dates
from kg.compile.facts import statement
from kg.compile.sourcemap import Source
from kg.compile.values import language_literals
from kg.vocab import KG, RDF, RDFS

# Kinds of things that happen, or are said, at a time: each gets the date its articles
# reported it on, apart from the date it happened.
REPORTED_KINDS = tuple(KG._NS[name] for name in ("Event", "Policy", "Claim"))


def settle(ctx: Context) -> None:
    _inferred_references(ctx)
    _reported_on(ctx)
    contested, disputed = contest(ctx)
    ctx.result.quads.extend(rank_dates(ctx.dated, disputed))
    ctx.result.quads.extend(normal_ranks(ctx, disputed, {item.statement for item in ctx.dated}))
    ctx.result.quads.discard(contested)


def _inferred_references(ctx: Context) -> None:
    for inferred in ctx.references:
        unknown = [ref for ref in inferred.reference.based_on if ref not in ctx.evidence_of]
        for i, ref in enumerate(inferred.reference.based_on):
            if ref in unknown:
                ctx.errors.add(
                    f"based_on unknown fact '{ref}' (give DOCUMENT.FACT of a reviewed fact with quotes)",
                    inferred.at.loc("reference", "based_on", i),
                )
        if unknown:
            continue
        evidence = [node for ref in inferred.reference.based_on for node in ctx.evidence_of[ref]]
        triple = ox.Triple(inferred.article, ox.NamedNode(KG.referenceTime), ctx.date(inferred.value))
        source = Source.at(inferred.at.loc("reference"))
        node = statement(ctx, triple, evidence, inferred.graph, source, plain=False, key="inferred")
        add = ctx.result.adder(node, inferred.graph)
        add(KG.derivation, ox.NamedNode(KG.InferredReferenceTime))
        for literal in language_literals(inferred.reference.note):
            add(KG.note, literal)
        ctx.result.sources.triple(triple, source)


def _reported_on(ctx: Context) -> None:
    kinds = ctx.resolve.ontology.below({str(kind) for kind in REPORTED_KINDS}, str(RDFS.subClassOf))
    typed = ctx.result.quads.subjects(str(RDF.type), kinds)
    for subject, by_article in ctx.reported.items():
        if subject not in typed:
            continue
        for article, evidence in by_article.items():
            if article.reference is None:
                continue
            triple = ox.Triple(subject, ox.NamedNode(KG.reportedOn), ctx.date(article.reference))
            source = min(ctx.result.sources.nodes[article.node.value])
            node = statement(
                ctx, triple, evidence, article.graph, source, key=f"reported:{article.node.value}"
            )
            ctx.result.adder(node, article.graph)(KG.derivation, ox.NamedNode(KG.DatedByArticle))
