"""`kg query`: SPARQL on the built graph; SELECT, ASK and graph results; hostile queries refused."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
import rdflib.compare
from typer.testing import CliRunner

from kg import BuildReport, KgError, open_graph, run_query
from kg.cli import app
from tests.conftest import damaged_copy


def test_select_ask_and_construct(seed_store: ox.Store) -> None:
    select = run_query(seed_store, "SELECT ?l WHERE { ent:liao-chunsheng skos:altLabel ?l }")
    assert select.variables == ["l"]
    assert [[t.value for t in row] for row in select.rows] == [["Chunsheng Liao"]]  # type: ignore[union-attr]
    assert run_query(seed_store, "ASK { ent:liao-chunsheng a kg:Person }").boolean is True
    graph = run_query(
        seed_store,
        "CONSTRUCT { ?p org:member ?m } WHERE { ?p org:member ?m ; org:role role:director }",
    )
    assert graph.triples is not None and len(graph.triples) == 1


def test_default_graph_holds_each_triple_once(seed_store: ox.Store) -> None:
    result = run_query(
        seed_store,
        """
        SELECT (COUNT(*) AS ?n) WHERE {
          ?s rdf:subject ent:china-rare-earth-holdings ; rdf:predicate org:subOrganizationOf ; a kg:Statement }""",
    )
    assert result.rows[0][0].value == "1"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE SILENT <http://example.org/sparql> { ?s ?q ?x } } }",
    ],
)
def test_federated_queries_are_refused(seed_store: ox.Store, query: str) -> None:
    with pytest.raises(KgError, match="SERVICE is not allowed"):
        run_query(seed_store, query)


def test_the_word_service_in_a_literal_is_fine(seed_store: ox.Store) -> None:
    assert run_query(seed_store, 'ASK { FILTER ("customer SERVICE desk" != "") }').boolean is True


def test_syntax_error_names_line_and_column(seed_store: ox.Store) -> None:
    with pytest.raises(KgError, match=r"SPARQL syntax error: error at 2:\d+"):
        run_query(seed_store, "SELECT ?s\nWHERE { ?s ?p }")


def test_no_built_graph_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(KgError, match="run 'kg build' first"):
        open_graph(tmp_path)


def test_cli_query_from_file_prints_a_table(seed_build: BuildReport, tmp_path: Path) -> None:
    query = tmp_path / "q.rq"
    query.write_text("SELECT ?label WHERE { ent:xu-guangxian kg:knownAs ?label }", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["query", "-f", str(query), "--graph", str(seed_build.out)], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    assert "Father of Chinese Rare Earths Chemistry" in result.stdout
    assert "1 row(s)" in result.stdout


def test_cli_query_error_is_one_line(seed_build: BuildReport) -> None:
    result = CliRunner().invoke(
        app, ["query", "SELECT * WHERE { SERVICE <http://x/> {} }", "--graph", str(seed_build.out)]
    )
    assert result.exit_code == 2  # a refusal, not bad input
    assert result.stderr.strip() == "error: SERVICE is not allowed: kg runs no federated queries"


def test_cli_query_needs_exactly_one_source(seed_build: BuildReport) -> None:
    result = CliRunner().invoke(app, ["query", "--graph", str(seed_build.out)])
    assert result.exit_code == 1
    assert "give exactly one of: a query, --file, --name" in result.stderr


def test_a_store_on_disk_holds_the_same_graphs_as_one_in_memory(
    seed_build: BuildReport, tmp_path: Path
) -> None:
    from kg.ask.load import load_graph, open_store, store_on_disk

    folder = store_on_disk(seed_build.out, tmp_path)
    on_disk, in_memory = open_store(folder), load_graph(seed_build.out)

    def quads(store: ox.Store) -> list[str]:  # blank nodes get new labels in each load
        return sorted(re.sub(r"_:[0-9a-f]+", "_:b", str(quad)) for quad in store)

    assert quads(on_disk) == quads(in_memory)  # every quad, the default graph's too
    assert len(list(on_disk.named_graphs())) == len(list(in_memory.named_graphs())) > 3
    assert open_store(seed_build.out) is not None  # a build folder is loaded as before


def _graphs(store: ox.Store) -> dict[str, rdflib.Graph]:
    """Each graph of `store` (the default graph as "") as an rdflib graph, to compare with
    blank nodes matched by the triples they are in."""
    graphs: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = [ox.DefaultGraph(), *store.named_graphs()]
    return {
        "" if isinstance(name, ox.DefaultGraph) else str(name): rdflib.Graph().parse(
            data=store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=name), format="nt"
        )
        for name in graphs
    }


def test_a_store_on_disk_loaded_a_chunk_at_a_time_is_the_graph_loaded_at_once(
    seed_build: BuildReport, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A blank node of the ontology is one node, though its triples fall in different chunks."""
    import kg.ask.load
    from kg.ask.load import load_graph, open_store, store_on_disk

    monkeypatch.setattr(kg.ask.load, "_CHUNK", 64 * 1024)
    nt = (seed_build.out / "graph.nt").read_bytes()
    assert len(nt) > 20 * 64 * 1024 and b"_:" in nt
    on_disk = _graphs(open_store(store_on_disk(seed_build.out, tmp_path)))
    in_memory = _graphs(load_graph(seed_build.out))
    assert on_disk.keys() == in_memory.keys() and len(on_disk) > 3
    for name, graph in in_memory.items():
        assert rdflib.compare.isomorphic(on_disk[name], graph), name
    assert any(isinstance(node, rdflib.BNode) for node in in_memory[""].objects())


def test_a_damaged_line_is_named_in_a_store_loaded_a_chunk_at_a_time(
    seed_build: BuildReport, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kg.ask.load
    from kg.ask.load import store_on_disk

    monkeypatch.setattr(kg.ask.load, "_CHUNK", 64 * 1024)
    for name, line in (("graph.nt", 15001), ("graph.nq", 12001)):
        damaged = damaged_copy(seed_build.out, tmp_path / name, name, line)
        with pytest.raises(KgError) as caught:
            store_on_disk(damaged, tmp_path / name)
        assert str(caught.value).startswith(f"{damaged / name}:{line}: the built file is damaged (")


PEOPLE = "SELECT ?p WHERE { ?p a kg:Person } ORDER BY ?p"


def test_a_build_too_big_for_memory_is_queried_on_a_store_kept_beside_it_until_it_changes(
    seed_build: BuildReport, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The store made for one query is opened by the next (of any size) until the build
    changes; it stays out of the build's folder, which is shipped as it is."""
    import kg.ask.load

    dist = tmp_path / "dist"
    shutil.copytree(seed_build.out, dist)
    with open_graph(dist) as in_memory:
        expected = list(in_memory.query(PEOPLE))
        assert in_memory.runner.dist == dist and len(expected) > 5
    with monkeypatch.context() as big:
        big.setattr(kg.ask.load, "ON_DISK", 0)
        with open_graph(dist) as on_disk:
            kept = on_disk.runner.dist
            assert kept == tmp_path / ".dist-store" and (kept / "kg-store").is_file()
            assert list(on_disk.query(PEOPLE)) == expected
    assert sorted(p.name for p in tmp_path.iterdir()) == [".dist-store", "dist"]
    made = (kept / "kg-store").stat().st_mtime_ns
    with open_graph(dist) as small:  # the seed graph is loaded faster than a store opened
        assert small.runner.dist == dist
    monkeypatch.setattr(kg.ask.load, "REUSE", 0)
    with open_graph(dist) as again:  # small enough for memory, but the store is there
        assert again.runner.dist == kept and list(again.query(PEOPLE)) == expected
    assert (kept / "kg-store").stat().st_mtime_ns == made  # opened, not made again
    nt = dist / "graph.nt"  # the build changes: a person more
    nt.write_bytes(
        nt.read_bytes()
        + b"<https://example.org/new> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/sovereignty-kg/ontology#Person> .\n"
    )
    with open_graph(dist) as changed:
        assert changed.runner.dist == dist and not kept.exists()  # stale: removed, the build loaded
        assert len(list(changed.query(PEOPLE))) == len(expected) + 1


def test_store_option_chooses_memory_or_the_kept_store_whatever_the_size(
    seed_build: BuildReport, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`kg query --store disk` keeps a store beside even a small build and answers as
    `--store memory` does; `memory` loads the build even where a kept store would be opened."""
    import kg.ask.load
    from kg.ask.placement import Placement

    dist = tmp_path / "dist"
    shutil.copytree(seed_build.out, dist)
    answers = {}
    for store in ("memory", "disk"):
        result = CliRunner().invoke(
            app, ["query", "--graph", str(dist), "--store", store, "--format", "csv", PEOPLE]
        )
        assert result.exit_code == 0, result.output
        answers[store] = result.stdout
        assert (tmp_path / ".dist-store" / "kg-store").is_file() == (store == "disk")
    assert answers["disk"] == answers["memory"] and answers["memory"].count("\n") > 5
    monkeypatch.setattr(kg.ask.load, "REUSE", 0)
    with open_graph(dist, placement=Placement.MEMORY) as in_memory:
        assert in_memory.runner.dist == dist
    with open_graph(dist, placement="memory") as named:  # type: ignore[arg-type]
        assert named.runner.dist == dist
    with open_graph(dist) as auto:
        assert auto.runner.dist == tmp_path / ".dist-store"
    remote = ["query", "--endpoint", "http://127.0.0.1:9/query", "--store", "memory", PEOPLE]
    result = CliRunner().invoke(app, remote)
    assert result.exit_code == 1 and "give it or --endpoint, not both" in result.output


def test_a_store_that_cannot_be_kept_beside_the_build_is_temporary(
    seed_build: BuildReport, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where no store can be kept beside the build, one is made in a temporary folder; where
    none can be made there either, `--store disk` is an error (`auto` loads into memory)."""
    import tempfile

    import kg.ask.load

    dist = tmp_path / "dist"
    shutil.copytree(seed_build.out, dist)
    (tmp_path / ".dist-store").write_text("a file in the way\n")
    monkeypatch.setattr(kg.ask.load, "ON_DISK", 0)
    with open_graph(dist) as on_disk:
        folder = on_disk.runner.dist
        assert folder is not None and folder.name.startswith("kg-query-") and (folder / "kg-store").is_file()
        assert len(list(on_disk.query(PEOPLE))) > 5
    assert not folder.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".dist-store", "dist"]
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "missing"))
    result = CliRunner().invoke(app, ["query", "--graph", str(dist), "--store", "disk", PEOPLE])
    assert result.exit_code == 1
    assert f"{dist}: no store on disk could be made for the build: " in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [".dist-store", "dist"]


def test_a_temporary_store_left_by_a_killed_process_is_removed_by_the_next(
    seed_build: BuildReport, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import subprocess
    import tempfile

    from kg.ask.load import temporary_store

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    ended = subprocess.Popen(["true"])
    ended.wait()
    left = tmp_path / "kg-query-left"  # its process killed before it could remove it
    running = tmp_path / "kg-query-running"  # this process's own
    unowned = tmp_path / "kg-query-notes"  # not a store's folder
    for folder, owner in ((left, ended.pid), (running, os.getpid()), (unowned, None)):
        folder.mkdir()
        if owner is not None:
            (folder / "kg-owner").write_text(f"{owner}\n", encoding="ascii")
    elsewhere = tmp_path / "elsewhere"  # a link to a folder is not followed
    elsewhere.mkdir()
    (elsewhere / "kg-owner").write_text(f"{ended.pid}\n", encoding="ascii")
    (tmp_path / "kg-query-link").symlink_to(elsewhere)
    made = temporary_store(seed_build.out, "kg-query-")
    assert made.parent == tmp_path and (made / "kg-owner").read_text() == f"{os.getpid()}\n"
    kept = [made.name, running.name, unowned.name, "elsewhere", "kg-query-link"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(kept)
    assert (elsewhere / "kg-owner").is_file()
