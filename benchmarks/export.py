"""How long `kg export` takes, and how much memory, as the graph grows: streaming keeps the
peak memory flat.

Run from the project root after `kg build --reason`:  python benchmarks/export.py [COPIES ...]
Each size is the built graph with its entities copied COPIES times under new IRIs (as in
benchmarks/reasoning.py), written as a build folder; each format is then exported by a
fresh `kg export --inferred` process, whose wall time and peak memory are printed.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox
from reasoning import scaled

from kg.compile.output import INFERRED_FILE, INFERRED_GRAPH
from kg.compile.quadtable import QuadTable
from kg.store.export import FORMATS

MEASURE = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
subprocess.run(sys.argv[1:], check=True, capture_output=True)
print(json.dumps({"seconds": time.perf_counter() - start,
                  "mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


def scaled_build(dist: Path, copies: int, folder: Path) -> int:
    """Write a build folder with the graph of `dist` copied `copies` times; return its quads."""
    by_graph: dict[str, list[ox.Triple]] = {}
    for quad in ox.parse(path=str(dist / "graph.nq"), format=ox.RdfFormat.N_QUADS):
        by_graph.setdefault(quad.graph_name.value, []).append(quad.triple)
    quads = [
        ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(graph))
        for graph, triples in by_graph.items()
        for t in scaled(triples, copies)
    ]
    ordered = QuadTable(quads).sorted()
    asserted = QuadTable(q for q in quads if q.graph_name != INFERRED_GRAPH)
    ox.serialize(ordered, str(folder / "graph.nq"), ox.RdfFormat.N_QUADS)
    ox.serialize(asserted.triples(), str(folder / "graph.nt"), ox.RdfFormat.N_TRIPLES)
    ox.serialize(ordered.graph(INFERRED_GRAPH), str(folder / INFERRED_FILE), ox.RdfFormat.N_TRIPLES)
    return len(ordered)


def main(sizes: list[int]) -> None:
    print("| copies | quads | format | seconds | peak RSS | output |")
    print("|---:|---:|---|---:|---:|---:|")
    for copies in sizes:
        with tempfile.TemporaryDirectory() as work:
            folder = Path(work)
            count = scaled_build(Path("dist"), copies, folder)
            for name in FORMATS:
                out = folder / f"export.{name}"
                command = [sys.executable, "-m", "kg", "export", "--graph", str(folder), "--inferred"]
                command += ["--format", name, "-o", str(out)]
                measured = subprocess.run(
                    [sys.executable, "-c", MEASURE, *command], check=True, capture_output=True, text=True
                )
                figures = json.loads(measured.stdout)
                size = out.stat().st_size / 1e6
                print(
                    f"| {copies} | {count} | {name} | {figures['seconds']:.1f} | {figures['mb']:.0f} MB | "
                    f"{size:.0f} MB |",
                    flush=True,
                )


if __name__ == "__main__":
    start = time.perf_counter()
    main([int(arg) for arg in sys.argv[1:]] or [1, 10, 50])
    print(f"({time.perf_counter() - start:.0f} s in all)")
