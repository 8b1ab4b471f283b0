"""The hand-edited ontology: every term labelled in English and Chinese and defined; the
terms the code writes exist; the release header carries the version."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg import __version__, vocab
from kg.vocab import KG, ONTOLOGY_IRI
from tests.conftest import REPO, select


def _ontology() -> Graph:
    graph = Graph()
    for path in sorted((REPO / "ontology").glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


def test_every_declared_term_has_english_and_chinese_labels_and_a_definition() -> None:
    graph = _ontology()
    terms = {s for s in graph.subjects() if isinstance(s, URIRef) and s != URIRef(ONTOLOGY_IRI)}
    assert len(terms) > 150
    problems = []
    for term in sorted(terms):
        languages = {
            label.language or "" for label in graph.objects(term, RDFS.label) if isinstance(label, Literal)
        }
        if not {"en", "zh-Hans"} <= languages:
            problems.append(f"{term}: labels in {sorted(languages)}")
        if not any(
            isinstance(d, Literal) and d.language == "en" for d in graph.objects(term, SKOS.definition)
        ):
            problems.append(f"{term}: no English definition")
    assert problems == []


def test_terms_the_code_writes_are_declared() -> None:
    graph = _ontology()
    declared = set(graph.subjects(RDF.type, None))
    written = {KG._NS[name] for name in KG.__annotations__}
    assert written - declared == set()


def test_a_term_read_as_an_attribute_is_the_one_rdflib_gives_and_kg_stays_closed() -> None:
    """kg.vocab sets closed namespaces' terms as attributes, and makes an open namespace's
    once: the same IRIs, read faster."""
    for namespace in (KG, vocab.RDF, vocab.RDFS, vocab.SKOS, vocab.XSD, vocab.SDO):
        names = [name for name in namespace.__annotations__ if not name.startswith("_")]
        assert names and all(name in vars(namespace) for name in names)
        assert all(getattr(namespace, name) == URIRef(namespace._NS + name) for name in names)
    assert vocab.OA.exact is vocab.OA.exact == URIRef("http://www.w3.org/ns/oa#exact")
    with pytest.raises(AttributeError, match="not in namespace"):
        KG.notATerm  # noqa: B018


def test_people_organisations_countries_elements_documents_are_disjoint() -> None:
    graph = _ontology()
    groups = [
        set(graph.items(members))
        for axiom in graph.subjects(RDF.type, OWL.AllDisjointClasses)
        for members in graph.objects(axiom, OWL.members)
    ]
    wanted = {KG._NS[name] for name in ("Person", "Organization", "Country", "ChemicalElement", "Document")}
    assert any(wanted <= group for group in groups)


def test_release_header_carries_the_package_version(seed_store: ox.Store) -> None:
    rows = select(
        seed_store,
        f"SELECT ?v ?i WHERE {{ <{ONTOLOGY_IRI}> owl:versionIRI ?v ; owl:versionInfo ?i }}",
    )
    assert rows == [{"v": f"{ONTOLOGY_IRI}/{__version__}", "i": __version__}]


def test_every_constraint_tells_the_reviewer_what_is_wrong() -> None:
    shapes = Graph()
    for path in sorted((REPO / "ontology" / "shapes").glob("*.ttl")):
        shapes.parse(path, format="turtle")
    sh = "http://www.w3.org/ns/shacl#"
    constraints = {
        *shapes.objects(None, URIRef(sh + "property")),
        *shapes.objects(None, URIRef(sh + "sparql")),
    }
    assert len(constraints) > 80
    silent = [c for c in constraints if shapes.value(c, URIRef(sh + "message")) is None]
    assert silent == []
