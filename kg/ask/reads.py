"""What a SPARQL query reads: the predicates and classes of its patterns, and the graphs it
looks into (for `kg query` and `kg validate` to load no other); `Reads` is also what a shape
reads (kg.check.shaperuns)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from rdflib import URIRef, Variable
from rdflib.namespace import RDF
from rdflib.paths import AlternativePath, InvPath, MulPath, SequencePath
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue

from kg.ask.dataset import WHOLE, Dataset

_THIS = Variable("this")


@dataclass(frozen=True)
class Reads:
    """What a query or a shape can read: triples of these predicates, types of these classes
    (and their subclasses); all types when `rdf:type` is among the predicates; or everything.
    `of_focus` and `to_focus` are predicates it reads only from or towards a focus node."""

    predicates: frozenset[str] = frozenset()
    classes: frozenset[str] = frozenset()
    everything: bool = False
    of_focus: frozenset[str] = frozenset()
    to_focus: frozenset[str] = frozenset()

    def __or__(self, other: Reads) -> Reads:
        """What two shapes run together read: their focus nodes differ, so no predicate
        is read from focus nodes only."""
        predicates = self.all_predicates | other.all_predicates
        return Reads(predicates, self.classes | other.classes, self.everything or other.everything)

    @property
    def all_predicates(self) -> frozenset[str]:
        return self.predicates | self.of_focus | self.to_focus

    def shared(self) -> Reads:
        """What every part of a split run reads."""
        return Reads(self.predicates, self.classes, self.everything)


EVERYTHING = Reads(everything=True)


def sparql_reads(query: str, prefixes: dict[str, str], on_focus: bool = False) -> Reads:
    """The predicates and classes a SPARQL query's patterns name: a pattern `?x a C` reads
    the types of C; a variable predicate or a negated path reads everything. With
    `on_focus`, `$this` is the focus node, and a predicate read only as `$this p ?x` (or
    `?x p $this`, or one step of a path from it: `$this p|^q ?x`) is read only from (towards)
    it."""
    try:
        algebra = prepareQuery(query, initNs=prefixes).algebra
    except Exception:  # rdflib raises several parser exception types; the engine will say what is wrong
        return EVERYTHING
    found = Found()
    for subject, predicate, value in _patterns(algebra):
        reads = _pattern_reads(predicate, value)
        if reads is None:
            return EVERYTHING
        steps = _one_step(predicate) if on_focus and _THIS in (subject, value) else None
        if steps is not None:
            forward, backward = steps if subject == _THIS else steps[::-1]
            reads = Reads(of_focus=forward, to_focus=backward)
        found.add(reads)
    return found.reads()


def dataset_read(query: str, prefixes: dict[str, str]) -> Dataset:
    """The graphs a query reads: the named graphs it looks into (`GRAPH <g>`; any, for
    `GRAPH ?g` or a FROM clause), and the default graph unless every pattern is inside a
    GRAPH pattern. A query rdflib cannot parse reads everything."""
    if not {"graph", "from"} & set(re.findall(r"[a-z]+", query.lower())):
        return Dataset(frozenset())  # no need to parse it (rdflib takes ~25 ms a query)
    try:
        parsed = prepareQuery(query, initNs=prefixes)
    except Exception:  # rdflib raises several parser exception types
        return WHOLE
    if _field(parsed.algebra, "datasetClause"):
        return WHOLE
    graphs: set[str] | None = set()
    for node in _nodes(parsed.algebra):
        if node.name in _GRAPH_PATTERNS:
            term = _field(node, "term")
            if not isinstance(term, URIRef):
                graphs = None
            elif graphs is not None:
                graphs.add(str(term))
    default = parsed.algebra.name == "DescribeQuery" or _outside_graphs(parsed.algebra)
    return Dataset(None if graphs is None else frozenset(graphs), default)


_GRAPH_PATTERNS = ("Graph", "GraphGraphPattern")


def _outside_graphs(node: object) -> bool:
    """Whether a triple pattern under `node` is outside every GRAPH pattern."""
    if isinstance(node, CompValue):
        if node.name in _GRAPH_PATTERNS:
            return False
        if _field(node, "triples"):
            return True
    if isinstance(node, dict):
        return any(_outside_graphs(child) for child in node.values())
    if isinstance(node, (list, tuple)):
        return any(_outside_graphs(child) for child in node)
    return False


class Found:
    """Reads gathered from the patterns of a query or the parts of a shape, sorted out at the
    end: a predicate read both from a focus node and otherwise is simply read."""

    def __init__(self) -> None:
        self.predicates: set[str] = set()
        self.classes: set[str] = set()
        self.of_focus: set[str] = set()
        self.to_focus: set[str] = set()
        self.everything = False

    def add(self, reads: Reads) -> None:
        self.predicates |= reads.predicates
        self.classes |= reads.classes
        self.of_focus |= reads.of_focus
        self.to_focus |= reads.to_focus
        self.everything |= reads.everything

    def reads(self) -> Reads:
        if self.everything:
            return EVERYTHING
        of_focus = self.of_focus - self.predicates - self.to_focus
        to_focus = self.to_focus - self.predicates - self.of_focus
        predicates = self.predicates | (self.of_focus - of_focus) | (self.to_focus - to_focus)
        return Reads(
            frozenset(predicates), frozenset(self.classes), False, frozenset(of_focus), frozenset(to_focus)
        )


def _patterns(algebra: object) -> Iterator[tuple[object, object, object]]:
    """Each triple pattern under an algebra node."""
    for node in _nodes(algebra):
        for triple in _field(node, "triples") or ():  # a BGP, or a TriplesBlock under EXISTS
            for i in range(0, len(triple) - 2, 3):
                yield triple[i], triple[i + 1], triple[i + 2]


def _nodes(node: object) -> Iterator[CompValue]:
    """Every algebra node under `node`, itself included."""
    if isinstance(node, CompValue):
        yield node
    if isinstance(node, dict):
        for child in node.values():
            yield from _nodes(child)
    elif isinstance(node, (list, tuple)):
        for child in node:
            yield from _nodes(child)


def _pattern_reads(predicate: object, value: object) -> Reads | None:
    """What one triple pattern reads (None: everything)."""
    if isinstance(predicate, Variable):
        return None
    if predicate == RDF.type and isinstance(value, URIRef):
        return Reads(classes=frozenset({str(value)}))
    if isinstance(predicate, URIRef):
        return Reads(predicates=frozenset({str(predicate)}))
    names = _path_predicates(predicate)
    return None if names is None else Reads(predicates=frozenset(names))


def _one_step(path: object) -> tuple[frozenset[str], frozenset[str]] | None:
    """The predicates a path follows forwards and backwards when it is one step (`p`, `^p`,
    `p|^q`); None for a longer path, or one through rdf:type (read as the types of classes)."""
    if isinstance(path, URIRef):
        return None if path == RDF.type else (frozenset({str(path)}), frozenset())
    if isinstance(path, InvPath):
        step = _one_step(path.arg)
        return None if step is None else step[::-1]
    if isinstance(path, AlternativePath):
        steps = [_one_step(part) for part in path.args]
        if any(step is None for step in steps):
            return None
        return frozenset().union(*(s[0] for s in steps if s)), frozenset().union(*(s[1] for s in steps if s))
    return None


def _path_predicates(path: object) -> set[str] | None:
    """The predicates a property path follows (None for a negated path: any predicate)."""
    if isinstance(path, URIRef):
        return {str(path)}
    if isinstance(path, (SequencePath, AlternativePath)):
        parts = path.args
    elif isinstance(path, InvPath):
        parts = [path.arg]
    elif isinstance(path, MulPath):
        parts = [path.path]
    else:
        return None
    found: set[str] = set()
    for part in parts:
        names = _path_predicates(part)
        if names is None:
            return None
        found |= names
    return found


def _field(node: CompValue, key: str) -> Any:
    """A field of an algebra node, or None (`CompValue.get` gives the key back when it is missing)."""
    return dict.get(node, key)
