"""Contested statements: what a claim asserts, when another claim disputes it.

A mapping fact may say whose content it is (`claim: claim-liao-at-shenzhen-institute`): its
statements name that claim (`kg:claim`). Claims on opposite sides are linked by
facts of their own, with quotes: `kg:disputes` and its sub-properties (`kg:contradicts`,
`kg:denies`), in either direction. A statement asserted by a claim that has another claim
on its other side is contested — found from the claim network, never typed by hand: it gets
`kg:disputedBy` for each claim on the other side and the normal rank, and its triple is left
out of the plain layer, as conflicting dates are (kg.compile.dating). Only what no source
disputes is a plain triple.
"""

from __future__ import annotations

import pyoxigraph as ox

from kg.compile.context import Context
from kg.vocab import KG, RDFS, WIKIBASE


def contest(ctx: Context) -> tuple[set[ox.Triple], set[ox.NamedNode]]:
    """Link each statement to the claim it spells out, and mark those another claim disputes;
    returns the contested triples (to leave out of the plain layer) and statements."""
    disputing = ctx.resolve.ontology.below({str(KG.disputes)}, str(RDFS.subPropertyOf))
    other_side: dict[ox.NamedNode, set[ox.NamedNode]] = {}
    for q in ctx.result.quads.with_predicate(disputing):
        if isinstance(q.object, ox.NamedNode):
            assert isinstance(q.subject, ox.NamedNode)
            other_side.setdefault(q.subject, set()).add(q.object)
            other_side.setdefault(q.object, set()).add(q.subject)
    triples: set[ox.Triple] = set()
    statements: set[ox.NamedNode] = set()
    for link in ctx.claimed:
        add = ctx.result.adder(link.statement, link.graph)
        add(KG.claim, link.claim)
        for other in sorted(other_side.get(link.claim, ()), key=str):
            add(KG.disputedBy, other)
            triples.add(link.triple)
            statements.add(link.statement)
    return triples, statements


def normal_ranks(ctx: Context, statements: set[ox.NamedNode], dated: set[ox.NamedNode]) -> list[ox.Quad]:
    """The normal rank of each contested statement that is not ranked with its dates."""
    graphs = {link.statement: link.graph for link in ctx.claimed}
    rank = ox.NamedNode(WIKIBASE.rank)
    return [
        ox.Quad(node, rank, ox.NamedNode(WIKIBASE.NormalRank), graphs[node])
        for node in sorted(statements - dated, key=str)
    ]
