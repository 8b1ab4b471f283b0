"""The shapes split into runs, each handed only the triples its shapes can read.

shifty holds about 1.3 KiB a triple, so the whole graph of 10,000 documents would take six
GiB. A shape reads only the triples whose predicate it names (in a path, a target, a
comparison such as `sh:lessThanOrEquals`, or a triple pattern of its SPARQL), the types of
the classes it names (and of their subclasses), and the class hierarchy (`rdfs:subClassOf`,
for `sh:class` and `sh:targetClass`). Where that cannot be told (a variable predicate, a
negated path, `sh:closed`, a query that does not parse, a constraint component of one's
own), it reads everything.

Each shape with a target is the entry point of one run, so every result is reported once;
the shapes it refers to are followed when reckoning what it reads. Small shapes share runs.
A shape too big for one run (`RUN_TRIPLES`, `RUN_FOCUS`) is split by focus node, when its
targets are classes: a predicate it reads only from the focus node itself (`$this p ?x`:
the path of one of its own property shapes, or a pattern of its SPARQL) or only towards it
(`?x p $this`) is needed only for the part's own focus nodes, which the run names as
`sh:targetNode`s; the rest is handed to every part.
"""

from __future__ import annotations

import hashlib
import io
import math
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH
from rdflib.term import Node

from kg.ask.reads import EVERYTHING, Found, Reads, sparql_reads

RUN_TRIPLES = 1_000_000  # at ~1.3 KiB a triple in shifty, a run stays near 1.5 GiB
RUN_FOCUS = 50_000  # the engine also keeps each focus node's evaluation: ~4 KiB for kgsh:Statement
TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)
_TYPE = f"<{RDF.type}>".encode()
_SUBCLASS = f"<{RDFS.subClassOf}>".encode()


@dataclass(frozen=True)
class Part:
    """One of `count` parts of the focus nodes of a split shape: the instances of
    `targets` whose term hashes to `index`."""

    index: int
    count: int
    targets: frozenset[str]

    def holds(self, term: bytes) -> bool:
        return zlib.crc32(term) % self.count == self.index


@dataclass(frozen=True)
class Run:
    """Shapes validated together, on the triples they read (or a part of a shape's focus nodes)."""

    shapes: tuple[str, ...]
    reads: Reads
    part: Part | None = None


@dataclass
class Census:
    """How many triples of each predicate the data holds, and of each class's type, the
    class hierarchy, and the classes with blank-node instances: one pass over the data, to
    plan the runs and filter their triples."""

    predicates: Counter[bytes] = field(default_factory=Counter)
    types: Counter[bytes] = field(default_factory=Counter)
    subclasses: dict[bytes, set[bytes]] = field(default_factory=dict)  # class -> its direct subclasses
    blank_classes: set[bytes] = field(default_factory=set)

    @classmethod
    def of(cls, files: Iterable[Path]) -> Census:
        census = cls()
        for _, subject, predicate, rest in _lines(files):
            census.predicates[predicate] += 1
            if predicate == _TYPE:
                census.types[_object(rest)] += 1
                if subject.startswith(b"_:"):
                    census.blank_classes.add(_object(rest))
            elif predicate == _SUBCLASS:
                census.subclasses.setdefault(_object(rest), set()).add(subject)
        return census

    def classes_under(self, classes: Iterable[str]) -> set[bytes]:
        """The classes and all their subclasses, as N-Triples terms."""
        found: set[bytes] = set()
        todo = [_term(c) for c in classes]
        while todo:
            term = todo.pop()
            if term not in found:
                found.add(term)
                todo.extend(self.subclasses.get(term, ()))
        return found

    def size(self, reads: Reads) -> int:
        """How many triples `reads` takes."""
        if reads.everything:
            return sum(self.predicates.values())
        wanted = {_term(p) for p in reads.all_predicates} - {_TYPE}
        size = sum(self.predicates[p] for p in wanted | {_SUBCLASS})
        if str(RDF.type) in reads.all_predicates:
            return size + self.predicates[_TYPE]
        return size + sum(self.types[c] for c in self.classes_under(reads.classes))


def entry_shapes(shapes: Graph) -> list[Node]:
    """The shapes with targets (explicit, or implicit: a shape that is also a class)."""
    explicit = {s for target in TARGETS for s in shapes.subjects(target, None)}
    return sorted(explicit | _class_shapes(shapes), key=str)


def target_classes(shapes: Graph, shape: Node) -> frozenset[str] | None:
    """The classes whose instances `shape` targets, when those are all its targets."""
    others = any((shape, target, None) in shapes for target in TARGETS if target != SH.targetClass)
    classes = set(shapes.objects(shape, SH.targetClass))
    if others or shape in _class_shapes(shapes) or not all(isinstance(c, URIRef) for c in classes):
        return None
    return frozenset(str(c) for c in classes)


def shape_reads(shapes: Graph, shape: Node) -> Reads:
    """What `shape` can read: every term it names, followed through the shapes it refers
    to, and the predicates and classes of its SPARQL."""
    if (None, RDF.type, SH.ConstraintComponent) in shapes:  # its SPARQL is not under the shape
        return EVERYTHING
    prefixes = {str(p): str(n) for p, n in _declared_prefixes(shapes)}
    on_focus = _on_focus(shapes, shape)
    found = Found()
    seen: set[Node] = set()
    todo = [shape]
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for predicate, value in shapes.predicate_objects(node):
            anchor = _anchor(shapes, value) if predicate == SH.path and node in on_focus else None
            if predicate == SH.closed and value == Literal(True):
                return EVERYTHING
            if predicate in (SH.select, SH.ask):
                found.add(sparql_reads(str(value), prefixes, on_focus=node in on_focus))
            elif anchor is not None:
                found.add(anchor)
            elif predicate in (SH.targetClass, SH["class"]) and isinstance(value, URIRef):
                found.add(Reads(classes=frozenset({str(value)})))
            elif isinstance(value, URIRef):
                found.add(Reads(predicates=frozenset({str(value)})))
                todo.append(value)
            elif isinstance(value, BNode):
                todo.append(value)
    return found.reads()


def plan(
    entries: dict[str, Reads],
    census: Census,
    targets: dict[str, frozenset[str] | None],
    limit: int = RUN_TRIPLES,
    focus_limit: int = RUN_FOCUS,
) -> list[Run]:
    """The entry shapes in runs: a shape bigger than `limit` triples, or with more than
    `focus_limit` focus nodes, split by focus node where it can be; the others packed into as
    few runs as fit in `limit` (or in the biggest of them)."""
    runs: list[Run] = []
    packed: dict[str, Reads] = {}
    for name, reads in sorted(entries.items()):
        classes = targets.get(name)
        count = _parts(reads, classes, census, (limit, focus_limit))
        if classes is not None and count > 1:
            runs += [Run((name,), reads, Part(i, count, classes)) for i in range(count)]
        else:
            packed[name] = reads
    budget = max([limit, *(census.size(reads) for reads in packed.values())])
    groups: list[Run] = []
    for name in sorted(packed, key=lambda n: (-census.size(packed[n]), n)):
        reads = packed[name]
        fits = [(census.size(run.reads | reads), i) for i, run in enumerate(groups)]
        fits = [(size, i) for size, i in fits if size <= budget]
        if fits:
            i = min(fits)[1]
            groups[i] = Run((*groups[i].shapes, name), groups[i].reads | reads)
        else:
            groups.append(Run((name,), Reads() | reads))
    return groups + runs


def triples_read(files: Iterable[Path], run: Run, census: Census) -> tuple[bytes, list[bytes]]:
    """The N-Triples lines of `files` that `run` takes, and (for a part of a split shape)
    the focus nodes of the part."""
    taken = _Taken.of(run, census)
    if taken.everything:
        return b"\n".join(path.read_bytes() for path in files), []
    part = run.part
    kept, focus = io.BytesIO(), set()
    for line, subject, predicate, rest in _lines(files):
        if predicate == _TYPE:
            kind = _object(rest)
            if taken.all_types or kind in taken.classes:
                kept.write(line)
            if kind in taken.targets and part and part.holds(subject):
                focus.add(subject)
        elif (
            predicate in taken.predicates
            or (predicate in taken.of_focus and part and part.holds(subject))
            or (predicate in taken.to_focus and part and part.holds(_object(rest)))
        ):
            kept.write(line)
    return kept.getvalue(), sorted(focus)


def handed_digests(files: list[Path], runs: list[Run], census: Census) -> list[tuple[str, str]]:
    """For each run, the SHA-256 of the triples and of the focus nodes that `triples_read`
    gives it, for all runs in one pass over the data (to look up their reports in a cache
    without a pass for each)."""
    takers = _Takers([_Taken.of(run, census) for run in runs], runs)
    data = [hashlib.sha256() for _ in runs]
    focus: list[set[bytes]] = [set() for _ in runs]
    for line, subject, predicate, rest in _lines(files) if len(takers.whole) < len(runs) else ():
        if predicate == _TYPE:
            kind = _object(rest)
            for i in takers.of_type(kind):
                data[i].update(line)
            for i, part in takers.targets.get(kind, ()):
                if part.holds(subject):
                    focus[i].add(subject)
        else:
            for i in takers.always.get(predicate, ()):
                data[i].update(line)
            for i, part, of_subject in takers.anchored.get(predicate, ()):
                if part.holds(subject if of_subject else _object(rest)):
                    data[i].update(line)
    for i in takers.whole:
        for n, path in enumerate(files):
            data[i].update(b"\n" if n else b"")
            with path.open("rb") as stream:
                while chunk := stream.read(1 << 20):
                    data[i].update(chunk)
    nodes = [hashlib.sha256(b"\n".join(sorted(f))).hexdigest() for f in focus]
    return [(d.hexdigest(), n) for d, n in zip(data, nodes, strict=True)]


@dataclass(frozen=True)
class _Taken:
    """What a run takes of the data: the triples of `predicates`; those of `of_focus`
    (`to_focus`) from (towards) its part's focus nodes; the types of `classes`, or all types;
    and, of the types of `targets`, its part's focus nodes."""

    everything: bool
    predicates: frozenset[bytes] = frozenset()
    of_focus: frozenset[bytes] = frozenset()
    to_focus: frozenset[bytes] = frozenset()
    all_types: bool = False
    classes: frozenset[bytes] = frozenset()
    targets: frozenset[bytes] = frozenset()

    @classmethod
    def of(cls, run: Run, census: Census) -> _Taken:
        reads, part = run.reads, run.part
        if reads.everything:
            return cls(True)
        wanted = {_term(p) for p in (reads.predicates if part else reads.all_predicates)} | {_SUBCLASS}
        return cls(
            False,
            frozenset(wanted),
            frozenset(_term(p) for p in reads.of_focus) if part else frozenset(),
            frozenset(_term(p) for p in reads.to_focus) if part else frozenset(),
            _TYPE in wanted,
            frozenset(census.classes_under(reads.classes)),
            frozenset(census.classes_under(part.targets)) if part else frozenset(),
        )


class _Takers:
    """For `handed_digests`, the runs (by index) that take a line: by class, those that take
    its types and those whose focus nodes it gives; by predicate, those that take its
    triples, and those that take them from or towards their focus nodes."""

    def __init__(self, taken: list[_Taken], runs: list[Run]) -> None:
        self.taken = taken
        self.whole = [i for i, t in enumerate(taken) if t.everything]
        self.typed: dict[bytes, tuple[int, ...]] = {}
        self.targets: dict[bytes, list[tuple[int, Part]]] = {}
        self.always: dict[bytes, list[int]] = {}
        self.anchored: dict[bytes, list[tuple[int, Part, bool]]] = {}
        for i, (t, part) in enumerate(zip(taken, (run.part for run in runs), strict=True)):
            for predicate in t.predicates - {_TYPE}:
                self.always.setdefault(predicate, []).append(i)
            if part is None:
                continue
            for kind in t.targets:
                self.targets.setdefault(kind, []).append((i, part))
            for predicates, of_subject in ((t.of_focus, True), (t.to_focus, False)):
                for predicate in predicates - t.predicates - {_TYPE}:
                    self.anchored.setdefault(predicate, []).append((i, part, of_subject))

    def of_type(self, kind: bytes) -> tuple[int, ...]:
        found = self.typed.get(kind)
        if found is None:
            found = self.typed[kind] = tuple(
                i for i, t in enumerate(self.taken) if not t.everything and (t.all_types or kind in t.classes)
            )
        return found


def targeted(shapes: Graph, run: Run, focus: list[bytes]) -> Graph:
    """`shapes` with the split shape of `run` targeting just `focus`."""
    shape = URIRef(run.shapes[0])
    copy = Graph(namespace_manager=shapes.namespace_manager)
    for triple in shapes:
        if triple[0] != shape or triple[1] != SH.targetClass:
            copy.add(triple)
    for term in focus:
        copy.add((shape, SH.targetNode, URIRef(term.decode()[1:-1])))  # an IRI: blank nodes are never split
    return copy


def _parts(reads: Reads, classes: frozenset[str] | None, census: Census, limits: tuple[int, int]) -> int:
    """Into how many parts to split a shape's focus nodes so that each fits in the limits
    (triples, focus nodes); 1 where it cannot be split."""
    if not classes or census.classes_under(classes) & census.blank_classes:
        return 1  # not targets by class, or a blank node (which cannot be a sh:targetNode) among them
    triples, focus = limits
    size, shared = census.size(reads), census.size(reads.shared())
    by_focus = math.ceil(sum(census.types[c] for c in census.classes_under(classes)) / focus)
    if size <= triples or shared >= triples or not (reads.of_focus or reads.to_focus):
        return max(by_focus, 1)
    return max(by_focus, math.ceil((size - shared) / (triples - shared)))


def _on_focus(shapes: Graph, shape: Node) -> set[Node]:
    """The shapes that apply to the focus node itself, and only to it: `shape` (unless it
    refers back to itself), its property shapes, and the shapes it combines (`sh:node`,
    `sh:not`, `sh:and`, `sh:or`, `sh:xone`) that nothing else refers to; and their SPARQL
    constraints that only they use."""
    if shape in {o for node in _reachable(shapes, shape) for o in shapes.objects(node, None)}:
        return set()
    found: set[Node] = set()
    todo = [shape]
    while todo:
        node = todo.pop()
        found.add(node)
        if (node, SH.path, None) in shapes:
            continue  # a property shape: what it refers to applies to its values
        referred = [*shapes.objects(node, SH.property), *shapes.objects(node, SH.node)]
        referred += shapes.objects(node, SH["not"])
        for combined in (SH["and"], SH["or"], SH.xone):
            for head in shapes.objects(node, combined):
                cells = {head, *shapes.transitive_objects(head, RDF.rest)} - {RDF.nil, None}
                if all(_referred_once(shapes, cell) for cell in cells if cell is not None):
                    referred += Collection(shapes, head)
        todo += [child for child in referred if child not in found and _referred_once(shapes, child)]
    for constraint in {c for node in found for c in shapes.objects(node, SH.sparql)}:
        if all(user in found for user in shapes.subjects(SH.sparql, constraint)):
            found.add(constraint)  # its $this is the focus node
    return found


def _referred_once(shapes: Graph, node: Node) -> bool:
    return len(set(shapes.subject_predicates(node))) == 1


def _reachable(shapes: Graph, start: Node) -> set[Node]:
    found: set[Node] = set()
    todo = [start]
    while todo:
        node = todo.pop()
        if node not in found:
            found.add(node)
            todo += shapes.objects(node, None)
    return found


def _anchor(shapes: Graph, path: Node) -> Reads | None:
    """A property shape's path read from the focus node: a predicate, or its inverse."""
    if isinstance(path, URIRef) and path != RDF.type:
        return Reads(of_focus=frozenset({str(path)}))
    inverse = shapes.value(path, SH.inversePath)
    only = len(list(shapes.predicate_objects(path))) == 1
    if isinstance(path, BNode) and isinstance(inverse, URIRef) and only:
        return Reads(to_focus=frozenset({str(inverse)}))
    return None


def _class_shapes(shapes: Graph) -> set[Node]:
    kinds = (SH.NodeShape, SH.PropertyShape)
    return {
        s
        for kind in (RDFS.Class, OWL.Class)
        for s in shapes.subjects(RDF.type, kind)
        if any((s, RDF.type, k) in shapes for k in kinds)
    }


def _term(iri: str) -> bytes:
    return f"<{iri}>".encode()


def _lines(files: Iterable[Path]) -> Iterator[tuple[bytes, bytes, bytes, bytes]]:
    """Each triple's line of N-Triples, its subject, its predicate and what follows."""
    for path in files:
        with path.open("rb") as stream:
            for line in stream:
                parts = line.split(None, 2)
                if len(parts) == 3:
                    yield (line if line.endswith(b"\n") else line + b"\n"), parts[0], parts[1], parts[2]


def _object(rest: bytes) -> bytes:
    """The object of a triple whose object is an IRI or blank node."""
    return rest.split(None, 1)[0]


def _declared_prefixes(shapes: Graph) -> Iterator[tuple[Node, Node]]:
    for declaration in shapes.objects(None, SH.declare):
        prefix, namespace = shapes.value(declaration, SH.prefix), shapes.value(declaration, SH.namespace)
        if prefix is not None and namespace is not None:
            yield prefix, namespace
