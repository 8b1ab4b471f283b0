"""Loading the built graph into an in-memory Oxigraph store, or once into a store on disk
that processes open read-only: for several workers, or a build too big for memory. A store on
disk is kept beside the build (`keep_store`) for the next query or server, until the build
changes; where it cannot be, it is made in a temporary folder (`temporary_store`).

The default graph holds the merged graph (`graph.nt`: each triple once, whichever documents
state it) and, when the build reasoned, the inferred triples; the named graphs of
`graph.nq` are there for GRAPH patterns. (Oxigraph's union default graph would repeat a
triple once per graph holding it.) A store for one query may hold only the graphs it reads
(kg.ask.dataset.Dataset).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from kg.ask.dataset import WHOLE, Dataset
from kg.compile.output import INFERRED_FILE, load_file
from kg.errors import KgError, Location

_DATABASE = "database"  # the store's own files, in a folder of their own
_READY = "kg-store"  # written once the store is filled
_OWNER = "kg-owner"  # the process of a temporary store, to remove it once that has ended
_MADE_FROM = "made-from"  # in a kept store: the built files it was made from (`_fingerprint`)
_CHUNK = 64 * 2**20  # bytes of a built file bulk-loaded at once into a store on disk
ON_DISK = 2**30  # bytes of built files from which a query's store is kept on disk, not in memory
REUSE = 64 * 2**20  # bytes of built files from which a store kept on disk is opened instead


def check_graph(dist: Path) -> None:
    """Fail clearly when there is no build in `dist`."""
    if not (dist / "graph.nt").is_file() or not (dist / "graph.nq").is_file():
        raise KgError(f"no built graph in {dist}; run 'kg build' first")


def load_graph(dist: Path, dataset: Dataset = WHOLE) -> ox.Store:
    """The build in `dist` as a store (ask `GRAPH graph:inferred { … }` whether a triple
    was inferred), of its graphs only those `dataset` names."""
    check_graph(dist)
    return _filled(ox.Store(), dist, dataset)


def store_on_disk(dist: Path, folder: Path, dataset: Dataset = WHOLE) -> Path:
    """The build in `dist` loaded once into an Oxigraph store on disk under `folder` (the
    same graphs as `load_graph`), for several processes to open read-only (`open_store`)
    instead of each loading its own copy into memory. Loaded a chunk at a time: at 10,000
    documents the whole build takes 0.7 GiB so, 1.8 GiB in one bulk load, 2.9 GiB in memory."""
    check_graph(dist)
    store = _filled(ox.Store(str(folder / _DATABASE)), dist, dataset, chunked=True)
    store.optimize()  # the chunks' files merged: at 10,000 documents 9 s, queries up to 40 % faster
    store.flush()
    del store
    (folder / _READY).write_text(
        "an Oxigraph store of a kg build, for the workers of kg query and kg serve\n", encoding="utf-8"
    )
    return folder


def temporary_store(dist: Path, prefix: str, dataset: Dataset = WHOLE) -> Path:
    """`store_on_disk` in a new temporary folder named `prefix`…, for the caller to remove;
    first the folders of that name whose process ended without removing its own (killed)
    are removed."""
    _remove_abandoned(Path(tempfile.gettempdir()), prefix)
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        (folder / _OWNER).write_text(f"{os.getpid()}\n", encoding="ascii")
        return store_on_disk(dist, folder, dataset)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise


def kept_store(dist: Path) -> Path | None:
    """The store `keep_store` made beside the build in `dist`, if it was made from the
    build's files as they are now; one made from other files (an earlier build's) is
    removed."""
    try:
        folder = _kept(dist)
        made_from = (folder / _MADE_FROM).read_text(encoding="utf-8")
    except OSError:
        return None
    if made_from == _fingerprint(dist) and (folder / _READY).is_file():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    return None


def keep_store(dist: Path) -> Path:
    """The build in `dist` as a store on disk beside it (`.NAME-store`), kept for the
    next queries and servers of the same build instead of loaded again by each (at 10,000
    documents, a minute): made unless `kept_store` finds one. Raises OSError where it
    cannot be made."""
    found = kept_store(dist)
    if found is not None:
        return found
    target = _kept(dist)
    fingerprint = _fingerprint(dist)
    making = f"{target.name}-making-"
    _remove_abandoned(target.parent, making)
    staging = Path(tempfile.mkdtemp(prefix=making, dir=target.parent))
    try:
        (staging / _OWNER).write_text(f"{os.getpid()}\n", encoding="ascii")
        store_on_disk(dist, staging)
        (staging / _MADE_FROM).write_text(fingerprint, encoding="utf-8")
        try:
            os.rename(staging, target)
        except OSError:
            if kept_store(dist) is None:  # else another process kept its own first
                raise
        return target
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _kept(dist: Path) -> Path:
    dist = Path(os.path.abspath(dist))
    if not dist.name:
        raise OSError(f"no folder beside {dist} to keep a store in")
    return dist.with_name(f".{dist.name}-store")


def _fingerprint(dist: Path) -> str:
    """What a store was made from: the built files' names, sizes and times of change."""
    files = [dist / name for name in ("graph.nt", INFERRED_FILE, "graph.nq")]
    made = [
        f"{path.name} {path.stat().st_size} {path.stat().st_mtime_ns}" for path in files if path.is_file()
    ]
    return "\n".join([f"pyoxigraph {ox.__version__}", *made]) + "\n"


def _remove_abandoned(parent: Path, prefix: str) -> None:
    """Remove this user's folders named `prefix`… in `parent` whose process has ended."""
    for folder in parent.glob(f"{prefix}*"):
        try:
            if folder.is_symlink() or folder.stat().st_uid != os.getuid():
                continue
            owner = int((folder / _OWNER).read_text(encoding="ascii"))
        except (OSError, ValueError):
            continue  # not a store's folder, or one still being made
        if not _running(owner):
            shutil.rmtree(folder, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's
        return True
    return True


def loaded_size(dist: Path, dataset: Dataset = WHOLE) -> int:
    """The bytes of built files a store of `dataset` loads (some named graphs count as
    none: each is one document's, or the inferred triples)."""
    return sum(path.stat().st_size for path, _ in _whole_files(dist, dataset) if path.is_file())


def files_read(dist: Path, dataset: Dataset = WHOLE) -> list[Path]:
    """The built files a store of `dataset` reads, whole or in part."""
    files = [path for path, _ in _whole_files(dist, dataset) if path.is_file()]
    return [*files, dist / "graph.nq"] if dataset.graphs else files


def open_store(source: Path, dataset: Dataset = WHOLE) -> ox.Store:
    """A store folder `store_on_disk` made, opened read-only; else a build folder, loaded
    (of its graphs only those `dataset` names)."""
    if (source / _READY).is_file():
        return ox.Store.read_only(str(source / _DATABASE))
    return load_graph(source, dataset)


def _whole_files(dist: Path, dataset: Dataset) -> list[tuple[Path, ox.RdfFormat]]:
    """The built files a store of `dataset` loads whole (the inferred triples if there are any)."""
    defaults = (dist / "graph.nt", dist / INFERRED_FILE) if dataset.default else ()
    files = [(path, ox.RdfFormat.N_TRIPLES) for path in defaults if path.is_file()]
    if dataset.graphs is None:
        files.append((dist / "graph.nq", ox.RdfFormat.N_QUADS))
    return files


def _filled(store: ox.Store, dist: Path, dataset: Dataset = WHOLE, chunked: bool = False) -> ox.Store:
    for path, fmt in _whole_files(dist, dataset):
        if chunked:
            _load_in_chunks(store, path, fmt)
        else:
            load_file(store, path, fmt)
    if dataset.graphs:
        graphs = {f"<{graph}>".encode() for graph in dataset.graphs}
        _load_in_chunks(store, dist / "graph.nq", ox.RdfFormat.N_QUADS, graphs)
    return store


def _load_in_chunks(store: ox.Store, path: Path, fmt: ox.RdfFormat, graphs: set[bytes] | None = None) -> None:
    """Bulk-load the lines of `path` (one statement a line, as the build writes them) a
    chunk at a time, of N-Quads only those in `graphs` when given; an error names the line
    of `path`. Each load names blank nodes afresh, so the lines with a blank node go in one
    load of their own, at the end."""
    blank = _Chunk()
    try:
        with path.open("rb") as stream:
            for chunk in _chunks(stream, graphs, blank):
                _bulk_load(store, chunk, fmt, path)
    except OSError as exc:
        raise KgError(f"cannot read the built file ({exc.strerror or exc})", Location(path)) from None
    _bulk_load(store, blank, fmt, path)


class _Chunk:
    """Lines of a built file, and the numbers of their lines in it."""

    def __init__(self, lines: list[bytes] | None = None, numbers: range | None = None) -> None:
        self.lines = lines or []
        self.numbers: list[int] | range = numbers if numbers is not None else []
        self.size = sum(len(line) for line in self.lines)

    def add(self, line: bytes, number: int) -> None:
        assert isinstance(self.numbers, list), "a block of lines is read whole"
        self.lines.append(line)
        self.numbers.append(number)
        self.size += len(line)

    def line(self, lineno: int | None) -> int:
        """The line of the file a line of this chunk is."""
        return self.numbers[lineno - 1] if lineno and lineno <= len(self.numbers) else 0


def _chunks(stream: BinaryIO, graphs: set[bytes] | None, blank: _Chunk) -> Iterator[_Chunk]:
    """The lines of `stream` (of `graphs` only, when given) in chunks of about `_CHUNK`
    bytes, but for those with a blank node, added to `blank`."""
    if graphs is None:  # blocks of whole lines, taken apart only if one has a blank node
        first = 1
        while data := stream.read(_CHUNK):
            data += stream.readline()
            count = data.count(b"\n") + (not data.endswith(b"\n"))
            if b"_:" in data:
                yield _sorted_out(enumerate(data.splitlines(keepends=True), first), blank)
            else:
                yield _Chunk([data], range(first, first + count))
            first += count
        return
    chunk = _Chunk()
    for number, line in enumerate(stream, 1):
        if _graph_of(line) in graphs:
            (blank if b"_:" in line else chunk).add(line, number)
            if chunk.size >= _CHUNK:
                yield chunk
                chunk = _Chunk()
    yield chunk


def _sorted_out(lines: Iterable[tuple[int, bytes]], blank: _Chunk) -> _Chunk:
    """The numbered `lines` without a blank node; those with one are added to `blank`."""
    chunk = _Chunk()
    for number, line in lines:
        (blank if b"_:" in line else chunk).add(line, number)
    return chunk


def _bulk_load(store: ox.Store, chunk: _Chunk, fmt: ox.RdfFormat, path: Path) -> None:
    if not chunk.lines:
        return
    try:
        store.bulk_load(b"".join(chunk.lines), format=fmt)
    except SyntaxError as exc:
        at = Location(path, chunk.line(exc.lineno))
        raise KgError(f"the built file is damaged ({exc.msg}); run 'kg build' again", at) from None


def _graph_of(line: bytes) -> bytes:
    """The graph of a line of N-Quads: its last term before the closing dot."""
    parts = line.rsplit(None, 2)
    return parts[-2] if len(parts) == 3 else b""
