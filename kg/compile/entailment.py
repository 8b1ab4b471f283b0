"""RDFS entailment on every build: the subclass and subproperty closure, in graph:inferred.

So that `?x a kg:Organization` finds every firm, university and news outlet, and
`?e kg:participant ?who` every plaintiff and investor, without `a/rdfs:subClassOf*`: the
rules rdfs5 and rdfs11 (the hierarchies are transitive), rdfs9 (an instance of a class is
an instance of its superclasses) and rdfs7 (a sub-property's triple holds for its
super-properties), over named classes and properties. Domains and ranges (rdfs2, rdfs3)
are not applied: a typo'd fact would silently retype its subject, where the shapes should
catch it. The asserted graph is left as it is; what follows goes in graph:inferred, beside
what `kg build --reason` infers, each fact about an entity with a statement marked
`kg:derivation kg:InferredByReasoning` (supertypes excepted: see `add_inferred`). The
closure is worked out on the term numbers of the build's quad table (kg.compile.quadtable).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import chain

import numpy as np
import pyoxigraph as ox

from kg.compile.facts import statement_node
from kg.compile.output import INFERRED_GRAPH
from kg.compile.quadtable import Ordered, QuadTable, Rows
from kg.vocab import BASE, KG, RDF, RDFS

_INSTANCES = tuple(BASE + kind for kind in ("entity/", "element/", "country/"))
_TYPE = ox.NamedNode(RDF.type)


def rdfs_closure(triples: Ordered[ox.Triple]) -> Ordered[ox.Triple]:
    """The triples that the subclass and subproperty rules add to `triples` (distinct,
    sorted), worked out on the term numbers of the rows."""
    rows = triples.rows
    found = [np.empty((0, 3), dtype=np.uintc)]
    hierarchies = []
    for link in (RDFS.subClassOf, RDFS.subPropertyOf):
        number = triples.number(ox.NamedNode(link))
        hierarchy = _ancestors(triples, rows[rows[:, 1] == number])
        found += [_rows(node, number, parent) for node, above in hierarchy.items() for parent in above]
        hierarchies.append(hierarchy)
    classes, properties = hierarchies
    a = triples.number(_TYPE)
    typed = rows[rows[:, 1] == a]
    for node, above in classes.items():  # rdfs9: an instance of a class is one of its superclasses
        instances = typed[typed[:, 2] == node][:, 0]
        found += [_rows(instances, a, parent) for parent in above if len(instances)]
    for node, above in properties.items():  # rdfs7: a sub-property's triple holds for its parents
        uses = rows[rows[:, 1] == node]
        found += [_rows(uses[:, 0], parent, uses[:, 2]) for parent in above]
    return triples.others(np.concatenate(found))


def _rows(*columns: int | Rows) -> Rows:
    """Triples of term numbers, from columns of numbers (a number alone repeated)."""
    return np.column_stack(np.broadcast_arrays(*(np.asarray(c, dtype=np.uintc) for c in columns)))


def add_inferred(graph: QuadTable, entailed: Ordered[ox.Triple], reasoned: Iterable[ox.Triple] = ()) -> None:
    """Add the entailed and the reasoned triples to `graph`, in graph:inferred, each about an
    entity with its statement, marked `kg:derivation kg:InferredByReasoning`: provenance
    queries and the evidence shapes tell it from a fact a document states. A supertype that
    the closure adds to an entity's kinds gets no statement, as the kinds declared in the
    registry have none: those, nearly all the closure (980,000 of 990,000 triples at 10,000
    documents), are added as rows of term numbers, not one object at a time."""
    is_type = entailed.rows[:, 1] == entailed.number(_TYPE)
    supertypes = entailed.rows[is_type]
    in_inferred = np.full((len(supertypes), 1), len(entailed.terms), dtype=np.uintc)
    graph.add_rows([*entailed.terms, INFERRED_GRAPH], np.hstack((in_inferred, supertypes)))
    for triple in chain(Ordered[ox.Triple](entailed.terms, entailed.rows[~is_type]), reasoned):
        graph.extend(_inferred(triple))


def _inferred(triple: ox.Triple) -> Iterator[ox.Quad]:
    yield ox.Quad(triple.subject, triple.predicate, triple.object, INFERRED_GRAPH)
    if not is_instance(triple.subject):
        return
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


def _ancestors(triples: Ordered[ox.Triple], links: Rows) -> dict[int, set[int]]:
    """Each named node's strict ancestors along the `links` (rows of triples of one hierarchy;
    cycles allowed, self left out)."""
    parents: dict[int, set[int]] = defaultdict(set)
    for child, _, parent in links.tolist():
        named = isinstance(triples.terms[child], ox.NamedNode) and isinstance(
            triples.terms[parent], ox.NamedNode
        )
        if named and child != parent:
            parents[child].add(parent)
    closed: dict[int, set[int]] = {}
    for node in parents:
        seen: set[int] = set()
        todo = list(parents[node])
        while todo:
            parent = todo.pop()
            if parent not in seen:
                seen.add(parent)
                todo.extend(parents.get(parent, ()))
        closed[node] = seen - {node}
    return closed
