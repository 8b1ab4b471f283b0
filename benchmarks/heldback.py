"""How much of each reviewed mapping `kg propose` finds on its own (targets: 80 % of the
entities, 60 % of the facts), and how many of the proposed statements a reviewer stated too
(precision). For each seed document, its reviewed mapping and the registry
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
        "| document | entities found | facts found (same subject, property, value) "
        "| statements proposed | of them reviewed (precision) | sentences not yet mapped | seconds |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    scores = []
    with tempfile.TemporaryDirectory() as work:
        for doc_id in ids:
            started = time.perf_counter()
            score = measure(REPO, doc_id, Path(work))
            seconds = time.perf_counter() - started
            scores.append(score)
            print(
                f"| {doc_id} | {_share(score.entities_found, score.entities)} "
                f"| {_share(score.facts_found, score.facts)} | {score.proposed_facts} "
                f"| {_share(score.proposed_found, score.proposed_facts)} "
                f"| {score.unmapped} of {score.sentences} | {seconds:.1f} |"
            )
    total = {field: sum(getattr(s, field) for s in scores) for field in _TOTALS}
    print(
        f"| all | {_share(total['entities_found'], total['entities'])} "
        f"| {_share(total['facts_found'], total['facts'])} | {total['proposed_facts']} "
        f"| {_share(total['proposed_found'], total['proposed_facts'])} "
        f"| {total['unmapped']} of {total['sentences']} | |"
    )


_TOTALS = (
    "entities_found",
    "entities",
    "facts_found",
    "facts",
    "proposed_facts",
    "proposed_found",
    "unmapped",
    "sentences",
)


def _share(part: int, whole: int) -> str:
    return f"{part}/{whole} ({part / whole:.0%})" if whole else f"{part}/{whole}"


if __name__ == "__main__":
    main(sys.argv[1:])
