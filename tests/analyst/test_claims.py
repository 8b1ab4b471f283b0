"""An analyst's questions about claims, relations and figures, written from reading the seed
documents, not from the graph. Each is answered twice — through a catalogue query and through
plain SPARQL — and both must give the answer written here by hand; the comment above each
answer quotes the document line it comes from (seeds/NNN_…txt, line numbers as `cat -n`).

The plain layer holds only what no source disputes: questions about contested accounts ask
the plain triples (which must not answer) and the statements (which keep every side).
"""

from __future__ import annotations

import re
from decimal import Decimal

import pyoxigraph as ox

from kg import run_named
from kg.ask.entities import find
from tests.conftest import REPO, select

INSTITUTE_CLAIM = (
    "Liao Chunsheng now works as a technical expert at China Rare Earth (Shenzhen) Research Institute"
)
CANADA_CLAIM = (
    "Liao Chunsheng and other former executives took rare-earth technology to a laboratory in Canada"
)
NORMAL_CLAIM = (
    "The management changes at China Rare Earth are normal personnel arrangements, "
    "and those concerned still work in the group"
)
DEFECTED_CLAIM = (
    "Senior managers of China Rare Earth have defected, poached by overseas rare-earth laboratories"
)


def catalogue(store: ox.Store, name: str, *columns: str, **params: str) -> set[tuple[str, ...]]:
    """The rows of a catalogue query, as tuples of the given columns."""
    return {tuple(str(row[c] or "") for c in columns) for row in run_named(store, name, **params).records()}


def sparql(store: ox.Store, query: str, *columns: str) -> set[tuple[str, ...]]:
    """The rows of a plain SPARQL query (the project's prefixes predeclared)."""
    return {tuple(row.get(c, "") for c in columns) for row in select(store, query)}


def english(node: str) -> str:
    """A SPARQL fragment binding ?NODE_label to the English label of ?NODE."""
    return f'?{node} rdfs:label ?{node}_label FILTER (langMatches(lang(?{node}_label), "en"))'


# --- Contested accounts -------------------------------------------------------------------


def test_where_liao_chunsheng_works_now_is_contested_and_no_plain_fact(seed_store: ox.Store) -> None:
    """Where does Liao Chunsheng work now?"""
    # 001:9 "China Rare Earth Group stated on June 28 that Liao Chunsheng is now a research and
    #   technology expert at China Rare Earth (Shenzhen) Research Institute Co., Ltd."
    # 001:7 "Rumor has it that ... he took his rare earth technology to work in a Canadian rare
    #   earth laboratory." 002:4 gives both, the rumour "as noted by TechNews".
    sides = catalogue(seed_store, "contested-claims", "claim", "asserter", "stance", "article")
    assert {s for s in sides if s[0] in (INSTITUTE_CLAIM, CANADA_CLAIM)} == {
        (INSTITUTE_CLAIM, "China Rare Earth Group", "officially stated", "001.1"),
        (INSTITUTE_CLAIM, "China Rare Earth Group", "officially stated", "002.1"),
        (CANADA_CLAIM, "document 001, article 1", "rumoured", "001.1"),
        (CANADA_CLAIM, "TechNews", "rumoured", "002.1"),
    }
    # Neither account is a plain fact: the only post Liao holds in the plain layer is the one he
    # resigned (001:5 "Vice General Manager Liao Chunsheng in April"), and he works for no one.
    plain = sparql(
        seed_store,
        f"""SELECT ?org_label WHERE {{
              {{ ?post org:member ent:liao-chunsheng ; org:organization ?org }}
              UNION {{ ent:liao-chunsheng kg:worksFor ?org }}
              {english("org")} }}""",
        "org_label",
    )
    assert plain == {("China Rare Earth Holdings",)}
    # Both sides are still statements, marked contested, each disputed by the other side's claim.
    statements = sparql(
        seed_store,
        f"""SELECT DISTINCT ?value_label ?by_label WHERE {{
              {{ ?st rdf:subject ?post ; rdf:predicate org:organization ; rdf:object ?value .
                 ?m rdf:subject ?post ; rdf:predicate org:member ; rdf:object ent:liao-chunsheng }}
              UNION {{ ?st rdf:subject ent:liao-chunsheng ; rdf:predicate kg:worksFor ; rdf:object ?value }}
              ?st kg:disputedBy ?by . {english("value")} {english("by")} }}""",
        "value_label",
        "by_label",
    )
    assert statements == {
        ("China Rare Earth (Shenzhen) Research Institute Co., Ltd.", CANADA_CLAIM),
        # 001:39 Lai: "any rumors of “collective executive defection” quickly prompt them to issue
        #   statements, likely out of fear of being purged."
        (
            "China Rare Earth (Shenzhen) Research Institute Co., Ltd.",
            "China's rare-earth news mixes truth and falsehood; the group answers rumours out of fear of being purged",
        ),
        ("unnamed Canadian rare-earth laboratory", INSTITUTE_CLAIM),
    }


def test_a_plain_who_works_where_query_does_not_place_liao_at_the_institute(seed_store: ox.Store) -> None:
    """Who works at China Rare Earth (Shenzhen) Research Institute?"""
    # 001:9 and 002:4 say so only as China Rare Earth Group's statement, which the rumour
    # (001:7, 002:4) contradicts: the plain layer answers no one.
    assert (
        catalogue(
            seed_store,
            "people-at-organisation",
            "person",
            org="ent:china-rare-earth-shenzhen-research-institute",
        )
        == set()
    )
    assert (
        sparql(
            seed_store,
            """SELECT ?who WHERE { ?post org:member ?who ;
                 org:organization ent:china-rare-earth-shenzhen-research-institute }""",
            "who",
        )
        == set()
    )


def test_who_denied_the_defection_rumours_and_when(seed_store: ox.Store) -> None:
    """Who denied that China Rare Earth's executives defected, and when?"""
    # 001:11 "On the following day, June 29, China Rare Earth Group released a statement ...
    #   “normal personnel arrangement,”"; 002:2 "However, China Rare Earth Group stated the
    #   personnel changes are part of normal staffing adjustments." (via Calian Press and CNA)
    rows = catalogue(seed_store, "contested-claims", "claim", "asserter", "outlet", "date", "article")
    assert {r for r in rows if r[0] == NORMAL_CLAIM} == {
        (NORMAL_CLAIM, "China Rare Earth Group", "", "29 June 2025", "001.1"),
        (
            NORMAL_CLAIM,
            "China Rare Earth Group",
            "Calian Press, Central News Agency",
            "reported 28 June – 31 December 2025",
            "002.1",
        ),
    }
    answer = sparql(
        seed_store,
        f"""SELECT ?denial_label ?date_label WHERE {{
              ?denial kg:denies ?rumour ; kg:statedOn ?date .
              ?rumour rdfs:label "{DEFECTED_CLAIM}"@en .
              {english("denial")} {english("date")} }}""",
        "denial_label",
        "date_label",
    )
    assert answer == {(NORMAL_CLAIM, "29 June 2025")}


def test_the_rebuttals_of_the_groups_normal_arrangement_statement(seed_store: ox.Store) -> None:
    """Which claims rebut the group's 'normal personnel arrangement', and who made them?"""
    # 001:37 "Regarding China Rare Earth Group’s statement to dispel rumors, Shen believed it was
    #   mainly for “saving face” and camouflage."
    # 001:39 Lai: "any rumors of “collective executive defection” quickly prompt them to issue
    #   statements, likely out of fear of being purged."
    # 001:3 "a “normal personnel arrangement.” However, some analysts believe that ... Chinese
    #   rare earth talents are likely to be lured abroad with high salaries."
    expected = {
        ("China Rare Earth Group's statement was mainly for saving face and camouflage", "Shen Ming-Shi"),
        (
            "China's rare-earth news mixes truth and falsehood; the group answers rumours out of fear of being purged",
            "Lai Rong-Wei",
        ),
        ("Chinese rare-earth talents are likely to be lured abroad with high salaries", "unnamed analysts"),
    }
    network = catalogue(seed_store, "claim-network", "claim", "link", "other", "claimBy")
    assert {
        (c, by) for c, link, other, by in network if link == "disputes" and other == NORMAL_CLAIM
    } == expected
    answer = sparql(
        seed_store,
        f"""SELECT DISTINCT ?r_label ?by_label WHERE {{
              ?r kg:disputes ?c . ?c rdfs:label "{NORMAL_CLAIM}"@en .
              ?st rdf:subject ?r ; rdf:predicate kg:about ; kg:evidence/kg:assertedBy ?by .
              {english("r")} {english("by")} }}""",
        "r_label",
        "by_label",
    )
    assert answer == expected


def test_overseas_poaching_of_china_rare_earth_executives_is_a_contested_rumour(seed_store: ox.Store) -> None:
    """Did overseas laboratories poach China Rare Earth's executives?"""
    # 002:2 "Rumors suggest many executives have been poached by overseas rare earth
    #   laboratories. However, China Rare Earth Group stated the personnel changes are part of
    #   normal staffing adjustments."
    rows = catalogue(seed_store, "related-by", "subject", "object", "asserter", "stance", "contested",
                     relation="kg:recruitedFrom")  # fmt: skip
    assert ("overseas rare-earth laboratories", "China Rare Earth Holdings", "Calian Press", "rumoured",
            "contested") in rows  # fmt: skip
    assert (
        sparql(seed_store, "SELECT ?x WHERE { ?x kg:recruitedFrom ent:china-rare-earth-holdings }", "x")
        == set()
    )


def test_which_facts_about_china_rare_earths_people_are_contested(seed_store: ox.Store) -> None:
    """Which facts about the people who left China Rare Earth do the sources dispute?"""
    # 001:5 Liao resigned "in April"; 002:3-4 counts him among those who resigned "This month
    #   alone" (a month from June 2025 on): the two dates conflict. 001:9, 002:4 his new post at
    #   the institute, contradicted by the rumour of 001:7, 002:4 (the Canadian laboratory).
    expected = {
        ("Liao Chunsheng, deputy general manager of China Rare Earth Holdings", "end date"),
        ("Liao Chunsheng, scientific and technical expert at China Rare Earth (Shenzhen) Research Institute", "kind"),
        ("Liao Chunsheng, scientific and technical expert at China Rare Earth (Shenzhen) Research Institute",
         "post holder"),
        ("Liao Chunsheng, scientific and technical expert at China Rare Earth (Shenzhen) Research Institute",
         "organisation of post"),
        ("Liao Chunsheng, scientific and technical expert at China Rare Earth (Shenzhen) Research Institute",
         "role of post"),
        ("Liao Chunsheng", "works for"),
    }  # fmt: skip
    answer = sparql(
        seed_store,
        f"""SELECT DISTINCT ?s_label ?p_label WHERE {{
              ?st kg:contestedBy ?other ; rdf:subject ?s ; rdf:predicate ?p .
              ?any rdf:subject ?s ; rdf:predicate ?held FILTER (?held IN (org:member, kg:worksFor))
              {english("s")} {english("p")} }}""",
        "s_label",
        "p_label",
    )
    assert answer == expected
    post = "ent:post-liao-chunsheng-cresri-technical-expert"
    facts = catalogue(seed_store, "entity-facts", "property", "contested", entity=post)
    assert facts == {("kind", "contested"), ("post holder", "contested"), ("organisation of post", "contested"),
                     ("role of post", "contested")}  # fmt: skip


# --- Relations between entities ------------------------------------------------------------


def test_which_firms_seres_depends_on(seed_store: ox.Store) -> None:
    """Which firms or brands does Seres depend on?"""
    # 003:33 "Seres is attempting to reduce its reliance on Huawei"; 003:31 title "赛力斯能否跑赢
    #   “问界依赖”" (whether Seres can outrun its dependence on Wenjie, 问界)
    rows = catalogue(seed_store, "relations", "relation", "other", entity="ent:seres-group")
    assert {other for relation, other in rows if relation == "depends on"} == {"Huawei", "Wenjie"}
    assert sparql(
        seed_store, f"SELECT ?x_label WHERE {{ ent:seres-group kg:dependsOn ?x . {english('x')} }}", "x_label"
    ) == {("Huawei",), ("Wenjie",)}


def test_who_competes_with_seres(seed_store: ox.Store) -> None:
    """Who competes with Seres?"""
    # 003:33 "Increased competition from brands like Tesla and Li Auto ... poses additional
    #   challenges for Seres"
    rows = catalogue(seed_store, "relations", "relation", "other", entity="ent:seres-group")
    assert {other for relation, other in rows if relation == "competes with"} == {"Tesla", "Li Auto"}
    answer = sparql(
        seed_store,
        f"""SELECT ?x_label WHERE {{ {{ ent:seres-group kg:competesWith ?x }}
              UNION {{ ?x kg:competesWith ent:seres-group }} {english("x")} }}""",
        "x_label",
    )
    assert answer == {("Tesla",), ("Li Auto",)}


def test_which_regulator_supports_which_listings(seed_store: ox.Store) -> None:
    """Which regulator supports the Hong Kong listings, and whose?"""
    # 003:33 "a surge in Chinese NEV companies pursuing secondary listings in Hong Kong ...
    #   Recent regulatory support from the China Securities Regulatory Commission has
    #   facilitated this trend"
    rows = catalogue(seed_store, "related-by", "subject", "object", relation="kg:backs")
    assert ("China Securities Regulatory Commission", "Chinese new-energy-vehicle companies") in rows
    answer = sparql(
        seed_store,
        f"""SELECT ?r_label ?who_label WHERE {{ ?r a kg:GovernmentBody ; kg:backs ?who .
              {english("r")} {english("who")} }}""",
        "r_label",
        "who_label",
    )
    assert answer == {("China Securities Regulatory Commission", "Chinese new-energy-vehicle companies")}


def test_what_nios_shenji_chip_is_integrated_with_asked_in_chinese(seed_store: ox.Store) -> None:
    """神玑芯片 is integrated with what?"""
    # 003:12 "integrating its self-developed 5nm ... chip “Shenji NX9031” with the NT.Cedar/S
    #   “Cedar” intelligent driving system"; "NIO's self-developed Shenji chip and its deep
    #   integration with the SkyOS operating system"; 003:10 title "蔚来自研神玑芯片落地"
    chip = find(seed_store, "神玑芯片")
    rows = catalogue(seed_store, "relations", "relation", "other", entity=f"<{chip}>")
    assert {other for relation, other in rows if relation == "integrates with"} == {"NT.Cedar/S", "SkyOS"}
    answer = sparql(
        seed_store,
        f"""SELECT ?x_label WHERE {{ ?chip rdfs:label ?name FILTER (STR(?name) = "神玑芯片")
              ?chip kg:integratesWith ?x . {english("x")} }}""",
        "x_label",
    )
    assert answer == {("NT.Cedar/S",), ("SkyOS",)}


def test_nvidias_partners_across_two_articles_asked_in_chinese(seed_store: ox.Store) -> None:
    """Who are 英伟达's partners?"""
    # 003:19 title "法国米斯特拉尔人工智能公司与英伟达宣布云平台合作"; 003:21 "Mistral AI has
    #   partnered with Nvidia"; 003:30 "Lenovo's collaboration with both Nvidia and AMD"
    nvidia = find(seed_store, "英伟达")
    rows = catalogue(seed_store, "relations", "relation", "other", entity=f"<{nvidia}>")
    assert {other for relation, other in rows if relation == "partner of"} == {"Mistral AI", "Lenovo"}
    answer = sparql(
        seed_store,
        f"""SELECT ?x_label WHERE {{ ?n rdfs:label ?name FILTER (STR(?name) = "英伟达")
              {{ ?n kg:partnerOf ?x }} UNION {{ ?x kg:partnerOf ?n }} {english("x")} }}""",
        "x_label",
    )
    assert answer == {("Mistral AI",), ("Lenovo",)}


def test_who_recruited_staff_from_whom(seed_store: ox.Store) -> None:
    """Who hired away whose staff (the plain facts only)?"""
    # 001:51 Lai "cited China’s poaching of talent from Taiwan Semiconductor in the past"
    # 003:6 "Applied Materials illegally obtained Yitang's ... secrets by hiring former employees
    #   of its subsidiary, Mattson" (Yitang's allegation); "Applied Materials previously sued
    #   Mattson for allegedly poaching 17 senior engineers"
    # (002:2's rumour of overseas laboratories poaching China Rare Earth's executives is
    #   denied: not a plain fact.)
    expected = {
        ("China", "Taiwan Semiconductor", "reported"),
        ("Applied Materials", "Mattson", "alleged"),
        ("Mattson", "Applied Materials", "alleged"),
    }
    rows = catalogue(
        seed_store, "related-by", "subject", "object", "stance", "contested", relation="kg:recruitedFrom"
    )
    assert {(s, o, stance) for s, o, stance, contested in rows if not contested} == expected
    answer = sparql(
        seed_store,
        f"""SELECT ?a_label ?b_label ?stance_label WHERE {{ ?a kg:recruitedFrom ?b .
              ?st rdf:subject ?a ; rdf:predicate kg:recruitedFrom ; rdf:object ?b ; kg:evidence/kg:stance ?stance .
              {english("a")} {english("b")} {english("stance")} }}""",
        "a_label",
        "b_label",
        "stance_label",
    )
    assert answer == expected


def test_which_certification_lingchong_passed_asked_in_chinese(seed_store: ox.Store) -> None:
    """领充新能源 passed which certification?"""
    # 003:18 "The company has achieved over 90% localization in its products and recently passed
    #   the “Dianhong Operating System” certification"
    company = find(seed_store, "领充新能源")
    rows = catalogue(seed_store, "relations", "relation", "other", entity=f"<{company}>")
    assert ("certified for", "Dianhong Operating System") in rows
    answer = sparql(
        seed_store,
        f"""SELECT ?x_label WHERE {{ ?c rdfs:label ?name FILTER (STR(?name) = "领充新能源")
              ?c kg:certifiedFor ?x . {english("x")} }}""",
        "x_label",
    )
    assert answer == {("Dianhong Operating System",)}


def test_where_intel_and_infineon_operate(seed_store: ox.Store) -> None:
    """Where do Intel and Infineon operate?"""
    # 003:27 "Major semiconductor manufacturers like Intel and Infineon are expanding their
    #   operations in Malaysia, ... Infineon committing 5 billion Euros to enhance its power
    #   semiconductor capacity in Kulim"
    rows = catalogue(seed_store, "related-by", "subject", "object", relation="kg:operatesIn")
    assert {r for r in rows if r[0] in ("Intel", "Infineon")} == {
        ("Intel", "Malaysia"),
        ("Infineon", "Malaysia"),
        ("Infineon", "Kulim"),
    }
    answer = sparql(
        seed_store,
        f"""SELECT ?f_label ?p_label WHERE {{ VALUES ?f {{ ent:intel ent:infineon }}
              ?f kg:operatesIn ?p . {english("f")} {english("p")} }}""",
        "f_label",
        "p_label",
    )
    assert answer == {("Intel", "Malaysia"), ("Infineon", "Malaysia"), ("Infineon", "Kulim")}


def test_who_imports_rare_earths_from_china_across_documents(seed_store: ox.Store) -> None:
    """Who imports rare earths from China, according to which document?"""
    # 001:17 "between 2019 and 2022, approximately 75% of the United States’ rare earth imports
    #   came from China" (USGS); 003:15 "The U.S. military heavily relies on imported rare earth
    #   elements, with 92% of its needs met through imports, over 70% of which come from China"
    rows = catalogue(seed_store, "related-by", "subject", "object", "article", relation="kg:importsFrom")
    assert rows == {("United States", "China", "001.1"), ("U.S. military", "China", "003.4")}
    answer = sparql(
        seed_store,
        f"""SELECT ?x_label ?doc WHERE {{ ?x kg:importsFrom country:CN .
              ?st rdf:subject ?x ; rdf:predicate kg:importsFrom ; kg:evidence/prov:wasDerivedFrom/dcterms:isPartOf ?d .
              ?d dcterms:identifier ?doc . {english("x")} }}""",
        "x_label",
        "doc",
    )
    assert answer == {("United States", "001"), ("U.S. military", "003")}


def test_who_controls_and_supervises_china_rare_earth_group(seed_store: ox.Store) -> None:
    """Who supervises or controls China Rare Earth Group?"""
    # 001:13 "a central enterprise directly supervised by the State-owned Assets Supervision and
    #   Administration Commission"; 001:39 Lai: "the Rare Earth Group is a central enterprise
    #   controlled by the Communist Party of China"
    rows = catalogue(
        seed_store, "relations", "relation", "other", "asserter", entity="ent:china-rare-earth-group"
    )
    assert ("controlled by", "Communist Party of China", "Lai Rong-Wei") in rows
    facts = catalogue(seed_store, "entity-facts", "property", "value", entity="ent:china-rare-earth-group")
    assert (
        "supervised by",
        "State-owned Assets Supervision and Administration Commission of the State Council",
    ) in facts
    answer = sparql(
        seed_store,
        f"""SELECT ?p_label ?x_label WHERE {{ ent:china-rare-earth-group ?p ?x .
              VALUES ?p {{ kg:supervisedBy kg:controlledBy }} {english("p")} {english("x")} }}""",
        "p_label",
        "x_label",
    )
    assert answer == {
        (
            "supervised by",
            "State-owned Assets Supervision and Administration Commission of the State Council",
        ),
        ("controlled by", "Communist Party of China"),
    }


def test_who_depends_on_china(seed_store: ox.Store) -> None:
    """Who depends on China, and on what do others depend?"""
    # 001:3 "as the United States and Western countries begin to develop their own rare earth
    #   industry chains to reduce dependence on China’s rare earths"; 001:23 "to swiftly reduce
    #   reliance on China’s rare earth supply chain"
    rows = catalogue(seed_store, "related-by", "subject", "object", relation="kg:dependsOn")
    assert {s for s, o in rows if o == "China"} == {"United States", "Western countries"}
    # 003:15 "heavy rare earth elements, which are essential for advanced military equipment
    #   like the F-35 fighter jet"
    assert ("F-35 fighter jet", "heavy rare-earth elements") in rows
    answer = sparql(
        seed_store, f"SELECT ?x_label WHERE {{ ?x kg:dependsOn country:CN . {english('x')} }}", "x_label"
    )
    assert answer == {("United States",), ("Western countries",)}


def test_every_relation_of_china_is_found_through_related_to(seed_store: ox.Store) -> None:
    """What does the corpus relate China to, whatever the relation?"""
    # 000:7 "China is the world's largest producer and exporter of rare earths"; "production of
    #   high-performance rare earth alloys"; 003:9 "China produces 80% of the world's LFP
    #   batteries"; "the ongoing technological and economic competition with the U.S."; 003:24
    #   "China is integrating artificial intelligence with its rare earth mining"; 001:51
    #   "China’s poaching of talent from Taiwan Semiconductor"
    expected = {
        "rare earths",
        "rare-earth alloys",
        "LFP batteries",
        "United States",
        "artificial intelligence",
        "Taiwan Semiconductor",
    }
    rows = catalogue(seed_store, "relations", "direction", "other", entity="country:CN")
    assert {other for direction, other in rows if direction == "to"} == expected
    answer = sparql(
        seed_store, f"SELECT ?x_label WHERE {{ country:CN kg:relatedTo ?x . {english('x')} }}", "x_label"
    )
    assert answer == {(x,) for x in expected}


# --- Posts ---------------------------------------------------------------------------------


def test_the_analysts_posts_at_their_institutes(seed_store: ox.Store) -> None:
    """Which posts do the two Taiwanese analysts hold, and where?"""
    # 001:21 "Rong-Wei Lai, Chief Executive Officer of the Taiwan Inspiration Association (TIA)"
    # 001:25 "Ming-Shi Shen, a researcher at the Taiwan Institute for National Defense and
    #   Security Studies"
    lai = catalogue(seed_store, "person-posts", "organisation", "role", person="ent:lai-rong-wei")
    shen = catalogue(seed_store, "person-posts", "organisation", "role", person="ent:shen-ming-shi")
    assert lai | shen == {
        ("Taiwan Inspiration Association", "chief executive officer"),
        ("Taiwan Institute for National Defense and Security Studies", "researcher"),
    }
    answer = sparql(
        seed_store,
        f"""SELECT ?p_label ?o_label ?r_label WHERE {{ VALUES ?p {{ ent:lai-rong-wei ent:shen-ming-shi }}
              ?post org:member ?p ; org:organization ?o ; org:role ?r .
              {english("p")} {english("o")} {english("r")} }}""",
        "p_label",
        "o_label",
        "r_label",
    )
    assert answer == {
        ("Lai Rong-Wei", "Taiwan Inspiration Association", "chief executive officer"),
        ("Shen Ming-Shi", "Taiwan Institute for National Defense and Security Studies", "researcher"),
    }


def test_the_president_of_france(seed_store: ox.Store) -> None:
    """Who is the President of France in the documents?"""
    # 003:21 "French President Macron described the partnership as “historic,”"
    assert catalogue(seed_store, "people-at-organisation", "person", "role", org="country:FR") == {
        ("Macron", "president")
    }
    answer = sparql(
        seed_store,
        f"""SELECT ?p_label WHERE {{ ?post org:organization country:FR ; org:role role:president ;
              org:member ?p . {english("p")} }}""",
        "p_label",
    )
    assert answer == {("Macron",)}


# --- Joins across documents and aggregates ------------------------------------------------


def test_claims_reported_by_both_001_and_002(seed_store: ox.Store) -> None:
    """Which claims do both document 001 and document 002 report?"""
    # 001:3/002:2 the exodus; 001:9/002:2 the defection rumour; 001:11/002:2 "normal"
    # arrangements; 001:9/002:4 Liao at the institute; 001:7/002:4 the Canadian laboratory;
    # 001:19 "China will approve export requests ... in accordance with the law" / 002:9
    # "export licenses would continue to be processed under existing laws".
    expected = {
        "China Rare Earth has seen a wave of executive departures this year",
        DEFECTED_CLAIM,
        NORMAL_CLAIM,
        INSTITUTE_CLAIM,
        CANADA_CLAIM,
        "China will process rare-earth export licences and requests under existing laws",
    }
    by_article: dict[str, set[str]] = {}
    for agent in ("ent:china-rare-earth-group", "ent:calian-press", "ent:technews", "country:CN",
                  "ent:chinese-ministry-of-commerce", "<https://w3id.org/sovereignty-kg/article/001.1>",
                  "<https://w3id.org/sovereignty-kg/article/002.1>"):  # fmt: skip
        for claim, article in catalogue(seed_store, "claims-by-asserter", "claim", "article", agent=agent):
            by_article.setdefault(claim, set()).add(article)
    assert {c for c, articles in by_article.items() if {"001.1", "002.1"} <= articles} == expected
    answer = sparql(
        seed_store,
        f"""SELECT DISTINCT ?c_label WHERE {{ ?c a kg:Claim .
              ?a rdf:subject ?c ; kg:evidence/prov:wasDerivedFrom article:001.1 .
              ?b rdf:subject ?c ; kg:evidence/prov:wasDerivedFrom article:002.1 . {english("c")} }}""",
        "c_label",
    )
    assert answer == {(c,) for c in expected}


def test_the_2023_conviction_across_documents(seed_store: ox.Store) -> None:
    """How long was the southern group's vice president sentenced to, and who reports it?"""
    # 001:45 "In 2023, a vice president of a southern Chinese rare earth group was sentenced to
    #   11 years in prison"; 000:10 "a vice president from a competing rare earth company being
    #   sentenced to 11 years for leaking processing technology"
    rows = catalogue(seed_store, "documents-mentioning", "document",
                     entity="ent:conviction-southern-group-vice-president-2023")  # fmt: skip
    assert rows == {("000",), ("001",)}
    answer = sparql(
        seed_store,
        """SELECT ?sentence ?year WHERE { ent:conviction-southern-group-vice-president-2023
             kg:sentence ?sentence ; kg:date/kg:edtf ?year }""",
        "sentence",
        "year",
    )
    assert answer == {("P11Y", "2023")}


def test_chinas_share_of_rare_earth_refining_and_processing_by_source(seed_store: ox.Store) -> None:
    """What share of rare-earth refining or processing does China control, by source?"""
    # 001:17 IEA: "92% of refining capacity"; 000:7 "controlling 95% of the market share" of
    #   refining; 003:15 "China controls 85% to 95% of global rare earth processing capacity"
    rows = catalogue(seed_store, "statistics-about", "measure", "value", "unit", subject="country:CN")
    assert {(v, u) for m, v, u in rows if "refining" in m or "processing" in m} == {
        ("92", "percent"),
        ("95", "percent"),
        ("85 to 95", "percent"),
    }
    # The lowest and highest figure any source gives: 85 and 95 (a range is one figure).
    answer = sparql(
        seed_store,
        """SELECT (MIN(?low) AS ?least) (MAX(?high) AS ?most) (COUNT(?o) AS ?figures) WHERE {
             ?o kg:observedSubject country:CN ; kg:unit unit:PERCENT ; kg:measure ?m
             FILTER (CONTAINS(STR(?m), "refining") || CONTAINS(STR(?m), "processing"))
             OPTIONAL { ?o kg:value ?v } OPTIONAL { ?o kg:lowerBound ?lb ; kg:upperBound ?ub }
             BIND (COALESCE(?v, ?lb) AS ?low) BIND (COALESCE(?v, ?ub) AS ?high) }""",
        "least",
        "most",
        "figures",
    )
    assert answer == {("85", "95", "3")}


def test_how_much_rare_earth_prices_rose_per_kilogram(seed_store: ox.Store) -> None:
    """How much did rare-earth prices rise, per kilogram?"""
    # 003:15 "The price of rare earth elements has surged from $425 per kilogram to $850 per
    #   kilogram": it doubled.
    rows = catalogue(seed_store, "statistics-about", "value", "unit", subject="ent:rare-earths")
    assert {(v, u) for v, u in rows if u == "USD per kilogram"} == {("425", "USD per kilogram"),
                                                                    ("850", "USD per kilogram")}  # fmt: skip
    answer = sparql(
        seed_store,
        """SELECT (MAX(?v) / MIN(?v) AS ?ratio) WHERE {
             ?o kg:observedSubject ent:rare-earths ; kg:currency "USD" ; kg:unit unit:PER-KiloGM ; kg:value ?v }""",
        "ratio",
    )
    assert {Decimal(r) for (r,) in answer} == {Decimal(2)}


def test_nios_rd_spending_by_year_day_and_decade(seed_store: ox.Store) -> None:
    """What does NIO spend on R&D, a year, a day and over the decade?"""
    # 003:12 "invested over 60 billion yuan in R&D over the past decade"; "an average annual
    #   investment of 3 billion yuan in R&D, equating to nearly 20 million yuan daily"
    rows = catalogue(seed_store, "statistics-about", "qualifier", "value", "unit", subject="ent:nio")
    assert rows == {
        ("more than", "60000000000", "CNY"),
        ("", "3000000000", "CNY per year"),
        ("nearly", "20000000", "CNY per day"),
    }
    answer = sparql(
        seed_store,
        """SELECT ?v ?unit ?q ?first ?last WHERE { ?o kg:observedSubject ent:nio ; kg:value ?v ; kg:currency "CNY" .
             OPTIONAL { ?o kg:unit ?unit } OPTIONAL { ?o kg:valueQualifier ?q }
             OPTIONAL { ?o kg:period [ kg:earliest ?first ; kg:latest ?last ] } }""",
        "v",
        "unit",
        "q",
        "first",
        "last",
    )
    qudt, kg = "http://qudt.org/vocab/unit/", "https://w3id.org/sovereignty-kg/ontology#"
    # "the past decade" before the article of 8 July 2025: the ten years before it, in years.
    assert answer == {
        ("60000000000", "", kg + "MoreThan", "2015-01-01", "2025-12-31"),
        ("3000000000", qudt + "PER-YR", "", "", ""),
        ("20000000", qudt + "PER-DAY", kg + "Nearly", "", ""),
    }


def test_malaysias_incentives_hang_on_the_national_strategy(seed_store: ox.Store) -> None:
    """What incentives does Malaysia's National Semiconductor Strategy offer?"""
    # 003:27 "through its National Semiconductor Strategy (NSS) ... Investment and Incentives -
    #   The Malaysian government has committed to providing 25 billion Malaysian Ringgit
    #   (approximately 5.3 billion USD) in incentives"
    rows = catalogue(seed_store, "statistics-about", "measure", "qualifier", "value", "unit",
                     subject="ent:malaysia-national-semiconductor-strategy")  # fmt: skip
    assert {(q, v, u) for m, q, v, u in rows if m.startswith("incentives")} == {
        ("", "25000000000", "MYR"),
        ("approximately", "5300000000", "USD"),
    }
    answer = sparql(
        seed_store,
        """SELECT ?v ?cur WHERE { ?o kg:observedSubject ent:malaysia-national-semiconductor-strategy ;
             kg:measure ?m ; kg:value ?v ; kg:currency ?cur FILTER (STRSTARTS(STR(?m), "incentives")) }""",
        "v",
        "cur",
    )
    assert answer == {("25000000000", "MYR"), ("5300000000", "USD")}
    assert (
        sparql(seed_store, "SELECT ?o WHERE { ?o kg:observedSubject ent:malaysian-government }", "o") == set()
    )


def test_the_price_of_a_grace_blackwell_superchip_is_one_range(seed_store: ox.Store) -> None:
    """What does a Grace Blackwell superchip cost?"""
    # 003:21 "with each chip priced between $30,000 and $70,000" (and the figure that concerns
    #   it: "The Mistral Compute platform will utilize 18,000 Grace Blackwell superchips")
    rows = catalogue(seed_store, "statistics-about", "value", "unit", subject="ent:grace-blackwell-superchip")
    assert rows == {("30000 to 70000", "USD"), ("18000", "count")}
    answer = sparql(
        seed_store,
        """SELECT ?low ?high WHERE { ?o kg:observedSubject ent:grace-blackwell-superchip ;
             kg:lowerBound ?low ; kg:upperBound ?high ; kg:currency "USD" }""",
        "low",
        "high",
    )
    assert answer == {("30000", "70000")}


def test_yitangs_domestic_revenue_share_in_the_first_half_of_2024(seed_store: ox.Store) -> None:
    """What share of Yitang's revenue came from domestic customers in the first half of 2024?"""
    # 003:6 "domestic customer revenue share rising from 38.6% in 2021 to 68.1% in the first half
    #   of 2024"
    rows = catalogue(seed_store, "statistics-about", "value", "period", subject="ent:yitang")
    assert ("68.1", "first half of 2024") in rows and ("38.6", "2021") in rows
    answer = sparql(
        seed_store,
        """SELECT ?v ?first ?last WHERE { ?o kg:observedSubject ent:yitang ; kg:value ?v ;
             kg:period [ kg:earliest ?first ; kg:latest ?last ] FILTER (?last <= "2024-06-30"^^xsd:date
             && ?first >= "2024-01-01"^^xsd:date) }""",
        "v",
        "first",
        "last",
    )
    assert answer == {("68.1", "2024-01-01", "2024-06-30")}


def test_how_many_claims_each_taiwanese_analyst_makes(seed_store: ox.Store) -> None:
    """How many distinct claims do Lai and Shen each make in 001?"""
    # Lai: 001:21 (choked; retaliates), 27 (sought after), 39 (fear of purge), 41 (political
    #   mission), 43/57 (inevitable), 51 (learning costs), 55 (stricter controls): 8.
    # Shen: 001:25/31 (eyeing talent), 29/31 (would go abroad), 33 (defection; passports), 37
    #   (saving face), 47 (leverage diminishes), 49/53 (brings technology), 53 (ineffective if
    #   replaced): 8.
    lai = catalogue(seed_store, "claims-by-asserter", "claim", agent="ent:lai-rong-wei")
    shen = catalogue(seed_store, "claims-by-asserter", "claim", agent="ent:shen-ming-shi")
    assert (len(lai), len(shen)) == (8, 8)
    answer = sparql(
        seed_store,
        """SELECT ?who (COUNT(DISTINCT ?c) AS ?claims) WHERE { VALUES ?who { ent:lai-rong-wei ent:shen-ming-shi }
             ?st rdf:subject ?c ; rdf:predicate kg:about ; kg:evidence/kg:assertedBy ?who } GROUP BY ?who""",
        "who",
        "claims",
    )
    ent = "https://w3id.org/sovereignty-kg/entity/"
    assert answer == {(ent + "lai-rong-wei", "8"), (ent + "shen-ming-shi", "8")}


def test_the_eu_ultimatum_and_chinas_answer_asked_in_chinese(seed_store: ox.Store) -> None:
    """欧盟 gave China how long, and what did China answer with?"""
    # 000:11 title "欧盟设置30天期限,要中国必须交出稀土,中方用一道命令给出回应"; 000:13 "In
    #   response to EU pressure, China issued a directive requiring all rare earth-related research
    #   institutions and key enterprises to report expert lists and restrict their travel"
    eu = find(seed_store, "欧盟")
    assert eu == "https://w3id.org/sovereignty-kg/entity/european-union"
    rows = catalogue(seed_store, "policy-targets", "policy", "target", "issuer")
    assert ("EU's 30-day ultimatum to China on rare-earth supplies", "China", "European Union") in rows
    answer = sparql(
        seed_store,
        f"""SELECT ?deadline ?answer_label WHERE {{ ?u kg:issuedBy ?eu ; kg:deadline ?deadline .
              ?eu rdfs:label ?n FILTER (STR(?n) = "欧盟")
              ?answer kg:inResponseTo ?u . {english("answer")} }}""",
        "deadline",
        "answer_label",
    )
    assert answer == {
        ("P30D", "Chinese directive to rare-earth companies to list their technical staff"),
        ("P30D", "Chinese directive to rare-earth companies to collect experts' passports"),
    }


def test_what_supports_the_h20_miscalculation_claim(seed_store: ox.Store) -> None:
    """Why is the release of the H20 chip called a miscalculation?"""
    # 003:9 "The U.S. release of the H20 chip is seen as a miscalculation, as its performance is
    #   only 15% of the H100, while Huawei's Ascend 910B outperforms it significantly"
    network = catalogue(seed_store, "claim-network", "claim", "link", "other")
    assert ("Huawei's Ascend 910B significantly outperforms the H20", "supports",
            "The U.S. release of the H20 chip is a miscalculation") in network  # fmt: skip
    answer = sparql(
        seed_store,
        f"""SELECT ?x_label ?value WHERE {{ ?x kg:outperforms ent:h20-chip . {english("x")}
              ?o kg:observedSubject ent:h20-chip ; kg:concerns ent:h100-chip ; kg:value ?value }}""",
        "x_label",
        "value",
    )
    assert answer == {("Ascend 910B", "15")}


# --- The review behind these answers --------------------------------------------------------


def test_every_claim_only_about_entities_says_why_it_is_a_claim(seed_store: ox.Store) -> None:
    """A claim whose only facts are kg:about two or more entities (no relation it asserts, no
    link to another claim) is justified by a comment above its declaration."""
    rows = sparql(
        seed_store,
        """SELECT ?id WHERE { {
             SELECT ?c (COUNT(DISTINCT ?o) AS ?n) WHERE {
               ?c a kg:Claim . ?st rdf:subject ?c ; rdf:predicate kg:about ; rdf:object ?o ; kg:evidence [] .
               FILTER NOT EXISTS { ?s2 rdf:subject ?c ; kg:evidence [] ; rdf:predicate ?p
                                   FILTER (?p NOT IN (kg:about, kg:statedOn, kg:reportedOn)) }
               FILTER NOT EXISTS { ?s3 rdf:object ?c ; kg:evidence [] ; rdf:predicate ?q FILTER (?q != kg:reports) }
               FILTER NOT EXISTS { [] kg:claim ?c }
             } GROUP BY ?c } FILTER (?n >= 2) ?c dcterms:identifier ?id }""",
        "id",
    )
    declarations: dict[str, str] = {}
    for path in sorted((REPO / "mappings").rglob("*.yaml")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(lines):
            if match := re.fullmatch(r"  - id: (claim-[a-z0-9-]+)", line):
                above = []
                for previous in reversed(lines[:i]):
                    if not previous.strip().startswith("#"):
                        break
                    above.append(previous)
                declarations[match.group(1)] = " ".join(above)
    unjustified = sorted(
        claim for (claim,) in rows if not re.search(r"[Kk]ept as (a )?claims?", declarations.get(claim, ""))
    )
    assert unjustified == []
    assert len(rows) == 72
