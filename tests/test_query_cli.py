"""`kg query` with names, parameters and formats; `kg queries`; `kg show`; `kg search`; the
Python API."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

import kg
import kg.cli
from kg import BuildReport
from kg.ask.catalogue import catalogue
from kg.ask.dataset import Dataset
from kg.ask.entities import card, find, search
from kg.ask.expected import answer
from kg.ask.query import Graph, open_graph
from kg.vocab import GRAPH
from tests.conftest import REPO

DEPARTURES = [
    "--name",
    "departures",
    "--param",
    "org=ent:china-rare-earth-holdings",
    "-p",
    "from=2025",
    "-p",
    "to=2025",
]


def _run(seed_build: BuildReport, *args: str) -> str:
    result = CliRunner().invoke(kg.cli.app, [*args, "--graph", str(seed_build.out)], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    return result.stdout


def test_named_query_in_sparql_csv_is_the_expected_answer(
    seed_build: BuildReport, seed_store: ox.Store
) -> None:
    got = _run(seed_build, "query", *DEPARTURES, "--format", "csv")
    assert got.replace("\r\n", "\n") == answer(seed_store, catalogue()["departures"])
    rows = list(csv.DictReader(io.StringIO(got)))
    # 001 and 002 name seven people who left China Rare Earth in 2025 (see tests/analyst/)
    assert [(r["person"], r["ended"], r["placed"]) for r in rows] == [
        ("Qi Shuyong", "January 2025", "placed against the article's date"),
        ("Yang Jie", "January 2025", "placed against the article's date"),
        ("Liao Chunsheng", "April 2025 / June–December 2025", "sources conflict"),
        ("Dong Xianting", "June–December 2025", "combined across documents"),
        ("Guo Huifu", "June–December 2025", "combined across documents"),
        ("Yan Shengjian", "June–December 2025", "placed against the article's date"),
        ("Yang Guoan", "June–December 2025", "combined across documents"),
    ]


def test_sparql_json_and_xml_results(seed_build: BuildReport) -> None:
    content = json.loads(_run(seed_build, "query", *DEPARTURES, "--format", "json"))
    assert content["head"]["vars"] == [
        "person",
        "role",
        "unit",
        "ended",
        "inPeriod",
        "placed",
        "how",
        "sources",
    ]
    assert len(content["results"]["bindings"]) == 7
    root = ET.fromstring(_run(seed_build, "query", *DEPARTURES, "--format", "xml"))
    assert root.tag == "{http://www.w3.org/2005/sparql-results#}sparql"
    assert (
        json.loads(_run(seed_build, "query", "ASK { ent:nio a kg:Firm }", "--format", "json"))["boolean"]
        is True
    )


def test_table_and_markdown_show_labels_beside_iris_in_either_language(seed_build: BuildReport) -> None:
    query = "SELECT ?x WHERE { ?x kg:country country:FR } ORDER BY ?x"
    assert "Mistral AI (ent:mistral-ai)" in _run(seed_build, "query", query)
    assert "米斯特拉尔人工智能公司 (ent:mistral-ai)" in _run(seed_build, "query", query, "--lang", "zh")
    assert _run(seed_build, "query", query, "--format", "md").splitlines() == [
        "| x |",
        "|---|",
        "| Macron (ent:macron) |",
        "| Mistral AI (ent:mistral-ai) |",
    ]


def test_graph_queries_print_turtle(seed_build: BuildReport) -> None:
    turtle = _run(seed_build, "query", "DESCRIBE ent:xu-guangxian")
    assert "ent:xu-guangxian" in turtle and '"Father of Chinese Rare Earths Chemistry"@en' in turtle


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["query", "--name", "nope"], "no query named 'nope' (see 'kg queries')"),
        (["query", "--name", "departures"], "query 'departures' needs --param for: org"),
        (["query", "SELECT ?s WHERE { ?s ?p }"], "SPARQL syntax error: error at 1:"),
        (["query", "SELECT ?s WHERE { ?s ?p ?o }", "-p", "x=1"], "the query has no variable ?x to bind"),
        (["query", "SELECT ?s WHERE { ?s ?p ?o }", "-p", "oops"], "--param needs NAME=VALUE, not 'oops'"),
        (["show", "Nobody Atall"], "no entity named 'Nobody Atall'"),
    ],
)
def test_clear_errors(seed_build: BuildReport, args: list[str], message: str) -> None:
    result = CliRunner().invoke(kg.cli.app, [*args, "--graph", str(seed_build.out)])
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_queries_lists_the_catalogue() -> None:
    result = CliRunner().invoke(kg.cli.app, ["queries"], env={"COLUMNS": "250"})
    assert result.exit_code == 0
    assert f"{len(catalogue())} named queries" in result.stdout
    assert "departures" in result.stdout and "org (entity), from (period), to (period)" in result.stdout
    shown = CliRunner().invoke(kg.cli.app, ["queries", "--show", "timeline"])
    assert shown.stdout == (REPO / "kg" / "ask" / "queries" / "timeline.rq").read_text(encoding="utf-8")


def test_search_is_tolerant_of_word_order_and_language(seed_store: ox.Store) -> None:
    assert search(seed_store, "Chunsheng Liao")[0].iri.endswith("/liao-chunsheng")
    assert search(seed_store, "Liao Chunsheng")[0].iri.endswith("/liao-chunsheng")
    assert search(seed_store, "Guangxian Xu")[0].iri.endswith("/xu-guangxian")
    assert search(seed_store, "蔚来")[0].iri.endswith("/nio")
    assert search(seed_store, "欧盟")[0].iri.endswith("/european-union")
    assert find(seed_store, "稀土").endswith("/rare-earths")


def test_entity_card_has_posts_facts_quotes_and_contested_claims(seed_store: ox.Store) -> None:
    liao = card(seed_store, find(seed_store, "Chunsheng Liao"))
    assert liao.labels == {"en": "Liao Chunsheng"}
    assert liao.other_names == ["Chunsheng Liao"]
    assert liao.kinds == ["executive (inferred)", "person"]
    dgm = next(p for p in liao.posts if p.role == "deputy general manager")
    # 001: "Liao Chunsheng in April"; 002: among those who resigned "this month" (June or later)
    assert (dgm.organisation, dgm.ended, dgm.how) == (
        "China Rare Earth Holdings",
        "April 2025 or June–December 2025 (sources conflict)",
        "resigned",
    )
    assert [(v.label, v.placed, v.stated_as, v.articles) for v in dgm.ends] == [
        ("April 2025", "placed against the article's date", "in April", "001.1"),
        ("June–December 2025", "placed against the article's date", "This month alone", "002.1"),
    ]
    yan = card(seed_store, find(seed_store, "Yan Shengjian"))
    general_manager = next(p for p in yan.posts if p.role == "general manager")
    # 001: "this year"; 002: "This month alone": the more precise value is preferred
    assert general_manager.ended == "June–December 2025"
    assert [(v.label, v.rank) for v in general_manager.ends] == [
        ("2025", "normal"),
        ("June–December 2025", "preferred"),
    ]
    expert = next(f for f in liao.facts if f.predicate_label == "expert in")
    assert {e.article for e in expert.evidence} == {"001.1", "002.1"}
    contested = {m.subject_label for m in liao.mentions if m.contested}
    assert contested == {
        "Liao Chunsheng now works as a technical expert at China Rare Earth (Shenzhen) Research Institute",
        "Liao Chunsheng and other former executives took rare-earth technology to a laboratory in Canada",
        # 001, 002: the group says he holds this post; a rumour contradicts it
        "Liao Chunsheng, scientific and technical expert at China Rare Earth (Shenzhen) Research Institute",
    }
    # the post the group's statement gives him is not a plain fact: no post at the institute
    assert {p.organisation for p in liao.posts} == {"China Rare Earth Holdings"}
    (question,) = liao.questions
    assert list(question.sides) == [
        "Liao Chunsheng now works as a technical expert at China Rare Earth (Shenzhen) Research Institute",
        "Liao Chunsheng and other former executives took rare-earth technology to a laboratory in Canada",
    ]


def test_show_prints_the_card(seed_build: BuildReport) -> None:
    out = _run(seed_build, "show", "Chunsheng Liao")
    assert "Liao Chunsheng  ent:liao-chunsheng" in out
    assert "deputy general manager, China Rare Earth Holdings" in out
    assert "⚠ contested" in out
    assert "Contested (what each side asserts is not a plain fact)" in out
    assert "asserts: Liao Chunsheng — works for — unnamed Canadian rare-earth laboratory" in out
    assert "rebutted by: China's rare-earth news mixes truth and falsehood; the group answers rumours" in out
    assert "“Liao was a student of Guangxian Xu” — document 002, article 1, reported, article 002.1" in out


def test_python_api_rows_with_labels_and_dataframe(seed_build: BuildReport) -> None:
    store = kg.open_graph(seed_build.out)
    result = kg.run_named(store, "people-at-organisation", org="ent:china-rare-earth-group")
    records = result.records()
    assert {
        "person": "Liao Chunsheng",
        "role": "deputy general manager",
        "unit": "China Rare Earth Holdings",
    } in records
    frame = result.to_dataframe()
    assert list(frame.columns) == ["person", "role", "unit"]
    assert len(frame) == len(records)
    labelled = kg.run_query(store, "SELECT ?x WHERE { ?x kg:country country:FR } ORDER BY ?x")
    names = kg.labels(store, {str(r["x"]) for r in labelled.records()})
    assert labelled.records(names)[0] == {
        "x": "https://w3id.org/sovereignty-kg/entity/macron",
        "x_label": "Macron",
    }


def test_every_project_prefix_is_listed_and_predeclared(seed_build: BuildReport) -> None:
    runner = CliRunner()
    listed = runner.invoke(kg.cli.app, ["query", "--prefixes"]).stdout.splitlines()
    assert "PREFIX schema: <https://schema.org/>" in listed
    assert "PREFIX kg: <https://w3id.org/sovereignty-kg/ontology#>" in listed
    assert "PREFIX unit: <http://qudt.org/vocab/unit/>" in listed
    # kg role ent element country doc article stmt ev date instant graph kgsh check, and 16 standard
    assert len(listed) == 30
    query = "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a schema:Organization ; kg:country country:CN }"
    result = runner.invoke(kg.cli.app, ["query", query, "--format", "csv", "--graph", str(seed_build.out)])
    assert result.exit_code == 0 and int(result.stdout.splitlines()[1]) >= 10


def test_language_tags_are_lower_case_so_compare_them_with_langmatches(seed_build: BuildReport) -> None:
    runner = CliRunner()

    def chinese_names(test: str) -> list[str]:
        query = f"SELECT ?l WHERE {{ ent:nio rdfs:label ?l FILTER ({test}) }}"
        result = runner.invoke(
            kg.cli.app, ["query", query, "--format", "csv", "--graph", str(seed_build.out)]
        )
        return result.stdout.splitlines()[1:]

    assert chinese_names('lang(?l) = "zh-hans"') == ["蔚来"]
    assert chinese_names('lang(?l) = "zh-Hans"') == []
    assert chinese_names('langMatches(lang(?l), "zh-Hans")') == ["蔚来"]
    assert chinese_names('langMatches(lang(?l), "zh")') == ["蔚来"]


def test_the_worker_of_kg_query_loads_the_named_graphs_the_query_reads(
    seed_build: BuildReport, seed_store: Graph
) -> None:
    """`kg query` loads, beside the default graph, only the named graphs its query looks into
    (kg.ask.reads.dataset_read); the answers are those of the graph with all of them."""
    per_graph = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
    registry = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH graph:registry { ?s rdfs:label ?l } . ?s a kg:Person }"
    everything = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    for query in (per_graph, registry, everything):
        expected = [row["n"].value for row in seed_store.query(query)]
        printed = list(csv.DictReader(io.StringIO(_run(seed_build, "query", query, "--format", "csv"))))
        assert [row["n"] for row in printed] == expected and int(expected[0]) > 0
    with open_graph(seed_build.out, dataset=Dataset(frozenset({str(GRAPH["registry"])}))) as part:
        assert [row["g"].value for row in part.query(per_graph)] == [str(GRAPH["registry"])]


def test_a_query_reads_the_default_graph_unless_every_pattern_is_inside_a_graph_pattern() -> None:
    from kg.ask.reads import dataset_read
    from kg.vocab import PREFIXES

    registry = str(GRAPH["registry"])
    read = {
        "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }": Dataset(None, default=False),
        "ASK { GRAPH ?g { ?s ?p ?o FILTER EXISTS { ?s ?q ?r } } }": Dataset(None, default=False),
        "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH graph:registry { ?s ?p ?o } }": Dataset(
            frozenset({registry}), default=False
        ),
        "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } FILTER NOT EXISTS { ?s a ?c } }": Dataset(None),
        "SELECT * WHERE { { SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } } } ?s ?q ?r }": Dataset(None),
        "SELECT * WHERE { GRAPH graph:registry { ?s rdfs:label ?l } . ?s a kg:Person }": Dataset(
            frozenset({registry})
        ),
        "SELECT * FROM NAMED <http://example.org/g> WHERE { GRAPH ?g { ?s ?p ?o } }": Dataset(None),
        "DESCRIBE ent:liao-chunsheng": Dataset(frozenset()),
        "SELECT * WHERE { ?s ?p ?o }": Dataset(frozenset()),
        "SELECT * WHERE { GRAPH ?g { ?s ?p": Dataset(None),  # does not parse: everything
    }
    for query, dataset in read.items():
        assert dataset_read(query, PREFIXES) == dataset, query


def test_a_query_that_reads_only_named_graphs_is_answered_without_the_default_graph(
    seed_build: BuildReport, seed_store: Graph
) -> None:
    """At 10,000 documents the default graph is half of what a store holds; a query whose
    patterns are all inside GRAPH patterns gets the same answer without it, labels included."""
    per_graph = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
    with open_graph(seed_build.out, dataset=Dataset(None, default=False)) as named:
        assert list(named.query("SELECT * WHERE { ?s ?p ?o }")) == []
        assert [(r["g"], r["n"]) for r in named.query(per_graph)] == [
            (r["g"], r["n"]) for r in seed_store.query(per_graph)
        ]
    people = "SELECT DISTINCT ?p WHERE { GRAPH graph:registry { ?p a kg:Person } %s } ORDER BY ?p"
    only_named = _run(seed_build, "query", people % "")
    assert _run(seed_build, "query", people % "?p a kg:Person") == only_named
    assert "Liao Chunsheng" in only_named
