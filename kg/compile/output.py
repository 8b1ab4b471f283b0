"""Writing outputs that cannot destroy: the build folder, and single files (exports, reports).

Quads are sorted (graph, subject, predicate, object; see kg.compile.quadtable) before
serialising with pyoxigraph, so the same input gives byte-identical files whatever
PYTHONHASHSEED is. The output folder is written beside the target and swapped into place, so a failed
build leaves the previous output as it was.

A build writes a marker file into its output, and replaces only a folder holding that marker
(or an empty one): never a folder kg did not make. The swap moves the old output aside
(`.NAME-old`), moves the new one in, then deletes the old one; the next build first undoes
a swap that was interrupted (putting `.NAME-old` back if NAME is missing) and removes the
staging folders (`.NAME-building-*`) that killed builds left.

A single file (`kg export -o`, `kg validate -o`) is only ever a regular file: never written
through a symbolic link or into a device, a pipe or a folder; it is written beside its
target and renamed over it, so the old file stays whole if anything fails.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from kg.compile.quadtable import Ordered
from kg.errors import KgError, Location
from kg.sidebyside import Beside, side_by_side
from kg.vocab import GRAPH, PREFIXES

MANIFEST = "build.json"
MARKER = ".kg-build"  # in every build output: this folder is kg's to replace
MARKER_TEXT = "written by kg build; kg build replaces this folder as a whole\n"
INFERRED_FILE = "inferred.nt"  # what reasoning inferred, apart from the asserted graph
INFERRED_GRAPH = ox.NamedNode(GRAPH.inferred)  # the same, in graph.nq and graph.trig
GRAPH_FILES = {
    "graph.nq": ox.RdfFormat.N_QUADS,
    "graph.trig": ox.RdfFormat.TRIG,
    "graph.nt": ox.RdfFormat.N_TRIPLES,
    "graph.ttl": ox.RdfFormat.TURTLE,
}


class GraphFiles:
    """The files of a build, each written by a forked child as soon as what it holds is
    known: `alongside` (the source map) from the start, while this process sorts the quads;
    graph.nt and graph.ttl (`asserted`) while this process reasons, adds the closure and
    writes inferred.nt; then graph.nq (`finish`) while this process writes graph.trig. Each
    child has ended before the next starts: at 10,000 documents, letting the first two
    overlap took 2.7 GiB together for no time gained (the closure ran slower beside them),
    one at a time 2.2 GiB. Used as a context manager, a failure stops the children. Two
    cores kept busy: at 10,000 documents, the last stage took 11.6-13 s, where writing every
    file after the closure took 19.5 s."""

    def __init__(self, directory: Path, alongside: Callable[[], None]) -> None:
        self.directory = directory
        self._alongside = Beside(alongside)
        self._asserted: Beside | None = None

    def asserted(self, triples: Ordered[ox.Triple]) -> None:
        """Write the files of the asserted `triples` in a child, from now (once the source
        map is written)."""
        self._alongside.result()
        self._asserted = Beside(lambda: self._written(triples, ("graph.nt", "graph.ttl")))

    def finish(self, quads: Ordered[ox.Quad]) -> dict[str, str]:
        """Write the files of `quads`; the SHA-256 of every graph file but inferred.nt."""
        assert self._asserted is not None, "the asserted triples are written first"
        write_rows(self.directory / INFERRED_FILE, quads.graph(INFERRED_GRAPH), ox.RdfFormat.N_TRIPLES)
        asserted = self._asserted.result()
        of_quads, trig = side_by_side(
            lambda: self._written(quads, ("graph.nq",)), lambda: self._written(quads, ("graph.trig",))
        )
        written = {**asserted, **of_quads, **trig}
        return {name: written[name] for name in GRAPH_FILES}

    def _written(self, rows: Ordered[ox.Quad] | Ordered[ox.Triple], names: tuple[str, ...]) -> dict[str, str]:
        for name in names:
            write_rows(self.directory / name, rows, GRAPH_FILES[name])
        return {name: sha256(self.directory / name) for name in names}

    def __enter__(self) -> GraphFiles:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if kind is not None:
            for child in (self._alongside, self._asserted):
                if child is not None:
                    child.stop()


def write_rows(path: Path, rows: Ordered[ox.Quad] | Ordered[ox.Triple], fmt: ox.RdfFormat) -> None:
    """Write `rows` to `path` in `fmt`: lines of N-Triples or N-Quads as they are
    (`Ordered.write_lines`), Turtle and TriG through pyoxigraph with the project's prefixes."""
    if fmt in (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS):
        with path.open("wb") as handle:
            rows.write_lines(handle)
    else:
        ox.serialize(rows, str(path), fmt, prefixes=PREFIXES)


def write_json(path: Path, content: dict[str, Any]) -> None:
    path.write_text(
        json.dumps(content, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8"
    )


@contextlib.contextmanager
def replaced_directory(target: Path) -> Iterator[Path]:
    """A new folder beside `target` to build in, swapped in for `target` when the block ends
    (and removed if it fails).

    Refuses to replace a folder that an earlier build did not make (it would lose data).
    """
    target = Path(os.path.abspath(target))  # `.` and `..` named, so the staging folder sits beside
    if not target.name:
        raise KgError(f"{target} is the root folder; give the build a folder of its own")
    _make_folder(target.parent, target)
    recover(target)
    if target.is_symlink() or (target.exists() and not _replaceable(target)):
        raise KgError(
            f"{target} exists and is not a previous build output (no {MARKER} in it); refusing to replace it"
        )
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-building-", dir=target.parent))
    try:
        (staging / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        yield staging
        staging.chmod(0o755)
        _swap(staging, target)
    finally:
        if staging.exists():
            shutil.rmtree(staging)


def recover(target: Path) -> None:
    """Undo what an interrupted build left: put the previous output back if the swap
    stopped half-way, and remove leftover staging and retired folders that kg made."""
    retired = _retired(target)
    if retired.is_dir() and _ours(retired):
        if not target.exists() and not target.is_symlink():
            os.rename(retired, target)
        elif _replaceable(target):
            shutil.rmtree(retired)
    for staging in target.parent.glob(f".{target.name}-building-*"):
        if staging.is_dir() and not staging.is_symlink() and (_ours(staging) or not any(staging.iterdir())):
            shutil.rmtree(staging)


def _replaceable(folder: Path) -> bool:
    return folder.is_dir() and (_ours(folder) or not any(folder.iterdir()))


def _ours(folder: Path) -> bool:
    marker = folder / MARKER
    return marker.is_file() and not marker.is_symlink()


def _retired(target: Path) -> Path:
    return target.with_name(f".{target.name}-old")


def _swap(staging: Path, target: Path) -> None:
    if not target.exists():
        os.rename(staging, target)
        return
    retired = _retired(target)
    os.rename(target, retired)
    try:
        os.rename(staging, target)
    except OSError:
        os.rename(retired, target)
        raise
    shutil.rmtree(retired)


def _make_folder(folder: Path, output: Path) -> None:
    """Create `folder` (and its parents) to hold `output`, or say which path is in the way."""
    if blocking := next((f for f in (folder, *folder.parents) if f.exists() and not f.is_dir()), None):
        raise KgError(f"cannot write {output}: {blocking} is not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise KgError(f"cannot write {output}: {exc.strerror or exc}") from None


def sha256(path: Path) -> str:
    """The SHA-256 of a file, read in blocks (an input of any size is never held whole)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_output_file(out: Path) -> None:
    """Refuse an output path that is not a regular file or a new name."""
    if out.is_symlink():
        raise KgError(f"{out} is a symbolic link; kg writes only regular files (remove it first)")
    if out.is_dir():
        raise KgError(f"{out} is a folder; give a file name")
    if out.exists() and not stat.S_ISREG(out.lstat().st_mode):
        raise KgError(f"{out} is not a regular file (a device, a pipe or a socket); kg will not replace it")


def write_file(out: Path, write: Callable[[IO[bytes]], object]) -> None:
    """Write `out` with `write`, atomically: beside it, then renamed over it, keeping the old
    file's permissions; the old file stays if anything fails."""
    check_output_file(out)
    mode = out.stat().st_mode & 0o777 if out.exists() else 0o644
    _make_folder(out.parent, out)
    try:
        handle, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent)
    except OSError as exc:
        raise KgError(f"cannot write {out}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(handle, "wb") as file:
            write(file)
        os.chmod(name, mode)
        os.replace(name, out)
    except OSError as exc:
        kept = "; the old file is as it was" if out.exists() else ""
        raise KgError(f"cannot write {out}: {exc.strerror or exc}{kept}") from None
    finally:
        if os.path.exists(name):
            os.unlink(name)


def read_file(path: Path, fmt: ox.RdfFormat) -> Iterator[ox.Quad]:
    """The quads of one built file, read as they are needed, or what is wrong with it."""
    with _reading(path):
        yield from ox.parse(path=str(path), format=fmt)


def load_file(store: ox.Store, path: Path, fmt: ox.RdfFormat) -> None:
    """Bulk-load one built file into `store`, or explain what is wrong with it."""
    with _reading(path):
        store.bulk_load(path=str(path), format=fmt)


@contextlib.contextmanager
def _reading(path: Path) -> Iterator[None]:
    """A built file that cannot be read or parsed, as an error naming it (and the line)."""
    try:
        yield
    except SyntaxError as exc:
        raise KgError(
            f"the built file is damaged ({exc.msg}); run 'kg build' again", Location(path, exc.lineno or 0)
        ) from None
    except OSError as exc:
        raise KgError(f"cannot read the built file ({exc.strerror or exc})", Location(path)) from None
