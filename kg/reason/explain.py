"""Explaining an inconsistent graph: which entity belongs to two classes the ontology
declares disjoint, why it belongs to each (a type assertion, or a property whose domain or
range implies it), and the mapping line each of those came from."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.compile.sourcemap import Source, SourceMap, triple_key
from kg.vocab import PREFIXES, compact

_DISJOINT = """
SELECT DISTINCT ?a ?b WHERE {
  { ?axiom a owl:AllDisjointClasses ; owl:members ?list .
    ?list rdf:rest*/rdf:first ?a . ?list rdf:rest*/rdf:first ?b . FILTER (?a != ?b) }
  UNION { ?a owl:disjointWith ?b } UNION { ?b owl:disjointWith ?a }
}"""

_MEMBERS = """
SELECT DISTINCT ?x ?c WHERE {
  VALUES ?c { %s }
  { ?x a ?t } UNION { ?x ?p [] . ?p rdfs:domain ?t } UNION { [] ?q ?x . ?q rdfs:range ?t }
  ?t rdfs:subClassOf* ?c .
  FILTER (isIRI(?x))
}"""

_REASONS = """
SELECT DISTINCT ?s ?p ?o WHERE {
  VALUES (?x ?cls) { (%s %s) }
  { ?x a ?c . ?c rdfs:subClassOf* ?cls BIND (?x AS ?s) BIND (rdf:type AS ?p) BIND (?c AS ?o) }
  UNION { ?x ?p ?o . ?p rdfs:domain/rdfs:subClassOf* ?cls BIND (?x AS ?s) }
  UNION { ?s ?p ?x . ?p rdfs:range/rdfs:subClassOf* ?cls BIND (?x AS ?o) }
} ORDER BY ?s ?p ?o"""


@dataclass(frozen=True)
class Clash:
    entity: str
    classes: tuple[str, str]
    axiom: str  # where the ontology declares them disjoint
    reasons: tuple[tuple[str, tuple[Source, ...]], ...]  # (triple in CURIEs, where it was stated)

    def __str__(self) -> str:
        first, second = (compact(c) for c in self.classes)
        entity = compact(self.entity)
        lines = [
            f"{entity} is both {first} and {second}, which the ontology declares disjoint ({self.axiom}):"
        ]
        for triple, sources in self.reasons:
            stated = "; ".join(f"{s}" + (f' "{s.quote}"' if s.quote else "") for s in sources)
            lines.append(f"  {triple}  — {stated or 'no mapping line'}")
        return "\n".join(lines)


def clashes(
    store: ox.Store, sources: Callable[[], SourceMap], ontology_dir: Path | None = None
) -> list[Clash]:
    """Every entity typed, directly or through a property's domain or range, with two
    disjoint classes; the store holds the ontology and the asserted data, and `sources`
    gives the source map (asked for only when there is a clash to explain)."""
    disjoint = {(a.value, b.value) for a, b in _named(_rows(store, _DISJOINT)) if a.value < b.value}
    if not disjoint:
        return []
    classes = " ".join(sorted(f"<{c}>" for pair in disjoint for c in pair))
    members: dict[str, set[str]] = {}
    for entity, cls in _named(_rows(store, _MEMBERS % classes)):
        members.setdefault(entity.value, set()).add(cls.value)
    axiom = axiom_line(ontology_dir) if ontology_dir else "owl:AllDisjointClasses"
    found = [(e, pair) for e in sorted(members) for pair in sorted(disjoint) if set(pair) <= members[e]]
    source_map = sources() if found else SourceMap()
    return [Clash(e, pair, axiom, _reasons(store, source_map, e, pair)) for e, pair in found]


def _reasons(
    store: ox.Store, sources: SourceMap, entity: str, classes: tuple[str, str]
) -> tuple[tuple[str, tuple[Source, ...]], ...]:
    """The triples that put `entity` in each class, and the mapping lines they came from."""
    reasons = []
    for cls in classes:
        text = _REASONS % (ox.NamedNode(entity), ox.NamedNode(cls))
        for s, p, o in _named(_rows(store, text), columns=2):
            where = tuple(sources.lookup(s.value, triple_key(s, p, o)))
            reasons.append((f"{_short(s)} {_short(p)} {_short(o)}", where))
    return tuple(dict.fromkeys(reasons))


def _rows(store: ox.Store, text: str) -> list[list[Any]]:
    answer = store.query(text, prefixes=PREFIXES)
    assert isinstance(answer, ox.QuerySolutions)
    names = [v.value for v in answer.variables]
    return [[solution[name] for name in names] for solution in answer]


def _named(rows: list[list[Any]], columns: int = 2) -> Iterator[list[ox.NamedNode]]:
    """The rows, checked to hold IRIs in their first `columns` columns."""
    for row in rows:
        assert all(isinstance(term, ox.NamedNode) for term in row[:columns])
        yield row


def axiom_line(ontology_dir: Path, marker: str = "owl:AllDisjointClasses") -> str:
    """Where the disjointness axiom is written: `owl:AllDisjointClasses at FILE:LINE`."""
    for path in sorted(ontology_dir.glob("*.ttl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if marker in line:
                return f"{marker} at {ontology_dir.name}/{path.name}:{number}"
    return marker


def _short(term: object) -> str:
    return compact(term.value) if isinstance(term, ox.NamedNode) else str(term)
