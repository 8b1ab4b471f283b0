"""SPARQL over the built graph, on an embedded Oxigraph store.

The default graph holds the merged graph (`graph.nt`: each triple once, whichever
documents state it); `GRAPH` patterns reach the provenance graphs of `graph.nq`. (Oxigraph's
union default graph would repeat a triple once per graph holding it.) Queries that would
reach the network (`SERVICE`) are refused before they run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib.plugins.sparql.algebra import translateQuery, traverse
from rdflib.plugins.sparql.parser import parseQuery

from kg.errors import KgError, Location
from kg.vocab import PREFIXES

_HEADER_FIELD = re.compile(r"^\s?(\w+):\s*(.*)$")
_SERVICE_KEYWORD = re.compile(r"\bSERVICE\s+(SILENT\s+)?[<?$A-Za-z]", re.IGNORECASE)
Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


@dataclass
class QueryResult:
    """The answer to a query: rows for SELECT, a boolean for ASK, triples for graphs."""

    variables: list[str] = field(default_factory=list)
    rows: list[list[Term | None]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[ox.Triple] | None = None


def open_graph(dist: Path) -> ox.Store:
    """Load the built graph into an in-memory store."""
    merged, graphs = dist / "graph.nt", dist / "graph.nq"
    if not merged.is_file() or not graphs.is_file():
        raise KgError(f"no built graph in {dist}; run 'kg build' first")
    store = ox.Store()
    store.bulk_load(path=str(merged), format=ox.RdfFormat.N_TRIPLES)
    store.bulk_load(path=str(graphs), format=ox.RdfFormat.N_QUADS)
    return store


def run_query(store: ox.Store, text: str, source: Path | None = None) -> QueryResult:
    """Run a SPARQL query; the project's prefixes are predeclared."""
    _refuse_service(text, source)
    try:
        answer = store.query(text, prefixes=PREFIXES)
    except SyntaxError as exc:
        raise KgError(f"SPARQL syntax error: {exc}", Location(source) if source else None) from None
    if isinstance(answer, ox.QueryBoolean):
        return QueryResult(boolean=bool(answer))
    if isinstance(answer, ox.QuerySolutions):
        names = [v.value for v in answer.variables]
        return QueryResult(names, [[solution[name] for name in names] for solution in answer])
    return QueryResult(triples=list(answer))


def _refuse_service(text: str, source: Path | None) -> None:
    """Refuse federated queries: Oxigraph would send them over HTTP."""
    if "service" not in text.lower():
        return
    try:
        algebra = translateQuery(parseQuery(text)).algebra
        found: list[object] = []
        traverse(
            algebra,
            visitPre=lambda n: found.append(n) if getattr(n, "name", "") == "ServiceGraphPattern" else None,
        )
        federated = bool(found)
    except Exception:  # rdflib cannot parse it (e.g. newer syntax): fall back to the keyword
        federated = bool(_SERVICE_KEYWORD.search(text))
    if federated:
        raise KgError(
            "SERVICE is not allowed: queries run on the local graph only",
            Location(source) if source else None,
        )


def query_header(text: str) -> dict[str, str]:
    """The `# key: value` comment lines at the top of a .rq file (continued by indented
    `#   ...` lines), e.g. title and description."""
    header: dict[str, str] = {}
    key = None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        body = line[1:]
        match = _HEADER_FIELD.match(body)
        if match:
            key = match.group(1)
            header[key] = match.group(2).strip()
        elif key and body.startswith("   "):
            header[key] = f"{header[key]} {body.strip()}"
    return header
