"""`kg push`: replace the graph in a remote store, atomically, and check what arrived.

Over the SPARQL 1.1 Graph Store HTTP Protocol, each graph is uploaded into a staging graph
of its own, in chunks; then one SPARQL Update moves every staging graph onto its target, so
readers see the old graph or the new one, never half of it. Every request can be retried:
the first one of a graph PUTs (replaces) its staging graph with all the triples that hold
blank nodes (whose labels only hold within one request), the others POST ground triples,
which adding twice does not change.

Two ways to push:
- the build's dataset (default): the merged graph into the store's default graph, and each
  provenance graph (graph:ontology, graph:document-000, …) into its named graph; the kg
  graphs the build no longer has are dropped. The store then answers queries exactly as
  `kg query` does on dist/.
- `graph=IRI`: the merged graph into that one named graph; nothing else is touched.
- `union=True`, for a store whose default graph is the union of all its graphs (Virtuoso,
  GraphDB): the provenance graphs only, whose union is the merged graph.

Afterwards each target graph is read back: its count of triples must equal the local count,
and (unless `verify_hash` is off) its digest the local digest: N-Triples of the RDFC-1.0
canonical form, after the literal normalisation Oxigraph applies.
"""

from __future__ import annotations

import functools
import hashlib
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import groupby, islice
from pathlib import Path

import pyoxigraph as ox

from kg.errors import KgError
from kg.store.export import build_quads, build_triples, check_build
from kg.store.http import Http, checked_url, safe_url
from kg.vocab import GRAPH

STAGING = "urn:sovereignty-kg:staging:"
DEFAULT = "default graph"
N_TRIPLES = "application/n-triples"
SPARQL_JSON = "application/sparql-results+json"
BYTES_PER_TRIPLE = 4096  # the read-back of a graph may take this much per pushed triple (+1 MiB)
MAX_LISTING = 16 * 2**20  # bytes: the answer listing the store's graphs


@dataclass(frozen=True)
class RemoteStore:
    """The endpoints of a remote store (Oxigraph on port P: /store, /query, /update)."""

    graph_store: str
    query: str
    update: str


@dataclass
class PushReport:
    triples: dict[str, int] = field(default_factory=dict)  # per target graph, as verified
    dropped: list[str] = field(default_factory=list)  # stale kg graphs removed
    hashed: bool = False
    requests: int = 0  # HTTP requests sent, retries included
    seconds: float = 0.0


def push(
    dist: Path,
    store: RemoteStore,
    http: Http,
    *,
    graph: str | None = None,
    union: bool = False,
    inferred: bool = False,
    chunk_size: int = 50_000,
    verify_hash: bool = True,
    progress: Callable[[str], None] = lambda message: None,
) -> PushReport:
    """Push the build in `dist` to `store`; raise KgError if anything fails or differs."""
    check_build(dist, inferred)
    for url, option in ((store.graph_store, "--store"), (store.query, "--query"), (store.update, "--update")):
        checked_url(url, option)
    if graph is not None:
        _iri(graph, "--graph")
    if graph is not None and union:
        raise KgError("push into one named graph (--graph) or the provenance graphs only (--union), not both")
    start = time.perf_counter()
    report = PushReport()
    plan = functools.partial(_plan, dist, graph, union, inferred)
    blank = {target: [t for t in triples if _has_blank_node(t)] for target, triples in plan()}
    local: dict[str, int] = {}
    for target, triples in plan():
        ground = (t for t in triples if not _has_blank_node(t))
        local[target] = _upload(http, store, target, blank[target], ground, chunk_size, progress)
    report.dropped = _stale(http, store, local) if graph is None else []
    progress("swapping the new graphs in")
    _swap(http, store, list(local), report.dropped)
    progress("reading the graphs back to verify them")
    for target, triples in plan():
        report.triples[target] = _verify(http, store, target, local[target], triples if verify_hash else None)
    report.hashed = verify_hash
    report.requests = http.sent
    report.seconds = time.perf_counter() - start
    return report


def digest(triples: Iterable[ox.Triple]) -> str:
    """SHA-256 of a graph's canonical N-Triples: literals normalised as an Oxigraph store
    does (e.g. "05"^^xsd:nonNegativeInteger becomes "5"^^xsd:integer), blank nodes labelled
    by RDFC-1.0, lines sorted."""
    normalised = ox.Store()
    normalised.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    dataset = ox.Dataset(normalised)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    lines = sorted(f"{q.subject} {q.predicate} {q.object} .\n" for q in dataset)
    return hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()


def _plan(
    dist: Path, graph: str | None, union: bool, inferred: bool
) -> Iterator[tuple[str, Iterator[ox.Triple]]]:
    """(target graph, its triples) in order; DEFAULT names the default graph."""
    if graph is not None:
        yield graph, build_triples(dist, inferred)
        return
    if not union:
        yield DEFAULT, build_triples(dist, inferred)
    for name, quads in groupby(build_quads(dist, inferred), key=lambda q: q.graph_name):
        assert isinstance(name, ox.NamedNode)
        yield name.value, (q.triple for q in quads)


def _upload(
    http: Http,
    store: RemoteStore,
    target: str,
    blank: list[ox.Triple],
    ground: Iterator[ox.Triple],
    chunk_size: int,
    progress: Callable[[str], None],
) -> int:
    """Fill the staging graph of `target`: the triples with blank nodes in one PUT (which
    also empties it), then the others in POSTs of `chunk_size`; returns the count."""
    what = f"uploading {_name(target)}"
    params = {"graph": _staging(target)}
    chunk, sent, method = blank, 0, "PUT"
    while True:
        http.request(
            method,
            store.graph_store,
            what,
            params=params,
            content=ox.serialize(chunk, format=ox.RdfFormat.N_TRIPLES) or b"",
            headers={"Content-Type": N_TRIPLES},
        )
        sent += len(chunk)
        if chunk:
            progress(f"{what}: {sent} triples")
        chunk, method = list(islice(ground, chunk_size)), "POST"
        if not chunk:
            return sent


def _has_blank_node(triple: ox.Triple) -> bool:
    return isinstance(triple.subject, ox.BlankNode) or isinstance(triple.object, ox.BlankNode)


def _stale(http: Http, store: RemoteStore, pushed: dict[str, int]) -> list[str]:
    """The kg graphs (and leftover staging graphs) in the store that this push does not
    replace: a document dropped from the build, graph:inferred pushed earlier, …"""
    answer = _select(
        http,
        store,
        f"""SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ }}
            FILTER (STRSTARTS(STR(?g), "{GRAPH}") || STRSTARTS(STR(?g), "{STAGING}")) }}""",
        "listing the store's graphs",
    )
    keep = set(pushed) | {_staging(target) for target in pushed}
    ours = [row[0].value for row in answer if row[0].value.startswith((str(GRAPH), STAGING))]
    return sorted(name for name in ours if name not in keep)  # never a graph kg did not make


def _swap(http: Http, store: RemoteStore, targets: list[str], stale: list[str]) -> None:
    operations = [
        f"MOVE GRAPH {_iri(_staging(t))} TO {'DEFAULT' if t == DEFAULT else f'GRAPH {_iri(t)}'}"
        for t in targets
    ]
    operations += [f"DROP SILENT GRAPH {_iri(g)}" for g in stale]
    http.request(
        "POST",
        store.update,
        "swapping the new graphs in",
        content=" ;\n".join(operations).encode("utf-8"),
        headers={"Content-Type": "application/sparql-update; charset=utf-8"},
    )


def _verify(
    http: Http, store: RemoteStore, target: str, count: int, triples: Iterable[ox.Triple] | None
) -> int:
    """Read `target` back through the Graph Store Protocol (so that a store whose default
    graph is the union of all graphs is checked too); its count must be `count` and, given
    the local `triples`, its digest theirs. Returns the count found."""
    params = {"default": ""} if target == DEFAULT else {"graph": target}
    _, body = http.fetch(
        "GET",
        store.graph_store,
        f"reading back {_name(target)}",
        count * BYTES_PER_TRIPLE + 2**20,
        {N_TRIPLES},
        params=params,
        headers={"Accept": N_TRIPLES},
    )
    try:
        there = [q.triple for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)]
    except SyntaxError as exc:
        raise KgError(f"reading back {_name(target)}: the store answered damaged N-Triples ({exc})") from None
    if len(there) != count:
        found_count = f"{len(there)} in the store, {count} here"
        raise KgError(f"the store does not hold what was pushed: {_name(target)}: {found_count}")
    if triples is not None and (found := digest(there)) != (wanted := digest(triples)):
        raise KgError(
            f"the store does not hold what was pushed: {_name(target)} has digest {found[:16]}… "
            f"in the store, {wanted[:16]}… here"
        )
    return count


def _select(http: Http, store: RemoteStore, query: str, what: str) -> list[list[ox.NamedNode | ox.Literal]]:
    _, body = http.fetch(
        "POST",
        store.query,
        what,
        MAX_LISTING,
        {SPARQL_JSON},
        data={"query": query},
        headers={"Accept": SPARQL_JSON},
    )
    try:
        solutions = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        if not isinstance(solutions, ox.QuerySolutions):
            raise KgError(f"{what}: {safe_url(store.query)} did not answer with solutions")
        names = [v.value for v in solutions.variables]
        return [[row[name] for name in names] for row in solutions]  # rows are parsed as they are read
    except SyntaxError as exc:
        raise KgError(f"{what}: {safe_url(store.query)} answered damaged SPARQL JSON ({exc})") from None


def _iri(name: str, what: str = "a graph name") -> str:
    """`name` written as an IRI in SPARQL; never anything but one IRI."""
    try:
        return str(ox.NamedNode(name))
    except ValueError as exc:
        raise KgError(f"{what}: '{name}' is not a valid IRI ({exc})") from None


def _staging(target: str) -> str:
    return STAGING + hashlib.sha256(target.encode("utf-8")).hexdigest()[:20]


def _name(target: str) -> str:
    return target if target == DEFAULT else f"<{target}>"
