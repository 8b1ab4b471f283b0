"""Explaining an inconsistent graph: which entity belongs to two classes the ontology
declares disjoint, why it belongs to each (a type assertion, or a property whose domain or
range implies it), and the mapping line each of those came from."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.compile.sourcemap import Source, SourceMap, triple_key
from kg.vocab import OWL, PREFIXES, RDF, RDFS, compact

_REASONS = """
SELECT DISTINCT ?s ?p ?o WHERE {
  VALUES (?x ?cls) { (%s %s) }
  { ?x a ?c . ?c rdfs:subClassOf* ?cls BIND (?x AS ?s) BIND (rdf:type AS ?p) BIND (?c AS ?o) }
  UNION { ?x ?p ?o . ?p rdfs:domain/rdfs:subClassOf* ?cls BIND (?x AS ?s) }
  UNION { ?s ?p ?x . ?p rdfs:range/rdfs:subClassOf* ?cls BIND (?x AS ?o) }
} ORDER BY ?s ?p ?o"""
_TYPE, _SUBCLASS = str(RDF.type), str(RDFS.subClassOf)
_DOMAIN, _RANGE = str(RDFS.domain), str(RDFS.range)
_FIRST, _REST, _NIL = str(RDF.first), str(RDF.rest), str(RDF.nil)
_MEMBERS, _DISJOINT_WITH = str(OWL.members), str(OWL.disjointWith)
_ALL_DISJOINT = ox.NamedNode(OWL.AllDisjointClasses)
_HIERARCHY = {_SUBCLASS, _DOMAIN, _RANGE}  # what the reasons are traced through
Node = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


@dataclass(frozen=True)
class Axioms:
    """What a clash depends on in the ontology: the pairs of disjoint classes
    (`owl:AllDisjointClasses`, `owl:disjointWith`), the class hierarchy, and the domains and
    ranges of the properties."""

    disjoint: frozenset[tuple[ox.NamedNode, ox.NamedNode]]  # each pair once, in text order
    parents: dict[Node, set[Node]]
    domains: dict[Node, set[Node]]
    ranges: dict[Node, set[Node]]

    @classmethod
    def of(cls, triples: Iterable[ox.Triple]) -> Axioms:
        parents: dict[Node, set[Node]] = defaultdict(set)
        domains: dict[Node, set[Node]] = defaultdict(set)
        ranges: dict[Node, set[Node]] = defaultdict(set)
        first: dict[Node, Node] = {}
        rest: dict[Node, Node] = {}
        axioms: set[Node] = set()
        member_lists: list[tuple[Node, Node]] = []
        pairs: set[tuple[Node, Node]] = set()
        for t in triples:
            subject, predicate, obj = t.subject, t.predicate.value, t.object
            if predicate == _SUBCLASS:
                parents[subject].add(obj)
            elif predicate == _DOMAIN:
                domains[subject].add(obj)
            elif predicate == _RANGE:
                ranges[subject].add(obj)
            elif predicate == _FIRST:
                first[subject] = obj
            elif predicate == _REST:
                rest[subject] = obj
            elif predicate == _MEMBERS:
                member_lists.append((subject, obj))
            elif predicate == _DISJOINT_WITH:
                pairs.add((subject, obj))
            elif predicate == _TYPE and obj == _ALL_DISJOINT:
                axioms.add(subject)
        for axiom, head in member_lists:
            if axiom in axioms:
                members = _list(head, first, rest)
                pairs |= {(a, b) for a in members for b in members if a != b}
        named = {
            (a, b) if a.value < b.value else (b, a)
            for a, b in pairs
            if isinstance(a, ox.NamedNode) and isinstance(b, ox.NamedNode)
        }
        return cls(frozenset(named), dict(parents), dict(domains), dict(ranges))

    def above(self, node: Node, among: frozenset[Node]) -> frozenset[Node]:
        """`node` and the classes above it (`rdfs:subClassOf*`) that are `among`."""
        seen, todo = {node}, [node]
        while todo:
            for parent in self.parents.get(todo.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        return frozenset(seen & among)


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
    triples: Callable[[], Iterable[ox.Triple]],
    sources: Callable[[], SourceMap],
    ontology_dir: Path | None = None,
) -> list[Clash]:
    """Every entity typed, directly or through a property's domain or range, with two
    disjoint classes. `triples` gives the ontology and the asserted data, read afresh for
    each pass (two; a third to explain a clash, into a store of only the triples about the
    entities that clash); `sources` gives the source map, asked for only then."""
    axioms = Axioms.of(triples())
    if not axioms.disjoint:
        return []
    members = memberships(triples(), axioms)
    found = [
        (e, pair)
        for e in sorted(members, key=lambda node: node.value)
        for pair in sorted(axioms.disjoint, key=lambda pair: (pair[0].value, pair[1].value))
        if set(pair) <= members[e]
    ]
    if not found:
        return []
    entities = {e for e, _ in found}
    store = ox.Store()
    store.bulk_extend(
        ox.Quad(t.subject, t.predicate, t.object)
        for t in triples()
        if t.subject in entities or t.object in entities or t.predicate.value in _HIERARCHY
    )
    source_map = sources()
    axiom = axiom_line(ontology_dir) if ontology_dir else "owl:AllDisjointClasses"
    return [
        Clash(e.value, (a.value, b.value), axiom, _reasons(store, source_map, e.value, (a.value, b.value)))
        for e, (a, b) in found
    ]


def memberships(
    triples: Iterable[ox.Triple], axioms: Axioms, least: int = 2
) -> dict[ox.NamedNode, set[Node]]:
    """The entities (IRIs) in `least` or more of the disjoint classes, and those classes:
    through a type (or a subclass of it), a property whose domain is one, or a property whose
    range is one. Each entity is held as a bit mask while the triples are read."""
    among: frozenset[Node] = frozenset(c for pair in axioms.disjoint for c in pair)
    bit = {c: 1 << i for i, c in enumerate(sorted(among, key=str))}

    def mask(classes: Iterable[Node]) -> int:
        value = 0
        for cls in classes:
            for c in axioms.above(cls, among):
                value |= bit[c]
        return value

    by_type: dict[Node, int] = {}
    by_domain = {p: mask(classes) for p, classes in axioms.domains.items()}
    by_range = {p: mask(classes) for p, classes in axioms.ranges.items()}
    held: dict[ox.NamedNode, int] = {}
    for t in triples:
        subject, predicate, obj = t.subject, t.predicate, t.object
        if predicate.value == _TYPE:
            found = by_type.get(obj)
            if found is None:
                found = by_type[obj] = mask([obj])
            if found and isinstance(subject, ox.NamedNode):
                held[subject] = held.get(subject, 0) | found
        if by_domain.get(predicate) and isinstance(subject, ox.NamedNode):
            held[subject] = held.get(subject, 0) | by_domain[predicate]
        if by_range.get(predicate) and isinstance(obj, ox.NamedNode):
            held[obj] = held.get(obj, 0) | by_range[predicate]
    return {
        entity: {c for c, b in bit.items() if value & b}
        for entity, value in held.items()
        if value.bit_count() >= least
    }


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


def _list(head: Node, first: dict[Node, Node], rest: dict[Node, Node]) -> list[Node]:
    """The members of an RDF list (`rdf:rest*/rdf:first`), a cycle read once."""
    members, seen = [], set()
    while head in first and head not in seen:
        seen.add(head)
        members.append(first[head])
        head = rest.get(head, ox.NamedNode(_NIL))
    return members


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
