"""What a document page shows: the seed text, with every quoted span highlighted and linked
to the facts it supports, the passages the mapping skips marked with their reason, and the
sentences neither mapped nor skipped marked as such.

The text and the sentence statuses come from the project (seeds/ and mappings/, as `kg
coverage` reads them); the quotes and facts from the graph. A seed whose SHA-256 is not the
one the build recorded is shown with a warning, since its offsets may no longer fit.
"""

from __future__ import annotations

import functools
import itertools
import threading
from dataclasses import dataclass, field
from pathlib import Path

import anyio.to_thread
import pyoxigraph as ox

from kg.check.coverage import Status, coverage_report
from kg.mapping.sources import SourceDocument
from kg.project import Project
from kg.serve.site import Site

EVIDENCE = """
SELECT ?e ?start ?end ?stance ?st ?subject ?p ?o ?article WHERE {
  ?article dcterms:isPartOf ?doc .
  ?e prov:wasDerivedFrom ?article ; oa:start ?start ; oa:end ?end .
  OPTIONAL { ?e kg:stance ?stance }
  ?st kg:evidence ?e ; rdf:subject ?subject ; rdf:predicate ?p ; rdf:object ?o .
}
ORDER BY ?start ?end ?e ?st
"""
ABOUT = """
SELECT ?sha ?article ?title ?start WHERE {
  ?doc kg:sha256 ?sha .
  OPTIONAL {
    ?article dcterms:isPartOf ?doc ; kg:startOffset ?start .
    OPTIONAL { ?article dcterms:title ?title }
  }
}
ORDER BY ?start
"""
QUERIES = (EVIDENCE, ABOUT)


@dataclass(frozen=True)
class Quote:
    """A piece of evidence found in the text, and the fact it supports."""

    evidence: str
    start: int
    end: int
    stance: str
    subject: str
    predicate: str
    value: str
    value_is_iri: bool


@dataclass
class Segment:
    """A stretch of text with one status and the same quotes over all of it."""

    text: str
    status: str  # mapped, skipped, unaccounted, or "" between sentences
    reason: str
    quotes: list[int] = field(default_factory=list)  # indices into DocumentView.quotes
    article: str = ""  # set on the first segment of an article


@dataclass
class DocumentView:
    id: str
    path: str
    changed: bool
    segments: list[Segment]
    quotes: list[Quote]
    titles: dict[str, list[str]]
    counts: dict[str, int]


def sentences(root: Path) -> dict[str, list[tuple[str, int, int, str, str]]]:
    """Per document: (article, start, end, status, reason) of every sentence, as kg coverage
    sees them: computed once (the project does not change while the server runs), by one
    caller while the others wait (every document compiled, or replayed from the build's cache:
    87 s at 10,000 documents)."""
    with _computing:
        return _sentences(root)


_computing = threading.Lock()


@functools.cache
def _sentences(root: Path) -> dict[str, list[tuple[str, int, int, str, str]]]:
    found: dict[str, list[tuple[str, int, int, str, str]]] = {}
    for article in coverage_report(Project.at(root)).articles:
        found.setdefault(article.document, []).extend(
            (article.article, u.start, u.end, u.status.value, u.reason) for u in article.units
        )
        found.setdefault(f"{article.document} path", []).append((article.path, 0, 0, "", ""))
    return found


async def document_view(site: Site, doc_id: str) -> DocumentView | None:
    """The document `doc_id` (e.g. 001), or None when the project does not map it."""
    node = {"doc": ox.NamedNode(f"https://w3id.org/sovereignty-kg/document/{doc_id}")}
    about = await site.select(ABOUT, node)
    if not about.rows:  # not in the graph: no need to wait for the sentences
        return None
    found = await anyio.to_thread.run_sync(sentences, site.config.root)
    if doc_id not in found:
        return None
    path = found[f"{doc_id} path"][0][0]
    source = SourceDocument.read(site.config.root / path, Path(path))
    evidence = await site.select(EVIDENCE, node)
    quotes = [
        Quote(_v(e), int(_v(a)), int(_v(b)), _v(stance), _v(s), _v(p), _v(o), isinstance(o, ox.NamedNode))
        for e, a, b, stance, _, s, p, o, _ in evidence.rows
    ]
    titles: dict[str, list[str]] = {}
    starts: dict[int, str] = {}
    recorded = ""
    for sha, article, title, start in about.rows:
        recorded = _v(sha)
        if article is not None:
            key = _v(article).rsplit(".", 1)[-1]
            starts[int(_v(start))] = key
            if title is not None:
                titles.setdefault(key, []).append(_v(title))
    units = found[doc_id]
    segments = await anyio.to_thread.run_sync(_segments, source.text, units, quotes, starts)
    counts = {status.value: sum(1 for u in units if u[3] == status.value) for status in Status}
    return DocumentView(doc_id, path, recorded != source.sha256, segments, quotes, titles, counts)


def _segments(
    text: str, units: list[tuple[str, int, int, str, str]], quotes: list[Quote], starts: dict[int, str]
) -> list[Segment]:
    cuts = {0, len(text), *starts}
    for _, a, b, _, _ in units:
        cuts |= {a, b}
    for q in quotes:
        cuts |= {q.start, q.end}
    bounds = sorted(c for c in cuts if 0 <= c <= len(text))
    segments = []
    for a, b in itertools.pairwise(bounds):
        unit = next((u for u in units if u[1] <= a < u[2]), None)
        segment = Segment(
            text[a:b],
            unit[3] if unit else "",
            unit[4] if unit else "",
            [n for n, q in enumerate(quotes) if q.start <= a < q.end],
            starts.get(a, ""),
        )
        segments.append(segment)
    return segments


def _v(term: object) -> str:
    return term.value if isinstance(term, ox.NamedNode | ox.Literal) else ""
