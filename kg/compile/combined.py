"""Compiling combined facts: a value no single document states, supported by the evidence
of the facts of several documents it combines, marked `kg:derivation
kg:CombinedAcrossDocuments` with the reviewer's note."""

from __future__ import annotations

import pyoxigraph as ox

from kg.compile.context import At, Claimed, Context, Document
from kg.compile.dating import Dated
from kg.compile.facts import DateText, property_values, statement
from kg.compile.sourcemap import Source
from kg.compile.values import language_literals
from kg.mapping import schema
from kg.mapping.dates import Placed
from kg.vocab import KG


def compile_combinations(ctx: Context) -> None:
    """Once every document's evidence is known."""
    for fact, doc, at in ctx.combinations:
        _combination(ctx, fact, doc, at)


def _combination(ctx: Context, fact: schema.Fact, doc: Document, at: At) -> None:
    subject = ctx.resolve.ref(fact.subject, at.loc("subject"), doc.article_nodes)
    values = list(property_values(ctx, fact, doc, at))
    unknown = [(i, ref) for i, ref in enumerate(fact.combines) if ref not in ctx.evidence_of]
    for i, ref in unknown:
        ctx.errors.add(
            f"combines unknown fact '{ref}' (give DOCUMENT.FACT of a reviewed fact with quotes)",
            at.loc("combines", i),
        )
    if subject is None or None in values or unknown:
        return
    evidence = [node for ref in fact.combines for node in ctx.evidence_of[ref]]
    claim = ctx.resolve.entity(fact.claim, at.loc("claim")) if fact.claim else None
    doc.stats.facts += 1
    key = "combined:" + " ".join(fact.combines)
    for predicate, obj, here in values:  # type: ignore[misc]
        if isinstance(obj, DateText):
            if not isinstance(obj.expression, Placed):
                ctx.errors.add(
                    f"'{obj.written}': a combined fact gives its dates in full (EDTF with a year)", here
                )
                continue
            triple = ox.Triple(subject, predicate, ctx.date(obj.expression))
        else:
            triple = ox.Triple(subject, predicate, obj)
        doc.stats.statements += 1
        node = statement(
            ctx,
            triple,
            evidence,
            doc.graph,
            Source.at(at.loc("id")),
            plain=not isinstance(obj, DateText),
            key=key,
        )
        add = ctx.result.adder(node, doc.graph)
        add(KG.derivation, ox.NamedNode(KG.CombinedAcrossDocuments))
        for literal in language_literals(fact.note) if fact.note else []:
            add(KG.note, literal)
        if isinstance(obj, DateText):
            assert isinstance(obj.expression, Placed)
            ctx.dated.append(Dated(subject, predicate, obj.expression, node, doc.graph))
            doc.stats.dates_combined += 1
        if claim:
            ctx.claimed.append(Claimed(claim, node, triple, doc.graph))
        ctx.result.sources.triple(triple, Source.at(here))
