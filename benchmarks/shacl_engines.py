"""`kg validate`'s SHACL step (shifty reading the built N-Triples) against plain pyshacl on the
same data and shapes (target: at least 20x faster, with identical findings).

Run from the project root after `kg build`:  python benchmarks/shacl_engines.py [PROJECT]
(PROJECT: a project folder with its build in PROJECT/dist, e.g. one `kg synth` wrote; the
default is this one). Prints the time of each engine, the ratio, and whether the findings
(focus node, path, value, severity, source shape, constraint component, SPARQL constraint,
message) are identical. Needs the dev extras (pyshacl). Plain pyshacl takes minutes.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyshacl
from rdflib import Graph
from rdflib.namespace import RDF, SH

from kg.check.validate import load_shapes, shacl_report

FIELDS = [SH.focusNode, SH.resultPath, SH.value, SH.resultSeverity, SH.sourceShape]
FIELDS += [SH.sourceConstraintComponent, SH.sourceConstraint, SH.resultMessage]


def findings(report: Graph) -> set[tuple[Any, ...]]:
    return {
        tuple(report.value(result, field) for field in FIELDS)
        for top in report.subjects(RDF.type, SH.ValidationReport)
        for result in report.objects(top, SH.result)
    }


def timed(action: Callable[[], Graph]) -> tuple[float, set[tuple[Any, ...]]]:
    start = time.perf_counter()
    report = action()
    return time.perf_counter() - start, findings(report)


def plain_pyshacl(root: Path, shapes: Graph) -> Graph:
    data = Graph()
    for part in ("graph.nt", "inferred.nt"):
        if (root / "dist" / part).is_file():
            data.parse(root / "dist" / part, format="nt")
    _, report, _ = pyshacl.validate(
        data,
        shacl_graph=shapes,
        inference="none",
        allow_infos=True,
        allow_warnings=True,
        do_owl_imports=False,
    )
    return report


def main(root: Path) -> None:
    shapes = load_shapes(root / "ontology" / "shapes")
    fast, ours = timed(lambda: shacl_report(root / "dist", shapes))
    print(f"kg validate's SHACL step (shifty) {fast:.1f} s, {len(ours)} results", flush=True)
    slow, reference = timed(lambda: plain_pyshacl(root, shapes))
    print(f"plain pyshacl {slow:.1f} s, {len(reference)} results")
    print(f"ratio {slow / fast:.1f}x; findings identical: {ours == reference}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("."))
