"""RDFS entailment on every build: the subclass and subproperty closure, in graph:inferred.

So that `?x a kg:Organization` finds every firm, university and news outlet, and
`?e kg:participant ?who` every plaintiff and investor, without `a/rdfs:subClassOf*`: the
rules rdfs5 and rdfs11 (the hierarchies are transitive), rdfs9 (an instance of a class is
an instance of its superclasses) and rdfs7 (a sub-property's triple holds for its
super-properties), over named classes and properties. Domains and ranges (rdfs2, rdfs3)
are not applied: a typo'd fact would silently retype its subject, where the shapes should
catch it. The asserted graph is left as it is; what follows goes in graph:inferred, beside
what `kg build --reason` infers, each fact about an entity with a statement marked
`kg:derivation kg:InferredByReasoning` (supertypes excepted: see `inferred_quads`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

import pyoxigraph as ox

from kg.compile.facts import statement_node
from kg.compile.output import INFERRED_GRAPH
from kg.vocab import BASE, KG, RDF, RDFS

_INSTANCES = tuple(BASE + kind for kind in ("entity/", "element/", "country/"))
_TYPE = ox.NamedNode(RDF.type)


def rdfs_closure(triples: Iterable[ox.Triple]) -> set[ox.Triple]:
    """The triples that the subclass and subproperty rules add to `triples`.

    `triples` is read three times (the hierarchies, what they add, what was there already),
    never held whole: give a collection, not an iterator."""
    classes, properties = _ancestors(triples)
    found: set[ox.Triple] = set()
    for hierarchy, link in ((classes, RDFS.subClassOf), (properties, RDFS.subPropertyOf)):
        for node, above in hierarchy.items():
            found.update(ox.Triple(node, ox.NamedNode(link), parent) for parent in above)
    for t in triples:
        if t.predicate == _TYPE and isinstance(t.object, ox.NamedNode):
            found.update(ox.Triple(t.subject, _TYPE, parent) for parent in classes.get(t.object, ()))
        found.update(ox.Triple(t.subject, parent, t.object) for parent in properties.get(t.predicate, ()))
    found.difference_update(triples)
    return found


def inferred_quads(inferred: Iterable[ox.Triple], supertypes: Iterable[ox.Triple] = ()) -> Iterator[ox.Quad]:
    """The inferred triples in graph:inferred, each about an entity with its statement, marked
    `kg:derivation kg:InferredByReasoning`: provenance queries and the evidence shapes tell
    it from a fact a document states. `supertypes` (what the closure adds to an entity's
    kinds) get no statement, as the kinds declared in the registry have none."""
    yield from (ox.Quad(t.subject, t.predicate, t.object, INFERRED_GRAPH) for t in supertypes)
    for triple in inferred:
        yield ox.Quad(triple.subject, triple.predicate, triple.object, INFERRED_GRAPH)
        if not is_instance(triple.subject):
            continue
        node = statement_node(triple)
        for predicate, value in (
            (RDF.type, ox.NamedNode(KG.Statement)),
            (RDF.subject, triple.subject),
            (RDF.predicate, triple.predicate),
            (RDF.object, triple.object),
            (KG.derivation, ox.NamedNode(KG.InferredByReasoning)),
        ):
            yield ox.Quad(node, ox.NamedNode(predicate), value, INFERRED_GRAPH)


def is_instance(node: object) -> bool:
    """An entity, element or country (not a statement, evidence, article or ontology term)."""
    return isinstance(node, ox.NamedNode) and node.value.startswith(_INSTANCES)


Hierarchy = dict[ox.NamedNode, set[ox.NamedNode]]


def _ancestors(triples: Iterable[ox.Triple]) -> tuple[Hierarchy, Hierarchy]:
    """Each named class's and property's strict ancestors along rdfs:subClassOf and
    rdfs:subPropertyOf (cycles allowed, self left out)."""
    links = {str(RDFS.subClassOf): 0, str(RDFS.subPropertyOf): 1}
    parents: tuple[Hierarchy, Hierarchy] = (defaultdict(set), defaultdict(set))
    for t in triples:
        link = links.get(t.predicate.value)
        named = isinstance(t.subject, ox.NamedNode) and isinstance(t.object, ox.NamedNode)
        if link is not None and named and t.subject != t.object:
            parents[link][t.subject].add(t.object)  # type: ignore[index, arg-type]
    return _closed(parents[0]), _closed(parents[1])


def _closed(parents: Hierarchy) -> Hierarchy:
    closed: Hierarchy = {}
    for node in parents:
        seen: set[ox.NamedNode] = set()
        todo = list(parents[node])
        while todo:
            parent = todo.pop()
            if parent not in seen:
                seen.add(parent)
                todo.extend(parents.get(parent, ()))
        closed[node] = seen - {node}
    return closed
