"""Inference by SPARQL rules read off the ontology: the instance-level consequences of its
axioms, computed on Oxigraph, for graphs too large for HermiT.

Property rules: sub-properties, inverses, symmetric and transitive properties, to a fixpoint.
Class rules: every class defined by `owl:equivalentClass` (intersections, unions,
`someValuesFrom` and `hasValue` restrictions, inverse properties) becomes a SPARQL pattern,
and its instances are inferred. The tests check that on the seed graph these rules find the
same class memberships as HermiT.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pyoxigraph as ox

from kg.vocab import OWL, RDF, RDFS

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


def infer(store: ox.Store, classes: bool = True) -> set[ox.Triple]:
    """Triples entailed by the ontology's property axioms (and, with `classes`, its class
    definitions), not yet in `store`, whose default graph holds the ontology and the
    asserted data. The store receives them too."""
    inferred: set[ox.Triple] = set()
    for _ in range(10):
        new = _property_closure(store) | (_defined_classes(store) if classes else set())
        new -= inferred
        if not new:
            break
        inferred |= new
        store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in new)
    return inferred


def _property_closure(store: ox.Store) -> set[ox.Triple]:
    new: set[ox.Triple] = set()
    for sub, sup in _pairs(store, RDFS.subPropertyOf):
        new |= _construct(
            store, f"CONSTRUCT {{ ?x {sup} ?y }} WHERE {{ ?x {sub} ?y FILTER NOT EXISTS {{ ?x {sup} ?y }} }}"
        )
    for first, second in _pairs(store, OWL.inverseOf):
        for p, q in ((first, second), (second, first)):
            new |= _construct(
                store, f"CONSTRUCT {{ ?y {q} ?x }} WHERE {{ ?x {p} ?y FILTER NOT EXISTS {{ ?y {q} ?x }} }}"
            )
    for p in _instances(store, OWL.SymmetricProperty):
        new |= _construct(
            store, f"CONSTRUCT {{ ?y {p} ?x }} WHERE {{ ?x {p} ?y FILTER NOT EXISTS {{ ?y {p} ?x }} }}"
        )
    for p in _instances(store, OWL.TransitiveProperty):
        closure = f"?x {p}/{p}+ ?z FILTER (?x != ?z) FILTER NOT EXISTS {{ ?x {p} ?z }}"
        new |= _construct(store, f"CONSTRUCT {{ ?x {p} ?z }} WHERE {{ {closure} }}")
    return new


def _defined_classes(store: ox.Store) -> set[ox.Triple]:
    new: set[ox.Triple] = set()
    for cls, definition in _pairs(store, OWL.equivalentClass, named_subject=True):
        pattern = _pattern(store, definition, "?x", itertools.count())
        if pattern is not None:
            where = f"{pattern} FILTER (isIRI(?x)) FILTER NOT EXISTS {{ ?x a {cls} }}"
            new |= _construct(store, f"CONSTRUCT {{ ?x a {cls} }} WHERE {{ {where} }}")
    return new


def _pattern(store: ox.Store, node: Term, var: str, fresh: Iterator[int]) -> str | None:
    """A SPARQL pattern binding `var` to the instances of a class expression, or None when
    the expression uses constructs the rules do not cover."""
    if isinstance(node, ox.NamedNode):
        return f"{var} a/{RDFS.subClassOf.n3()}* {node} ."
    values = _objects(store, node)
    if str(OWL.intersectionOf) in values:
        parts = [
            _pattern(store, member, var, fresh) for member in _list(store, values[str(OWL.intersectionOf)])
        ]
        return None if None in parts else " ".join(parts)  # type: ignore[arg-type]
    if str(OWL.unionOf) in values:
        parts = [_pattern(store, member, var, fresh) for member in _list(store, values[str(OWL.unionOf)])]
        return None if None in parts else " UNION ".join(f"{{ {p} }}" for p in parts)
    if str(OWL.onProperty) in values:
        path = _path(store, values[str(OWL.onProperty)])
        if path is None:
            return None
        if str(OWL.hasValue) in values:
            return f"{var} {path} {values[str(OWL.hasValue)]} ."
        if str(OWL.someValuesFrom) in values:
            other = f"?v{next(fresh)}"
            filler = _pattern(store, values[str(OWL.someValuesFrom)], other, fresh)
            return None if filler is None else f"{var} {path} {other} . {filler}"
    return None


def _path(store: ox.Store, prop: Term) -> str | None:
    """A property path for a property and its sub-properties, repeated when transitive."""
    if isinstance(prop, ox.BlankNode):
        inverse = _objects(store, prop).get(str(OWL.inverseOf))
        inner = _path(store, inverse) if inverse is not None else None
        return None if inner is None else f"^({inner})"
    if not isinstance(prop, ox.NamedNode):
        return None
    family = sorted({prop.value, *_sub_properties(store, prop)})
    alternatives = "|".join(f"<{p}>" for p in family)
    transitive = any(_is(store, ox.NamedNode(p), OWL.TransitiveProperty) for p in family)
    return f"({alternatives})+" if transitive else f"({alternatives})"


def _sub_properties(store: ox.Store, prop: ox.NamedNode) -> set[str]:
    found: set[str] = set()
    for quad in store.quads_for_pattern(None, ox.NamedNode(RDFS.subPropertyOf), prop):
        if isinstance(quad.subject, ox.NamedNode) and quad.subject.value not in found:
            found |= {quad.subject.value, *_sub_properties(store, quad.subject)}
    return found


def _construct(store: ox.Store, query: str) -> set[ox.Triple]:
    return set(store.query(query))  # type: ignore[arg-type]


def _pairs(store: ox.Store, predicate: str, named_subject: bool = False) -> list[tuple[str, Term]]:
    pairs = []
    for quad in store.quads_for_pattern(None, ox.NamedNode(predicate), None):
        if isinstance(quad.subject, ox.NamedNode):
            pairs.append((str(quad.subject), quad.object if named_subject else str(quad.object)))
    return sorted(pairs, key=str)  # type: ignore[arg-type]


def _instances(store: ox.Store, cls: str) -> list[str]:
    return sorted(
        str(q.subject) for q in store.quads_for_pattern(None, ox.NamedNode(RDF.type), ox.NamedNode(cls))
    )


def _is(store: ox.Store, node: ox.NamedNode, cls: str) -> bool:
    return any(True for _ in store.quads_for_pattern(node, ox.NamedNode(RDF.type), ox.NamedNode(cls)))


def _objects(store: ox.Store, node: Term) -> dict[str, Term]:
    return {q.predicate.value: q.object for q in store.quads_for_pattern(node, None, None)}  # type: ignore[arg-type]


def _list(store: ox.Store, head: Term) -> list[Term]:
    items = []
    while isinstance(head, ox.BlankNode):
        values = _objects(store, head)
        items.append(values[str(RDF.first)])
        head = values[str(RDF.rest)]
    return items
