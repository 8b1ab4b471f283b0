"""The RDFS subclass and subproperty closure that every build adds, in graph:inferred."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import BuildReport, Project, build, open_graph
from kg.ask.query import Graph
from kg.compile.entailment import rdfs_closure
from kg.compile.quadtable import QuadTable
from kg.vocab import PREFIXES
from tests.conftest import REPO, select

KG = PREFIXES["kg"]
ENT = PREFIXES["ent"]


@pytest.fixture(scope="module")
def plain_build(tmp_path_factory: pytest.TempPathFactory) -> BuildReport:
    """The seed graph built without --reason."""
    return build(Project.at(REPO), tmp_path_factory.mktemp("plain") / "dist")


@pytest.fixture(scope="module")
def plain_store(plain_build: BuildReport) -> Iterator[Graph]:
    with open_graph(plain_build.out) as graph:
        yield graph


def _column(rows: list[dict[str, str]], name: str) -> set[str]:
    return {row[name] for row in rows}


def test_an_organisation_query_finds_every_kind_of_organisation(plain_store: Graph) -> None:
    found = _column(select(plain_store, "SELECT ?x WHERE { ?x a kg:Organization }"), "x")
    # a listed company, a state-owned group, a university, a news outlet, a government body
    for entity in (
        "china-rare-earth-holdings",
        "china-rare-earth-group",
        "central-university-of-finance-and-economics",
        "central-news-agency",
        "chinese-ministry-of-commerce",
    ):
        assert ENT + entity in found, entity
    # exactly the instances of the subclasses, as the asserted types and hierarchy give them
    by_path = select(
        plain_store,
        """SELECT DISTINCT ?x WHERE { GRAPH ?g { ?x a ?kind } FILTER (?g != graph:inferred)
                                      ?kind rdfs:subClassOf* kg:Organization }""",
    )
    assert found == _column(by_path, "x")


def test_a_policy_query_finds_regulations_tariffs_strategies_and_ultimatums(plain_store: Graph) -> None:
    found = _column(select(plain_store, "SELECT ?p WHERE { ?p a kg:Policy }"), "p")
    assert {
        ENT + "rare-earth-management-regulations",
        ENT + "us-equal-tariffs-2025",
        ENT + "india-national-critical-minerals-plan",
        ENT + "eu-rare-earth-ultimatum",
        ENT + "china-passport-directive",
    } <= found
    # none is typed kg:Policy by a mapping: each answer comes from the closure
    asserted = "SELECT ?p WHERE { GRAPH ?g { ?p a kg:Policy } FILTER (?g != graph:inferred) }"
    assert select(plain_store, asserted) == []


def test_a_superproperty_answers_for_its_subproperties_with_a_marked_statement(plain_store: Graph) -> None:
    rows = select(
        plain_store,
        """SELECT ?who WHERE { ?case kg:participant ?who ; kg:plaintiff ent:taiwan-semiconductor }""",
    )
    assert _column(rows, "who") == {ENT + "smic", ENT + "taiwan-semiconductor"}
    marked = select(
        plain_store,
        """SELECT ?st WHERE { GRAPH graph:inferred {
             ?st rdf:subject ?case ; rdf:predicate kg:participant ; rdf:object ent:smic ;
                 kg:derivation kg:InferredByReasoning } }""",
    )
    assert len(marked) == 1


def test_the_asserted_graph_is_left_as_it_is(plain_build: BuildReport) -> None:
    asserted = set(ox.parse(path=str(plain_build.out / "graph.nt"), format=ox.RdfFormat.N_TRIPLES))
    inferred = set(ox.parse(path=str(plain_build.out / "inferred.nt"), format=ox.RdfFormat.N_TRIPLES))
    assert len(inferred) > plain_build.entailed > 0
    assert not asserted & inferred
    holdings = ox.Triple(
        ox.NamedNode(ENT + "china-rare-earth-holdings"),
        ox.NamedNode(PREFIXES["rdf"] + "type"),
        ox.NamedNode(KG + "Organization"),
    )
    assert ox.Quad(holdings.subject, holdings.predicate, holdings.object) in inferred
    assert ox.Quad(holdings.subject, holdings.predicate, holdings.object) not in asserted


def test_the_closure_is_transitive_tolerates_cycles_and_adds_nothing_already_there() -> None:
    def n(name: str) -> ox.NamedNode:
        return ox.NamedNode("http://example.org/" + name)

    sub_class = ox.NamedNode(PREFIXES["rdfs"] + "subClassOf")
    sub_property = ox.NamedNode(PREFIXES["rdfs"] + "subPropertyOf")
    a = ox.NamedNode(PREFIXES["rdf"] + "type")
    given = [
        ox.Triple(n("Firm"), sub_class, n("Organisation")),
        ox.Triple(n("Organisation"), sub_class, n("Agent")),
        ox.Triple(n("Agent"), sub_class, n("Organisation")),  # a cycle
        ox.Triple(n("acme"), a, n("Firm")),
        ox.Triple(n("acme"), a, n("Agent")),  # already stated
        ox.Triple(n("plaintiff"), sub_property, n("party")),
        ox.Triple(n("party"), sub_property, n("participant")),
        ox.Triple(n("case"), n("plaintiff"), n("acme")),
    ]
    table = QuadTable(ox.Quad(t.subject, t.predicate, t.object) for t in given)
    assert set(rdfs_closure(table.triples())) == {
        ox.Triple(n("Firm"), sub_class, n("Agent")),
        ox.Triple(n("plaintiff"), sub_property, n("participant")),
        ox.Triple(n("acme"), a, n("Organisation")),
        ox.Triple(n("case"), n("party"), n("acme")),
        ox.Triple(n("case"), n("participant"), n("acme")),
    }


def test_a_hierarchy_without_instances_closes_over_named_classes_only() -> None:
    def n(name: str) -> ox.NamedNode:
        return ox.NamedNode("http://example.org/" + name)

    sub_class = ox.NamedNode(PREFIXES["rdfs"] + "subClassOf")
    given = [
        ox.Triple(n("Firm"), sub_class, n("Organisation")),
        ox.Triple(n("Organisation"), sub_class, n("Agent")),
        ox.Triple(n("Firm"), sub_class, ox.BlankNode("restriction")),  # an OWL restriction
        ox.Triple(ox.BlankNode("restriction"), sub_class, n("Thing")),
    ]
    table = QuadTable(ox.Quad(t.subject, t.predicate, t.object) for t in given)
    assert list(rdfs_closure(table.triples())) == [ox.Triple(n("Firm"), sub_class, n("Agent"))]


def test_the_build_manifest_counts_what_the_closure_added(plain_build: BuildReport) -> None:
    manifest = json.loads((Path(plain_build.out) / "build.json").read_text(encoding="utf-8"))
    assert manifest["entailed"] == plain_build.entailed
    assert manifest["reasoning"] is None
