"""`kg stats`: what is in the built graph — counts per document and per class — as Markdown
for the README (read from the build's manifest)."""

from __future__ import annotations

import json
from pathlib import Path

from kg.compile.output import MANIFEST
from kg.errors import KgError


def stats_markdown(dist: Path) -> str:
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
    lines += ["", "Instances per class (asserted types):", "", "| class | instances |", "|---|---:|"]
    lines += [f"| kg:{name} | {count} |" for name, count in manifest["instances_per_class"].items()]
    return "\n".join(lines) + "\n"
