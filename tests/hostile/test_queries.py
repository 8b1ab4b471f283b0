"""Queries that would reach the network or a file, crash a parser, or exhaust the machine:
refused by parsing, or stopped at a documented limit, with exit code 2."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from kg import BuildReport, KgError, labels, run_named, run_query
from kg.ask.limits import Limits
from kg.ask.query import Graph, open_graph
from kg.ask.remote import Endpoint
from kg.cli import app
from kg.errors import Refused
from kg.vocab import SKOS
from tests.conftest import REPO, Canary


def _federated(url: str) -> list[str]:
    return [
        f"SELECT * WHERE {{ ?e a kg:Person . SERVICE<{url}> {{?s ?p ?x}} }} LIMIT 1",
        f"select * where {{ service silent <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SeRvIcE # a comment\n <{url}> {{ ?s ?p ?o }} }}",
        f"PREFIX far: <{url.rsplit('/', 1)[0]}/> SELECT * WHERE {{ SERVICE far:sparql {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"ASK {{ FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
        f"SELECT * WHERE {{ {{ SELECT ?s WHERE {{ OPTIONAL {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }} }}",
        "SELECT * WHERE { BIND (<" + url + "> AS ?u) SERVICE ?u { ?s ?p ?o } }",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    ]


def test_service_in_any_spelling_is_refused(seed_store: Graph, canary: Canary) -> None:
    for query in _federated(canary.url):
        with pytest.raises(Refused, match="SERVICE is not allowed"):
            run_query(seed_store, query)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * FROM <{url}> WHERE { ?s ?p ?o }",
        "SELECT * FROM NAMED <file:///etc/passwd> WHERE { GRAPH ?g { ?s ?p ?o } }",
        "ASK FROM <{url}> { }",
    ],
)
def test_from_with_a_foreign_iri_is_refused(seed_store: Graph, canary: Canary, query: str) -> None:
    with pytest.raises(Refused, match="is not allowed: a query may name only the build's graphs"):
        run_query(seed_store, query.replace("{url}", canary.url))


def test_from_a_graph_of_the_build_is_fine(seed_store: Graph) -> None:
    result = run_query(
        seed_store, "SELECT (COUNT(*) AS ?n) FROM graph:document-002 WHERE { ?s a kg:Article }"
    )
    assert result.rows[0][0] == ox.Literal(
        "1", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
    )


@pytest.mark.parametrize(
    "query",
    ["INSERT DATA { <urn:a> <urn:b> <urn:c> }", "LOAD <{url}>", "CLEAR ALL", "DELETE WHERE { ?s ?p ?o }"],
)
def test_updates_are_refused(seed_store: Graph, canary: Canary, query: str) -> None:
    with pytest.raises(Refused, match=r"updates .* are not allowed"):
        run_query(seed_store, query.replace("{url}", canary.url))


def test_the_cli_and_an_endpoint_refuse_before_anything_is_sent(
    seed_build: BuildReport, canary: Canary
) -> None:
    for query in _federated(canary.url)[:3]:
        local = CliRunner().invoke(app, ["query", query, "--graph", str(seed_build.out)])
        remote = CliRunner().invoke(app, ["query", query, "--endpoint", canary.url])
        for result in (local, remote):
            assert result.exit_code == 2
            assert result.stderr.strip() == "error: SERVICE is not allowed: kg runs no federated queries"


DEEP = "SELECT * WHERE " + "{" * 5000 + "}" * 5000
DEEP_EXPRESSION = "SELECT * WHERE { FILTER (" + "(" * 5000 + "1" + ")" * 5000 + ") }"
HIDDEN = "SELECT * WHERE { ?s ?p <urn:x#> . FILTER (" + "(" * 3000 + "1" + ")" * 3000 + ") }"


@pytest.mark.parametrize("query", [DEEP, DEEP_EXPRESSION, HIDDEN])
def test_deep_nesting_is_refused_before_any_parser(seed_store: Graph, canary: Canary, query: str) -> None:
    with pytest.raises(Refused, match="nests brackets more than 64 levels deep"):
        run_query(seed_store, query)
    with Endpoint(canary.url) as remote, pytest.raises(Refused, match="more than 64 levels"):
        run_query(remote, query)


def test_nesting_within_the_limit_runs(seed_store: Graph) -> None:
    query = "ASK { FILTER (" + "(" * 40 + "true" + ")" * 40 + ") }"
    assert run_query(seed_store, query).boolean is True


def test_an_overlong_query_is_refused(seed_store: Graph) -> None:
    query = "SELECT * WHERE { ?s ?p ?o }" + " " * 100_000
    with pytest.raises(Refused, match="characters long; the limit is 100000"):
        run_query(seed_store, query)


CARTESIAN = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def test_a_runaway_query_is_stopped_at_the_deadline_and_the_next_one_runs(seed_build: BuildReport) -> None:
    with open_graph(seed_build.out, Limits(timeout=2)) as graph:
        with pytest.raises(Refused, match="ran for more than 2 s and was stopped"):
            run_query(graph, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
        assert run_query(graph, "ASK { ent:liao-chunsheng a kg:Person }").boolean is True


def test_rows_are_capped_and_the_cut_is_marked(seed_store: Graph, seed_build: BuildReport) -> None:
    result = run_query(seed_store, CARTESIAN, limits=Limits(max_rows=7))
    assert len(result.rows) == 7 and result.truncated
    whole = run_query(seed_store, "SELECT ?l WHERE { ent:liao-chunsheng skos:altLabel ?l }")
    assert not whole.truncated
    cli = CliRunner().invoke(
        app, ["query", CARTESIAN, "--max-rows", "5", "--format", "tsv", "--graph", str(seed_build.out)]
    )
    assert cli.exit_code == 0
    assert len(cli.stdout.splitlines()) == 6  # the header and five rows
    assert "warning: the answer was cut at the row or size limit" in cli.stderr


def test_memory_is_capped(seed_build: BuildReport) -> None:
    """The cap is what the loaded graph takes plus --memory: the graph loads and small
    queries run, a query that sorts a cross product is stopped, and the next one runs."""
    hungry = "SELECT ?a ?c ?f WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f LIMIT 1"
    with open_graph(seed_build.out, Limits(memory_mb=256)) as graph:
        assert run_query(graph, "ASK { ?s ?p ?o }").boolean
        with pytest.raises(Refused, match="256 MiB"):
            run_query(graph, hungry)
        assert run_query(graph, "ASK { ?s ?p ?o }").boolean


def test_cli_refusals_are_one_line_with_exit_code_2(seed_build: BuildReport) -> None:
    for query in (DEEP, "SELECT * WHERE { ?s ?p ?o }" + " " * 100_000, "LOAD <http://127.0.0.1:9/x>"):
        result = CliRunner().invoke(app, ["query", query, "--graph", str(seed_build.out)])
        assert result.exit_code == 2
        assert len(result.stderr.strip().splitlines()) == 1
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    slow = CliRunner().invoke(app, ["query", count, "--timeout", "1", "--graph", str(seed_build.out)])
    assert slow.exit_code == 2
    assert slow.stderr.strip() == "error: the query ran for more than 1 s and was stopped"


def test_parameters_are_terms_whatever_the_query_text_holds(seed_store: Graph, canary: Canary) -> None:
    text = 'SELECT ?l WHERE { ?s skos:altLabel ?l FILTER (?l != "a \\"quoted\\" < text" && 1 < 2) }'
    rows = run_query(
        seed_store, text, {"s": ox.NamedNode("https://w3id.org/sovereignty-kg/entity/liao-chunsheng")}
    )
    assert [r.value for (r,) in rows.rows] == ["Chunsheng Liao"]  # type: ignore[union-attr]
    hostile = f'x" }} SERVICE <{canary.url}> {{ ?a ?b ?c }} #'
    assert run_query(seed_store, "SELECT ?s WHERE { ?s rdfs:label ?name }", {"name": hostile}).rows == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["query", "SELECT ?s WHERE { ?s ?p ?o }", "-p", "s=<http://x y>"],
            "parameter s: 'http://x y' is not a valid IRI",
        ),
        (["show", "<http://x y>"], "parameter entity: 'http://x y' is not a valid IRI"),
        (["query", "--name", "group-units", "-p", "group=ent:a b"], "is not an IRI, a CURIE or an entity id"),
    ],
)
def test_an_iri_with_a_space_is_a_clear_error(seed_build: BuildReport, args: list[str], message: str) -> None:
    result = CliRunner().invoke(app, [*args, "--graph", str(seed_build.out)])
    assert result.exit_code == 1
    assert message in result.stderr and "Traceback" not in result.output


def test_a_syntax_error_points_into_the_users_own_text(seed_store: Graph) -> None:
    with pytest.raises(KgError, match="SPARQL syntax error: error at 3:"):
        run_query(seed_store, "SELECT ?s\nWHERE {\n  ?s ent:x }")


def test_the_short_construct_form_runs_with_and_without_parameters(seed_store: Graph) -> None:
    liao = ox.NamedNode("https://w3id.org/sovereignty-kg/entity/liao-chunsheng")
    alias = ox.Triple(liao, ox.NamedNode(str(SKOS.altLabel)), ox.Literal("Chunsheng Liao", language="en"))
    assert run_query(seed_store, "CONSTRUCT WHERE { ent:liao-chunsheng skos:altLabel ?l }").triples == [alias]
    bound = run_query(seed_store, "CONSTRUCT WHERE { ?s skos:altLabel ?l }", {"s": liao})
    assert bound.triples == [alias]
    with pytest.raises(KgError, match=r"^cannot bind parameters into CONSTRUCT WHERE \{…\} VALUES …"):
        run_query(seed_store, "CONSTRUCT WHERE { ?s skos:altLabel ?l } VALUES ?l { 1 }", {"s": liao})


def test_a_worker_that_dies_before_taking_the_query_is_a_refusal(seed_build: BuildReport) -> None:
    """A request larger than the pipe's buffer is still being sent when a worker without
    enough memory to start dies."""
    bounds = Limits(memory_mb=64, max_query_chars=3_000_000)
    with open_graph(seed_build.out, bounds) as graph, pytest.raises(Refused, match="64 MiB"):
        run_query(graph, "ASK { ?s ?p ?x }", {"x": "x" * 2_000_000})


def test_a_damaged_build_is_a_clear_error(seed_build: BuildReport, tmp_path: Path) -> None:
    damaged = tmp_path / "dist"
    shutil.copytree(seed_build.out, damaged)
    lines = (damaged / "graph.nq").read_bytes().splitlines(keepends=True)
    (damaged / "graph.nq").write_bytes(b"".join(lines[:10]) + b'"not a subject" <urn:p> <urn:o> .\n')
    message = f"{damaged / 'graph.nq'}:11: the built file is damaged ("
    for args in (["query", "ASK { GRAPH ?g { ?s ?p ?o } }"], ["show", "ent:liao-chunsheng"]):
        result = CliRunner().invoke(app, [*args, "--graph", str(damaged)])
        assert result.exit_code == 1
        assert result.stderr.startswith(f"error: {message}") and len(result.stderr.splitlines()) == 1
    with open_graph(damaged) as graph, pytest.raises(KgError, match=re.escape(message)):
        run_query(graph, "ASK { ?s ?p ?o }")
    # kg query loads only the named graphs its query reads: these two read none of graph.nq
    assert CliRunner().invoke(app, ["query", "ASK { ?s ?p ?o }", "--graph", str(damaged)]).exit_code == 0


def test_a_damaged_named_graph_a_query_reads_is_a_clear_error_naming_its_line(
    seed_build: BuildReport, tmp_path: Path
) -> None:
    damaged = tmp_path / "dist"
    shutil.copytree(seed_build.out, damaged)
    lines = (damaged / "graph.nq").read_bytes().splitlines(keepends=True)
    registry = b"<https://w3id.org/sovereignty-kg/graph/registry> .\n"
    first = next(i for i, line in enumerate(lines) if line.endswith(registry))
    lines[first + 2] = b'"not a subject" <urn:p> <urn:o> ' + registry
    (damaged / "graph.nq").write_bytes(b"".join(lines))
    query = "SELECT * WHERE { GRAPH graph:registry { ?s ?p ?o } } LIMIT 1"
    result = CliRunner().invoke(app, ["query", query, "--graph", str(damaged)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {damaged / 'graph.nq'}:{first + 3}: the built file is damaged (")


def test_a_script_that_calls_the_api_without_a_main_guard_is_told_why(
    seed_build: BuildReport, tmp_path: Path
) -> None:
    script = tmp_path / "script.py"
    script.write_text(
        f"from kg import open_graph, run_query\n"
        f"with open_graph({str(seed_build.out)!r}) as graph:\n"
        f"    print(run_query(graph, 'ASK {{ ?s ?p ?o }}').boolean)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    ran = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=120)
    assert ran.returncode == 1
    assert ran.stderr.splitlines()[-1] == (
        "kg.errors.Stopped: the query engine stopped before answering: it needed more than the 2048 MiB it "
        "may use, or, in a script, kg's Python API was called outside 'if __name__ == \"__main__\":' "
        "(its worker processes import the script again)"
    )
    assert "AttributeError" not in ran.stderr
    guarded = tmp_path / "guarded.py"
    body = script.read_text().replace("\n", "\n    ").rstrip()
    guarded.write_text(f"if __name__ == '__main__':\n    {body}\n")
    ran = subprocess.run([sys.executable, str(guarded)], capture_output=True, text=True, env=env, timeout=120)
    assert (ran.returncode, ran.stdout, ran.stderr) == (0, "True\n", "")


def test_a_query_of_exactly_the_size_limit_runs(seed_store: Graph) -> None:
    query = "ASK { ?s ?p ?o }"
    assert run_query(seed_store, query + " " * (100_000 - len(query))).boolean is True
    with pytest.raises(Refused, match=r"^the query is 100001 characters long; the limit is 100000$"):
        run_query(seed_store, query + " " * (100_001 - len(query)))


def test_graph_and_describe_name_remote_iris_without_fetching_them(seed_store: Graph, canary: Canary) -> None:
    assert run_query(seed_store, f"SELECT * WHERE {{ GRAPH <{canary.url}> {{ ?s ?p ?o }} }}").rows == []
    assert run_query(seed_store, f"DESCRIBE <{canary.url}>").triples == []
    assert run_query(seed_store, f"ASK {{ BIND (IRI(<{canary.url}>) AS ?u) FILTER (isIRI(?u)) }}").boolean


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--timeout", "inf"], "the timeout must be more than 0 and at most 1000000 seconds, not inf"),
        (["--timeout", "1e300"], "the timeout must be more than 0 and at most 1000000 seconds, not 1e+300"),
        (["--memory", "999999999999"], None),
    ],
)
def test_limits_that_bound_nothing_are_refused(
    seed_build: BuildReport, args: list[str], message: str | None
) -> None:
    result = CliRunner().invoke(app, ["query", "ASK { ?s ?p ?o }", *args, "--graph", str(seed_build.out)])
    if message is None:  # more memory than the machine has is no bound, but no error either
        assert result.exit_code == 0 and result.stdout.strip() == "yes"
        return
    assert result.exit_code == 1 and result.stderr.strip() == f"error: {message}"
    with pytest.raises(KgError, match="the timeout must be more than 0"):
        Limits(timeout=float("nan"))
    with pytest.raises(KgError, match="the limit max_rows must be a whole number of at least 1, not 0"):
        Limits(max_rows=0)


def test_parameter_values_that_are_not_unicode_are_refused(
    seed_build: BuildReport, seed_store: Graph
) -> None:
    """Bytes that are not UTF-8 reach Python's argv as lone surrogates ('\\udcff')."""
    query = "SELECT ?s WHERE { ?s rdfs:label ?x }"
    for value in ("\udcff", "ent:a\udcff", "<http://x/\udcff>"):
        result = CliRunner().invoke(app, ["query", query, "-p", f"x={value}", "--graph", str(seed_build.out)])
        assert result.exit_code == 1
        assert result.stderr.startswith("error: parameter x: ") and "Traceback" not in result.output
    with pytest.raises(KgError, match=r"^parameter x: not valid UTF-8 text \(at character 2\)$"):
        run_query(seed_store, query, {"x": "a\udcff"})


@pytest.mark.parametrize(
    "args",
    [
        ["show", "\x1b[2J\x1b[31mLiao"],
        ["show", "<http://a\x1b[31mb>"],
        ["query", "SELECT ?s WHERE { ?s ?p ?o }", "-p", "s=<http://a\x07\x1b]0;owned\x07b>"],
        ["query", "--name", "\x1b[31mx"],
    ],
)
def test_errors_never_send_control_characters_to_the_terminal(
    seed_build: BuildReport, args: list[str]
) -> None:
    result = CliRunner().invoke(app, [*args, "--graph", str(seed_build.out)])
    assert result.exit_code == 1 and len(result.stderr.splitlines()) == 1
    assert "\\x1b" in result.stderr
    assert not any(c in result.stderr for c in "\x1b\x07\x00")


def test_the_python_api_refuses_what_is_not_a_query_or_a_term(seed_store: Graph, canary: Canary) -> None:
    query = "SELECT ?s WHERE { ?s kg:atomicNumber ?n }"
    boron = ox.NamedNode("https://w3id.org/sovereignty-kg/element/B")
    assert run_query(seed_store, query, {"n": 5}).rows == [[boron]]  # a whole number, as --param reads 5
    for value, kind in ((None, "NoneType"), (b"5", "bytes"), (ox.BlankNode(), "BlankNode"), (5.0, "float")):
        with pytest.raises(
            KgError, match=f"^parameter n: give an IRI \\(NamedNode\\), a Literal or text, not {kind}$"
        ):
            run_query(seed_store, query, {"n": value})
    with pytest.raises(KgError, match=r"^a query is text \(str\), not bytes$"):
        run_query(seed_store, b"ASK {}")  # type: ignore[arg-type]
    for empty in ("", "  # only a comment\n"):
        with pytest.raises(KgError, match=r"^SPARQL syntax error: error at "):
            run_query(seed_store, empty)
    with pytest.raises(KgError, match=r"^parameter group: give its value as text, not int$"):
        run_named(seed_store, "group-units", group=5)  # type: ignore[arg-type]
    hostile = f"urn:x> }} SERVICE <{canary.url}> {{ ?a ?b ?c }} VALUES ?s {{ <urn:y"
    liao = "https://w3id.org/sovereignty-kg/entity/liao-chunsheng"
    assert labels(seed_store, {hostile, "not an IRI", liao}) == {liao: "Liao Chunsheng"}
