"""A handful of specific facts per document, asked as an analyst would, so that a regression
in a mapping fails CI. Expected values are read off the seed texts (quoted in comments)."""

from __future__ import annotations

import subprocess
import sys

import pyoxigraph as ox
from typer.testing import CliRunner

from kg import BuildReport
from kg.cli import app
from tests.conftest import REPO, select


def _one(store: ox.Store, query: str) -> dict[str, str]:
    rows = select(store, query)
    assert len(rows) == 1, rows
    return rows[0]


# Document 000: three Sou Hu Cai Jing summaries -------------------------------------------


def test_000_eu_ultimatum_with_its_deadline_and_china_answer(seed_store: ox.Store) -> None:
    # "The EU issued a "last ultimatum" to China, demanding a resolution ... within 30 days"
    row = _one(
        seed_store,
        """
        SELECT ?deadline ?issuer WHERE {
          ?u a kg:Ultimatum ; kg:deadline ?deadline ; kg:issuedBy/rdfs:label ?issuer ; kg:targets country:CN .
          FILTER (langMatches(lang(?issuer), "en")) }""",
    )
    assert row == {"deadline": "P30D", "issuer": "European Union"}
    # "In response to EU pressure, China issued a directive requiring ... to report expert lists"
    answers = select(seed_store, "SELECT ?d WHERE { ?d kg:inResponseTo ?u . ?u a kg:Ultimatum }")
    assert {r["d"].rsplit("/", 1)[1] for r in answers} == {
        "china-expert-list-directive",
        "china-passport-directive",
    }


def test_000_purity_figures_and_the_vanished_managers(seed_store: ox.Store) -> None:
    # "achieving a purity level of 99.9999%" / "only reaching 90% purity"
    rows = select(
        seed_store,
        """
        SELECT ?value WHERE { ?o kg:concerns ent:rare-earth-purification-technology ; kg:value ?value ;
                              kg:unit unit:PERCENT } ORDER BY ?value""",
    )
    assert [r["value"] for r in rows] == ["90", "99.9999"]
    # "Five senior management personnel ... have vanished within 48 hours"
    assert _one(
        seed_store,
        """
        SELECT ?n WHERE { ?o kg:observedSubject ent:southern-china-rare-earth-company ; kg:value ?n ;
                          kg:unit unit:NUM }""",
    ) == {"n": "5"}


# Document 003: ten summaries on chips, batteries, rare earths, AI and listings ----------


def test_003_the_lawsuit_parties_and_amount(seed_store: ox.Store) -> None:
    # "The lawsuit initiated by Yitang Co. ... against American giant Applied Materials (AMAT)
    # for 99.99 million yuan"
    row = _one(
        seed_store,
        """
        SELECT ?plaintiff ?defendant ?amount ?currency WHERE {
          ?l a kg:Lawsuit ; kg:plaintiff ent:yitang ; kg:plaintiff/rdfs:label ?plaintiff ;
             kg:defendant/rdfs:label ?defendant ; kg:amountClaimed ?amount ; kg:currency ?currency }""",
    )
    assert row == {
        "plaintiff": "Yitang",
        "defendant": "Applied Materials",
        "amount": "99990000",
        "currency": "CNY",
    }
    assert _one(seed_store, "SELECT ?c WHERE { ent:applied-materials kg:country ?c }") == {
        "c": "https://w3id.org/sovereignty-kg/country/US"
    }


def test_003_policies_that_control_lithium_based_battery_technology(seed_store: ox.Store) -> None:
    # "placed lithium iron phosphate (LFP) and lithium manganese iron phosphate (LMFP)
    # production technologies under export control" / "also includes lithium extraction technologies"
    rows = select(
        seed_store,
        """
        SELECT DISTINCT ?policy ?issuer WHERE {
          ?policy kg:controls/(kg:concerns|kg:containsElement)* element:Li ; kg:issuedBy ?issuer }""",
    )
    assert {(r["policy"].rsplit("/", 1)[1], r["issuer"].rsplit("/", 1)[1]) for r in rows} == {
        ("china-lfp-technology-export-control", "CN")
    }
    elements = select(
        seed_store, "SELECT ?s WHERE { ent:lithium-iron-phosphate kg:containsElement/kg:symbol ?s }"
    )
    assert sorted(r["s"] for r in elements) == ["Fe", "Li", "P"]


def test_003_investments_partnerships_and_listings(seed_store: ox.Store) -> None:
    # "Intel investing 7 billion USD in Penang"
    assert _one(
        seed_store,
        """
        SELECT ?amount ?currency WHERE { ?i kg:investor ent:intel ; kg:amount ?amount ; kg:currency ?currency ;
                                         kg:location ent:penang }""",
    ) == {"amount": "7000000000", "currency": "USD"}
    # "Mistral AI has partnered with Nvidia to develop a cloud platform named Mistral Compute"
    assert _one(
        seed_store,
        """
        SELECT ?p WHERE { ?p a kg:Partnership ; kg:party ent:mistral-ai , ent:nvidia ;
                             kg:concerns ent:mistral-compute }""",
    )
    # "联想(00992)"
    assert _one(seed_store, "SELECT ?t WHERE { ent:lenovo kg:ticker ?t }") == {"t": "00992"}
    # "Nvidia's CEO Jensen Huang"
    assert _one(
        seed_store,
        """
        SELECT ?who WHERE { ?post org:organization ent:nvidia ; org:role role:chief-executive-officer ;
                                  org:member/rdfs:label ?who }""",
    ) == {"who": "Jensen Huang"}


# Document 004: China Northern Rare Earth's lecture ---------------------------------------


def test_004_the_lecture_speaker_host_and_date(seed_store: ox.Store) -> None:
    # "China Northern Rare Earth Group held its second Independent Director Lecture Series on
    # April 17, 2025. The lecture, delivered by Professor Du Ying ... from the Central
    # University of Finance and Economics"
    row = _one(
        seed_store,
        """
        SELECT ?date ?speaker ?host ?university WHERE {
          ?l a kg:Lecture ; kg:date/kg:edtf ?date ; kg:speaker ?s ; kg:host/rdfs:label ?host .
          ?s rdfs:label ?speaker . ?post org:member ?s ; org:role role:professor ; org:organization/rdfs:label ?university .
          FILTER (langMatches(lang(?host), "en") && langMatches(lang(?speaker), "en") && langMatches(lang(?university), "en")) }""",
    )
    assert row == {
        "date": "2025-04-17",
        "speaker": "Du Ying",
        "host": "China Northern Rare Earth Group",
        "university": "Central University of Finance and Economics",
    }
    # "the parent Baogang Group" / "the Baotou-based state-owned enterprise"
    assert _one(
        seed_store,
        """
        SELECT ?parent ?base WHERE { ent:china-northern-rare-earth-group org:subOrganizationOf ?parent ;
                                     kg:basedIn ?base ; a kg:StateOwnedGroup }""",
    ) == {
        "parent": "https://w3id.org/sovereignty-kg/entity/baogang-group",
        "base": "https://w3id.org/sovereignty-kg/entity/baotou",
    }


# The README's counts and the coverage of the corpus ---------------------------------------


def test_readme_counts_are_the_output_of_kg_stats(seed_build: BuildReport) -> None:
    result = CliRunner().invoke(app, ["stats", "--graph", str(seed_build.out)])
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("<!-- kg stats -->\n", 1)[1].split("<!-- /kg stats -->", 1)[0]
    assert section == result.stdout, "README is stale: paste the output of 'kg stats' between the markers"


def test_every_sentence_of_the_corpus_is_accounted_for() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "kg", "coverage", "--strict", "--root", str(REPO)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-2000:]
    assert "every sentence, clause and date is accounted for" in result.stdout
