"""Loading the built graph into an in-memory Oxigraph store (or, for several processes, once
into a store on disk that each opens read-only).

The default graph holds the merged graph (`graph.nt`: each triple once, whichever documents
state it) and, when the build reasoned, the inferred triples; the named graphs of
`graph.nq` are there for GRAPH patterns. (Oxigraph's union default graph would repeat a
triple once per graph holding it.) A store for one query may hold only the graphs it reads
(kg.ask.dataset.Dataset).
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kg.ask.dataset import WHOLE, Dataset
from kg.compile.output import INFERRED_FILE, load_file
from kg.errors import KgError, Location

_DATABASE = "database"  # the store's own files, in a folder of their own
_READY = "kg-store"  # written once the store is filled


def check_graph(dist: Path) -> None:
    """Fail clearly when there is no build in `dist`."""
    if not (dist / "graph.nt").is_file() or not (dist / "graph.nq").is_file():
        raise KgError(f"no built graph in {dist}; run 'kg build' first")


def load_graph(dist: Path, dataset: Dataset = WHOLE) -> ox.Store:
    """The build in `dist` as a store (ask `GRAPH graph:inferred { … }` whether a triple
    was inferred), of its graphs only those `dataset` names."""
    check_graph(dist)
    return _filled(ox.Store(), dist, dataset)


def store_on_disk(dist: Path, folder: Path) -> Path:
    """The build in `dist` loaded once into an Oxigraph store on disk under `folder` (the
    same graphs as `load_graph`), for several processes to open read-only (`open_store`)
    instead of each loading its own copy into memory."""
    check_graph(dist)
    store = _filled(ox.Store(str(folder / _DATABASE)), dist)
    store.flush()
    del store
    (folder / _READY).write_text(
        "an Oxigraph store of a kg build, for kg serve's workers\n", encoding="utf-8"
    )
    return folder


def open_store(source: Path, dataset: Dataset = WHOLE) -> ox.Store:
    """A store folder `store_on_disk` made, opened read-only; else a build folder, loaded
    (of its graphs only those `dataset` names)."""
    if (source / _READY).is_file():
        return ox.Store.read_only(str(source / _DATABASE))
    return load_graph(source, dataset)


def _filled(store: ox.Store, dist: Path, dataset: Dataset = WHOLE) -> ox.Store:
    for default in (dist / "graph.nt", dist / INFERRED_FILE):
        if dataset.default and default.is_file():
            load_file(store, default, ox.RdfFormat.N_TRIPLES)
    if dataset.graphs is None:
        load_file(store, dist / "graph.nq", ox.RdfFormat.N_QUADS)
    elif dataset.graphs:
        _load_graphs(store, dist / "graph.nq", {f"<{graph}>".encode() for graph in dataset.graphs})
    return store


def _load_graphs(store: ox.Store, path: Path, graphs: set[bytes]) -> None:
    """Load the quads of `path` (N-Quads, one a line, as the build writes them) in `graphs`;
    an error names the line of `path`."""
    kept: list[bytes] = []
    numbers: list[int] = []
    try:
        with path.open("rb") as stream:
            for number, line in enumerate(stream, 1):
                if _graph_of(line) in graphs:
                    kept.append(line)
                    numbers.append(number)
    except OSError as exc:
        raise KgError(f"cannot read the built file ({exc.strerror or exc})", Location(path)) from None
    try:
        store.bulk_load(b"".join(kept), format=ox.RdfFormat.N_QUADS)
    except SyntaxError as exc:
        at = numbers[exc.lineno - 1] if exc.lineno and exc.lineno <= len(numbers) else 0
        raise KgError(
            f"the built file is damaged ({exc.msg}); run 'kg build' again", Location(path, at)
        ) from None


def _graph_of(line: bytes) -> bytes:
    """The graph of a line of N-Quads: its last term before the closing dot."""
    parts = line.rsplit(None, 2)
    return parts[-2] if len(parts) == 3 else b""
