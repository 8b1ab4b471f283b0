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

FACTS = """
SELECT ?p ?o ?st ?e ?quote ?article ?start ?end ?stance ?asserter ?issued ?derivation ?rank ?conflict
WHERE {
  ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
  OPTIONAL {
    ?st kg:evidence ?e . ?e oa:exact ?quote ; prov:wasDerivedFrom ?article .
    OPTIONAL { ?e oa:start ?start ; oa:end ?end }
    OPTIONAL { ?e kg:stance ?stance }
    OPTIONAL { ?e kg:assertedBy ?asserter }
    OPTIONAL { ?article dcterms:issued ?issued }
  }
  OPTIONAL { ?st kg:derivation ?derivation }
  OPTIONAL { ?st wikibase:rank ?rank }
  BIND (EXISTS { ?st kg:conflictsWith [] } AS ?conflict)
}
ORDER BY ?p ?o ?article ?start
"""
OUTLETS = "SELECT ?e ?via WHERE { ?st rdf:subject ?s ; kg:evidence ?e . ?e kg:reportedVia ?via }"
PLAIN = "SELECT ?p ?o WHERE { ?s ?p ?o }"
INCOMING = """
SELECT DISTINCT ?x ?p WHERE {
  ?x ?p ?s FILTER (isIRI(?x) && !STRSTARTS(STR(?x), STR(stmt:)) && !STRSTARTS(STR(?x), STR(ev:)))
} ORDER BY ?p ?x LIMIT 500
"""
CLAIMS = """
SELECT ?claim ?relation ?other WHERE {
  { ?claim kg:about ?s } UNION { BIND (?s AS ?claim) ?claim a kg:Claim }
  ?claim ?relation ?other .
  ?relation rdfs:subPropertyOf* kg:disputes
}
ORDER BY ?claim ?relation ?other
"""
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
    facts = await site.select(FACTS, node)
    outlets = await site.select(OUTLETS, node)
    incoming = await site.select(INCOMING, node)
    claims = await site.select(CLAIMS, node)
    properties = _properties(plain, facts, outlets)
    descriptions = [_text(o) for p, o in plain.rows if _text(p) == "https://schema.org/description"]
    others = [_text(o) for p, o in plain.rows if _text(p).endswith("skos/core#altLabel")]
    disputes = []
    for claim, relation, other in claims.rows:
        sides = {}
        for side in (_text(claim), _text(other)):
            about = {"s": ox.NamedNode(side)}
            sides[side] = _claim_sources(await site.select(FACTS, about), await site.select(OUTLETS, about))
        disputes.append(Dispute(_text(claim), _text(relation), _text(other), sides))
    return EntityView(
        iri,
        bool(plain.rows or facts.rows or incoming.rows),
        sorted(descriptions),
        sorted(set(others)),
        properties,
        disputes,
        [(_text(x), _text(p)) for x, p in incoming.rows],
    )


def _properties(plain: QueryResult, facts: QueryResult, outlets: QueryResult) -> list[Property]:
    via: dict[str, list[str]] = {}
    for e, outlet in outlets.rows:
        via.setdefault(_text(e), []).append(_text(outlet))
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
    for raw in facts.rows:
        row = dict(zip(facts.variables, raw, strict=True))
        if _text(row["p"]) in HIDDEN:
            continue
        item = value(row["p"], row["o"], (_text(row["p"]), _text(row["o"])) in values)
        item.derivation = item.derivation or _text(row["derivation"])
        item.rank = item.rank or _text(row["rank"])
        item.conflicting = item.conflicting or _text(row["conflict"]) == "true"
        if row["e"] is not None:
            _add(item.sources, _source(row, via.get(_text(row["e"]), [])))
    return sorted(found.values(), key=lambda p: p.iri)


def _claim_sources(facts: QueryResult, outlets: QueryResult) -> list[Source]:
    """Every source of a claim: the evidence of its statements, each quote once."""
    sources: list[Source] = []
    for prop in _properties(QueryResult(), facts, outlets):
        for value in prop.values:
            for source in value.sources:
                _add(sources, source)
    return sources


def _add(sources: list[Source], source: Source) -> None:
    if not any(s.quote == source.quote and s.article == source.article for s in sources):
        sources.append(source)


def _source(row: Mapping[str, object], outlets: list[str]) -> Source:
    start, end = row["start"], row["end"]
    return Source(
        _text(row["quote"]),
        _text(row["article"]),
        int(_text(start)) if start is not None else None,
        int(_text(end)) if end is not None else None,
        _text(row["stance"]),
        _text(row["asserter"]),
        sorted(set(outlets)),
        _text(row["issued"])[:10],
    )


def _text(term: object) -> str:
    if isinstance(term, ox.NamedNode | ox.Literal | ox.BlankNode):
        return term.value
    return ""
