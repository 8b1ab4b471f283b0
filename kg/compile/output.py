"""Writing the graph: deterministic files, swapped into place only when all are written.

Quads are sorted (graph, subject, predicate, object) before serialising with pyoxigraph,
so the same input gives byte-identical files whatever PYTHONHASHSEED is; there are no blank
nodes. The output folder is written beside the target and renamed into place, so a failed
build leaves the previous output as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.errors import KgError
from kg.vocab import GRAPH, PREFIXES

MANIFEST = "build.json"
INFERRED_FILE = "inferred.nt"  # what reasoning inferred, apart from the asserted graph
INFERRED_GRAPH = ox.NamedNode(GRAPH.inferred)  # the same, in graph.nq and graph.trig
GRAPH_FILES = {
    "graph.nq": ox.RdfFormat.N_QUADS,
    "graph.trig": ox.RdfFormat.TRIG,
    "graph.nt": ox.RdfFormat.N_TRIPLES,
    "graph.ttl": ox.RdfFormat.TURTLE,
}


def sorted_quads(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """Distinct quads in a stable order: by graph, then subject, predicate, object."""
    keyed = {(str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)): q for q in quads}
    return [keyed[key] for key in sorted(keyed)]


def distinct_triples(quads: list[ox.Quad]) -> list[ox.Triple]:
    """The union of all graphs as triples, in a stable order."""
    keyed = {(str(q.subject), str(q.predicate), str(q.object)): q.triple for q in quads}
    return [keyed[key] for key in sorted(keyed)]


def write_graph_files(directory: Path, quads: list[ox.Quad], triples: list[ox.Triple]) -> dict[str, str]:
    """Write every graph file into `directory`; return their SHA-256 digests."""
    digests = {}
    for name, fmt in GRAPH_FILES.items():
        data = quads if fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG) else triples
        prefixes = PREFIXES if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
        path = directory / name
        ox.serialize(data, str(path), fmt, prefixes=prefixes)
        digests[name] = _sha256(path)
    return digests


def write_json(path: Path, content: dict[str, Any]) -> None:
    path.write_text(
        json.dumps(content, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8"
    )


def replace_directory(target: Path, fill: Callable[[Path], None]) -> None:
    """Build a new `target` in a sibling folder with `fill`, then swap it in.

    Refuses to replace a folder that is not an earlier build (it would lose data).
    """
    if target.exists() and not (target / MANIFEST).is_file() and any(target.iterdir()):
        raise KgError(f"{target} exists and is not a previous build output; refusing to replace it")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-building-", dir=target.parent))
    try:
        fill(staging)
        staging.chmod(0o755)
        _swap(staging, target)
    finally:
        if staging.exists():
            shutil.rmtree(staging)


def _swap(staging: Path, target: Path) -> None:
    if not target.exists():
        os.rename(staging, target)
        return
    retired = target.with_name(f".{target.name}-old-{os.getpid()}")
    os.rename(target, retired)
    try:
        os.rename(staging, target)
    except OSError:
        os.rename(retired, target)
        raise
    shutil.rmtree(retired)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
