"""`kg push`: replace the graph in a remote store, atomically, and check what arrived.

Over the SPARQL 1.1 Graph Store HTTP Protocol, each graph is uploaded into a staging graph
of its own, in chunks; then one SPARQL Update moves every staging graph onto its target, so
readers see the old graph or the new one, never half of it. (A push larger than `swap_size`
triples is swapped in by several updates, each atomic: Oxigraph holds an update's writes in
memory, and moving 9 million triples at once took more than 18 GB here.) Every request can
be retried: the first one of a graph PUTs (replaces) its staging graph with all the triples
that hold blank nodes (whose labels only hold within one request), the others POST ground
triples, which adding twice does not change. A store that loads datasets (Oxigraph, known by its
`Server` header) gets the ground triples of every graph as N-Quads, graph after graph in
chunks, rather than a request or two per graph: thousands of document graphs go in a few
requests. Staging graphs an earlier, failed push left behind are dropped first.

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
import tempfile
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
N_QUADS = "application/n-quads"
SPARQL_JSON = "application/sparql-results+json"
BYTES_PER_TRIPLE = 4096  # the read-back of a graph may take this much per pushed triple (+1 MiB)
MAX_LISTING = 16 * 2**20  # bytes: the answer listing the store's graphs
DIGEST_CHUNK = 100_000  # triples normalised at a time
SWAP_SIZE = 1_000_000  # triples one swapping update moves at most (Oxigraph holds its writes in memory)
SWAP_RATE = 2_000  # triples a second the swap may take (Oxigraph moved 8,600 a second here)


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
    swaps: int = 1  # updates that swapped the graphs in (one: atomic as a whole)
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
    swap_size: int = SWAP_SIZE,
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
    there, datasets = _graphs(http, store)
    leftovers = sorted({_staging(target) for target in blank} & set(there))
    if leftovers:
        _drop(http, store, leftovers, "dropping staging graphs an earlier push left")
    upload = _upload_dataset if datasets else _upload_graphs
    local = upload(http, store, plan(), blank, chunk_size, progress)
    keep = set(local) | {_staging(target) for target in local}
    report.dropped = sorted(name for name in there if name not in keep) if graph is None else []
    report.swaps = _swap(http, store, local, report.dropped, swap_size, progress)
    progress("reading the graphs back to verify them")
    for target, triples in plan():
        report.triples[target] = _verify(http, store, target, local[target], triples if verify_hash else None)
    report.hashed = verify_hash
    report.requests = http.sent
    report.seconds = time.perf_counter() - start
    return report


def digest(triples: Iterable[ox.Triple]) -> tuple[int, str]:
    """The count of a graph's triples and a digest of its canonical form, read as a stream:
    literals normalised as an Oxigraph store does (e.g. "05"^^xsd:nonNegativeInteger becomes
    "5"^^xsd:integer), blank nodes labelled by RDFC-1.0 (their labels depend only on the
    triples that hold blank nodes, canonicalised together), and the SHA-256 of each N-Triples
    line added up modulo 2**256, so that neither the order of lines nor the whole graph in
    memory is needed."""
    count, total, blank = 0, 0, ox.Store()
    stream = iter(triples)
    while chunk := list(islice(stream, DIGEST_CHUNK)):
        count += len(chunk)
        ground = ox.Store()
        for triple in chunk:
            quad = ox.Quad(triple.subject, triple.predicate, triple.object)
            (blank if _has_blank_node(triple) else ground).add(quad)
        total += _line_hashes(ground)
    canonical = ox.Dataset(blank)
    canonical.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    total += _line_hashes(canonical)
    return count, f"{total % 2**256:064x}"


def _line_hashes(quads: Iterable[ox.Quad]) -> int:
    return sum(
        int.from_bytes(hashlib.sha256(f"{q.subject} {q.predicate} {q.object} .\n".encode()).digest(), "big")
        for q in quads
    )


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


def _upload_graphs(
    http: Http,
    store: RemoteStore,
    plan: Iterator[tuple[str, Iterator[ox.Triple]]],
    blank: dict[str, list[ox.Triple]],
    chunk_size: int,
    progress: Callable[[str], None],
) -> dict[str, int]:
    """Fill each target's staging graph: the triples with blank nodes in one PUT (which also
    empties it), then the others in POSTs of `chunk_size`; returns the counts."""
    counts = {}
    for target, triples in plan:
        what = f"uploading {_name(target)}"
        ground = (t for t in triples if not _has_blank_node(t))
        chunk, sent, method = blank[target], 0, "PUT"
        while True:
            _send(http, store, method, {"graph": _staging(target)}, what, chunk, N_TRIPLES)
            sent += len(chunk)
            if chunk:
                progress(f"{what}: {sent} triples")
            chunk, method = list(islice(ground, chunk_size)), "POST"
            if not chunk:
                break
        counts[target] = sent
    return counts


def _upload_dataset(
    http: Http,
    store: RemoteStore,
    plan: Iterator[tuple[str, Iterator[ox.Triple]]],
    blank: dict[str, list[ox.Triple]],
    chunk_size: int,
    progress: Callable[[str], None],
) -> dict[str, int]:
    """Fill the staging graphs of a store that loads datasets: the triples with blank nodes
    by a PUT of each graph that has them, then every graph's ground triples as N-Quads in
    POSTs of `chunk_size`, graph after graph; returns the counts."""
    for target, triples in blank.items():
        if triples:
            what = f"uploading {_name(target)}"
            _send(http, store, "PUT", {"graph": _staging(target)}, what, triples, N_TRIPLES)
    counts: dict[str, int] = {}
    current = ""

    def ground() -> Iterator[ox.Quad]:
        nonlocal current
        for target, triples in plan:
            current, staging, counts[target] = target, ox.NamedNode(_staging(target)), 0
            for triple in triples:
                counts[target] += 1
                if not _has_blank_node(triple):
                    yield ox.Quad(triple.subject, triple.predicate, triple.object, staging)

    quads = ground()
    while chunk := list(islice(quads, chunk_size)):
        what = f"uploading {_name(current)}"
        _send(http, store, "POST", {}, what, chunk, N_QUADS)
        progress(f"{what}: {counts[current]} triples")
    return counts


def _send(
    http: Http,
    store: RemoteStore,
    method: str,
    params: dict[str, str],
    what: str,
    chunk: list[ox.Triple] | list[ox.Quad],
    media_type: str,
) -> None:
    form = ox.RdfFormat.N_QUADS if media_type == N_QUADS else ox.RdfFormat.N_TRIPLES
    http.request(
        method,
        store.graph_store,
        what,
        params=params,
        content=ox.serialize(chunk, format=form) or b"",
        headers={"Content-Type": media_type},
    )


def _has_blank_node(triple: ox.Triple) -> bool:
    return isinstance(triple.subject, ox.BlankNode) or isinstance(triple.object, ox.BlankNode)


def _graphs(http: Http, store: RemoteStore) -> tuple[list[str], bool]:
    """The kg graphs and staging graphs in the store (never a graph kg did not make), and
    whether the store loads datasets (Oxigraph's Graph Store accepts N-Quads)."""
    query = f"""SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ }}
        FILTER (STRSTARTS(STR(?g), "{GRAPH}") || STRSTARTS(STR(?g), "{STAGING}")) }}"""
    rows, server = _select(http, store, query, "listing the store's graphs")
    names = [row[0].value for row in rows if row[0].value.startswith((str(GRAPH), STAGING))]
    return sorted(names), server.lower().startswith("oxigraph/")


def _drop(http: Http, store: RemoteStore, graphs: list[str], what: str) -> None:
    _update(http, store, [f"DROP SILENT GRAPH {_iri(g)}" for g in graphs], what, 0)


def _swap(
    http: Http,
    store: RemoteStore,
    local: dict[str, int],
    stale: list[str],
    batch: int,
    progress: Callable[[str], None],
) -> int:
    """Move every staging graph onto its target and drop the stale graphs: in one update, so
    readers see the previous push or this one, when it moves at most `batch` triples (0: no
    limit); else in updates of at most that many (a larger graph alone), the default graph in
    the last, each atomic. An update may take as long as moving its triples takes (SWAP_RATE),
    if longer than --timeout. Returns the number of updates."""
    batches = _batches(local, batch)
    for i, targets in enumerate(batches, 1):
        operations = [
            f"MOVE GRAPH {_iri(_staging(t))} TO {'DEFAULT' if t == DEFAULT else f'GRAPH {_iri(t)}'}"
            for t in targets
        ]
        if i == len(batches):
            operations += [f"DROP SILENT GRAPH {_iri(g)}" for g in stale]
        what = "swapping the new graphs in" + (f" ({i} of {len(batches)})" if len(batches) > 1 else "")
        progress(what)
        _update(http, store, operations, what, sum(local[t] for t in targets) / SWAP_RATE)
    return len(batches)


def _batches(local: dict[str, int], size: int) -> list[list[str]]:
    """The targets in groups of at most `size` triples (a larger graph alone), the default
    graph in the last group."""
    batches: list[list[str]] = [[]]
    held = 0
    for target in sorted(local, key=lambda t: t == DEFAULT):
        if size and batches[-1] and held + local[target] > size:
            batches.append([])
            held = 0
        batches[-1].append(target)
        held += local[target]
    return batches


def _update(http: Http, store: RemoteStore, operations: list[str], what: str, deadline: float) -> None:
    http.request(
        "POST",
        store.update,
        what,
        content=" ;\n".join(operations).encode("utf-8"),
        headers={"Content-Type": "application/sparql-update; charset=utf-8"},
        deadline=deadline,
    )


def _verify(
    http: Http, store: RemoteStore, target: str, count: int, triples: Iterable[ox.Triple] | None
) -> int:
    """Read `target` back through the Graph Store Protocol (so that a store whose default
    graph is the union of all graphs is checked too), into a temporary file; its count must be
    `count` and, given the local `triples`, its digest theirs. Returns the count found."""
    params = {"default": ""} if target == DEFAULT else {"graph": target}
    what = f"reading back {_name(target)}"
    with tempfile.TemporaryFile() as body:
        cap = count * BYTES_PER_TRIPLE + 2**20
        http.download(
            "GET",
            store.graph_store,
            what,
            cap,
            {N_TRIPLES},
            body,
            params=params,
            headers={"Accept": N_TRIPLES},
        )
        body.seek(0)
        there = (q.triple for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
        try:
            found_count, found = digest(there) if triples is not None else (sum(1 for _ in there), "")
        except SyntaxError as exc:
            raise KgError(f"{what}: the store answered damaged N-Triples ({exc})") from None
    if found_count != count:
        found_counts = f"{found_count} in the store, {count} here"
        raise KgError(f"the store does not hold what was pushed: {_name(target)}: {found_counts}")
    if triples is not None and found != (wanted := digest(triples)[1]):
        raise KgError(
            f"the store does not hold what was pushed: {_name(target)} has digest {found[:16]}… "
            f"in the store, {wanted[:16]}… here"
        )
    return count


def _select(
    http: Http, store: RemoteStore, query: str, what: str
) -> tuple[list[list[ox.NamedNode | ox.Literal]], str]:
    """The rows of a SELECT query, and the server's `Server` header."""
    reply = http.send(
        "POST",
        store.query,
        what,
        MAX_LISTING,
        {SPARQL_JSON},
        data={"query": query},
        headers={"Accept": SPARQL_JSON},
    )
    try:
        solutions = ox.parse_query_results(reply.content, format=ox.QueryResultsFormat.JSON)
        if not isinstance(solutions, ox.QuerySolutions):
            raise KgError(f"{what}: {safe_url(store.query)} did not answer with solutions")
        names = [v.value for v in solutions.variables]
        rows = [[row[name] for name in names] for row in solutions]  # rows are parsed as they are read
        return rows, reply.headers.get("Server", "")
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
