"""Facts the seed mappings must hold, as an analyst would ask for them, and the evidence
invariants every fact in the seed graph must satisfy."""

from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox

from tests.conftest import REPO, select

CRH = "ent:china-rare-earth-holdings"


def test_posts_held_and_left_at_china_rare_earth(seed_store: ox.Store) -> None:
    """The plain layer: each post's end as precisely as the sources together allow; none where
    the sources conflict."""
    rows = select(
        seed_store,
        f"""
        SELECT ?person ?role ?end ?how WHERE {{
          ?post a kg:Post ; org:organization {CRH} ; org:member/rdfs:label ?person ;
                org:role/rdfs:label ?role .
          FILTER (langMatches(lang(?person), "en") && langMatches(lang(?role), "en"))
          OPTIONAL {{ ?post kg:endDate/rdfs:label ?end FILTER (langMatches(lang(?end), "en")) }}
          OPTIONAL {{ ?post kg:endedHow/rdfs:label ?how FILTER (langMatches(lang(?how), "en")) }}
        }}""",
    )
    posts: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(lambda: {"end": set(), "how": set()})
    for row in rows:
        post = posts[(row["person"], row["role"])]
        post["end"].update([row["end"]] if "end" in row else [])
        post["how"].update([row["how"]] if "how" in row else [])
    assert dict(posts) == {
        # 001 (written in the second half of 2025): "Qi Shuyong and ... Yang Jie in January"
        ("Qi Shuyong", "chief financial officer"): {"end": {"January 2025"}, "how": {"resigned"}},
        ("Yang Jie", "chair of the supervisory board"): {"end": {"January 2025"}, "how": {"resigned"}},
        # 001: "Liao Chunsheng in April"; 002 counts him among those who resigned "this month"
        # (a month from June on): the dates conflict, so neither is a plain fact.
        ("Liao Chunsheng", "deputy general manager"): {"end": set(), "how": {"resigned"}},
        # 001: resigned "this year"; 002: three board members resigned "this month" — combined.
        ("Yang Guoan", "independent director"): {"end": {"June–December 2025"}, "how": {"resigned"}},
        ("Dong Xianting", "independent director"): {"end": {"June–December 2025"}, "how": {"resigned"}},
        ("Guo Huifu", "independent director"): {"end": {"June–December 2025"}, "how": {"resigned"}},
        # 001: stepped down this year, kept other posts; 002: "the general manager ... resigned"
        # this month.
        ("Yan Shengjian", "general manager"): {
            "end": {"June–December 2025"},
            "how": {"stepped down", "resigned"},
        },
        ("Yan Shengjian", "party committee secretary"): {"end": set(), "how": set()},
        ("Yan Shengjian", "director"): {"end": set(), "how": set()},
    }


def test_every_sourced_end_date_keeps_its_statement_rank_and_derivation(seed_store: ox.Store) -> None:
    rows = select(
        seed_store,
        """
        SELECT ?person ?end ?rank ?derivation ?said ?article ?conflict WHERE {
          ?post org:member/rdfs:label ?person .
          ?s rdf:subject ?post ; rdf:predicate kg:endDate ; rdf:object/kg:edtf ?end ; wikibase:rank ?rank ;
             kg:evidence/prov:wasDerivedFrom/dcterms:identifier ?article .
          FILTER (langMatches(lang(?person), "en"))
          OPTIONAL { ?s kg:derivation ?derivation } OPTIONAL { ?s kg:statedAs ?said }
          BIND (EXISTS { ?s kg:conflictsWith [] } AS ?conflict)
        }""",
    )
    found = {
        (
            r["person"],
            r["end"],
            r["rank"].rsplit("#", 1)[1],
            r.get("derivation", "#stated").rsplit("#", 1)[1],
            r.get("said", ""),
            r["article"],
            r["conflict"],
        )
        for r in rows
    }
    resolved, combined = "ResolvedAgainstReferenceTime", "CombinedAcrossDocuments"
    assert found == {
        ("Qi Shuyong", "2025-01", "NormalRank", resolved, "in January", "001.1", "false"),
        ("Yang Jie", "2025-01", "NormalRank", resolved, "in January", "001.1", "false"),
        ("Liao Chunsheng", "2025-04", "NormalRank", resolved, "in April", "001.1", "true"),
        ("Liao Chunsheng", "2025-06/2025-12", "NormalRank", resolved, "This month alone", "002.1", "true"),
        *(
            row
            for person in ("Yang Guoan", "Dong Xianting", "Guo Huifu")
            for row in (
                (person, "2025", "NormalRank", resolved, "this year", "001.1", "false"),
                (person, "2025-06/2025-12", "PreferredRank", combined, "", "001.1", "false"),
                (person, "2025-06/2025-12", "PreferredRank", combined, "", "002.1", "false"),
            )
        ),
        ("Yan Shengjian", "2025", "NormalRank", resolved, "this year", "001.1", "false"),
        ("Yan Shengjian", "2025-06/2025-12", "PreferredRank", resolved, "This month alone", "002.1", "false"),
    }


def test_where_liao_went_is_contested_with_both_sides_and_who_said_each(
    seed_store: ox.Store,
) -> None:
    rows = select(
        seed_store,
        """
        SELECT ?claim ?asserter ?stance ?article WHERE {
          ?claim a kg:Claim ; kg:about ent:liao-chunsheng ; kg:contradicts|^kg:contradicts ?other .
          ?statement rdf:subject ?claim ; rdf:predicate kg:about ; rdf:object ent:liao-chunsheng ;
                     kg:evidence ?evidence .
          ?evidence kg:assertedBy/rdfs:label ?asserter ; kg:stance/rdfs:label ?stance ;
                    prov:wasDerivedFrom ?article .
          FILTER (langMatches(lang(?asserter), "en") && langMatches(lang(?stance), "en"))
        }""",
    )
    sides = {(r["claim"].rsplit("/", 1)[1], r["asserter"], r["stance"], r["article"][-5:]) for r in rows}
    assert sides == {
        ("claim-liao-took-technology-to-canada", "document 001, article 1", "rumoured", "001.1"),
        ("claim-liao-took-technology-to-canada", "TechNews", "rumoured", "002.1"),
        (
            "claim-liao-at-shenzhen-institute",
            "China Rare Earth Group",
            "officially stated",
            "001.1",
        ),
        (
            "claim-liao-at-shenzhen-institute",
            "China Rare Earth Group",
            "officially stated",
            "002.1",
        ),
    }


def test_group_statement_denies_the_defection_rumour(seed_store: ox.Store) -> None:
    rows = select(
        seed_store,
        """
        SELECT ?date ?rumourStance WHERE {
          ent:claim-crh-changes-are-normal kg:denies ?rumour ; kg:statedOn/kg:edtf ?date .
          ?s rdf:subject ?rumour ; kg:evidence/kg:stance/rdfs:label ?rumourStance .
          FILTER (langMatches(lang(?rumourStance), "en"))
        }""",
    )
    # 001: "On the following day, June 29" — of 2025, the year of 001's reference time
    assert {(r["date"], r["rumourStance"]) for r in rows} == {("2025-06-29", "rumoured")}


def test_group_structure(seed_store: ox.Store) -> None:
    rows = select(
        seed_store,
        """
        SELECT ?unit ?parent WHERE { ?unit org:subOrganizationOf ?parent }""",
    )
    parents = {(r["unit"].rsplit("/", 1)[1], r["parent"].rsplit("/", 1)[1]) for r in rows}
    assert parents == {
        ("china-rare-earth-holdings", "china-rare-earth-group"),
        ("china-rare-earth-shenzhen-research-institute", "china-rare-earth-group"),
        ("sasac", "state-council-of-china"),
        ("cpc-central-committee", "communist-party-of-china"),
        ("european-commission", "european-union"),
        ("china-northern-rare-earth-group", "baogang-group"),
        ("mattson", "yitang"),  # 003: "former employees of its subsidiary, Mattson"
        ("humain", "pif"),  # 003: "the PIF ... controlling platforms like Humain ... and Alat"
        ("alat", "pif"),
    }
    facts = select(
        seed_store,
        """
        SELECT ?founded ?place ?supervisor WHERE {
          ent:china-rare-earth-group kg:foundingDate/kg:edtf ?founded ; kg:foundedIn/rdfs:label ?place ;
              kg:supervisedBy ?supervisor ; kg:country country:CN ; a kg:StateOwnedGroup .
          ent:china-rare-earth-holdings kg:listedOn/rdfs:label "Shenzhen Stock Exchange"@en .
        }""",
    )
    assert facts == [
        {
            "founded": "2021-12",
            "place": "Ganzhou",
            "supervisor": "https://w3id.org/sovereignty-kg/entity/sasac",
        }
    ]


def test_talent_directives_with_who_issued_them_and_who_reported_it(seed_store: ox.Store) -> None:
    rows = select(
        seed_store,
        """
        SELECT ?policy ?requires ?asserter WHERE {
          ?policy a kg:Directive ; kg:controls ent:rare-earth-technical-staff ; kg:requires ?requires .
          ?s rdf:subject ?policy ; rdf:predicate kg:requires ; rdf:object ?requires ;
             kg:evidence/kg:assertedBy/rdfs:label ?asserter .
          FILTER (?asserter = "Wall Street Journal"@en)
        }""",
    )
    assert {(r["policy"].rsplit("/", 1)[1], r["requires"], r["asserter"]) for r in rows} == {
        # 002, line 6
        (
            "china-expert-list-directive",
            "submit lists of employees with technical expertise",
            "Wall Street Journal",
        ),
        (
            "china-passport-directive",
            "collect employees’ passports or submit them to local authorities",
            "Wall Street Journal",
        ),
        # 001, line 35
        (
            "china-expert-list-directive",
            "submit lists of professional technical personnel",
            "Wall Street Journal",
        ),
        (
            "china-passport-directive",
            "some rare earth experts surrender their passports",
            "Wall Street Journal",
        ),
    }
    issuers = select(
        seed_store,
        """SELECT DISTINCT ?policy ?issuer WHERE {
             VALUES ?policy { ent:china-expert-list-directive ent:china-passport-directive }
             ?policy kg:issuedBy ?issuer }""",
    )
    assert {(r["policy"].rsplit("/", 1)[1], r["issuer"].rsplit("/", 1)[1]) for r in issuers} == {
        ("china-expert-list-directive", "CN"),  # 002: "Chinese authorities"; 000: "China has mandated"
        ("china-expert-list-directive", "chinese-ministry-of-commerce"),  # 001
        ("china-passport-directive", "chinese-ministry-of-commerce"),  # 001
        ("china-passport-directive", "CN"),  # 000: "China issued a directive … restrict their travel"
    }


def test_every_fact_has_evidence_and_every_quote_is_where_its_offsets_say(
    seed_store: ox.Store,
) -> None:
    unsupported = select(
        seed_store,
        """
        SELECT ?s WHERE { ?s a kg:Statement FILTER NOT EXISTS { ?s kg:evidence ?e }
          FILTER NOT EXISTS { GRAPH graph:inferred { ?s kg:derivation kg:InferredByReasoning } } }""",
    )
    assert unsupported == []
    rows = select(
        seed_store,
        """
        SELECT ?quote ?start ?end ?path ?articleStart ?articleEnd WHERE {
          ?e a kg:Evidence ; oa:exact ?quote ; oa:start ?start ; oa:end ?end ; prov:wasDerivedFrom ?article .
          ?article kg:startOffset ?articleStart ; kg:endOffset ?articleEnd ;
                   dcterms:isPartOf/kg:sourcePath ?path .
        }""",
    )
    assert len(rows) > 50
    texts = {p: (REPO / p).read_text(encoding="utf-8") for p in {r["path"] for r in rows}}
    for row in rows:
        start, end = int(row["start"]), int(row["end"])
        assert texts[row["path"]][start:end] == row["quote"]
        assert int(row["articleStart"]) <= start < end <= int(row["articleEnd"])


def test_every_truthy_fact_from_a_document_has_a_statement(seed_store: ox.Store) -> None:
    rows = select(
        seed_store,
        """
        SELECT ?g ?s ?p ?o WHERE {
          GRAPH ?g { ?s ?p ?o }
          FILTER (STRSTARTS(STR(?g), STR(graph:document-)))
          FILTER NOT EXISTS { ?s a kg:Statement }
          FILTER NOT EXISTS { ?s a kg:Evidence }
          FILTER NOT EXISTS { ?s a kg:Document }
          FILTER NOT EXISTS { ?s a kg:Article }
          FILTER NOT EXISTS { ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o }
        }""",
    )
    assert rows == []


def test_registry_relations_are_backed_by_quotes(seed_store: ox.Store) -> None:
    rows = select(
        seed_store,
        """
        SELECT ?s ?p ?o WHERE {
          GRAPH graph:registry { ?s ?p ?o FILTER (?p IN (kg:country, org:subOrganizationOf)) }
          FILTER NOT EXISTS { ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; kg:evidence ?e }
        }""",
    )
    assert rows == []


def test_each_quote_carries_the_language_of_its_text(seed_store: ox.Store) -> None:
    rows = select(
        seed_store,
        """SELECT ?quote ?language WHERE { ?e a kg:Evidence ; oa:exact ?quote ; dcterms:language ?language }""",
    )
    language = {row["quote"]: row["language"] for row in rows}
    assert language["美国允许向中国供货H20芯片"] == "zh"  # a Latin model name in a Chinese title
    assert language["联想(00992)如何借势成为隐形赢家"] == "zh"
    assert language["EU Commission"] == "en"  # from an article in Chinese and English
    assert sorted({row["language"] for row in rows}) == ["en", "zh"]
    assert sum(1 for row in rows if row["language"] == "zh") == 23


def test_chinese_names_of_what_chinese_text_gives_are_verbatim(seed_store: ox.Store) -> None:
    """Every entity or claim with a Chinese quote has a Chinese label, or a Chinese description
    where the text does not name it, and each Chinese name or description of such an entity
    is found, character for character, in a seed document."""
    seeds = "".join(p.read_text(encoding="utf-8") for p in (REPO / "seeds").glob("*.txt"))
    rows = select(
        seed_store,
        """SELECT DISTINCT ?x ?zh WHERE {
             { ?st rdf:subject ?x } UNION { ?st rdf:object ?x }
             ?st kg:evidence/dcterms:language ?language FILTER (langMatches(?language, "zh"))
             FILTER (STRSTARTS(STR(?x), STR(ent:)))
             OPTIONAL { ?x rdfs:label|skos:altLabel|schema:description ?zh FILTER (langMatches(lang(?zh), "zh")) }
           }""",
    )
    assert [row["x"] for row in rows if "zh" not in row] == []
    assert [row["zh"] for row in rows if row["zh"] not in seeds] == []
    names = {row["x"].rsplit("/", 1)[1]: row["zh"] for row in rows}
    assert names["yitang"] == "中国芯片公司"  # 003's title describes it without naming it
    assert names["claim-southern-company-executives-vanished"] == "稀土高管48小时集体蒸发"
