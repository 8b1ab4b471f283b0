"""`kg stats`: what is in the built graph — counts per document and per class — as Markdown
for the README (read from the build's manifest), and the review state of the mappings:
facts reviewed and awaiting review, per document and per reviewer."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from kg.compile.output import MANIFEST
from kg.errors import KgError
from kg.mapping.load import load_mappings


def stats_markdown(dist: Path, mappings: Path | None = None) -> str:
    try:
        manifest = json.loads((dist / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise KgError(f"no build manifest in {dist}; run 'kg build' first") from None
    documents = manifest["documents"]
    reasoning = manifest.get("reasoning")
    inferred = f", and {reasoning['inferred']} inferred by reasoning" if reasoning else ""
    entailed = f", {manifest['entailed']} added by the RDFS subclass and subproperty closure"
    lines = [
        f"{manifest['triples']} triples asserted{entailed}{inferred}. Per document:",
        "",
        "| document | articles | facts | statements | quotes |",
        "|---|---:|---:|---:|---:|",
    ]
    columns = ("articles", "facts", "statements", "quotes")
    totals = {key: sum(counts[key] for counts in documents.values()) for key in columns}
    for doc, counts in [*documents.items(), ("all", totals)]:
        lines.append(f"| {doc} | " + " | ".join(str(counts[key]) for key in columns) + " |")
    dated = ("dates_stated", "dates_resolved", "dates_combined", "dates_unplaced")
    lines += [
        "",
        "Dates, by how they were placed on the calendar: as the text gives them (with a year),",
        "against their article's reference time (no year, or relative words), by combining",
        "documents, or not at all (no reference time):",
        "",
        "| document | stated | resolved | combined | unplaced |",
        "|---|---:|---:|---:|---:|",
    ]
    dated_totals = {key: sum(counts.get(key, 0) for counts in documents.values()) for key in dated}
    for doc, counts in [*documents.items(), ("all", dated_totals)]:
        lines.append(f"| {doc} | " + " | ".join(str(counts.get(key, 0)) for key in dated) + " |")
    lines += [f"- unplaced: {d['at']}: '{d['value']}': {d['reason']}" for d in manifest.get("unplaced", [])]
    lines += ["", "Instances per class (asserted types):", "", "| class | instances |", "|---|---:|"]
    lines += [f"| kg:{name} | {count} |" for name, count in manifest["instances_per_class"].items()]
    if mappings is not None:
        lines += ["", *review_lines(mappings)]
    return "\n".join(lines) + "\n"


def review_lines(mappings: Path) -> list[str]:
    """Facts reviewed and awaiting review in the mapping files, per document and per
    reviewer (for a draft, whoever proposed or last touched it)."""
    documents: dict[str, Counter[str]] = {}
    reviewers: dict[str, Counter[str]] = {}
    for loaded in load_mappings(mappings, mappings).documents:
        doc = loaded.model
        counts = documents.setdefault(doc.id, Counter())
        for fact in doc.facts:
            review = doc.review_of(fact)
            state = "reviewed" if review.reviewed else "awaiting"
            counts[state] += 1
            reviewers.setdefault(review.reviewer, Counter())[state] += 1
    waiting = sum(c["awaiting"] for c in documents.values())
    lines = [
        f"Facts awaiting review: {waiting}. Per document:",
        "",
        "| document | reviewed | awaiting review |",
        "|---|---:|---:|",
    ]
    lines += [f"| {doc} | {c['reviewed']} | {c['awaiting']} |" for doc, c in sorted(documents.items())]
    lines += ["", "Per reviewer:", "", "| reviewer | reviewed | awaiting review |", "|---|---:|---:|"]
    lines += [f"| {name} | {c['reviewed']} | {c['awaiting']} |" for name, c in sorted(reviewers.items())]
    return lines
