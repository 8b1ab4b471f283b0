"""Draw the precision sample: statements stated by a quote (with evidence, no derivation),
chosen with a fixed seed from a built graph, printed as Markdown rows — the statement, its
quotes, who asserts it with what stance — for a person to check each against its quotes.
docs/precision-sample.md holds the sample drawn from the seed graph and the verdicts.

    python benchmarks/precision_sample.py [DIST] [SIZE] [SEED]     (dist, 40, 12)
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pyoxigraph as ox

from kg import labels, open_graph, run_query

STATEMENTS = """
SELECT ?st WHERE {
  ?st a kg:Statement ; kg:evidence [] .
  FILTER NOT EXISTS { ?st kg:derivation [] }
}"""
DETAIL = """
SELECT ?s ?p ?o ?quote ?article ?by ?stance WHERE {
  ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; kg:evidence ?e .
  ?e oa:exact ?quote ; prov:wasDerivedFrom/dcterms:identifier ?article ;
     kg:assertedBy ?by ; kg:stance ?stance .
} ORDER BY ?article ?quote"""


def main(dist: Path, size: int, seed: int) -> None:
    with open_graph(dist) as store:
        population = sorted(str(r["st"]) for r in run_query(store, STATEMENTS).records())
        sample = random.Random(seed).sample(population, size)
        print(f"{len(population)} statements stated by a quote; {size} drawn with seed {seed}\n")
        print("| # | statement | quotes (article) | asserted by, stance |")
        print("|---:|---|---|---|")
        for n, iri in enumerate(sample, 1):
            rows = run_query(store, DETAIL, {"st": ox.NamedNode(iri)}).records()
            iris = {str(r[k]) for r in rows for k in ("s", "p", "o", "by", "stance")}
            names = labels(store, {i for i in iris if i.startswith(("http://", "https://"))})
            first = rows[0]
            fact = " — ".join(names.get(str(first[k]), str(first[k])) for k in ("s", "p", "o"))
            quotes = "<br>".join(dict.fromkeys(f"“{r['quote']}” ({r['article']})" for r in rows))
            who = "; ".join(
                sorted(
                    {
                        f"{names.get(str(r['by']), r['by'])}, {names.get(str(r['stance']), r['stance'])}"
                        for r in rows
                    }
                )
            )
            print(f"| {n} | {fact} | {quotes} | {who} |")


if __name__ == "__main__":
    args = sys.argv[1:]
    main(
        Path(args[0]) if args else Path("dist"),
        int(args[1]) if len(args) > 1 else 40,
        int(args[2]) if len(args) > 2 else 12,
    )
