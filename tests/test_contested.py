"""The plain-layer rule: what a claim asserts is a plain triple only while no other claim
disputes that claim. Built from the minimal fixture with a rumour's content mapped as a
relation and the company's statement as a claim: first undisputed, then contradicted."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kg import Project, build
from tests.conftest import make_project

KG = "https://w3id.org/sovereignty-kg/ontology#"
ENT = "https://w3id.org/sovereignty-kg/entity/"
ORG = "http://www.w3.org/ns/org#"
RANK = "http://wikiba.se/ontology#rank"
DOC = "mappings/documents/doc.yaml"

CLAIMS = """
  - id: claim-acme-statement
    kind: kg:Claim
    label: {en: Acme Rare Metals says Jane Doe resigned as chief financial officer}

  - id: rival-laboratory
    kind: kg:ResearchInstitute
    label: {en: a rival laboratory in Canada}
"""
FACTS = """
  - id: rival-rumour-content
    subject: jane-doe
    claim: claim-jane-doe-joined-rival
    properties:
      kg:worksFor: rival-laboratory
    evidence:
      - article: "1"
        quote: "she joined a rival laboratory in Canada"
        stance: rumoured

  - id: acme-statement
    subject: claim-acme-statement
    properties:
      kg:about: jane-doe
    evidence:
      - article: "1"
        quote: "said on March 3 that Jane Doe resigned"
        stance: officially-stated
        asserted_by: acme-rare-metals
"""
CONTRADICTION = """
  - id: statement-against-rumour
    subject: claim-acme-statement
    properties:
      kg:contradicts: claim-jane-doe-joined-rival
    evidence:
      - article: "1"
        quote: "Rumours say she joined a rival laboratory in Canada."
"""


def _build(tmp_path: Path, contradicted: bool) -> ox.Store:
    root = make_project(tmp_path)
    doc = root / DOC
    text = doc.read_text(encoding="utf-8")
    text = text.replace("\nfacts:\n", CLAIMS + "\nfacts:\n", 1)
    text = text.replace(
        "  - id: cfo-resigned\n", "  - id: cfo-resigned\n    claim: claim-acme-statement\n", 1
    )
    text = text.replace(
        "  - id: draft-country\n",
        FACTS + (CONTRADICTION if contradicted else "") + "\n  - id: draft-country\n",
    )
    doc.write_text(text, encoding="utf-8")
    report = build(Project.at(root))
    store = ox.Store()
    store.load(path=str(report.out / "graph.nq"), format=ox.RdfFormat.N_QUADS)
    return store


def _plain(store: ox.Store, s: str, p: str, o: str) -> bool:
    return any(store.quads_for_pattern(ox.NamedNode(s), ox.NamedNode(p), ox.NamedNode(o)))


def _statement(store: ox.Store, s: str, p: str) -> ox.NamedNode:
    (node,) = {
        q.subject
        for q in store.quads_for_pattern(None, ox.NamedNode(f"{RDF}subject"), ox.NamedNode(s))
        if any(store.quads_for_pattern(q.subject, ox.NamedNode(f"{RDF}predicate"), ox.NamedNode(p)))
    }
    assert isinstance(node, ox.NamedNode)
    return node


def _objects(store: ox.Store, s: ox.NamedNode, p: str) -> set[str]:
    return {q.object.value for q in store.quads_for_pattern(s, ox.NamedNode(p), None)}  # type: ignore[union-attr]


RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RUMOUR = f"{ENT}claim-jane-doe-joined-rival"
STATEMENT = f"{ENT}claim-acme-statement"


def test_an_undisputed_claim_asserts_plain_facts(tmp_path: Path) -> None:
    store = _build(tmp_path, contradicted=False)
    assert _plain(store, f"{ENT}jane-doe", f"{KG}worksFor", f"{ENT}rival-laboratory")
    assert _plain(store, f"{ENT}post-jane-doe-cfo", f"{ORG}member", f"{ENT}jane-doe")
    works = _statement(store, f"{ENT}jane-doe", f"{KG}worksFor")
    assert _objects(store, works, f"{KG}claim") == {RUMOUR}
    assert _objects(store, works, f"{KG}disputedBy") == set()
    assert _objects(store, works, RANK) == set()


def test_a_disputed_claims_facts_leave_the_plain_layer_marked_and_linked_to_both_sides(
    tmp_path: Path,
) -> None:
    store = _build(tmp_path, contradicted=True)
    # the rumour's content and the company's account are both only statements now
    assert not _plain(store, f"{ENT}jane-doe", f"{KG}worksFor", f"{ENT}rival-laboratory")
    assert not _plain(store, f"{ENT}post-jane-doe-cfo", f"{ORG}member", f"{ENT}jane-doe")
    assert not any(
        store.quads_for_pattern(ox.NamedNode(f"{ENT}post-jane-doe-cfo"), ox.NamedNode(f"{KG}endDate"), None)
    )
    works = _statement(store, f"{ENT}jane-doe", f"{KG}worksFor")
    member = _statement(store, f"{ENT}post-jane-doe-cfo", f"{ORG}member")
    ended = _statement(store, f"{ENT}post-jane-doe-cfo", f"{KG}endDate")
    # each side's statements: asserted by its claim, disputed by the other, ranked normal
    assert _objects(store, works, f"{KG}claim") == {RUMOUR}
    assert _objects(store, member, f"{KG}claim") == _objects(store, ended, f"{KG}claim") == {STATEMENT}
    assert _objects(store, works, f"{KG}disputedBy") == {STATEMENT}
    assert _objects(store, member, f"{KG}disputedBy") == _objects(store, ended, f"{KG}disputedBy") == {RUMOUR}
    normal = "http://wikiba.se/ontology#NormalRank"
    assert (
        _objects(store, works, RANK)
        == _objects(store, member, RANK)
        == _objects(store, ended, RANK)
        == {normal}
    )
    # the evidence stays: who said it, how
    assert _objects(store, works, f"{KG}evidence")
    # the claims themselves, and the link between them, are plain facts
    assert _plain(store, STATEMENT, f"{KG}contradicts", RUMOUR)
    assert _plain(store, RUMOUR, f"{KG}about", f"{ENT}jane-doe")
