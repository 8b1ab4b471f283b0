"""How much of each reviewed mapping `kg propose` finds on its own (targets: 80 % of the
entities, 60 % of the facts). For each seed document, its reviewed mapping and the registry
entries only it introduces are set aside in a temporary copy of the project, `kg propose`
drafts a mapping, and the draft is compared with the reviewed one (see kg.review.heldback).
Every draft is also built with --include-drafts, so "everything it writes loads" is checked.

    python benchmarks/heldback.py [DOCUMENT …]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from kg.mapping.load import load_mappings
from kg.project import Project
from kg.review.heldback import measure

REPO = Project.at(Path(__file__).resolve().parent.parent)


def main(documents: list[str]) -> None:
    ids = documents or sorted(d.model.id for d in load_mappings(REPO.mappings, REPO.mappings).documents)
    print(
        "| document | entities found | facts found (same subject, property, value) | statements proposed "
        "| sentences not yet mapped | seconds |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    totals = [0, 0, 0, 0]
    with tempfile.TemporaryDirectory() as work:
        for doc_id in ids:
            started = time.perf_counter()
            score = measure(REPO, doc_id, Path(work))
            seconds = time.perf_counter() - started
            totals = [
                a + b
                for a, b in zip(
                    totals,
                    (score.entities_found, score.entities, score.facts_found, score.facts),
                    strict=True,
                )
            ]
            print(
                f"| {doc_id} | {score.entities_found}/{score.entities} ({score.entity_share:.0%}) "
                f"| {score.facts_found}/{score.facts} ({score.fact_share:.0%}) | {score.proposed_facts} "
                f"| {score.unmapped} of {score.sentences} | {seconds:.1f} |"
            )
    print(
        f"| all | {totals[0]}/{totals[1]} ({totals[0] / totals[1]:.0%}) "
        f"| {totals[2]}/{totals[3]} ({totals[2] / totals[3]:.0%}) | | | |"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
