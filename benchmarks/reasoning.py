"""How long reasoning takes, HermiT against the SPARQL rules, on the seed graph scaled up.

Run from the project root after `kg build`:  python benchmarks/reasoning.py [COPIES ...]
Each size is the seed graph with its entities copied COPIES times under new IRIs (the
ontology and reference data once), so the copies keep the seed's shape. Prints, per engine,
the triples given to the reasoner, the triples inferred, the wall time, and the peak memory
of this process and of the largest child process so far (HermiT's JVM).
"""

from __future__ import annotations

import resource
import sys
import time
from functools import partial
from pathlib import Path

import pyoxigraph as ox

from kg.compile.sourcemap import FILE as SOURCES
from kg.compile.sourcemap import SourceMap
from kg.errors import KgError
from kg.reason.engine import reason

ENTITIES = "https://w3id.org/sovereignty-kg/"
Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
COPIED = tuple(ENTITIES + kind for kind in ("entity/", "statement/", "evidence/", "article/", "document/"))


def scaled(triples: list[ox.Triple], copies: int) -> list[ox.Triple]:
    """The triples, with every entity-level node renamed in each copy but the first."""

    def rename(term: Term, copy: int) -> Term:
        if copy and isinstance(term, ox.NamedNode) and term.value.startswith(COPIED):
            return ox.NamedNode(f"{term.value}-copy{copy}")
        return term

    entity_level = [t for t in triples if str(t.subject).startswith(f"<{ENTITIES}")]
    entity_level = [t for t in entity_level if rename(t.subject, 1) != t.subject]
    kept = set(entity_level)
    out = [t for t in triples if t not in kept]
    for copy in range(copies):
        for t in entity_level:
            subject = rename(t.subject, copy)
            assert not isinstance(subject, ox.Literal)
            out.append(ox.Triple(subject, t.predicate, rename(t.object, copy)))
    return out


def main(sizes: list[int]) -> None:
    dist = Path("dist")
    triples = [q.triple for q in ox.parse(path=str(dist / "graph.nt"), format=ox.RdfFormat.N_TRIPLES)]
    sources = SourceMap.read(dist / SOURCES)
    print(
        "| copies | graph triples | engine | reasoner input | inferred | seconds | peak RSS: Python / JVM |"
    )
    print("|---:|---:|---|---:|---:|---:|---:|")
    for copies in sizes:
        graph = scaled(triples, copies)
        for engine in ("hermit", "rules"):
            start = time.perf_counter()
            try:
                outcome = reason(
                    partial(iter, graph), lambda: sources, engine=engine, timeout=900, memory_mb=8000
                )
            except KgError as error:
                print(f"| {copies} | {len(graph)} | {engine} | | | failed: {error} | |")
                continue
            seconds = time.perf_counter() - start
            python = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            jvm = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            print(
                f"| {copies} | {len(graph)} | {engine} | {outcome.input_triples} | "
                f"{len(outcome.inferred)} | {seconds:.1f} | {python:.0f} / {jvm:.0f} MB |",
                flush=True,
            )


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [1, 10, 50])
