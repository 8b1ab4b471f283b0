"""`kg validate`: a catalogue of broken fixtures, one per shape and check, each giving
exactly its finding (shape, focus node, mapping file and line) and nothing else."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from kg import Project, build
from kg.ask.dataset import Dataset
from kg.ask.load import load_graph
from kg.cache import FOLDER
from kg.check.findings import Report
from kg.check.validate import validate
from kg.cli import app
from kg.errors import KgError
from kg.vocab import GRAPH as NAMED_GRAPH
from kg.vocab import compact
from tests.conftest import REPO, make_project

DOC = "mappings/documents/doc.yaml"
REGISTRY = "mappings/registry/entities.yaml"
GRAPH = "dist/graph.nt"
POST = "ent:post-jane-doe-cfo"
ONTOLOGY = (REPO / "ontology" / "kg.ttl").read_text(encoding="utf-8").splitlines()


def declared_at(subject: str) -> str:
    """Where the ontology declares a term, as file:line."""
    line = next(i for i, text in enumerate(ONTOLOGY, 1) if text.startswith(f"{subject} a "))
    return f"ontology/kg.ttl:{line}"


@dataclass(frozen=True)
class Edit:
    """Replace `old` (which must occur once) by `new`, in a project file."""

    file: str
    old: str
    new: str


@dataclass(frozen=True)
class DropLines:
    """Remove every line of a project file that ends with `ending`."""

    file: str
    ending: str


@dataclass(frozen=True)
class Broken:
    edits: tuple[Edit | DropLines, ...]
    findings: tuple[tuple[str, str, str, tuple[str, ...]], ...]  # severity, shape, focus, sources
    after_build: bool = False  # edit the built graph instead of the inputs


def append_fact(text: str) -> Edit:
    last = "    review: {status: draft, reviewer: tester, date: 2026-01-02}\n"
    return Edit(DOC, last, last + "\n" + text)


def append_entity(text: str) -> Edit:
    last = "    label: {en: Example Daily, zh: 示例日报}\n"
    return Edit(REGISTRY, last, last + "\n" + text)


CATALOGUE = {
    "registry-relation-without-evidence": Broken(
        (Edit(REGISTRY, "zh: 艾克米集团}\n", "zh: 艾克米集团}\n    country: country:CN\n"),),
        (("Violation", "check:fact-without-evidence-violation", "ent:acme-group", (f"{REGISTRY}:5",)),),
    ),
    "post-without-holder": Broken(
        (Edit(DOC, "      org:member: jane-doe\n", ""),),
        (("Violation", "kgsh:Post-member", POST, (f"{REGISTRY}:17",)),),
    ),
    "post-holder-not-a-person": Broken(
        (Edit(DOC, "org:member: jane-doe", "org:member: acme-rare-metals"),),
        (("Violation", "kgsh:Post-member", POST, (f"{DOC}:41",)),),
    ),
    "post-ends-before-start": Broken(
        (
            Edit(
                DOC,
                '      kg:endDate: "2025-02"\n',
                '      kg:endDate: "2025-02"\n      kg:startDate: "2025-03"\n',
            ),
        ),
        (("Violation", "kgsh:Post-end-after-start", POST, (f"{DOC}:44",)),),
    ),
    "ended-how-not-a-departure": Broken(
        (Edit(DOC, "kg:endedHow: kg:Resigned", "kg:endedHow: kg:Reported"),),
        (("Violation", "kgsh:Post-endedHow", POST, (f"{DOC}:45",)),),
    ),
    "statistic-without-unit": Broken(
        (Edit(DOC, "      kg:unit: percent\n", ""),),
        (("Violation", "kgsh:Observation-unit-or-currency", "ent:obs-acme-market-share", (f"{DOC}:25",)),),
    ),
    "claim-about-nothing": Broken(
        (Edit(DOC, "      kg:about: [jane-doe, country:CA]\n", '      kg:statedOn: "XXXX-03-03"\n'),),
        (("Violation", "kgsh:Claim-about", "ent:claim-jane-doe-joined-rival", (f"{DOC}:21",)),),
    ),
    "denial-of-a-non-claim": Broken(
        (
            append_fact(
                "  - id: denial\n    subject: claim-jane-doe-joined-rival\n    properties:\n"
                "      kg:denies: jane-doe\n    evidence:\n"
                '      - article: "1"\n        quote: "Rumours say she joined a rival laboratory"\n'
            ),
        ),
        (("Violation", "kgsh:Claim-denies", "ent:claim-jane-doe-joined-rival", (f"{DOC}:86",)),),
    ),
    "denied-stance-on-a-non-claim": Broken(
        (
            Edit(
                DOC, 'a subsidiary of Acme Group"\n', 'a subsidiary of Acme Group"\n        stance: denied\n'
            ),
        ),
        (("Violation", "kgsh:Evidence-denial-of-a-claim", "ev:doc.subsidiary.1", (f"{DOC}:36",)),),
    ),
    "policy-issued-by-a-person": Broken(
        (
            append_entity(
                "  - id: acme-directive\n    kind: kg:Directive\n    label: {en: Acme directive}\n"
            ),
            append_fact(
                "  - id: directive\n    subject: acme-directive\n    properties:\n"
                "      kg:issuedBy: jane-doe\n    evidence:\n"
                '      - article: "1"\n        quote: "Jane Doe resigned"\n'
            ),
        ),
        (("Violation", "kgsh:Policy-issuedBy", "ent:acme-directive", (f"{DOC}:86",)),),
    ),
    "chinese-quote-without-chinese-label": Broken(
        (
            append_fact(
                "  - id: chinese-mention\n    subject: claim-jane-doe-joined-rival\n    properties:\n"
                "      kg:about: jane-doe\n    evidence:\n"
                '      - article: "2"\n        quote: "艾克米集团表示"\n'
            ),
        ),
        (
            ("Warning", "kgsh:ChineseTextEntity-label-zh", "ent:claim-jane-doe-joined-rival", (f"{DOC}:21",)),
            ("Warning", "kgsh:ChineseTextEntity-label-zh", "ent:jane-doe", (f"{REGISTRY}:13",)),
        ),
    ),
    "ticker-with-spaces": Broken(
        (
            append_fact(
                "  - id: ticker\n    subject: acme-rare-metals\n    properties:\n"
                "      kg:ticker: acme metals\n    evidence:\n"
                '      - article: "1"\n        quote: "Acme Rare Metals, a subsidiary"\n'
            ),
        ),
        (("Violation", "kgsh:Organization-ticker", "ent:acme-rare-metals", (f"{DOC}:86",)),),
    ),
    "student-of-an-organisation": Broken(
        (
            append_fact(
                "  - id: teacher\n    subject: jane-doe\n    properties:\n"
                "      kg:studentOf: acme-group\n    evidence:\n"
                '      - article: "1"\n        quote: "Jane Doe"\n        occurrence: 1\n'
            ),
        ),
        (("Violation", "kgsh:Person-studentOf", "ent:jane-doe", (f"{DOC}:86",)),),
    ),
    "amount-without-currency": Broken(
        (
            append_entity("  - id: acme-lawsuit\n    kind: kg:Lawsuit\n    label: {en: Acme v. Doe}\n"),
            append_fact(
                "  - id: lawsuit\n    subject: acme-lawsuit\n    properties:\n"
                "      kg:plaintiff: acme-rare-metals\n      kg:defendant: jane-doe\n"
                '      kg:amountClaimed: "1000"\n    evidence:\n'
                '      - article: "1"\n        quote: "Jane Doe resigned"\n'
            ),
        ),
        (("Violation", "kgsh:Amount-has-currency", "ent:acme-lawsuit", (f"{DOC}:88",)),),
    ),
    "orphan-entity": Broken(
        (append_entity("  - id: nobody\n    kind: kg:Person\n    label: {en: Nobody}\n"),),
        (("Warning", "check:orphan-entity-warning", "ent:nobody", (f"{REGISTRY}:29",)),),
    ),
    "undeclared-range": Broken(
        (Edit("ontology/kg.ttl", "    rdfs:range kg:Country ;\n", "    rdfs:range kg:Countries ;\n"),),
        (("Violation", "check:undeclared-term-violation", "kg:country", (declared_at("kg:country"),)),),
    ),
    "term-without-chinese-label": Broken(
        (Edit("ontology/kg.ttl", '"country"@en , "国家或地区"@zh-Hans', '"country"@en'),),
        (("Violation", "check:term-without-labels-violation", "kg:Country", (declared_at("kg:Country"),)),),
    ),
    "statement-without-evidence": Broken(
        (
            DropLines(
                GRAPH,
                "<https://w3id.org/sovereignty-kg/ontology#evidence> "
                "<https://w3id.org/sovereignty-kg/evidence/doc.subsidiary.1> .",
            ),
        ),
        (
            (
                "Violation",
                "check:fact-without-evidence-violation",
                "ent:acme-rare-metals",
                (f"{DOC}:33", f"{REGISTRY}:11"),
            ),
            ("Violation", "kgsh:Statement", "stmt:", (f"{DOC}:30",)),
        ),
        after_build=True,
    ),
    "quote-offsets-tampered": Broken(
        (
            Edit(
                GRAPH,
                '<http://www.w3.org/ns/oa#end> "119"^^',
                '<http://www.w3.org/ns/oa#end> "120"^^',
            ),
        ),
        (("Violation", "kgsh:Evidence-offsets-inside-article", "ev:doc.subsidiary.1", (f"{DOC}:36",)),),
        after_build=True,
    ),
}


def _apply(root: Path, edit: Edit | DropLines) -> None:
    path = root / edit.file
    text = path.read_text(encoding="utf-8")
    if isinstance(edit, DropLines):
        kept = [
            line for line in text.splitlines(keepends=True) if not line.rstrip("\n").endswith(edit.ending)
        ]
        assert len(kept) == len(text.splitlines()) - 1, (
            f"{edit.file}: no single line ends with {edit.ending!r}"
        )
        path.write_text("".join(kept), encoding="utf-8")
        return
    assert text.count(edit.old) == 1, f"{edit.file} no longer holds {edit.old!r} exactly once"
    path.write_text(text.replace(edit.old, edit.new), encoding="utf-8")


def _validate(root: Path) -> Report:
    return validate(root / "ontology", root / "dist")


def _summary(report: Report) -> list[tuple[str, str, str, tuple[str, ...]]]:
    return [
        (f.severity.value, f.shape, compact(str(f.focus.value)), tuple(str(s) for s in f.sources))
        for f in report.findings
    ]


def test_the_minimal_fixture_has_no_findings(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    build(Project.at(root))
    report = _validate(root)
    assert report.findings == ()
    assert report.conforms(strict=True)


@pytest.mark.parametrize("name", CATALOGUE)
def test_broken_fixture_gives_exactly_its_finding(name: str, tmp_path: Path) -> None:
    case = CATALOGUE[name]
    root = make_project(tmp_path)
    if not case.after_build:
        for edit in case.edits:
            _apply(root, edit)
    build(Project.at(root))
    for edit in case.edits if case.after_build else ():
        _apply(root, edit)

    found = _summary(_validate(root))

    expected = [(sev, shape, focus, sources) for sev, shape, focus, sources in case.findings]
    if name == "statement-without-evidence":  # the statement's IRI is a hash: compare its prefix
        found = [(s, sh, f if not f.startswith("stmt:") else "stmt:", src) for s, sh, f, src in found]
    assert found == expected


def test_catalogue_covers_every_check_and_at_least_fifteen_shapes() -> None:
    shapes = {shape for case in CATALOGUE.values() for _, shape, _, _ in case.findings}
    assert {
        "check:orphan-entity-warning",
        "check:undeclared-term-violation",
        "check:term-without-labels-violation",
    } <= shapes
    assert len(shapes) >= 15


def test_two_anonymous_property_shapes_with_one_name_are_refused(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    build(Project.at(root))
    shapes = root / "ontology" / "shapes" / "entities.ttl"
    text = shapes.read_text(encoding="utf-8")
    named = "    ] , kgsh:Concept-label-en , kgsh:Concept-label-zh .\n"
    assert text.count(named) == 1
    shapes.write_text(
        text.replace(
            named,
            "    ] , [ sh:path rdfs:label ; sh:minCount 1 ] , [ sh:path rdfs:label ; sh:maxCount 9 ] .\n",
        ),
        encoding="utf-8",
    )
    with pytest.raises(
        KgError, match=r"two shapes would be named kgsh:Concept-label: give one of the property"
    ):
        _validate(root)


def test_a_disputed_statement_names_the_claims_on_each_side_in_alphabetical_order() -> None:
    """The message of check:disputed-statement-warning does not depend on the order in
    which a store happens to hold the claims (a store on disk and one in memory differ)."""
    kg, rdf, label = (
        "https://w3id.org/sovereignty-kg/ontology#",
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
        ("http://www.w3.org/2000/01/rdf-schema#label"),
    )
    names = ["Zeta", "Beta", "Kappa", "Alpha", "Omega", "Delta", "Eta"]
    store = ox.Store()
    statement = ox.NamedNode("http://example.org/statement")
    for name, term in [("subject", "person"), ("predicate", "worksFor"), ("object", "company")]:
        store.add(ox.Quad(statement, ox.NamedNode(rdf + name), ox.NamedNode(f"http://example.org/{term}")))
    for i, name in enumerate(names):
        mine, theirs = (
            ox.NamedNode(f"http://example.org/mine{i}"),
            ox.NamedNode(f"http://example.org/theirs{i}"),
        )
        store.add(ox.Quad(statement, ox.NamedNode(kg + "claim"), mine))
        store.add(ox.Quad(statement, ox.NamedNode(kg + "disputedBy"), theirs))
        store.add(ox.Quad(mine, ox.NamedNode(label), ox.Literal(f"{name} says so", language="en")))
        store.add(ox.Quad(theirs, ox.NamedNode(label), ox.Literal(f"{name} says not", language="en")))
    check = (REPO / "ontology" / "checks" / "disputed-statement-warning.rq").read_text(encoding="utf-8")
    [row] = list(store.query(check))  # type: ignore[arg-type]
    ours, others = (
        "; ".join(f"{n} says so" for n in sorted(names)),
        "; ".join(f"{n} says not" for n in sorted(names)),
    )
    assert (
        row["message"].value
        == f'Disputed, so not a plain fact: asserted by "{ours}", disputed by "{others}".'
    )


def test_a_term_the_data_uses_is_undeclared_but_one_only_the_ontology_uses_is_not_its_concern() -> None:
    """check:undeclared-term-violation reads the triples of the graph that the ontology's
    named graph does not state, so kg validate loads no other named graph for it."""
    ex, ontology = "http://example.org/", ox.NamedNode("https://w3id.org/sovereignty-kg/graph/ontology")
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    data = ox.Quad(ox.NamedNode(ex + "a"), ox.NamedNode(ex + "undeclared"), ox.NamedNode(ex + "b"))
    typed = ox.Quad(ox.NamedNode(ex + "a"), rdf_type, ox.NamedNode(ex + "Undeclared"))
    own = (ox.NamedNode(ex + "term"), ox.NamedNode(ex + "annotation"), ox.Literal("x"))
    store = ox.Store()
    for quad in (data, typed, ox.Quad(*own), ox.Quad(*own, ontology)):
        store.add(quad)
    check = (REPO / "ontology" / "checks" / "undeclared-term-violation.rq").read_text(encoding="utf-8")
    found = {(row["this"].value, row["path"].value, row["value"].value) for row in store.query(check)}  # type: ignore[union-attr]
    assert found == {(ex + "a", ex + "undeclared", ex + "b"), (ex + "a", rdf_type.value, ex + "Undeclared")}


def test_an_undeclared_predicate_is_shown_in_one_triple_the_same_on_every_store() -> None:
    """The place a finding shows is a triple of the data: the least subject using the
    predicate, with its least value (two SAMPLEs could pair a subject with another's value)."""
    ex = "http://example.org/"
    store = ox.Store()
    for subject, value in (("b", "a"), ("a", "z"), ("a", "y"), ("c", "b")):
        store.add(
            ox.Quad(ox.NamedNode(ex + subject), ox.NamedNode(ex + "undeclared"), ox.NamedNode(ex + value))
        )
    check = (REPO / "ontology" / "checks" / "undeclared-term-violation.rq").read_text(encoding="utf-8")
    found = [(row["this"].value, row["path"].value, row["value"].value) for row in store.query(check)]  # type: ignore[union-attr]
    assert found == [(ex + "a", ex + "undeclared", ex + "y")]


def test_the_store_of_the_checks_holds_the_default_graph_and_the_named_graphs_they_read(
    tmp_path: Path,
) -> None:
    root = make_project(tmp_path)
    build(Project.at(root))
    whole, part = (
        load_graph(root / "dist"),
        load_graph(root / "dist", Dataset(frozenset({str(NAMED_GRAPH["registry"])}))),
    )
    graphs = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert {row["g"].value for row in part.query(graphs)} == {str(NAMED_GRAPH["registry"])}  # type: ignore[union-attr]
    assert len({row["g"].value for row in whole.query(graphs)}) > 3  # type: ignore[union-attr]
    default = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert next(iter(part.query(default)))["n"] == next(iter(whole.query(default)))["n"]  # type: ignore[arg-type]
    registry = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{NAMED_GRAPH['registry']}> {{ ?s ?p ?o }} }}"
    assert next(iter(part.query(registry)))["n"] == next(iter(whole.query(registry)))["n"]  # type: ignore[arg-type]


def test_conflicting_dates_name_each_side_s_articles_in_alphabetical_order() -> None:
    """check:date-conflict-warning's message does not depend on the store's order either."""
    kg, ex = "https://w3id.org/sovereignty-kg/ontology#", "http://example.org/"
    rdf, label = "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://www.w3.org/2000/01/rdf-schema#label"
    derived, identifier = "http://www.w3.org/ns/prov#wasDerivedFrom", "http://purl.org/dc/terms/identifier"
    store, articles = ox.Store(), ["doc.7", "doc.2", "doc.9", "doc.1", "doc.5"]

    def add(subject: str, predicate: str, value: ox.NamedNode | ox.Literal) -> None:
        store.add(ox.Quad(ox.NamedNode(subject), ox.NamedNode(predicate), value))

    for side, other, day in (("a", "b", "February 2025"), ("b", "a", "May 2025")):
        add(ex + side, kg + "conflictsWith", ox.NamedNode(ex + other))
        add(ex + side, rdf + "subject", ox.NamedNode(ex + "post"))
        add(ex + side, rdf + "predicate", ox.NamedNode(kg + "startDate"))
        add(ex + side, rdf + "object", ox.NamedNode(ex + day.replace(" ", "-")))
        add(ex + day.replace(" ", "-"), label, ox.Literal(day, language="en"))
        for article in articles:
            add(ex + side, kg + "evidence", ox.NamedNode(f"{ex}{side}-{article}"))
            add(f"{ex}{side}-{article}", derived, ox.NamedNode(ex + article))
            add(ex + article, identifier, ox.Literal(article))
    check = (REPO / "ontology" / "checks" / "date-conflict-warning.rq").read_text(encoding="utf-8")
    messages = sorted(row["message"].value for row in store.query(check))  # type: ignore[union-attr]
    both = ", ".join(sorted(articles))
    assert messages == [
        f"Sources conflict on this date: February 2025 (article {both}) against May 2025 (article {both}).",
        f"Sources conflict on this date: May 2025 (article {both}) against February 2025 (article {both}).",
    ]


def test_kg_validate_keeps_the_shacl_reports_in_the_cache_and_no_cache_ignores_them(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    build(Project.at(root), use_cache=False)
    cache = root / FOLDER
    assert not cache.exists()

    uncached = CliRunner().invoke(app, ["validate", "--root", str(root), "--no-cache", "--format", "json"])
    assert uncached.exit_code == 0, uncached.output
    assert not cache.exists()

    first = CliRunner().invoke(app, ["validate", "--root", str(root), "--format", "json"])
    kept = sorted(p.name for p in cache.glob("shacl-report-*.json"))
    again = CliRunner().invoke(app, ["validate", "--root", str(root), "--format", "json"])
    assert first.exit_code == again.exit_code == 0
    assert first.stdout == again.stdout == uncached.stdout
    assert kept and sorted(p.name for p in cache.glob("shacl-report-*.json")) == kept


def test_runs_in_turn_give_each_run_s_own_report_and_a_failing_engine_leaves_no_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The engine works on one run in a child while this process reads the next run's
    triples: the reports come in the runs' order, each the one its run gives alone; an
    engine that fails fails them all with its message, and every child has been waited for."""
    import os

    from rdflib import Graph, URIRef
    from rdflib.compare import isomorphic

    import kg.check.validate
    from kg.check.shaperuns import Census, Run, entry_shapes, plan, shape_reads, target_classes, triples_read
    from kg.check.validate import _engine, _reports_in_turn

    ex = "http://example.org/"
    data = tmp_path / "data.nt"
    lines = [f"<{ex}a{i}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{ex}A> ." for i in range(30)]
    lines += [f"<{ex}a{i}> <{ex}p> <{ex}b{i}> ." for i in range(20)]  # a20 to a29 lack ex:p
    lines += [f"<{ex}c{i}> <{ex}q> <{ex}d{i}> ." for i in range(5)]
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    shapes = Graph().parse(
        data=f"""@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <{ex}> .
        ex:Big a sh:NodeShape ; sh:targetClass ex:A ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .
        ex:Small a sh:NodeShape ; sh:targetSubjectsOf ex:q ; sh:property [ sh:path ex:q ; sh:maxCount 1 ] .""",
        format="turtle",
    )
    reads = {str(shape): shape_reads(shapes, shape) for shape in entry_shapes(shapes)}
    census = Census.of([data])
    runs = plan(reads, census, {name: target_classes(shapes, URIRef(name)) for name in reads}, 40)
    assert len(runs) == 3
    alone = [Graph().parse(data=_engine([data], run, census, shapes)(), format="nt") for run in runs]
    in_turn = [Graph().parse(data=r, format="nt") for r in _reports_in_turn([data], runs, census, shapes)]
    assert len(in_turn) == 3 and all(isomorphic(a, b) for a, b in zip(alone, in_turn, strict=True))
    assert sum(len(set(g.subjects(URIRef("http://www.w3.org/ns/shacl#focusNode")))) for g in in_turn) == 10

    forked: list[int] = []
    fork = os.fork

    def noting() -> int:
        pid = fork()
        if pid:
            forked.append(pid)
        return pid

    def broken_engine(*_: object) -> Graph:
        raise KgError("the shapes cannot be run: broken")

    def broken_second_read(files: list[Path], run: Run, census: Census) -> tuple[bytes, list[bytes]]:
        if run is runs[1]:
            raise KgError("the data cannot be read")
        return triples_read(files, run, census)

    monkeypatch.setattr(os, "fork", noting)
    for broken, message in (
        (("shacl_report", broken_engine), "the shapes cannot be run: broken"),
        (("triples_read", broken_second_read), "the data cannot be read"),  # while the first run works
    ):
        forked.clear()
        with monkeypatch.context() as patched:
            patched.setattr(kg.check.validate, *broken)
            with pytest.raises(KgError) as caught:
                list(_reports_in_turn([data], runs, census, shapes))
        assert str(caught.value) == message and forked
        for pid in forked:
            with pytest.raises(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)
