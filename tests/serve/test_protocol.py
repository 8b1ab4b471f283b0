"""The SPARQL 1.1 Protocol at /sparql, over real HTTP, with real clients: every protocol
form and answer format, and every refusal."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, SPARQLWrapper

from kg import BuildReport
from kg.serve.config import ServeConfig
from kg.store.export import context
from tests.conftest import REPO, Canary
from tests.serve.served import served

LABEL = "SELECT ?l WHERE { ent:liao-chunsheng rdfs:label ?l }"
LABEL_TRIPLE = "CONSTRUCT { ent:liao-chunsheng rdfs:label ?l } WHERE { ent:liao-chunsheng rdfs:label ?l }"
LIAO = "https://w3id.org/sovereignty-kg/entity/liao-chunsheng"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
JSON_ANSWER = {
    "head": {"vars": ["l"]},
    "results": {"bindings": [{"l": {"type": "literal", "value": "Liao Chunsheng", "xml:lang": "en"}}]},
}


@pytest.fixture(autouse=True)
def _nothing_reached_the_canary(canary: Canary) -> Iterator[None]:
    yield
    assert canary.hits == []


def test_get_answers_json_by_default(server: str) -> None:
    answer = httpx.get(f"{server}/sparql", params={"query": LABEL})
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/sparql-results+json; charset=utf-8"
    assert answer.headers["vary"] == "Accept"
    assert answer.json() == JSON_ANSWER


@pytest.mark.parametrize(
    ("accept", "asked", "media_type", "body"),
    [
        ("text/csv", None, "text/csv", "l\r\nLiao Chunsheng\r\n"),
        ("text/tab-separated-values", None, "text/tab-separated-values", '?l\n"Liao Chunsheng"@en\n'),
        (
            "application/sparql-results+xml",
            None,
            "application/sparql-results+xml",
            '<literal xml:lang="en">Liao Chunsheng</literal>',
        ),
        ("text/html;q=0.9, text/csv", None, "text/csv", "l\r\nLiao Chunsheng\r\n"),
        ("application/sparql-results+xml", "csv", "text/csv", "l\r\nLiao Chunsheng\r\n"),
        ("*/*", "tsv", "text/tab-separated-values", '?l\n"Liao Chunsheng"@en\n'),
    ],
)
def test_results_in_every_format(
    server: str, accept: str, asked: str | None, media_type: str, body: str
) -> None:
    params = {"query": LABEL} | ({"format": asked} if asked else {})
    answer = httpx.get(f"{server}/sparql", params=params, headers={"Accept": accept})
    assert answer.status_code == 200
    assert answer.headers["content-type"].split(";")[0] == media_type
    assert body in answer.text


def test_post_form_and_post_direct_answer_as_get(server: str) -> None:
    form = httpx.post(f"{server}/sparql", data={"query": LABEL})
    direct = httpx.post(
        f"{server}/sparql", content=LABEL.encode(), headers={"Content-Type": "application/sparql-query"}
    )
    assert form.json() == direct.json() == JSON_ANSWER


@pytest.mark.parametrize(
    ("accept", "parser"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_graphs_in_every_format(server: str, accept: str, parser: str) -> None:
    answer = httpx.get(f"{server}/sparql", params={"query": LABEL_TRIPLE}, headers={"Accept": accept})
    assert answer.status_code == 200
    assert answer.headers["content-type"].split(";")[0] == accept
    graph = rdflib.Graph().parse(data=answer.content, format=parser)
    assert set(graph) == {
        (rdflib.URIRef(LIAO), rdflib.RDFS.label, rdflib.Literal("Liao Chunsheng", lang="en"))
    }


def test_the_service_description(server: str) -> None:
    answer = httpx.get(f"{server}/sparql", headers={"Accept": "text/turtle"})
    graph = rdflib.Graph().parse(data=answer.text, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    assert set(graph.objects(None, sd.endpoint)) == {rdflib.URIRef(f"{server}/sparql")}
    assert rdflib.URIRef("https://w3id.org/sovereignty-kg/graph/document-001") in set(
        graph.objects(None, sd.name)
    )
    assert httpx.get(f"{server}/sparql", headers={"Accept": "text/html"}).headers["location"] == "/query"


def test_sparqlwrapper(server: str) -> None:
    client = SPARQLWrapper(f"{server}/sparql")
    client.setQuery(LABEL)
    client.setReturnFormat(JSON)
    assert client.query().convert() == JSON_ANSWER
    client.setQuery("ASK { ent:liao-chunsheng a kg:Executive }")
    asked = client.query().convert()
    assert isinstance(asked, dict) and asked["boolean"] is True


def test_rdflib_sparqlstore(server: str) -> None:
    graph = rdflib.Graph(store=SPARQLStore(f"{server}/sparql"))
    rows = list(graph.query(f"SELECT ?l WHERE {{ <{LIAO}> <{rdflib.RDFS.label}> ?l }}"))
    assert [str(row[0]) for row in rows] == ["Liao Chunsheng"]  # type: ignore[index]


def test_curl(server: str) -> None:
    done = subprocess.run(
        [
            "curl",
            "-sS",
            "--fail",
            "-H",
            "Accept: text/csv",
            "--data-urlencode",
            f"query={LABEL}",
            f"{server}/sparql",
        ],
        capture_output=True,
        check=True,
    )
    assert done.stdout == b"l\r\nLiao Chunsheng\r\n"


@pytest.mark.parametrize(
    ("request_args", "status", "message"),
    [
        (
            {"method": "POST", "data": {"update": "INSERT DATA { <a:b> <a:c> <a:d> }"}},
            403,
            "updates are not accepted",
        ),
        (
            {
                "method": "POST",
                "content": "DROP ALL",
                "headers": {"Content-Type": "application/sparql-update"},
            },
            403,
            "updates are not accepted",
        ),
        ({"method": "POST", "data": {"query": "INSERT DATA { <a:b> <a:c> <a:d> }"}}, 403, "SPARQL updates"),
        ({"method": "GET", "params": {"query": "LOAD <CANARY>"}}, 403, "SPARQL updates"),
        (
            {"method": "GET", "params": {"query": "SELECT * WHERE { SERVICE <CANARY> { ?s ?p ?o } }"}},
            400,
            "SERVICE is not allowed",
        ),
        (
            {"method": "GET", "params": {"query": "SELECT * FROM <CANARY> WHERE { ?s ?p ?o }"}},
            400,
            "is not allowed",
        ),
        (
            {"method": "GET", "params": {"query": "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }"}},
            400,
            "is not allowed",
        ),
        (
            {"method": "PUT", "content": "<a:b> <a:c> <a:d> .", "headers": {"Content-Type": "text/turtle"}},
            405,
            "only reads",
        ),
        ({"method": "DELETE"}, 405, "only reads"),
        (
            {"method": "POST", "content": "<a:b> <a:c> <a:d> .", "headers": {"Content-Type": "text/turtle"}},
            415,
            "POST a query",
        ),
        (
            {"method": "GET", "params": {"query": "SELECT * WHERE { ?s ?p }"}},
            400,
            "SPARQL syntax error: error at 1:",
        ),
        (
            {"method": "GET", "params": {"query": "SELECT * WHERE " + "{ " * 40 + "?s ?p ?o" + " }" * 40}},
            400,
            "more than 32 levels deep",
        ),
        (
            {"method": "POST", "data": {"query": "SELECT * WHERE { ?s ?p ?o } #" + "x" * 30_000}},
            400,
            "the limit is 20000",
        ),
        ({"method": "POST", "data": {"query": "ASK {} #" + "x" * 70_000}}, 413, "the limit is 65536"),
        ({"method": "GET", "params": {"query": LABEL, "format": "png"}}, 400, "unknown format 'png'"),
    ],
)
def test_refusals_are_one_line_without_trace_or_path(
    server: str, canary: Canary, request_args: dict[str, object], status: int, message: str
) -> None:
    args = json.loads(json.dumps(request_args).replace("CANARY", canary.url))
    answer = httpx.request(url=f"{server}/sparql", **args)
    assert answer.status_code == status, answer.text
    assert answer.text.startswith("error: ") and message in answer.text
    assert answer.text.count("\n") == 1 and "Traceback" not in answer.text and str(REPO) not in answer.text


def test_graph_store_writes_are_refused(server: str) -> None:
    for method in ("POST", "PUT", "DELETE"):
        answer = httpx.request(
            method, f"{server}/store", params={"default": ""}, content=b"<a:b> <a:c> <a:d> ."
        )
        assert answer.status_code == 405
    assert httpx.get(f"{server}/sparql", params={"query": "ASK { <a:b> ?p ?o }"}).json()["boolean"] is False


def test_rows_are_capped_and_the_cut_is_signalled(server: str) -> None:
    answer = httpx.get(
        f"{server}/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"}, headers={"Accept": "text/csv"}
    )
    assert answer.headers["kg-truncated"] == "true"
    assert answer.text.count("\r\n") == 1 + 10_000
    whole = httpx.get(f"{server}/sparql", params={"query": LABEL})
    assert "kg-truncated" not in whole.headers


def test_cors_is_off_by_default(server: str) -> None:
    answer = httpx.get(
        f"{server}/sparql", params={"query": LABEL}, headers={"Origin": "http://elsewhere.test"}
    )
    assert "access-control-allow-origin" not in answer.headers


@pytest.fixture(scope="module")
def tight(seed_build: BuildReport) -> Iterator[str]:
    """A server with two workers per lane, one per client address, a 2 s deadline, nobody
    waiting, and CORS for one origin."""
    config = ServeConfig(
        dist=seed_build.out,
        root=REPO,
        timeout=2.0,
        workers=2,
        max_waiting=0,
        wait_timeout=0.5,
        max_per_client=1,
        retry_after=7,
        cors_origins=("http://allowed.test",),
    )
    with served(config) as url:
        yield url


def from_address(address: str) -> httpx.Client:
    """A client whose requests come from `address` (any 127.x.y.z reaches the server)."""
    return httpx.Client(transport=httpx.HTTPTransport(local_address=address), timeout=30)


def test_a_slow_query_is_stopped_others_get_429_or_503_and_pages_still_answer(tight: str) -> None:
    slow: list[httpx.Response] = []

    def send_slow(address: str, text: str) -> threading.Thread:
        def send() -> None:
            with from_address(address) as client:
                slow.append(client.get(f"{tight}/sparql", params={"query": text}))

        thread = threading.Thread(target=send)
        thread.start()
        return thread

    started = time.monotonic()
    first = send_slow("127.0.0.1", SLOW)
    time.sleep(0.5)
    with from_address("127.0.0.1") as same:  # the same client: its share is taken
        again = same.get(f"{tight}/sparql", params={"query": LABEL})
    assert again.status_code == 429 and again.headers["retry-after"] == "7"
    assert "too many queries at once from one client" in again.text
    second = send_slow("127.0.0.2", SLOW + " # another client's")  # the second worker
    time.sleep(0.5)
    with from_address("127.0.0.3") as third:  # both workers busy, nobody may wait
        busy = third.get(f"{tight}/sparql", params={"query": LABEL})
        assert busy.status_code == 503 and busy.headers["retry-after"] == "7"
        assert "busy" in busy.text
        page = third.get(f"{tight}/entity/liao-chunsheng")  # the pages' own lane
        assert page.status_code == 200 and "Liao Chunsheng" in page.text
    first.join()
    second.join()
    assert [answer.status_code for answer in slow] == [503, 503]
    assert all("ran for more than 2 s and was stopped" in answer.text for answer in slow)
    assert all("retry-after" not in answer.headers for answer in slow)
    assert time.monotonic() - started < 10
    assert httpx.get(f"{tight}/sparql", params={"query": LABEL}).json() == JSON_ANSWER  # fresh workers


def test_cors_when_enabled_for_an_origin(tight: str) -> None:
    allowed = httpx.get(f"{tight}/sparql", params={"query": LABEL}, headers={"Origin": "http://allowed.test"})
    assert allowed.headers["access-control-allow-origin"] == "http://allowed.test"
    other = httpx.get(f"{tight}/sparql", params={"query": LABEL}, headers={"Origin": "http://other.test"})
    assert "access-control-allow-origin" not in other.headers


def test_answers_are_kept_and_revalidated(server: str, seed_build: BuildReport) -> None:
    text = LABEL + " # asked twice"
    first = httpx.get(f"{server}/sparql", params={"query": text})
    again = httpx.get(f"{server}/sparql", params={"query": text})
    assert first.json() == again.json() == JSON_ANSWER
    assert "hit" not in first.headers["server-timing"] and "hit" in again.headers["server-timing"]
    build = hashlib.sha256((seed_build.out / "build.json").read_bytes()).hexdigest()[:16]
    assert first.headers["etag"] == again.headers["etag"] and first.headers["etag"].startswith(f'"{build}-')
    assert first.headers["cache-control"] == "no-cache"
    same = httpx.get(
        f"{server}/sparql", params={"query": text}, headers={"If-None-Match": first.headers["etag"]}
    )
    assert same.status_code == 304 and same.content == b""
    since = {"If-Modified-Since": first.headers["last-modified"]}
    assert httpx.get(f"{server}/sparql", params={"query": text}, headers=since).status_code == 304
    other = httpx.get(f"{server}/sparql", params={"query": text}, headers={"Accept": "text/csv"})
    assert other.text == "l\r\nLiao Chunsheng\r\n" and other.headers["etag"] != first.headers["etag"]
    changed = httpx.get(f"{server}/sparql", params={"query": text}, headers={"If-None-Match": '"other"'})
    assert changed.status_code == 200 and changed.json() == JSON_ANSWER


def test_graphs_in_json_ld_are_compact_with_the_project_context(server: str) -> None:
    answer = httpx.get(
        f"{server}/sparql", params={"query": LABEL_TRIPLE}, headers={"Accept": "application/ld+json"}
    ).json()
    assert answer["@context"] == context()
    assert answer["@id"] == "ent:liao-chunsheng"
    assert answer["rdfs:label"] == {"@language": "en", "@value": "Liao Chunsheng"}


def test_the_json_body_is_the_standard_form(server: str) -> None:
    answer = httpx.get(f"{server}/sparql", params={"query": "ASK { ?s ?p ?o }"})
    assert json.load(io.BytesIO(answer.content)) == {"head": {}, "boolean": True}
