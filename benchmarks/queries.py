"""Latency of every catalogue query on the seed graph: the embedded engine (pyoxigraph)
against rdflib's own SPARQL engine (target: every query under 50 ms median on pyoxigraph).

Run from the project root after `kg build`:  python benchmarks/queries.py [runs]
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from rdflib import Dataset

from kg.ask.bindings import bind
from kg.ask.catalogue import catalogue
from kg.ask.query import open_graph, run_query
from kg.vocab import PREFIXES


def main(runs: int) -> None:
    dist = Path("dist")
    store = open_graph(dist)
    dataset = Dataset()
    dataset.parse(dist / "graph.nq", format="nquads")
    for default in ("graph.nt", "inferred.nt"):
        if (dist / default).is_file():
            dataset.default_graph.parse(dist / default, format="nt")
    print(f"{'query':28} {'oxigraph median':>16} {'max':>9} {'rdflib':>10} {'speed-up':>9}")
    slowest = 0.0
    for name, query in catalogue().items():
        values = query.values(query.example)
        timings = []
        for _ in range(runs):
            start = time.perf_counter()
            run_query(store, query.text, values)
            timings.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        list(dataset.query(bind(query.text, values), initNs=PREFIXES))
        rdflib_ms = (time.perf_counter() - start) * 1000
        median = statistics.median(timings)
        slowest = max(slowest, median)
        speed_up = rdflib_ms / median
        print(f"{name:28} {median:13.1f} ms {max(timings):6.1f} ms {rdflib_ms:7.0f} ms {speed_up:8.0f}x")
    print(f"slowest median on pyoxigraph: {slowest:.1f} ms over {runs} runs each")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
