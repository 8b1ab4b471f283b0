"""What the server holds while it runs: the two lanes of worker processes, the cache of
whole answers, and small indices read once from the graph through the lanes (labels, names,
kinds), so that pages and the query editor can put a name beside every IRI without another
query.

The graph does not change while the server runs, so an index read at start stays true.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import anyio
import pyoxigraph as ox

from kg.ask.entities import Match, rank
from kg.ask.load import keep_store, temporary_store
from kg.ask.prepare import Term
from kg.ask.query import QueryResult, result_of
from kg.serve.cache import Cache
from kg.serve.config import ServeConfig
from kg.serve.lanes import Lane
from kg.vocab import BASE, compact

_INDEX_ROWS = 10_000_000  # the indices read every label, name and kind, whatever the row cap
_INDEX_TIMEOUT = 600.0  # seconds each index query may take when the server starts
ENDPOINT_NICE = 10  # the endpoint's workers yield the CPU to the server and the pages
ONTOLOGY = BASE + "ontology#"


@dataclass
class Names:
    """Labels by IRI (English and Chinese), names to search, and kinds, read at start."""

    en: dict[str, str] = field(default_factory=dict)
    zh: dict[str, str] = field(default_factory=dict)
    searchable: list[dict[str, str | None]] = field(default_factory=list)
    kinds: dict[str, list[str]] = field(default_factory=dict)
    types: dict[str, set[str]] = field(default_factory=dict)  # the kinds' IRIs

    def label(self, iri: str, lang: str = "en") -> str:
        """The label of an IRI in `lang`, else in English, else its CURIE."""
        found = (self.zh.get(iri) if lang == "zh" else None) or self.en.get(iri) or self.zh.get(iri)
        return found or curie(iri)


class Site:
    """The lanes, the cache and the indices; `select` runs a page's query on the pages lane."""

    def __init__(self, config: ServeConfig) -> None:
        self.config = config
        # The graph loaded once, on disk, for the workers of both lanes to open read-only: six
        # copies in memory took ≈ 17 GiB and minutes of loading at 10,000 documents.
        self._store, self._temporary = _store(config.dist)
        self.endpoint, self.pages = (
            Lane(
                name,
                self._store,
                config.limits(),
                config.workers,
                config.max_waiting,
                config.wait_timeout,
                config.max_per_client,
                nice,
            )
            for name, nice in (("endpoint", ENDPOINT_NICE), ("pages", 0))
        )
        self.cache = Cache(config.dist, config.cache_mb * 2**20)
        self.names = Names()
        self.graphs: list[str] = []  # the named graphs, for the service description

    async def start(self) -> None:
        """Read the indices."""
        labels = await self.select(
            "SELECT ?s ?l WHERE { ?s rdfs:label ?l FILTER (isIRI(?s)) }", rows=_INDEX_ROWS
        )
        for iri, label in labels.rows:
            if isinstance(iri, ox.NamedNode) and isinstance(label, ox.Literal):
                target = self.names.zh if (label.language or "").startswith("zh") else self.names.en
                if label.language in ("en", "zh-Hans") or iri.value not in target:
                    target[iri.value] = label.value
        names = await self.select(
            """SELECT ?s ?name ?label WHERE { ?s rdfs:label|skos:altLabel ?name .
                 ?s rdfs:label ?label FILTER (lang(?label) = "en") }""",
            rows=_INDEX_ROWS,
        )
        self.names.searchable = names.records()
        kinds = await self.select(
            """SELECT ?s ?k ?inferred WHERE { ?s a ?k FILTER (isIRI(?s))
                 BIND (EXISTS { GRAPH graph:inferred { ?s a ?k } } AS ?inferred) } ORDER BY ?s ?k""",
            rows=_INDEX_ROWS,
        )
        for row in kinds.records():
            kind = self.names.label(str(row["k"]))
            self.names.kinds.setdefault(str(row["s"]), []).append(
                f"{kind} (inferred)" if row["inferred"] == "true" else kind
            )
            self.names.types.setdefault(str(row["s"]), set()).add(str(row["k"]))
        graphs = await self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { } } ORDER BY ?g")
        self.graphs = [g.value for (g,) in graphs.rows if isinstance(g, ox.NamedNode)]

    async def warm(self, texts: Iterable[str]) -> None:
        """Check each of the pages' queries on every worker of the pages lane, so that no
        page waits for a worker to parse a query for the first time (a parse takes 50-500
        ms; a checked query is kept by its text). Each round sends a text to every worker
        at once, so that each takes one copy."""
        for text in texts:
            async with anyio.create_task_group() as group:
                for _ in range(self.pages.workers):
                    group.start_soon(self.pages.prepare, text)

    async def select(
        self, text: str, values: Mapping[str, Term] | None = None, rows: int | None = None
    ) -> QueryResult:
        """A page's query, run on the pages lane and read in full (up to the row cap); the
        indices (`rows` given) may take up to _INDEX_TIMEOUT, not a page's timeout: on a
        large graph they take longer, and are read once."""
        limits = replace(self.config.limits(), max_rows=rows, timeout=_INDEX_TIMEOUT) if rows else None
        return result_of(await self.pages.run(text, values, limits))

    def search(self, text: str, limit: int = 20) -> list[Match]:
        """Entities named like `text`, in English or Chinese, any word order (as kg search)."""
        found = rank(self.names.searchable, text, limit)
        return [replace(m, kinds=tuple(self.names.kinds.get(m.iri, []))) for m in found]

    def close(self) -> None:
        self.endpoint.close()
        self.pages.close()
        if self._temporary:
            shutil.rmtree(self._store, ignore_errors=True)


def _store(dist: Path) -> tuple[Path, bool]:
    """The build as a store on disk, kept beside it for the next server or query
    (kg.ask.load.keep_store), or, where it cannot be, in a temporary folder; and whether it
    is temporary."""
    try:
        return keep_store(dist), False
    except OSError:
        return temporary_store(dist, "kg-serve-"), True


def curie(iri: str) -> str:
    """An IRI shortened with the project's prefixes, or as it is."""
    short = compact(iri)
    return iri if short.startswith("<") else short


def local_path(iri: str) -> str | None:
    """The path that serves an IRI of the project here (its path under the project's
    namespace; /ontology/NAME for a term of the ontology), or None."""
    if iri.startswith(ONTOLOGY) and len(iri) > len(ONTOLOGY):
        return "/ontology/" + iri[len(ONTOLOGY) :]
    if iri.startswith(BASE) and "#" not in iri and "/" in iri[len(BASE) :]:
        return "/" + iri[len(BASE) :]
    return None
