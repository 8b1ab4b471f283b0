"""What the RDFS subclass and subproperty closure adds to a build: triples and time.

Run from the project root:  python benchmarks/entailment.py [RUNS] [COPIES ...]
Builds the seed graph RUNS times (default 5, without --reason) into a temporary folder and
prints the asserted triples, the triples the closure adds, the quads of graph:inferred (with
the statements that mark them), the median build time and the median time of the closure
within it. Then times the closure alone on the seed graph with its entities copied COPIES
times (default 10 and 50; see benchmarks/reasoning.py).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox
from reasoning import scaled

from kg import Project, build
from kg.compile.entailment import rdfs_closure
from kg.compile.quadtable import QuadTable


def main(runs: int, sizes: list[int]) -> None:
    builds, closures = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(runs):
            start = time.perf_counter()
            report = build(Project.at(Path(".")), Path(tmp) / "dist")
            builds.append(time.perf_counter() - start)
            closures.append(report.entailment_seconds)
        inferred = report.quads_per_graph.get("https://w3id.org/sovereignty-kg/graph/inferred", 0)
        triples = [q.triple for q in ox.parse(path=str(Path(tmp) / "dist" / "graph.nt"))]
    print(
        f"seed graph, {runs} builds: {report.triples} triples asserted, {report.entailed} added by the "
        f"closure ({inferred} quads in graph:inferred with their statements); build median "
        f"{statistics.median(builds):.2f} s, of which the closure {statistics.median(closures) * 1000:.0f} ms"
    )
    for copies in sizes:
        graph = scaled(triples, copies)
        start = time.perf_counter()
        added = rdfs_closure(QuadTable(ox.Quad(t.subject, t.predicate, t.object) for t in graph).triples())
        print(
            f"seed graph copied {copies} times: {len(graph)} triples, closure adds {len(added)} "
            f"in {time.perf_counter() - start:.2f} s"
        )


if __name__ == "__main__":
    arguments = [int(arg) for arg in sys.argv[1:]]
    main(arguments[0] if arguments else 5, arguments[1:] or [10, 50])
