"""`kg export`: every format read back by parsers we did not write (Debian's rapper and serdi,
pyoxigraph, rdflib) and compared with the build by graph isomorphism; deterministic output,
atomic files, clear errors."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic
from typer.testing import CliRunner

from kg import BuildReport
from kg.cli import app
from kg.store.export import FORMATS, context, export
from kg.vocab import PREFIXES
from tests.conftest import damaged_copy

RAPPER = {"ttl": "turtle", "nt": "ntriples", "nq": "nquads", "trig": "trig", "rdfxml": "rdfxml"}
SERDI = {"ttl": "turtle", "nt": "ntriples", "nq": "nquads", "trig": "trig"}
RDFLIB = {"ttl": "turtle", "nt": "nt", "nq": "nquads", "trig": "trig", "jsonld": "json-ld", "rdfxml": "xml"}
PARSERS = [
    *((fmt, "rapper") for fmt in RAPPER),
    *((fmt, "serdi") for fmt in SERDI),
    *((fmt, "pyoxigraph") for fmt in FORMATS),
    *((fmt, "rdflib") for fmt in FORMATS),
]
Graphs = dict[str, rdflib.Graph]


@pytest.fixture(scope="module")
def exported(seed_build: BuildReport, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("export")
    paths = {}
    for name, fmt in FORMATS.items():
        paths[name] = folder / f"graph.{name}"
        export(seed_build.out, fmt, paths[name], inferred=True)
    return paths


@pytest.fixture(scope="module")
def expected(seed_build: BuildReport) -> dict[bool, Graphs]:
    """What the build holds: {datasets: graphs by name}, with the inferred triples."""
    merged = rdflib.Graph()
    for name in ("graph.nt", "inferred.nt"):
        merged.parse(seed_build.out / name, format="nt")
    return {False: {"": merged}, True: _graphs((seed_build.out / "graph.nq").read_text(encoding="utf-8"))}


@pytest.mark.parametrize(("fmt", "parser"), PARSERS, ids=[f"{f}-{p}" for f, p in PARSERS])
def test_an_independent_parser_reads_the_export_back_unchanged(
    fmt: str, parser: str, exported: dict[str, Path], expected: dict[bool, Graphs]
) -> None:
    path = exported[fmt]
    if parser == "rapper":
        found = _graphs(_run(["rapper", "-q", "-i", RAPPER[fmt], "-o", "nquads", str(path)]))
    elif parser == "serdi":
        found = _graphs(_run(["serdi", "-i", SERDI[fmt], "-o", "nquads", str(path)]))
    elif parser == "pyoxigraph":
        quads = ox.parse(path=str(path), format=FORMATS[fmt].rdf or ox.RdfFormat.JSON_LD)
        found = _graphs((ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b"").decode("utf-8"))
    else:
        dataset = rdflib.Dataset()
        dataset.parse(path, format=RDFLIB[fmt])
        found = _by_name(dataset)
    want = expected[FORMATS[fmt].datasets]
    assert sorted(found) == sorted(want)
    for name, graph in want.items():
        assert len(found[name]) == len(graph), name
        assert isomorphic(found[name], graph), name


def test_exports_are_byte_identical_across_runs_and_hash_seeds(
    seed_build: BuildReport, exported: dict[str, Path], tmp_path: Path
) -> None:
    for name in FORMATS:
        again = tmp_path / f"again.{name}"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "kg",
                "export",
                "--graph",
                str(seed_build.out),
                "--inferred",
                "--format",
                name,
                "-o",
                str(again),
            ],
            check=True,
            capture_output=True,
            env={**os.environ, "PYTHONHASHSEED": "12345"},
        )
        assert again.read_bytes() == exported[name].read_bytes(), name


def test_without_inferred_only_the_asserted_graph_is_exported(
    seed_build: BuildReport, tmp_path: Path
) -> None:
    export(seed_build.out, FORMATS["nq"], tmp_path / "asserted.nq")
    asserted = (tmp_path / "asserted.nq").read_text(encoding="utf-8")
    assert "graph/inferred>" not in asserted
    assert sorted(asserted.splitlines()) == sorted(
        line
        for line in (seed_build.out / "graph.nq").read_text(encoding="utf-8").splitlines()
        if "graph/inferred>" not in line
    )
    export(seed_build.out, FORMATS["nt"], tmp_path / "asserted.nt")
    assert (tmp_path / "asserted.nt").read_bytes() == (seed_build.out / "graph.nt").read_bytes()


def test_jsonld_is_compact_with_the_shipped_context_inline(exported: dict[str, Path]) -> None:
    document = json.loads(exported["jsonld"].read_text(encoding="utf-8"))
    assert document["@context"] == context() == PREFIXES
    graphs = {g["@id"]: g["@graph"] for g in document["@graph"]}
    assert "graph:inferred" in graphs
    liao = next(n for n in graphs["graph:registry"] if n["@id"] == "ent:liao-chunsheng")
    assert liao["@type"] == ["kg:Person"]
    assert {"@value": "Liao Chunsheng", "@language": "en"} in liao["rdfs:label"]


def test_a_failed_export_leaves_the_previous_file_and_no_partial_one(
    seed_build: BuildReport, tmp_path: Path
) -> None:
    damaged = damaged_copy(seed_build.out, tmp_path, "graph.nq", 5001)
    target = tmp_path / "out" / "graph.trig"
    target.parent.mkdir()
    target.write_text("previous export\n", encoding="utf-8")

    result = CliRunner().invoke(app, ["export", "--graph", str(damaged), "-o", str(target)])

    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {damaged / 'graph.nq'}:5001: the built file is damaged (")
    assert target.read_text(encoding="utf-8") == "previous export\n"
    assert [p.name for p in target.parent.iterdir()] == ["graph.trig"]


def test_export_cli_formats_and_errors(seed_build: BuildReport, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["export", "--graph", str(seed_build.out), "-o", str(tmp_path / "g.owl")])
    assert result.exit_code == 0
    assert result.stdout.startswith(f"Wrote {seed_build.triples} triples (RDF/XML) to ")
    assert ox.parse(path=str(tmp_path / "g.owl"), format=ox.RdfFormat.RDF_XML)
    result = runner.invoke(app, ["export", "--graph", str(seed_build.out), "-o", str(tmp_path / "g.data")])
    assert result.exit_code == 1
    assert "cannot tell the format from" in result.stderr and "give --format" in result.stderr
    result = runner.invoke(app, ["export", "--graph", str(seed_build.out), "--format", "nt", "-o", "-"])
    assert result.stdout.encode() == (seed_build.out / "graph.nt").read_bytes()
    empty = tmp_path / "empty"
    empty.mkdir()
    result = runner.invoke(app, ["export", "--graph", str(empty), "-o", str(tmp_path / "x.nt")])
    assert result.exit_code == 1 and "no built graph in" in result.stderr


def test_inferred_needs_a_build_that_wrote_them(tmp_path: Path, seed_build: BuildReport) -> None:
    plain = tmp_path / "dist"
    shutil.copytree(seed_build.out, plain)
    (plain / "inferred.nt").unlink()
    result = CliRunner().invoke(
        app, ["export", "--graph", str(plain), "--inferred", "-o", str(tmp_path / "x.nt")]
    )
    assert result.exit_code == 1
    assert "has no inferred triples (built by an older version); run 'kg build' again" in result.stderr
    assert not (tmp_path / "x.nt").exists()


def _run(command: list[str]) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def _graphs(nquads: str) -> Graphs:
    dataset = rdflib.Dataset()
    dataset.parse(data=nquads, format="nquads")
    return _by_name(dataset)


def _by_name(dataset: rdflib.Dataset) -> Graphs:
    """The non-empty graphs of a dataset, the default graph named ""."""
    graphs = {}
    for graph in dataset.graphs():
        if len(graph):
            name = "" if graph.identifier == rdflib.graph.DATASET_DEFAULT_GRAPH_ID else str(graph.identifier)
            graphs[name] = rdflib.Graph()
            for triple in graph:
                graphs[name].add(triple)
    return graphs
