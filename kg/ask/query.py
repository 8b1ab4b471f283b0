"""SPARQL over the built graph, through the bounded runner (kg.ask.runner).

`open_graph` starts a worker process that loads the build; `run_query` and `serialize` check
a query by parsing it (kg.ask.prepare: nothing that reaches the network or a file, within
size and depth limits), bind its parameters as RDF terms, and run it within the limits of
kg.ask.limits. The same functions query a remote endpoint (kg.ask.remote), after the same
checks, and, without the time and memory bounds, an Oxigraph store given directly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph as ox

from kg.ask.bindings import guess_value
from kg.ask.dataset import WHOLE, Dataset
from kg.ask.limits import Limits
from kg.ask.load import check_graph
from kg.ask.placement import Placement
from kg.ask.prepare import measure, prepare
from kg.ask.runner import Answer, Runner, answer
from kg.errors import KgError, Location
from kg.vocab import PREFIXES, RDFS

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
LABELS_PER_QUERY = 500  # IRIs looked up per query, well within the query size limit
RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}


@dataclass
class QueryResult:
    """The answer to a query: rows for SELECT, a boolean for ASK, triples for graphs;
    `truncated` when the answer was cut at the row or byte cap."""

    variables: list[str] = field(default_factory=list)
    rows: list[list[Term | None]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[ox.Triple] | None = None
    truncated: bool = False

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


class Graph:
    """The built graph in `dist`, queried in worker processes within `limits`
    (kg.ask.runner.Runner); close it, or use it as a context manager, to stop them."""

    def __init__(
        self,
        dist: Path,
        limits: Limits | None = None,
        workers: int = 1,
        dataset: Dataset = WHOLE,
        placement: Placement = Placement.AUTO,
    ) -> None:
        check_graph(dist)
        self.dist = dist
        self.runner = Runner(dist, limits, workers, dataset=dataset, placement=placement)

    def __enter__(self) -> Graph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.runner.close()

    def run(self, text: str, values: Mapping[str, Any] | None = None, limits: Limits | None = None) -> Answer:
        return self.runner.run(text, values, limits)

    def query(self, query: str, *, prefixes: dict[str, str] | None = None) -> Any:
        """Oxigraph's answer objects, as `ox.Store.query` gives them (the project's
        prefixes are always predeclared)."""
        return self.run(query).result()


def open_graph(
    dist: Path, limits: Limits | None = None, dataset: Dataset = WHOLE, placement: Placement = Placement.AUTO
) -> Graph:
    """The built graph, ready for queries: the asserted graph and, when the build reasoned,
    the inferred triples as default graph; every named graph for GRAPH patterns (ask
    `GRAPH graph:inferred { … }` whether a triple was inferred). Of these only what `dataset`
    names are loaded (what `kg.ask.reads.dataset_read` says a query reads: at 10,000
    documents, half the quads are the documents' named graphs, the other half the default
    graph). `placement`: in memory or on disk (kg.ask.placement.Placement)."""
    return Graph(Path(dist), limits, dataset=dataset, placement=placement)


class Queryable(Protocol):
    """What queries run on: a Graph, a remote endpoint (kg.ask.remote.Endpoint), or an
    Oxigraph store."""

    def query(self, query: str, *, prefixes: dict[str, str] | None = None) -> Any: ...


def execute(
    store: Queryable,
    text: str,
    values: Mapping[str, Any] | None = None,
    source: Path | None = None,
    limits: Limits | None = None,
) -> Answer:
    """Check a query, bind its parameters (RDF terms; a string is read as `--param` reads
    it), run it, and return the answer as it left the engine."""
    if not isinstance(text, str):
        raise KgError(f"a query is text (str), not {type(text).__name__}")
    terms = {name: _term(value, name) for name, value in (values or {}).items()}
    try:
        if isinstance(store, ox.Store):
            bounds = limits or Limits()
            measure(text, bounds)
            return answer(store, prepare(text, terms, bounds), bounds)
        run = getattr(store, "run", None)
        if run is None:
            raise KgError(f"cannot run queries on {type(store).__name__}")
        result: Answer = run(text, terms, limits)
        return result
    except KgError as exc:
        if source is None or exc.location is not None:
            raise
        raise type(exc)(exc.message, Location(source)) from None


def _term(value: Any, name: str) -> ox.NamedNode | ox.Literal:
    """A parameter value as an RDF term: a term as it is, text (or a whole number) read as
    `--param` reads it."""
    if isinstance(value, ox.NamedNode | ox.Literal):
        return value
    if isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool)):
        return guess_value(str(value), name)
    raise KgError(f"parameter {name}: give an IRI (NamedNode), a Literal or text, not {type(value).__name__}")


def run_query(
    store: Queryable,
    text: str,
    values: Mapping[str, Any] | None = None,
    source: Path | None = None,
    limits: Limits | None = None,
) -> QueryResult:
    """Run a query and read its whole answer (up to the row cap; see `truncated`)."""
    return result_of(execute(store, text, values, source, limits))


def result_of(found: Answer) -> QueryResult:
    """An answer read into a QueryResult."""
    result = found.result()
    if isinstance(result, ox.QueryBoolean):
        return QueryResult(boolean=bool(result), truncated=found.truncated)
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        rows = [[solution[name] for name in names] for solution in result]
        return QueryResult(names, rows, truncated=found.truncated)
    return QueryResult(triples=list(result), truncated=found.truncated)


def serialize(
    store: Queryable,
    text: str,
    fmt: str,
    values: Mapping[str, Any] | None = None,
    source: Path | None = None,
    limits: Limits | None = None,
) -> bytes:
    """The answer in a standard format: SPARQL 1.1 JSON, XML, CSV or TSV results for SELECT
    and ASK; Turtle for CONSTRUCT and DESCRIBE."""
    return serialize_answer(execute(store, text, values, source, limits), fmt)


def serialize_answer(found: Answer, fmt: str) -> bytes:
    result = found.result()
    if not isinstance(result, ox.QuerySolutions | ox.QueryBoolean):  # triples
        return turtle(result).encode("utf-8")
    if fmt == "csv" and isinstance(result, ox.QueryBoolean):
        return f"{str(bool(result)).lower()}\r\n".encode()  # SPARQL CSV has no boolean form
    data = result.serialize(format=RESULT_FORMATS[fmt])
    assert data is not None
    return bytes(data)


def turtle(triples: list[ox.Triple]) -> str:
    """Triples as Turtle with the project's prefixes, in a stable order."""
    ordered = sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    data = ox.serialize(ordered, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    return data.decode("utf-8") if data else ""


def labels(store: Queryable, iris: set[str], lang: str = "en", named: bool = False) -> dict[str, str]:
    """The label of each IRI in `lang` (zh or en), falling back to English; IRIs without
    a label are left out. With `named`, labels are read from the named graphs (for a store
    without the default graph)."""
    if not iris:
        return {}
    found: dict[str, dict[str, str]] = {}
    ordered = sorted(str(node) for node in map(_named_node, iris) if node is not None)
    for start in range(0, len(ordered), LABELS_PER_QUERY):
        wanted = " ".join(ordered[start : start + LABELS_PER_QUERY])  # terms written by pyoxigraph
        pattern = f"?s <{RDFS.label}> ?l"
        if named:
            pattern = f"GRAPH ?g {{ {pattern} }}"
        query = f"""SELECT ?s ?l WHERE {{ VALUES ?s {{ {wanted} }} {pattern}
                   FILTER (langMatches(lang(?l), "en") || langMatches(lang(?l), "zh")) }}"""
        for subject, label in run_query(store, query).rows:
            assert isinstance(subject, ox.NamedNode) and isinstance(label, ox.Literal)
            names = found.setdefault(subject.value, {})
            names["zh" if (label.language or "").startswith("zh") else "en"] = label.value
    want = "zh" if lang.startswith("zh") else "en"
    return {
        iri: names.get(want) or names.get("en") or next(iter(names.values())) for iri, names in found.items()
    }


def _named_node(iri: str) -> ox.NamedNode | None:
    """The IRI as a term, or None for what is no IRI (it has no label)."""
    try:
        return ox.NamedNode(iri)
    except (ValueError, TypeError):
        return None
