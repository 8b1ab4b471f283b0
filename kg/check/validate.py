"""`kg validate`: SHACL shapes and named SPARQL checks on the built graph.

Shapes (`ontology/shapes/*.ttl`) run in shifty (`pyshifty`, a SHACL engine written in Rust that
reads the built N-Triples itself, so the graph is never held in rdflib; the tests check its
findings against pyshacl's and TopBraid's), with no SHACL rules and no `owl:imports`
fetching, in runs each handed only the triples its shapes read (`kg.check.shaperuns`). The
ontology is part of the data graph, so a shape targeting a class also reaches its
subclasses. An anonymous property shape of a named shape is named on loading,
`kgsh:Post-member` for the `org:member` property of `kgsh:Post`, so that a result's
`sh:sourceShape` names it; results nested under another (`sh:detail`) are not findings of
their own. Checks (`ontology/checks/*.rq`) are SELECT queries returning `?this` (and
optionally `?path`, `?value`, `?message`); the file name says the severity:
`*-violation.rq` fails the build, `*-warning.rq` warns, anything else informs; in the SHACL
report a check is a SPARQL-based constraint (`sh:SPARQLConstraintComponent`) whose source
shape is `check:NAME`.
Every finding is traced back to the mapping file and line that produced it.
"""

from __future__ import annotations

import ctypes
import hashlib
import re
import sys
import warnings
from collections.abc import Callable, Iterator
from importlib.metadata import version
from pathlib import Path

import pyoxigraph as ox
import shifty
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import to_isomorphic
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from kg.ask.catalogue import query_header
from kg.ask.dataset import Dataset
from kg.ask.load import check_graph, files_read, load_graph
from kg.ask.reads import EVERYTHING, dataset_read
from kg.cache import Cache
from kg.check.findings import Finding, Report, Severity
from kg.check.shaperuns import (
    RUN_TRIPLES,
    Census,
    Run,
    entry_shapes,
    handed_digests,
    plan,
    shape_reads,
    target_classes,
    targeted,
    triples_read,
)
from kg.compile.output import INFERRED_FILE, sha256
from kg.compile.sourcemap import FILE as SOURCES
from kg.compile.sourcemap import SourceMap, triple_key
from kg.errors import KgError, Location
from kg.sidebyside import Beside
from kg.vocab import CHECKS, PREFIXES, RDFS, compact

SHIFTY_VERSION = version("pyshifty")
SEVERITIES = {SH.Violation: Severity.VIOLATION, SH.Warning: Severity.WARNING, SH.Info: Severity.INFO}
Origin = tuple[ox.NamedNode | ox.BlankNode, ox.NamedNode, ox.NamedNode | None]  # shape, component, constraint
# A finding before its labels and sources: severity, shape, focus, message, path, value, origin.
Result = tuple[
    Severity,
    str,
    ox.NamedNode | ox.BlankNode,
    str,
    ox.NamedNode | None,
    ox.NamedNode | ox.BlankNode | ox.Literal | None,
    Origin,
]


def validate(
    ontology_dir: Path, dist: Path, run_triples: int = RUN_TRIPLES, cache: Cache | None = None
) -> Report:
    """Run every shape and check on the graph built in `dist`: the asserted triples and,
    when the build reasoned, the inferred ones. One copy of the graph at a time: the SHACL
    engine's runs first, each in a child process, then the store the checks run on; the
    source map last, for the findings. Nothing is written to disk but the report and, with
    a `cache`, the SHACL report of each run (see `shacl_reports`) and the checks' answers
    (`_checks_answered`). `run_triples`: how many
    triples the engine is handed at most at once, where the shapes can be split that far
    (kg.check.shaperuns)."""
    check_graph(dist)
    shapes = load_shapes(ontology_dir / "shapes")
    reports = shacl_reports(dist, shapes, run_triples, cache)
    results = [result for report in reports for result in _shacl_results(report)]
    checks = _checks(ontology_dir / "checks")
    found, labels = _checks_answered(dist, checks, _labelled(results), cache)
    results += found
    wanted = {key for _, _, focus, _, path, value, _ in results for key in _keys(focus, path, value) if key}
    sources = SourceMap.read(dist / SOURCES, wanted)
    findings = [_finding(*result, labels, sources) for result in results]
    names = sorted({*_shape_names(shapes), *(f"check:{path.stem}" for path in checks)})
    return Report(tuple(sorted(findings, key=lambda f: f.sort_key)), tuple(names))


def load_shapes(directory: Path) -> Graph:
    """The shapes of `directory/*.ttl`, with their property shapes named."""
    files = sorted(directory.glob("*.ttl"))
    if not files:
        raise KgError("no shapes (*.ttl) found", Location(directory))
    shapes = Graph()
    for path in files:
        try:
            shapes.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises several parser exception types
            raise KgError(f"invalid Turtle in shapes: {exc}", Location(path)) from None
    return _named_property_shapes(shapes, directory)


def _named_property_shapes(shapes: Graph, directory: Path) -> Graph:
    """The shapes, with every anonymous property shape of a named shape given an IRI: the
    parent's, a hyphen and the local name of its path (`kgsh:Post-member`)."""
    names: dict[Node, URIRef] = {}
    for parent, child in shapes.subject_objects(SH.property):
        if isinstance(parent, URIRef) and isinstance(child, BNode):
            path = shapes.value(child, SH.path)
            local = re.split(r"[#/:]", str(path))[-1] if isinstance(path, URIRef) else "path"
            name = URIRef(f"{parent}-{local}")
            if name in names.values() or (name, None, None) in shapes:
                raise KgError(
                    f"two shapes would be named {compact(str(name))}: give one of the property shapes of "
                    f"{compact(str(parent))} for {compact(str(path))} a name of its own",
                    Location(directory),
                )
            names[child] = name
    named = Graph(namespace_manager=shapes.namespace_manager)
    for s, p, o in shapes:
        named.add((names.get(s, s), p, names.get(o, o)))
    return named


def _shacl_results(results: Graph) -> Iterator[Result]:
    """The top-level results of a SHACL report."""
    top_level = (
        result
        for report in results.subjects(RDF.type, SH.ValidationReport)
        for result in results.objects(report, SH.result)
    )
    for result in top_level:
        focus = _ox(results.value(result, SH.focusNode))
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        shape = results.value(result, SH.sourceShape)
        constraint = results.value(result, SH.sourceConstraint)
        yield (
            SEVERITIES[URIRef(str(results.value(result, SH.resultSeverity)))],
            compact(str(constraint if isinstance(constraint, URIRef) else shape)),
            focus,  # type: ignore[misc]
            str(results.value(result, SH.resultMessage) or "constraint not met"),
            _ox(path) if isinstance(path, URIRef) else None,
            _ox(value) if value is not None else None,
            _origin(results, result),
        )


def shacl_reports(
    dist: Path, shapes: Graph, run_triples: int = RUN_TRIPLES, cache: Cache | None = None
) -> Iterator[Graph]:
    """The SHACL reports of `shapes` on the asserted and inferred triples of `dist`, one for
    each run of `kg.check.shaperuns`, each run in a process of its own (so that the memory
    the engine takes is given back after each) while this process reads the next run's
    triples (`_reports_in_turn`), handed to the engine as bytes (no temporary file, so a full
    disk cannot stop it). A run's report is kept in
    `cache` under the digests of the shapes and of the triples it was handed (of every run
    in one pass over the data), and taken from there when a later run is handed the same:
    after a build that changed a few documents, only the runs handed other triples are run
    again."""
    cache = cache or Cache(None)
    digest = f"{SHIFTY_VERSION} {to_isomorphic(shapes).graph_digest()}"  # type: ignore[no-untyped-call]
    files = [part for part in (dist / "graph.nt", dist / INFERRED_FILE) if part.is_file()]
    entries = entry_shapes(shapes)
    census, runs = Census(), [Run((), EVERYTHING)]
    if all(isinstance(entry, URIRef) for entry in entries):  # the engine names entry points by IRI
        census = Census.of(files)
        reads = {str(entry): shape_reads(shapes, entry) for entry in entries}
        targets = {str(entry): target_classes(shapes, entry) for entry in entries}
        runs = plan(reads, census, targets, run_triples)
    handed = handed_digests(files, runs, census) if cache.folder else [None] * len(runs)
    keys = [
        _key(cache, digest, run, digests) if digests else None
        for run, digests in zip(runs, handed, strict=True)
    ]
    kept = [cache.get(key) if key else None for key in keys]
    missing = [run for run, report in zip(runs, kept, strict=True) if not isinstance(report, str)]
    made = _reports_in_turn(files, missing, census, shapes)
    for key, report in zip(keys, kept, strict=True):
        if not isinstance(report, str):
            report = next(made)
            if key:
                cache.put(key, report)
        yield Graph().parse(data=report, format="nt")


def _key(cache: Cache, digest: str, run: Run, handed: tuple[str, str]) -> str:
    """The key of a run's report in `cache`: the engine's version and the shapes' digest
    (`digest`), the run's shapes and part, and the digests of what it is handed."""
    part = f"part {run.part.index} of {run.part.count} of {sorted(run.part.targets)}" if run.part else "whole"
    return cache.key("shacl-report", " ".join(run.shapes), "\n".join((digest, part, *handed)))


def _reports_in_turn(files: list[Path], runs: list[Run], census: Census, shapes: Graph) -> Iterator[str]:
    """The report of each run, as N-Triples, in turn: the engine works on one run's triples
    in a child process (so that the memory it takes is given back when it ends) while this
    process reads the next run's from the data (at 10,000 documents, 3-4 s a run)."""
    working: Beside | None = None
    try:
        for run in runs:
            engine = _engine(files, run, census, shapes)
            report = working.result() if working is not None else None
            working = Beside(engine)
            del engine  # the child has the run's triples
            if report is not None:
                yield report
        if working is not None:
            report, working = working.result(), None
            yield report
    finally:
        if working is not None:
            working.stop()


def _engine(files: list[Path], run: Run, census: Census, shapes: Graph) -> Callable[[], str]:
    """The engine's work on one run, its triples read now."""
    data, focus = triples_read(files, run, census)
    if run.part is not None:
        if not focus:
            return lambda: ""
        shapes = targeted(shapes, run, focus)
    names = list(run.shapes) or None
    return lambda: str(shacl_report(data, shapes, names).serialize(format="nt"))


def shacl_report(data: bytes, shapes: Graph, names: list[str] | None) -> Graph:
    """The SHACL report of `shapes` (only the entry points `names`, when given) on N-Triples."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", shifty.ShaclDiagnosticWarning)
            _, report, _ = shifty.validate(
                data, shapes, graph_mode="data", infer=False, sort_results=False, shape_names=names
            )
    except (shifty.ShaclDiagnosticWarning, ValueError, RuntimeError) as exc:
        raise KgError(f"the shapes cannot be run: {exc}") from None
    _name_sparql_constraints(report, shapes)
    return report


def _name_sparql_constraints(results: Graph, shapes: Graph) -> None:
    """Add to each result of a SPARQL-based constraint the constraint it comes from
    (`sh:sourceConstraint`, which pyshacl reports and shifty leaves out): the source shape's
    one constraint, or the one of its constraints whose message the result carries."""
    for result in results.subjects(SH.sourceConstraintComponent, SH.SPARQLConstraintComponent):
        if results.value(result, SH.sourceConstraint) is not None:
            continue
        candidates = list(shapes.objects(results.value(result, SH.sourceShape), SH.sparql))
        if len(candidates) > 1:
            message = results.value(result, SH.resultMessage)
            candidates = [c for c in candidates if (c, SH.message, message) in shapes]
        if len(candidates) == 1:
            results.add((result, SH.sourceConstraint, candidates[0]))


def _origin(results: Graph, result: Node) -> Origin:
    """A result's source shape, constraint component and (SPARQL-based) constraint."""
    shape = _ox(results.value(result, SH.sourceShape))
    component = _ox(results.value(result, SH.sourceConstraintComponent))
    constraint = results.value(result, SH.sourceConstraint)
    assert not isinstance(shape, ox.Literal) and isinstance(component, ox.NamedNode)
    return shape, component, ox.NamedNode(str(constraint)) if isinstance(constraint, URIRef) else None


def _give_back_freed_memory() -> None:
    """Hand the heap the store freed back to the system: glibc keeps it, and Python's own
    allocations (the source map's) would not reuse it, so both would count at once."""
    if sys.platform == "linux":
        trim = getattr(ctypes.CDLL(None), "malloc_trim", None)  # glibc's; not in every libc
        if trim is not None:
            trim(0)


def _checks(directory: Path) -> dict[Path, str]:
    """The named checks: each file and its query."""
    return {path: path.read_text(encoding="utf-8") for path in sorted(directory.glob("*.rq"))}


def _dataset_read(checks: dict[Path, str]) -> Dataset:
    """The graphs the checks read, and the default graph (for the findings' labels), so the
    store holds no other: half the quads of a build are its documents' named graphs."""
    dataset = Dataset(frozenset())
    for text in checks.values():
        dataset |= dataset_read(text, PREFIXES)
    return dataset


def _checks_answered(
    dist: Path, checks: dict[Path, str], focus: set[str], cache: Cache | None
) -> tuple[list[Result], dict[str, str]]:
    """The checks' findings from their answers (SPARQL JSON results) on the graph built in
    `dist`, and the English labels of the findings' focus nodes (of `focus`, the SHACL findings' IRIs, and
    the checks'). Kept in `cache` under the digests of the checks and of the built files
    their store reads, and taken from there while those are unchanged (and the SHACL
    findings' focus nodes were all asked before): then no store is loaded."""
    dataset = _dataset_read(checks)
    key = _checks_key(cache, dist, dataset, checks) if cache and cache.folder else None
    kept = cache.get(key) if cache and key else None
    if isinstance(kept, dict) and focus <= set(kept["asked"]):
        answered = {path: kept["answers"][path.stem].encode() for path in checks}
        return _check_results(checks, answered), kept["labels"]
    store = load_graph(dist, dataset)
    labels = _english_labels(store)
    answers = {path: _answer(store, path, text) for path, text in checks.items()}
    del store
    _give_back_freed_memory()
    found = _check_results(checks, answers)
    asked = focus | _labelled(found)
    labels = {node: labels[node] for node in asked if node in labels}
    if cache and key:
        kept = {"answers": {p.stem: a.decode() for p, a in answers.items()}, "labels": labels}
        cache.put(key, {**kept, "asked": sorted(asked)})
    return found, labels


def _labelled(results: list[Result]) -> set[str]:
    """The focus nodes of `results` that may have a label: the IRIs."""
    return {focus.value for _, _, focus, *_ in results if isinstance(focus, ox.NamedNode)}


def _checks_key(cache: Cache, dist: Path, dataset: Dataset, checks: dict[Path, str]) -> str:
    """The key of the checks' answers: the engine's version, each check's name and text,
    and the digest of each built file the checks' store reads."""
    made_from = [
        f"pyoxigraph {ox.__version__}",
        *(f"{path.name} {hashlib.sha256(text.encode()).hexdigest()}" for path, text in checks.items()),
        *(f"{path.name} {sha256(path)}" for path in files_read(dist, dataset)),
    ]
    return cache.key("check-answers", " ".join(path.stem for path in checks), "\n".join(made_from))


def _answer(store: ox.Store, path: Path, text: str) -> bytes:
    """A check's answer on `store`, as SPARQL JSON results; a check that is not a SELECT
    query returning ?this is an error."""
    try:
        solutions = store.query(text, prefixes=PREFIXES)
    except SyntaxError as exc:
        raise KgError(f"invalid SPARQL in check: {exc}", Location(path)) from None
    if not isinstance(solutions, ox.QuerySolutions) or "this" not in {v.value for v in solutions.variables}:
        raise KgError("a check must be a SELECT query returning ?this", Location(path))
    return bytes(solutions.serialize(format=ox.QueryResultsFormat.JSON) or b"")


def _check_results(checks: dict[Path, str], answers: dict[Path, bytes]) -> list[Result]:
    found: list[Result] = []
    for path, text in checks.items():
        severity = (
            Severity.VIOLATION
            if path.stem.endswith("-violation")
            else Severity.WARNING
            if path.stem.endswith("-warning")
            else Severity.INFO
        )
        default = query_header(text).get("description", path.stem)
        solutions = ox.parse_query_results(answers[path], format=ox.QueryResultsFormat.JSON)
        assert isinstance(solutions, ox.QuerySolutions)
        names = {v.value for v in solutions.variables}
        check = ox.NamedNode(CHECKS[path.stem])
        for row in solutions:
            message = row["message"] if "message" in names else None
            found.append(
                (
                    severity,
                    f"check:{path.stem}",
                    row["this"],
                    message.value if isinstance(message, ox.Literal) else default,
                    row["path"] if "path" in names else None,
                    row["value"] if "value" in names else None,
                    (check, ox.NamedNode(SH.SPARQLConstraintComponent), None),
                )
            )
    return found


def _keys(
    focus: ox.NamedNode | ox.BlankNode,
    path: ox.NamedNode | None,
    value: ox.NamedNode | ox.BlankNode | ox.Literal | None,
) -> tuple[str, str | None]:
    """What a finding's sources are looked up by: its focus node, and its triple if it has one."""
    focus_text = focus.value if isinstance(focus, ox.NamedNode) else str(focus)
    return focus_text, (triple_key(focus, path, value) if path is not None and value is not None else None)


def _finding(
    severity: Severity,
    shape: str,
    focus: ox.NamedNode | ox.BlankNode,
    message: str,
    path: ox.NamedNode | None,
    value: ox.NamedNode | ox.BlankNode | ox.Literal | None,
    origin: Origin,
    labels: dict[str, str],
    sources: SourceMap,
) -> Finding:
    """A finding; `origin` is its source shape, constraint component and SPARQL constraint."""
    focus_text, key = _keys(focus, path, value)
    return Finding(
        severity,
        shape,
        focus,
        labels.get(focus_text) or compact(focus_text),
        message,
        *origin,
        path,
        value,
        tuple(sources.lookup(focus_text, key)),
    )


def _shape_names(shapes: Graph) -> set[str]:
    """The named shapes that can report: those with targets, property shapes, SPARQL constraints."""
    names = set()
    for node in shapes.subjects(None, None):
        is_shape = (node, SH.targetClass, None) in shapes or (None, SH.property, node) in shapes
        if isinstance(node, URIRef) and (is_shape or (None, SH.sparql, node) in shapes):
            names.add(compact(str(node)))
    return names


def _english_labels(store: ox.Store) -> dict[str, str]:
    query = f'SELECT ?s ?l WHERE {{ ?s <{RDFS.label}> ?l FILTER (langMatches(lang(?l), "en")) }}'
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
