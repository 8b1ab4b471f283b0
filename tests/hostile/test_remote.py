"""`kg push` and `kg query --endpoint` against a store that trickles, floods, redirects,
answers in HTML or echoes credentials: each request stops at its deadline or its size cap,
goes to no other host, and no credential reaches any output."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from kg import Endpoint, KgError, Project, build, run_query
from kg.ask.limits import Limits
from kg.cli import app
from kg.errors import Refused
from tests.conftest import REPO, Canary, make_project
from tests.hostile.stores import (
    Attack,
    HostileStore,
    Request,
    busy_saying,
    echo,
    flood,
    html,
    redirect,
    trickled_body,
    trickled_head,
)

TOKEN = "tok-3f9a7c1e"
PASSWORD = 's3cret "pw" \\ 100%'  # escaped differently in JSON, in URLs and in base64
NO_CREDENTIALS: dict[str, str | None] = {
    "KG_STORE_TOKEN": None,
    "KG_STORE_USER": None,
    "KG_STORE_PASSWORD": None,
    "NETRC": None,
}


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small build to push: the minimal project."""
    root = make_project(tmp_path_factory.mktemp("push"))
    return build(Project.at(root)).out


@pytest.fixture
def home(tmp_path: Path) -> Iterator[dict[str, str | None]]:
    """An environment with an empty home folder and no credentials."""
    folder = tmp_path / "home"
    folder.mkdir()
    yield {**NO_CREDENTIALS, "HOME": str(folder)}


def push(store: HostileStore, dist: Path, *extra: str, env: dict[str, str | None] | None = None) -> Result:
    return CliRunner().invoke(app, ["push", "--dist", str(dist), *store.push_args(), *extra], env=env)


def endpoint_query(url: str, *extra: str, env: dict[str, str | None] | None = None) -> Result:
    return CliRunner().invoke(app, ["query", "ASK { ?s ?p ?o }", "--endpoint", url, *extra], env=env)


def errors(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("error:")]


@pytest.mark.parametrize(
    ("attack", "what", "path"),
    [
        ({"PUT /store": trickled_head}, "uploading default graph", "/store"),
        (
            {"POST /query": trickled_body("application/sparql-results+json")},
            "listing the store's graphs",
            "/query",
        ),
    ],
    ids=["headers", "body"],
)
def test_a_trickling_server_is_cut_off_at_the_deadline(
    dist: Path, attack: dict[str, Attack], what: str, path: str
) -> None:
    with HostileStore(attack) as store:
        start = time.monotonic()
        result = push(store, dist, "--timeout", "3")
        took = time.monotonic() - start
        tried = [r for r in store.seen if r.path.startswith(path)]
    assert result.exit_code == 2
    assert errors(result) == [
        f"error: {what}: {store.url}{path} gave no complete answer within 3 s; stopped (see --timeout)"
    ]
    assert len(tried) == 1  # not sent again: the server may still be working on it
    assert took < 8, f"the push took {took:.1f} s with --timeout 3"

    with HostileStore({"POST /query": trickled_body("application/sparql-results+json")}) as store:
        start = time.monotonic()
        result = endpoint_query(f"{store.url}/query", "--timeout", "2")
        took = time.monotonic() - start
    assert result.exit_code == 2
    assert errors(result) == [
        f"error: query: {store.url}/query gave no complete answer within 2 s; stopped (see --timeout)"
    ]
    assert took < 7


def _gzip_bomb(request: Request) -> None:
    """2 GiB of zeros, gzip-compressed on the fly into about 2 MB."""
    request.handler.send_response(200)
    request.handler.send_header("Content-Type", "application/n-triples")
    request.handler.send_header("Content-Encoding", "gzip")
    request.handler.end_headers()
    packer, zeros = zlib.compressobj(9, zlib.DEFLATED, 31), bytes(2**20)
    for _ in range(2048):
        if not request.write(packer.compress(zeros)):
            return
    request.write(packer.flush())


# Starts `kg` as a grandchild and writes its peak memory: a child's own peak would count the
# pages of the test process it was forked from, however big that has grown.
_PEAK = """import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.executable, [sys.executable, "-m", "kg", *sys.argv[2:]])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as out:
    out.write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def _measured(args: list[str], env: dict[str, str], limit: float) -> tuple[int, str, int]:
    """Run `kg` in a process of its own: its exit code, its standard error, and its peak
    resident memory in MiB; killed after `limit` seconds."""
    with tempfile.TemporaryFile() as stderr, tempfile.NamedTemporaryFile("r") as peak:
        process = subprocess.Popen(
            [sys.executable, "-c", _PEAK, peak.name, *args],
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            env=env,
            start_new_session=True,
        )
        killer = threading.Timer(limit, os.killpg, (process.pid, signal.SIGKILL))
        killer.start()
        code = process.wait()
        killer.cancel()
        stderr.seek(0)
        return code, stderr.read().decode(), int(peak.read() or 0) // 1024


@pytest.mark.parametrize(
    ("attack", "message"),
    [
        (flood(2 * 2**30, declared=False), "answers more than {cap} bytes; stopped reading"),
        (flood(2 * 2**30, declared=True), "answers 2147483648 bytes; the limit is {cap}"),
        (_gzip_bomb, "answers more than {cap} bytes; stopped reading"),
    ],
    ids=["streamed", "declared", "gzip-bomb"],
)
def test_an_oversized_answer_stops_at_the_cap_in_bounded_memory(
    dist: Path, attack: Attack, message: str
) -> None:
    triples = len((dist / "graph.nt").read_bytes().splitlines())
    cap = triples * 4096 + 2**20  # kg.store.push: the read-back's cap
    env = {**os.environ, "PYTHONPATH": str(REPO), "NETRC": os.devnull}
    with HostileStore({"GET /store": attack}) as store:
        code, stderr, peak = _measured(["push", "--dist", str(dist), *store.push_args()], env, 120)
    lines = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert code == 2
    assert lines == [f"error: reading back default graph: {store.url}/store " + message.format(cap=cap)]
    assert peak < 400, f"kg push reached {peak} MiB on a 2 GiB answer"


def test_an_oversized_endpoint_answer_stops_at_the_byte_limit() -> None:
    with HostileStore({"POST /query": flood(2 * 2**30, False, "application/n-triples")}) as store:
        url = f"{store.url}/query"
        with (
            Endpoint(url, limits=Limits(max_bytes=2**20)) as remote,
            pytest.raises(Refused, match=f"^query: {url} answers more than 1048576 bytes; stopped reading$"),
        ):
            run_query(remote, "CONSTRUCT WHERE { ?s ?p ?o }")


def test_a_redirect_to_another_host_is_refused(dist: Path, canary: Canary) -> None:
    elsewhere = canary.url.rsplit("/", 1)[0]
    for status in (301, 302, 303, 307, 308):
        with HostileStore({"PUT /store": redirect(f"{elsewhere}/store", status)}) as store:
            result = push(store, dist)
        assert result.exit_code == 2
        assert errors(result) == [
            f"error: uploading default graph: {store.url}/store redirects to another host "
            f"({elsewhere}/store); not followed"
        ]
    with HostileStore({"POST /query": redirect(canary.url)}) as store:
        result = endpoint_query(f"{store.url}/query")
        port = store.server.server_port
        localhost = endpoint_query(f"http://localhost:{port}/query")  # the same server, by another name
        with HostileStore({"POST /query": redirect(f"http://127.0.0.1:{port}/query")}) as other:
            by_name = endpoint_query(f"{other.url}/query")
    assert result.exit_code == 2
    assert errors(result) == [
        f"error: query: {store.url}/query redirects to another host ({canary.url}); not followed"
    ]
    assert localhost.exit_code == 2 and "redirects to another host" in localhost.stderr
    assert by_name.exit_code == 2 and "redirects to another host" in by_name.stderr


def test_a_redirect_on_the_same_host_is_followed_only_keeping_its_method(dist: Path) -> None:
    with HostileStore({"POST /update": redirect("/update-here", 308)}) as store:
        kept = push(store, dist)
        moved = [r.method + " " + r.path for r in store.seen if r.path.startswith("/update")]
    assert kept.exit_code == 1  # the hostile store holds nothing, so the read-back differs
    assert "the store does not hold what was pushed" in kept.stderr
    assert moved == ["POST /update", "POST /update-here"]

    with HostileStore({"POST /store": redirect("/store?graph=x", 303)}) as store:
        as_get = push(store, dist)
    assert as_get.exit_code == 2
    assert errors(as_get)[0].endswith("redirects the POST request as a GET; not followed")

    with HostileStore({"PUT /store": redirect("/store", 307)}) as store:
        looping = push(store, dist)
    assert errors(looping) == [
        f"error: uploading default graph: {store.url}/store redirects more than 5 times"
    ]


@pytest.mark.parametrize("request_line", ["PUT /store", "POST /store", "POST /update", "GET /store"])
def test_an_html_answer_is_an_error_not_success(dist: Path, request_line: str) -> None:
    with HostileStore({request_line: html()}) as store:
        result = push(store, dist)
    assert result.exit_code == 1
    [line] = errors(result)
    path = request_line.split()[1]
    assert line.endswith(f"{store.url}{path} answered 200 with an HTML page, not a store's answer")


def test_an_html_answer_to_a_query_is_an_error_not_a_syntax_error() -> None:
    with HostileStore({"POST /query": html()}) as store:
        result = endpoint_query(f"{store.url}/query")
        with Endpoint(f"{store.url}/query") as remote, pytest.raises(KgError) as raised:
            run_query(remote, "SELECT * WHERE { ?s ?p ?o }")
    expected = f"query: {store.url}/query answered 200 with an HTML page, not a store's answer"
    assert result.exit_code == 1 and errors(result) == [f"error: {expected}"]
    assert str(raised.value) == expected
    with HostileStore({"POST /query": html(500)}) as store:
        failed = endpoint_query(f"{store.url}/query")
    assert failed.exit_code == 1 and "SPARQL syntax error" not in failed.stderr
    assert errors(failed) == [
        f"error: query: {store.url}/query answered 500 Internal Server Error: <!DOCTYPE html><html><body>"
        "<h1>Welcome to nginx!</h1></body></html>"
    ]
    with HostileStore({"POST /query": lambda r: r.answer(200, b"<html>", "text/plain")}) as store:
        plain = endpoint_query(f"{store.url}/query")
    assert errors(plain) == [
        f"error: query: {store.url}/query answered in 'text/plain', "
        "not application/n-triples or application/sparql-results+json"
    ]


def _leaked(text: str, secret: str) -> list[str]:
    """The forms of `secret` found in `text`, down to a prefix of eight characters."""
    return [form for form in (secret, secret[:8]) if form in text]


@pytest.mark.parametrize("padding", [0, 290], ids=["whole", "at-the-cut"])
def test_credentials_echoed_by_a_server_are_never_shown(
    dist: Path, home: dict[str, str | None], padding: int
) -> None:
    netrc = Path(str(home["HOME"])) / ".netrc"
    quoted = PASSWORD.replace("\\", "\\\\").replace('"', '\\"')
    netrc.write_text(f'machine 127.0.0.1 login analyst password "{quoted}"\n', encoding="utf-8")
    with HostileStore({"PUT /store": echo(padding=padding), "POST /query": echo(padding=padding)}) as store:
        sources = {
            "bearer": {**home, "KG_STORE_TOKEN": TOKEN},
            "environment": {**home, "KG_STORE_USER": "analyst", "KG_STORE_PASSWORD": PASSWORD},
            "netrc": home,
        }
        for source, env in sources.items():
            secret = TOKEN if source == "bearer" else PASSWORD
            pushed = push(store, dist, env=env)
            asked = endpoint_query(f"{store.url}/query", env=env)
            for result in (pushed, asked):
                assert result.exit_code == 1, source
                assert "answered 500 Internal Server Error" in result.stderr, source
                assert "***" in result.stderr, source
                assert _leaked(result.stdout + result.stderr, secret) == [], source
            with pytest.MonkeyPatch.context() as patch:
                for name, value in env.items():
                    patch.delenv(name, raising=False) if value is None else patch.setenv(name, value)
                with Endpoint(f"{store.url}/query") as remote, pytest.raises(KgError) as raised:
                    run_query(remote, "ASK { ?s ?p ?o }")
            assert _leaked(str(raised.value), secret) == [], source
        seen = {r.headers.get("Authorization", "")[:6] for r in store.seen}
    assert seen == {"", "Bearer", "Basic "}  # every source was sent (a password once the store asks)


def test_credentials_in_the_url_are_never_shown(dist: Path, home: dict[str, str | None]) -> None:
    with HostileStore({"POST /query": echo()}) as store:
        url = store.url.replace("http://", "http://analyst:s3cret-in-url@") + "/query"
        result = endpoint_query(url, env=home)
    assert result.exit_code == 1 and "***" in result.stderr
    assert _leaked(result.stdout + result.stderr, "s3cret-in-url") == []
    assert f"error: query: {store.url}/query answered 500" in result.stderr


def test_a_reason_phrase_that_echoes_the_token_is_blanked_out(
    dist: Path, home: dict[str, str | None]
) -> None:
    with HostileStore({"PUT /store": busy_saying(f"Busy, dear {TOKEN}")}) as store:
        result = push(store, dist, "--retries", "1", env={**home, "KG_STORE_TOKEN": TOKEN})
    assert result.exit_code == 1
    assert "warning: uploading default graph: 503 Busy, dear ***; retrying in 0 s" in result.stderr
    assert errors(result) == [
        f"error: uploading default graph: {store.url}/store answered 503 Busy, dear ***: "
    ]
    assert _leaked(result.stdout + result.stderr, TOKEN) == []


def test_a_malformed_netrc_is_a_clear_error(dist: Path, home: dict[str, str | None]) -> None:
    netrc = Path(str(home["HOME"])) / ".netrc"
    netrc.write_text("machine 127.0.0.1 login analyst password pw\nbogus\n", encoding="utf-8")
    with HostileStore() as store:
        result = push(store, dist, env=home)
        asked = endpoint_query(f"{store.url}/query", env=home)
        sent = len(store.seen)
    for outcome in (result, asked):
        assert outcome.exit_code == 1
        assert errors(outcome) == [f"error: {netrc}: malformed netrc file: bad follower token 'bogus'"]
    assert sent == 0


@pytest.mark.parametrize(
    ("option", "url", "message"),
    [
        (
            "--store",
            "ftp://127.0.0.1/store",
            "--store: ftp://127.0.0.1/store is not an http:// or https:// URL with a host",
        ),
        ("--query", "not a url", "--query: not%20a%20url is not an http:// or https:// URL with a host"),
        (
            "--update",
            "http://127.0.0.1:99999/u",
            "--update: http://127.0.0.1:99999/u has no valid port (99999)",
        ),
        ("--store", "http://[::1/store", "--store: not a valid URL (Invalid port: ':1')"),
        ("--store", "http://\udcff/store", "--store: not a valid URL (Invalid IDNA hostname: '\\udcff')"),
    ],
)
def test_store_urls_are_checked_before_anything_is_sent(
    dist: Path, option: str, url: str, message: str
) -> None:
    with HostileStore() as store:
        args = {
            "--store": f"{store.url}/store",
            "--query": f"{store.url}/query",
            "--update": f"{store.url}/u",
        }
        args[option] = url
        result = CliRunner().invoke(
            app, ["push", "--dist", str(dist), *(x for kv in args.items() for x in kv)]
        )
        sent = len(store.seen)
    assert result.exit_code == 1 and errors(result) == [f"error: {message}"]
    assert sent == 0
    if option == "--query":
        asked = endpoint_query(url)
        assert asked.exit_code == 1 and errors(asked) == [f"error: {message.replace('--query', 'query')}"]


def test_a_graph_name_cannot_smuggle_in_an_update(dist: Path) -> None:
    with HostileStore() as store:
        result = push(store, dist, "--graph", "http://x> . DROP ALL ; <http://y")
        sent = len(store.seen)
    assert result.exit_code == 1 and sent == 0
    assert errors(result) == [
        "error: --graph: 'http://x> . DROP ALL ; <http://y' is not a valid IRI (Invalid IRI code point '>')"
    ]


def _listing(*graphs: str) -> Attack:
    rows = ",".join(f'{{"g":{{"type":"uri","value":"{g}"}}}}' for g in graphs)
    body = f'{{"head":{{"vars":["g"]}},"results":{{"bindings":[{rows}]}}}}'.encode()
    return lambda request: request.answer(200, body, "application/sparql-results+json")


def test_only_graphs_kg_made_are_dropped_whatever_the_store_lists(dist: Path) -> None:
    ours = "https://w3id.org/sovereignty-kg/graph/document-999"
    with HostileStore(
        {"POST /query": _listing("urn:someone:else", "http://example.org/precious", ours)}
    ) as store:
        push(store, dist)
        [update] = [r.body.decode() for r in store.seen if r.path == "/update"]
    assert "DROP SILENT GRAPH <https://w3id.org/sovereignty-kg/graph/document-999>" in update
    assert "someone" not in update and "precious" not in update
    with HostileStore({"POST /query": _listing("urn:x> . DROP ALL ; <urn:y")}) as store:
        result = push(store, dist)
        updates = [r for r in store.seen if r.path == "/update"]
    assert result.exit_code == 1 and updates == []
    assert errors(result)[0].startswith(
        f"error: listing the store's graphs: {store.url}/query answered damaged SPARQL JSON ("
    )


def test_an_answer_cannot_write_to_the_terminal(home: dict[str, str | None]) -> None:
    """Control characters and rich markup in an endpoint's answer are shown, not obeyed."""
    value = "\u001b[2J\u001b]0;owned\u0007[link=http://x/]click[/link]\nnext"
    body = json.dumps(
        {"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "literal", "value": value}}]}}
    ).encode()
    with HostileStore(
        {"POST /query": lambda r: r.answer(200, body, "application/sparql-results+json")}
    ) as store:
        for fmt in ("table", "md"):
            result = CliRunner().invoke(
                app,
                [
                    "query",
                    "SELECT ?x WHERE { ?s ?p ?x }",
                    "--endpoint",
                    f"{store.url}/query",
                    "--format",
                    fmt,
                ],
                env=home,
            )
            assert result.exit_code == 0, result.stderr
            assert not any(c in result.stdout for c in "\x1b\x07")
            assert "\\x1b[2J\\x1b]0;owned\\x07[link=http://x/]click[/link]\\nnext" in result.stdout
