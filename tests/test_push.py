"""`kg push` and `kg query --endpoint` against a real Oxigraph server (started by the tests
on a free loopback port), and through a gateway that demands credentials, answers 503, or
loses data on the way."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from typer.testing import CliRunner, Result

from kg import BuildReport
from kg.ask.catalogue import catalogue
from kg.ask.expected import answer, expected_file
from kg.ask.remote import Endpoint
from kg.cli import app
from kg.store.http import retry_after
from kg.store.push import DEFAULT, STAGING, _staging, digest
from tests.conftest import REPO
from tests.servers import Gateway, OxigraphServer

PASSWORD = "s3cret-pw"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[OxigraphServer]:
    running = OxigraphServer(tmp_path / "store").start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def local(seed_build: BuildReport) -> dict[str, int]:
    """Triples per graph of the build, with the inferred ones ("" is the merged graph)."""
    out = seed_build.out
    merged = {*_lines(out / "graph.nt"), *_lines(out / "inferred.nt")}
    named = Counter(line[:-2].rsplit(" ", 1)[1][1:-1] for line in _lines(out / "graph.nq"))
    return {"": len(merged), **named}


def push(base: str, dist: Path, *extra: str, env: dict[str, str | None] | None = None) -> Result:
    args = ["push", "--dist", str(dist), "--store", f"{base}/store", "--query", f"{base}/query"]
    return CliRunner().invoke(app, [*args, "--update", f"{base}/update", "--inferred", *extra], env=env)


def kg_graphs(server: OxigraphServer) -> dict[str, int]:
    """The counts of the server's graphs, without staging graphs."""
    return {g: n for g, n in server.counts().items() if not g.startswith(STAGING)}


def test_push_mirrors_the_build_and_verifies_it(
    server: OxigraphServer, seed_build: BuildReport, local: dict[str, int]
) -> None:
    result = push(server.url, seed_build.out)
    assert result.exit_code == 0, result.stderr
    assert server.counts() == local
    assert f"Pushed {sum(local.values())} triples in {len(local)} graph(s)" in result.stdout
    assert "verified: counts and digests." in result.stdout


def test_every_catalogue_query_answers_the_same_on_the_server(
    server: OxigraphServer, seed_build: BuildReport, seed_store: object
) -> None:
    assert push(server.url, seed_build.out).exit_code == 0
    with Endpoint(f"{server.url}/query") as endpoint:
        for name, query in catalogue().items():
            expected = expected_file(REPO, name).read_text(encoding="utf-8")
            assert answer(endpoint, query) == expected, name
    args = ["query", "--name", "departures", "-p", "org=ent:china-rare-earth-holdings", "-p", "from=2025"]
    args += ["-p", "to=2025", "--format", "csv"]
    remote = CliRunner().invoke(app, [*args, "--endpoint", f"{server.url}/query"])
    embedded = CliRunner().invoke(app, [*args, "--graph", str(seed_build.out)])
    assert remote.exit_code == 0 and remote.stdout == embedded.stdout
    assert "Liao Chunsheng" in remote.stdout


def test_pushing_twice_gives_the_same_graphs(
    server: OxigraphServer, seed_build: BuildReport, local: dict[str, int]
) -> None:
    first = push(server.url, seed_build.out)
    second = push(server.url, seed_build.out)
    assert first.exit_code == second.exit_code == 0
    assert server.counts() == local  # no staging graph left, nothing doubled


def test_stale_kg_graphs_are_dropped_and_other_graphs_kept(
    server: OxigraphServer, seed_build: BuildReport, local: dict[str, int]
) -> None:
    stale, foreign = "https://w3id.org/sovereignty-kg/graph/document-999", "urn:example:other"
    httpx.post(
        f"{server.url}/update",
        content=f"INSERT DATA {{ GRAPH <{stale}> {{ <urn:a> <urn:b> <urn:c> }} GRAPH <{foreign}> {{ <urn:a> <urn:b> <urn:c> }} }}",
        headers={"Content-Type": "application/sparql-update"},
    ).raise_for_status()
    result = push(server.url, seed_build.out, "--no-verify-hash")
    assert result.exit_code == 0
    assert "Dropped 1 stale graph(s)." in result.stdout
    assert server.counts() == {**local, foreign: 1}


def test_a_dataset_push_drops_staging_graphs_left_by_a_failed_push(
    server: OxigraphServer, seed_build: BuildReport, local: dict[str, int]
) -> None:
    leftovers = [_staging(DEFAULT), _staging("https://w3id.org/sovereignty-kg/graph/document-000")]
    junk = " ".join(f"GRAPH <{g}> {{ <urn:junk> <urn:junk> <urn:junk> }}" for g in leftovers)
    httpx.post(
        f"{server.url}/update",
        content=f"INSERT DATA {{ {junk} }}",
        headers={"Content-Type": "application/sparql-update"},
    ).raise_for_status()
    result = push(server.url, seed_build.out, "--chunk-size", "1000000")
    assert result.exit_code == 0, result.stderr
    assert server.counts() == local  # the junk was not moved in with the staged triples
    # Oxigraph loads datasets: the ground triples of every graph go in one N-Quads POST, not a
    # PUT and a POST per graph (listing, dropping, a PUT per graph with blank nodes, the POST,
    # the swap, and one read-back per graph).
    requests = int(re.search(r"(\d+) requests", result.stdout)[1])  # type: ignore[index]
    assert requests < 2 * len(local)


def test_a_push_larger_than_the_swap_size_is_swapped_in_by_several_updates(
    server: OxigraphServer, seed_build: BuildReport, local: dict[str, int]
) -> None:
    assert push(server.url, seed_build.out).exit_code == 0
    result = push(server.url, seed_build.out, "--swap-size", "5000")
    assert result.exit_code == 0, result.stderr
    assert server.counts() == local
    named = sum(count for graph, count in local.items() if graph)
    updates = int(re.search(r"Swapped in by (\d+) updates, each atomic", result.stdout)[1])  # type: ignore[index]
    assert updates >= named // 5000 + 1  # the named graphs in groups, the default graph alone
    assert f"swapping the new graphs in ({updates} of {updates})" in result.stderr
    whole = push(server.url, seed_build.out, "--swap-size", "0")
    assert whole.exit_code == 0 and "Swapped in by" not in whole.stdout


def test_the_digest_ignores_order_and_blank_node_labels_but_not_a_change(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("kg.store.push.DIGEST_CHUNK", 2)  # several chunks
    xsd = "http://www.w3.org/2001/XMLSchema#"
    text = "\n".join(
        [
            "<urn:a> <urn:p> _:x .",
            f'_:x <urn:q> "1"^^<{xsd}integer> .',
            "_:x <urn:r> _:y .",
            f'<urn:a> <urn:s> "05"^^<{xsd}nonNegativeInteger> .',
            '<urn:b> <urn:p> "text"@en .',
        ]
    )
    triples = [q.triple for q in ox.parse(text, format=ox.RdfFormat.N_TRIPLES)]
    count, value = digest(triples)
    relabelled = [q.triple for q in ox.parse(text.replace("_:x", "_:other"), format=ox.RdfFormat.N_TRIPLES)]
    stored = ox.Store()  # as a store gives them back: "05" normalised, in its own order
    stored.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    assert count == 5
    assert digest(reversed(relabelled)) == (5, value)
    assert digest(q.triple for q in stored) == (5, value)
    changed = [
        q.triple for q in ox.parse(text.replace('"text"@en', '"text."@en'), format=ox.RdfFormat.N_TRIPLES)
    ]
    assert digest(changed)[1] != value


def test_pushing_into_one_named_graph_touches_nothing_else(
    server: OxigraphServer, seed_build: BuildReport, local: dict[str, int]
) -> None:
    assert push(server.url, seed_build.out).exit_code == 0
    result = push(server.url, seed_build.out, "--graph", "urn:example:sovereignty")
    assert result.exit_code == 0, result.stderr
    assert server.counts() == {**local, "urn:example:sovereignty": local[""]}


def test_union_pushes_the_provenance_graphs_only(
    server: OxigraphServer, seed_build: BuildReport, local: dict[str, int]
) -> None:
    result = push(server.url, seed_build.out, "--union")
    assert result.exit_code == 0, result.stderr
    named = {graph: count for graph, count in local.items() if graph}
    assert server.counts() == {"": 0, **named}
    assert f"Pushed {sum(named.values())} triples in {len(named)} graph(s)" in result.stdout
    both = push(server.url, seed_build.out, "--union", "--graph", "urn:example:sovereignty")
    assert both.exit_code == 1
    assert "error: push into one named graph (--graph) or the provenance graphs only (--union), not both" in (
        both.stderr
    )
    assert server.counts() == {"": 0, **named}


def test_a_server_stopped_mid_push_fails_clearly_and_the_next_push_completes(
    server: OxigraphServer, seed_build: BuildReport, local: dict[str, int]
) -> None:
    assert push(server.url, seed_build.out).exit_code == 0
    base = server.url
    command = [sys.executable, "-m", "kg", "push", "--dist", str(seed_build.out), "--store", f"{base}/store"]
    command += ["--query", f"{base}/query", "--update", f"{base}/update", "--inferred"]
    process = subprocess.Popen(
        [*command, "--chunk-size", "300", "--retries", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert process.stderr is not None
    chunks = 0
    for line in process.stderr:
        chunks += "uploading default graph:" in line
        if chunks == 10:  # of about 50
            server.stop()
            break
    _, rest = process.communicate(timeout=60)
    assert process.returncode == 1
    assert "error: uploading default graph: cannot reach" in rest and "after 2 attempt(s)" in rest
    assert "Traceback" not in rest

    server.start()
    assert kg_graphs(server) == local  # readers still see the previous push, whole
    result = push(server.url, seed_build.out)
    assert result.exit_code == 0, result.stderr
    assert server.counts() == local


def test_credentials_from_the_environment_or_netrc_and_never_printed(
    server: OxigraphServer, seed_build: BuildReport, local: dict[str, int], tmp_path: Path
) -> None:
    gateway = Gateway(server.url, credentials=("analyst", PASSWORD))
    no_env: dict[str, str | None] = {"KG_STORE_USER": None, "KG_STORE_PASSWORD": None, "KG_STORE_TOKEN": None}
    try:
        refused = push(
            gateway.url, seed_build.out, "--no-verify-hash", env={**no_env, "NETRC": str(tmp_path / "none")}
        )
        assert refused.exit_code == 1
        assert "refused the credentials (401)" in refused.stderr

        wrong = push(
            gateway.url,
            seed_build.out,
            "--no-verify-hash",
            env={**no_env, "KG_STORE_USER": "analyst", "KG_STORE_PASSWORD": "nope"},
        )
        assert wrong.exit_code == 1 and "nope" not in wrong.stdout + wrong.stderr

        from_env = push(
            gateway.url,
            seed_build.out,
            "--no-verify-hash",
            env={**no_env, "KG_STORE_USER": "analyst", "KG_STORE_PASSWORD": PASSWORD},
        )
        assert from_env.exit_code == 0, from_env.stderr
        assert PASSWORD not in from_env.stdout + from_env.stderr

        netrc = tmp_path / "netrc"
        netrc.write_text(f"machine 127.0.0.1 login analyst password {PASSWORD}\n", encoding="utf-8")
        netrc.chmod(0o600)
        from_netrc = push(
            gateway.url, seed_build.out, "--no-verify-hash", env={**no_env, "NETRC": str(netrc)}
        )
        assert from_netrc.exit_code == 0, from_netrc.stderr

        in_url = gateway.url.replace("http://", f"http://analyst:{PASSWORD}@")
        from_url = push(
            in_url, seed_build.out, "--no-verify-hash", env={**no_env, "NETRC": str(tmp_path / "none")}
        )
        assert from_url.exit_code == 0, from_url.stderr
        assert PASSWORD not in from_url.stdout + from_url.stderr
        assert f"Pushed to {gateway.url}/store" in from_url.stdout
    finally:
        gateway.close()
    assert kg_graphs(server) == local


def test_a_bearer_token_from_the_environment(server: OxigraphServer, seed_build: BuildReport) -> None:
    gateway = Gateway(server.url, token="tok-123")
    try:
        result = push(gateway.url, seed_build.out, "--no-verify-hash", env={"KG_STORE_TOKEN": "tok-123"})
        assert result.exit_code == 0, result.stderr
        assert {seen.authorization for seen in gateway.seen} == {"Bearer tok-123"}
    finally:
        gateway.close()


def test_busy_answers_are_retried_after_the_time_the_server_asks(
    server: OxigraphServer, seed_build: BuildReport, local: dict[str, int]
) -> None:
    gateway = Gateway(server.url, failures=[503, 429], retry_after="1")
    try:
        result = push(gateway.url, seed_build.out)
    finally:
        gateway.close()
    assert result.exit_code == 0, result.stderr
    assert result.stderr.count("503 Service Unavailable; retrying in 1 s") == 1
    assert result.stderr.count("429 Too Many Requests; retrying in 1 s") == 1
    first, second, third = gateway.seen[:3]
    assert (first.status, second.status, third.status) == (503, 429, 200)  # 200: the store's graphs listed
    assert second.at - first.at >= 1 and third.at - second.at >= 1
    assert server.counts() == local


def test_retries_give_up_with_the_servers_answer(server: OxigraphServer, seed_build: BuildReport) -> None:
    gateway = Gateway(server.url, failures=[503, 503, 503], retry_after="0")
    try:
        result = push(gateway.url, seed_build.out, "--retries", "2")
    finally:
        gateway.close()
    assert result.exit_code == 1
    assert "error: listing the store's graphs: " in result.stderr
    assert "answered 503 Service Unavailable: busy" in result.stderr


def test_a_triple_lost_on_the_way_fails_the_count_check(
    server: OxigraphServer, seed_build: BuildReport, local: dict[str, int]
) -> None:
    gateway = Gateway(server.url, alter=_once(lambda body: body[: body.rstrip(b"\n").rfind(b"\n") + 1]))
    try:
        result = push(gateway.url, seed_build.out)
    finally:
        gateway.close()
    assert result.exit_code == 1
    assert (
        "error: the store does not hold what was pushed: default graph: "
        f"{local[''] - 1} in the store, {local['']} here" in result.stderr
    )


def test_a_triple_altered_on_the_way_fails_the_digest_check(
    server: OxigraphServer, seed_build: BuildReport
) -> None:
    label, altered = b'"Liao Chunsheng"@en', b'"Liao Chunsheng?"@en'
    gateway = Gateway(server.url, alter=_once(lambda body: body.replace(label, altered), when=label))
    try:
        result = push(gateway.url, seed_build.out)
    finally:
        gateway.close()
    assert result.exit_code == 1
    assert "error: the store does not hold what was pushed: default graph has digest " in result.stderr
    assert "in the store, " in result.stderr and "here" in result.stderr


def test_push_errors_are_clear(tmp_path: Path, seed_build: BuildReport) -> None:
    result = push("http://127.0.0.1:9", tmp_path)
    assert result.exit_code == 1 and "no built graph in" in result.stderr
    result = push("http://127.0.0.1:9", seed_build.out, "--retries", "0")
    assert result.exit_code == 1
    assert (
        "error: listing the store's graphs: cannot reach http://127.0.0.1:9/query (ConnectError"
        in result.stderr
    )


def test_retry_after_as_seconds_or_a_date() -> None:
    def wait(value: str) -> float | None:
        return retry_after(httpx.Response(503, headers={"Retry-After": value}))

    assert wait("7") == 7
    assert wait("100000") == 120
    assert wait("Wed, 21 Oct 2015 07:28:00 GMT") == 0
    assert wait("soon") is None


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def _once(change: Callable[[bytes], bytes], when: bytes = b" .\n") -> Callable[[str, bytes], bytes]:
    """A gateway alteration applied to the first POST whose body holds `when`."""
    done: list[bool] = []

    def alter(method: str, body: bytes) -> bytes:
        if method != "POST" or done or when not in body:
            return body
        done.append(True)
        return change(body)

    return alter


def test_the_readme_bulk_load_into_oxigraph_gives_the_pushed_dataset(
    seed_build: BuildReport, local: dict[str, int], tmp_path: Path
) -> None:
    runner = CliRunner()
    for name in ("graph.nq", "merged.nt"):
        result = runner.invoke(
            app, ["export", "--graph", str(seed_build.out), "-o", str(tmp_path / name), "--inferred"]
        )
        assert result.exit_code == 0, result.stderr
    server = OxigraphServer(tmp_path / "store")
    load = [server.executable, "load", "--location", str(server.location), "--file"]
    subprocess.run(
        [*load, str(tmp_path / "graph.nq"), str(tmp_path / "merged.nt")], check=True, capture_output=True
    )
    server.start()
    try:
        assert server.counts() == local
    finally:
        server.stop()
