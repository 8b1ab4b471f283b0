"""The five report formats, rendered from one report with a violation and a warning."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from typer.testing import CliRunner

from kg import BuildReport, Project, build
from kg.check.findings import Report
from kg.check.reports import render
from kg.check.validate import validate
from kg.cli import app
from kg.vocab import compact
from tests.conftest import REPO, make_project

FAILING_SHAPE = "kgsh:Post-member"


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minimal project with a post held by a company and an entity nothing mentions."""
    root = make_project(tmp_path_factory.mktemp("broken"))
    doc = root / "mappings" / "documents" / "doc.yaml"
    doc.write_text(doc.read_text().replace("org:member: jane-doe", "org:member: acme-group"))
    registry = root / "mappings" / "registry" / "entities.yaml"
    registry.write_text(
        registry.read_text() + "\n  - id: nobody\n    kind: kg:Person\n    label: {en: Nobody}\n"
    )
    build(Project.at(root))
    return root


@pytest.fixture(scope="module")
def report(broken: Path) -> Report:
    return validate(broken / "ontology", broken / "dist")


def test_text_names_shape_focus_value_message_and_mapping_line(report: Report) -> None:
    text = render(report, "text")
    assert "✗ Violation kgsh:Post-member: Jane Doe, chief financial officer of Acme Rare Metals" in text
    assert "path org:member, value ent:acme-group" in text
    assert "A post has exactly one holder, a person." in text
    assert (
        'at mappings/documents/doc.yaml:41 "Jane Doe resigned as chief financial officer in February 2025"'
        in text
    )
    assert "! Warning check:orphan-entity-warning: Nobody" in text
    assert text.rstrip().endswith(
        f"Validation does not conform: 1 violation, 1 warning ({len(report.shapes)} shapes and checks)."
    )


def test_markdown_is_a_table_for_a_job_summary(report: Report) -> None:
    lines = render(report, "markdown").splitlines()
    assert lines[0] == "## Validation ❌ does not conform"
    assert "| severity | shape | focus node | path | value | message | from |" in lines
    rows = [line for line in lines if line.startswith("| Violation")]
    assert rows == [
        "| Violation | `kgsh:Post-member` | Jane Doe, chief financial officer of Acme Rare Metals | `org:member` "
        "| ent:acme-group | A post has exactly one holder, a person. | `mappings/documents/doc.yaml:41` "
        "“Jane Doe resigned as chief financial officer in February 2025” |"
    ]
    assert sum(1 for line in lines if line.startswith("| Warning")) == 1


def test_junit_has_the_schemas_required_elements_and_one_failure_per_focus_node(report: Report) -> None:
    root = ET.fromstring(render(report, "junit"))
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert len(suites) == 1
    suite = suites[0]
    for attribute in ("name", "tests", "failures", "errors", "skipped", "time", "timestamp", "hostname"):
        assert suite.get(attribute), attribute
    cases = suite.findall("testcase")
    assert int(suite.get("tests", "")) == len(cases) == len(report.shapes) >= 100
    for case in cases:
        assert case.get("name") and case.get("classname") and case.get("time") is not None
    failures = [(case.get("name"), f) for case in cases for f in case.findall("failure")]
    assert int(suite.get("failures", "")) == len(failures) == 1
    name, failure = failures[0]
    assert name == FAILING_SHAPE
    assert failure.get("type") == "Violation"
    assert failure.get("message") == (
        "Jane Doe, chief financial officer of Acme Rare Metals: A post has exactly one holder, a person."
    )
    assert "at mappings/documents/doc.yaml:41" in (failure.text or "")
    warning_case = next(c for c in cases if c.get("name") == "check:orphan-entity-warning")
    assert warning_case.findall("failure") == []
    assert "Nobody" in (warning_case.findtext("system-out") or "")


def test_json_carries_every_field(report: Report) -> None:
    content = json.loads(render(report, "json"))
    assert (content["conforms"], content["violations"], content["warnings"]) == (False, 1, 1)
    violation = content["findings"][0]
    assert violation["shape"] == FAILING_SHAPE
    assert violation["focus"] == "https://w3id.org/sovereignty-kg/entity/post-jane-doe-cfo"
    assert violation["path"] == "http://www.w3.org/ns/org#member"
    assert violation["sources"] == [
        {
            "file": "mappings/documents/doc.yaml",
            "line": 41,
            "quote": "Jane Doe resigned as chief financial officer in February 2025",
        }
    ]


def test_turtle_is_a_standard_shacl_validation_report(report: Report) -> None:
    graph = Graph().parse(data=render(report, "ttl"), format="turtle")
    reports = list(graph.subjects(RDF.type, SH.ValidationReport))
    assert len(reports) == 1
    assert graph.value(reports[0], SH.conforms) == Literal(False)
    results = list(graph.objects(reports[0], SH.result))
    assert len(results) == 2
    severities = {graph.value(r, SH.resultSeverity) for r in results}
    assert severities == {SH.Violation, SH.Warning}
    violation = next(r for r in results if graph.value(r, SH.resultSeverity) == SH.Violation)
    assert graph.value(violation, SH.focusNode) == URIRef(
        "https://w3id.org/sovereignty-kg/entity/post-jane-doe-cfo"
    )
    assert graph.value(violation, SH.sourceShape) == URIRef(
        "https://w3id.org/sovereignty-kg/shapes#Post-member"
    )


def test_cli_exit_codes_and_report_files(broken: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    junit, markdown = tmp_path / "report.xml", tmp_path / "report.md"
    failing = runner.invoke(app, ["validate", "--root", str(broken), "-o", str(junit), "-o", str(markdown)])
    assert failing.exit_code == 1
    assert "Validation does not conform" in failing.stdout
    assert ET.parse(junit).getroot().tag == "testsuites"
    assert markdown.read_text(encoding="utf-8").startswith("## Validation ❌")

    unknown = runner.invoke(app, ["validate", "--root", str(broken), "-o", str(tmp_path / "report.pdf")])
    assert unknown.exit_code == 2
    assert "cannot tell the report format" in unknown.stderr

    unbuilt = runner.invoke(app, ["validate", "--root", str(broken), "--graph", str(tmp_path / "nothing")])
    assert unbuilt.exit_code == 2
    assert "run 'kg build' first" in unbuilt.stderr


def test_cli_warnings_pass_unless_strict(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    registry = root / "mappings" / "registry" / "entities.yaml"
    registry.write_text(
        registry.read_text() + "\n  - id: nobody\n    kind: kg:Person\n    label: {en: Nobody}\n"
    )
    build(Project.at(root))
    runner = CliRunner()
    assert runner.invoke(app, ["validate", "--root", str(root)]).exit_code == 0
    assert runner.invoke(app, ["validate", "--root", str(root), "--strict"]).exit_code == 1


def test_seed_graph_has_no_violations_and_only_the_known_warnings(seed_build: BuildReport) -> None:
    # 001 and 002 conflict on when Liao Chunsheng resigned: one warning for each side. The
    # group's statement that he now works at its Shenzhen institute (the post: kind, holder,
    # organisation, role) and the rumour that he went to a Canadian laboratory contradict each
    # other (002:4), and the group denies the rumour that overseas laboratories poached its
    # executives (002:2): a warning for each disputed statement. (003's Chinese title describes
    # Yitang, "中国芯片公司", without naming it: its words are Yitang's Chinese description, which
    # the shape for entities from Chinese text accepts.)
    report = validate(REPO / "ontology", seed_build.out)
    liao = "ent:post-liao-chunsheng-crh-deputy-general-manager"
    expert = "ent:post-liao-chunsheng-cresri-technical-expert"
    disputed = "check:disputed-statement-warning"
    assert [(f.severity.value, f.shape, compact(f.focus.value)) for f in report.findings] == [
        ("Warning", "check:date-conflict-warning", liao),
        ("Warning", "check:date-conflict-warning", liao),
        ("Warning", disputed, "ent:liao-chunsheng"),
        ("Warning", disputed, "ent:overseas-rare-earth-laboratories"),
        ("Warning", disputed, expert),
        ("Warning", disputed, expert),
        ("Warning", disputed, expert),
        ("Warning", disputed, expert),
    ]
