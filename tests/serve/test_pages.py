"""The pages, over real HTTP: entities (HTML and RDF by content negotiation), documents,
the ontology, timelines, search; and every literal and IRI escaped."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import httpx
import pytest
import rdflib
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery

from kg import Project, build
from kg.serve.config import ServeConfig
from kg.serve.timeline import LEFT, text_width
from kg.store.export import context
from tests.conftest import REPO, make_project
from tests.serve.served import served

ENT = "https://w3id.org/sovereignty-kg/entity/"


def test_an_entity_page_shows_names_kinds_facts_and_sources(server: str) -> None:
    page = httpx.get(f"{server}/entity/liao-chunsheng")
    assert page.status_code == 200 and page.headers["vary"] == "Accept"
    html = page.text
    assert "<h1>Liao Chunsheng</h1>" in html
    assert "Chunsheng Liao" in html  # another name
    assert '<span class="kind inferred">executive (inferred)</span>' in html
    assert '<span class="kind">person</span>' in html
    assert "Liao was a student of Guangxian Xu" in html  # a quote
    assert 'href="/article/002.1"' in html and 'href="/document/002#q' in html


def contested(html: str) -> str:
    return html[html.index("<h2>Contested</h2>") : html.index("<h2>Facts</h2>")]


def test_contested_accounts_side_by_side(server: str) -> None:
    liao = contested(httpx.get(f"{server}/entity/liao-chunsheng").text)
    assert liao.count('<span class="flag">contradicts</span>') == 1  # linked both ways, shown once
    assert liao.count('class="side"') == 2
    assert "Liao now serves as a Scientific and Technical Expert at its Shenzhen Research Institute." in liao
    assert "he took his rare earth technology to work in a Canadian rare earth laboratory." in liao
    assert "normal personnel arrangement" not in liao  # a dispute about the company, not about him
    company = contested(httpx.get(f"{server}/entity/china-rare-earth-holdings").text)
    assert '<span class="flag">denies</span>' in company
    assert "Rumors suggest many executives have been poached by overseas rare earth laboratories." in company
    assert "normal personnel arrangement" in company
    assert company.count('class="side"') == 2


def test_an_entity_no_claim_is_about_shows_no_dispute(server: str) -> None:
    assert "<h2>Contested</h2>" not in httpx.get(f"{server}/entity/nio").text


def test_a_date_the_sources_conflict_on_shows_each_side(server: str) -> None:
    html = httpx.get(f"{server}/entity/post-liao-chunsheng-crh-deputy-general-manager").text
    dates = contested(html)
    assert "April 2025</a> or" in dates and "June–December 2025</a>" in dates
    assert "sources conflict" in dates
    assert 'href="/article/001.1"' in dates and 'href="/article/002.1"' in dates
    timeline = html[html.index("<h2>Timeline</h2>") :]
    assert "June–December 2025 (sources conflict)" in timeline


def test_a_chinese_label_and_the_language_switch(server: str) -> None:
    html = httpx.get(f"{server}/entity/nio", params={"lang": "zh"}).text
    assert "<h1>蔚来</h1>" in html and '<span lang="en">NIO</span>' in html


@pytest.mark.parametrize(
    ("accept", "parser"),
    [("text/turtle", "turtle"), ("application/ld+json", "json-ld"), ("application/n-triples", "nt")],
)
def test_an_entity_in_rdf_by_content_negotiation(server: str, accept: str, parser: str) -> None:
    answer = httpx.get(f"{server}/entity/liao-chunsheng", headers={"Accept": accept})
    assert answer.headers["content-type"].split(";")[0] == accept and answer.headers["vary"] == "Accept"
    graph = rdflib.Graph().parse(data=answer.content, format=parser)
    liao = rdflib.URIRef(ENT + "liao-chunsheng")
    assert (liao, rdflib.RDFS.label, rdflib.Literal("Liao Chunsheng", lang="en")) in graph
    quotes = {str(q) for q in graph.objects(None, rdflib.URIRef("http://www.w3.org/ns/oa#exact"))}
    assert any("Liao was a student of Guangxian Xu" in q for q in quotes)


def test_an_entity_in_json_ld_is_compact_with_the_project_context(server: str) -> None:
    answer = httpx.get(f"{server}/entity/liao-chunsheng", headers={"Accept": "application/ld+json"}).json()
    assert answer["@context"] == context()
    liao = next(node for node in answer["@graph"] if node["@id"] == "ent:liao-chunsheng")
    assert "kg:Person" in liao["@type"]
    assert liao["rdfs:label"] == {"@language": "en", "@value": "Liao Chunsheng"}


def test_a_page_is_made_once_and_revalidated(server: str) -> None:
    path = f"{server}/entity/nio?lang=zh"
    first, again = httpx.get(path), httpx.get(path)
    assert first.text == again.text and "hit" in again.headers["server-timing"]
    assert first.headers["etag"] == again.headers["etag"] and first.headers["vary"] == "Accept"
    assert httpx.get(path, headers={"If-None-Match": first.headers["etag"]}).status_code == 304
    turtle = httpx.get(path, headers={"Accept": "text/turtle", "If-None-Match": first.headers["etag"]})
    assert turtle.status_code == 200 and turtle.headers["etag"] != first.headers["etag"]


def test_an_unknown_entity_is_404(server: str) -> None:
    assert httpx.get(f"{server}/entity/no-such-thing").status_code == 404
    assert httpx.get(f"{server}/entity/no-such-thing", headers={"Accept": "text/turtle"}).status_code == 404


def test_a_document_the_graph_does_not_hold_is_404(server: str) -> None:
    assert httpx.get(f"{server}/document/999").status_code == 404


def test_a_document_page_highlights_quotes_and_marks_skipped_text(server: str) -> None:
    html = httpx.get(f"{server}/document/002").text
    assert re.search(r'<a class="quote" id="q[0-9]+" href="#fact-', html)
    assert "China Rare Earth Group states that Liao now serves as a Scientific and Technical Expert" in html
    assert (
        'title="skipped: page navigation"' in html
        and '<span class="reason">skipped: page navigation</span>' in html
    )
    assert "0 neither mapped nor skipped" in html
    facts = html[html.index("Facts taken from this document") :]
    assert 'href="/entity/liao-chunsheng"' in facts


def test_the_editor_text_declares_the_prefixes_it_uses(server: str) -> None:
    text = httpx.get(f"{server}/api/editor/departures").text
    assert text.count("PREFIX ent: <https://w3id.org/sovereignty-kg/entity/>\n") == 1
    assert "VALUES (?org ?from_start ?to_end) { (ent:china-rare-earth-holdings " in text
    translateQuery(parseQuery(text))  # no prefix left undeclared, for any SPARQL tool


def test_an_unmapped_sentence_is_marked_on_its_document_page(tmp_path: Path) -> None:
    root = make_project(tmp_path)  # its byline "示例日报 · 2025-03-05" is neither mapped nor skipped
    dist = build(Project.at(root), root / "dist").out
    with served(ServeConfig(dist=dist, root=root, workers=1)) as url:
        html = httpx.get(f"{url}/document/doc").text
    assert '<span class="seg unaccounted">示例日报 · 2025-03-05</span>' in html
    assert "1 neither mapped nor skipped" in html
    assert '<span class="seg mapped"><a class="quote"' in html  # the mapped text around it


def test_an_ontology_page(server: str) -> None:
    html = httpx.get(f"{server}/ontology/Post").text
    assert "kg:Post" in html and "17 instances" in html
    assert "<th>Definition</th>" in html and 'id="elements"' in html
    index = httpx.get(f"{server}/ontology").text
    assert 'href="/ontology/Post"' in index and 'href="/ontology/contradicts"' in index


def test_the_timeline_of_a_period(server: str) -> None:
    html = httpx.get(f"{server}/timeline", params={"period": "2025"}).text
    labels = [unescape(label) for label in re.findall(r'class="bar-label">([^<]*)', html)]
    assert labels[0].startswith("post ended: Qi Shuyong, chief") and labels[0].endswith("…")
    assert labels[1].startswith("post ended: Yang Jie, chair of") and labels[1].endswith("…")
    assert any(label.startswith("post ended: Liao Chunsheng, deputy") for label in labels)
    assert all(text_width(label) <= LEFT - 10 for label in labels)  # the browser test measures them drawn
    assert "(sources conflict)" in html
    assert httpx.get(f"{server}/timeline", params={"period": "2025-13"}).status_code == 400


@pytest.mark.parametrize(
    ("text", "first"),
    [("Chunsheng Liao", "Liao Chunsheng"), ("蔚来", "NIO"), ("liao chunsheng", "Liao Chunsheng")],
)
def test_search_in_english_or_chinese_in_any_word_order(server: str, text: str, first: str) -> None:
    html = httpx.get(f"{server}/search", params={"q": text}).text
    results = re.findall(r'<li><a href="(/entity/[^"]+)">([^<]+)</a>', html)
    assert results and results[0][1] == first


def test_pages_forbid_loading_from_elsewhere(server: str) -> None:
    headers = httpx.get(f"{server}/entity/liao-chunsheng").headers
    assert "default-src 'self'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A build whose labels and values are markup and script, and one of whose links is
    a javascript: IRI."""
    dist = tmp_path_factory.mktemp("hostile") / "dist"
    dist.mkdir()
    lines = [
        f'<{ENT}x> <http://www.w3.org/2000/01/rdf-schema#label> "<script>alert(1)</script>"@en .',
        f'<{ENT}x> <https://schema.org/description> "</script><img src=x onerror=alert(2)>" .',
        f"<{ENT}x> <https://schema.org/url> <javascript:alert(3)> .",
        f'<{ENT}x> <https://schema.org/name> "\\" onmouseover=\\"alert(4)" .',
    ]
    (dist / "graph.nt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (dist / "graph.nq").write_text("", encoding="utf-8")
    with served(ServeConfig(dist=dist, root=REPO, workers=1)) as url:
        yield url


def test_every_literal_and_iri_is_escaped(hostile: str) -> None:
    html = httpx.get(f"{hostile}/entity/x").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert" not in html and "<img" not in html
    assert 'href="javascript:' not in html and "javascript:alert(3)" in html
    assert 'onmouseover="' not in html
    graph_data = html[html.index('id="elements">') :]
    assert "\\u003cscript\\u003e" in graph_data  # JSON in the page cannot close its <script>
    search = httpx.get(f"{hostile}/search", params={"q": "<script>alert(1)</script>"}).text
    assert "<script>alert" not in search


def test_no_machine_path_in_a_page(server: str) -> None:
    for path in ("/entity/liao-chunsheng", "/document/002", "/ontology/Post", "/query"):
        assert str(Path(REPO)) not in httpx.get(f"{server}{path}").text
