"""What an entity page shows: names, kinds (asserted and inferred), every fact grouped by
property with its sources (quote, stance, asserter, outlet, article and its date), values
the sources dispute side by side, claims that contradict or deny each other, and what else
in the graph points at the entity.

Contested values are read generically: any statement marked `kg:conflictsWith`, any value
left out of the plain layer (a claim disputes it: `kg:disputedBy`), and any claim linked to
another by `kg:disputes` or a sub-property of it (`kg:contradicts`, `kg:denies`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.ask.query import QueryResult
from kg.serve.site import Site
from kg.vocab import BASE

EVIDENCE = """
    ?st kg:evidence ?e . ?e oa:exact ?quote ; prov:wasDerivedFrom ?article .
    OPTIONAL { ?e oa:start ?start ; oa:end ?end }
    OPTIONAL { ?e kg:stance ?stance }
    OPTIONAL { ?e kg:assertedBy ?asserter }
    OPTIONAL { ?e kg:reportedVia ?via }
    OPTIONAL { ?article dcterms:issued ?issued }"""
# The statements about the entity, and apart from them their sources: the evidence as an
# OPTIONAL of the statements (with OPTIONALs of its own) took Oxigraph minutes for a firm of
# the 10,000-document corpus (every evidence node read for each statement).
STATEMENTS = """
SELECT ?p ?o ?st ?derivation ?rank ?conflict WHERE {
  ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
  OPTIONAL { ?st kg:derivation ?derivation }
  OPTIONAL { ?st wikibase:rank ?rank }
  BIND (EXISTS { ?st kg:conflictsWith [] } AS ?conflict)
}
ORDER BY ?p ?o ?st
"""
SOURCES = f"""
SELECT ?p ?o ?e ?quote ?article ?start ?end ?stance ?asserter ?via ?issued WHERE {{
  ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o . {EVIDENCE}
}}
ORDER BY ?p ?o ?article ?start
"""
PLAIN = "SELECT ?p ?o WHERE { ?s ?p ?o }"
INCOMING = """
SELECT DISTINCT ?x ?p WHERE {
  ?x ?p ?s FILTER (isIRI(?x) && !STRSTARTS(STR(?x), STR(stmt:)) && !STRSTARTS(STR(?x), STR(ev:)))
} ORDER BY ?p ?x LIMIT 500
"""
CONTESTED = """
  ?claim kg:about? ?s ; ?relation ?other .  # claims about the entity, or the entity itself
  ?relation rdfs:subPropertyOf* kg:disputes .  # disputes, contradicts, denies"""
CLAIMS = f"""
SELECT ?claim ?relation ?other WHERE {{ {CONTESTED}
  FILTER NOT EXISTS {{  # the most specific relation only (kg:denies, not also the kg:disputes it entails)
    ?claim ?narrower ?other . ?narrower rdfs:subPropertyOf+ ?relation FILTER (?narrower != ?relation) }}
}} ORDER BY ?claim ?relation ?other"""
SIDES = f"""
SELECT DISTINCT ?side ?e ?quote ?article ?start ?end ?stance ?asserter ?via ?issued ?p ?o
WHERE {{ {CONTESTED}
  ?claim (!rdf:type)? ?side FILTER (?side IN (?claim, ?other))
  ?st rdf:subject ?side ; rdf:predicate ?p ; rdf:object ?o . {EVIDENCE}
  FILTER NOT EXISTS {{  # a quote for the dispute itself is no source of either side
    ?p rdfs:subPropertyOf* kg:disputes }}
}}
ORDER BY ?side ?p ?o ?article ?start
"""
QUERIES = (PLAIN, STATEMENTS, SOURCES, INCOMING, CLAIMS, SIDES)
DISPUTED = {f"{BASE}ontology#{stance}" for stance in ("Rumoured", "Alleged", "Denied")}
HIDDEN = {  # shown in the page's head, or the statement machinery itself
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#altLabel",
    "https://schema.org/description",
}


@dataclass
class Source:
    """One piece of evidence for a value."""

    quote: str
    article: str
    start: int | None
    end: int | None
    stance: str
    asserter: str
    outlets: list[str]
    published: str


@dataclass
class Value:
    """A value of a property, with the sources that give it."""

    term: str  # an IRI, or a literal's text
    is_iri: bool
    sources: list[Source] = field(default_factory=list)
    derivation: str = ""
    rank: str = ""
    conflicting: bool = False
    plain: bool = True  # in the plain layer (a value sources dispute is only a statement)

    @property
    def stances(self) -> set[str]:
        return {s.stance for s in self.sources}


@dataclass
class Property:
    iri: str
    values: list[Value] = field(default_factory=list)

    @property
    def contested(self) -> bool:
        """Sources disagree: values that conflict, or one value reported by some and
        rumoured, alleged or denied by others."""
        return any(v.conflicting for v in self.values) or any(
            len(v.stances) > 1 and bool(v.stances & DISPUTED) for v in self.values
        )


@dataclass
class Dispute:
    """Two claims that cannot both be true: each with its own sources."""

    claim: str
    relation: str
    other: str
    sides: dict[str, list[Source]]


@dataclass
class EntityView:
    iri: str
    exists: bool
    descriptions: list[str]
    other_names: list[str]
    properties: list[Property]
    disputes: list[Dispute]
    incoming: list[tuple[str, str]]

    @property
    def contested(self) -> list[Property]:
        return [p for p in self.properties if p.contested]


async def entity_view(site: Site, iri: str) -> EntityView:
    """Everything the entity page shows about `iri`."""
    node = {"s": ox.NamedNode(iri)}
    plain = await site.select(PLAIN, node)
    statements = await site.select(STATEMENTS, node)
    sources = await site.select(SOURCES, node)
    incoming = await site.select(INCOMING, node)
    claims = await site.select(CLAIMS, node)
    sides = await site.select(SIDES, node) if claims.rows else QueryResult()
    descriptions = [_text(o) for p, o in plain.rows if _text(p) == "https://schema.org/description"]
    others = [_text(o) for p, o in plain.rows if _text(p).endswith("skos/core#altLabel")]
    return EntityView(
        iri,
        bool(plain.rows or statements.rows or incoming.rows),
        sorted(descriptions),
        sorted(set(others)),
        _properties(plain, statements, sources),
        _disputes(claims, sides),
        [(_text(x), _text(p)) for x, p in incoming.rows],
    )


def _properties(plain: QueryResult, statements: QueryResult, sources: QueryResult) -> list[Property]:
    found: dict[str, Property] = {}
    values: dict[tuple[str, str], Value] = {}

    def value(p: object, o: object, is_plain: bool) -> Value:
        key = (_text(p), _text(o))
        if key not in values:
            values[key] = Value(key[1], isinstance(o, ox.NamedNode), plain=is_plain)
            found.setdefault(key[0], Property(key[0])).values.append(values[key])
        return values[key]

    for p, o in plain.rows:
        if _text(p) not in HIDDEN:
            value(p, o, True)
    for row in _records(statements):
        if _text(row["p"]) in HIDDEN:
            continue
        item = value(row["p"], row["o"], (_text(row["p"]), _text(row["o"])) in values)
        item.derivation = item.derivation or _text(row["derivation"])
        item.rank = item.rank or _text(row["rank"])
        item.conflicting = item.conflicting or _text(row["conflict"]) == "true"
    for row in _records(sources):
        if (_text(row["p"]), _text(row["o"])) in values and _text(row["p"]) not in HIDDEN:
            _add(values[_text(row["p"]), _text(row["o"])].sources, _source(row))
    return sorted(found.values(), key=lambda p: p.iri)


def _disputes(claims: QueryResult, sides: QueryResult) -> list[Dispute]:
    """Claims that contradict or deny each other (a pair linked both ways once), each side
    with its sources (each quote once)."""
    sources: dict[str, list[Source]] = {}
    for row in _records(sides):
        _add(sources.setdefault(_text(row["side"]), []), _source(row))
    disputes: dict[tuple[frozenset[str], str], Dispute] = {}
    for claim, relation, other in ((_text(c), _text(r), _text(o)) for c, r, o in claims.rows):
        sides_of = {side: sources.get(side, []) for side in (claim, other)}
        disputes.setdefault((frozenset(sides_of), relation), Dispute(claim, relation, other, sides_of))
    return list(disputes.values())


def _records(result: QueryResult) -> list[dict[str, object]]:
    return [dict(zip(result.variables, row, strict=True)) for row in result.rows]


def _add(sources: list[Source], source: Source) -> None:
    """Add a source, each quote of an article once (its outlets gathered)."""
    for known in sources:
        if known.quote == source.quote and known.article == source.article:
            known.outlets = sorted({*known.outlets, *source.outlets})
            return
    sources.append(source)


def _source(row: Mapping[str, object]) -> Source:
    start, end = row["start"], row["end"]
    return Source(
        _text(row["quote"]),
        _text(row["article"]),
        int(_text(start)) if start is not None else None,
        int(_text(end)) if end is not None else None,
        _text(row["stance"]),
        _text(row["asserter"]),
        [_text(row["via"])] if row["via"] is not None else [],
        _text(row["issued"])[:10],
    )


def _text(term: object) -> str:
    if isinstance(term, ox.NamedNode | ox.Literal | ox.BlankNode):
        return term.value
    return ""
