"""SPARQL over the built graph, on an embedded Oxigraph store.

The default graph holds the merged graph (`graph.nt`: each triple once, whichever
documents state it); `GRAPH` patterns reach the provenance graphs of `graph.nq`. (Oxigraph's
union default graph would repeat a triple once per graph holding it.) Queries that would
reach the network (`SERVICE`) are refused before they run. Parameters are bound as RDF
terms (see kg.ask.bindings). The same functions query a remote endpoint (kg.ask.remote).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph as ox
from rdflib.plugins.sparql.algebra import translateQuery, traverse
from rdflib.plugins.sparql.parser import parseQuery

from kg.ask.bindings import bind
from kg.compile.output import INFERRED_FILE
from kg.errors import KgError, Location
from kg.vocab import PREFIXES, RDFS

_HEADER_FIELD = re.compile(r"^\s?(\w+):\s*(.*)$")
_SERVICE_KEYWORD = re.compile(r"\bSERVICE\s+(SILENT\s+)?[<?$A-Za-z]", re.IGNORECASE)
Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}


@dataclass
class QueryResult:
    """The answer to a query: rows for SELECT, a boolean for ASK, triples for graphs."""

    variables: list[str] = field(default_factory=list)
    rows: list[list[Term | None]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[ox.Triple] | None = None

    def records(self, labels: Mapping[str, str] | None = None) -> list[dict[str, str | None]]:
        """Rows as dicts of lexical values; with `labels`, each IRI also gets a `NAME_label`."""
        records = []
        for row in self.rows:
            record: dict[str, str | None] = {}
            for name, term in zip(self.variables, row, strict=True):
                record[name] = (
                    term.value if isinstance(term, ox.NamedNode | ox.Literal | ox.BlankNode) else None
                )
                if labels is not None and isinstance(term, ox.NamedNode):
                    record[f"{name}_label"] = labels.get(term.value)
            records.append(record)
        return records

    def to_dataframe(self, labels: Mapping[str, str] | None = None) -> Any:
        """The rows as a pandas DataFrame (install the `pandas` extra)."""
        try:
            import pandas
        except ImportError:
            raise KgError("pandas is not installed: pip install 'sovereignty-kg[pandas]'") from None
        return pandas.DataFrame.from_records(self.records(labels))


def open_graph(dist: Path) -> ox.Store:
    """Load the built graph into an in-memory store: the asserted graph and, when the build
    reasoned, the inferred triples as default graph; every named graph for GRAPH patterns
    (ask `GRAPH graph:inferred { … }` whether a triple was inferred)."""
    merged, graphs, inferred = dist / "graph.nt", dist / "graph.nq", dist / INFERRED_FILE
    if not merged.is_file() or not graphs.is_file():
        raise KgError(f"no built graph in {dist}; run 'kg build' first")
    store = ox.Store()
    for default in (merged, inferred):
        if default.is_file():
            store.bulk_load(path=str(default), format=ox.RdfFormat.N_TRIPLES)
    store.bulk_load(path=str(graphs), format=ox.RdfFormat.N_QUADS)
    return store


class Queryable(Protocol):
    """What queries run on: an Oxigraph store, or a remote endpoint (kg.ask.remote.Endpoint)."""

    def query(self, query: str, *, prefixes: dict[str, str] | None = None) -> Any: ...


def execute(
    store: Queryable, text: str, values: Mapping[str, Any] | None = None, source: Path | None = None
) -> Any:
    """Run a query with its parameters bound; the project's prefixes are predeclared.
    Returns Oxigraph's answer (solutions, boolean or triples), not yet read."""
    bound = bind(text, values or {})
    _refuse_service(bound, source)
    try:
        return store.query(bound, prefixes=PREFIXES)
    except SyntaxError as exc:
        raise KgError(f"SPARQL syntax error: {exc}", Location(source) if source else None) from None
    except OSError as exc:
        raise KgError(f"the query failed: {exc}", Location(source) if source else None) from None


def run_query(
    store: Queryable, text: str, values: Mapping[str, Any] | None = None, source: Path | None = None
) -> QueryResult:
    """Run a query and read its whole answer."""
    answer = execute(store, text, values, source)
    if isinstance(answer, ox.QueryBoolean):
        return QueryResult(boolean=bool(answer))
    if isinstance(answer, ox.QuerySolutions):
        names = [v.value for v in answer.variables]
        return QueryResult(names, [[solution[name] for name in names] for solution in answer])
    return QueryResult(triples=list(answer))


def serialize(
    store: Queryable, text: str, fmt: str, values: Mapping[str, Any] | None = None, source: Path | None = None
) -> bytes:
    """The answer in a standard format: SPARQL 1.1 JSON, XML, CSV or TSV results for SELECT
    and ASK; Turtle for CONSTRUCT and DESCRIBE."""
    answer = execute(store, text, values, source)
    if not isinstance(answer, ox.QuerySolutions | ox.QueryBoolean):  # triples
        return turtle(list(answer)).encode("utf-8")
    if fmt == "csv" and isinstance(answer, ox.QueryBoolean):
        return f"{str(bool(answer)).lower()}\r\n".encode()  # SPARQL CSV has no boolean form
    data = answer.serialize(format=RESULT_FORMATS[fmt])
    assert data is not None
    return bytes(data)


def turtle(triples: list[ox.Triple]) -> str:
    """Triples as Turtle with the project's prefixes, in a stable order."""
    ordered = sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    data = ox.serialize(ordered, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    return data.decode("utf-8") if data else ""


def labels(store: Queryable, iris: set[str], lang: str = "en") -> dict[str, str]:
    """The label of each IRI in `lang` (zh or en), falling back to English; IRIs without
    a label are left out."""
    if not iris:
        return {}
    wanted = " ".join(f"<{iri}>" for iri in sorted(iris))
    query = f"""SELECT ?s ?l WHERE {{ VALUES ?s {{ {wanted} }} ?s <{RDFS.label}> ?l
               FILTER (langMatches(lang(?l), "en") || langMatches(lang(?l), "zh")) }}"""
    answer = store.query(query)
    assert isinstance(answer, ox.QuerySolutions)
    found: dict[str, dict[str, str]] = {}
    for row in answer:
        label = row["l"]
        assert isinstance(label, ox.Literal)
        found.setdefault(row["s"].value, {})["zh" if (label.language or "").startswith("zh") else "en"] = (
            label.value
        )
    want = "zh" if lang.startswith("zh") else "en"
    return {
        iri: names.get(want) or names.get("en") or next(iter(names.values())) for iri, names in found.items()
    }


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
            "SERVICE is not allowed: kg runs no federated queries",
            Location(source) if source else None,
        )
