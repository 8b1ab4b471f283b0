"""`kg validate`: SHACL shapes and named SPARQL checks on the built graph.

Shapes (`ontology/shapes/*.ttl`) run in pyshacl with no `owl:imports` fetching and no
JavaScript; the ontology is part of the data graph, so a shape targeting a class also
reaches its subclasses. Checks (`ontology/checks/*.rq`) are SELECT queries returning
`?this` (and optionally `?path`, `?value`, `?message`); the file name says the severity:
`*-violation.rq` fails the build, `*-warning.rq` warns, anything else informs.
Every finding is traced back to the mapping file and line that produced it.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from pyshacl import validate as shacl_validate
from pyshacl.errors import ReportableRuntimeError, ShapeLoadError, ValidationFailure
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.plugins.sparql import prepareQuery
from rdflib.term import Node

from kg.ask.load import load_graph
from kg.ask.query import query_header
from kg.check.findings import Finding, Report, Severity
from kg.compile.output import INFERRED_FILE
from kg.compile.sourcemap import FILE as SOURCES
from kg.compile.sourcemap import SourceMap, triple_key
from kg.errors import KgError, Location
from kg.vocab import PREFIXES, RDFS, compact

SEVERITIES = {SH.Violation: Severity.VIOLATION, SH.Warning: Severity.WARNING, SH.Info: Severity.INFO}


def validate(ontology_dir: Path, dist: Path) -> Report:
    """Run every shape and check on the graph built in `dist`: the asserted triples and,
    when the build reasoned, the inferred ones."""
    store = load_graph(dist)
    sources = SourceMap.read(dist / SOURCES)
    shapes = _load_shapes(ontology_dir / "shapes")
    labels = _english_labels(store)
    data = _PreparedQueryGraph()
    for part in (dist / "graph.nt", dist / INFERRED_FILE):
        if part.is_file():
            data.parse(part, format="nt")
    findings = [
        *_shacl_findings(data, shapes, labels, sources),
        *_check_findings(store, ontology_dir / "checks", labels, sources),
    ]
    names = sorted(
        {*_shape_names(shapes), *(f"check:{p.stem}" for p in (ontology_dir / "checks").glob("*.rq"))}
    )
    return Report(tuple(sorted(findings, key=lambda f: f.sort_key)), tuple(names))


class _PreparedQueryGraph(Graph):
    """An rdflib graph that parses each SPARQL text once.

    pyshacl runs a SPARQL-based constraint once per focus node, with the same text and a
    different binding of $this; rdflib would parse it every time (~35 ms each).
    """

    def query(self, query_object: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(query_object, str):
            query_object = _prepared(query_object)
        return super().query(query_object, *args, **kwargs)


@lru_cache(maxsize=256)
def _prepared(text: str) -> Any:
    return prepareQuery(text)


def _load_shapes(directory: Path) -> Graph:
    files = sorted(directory.glob("*.ttl"))
    if not files:
        raise KgError("no shapes (*.ttl) found", Location(directory))
    shapes = Graph()
    for path in files:
        try:
            shapes.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises several parser exception types
            raise KgError(f"invalid Turtle in shapes: {exc}", Location(path)) from None
    return shapes


def _shacl_findings(data: Graph, shapes: Graph, labels: dict[str, str], sources: SourceMap) -> list[Finding]:
    try:
        _, results, _ = shacl_validate(
            data,
            shacl_graph=shapes,
            inference="none",
            allow_infos=True,
            allow_warnings=True,
            do_owl_imports=False,
            js=False,
            advanced=False,
        )
    except (ShapeLoadError, ReportableRuntimeError) as exc:
        raise KgError(f"the shapes cannot be run: {exc}") from None
    if isinstance(results, ValidationFailure):
        raise KgError(f"the shapes cannot be run: {results.message}")
    findings = []
    for result in results.subjects(SH.resultSeverity, None):
        focus = _ox(results.value(result, SH.focusNode))
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        findings.append(
            _finding(
                SEVERITIES[results.value(result, SH.resultSeverity)],
                _result_shape(results, result, shapes),
                focus,  # type: ignore[arg-type]
                str(results.value(result, SH.resultMessage) or "constraint not met"),
                _ox(path) if isinstance(path, URIRef) else None,  # type: ignore[arg-type]
                _ox(value) if value is not None else None,
                labels,
                sources,
            )
        )
    return findings


def _check_findings(
    store: ox.Store, directory: Path, labels: dict[str, str], sources: SourceMap
) -> list[Finding]:
    findings = []
    for path in sorted(directory.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        severity = (
            Severity.VIOLATION
            if path.stem.endswith("-violation")
            else Severity.WARNING
            if path.stem.endswith("-warning")
            else Severity.INFO
        )
        default = query_header(text).get("description", path.stem)
        try:
            solutions = store.query(text, prefixes=PREFIXES)
        except SyntaxError as exc:
            raise KgError(f"invalid SPARQL in check: {exc}", Location(path)) from None
        if not isinstance(solutions, ox.QuerySolutions) or "this" not in {
            v.value for v in solutions.variables
        }:
            raise KgError("a check must be a SELECT query returning ?this", Location(path))
        names = {v.value for v in solutions.variables}
        for row in solutions:
            focus = row["this"]
            message = row["message"] if "message" in names else None
            findings.append(
                _finding(
                    severity,
                    f"check:{path.stem}",
                    focus,
                    message.value if isinstance(message, ox.Literal) else default,
                    row["path"] if "path" in names else None,
                    row["value"] if "value" in names else None,
                    labels,
                    sources,
                )
            )
    return findings


def _finding(
    severity: Severity,
    shape: str,
    focus: ox.NamedNode | ox.BlankNode,
    message: str,
    path: ox.NamedNode | None,
    value: ox.NamedNode | ox.BlankNode | ox.Literal | None,
    labels: dict[str, str],
    sources: SourceMap,
) -> Finding:
    key = triple_key(focus, path, value) if path is not None and value is not None else None
    focus_text = focus.value if isinstance(focus, ox.NamedNode) else str(focus)
    return Finding(
        severity,
        shape,
        focus,
        labels.get(focus_text) or compact(focus_text),
        message,
        path,
        value,
        tuple(sources.lookup(focus_text, key)),
    )


def _result_shape(results: Graph, result: Node, shapes: Graph) -> str:
    """A readable name: the shape's IRI, or its node shape and path when it is anonymous."""
    constraint = results.value(result, SH.sourceConstraint)
    if isinstance(constraint, URIRef):
        return compact(str(constraint))
    return _shape_name(results.value(result, SH.sourceShape), shapes)


def _shape_name(shape: Node | None, shapes: Graph) -> str:
    if isinstance(shape, URIRef):
        return compact(str(shape))
    parent = shapes.value(None, SH.property, shape) if isinstance(shape, BNode) else None
    path = shapes.value(shape, SH.path) if shape is not None else None
    if isinstance(parent, URIRef) and isinstance(path, URIRef):
        return f"{compact(str(parent))} {compact(str(path))}"
    return "anonymous shape"


def _shape_names(shapes: Graph) -> set[str]:
    names = set()
    for node in shapes.subjects(None, None):
        is_shape = (node, SH.targetClass, None) in shapes or (None, SH.property, node) in shapes
        if is_shape or (None, SH.sparql, node) in shapes:
            names.add(_shape_name(node, shapes))
    return names - {"anonymous shape"}


def _english_labels(store: ox.Store) -> dict[str, str]:
    query = f'SELECT ?s ?l WHERE {{ ?s <{RDFS.label}> ?l FILTER (lang(?l) = "en") }}'
    solutions = store.query(query)
    assert isinstance(solutions, ox.QuerySolutions)
    return {row["s"].value: row["l"].value for row in solutions if isinstance(row["s"], ox.NamedNode)}


def _ox(term: Node | None) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as a pyoxigraph term (for N-Triples keys and rendering)."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)) if term.datatype else None)
    return ox.BlankNode(str(term))
