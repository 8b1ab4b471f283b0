"""OWL reasoning: consistency of the seed graph, the facts it infers (kept apart), both
engines agreeing, inconsistencies explained down to the mapping line, timeouts enforced."""

from __future__ import annotations

import http.server
import os
import subprocess
import sys
import threading
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from kg import BuildReport, KgError, Project, build
from kg.check.validate import validate
from kg.cli import app
from kg.compile.ontology import Ontology
from kg.compile.sourcemap import SourceMap
from kg.reason import ReasoningOptions
from kg.reason.engine import reason, reason_over_build
from kg.reason.explain import Axioms, memberships
from kg.vocab import ENTITY, KG, PREFIXES, RDF
from tests.conftest import RARE_EARTHS, REPO, damaged_copy, make_project, select


def test_seed_graph_is_consistent_and_reasoning_is_recorded(seed_build: BuildReport) -> None:
    assert seed_build.reasoning is not None
    assert seed_build.reasoning.consistent
    assert seed_build.reasoning.engine == "hermit"


def test_the_executives_among_china_rare_earths_post_holders(seed_store: ox.Store) -> None:
    rows = select(
        seed_store,
        """
        SELECT DISTINCT ?name WHERE {
          ?post org:organization ent:china-rare-earth-holdings ; org:member ?p .
          ?p a kg:Executive ; rdfs:label ?name FILTER (langMatches(lang(?name), "en"))
          GRAPH graph:inferred { ?p a kg:Executive } }""",
    )
    # CFO, deputy general manager, general manager: management roles; the supervisory board
    # chair and the independent directors hold board roles and are not executives.
    assert {r["name"] for r in rows} == {"Qi Shuyong", "Liao Chunsheng", "Yan Shengjian"}


def test_the_ultimate_parent_of_the_research_institute(seed_store: ox.Store) -> None:
    rows = select(
        seed_store,
        """
        SELECT ?group WHERE { ent:china-rare-earth-shenzhen-research-institute org:transitiveSubOrganizationOf ?group
          FILTER NOT EXISTS { ?group org:subOrganizationOf ?higher } }""",
    )
    assert [r["group"] for r in rows] == ["https://w3id.org/sovereignty-kg/entity/china-rare-earth-group"]
    units = select(
        seed_store, "SELECT ?u WHERE { GRAPH graph:inferred { ?u a kg:StateOwnedEnterpriseUnit } }"
    )
    assert {r["u"].rsplit("/", 1)[1] for r in units} == {
        "china-rare-earth-group",  # supervised by SASAC
        "china-rare-earth-holdings",  # part of it
        "china-rare-earth-shenzhen-research-institute",
    }


def test_the_17_rare_earths_are_instances_of_the_defined_class(seed_store: ox.Store) -> None:
    rows = select(
        seed_store, "SELECT ?s WHERE { GRAPH graph:inferred { ?e a kg:RareEarthElement } ?e kg:symbol ?s }"
    )
    assert {r["s"] for r in rows} == RARE_EARTHS


def test_inferred_facts_are_kept_apart(seed_build: BuildReport) -> None:
    asserted = (seed_build.out / "graph.nt").read_text(encoding="utf-8")
    assert "ontology#Executive> ." not in asserted
    assert "graph/inferred>" not in asserted
    quads = (seed_build.out / "graph.nq").read_text(encoding="utf-8").splitlines()
    inferred = [q for q in quads if q.endswith("<https://w3id.org/sovereignty-kg/graph/inferred> .")]
    assert (
        len(inferred) == len((seed_build.out / "inferred.nt").read_text(encoding="utf-8").splitlines()) > 40
    )
    assert not any(
        q.split(" <https://w3id.org/sovereignty-kg/graph/inferred>")[0] + " ." in asserted for q in inferred
    )


def test_hermit_and_the_rules_infer_the_same_facts(seed_build: BuildReport) -> None:
    hermit = reason_over_build(seed_build.out, engine="hermit")
    rules = reason_over_build(seed_build.out, engine="rules")
    assert hermit.consistent and rules.consistent
    assert set(hermit.inferred) == set(rules.inferred)


def test_entity_card_marks_inferred_kinds(seed_build: BuildReport) -> None:
    result = CliRunner().invoke(app, ["show", "ent:qi-shuyong", "--graph", str(seed_build.out)])
    assert "kind: executive (inferred), person" in result.stdout


def _inconsistent_project(tmp_path: Path) -> Path:
    """The minimal project where a document calls Jane Doe a firm: a person cannot be an organisation."""
    root = make_project(tmp_path)
    mapping = root / "mappings" / "documents" / "doc.yaml"
    mapping.write_text(
        mapping.read_text(encoding="utf-8")
        + """
  - id: jane-doe-firm
    subject: jane-doe
    properties:
      a: kg:Firm
    evidence:
      - article: "1"
        quote: "Jane Doe resigned"
""",
        encoding="utf-8",
    )
    return root


def test_an_inconsistency_is_explained_with_both_assertions_and_their_lines(tmp_path: Path) -> None:
    root = _inconsistent_project(tmp_path)
    with pytest.raises(KgError) as caught:
        build(Project.at(root), reasoning=ReasoningOptions())
    lines = str(caught.value).splitlines()
    axiom = _line_of(root / "ontology" / "kg.ttl", "owl:AllDisjointClasses")
    fact = _line_of(root / "mappings" / "documents" / "doc.yaml", "a: kg:Firm")
    assert lines[0] == "the graph is inconsistent (hermit):"
    assert lines[1] == (
        "ent:jane-doe is both kg:Organization and kg:Person, which the ontology declares disjoint "
        f"(owl:AllDisjointClasses at ontology/kg.ttl:{axiom}):"
    )
    assert (
        f'  ent:jane-doe rdf:type kg:Firm  — mappings/documents/doc.yaml:{fact} "Jane Doe resigned"' in lines
    )
    assert "  ent:jane-doe rdf:type kg:Person  — mappings/registry/entities.yaml:14" in lines
    assert not (root / "dist").exists()


def test_kg_reason_exits_1_on_an_inconsistent_build(tmp_path: Path) -> None:
    root = _inconsistent_project(tmp_path)
    build(Project.at(root))  # without reasoning the build succeeds
    result = CliRunner().invoke(app, ["reason", "--root", str(root), "--engine", "rules"])
    assert result.exit_code == 1
    assert "error: the graph is inconsistent (rules):" in result.stderr
    assert "ent:jane-doe rdf:type kg:Firm" in result.stderr


def test_a_clash_through_the_range_of_a_provenance_property_is_found_by_the_rules() -> None:
    """The clash check reads, beside every type, the triples of each predicate with a domain
    or a range, provenance ones included: a person given as a statement's evidence clashes."""
    ontology = Ontology.load(REPO / "ontology", "test")
    kg = str(KG._NS)
    person, statement = ox.NamedNode(ENTITY["jane-doe"]), ox.NamedNode(f"{kg}statement-1")
    data = [
        ox.Triple(person, ox.NamedNode(RDF.type), ox.NamedNode(f"{kg}Person")),
        ox.Triple(statement, ox.NamedNode(RDF.type), ox.NamedNode(f"{kg}Statement")),
        ox.Triple(statement, ox.NamedNode(f"{kg}evidence"), person),
    ]
    triples = [q.triple for q in ontology.quads] + data
    outcome = reason(lambda: triples, SourceMap, engine="rules")
    assert not outcome.consistent
    assert [(c.entity, c.classes) for c in outcome.clashes] == [
        (person.value, (f"{kg}Evidence", f"{kg}Person"))
    ]
    assert [triple for triple, _ in outcome.clashes[0].reasons] == [
        "kg:statement-1 kg:evidence ent:jane-doe",
        "ent:jane-doe rdf:type kg:Person",
    ]


_MEMBERS = """
SELECT DISTINCT ?x ?c WHERE {
  VALUES ?c { %s }
  { ?x a ?t } UNION { ?x ?p [] . ?p rdfs:domain ?t } UNION { [] ?q ?x . ?q rdfs:range ?t }
  ?t rdfs:subClassOf* ?c .
  FILTER (isIRI(?x))
}"""


def test_memberships_in_the_disjoint_classes_are_those_a_sparql_query_finds(seed_build: BuildReport) -> None:
    """The clash check reckons every entity's disjoint classes in one pass over the triples;
    on the seed graph it finds what the query it replaced finds on a store of the graph."""
    path = seed_build.out / "graph.nt"
    triples = [q.triple for q in ox.parse(path=str(path), format=ox.RdfFormat.N_TRIPLES)]
    axioms = Axioms.of(triples)
    store = ox.Store()
    store.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES)
    classes = " ".join(sorted(str(c) for pair in axioms.disjoint for c in pair))
    expected: dict[ox.NamedNode, set[object]] = {}
    for row in store.query(_MEMBERS % classes, prefixes=PREFIXES):  # type: ignore[union-attr]
        expected.setdefault(row["x"], set()).add(row["c"])
    assert len(axioms.disjoint) == 15 * 14 // 2
    assert len(expected) > 1000
    assert memberships(triples, axioms, least=1) == expected


def test_a_reasoner_past_its_timeout_is_stopped_and_reported(seed_build: BuildReport) -> None:
    before = _java_processes()
    result = CliRunner().invoke(app, ["reason", "--graph", str(seed_build.out), "--timeout", "0.5"])
    assert result.exit_code == 2
    assert "HermiT did not finish within 0.5 s and was stopped" in result.stderr
    assert _java_processes() <= before


def test_a_missing_java_runtime_is_a_clear_error(seed_build: BuildReport) -> None:
    env = {**os.environ, "KG_JAVA": "/nonexistent/java"}
    result = subprocess.run(
        [sys.executable, "-m", "kg", "reason", "--graph", str(seed_build.out)],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
    )
    assert result.returncode == 2
    assert (
        "KG_JAVA is /nonexistent/java, which does not exist; reasoning needs a Java runtime" in result.stderr
    )
    assert "Traceback" not in result.stderr


def _java_processes() -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if b"HermiT" in (entry / "cmdline").read_bytes():
                    found.add(int(entry.name))
            except OSError:
                continue
    return found


def _line_of(path: Path, text: str) -> int:
    """The number of the first line of `path` containing `text`."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


def test_validation_covers_the_inferred_facts_of_a_reasoned_build(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    (root / "ontology" / "shapes" / "executives.ttl").write_text(
        """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix kg: <https://w3id.org/sovereignty-kg/ontology#> .
<urn:test:ExecutiveShape> a sh:NodeShape ; sh:targetClass kg:Executive ;
  sh:property [ sh:path kg:testOnly ; sh:minCount 1 ; sh:message "an executive" ] .
""",
        encoding="utf-8",
    )
    project = Project.at(root)
    build(project)
    assert not [f for f in validate(project.ontology, project.dist).findings if f.message == "an executive"]
    build(project, reasoning=ReasoningOptions())
    found = [f for f in validate(project.ontology, project.dist).findings if f.message == "an executive"]
    assert [str(f.focus) for f in found] == ["<https://w3id.org/sovereignty-kg/entity/jane-doe>"]


def test_an_owl_import_is_never_fetched(tmp_path: Path) -> None:
    requests: list[str] = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            self.send_error(404)

    server = http.server.HTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        root = make_project(tmp_path)
        ontology = root / "ontology" / "kg.ttl"
        imported = f"<http://127.0.0.1:{server.server_port}/imported.owl>"
        text = ontology.read_text(encoding="utf-8")
        ontology.write_text(text.replace("a owl:Ontology ;", f"a owl:Ontology ; owl:imports {imported} ;", 1))
        report = build(Project.at(root), reasoning=ReasoningOptions())
    finally:
        server.shutdown()
        server.server_close()
    assert imported[1:-1] in (root / "dist" / "graph.nt").read_text(encoding="utf-8")
    assert report.reasoning is not None and report.reasoning.consistent
    assert requests == []


def test_an_inferred_fact_has_a_statement_saying_so(seed_store: ox.Store) -> None:
    rows = select(
        seed_store,
        """
        SELECT ?derivation ?evidence WHERE { GRAPH graph:inferred {
          ?st rdf:subject ent:china-rare-earth-group ; rdf:predicate org:hasSubOrganization ;
              rdf:object ent:china-rare-earth-holdings ; kg:derivation ?derivation }
          OPTIONAL { ?st kg:evidence ?evidence } }""",
    )
    assert rows == [{"derivation": "https://w3id.org/sovereignty-kg/ontology#InferredByReasoning"}]
    dangling = select(
        seed_store,
        """
        SELECT ?st WHERE { GRAPH graph:inferred { ?st a kg:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o
          FILTER NOT EXISTS { ?s ?p ?o } } }""",
    )
    assert dangling == []


def test_a_damaged_build_is_named_with_the_line_of_the_damage(
    seed_build: BuildReport, tmp_path: Path
) -> None:
    """The reasoner reads `graph.nt` as it goes: damage found midway is still a clear error."""
    damaged = damaged_copy(seed_build.out, tmp_path, "graph.nt", 5001)
    with pytest.raises(KgError) as caught:
        reason_over_build(damaged, engine="rules")
    assert str(caught.value).startswith(f"{damaged / 'graph.nt'}:5001: the built file is damaged (")
