"""The quads of a build, held compactly: each distinct term once, each quad as four numbers.

A pyoxigraph `Quad` costs about 480 bytes and a key of four strings to sort it by as much
again; at 10,000 documents (4.5 million quads) the graph held that way several times took
7 GiB. Here a quad is a row of four term numbers (16 bytes, in an `array`), and sorting
sorts the rows with numpy by each term's rank in N-Triples text order, so the outputs come
out in the same stable order as sorting the quads by their text (code point order).
"""

from __future__ import annotations

import bisect
import operator
from array import array
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO, Generic, TypeVar

import numpy as np
import numpy.typing as npt
import pyoxigraph as ox

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.DefaultGraph | ox.Triple
Rows = npt.NDArray[np.uintc]
T = TypeVar("T", ox.Quad, ox.Triple)
CHUNK = 1 << 16  # rows turned into pyoxigraph objects, or lines of text, at a time


class QuadTable:
    """Quads in the order they were added (duplicates kept until `sorted`)."""

    def __init__(self, quads: Iterable[ox.Quad] = ()) -> None:
        self._number: dict[Term, int] = {}
        self._terms: list[Term] = []
        self._rows = array("I")  # graph, subject, predicate, object; 4 bytes each
        self.extend(quads)

    def append(self, quad: ox.Quad) -> None:
        self.add(quad.graph_name, quad.subject, quad.predicate, quad.object)

    def about(self, graph: Term, subject: Term) -> Callable[[Term, Term], None]:
        """A function that adds the quad of `subject` in `graph` with a predicate and an
        object (the numbers of the two looked up once)."""
        graph_number, subject_number, number = self._term(graph), self._term(subject), self._term

        def add(predicate: Term, obj: Term) -> None:
            self._rows.extend((graph_number, subject_number, number(predicate), number(obj)))

        return add

    def add(self, graph: Term, subject: Term, predicate: Term, obj: Term) -> None:
        """Add the quad of these terms (without making a pyoxigraph `Quad`: 1.6 us each)."""
        number = self._term
        self._rows.extend((number(graph), number(subject), number(predicate), number(obj)))

    def extend(self, quads: Iterable[ox.Quad]) -> None:
        for quad in quads:
            self.append(quad)

    def __len__(self) -> int:
        return len(self._rows) // 4

    def parts(self) -> tuple[list[Term], Rows]:
        """The terms, and the rows of their numbers (graph, subject, predicate, object) in the
        order the quads were added (a copy)."""
        return list(self._terms), self._view().copy()

    def add_rows(self, terms: list[Term], rows: Rows) -> None:
        """Add the quads of rows of numbers into `terms` (as `parts` gives them)."""
        if len(rows):
            used = np.unique(rows)
            number = np.zeros(len(terms), dtype=np.uintc)
            number[used] = [self._term(terms[i]) for i in used.tolist()]
            self._rows.frombytes(number[rows].tobytes())

    def __iter__(self) -> Iterator[ox.Quad]:
        return iter(Ordered[ox.Quad](self._terms, self._view().copy()))

    def with_predicate(self, predicates: Collection[str]) -> Iterator[ox.Quad]:
        """The quads whose predicate is one of `predicates` (IRIs)."""
        known = [self._number[p] for p in map(ox.NamedNode, predicates) if p in self._number]
        rows = self._view()
        return iter(Ordered[ox.Quad](self._terms, rows[np.isin(rows[:, 2], known)]))

    def subjects(self, predicate: str, objects: Collection[str]) -> set[Term]:
        """The subjects of the quads with `predicate` and one of `objects` (IRIs)."""
        known = [self._number[o] for o in map(ox.NamedNode, objects) if o in self._number]
        if (link := self._number.get(ox.NamedNode(predicate))) is None or not known:
            return set()
        rows = self._view()
        found = rows[(rows[:, 2] == link) & np.isin(rows[:, 3], known), 1]
        return {self._terms[i] for i in np.unique(found).tolist()}

    def discard(self, triples: Collection[ox.Triple]) -> None:
        """Leave out every quad of these triples, in whichever graph."""
        number = self._number.get
        wanted = {(number(t.subject), number(t.predicate), number(t.object)) for t in triples}
        rows = self._view()
        about = np.flatnonzero(np.isin(rows[:, 1], [s for s, _, _ in wanted if s is not None]))
        drop = [i for i, row in zip(about, rows[about, 1:].tolist(), strict=True) if tuple(row) in wanted]
        if drop:
            kept = np.delete(rows, drop, axis=0)
            del rows
            self._rows = array("I")
            self._rows.frombytes(kept.data.cast("B"))

    def sorted(self) -> Ordered[ox.Quad]:
        """The distinct quads, by graph, subject, predicate and object."""
        return Ordered(*self._ordered(slice(0, 4)))

    def triples(self) -> Ordered[ox.Triple]:
        """The union of all graphs: the distinct triples, by subject, predicate and object."""
        return Ordered(*self._ordered(slice(1, 4)))

    def _ordered(self, columns: slice) -> tuple[list[Term], Rows]:
        """These columns of the rows sorted and without duplicates, over terms renumbered in
        text order."""
        text = [str(term) for term in self._terms]
        by_text = sorted(range(len(text)), key=text.__getitem__)
        in_order = [text[i] for i in by_text]
        first = np.ones(len(text), dtype=bool)  # the first of its text (two literals can be one term)
        first[1:] = np.fromiter(map(operator.ne, in_order[1:], in_order[:-1]), bool, len(first) - 1)
        del text, in_order
        order = np.array(by_text, dtype=np.intp)
        rank = np.empty(len(order), dtype=np.uintc)
        rank[order] = np.cumsum(first) - 1
        terms = [self._terms[i] for i in order[first].tolist()]
        return terms, _distinct(rank[self._view()[:, columns]])

    def _term(self, term: Term) -> int:
        number = self._number.get(term)
        if number is None:
            number = self._number[term] = len(self._terms)
            self._terms.append(term)
        return number

    def _view(self) -> Rows:
        """The rows as a numpy array over the same memory: to let go of before the table
        grows (an array lent out cannot be resized)."""
        return np.frombuffer(self._rows, dtype=np.uintc).reshape(-1, 4)


@dataclass(frozen=True)
class Ordered(Generic[T]):
    """Rows of term numbers: quads (graph, subject, predicate, object) or triples (subject,
    predicate, object); iterated as pyoxigraph objects, a chunk at a time."""

    terms: list[Term]
    rows: Rows

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[T]:
        terms = self.terms
        for start in range(0, len(self.rows), CHUNK):
            chunk = self.rows[start : start + CHUNK].tolist()
            if self.rows.shape[1] == 4:
                yield from (ox.Quad(terms[s], terms[p], terms[o], terms[g]) for g, s, p, o in chunk)  # type: ignore[misc]
            else:
                yield from (ox.Triple(terms[s], terms[p], terms[o]) for s, p, o in chunk)  # type: ignore[misc]

    def write_lines(self, handle: BinaryIO) -> None:
        """Write these rows as N-Triples (triples) or N-Quads (quads): the bytes pyoxigraph's
        serialiser writes, each term being pyoxigraph's own N-Triples text, but joined a chunk
        of lines at a time without making an object per quad (10,000 documents: graph.nt in
        3.3 s, not 9.3 s)."""
        quads = self.rows.shape[1] == 4
        texts: list[bytes] = [str(term).encode() for term in self.terms]
        space, end = len(texts), len(texts) + 1
        graphs = np.unique(self.rows[:, 0]).tolist() if quads else []
        named: list[bytes] = [
            b"" if isinstance(self.terms[g], ox.DefaultGraph) else b" " + texts[g] for g in graphs
        ]
        pieces = np.empty(len(texts) + 2 + len(graphs), dtype=object)
        pieces[:] = [*texts, b" ", b" .\n", *named]
        as_graph = np.zeros(len(texts), dtype=np.intp)
        as_graph[graphs] = np.arange(end + 1, end + 1 + len(graphs))
        for start in range(0, len(self.rows), CHUNK):
            rows = self.rows[start : start + CHUNK].astype(np.intp)
            line = np.empty((len(rows), 7 if quads else 6), dtype=np.intp)  # s p o [g] .
            line[:, 0:5:2] = rows[:, -3:]
            line[:, 1:4:2] = space
            if quads:
                line[:, 5] = as_graph[rows[:, 0]]
            line[:, -1] = end
            handle.write(b"".join(pieces[line.ravel()].tolist()))

    def graph(self, name: ox.NamedNode) -> Ordered[ox.Triple]:
        """The triples of one graph of these quads."""
        return Ordered(self.terms, self.rows[self.rows[:, 0] == self.number(name)][:, 1:])

    def with_predicate(self, predicate: str) -> Ordered[T]:
        """The rows whose predicate is `predicate` (an IRI)."""
        return Ordered(self.terms, self.rows[self.rows[:, -2] == self.number(ox.NamedNode(predicate))])

    def others(self, rows: Rows) -> Ordered[T]:
        """`rows` (over the same terms) that are not among these rows, distinct and sorted."""
        rows = _distinct(rows)
        both: Rows = np.concatenate([rows, self.rows])
        mine = np.concatenate([np.ones(len(rows), dtype=bool), np.zeros(len(self.rows), dtype=bool)])
        order = np.lexsort((~mine, *both.T[::-1]))  # a row of `rows` just before its twin here
        merged, mine = both[order], mine[order]
        known = np.zeros(len(merged), dtype=bool)
        known[:-1] = (merged[1:] == merged[:-1]).all(axis=1)
        return Ordered(self.terms, merged[mine & ~known])

    def graph_sizes(self) -> dict[str, int]:
        """How many quads each named graph holds, by graph IRI."""
        graphs, counts = np.unique(self.rows[:, 0], return_counts=True)
        named = [(self.terms[g], c) for g, c in zip(graphs.tolist(), counts.tolist(), strict=True)]
        return dict(sorted((g.value, c) for g, c in named if isinstance(g, ox.NamedNode)))

    def number(self, term: Term) -> int:
        """The number of `term` (the terms are in text order), or -1 if it is not among them."""
        at = bisect.bisect_left(self.terms, str(term), key=str)
        return at if at < len(self.terms) and self.terms[at] == term else -1


def _distinct(rows: Rows) -> Rows:
    """The rows sorted (by the first column, then the next...), without repeats."""
    rows = rows[np.lexsort(rows.T[::-1])]
    return np.delete(rows, np.flatnonzero((rows[1:] == rows[:-1]).all(axis=1)) + 1, axis=0)
