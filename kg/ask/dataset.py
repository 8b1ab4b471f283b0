"""The graphs of a build a query reads (kg.ask.reads.dataset_read), for a store to load no
other (kg.ask.load)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Dataset:
    """What a query reads of a build: of its named graphs these (None: any), and whether its
    default graph (a query that reads only inside GRAPH patterns does not)."""

    graphs: frozenset[str] | None = None
    default: bool = True

    def __or__(self, other: Dataset) -> Dataset:
        graphs = None if self.graphs is None or other.graphs is None else self.graphs | other.graphs
        return Dataset(graphs, self.default or other.default)


WHOLE = Dataset()
