"""`kg build`: deterministic, atomic, reviewed facts only unless asked, with a summary."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from rich.console import Console
from typer.testing import CliRunner

from kg import BuildReport, KgError, Project, build
from kg.ask.load import keep_store, kept_store
from kg.cli import app
from kg.compile.context import DocumentStats
from kg.compile.output import GraphFiles
from kg.render import LISTED, build_summary
from tests.conftest import REPO, make_project


def _build_in_subprocess(out: Path, hash_seed: str) -> dict[str, bytes]:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    subprocess.run(
        [sys.executable, "-m", "kg", "build", "--root", str(REPO), "--out", str(out)],
        check=True,
        env=env,
        capture_output=True,
    )
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def test_same_input_gives_identical_bytes_under_different_hash_seeds(tmp_path: Path) -> None:
    first = _build_in_subprocess(tmp_path / "a", "1")
    second = _build_in_subprocess(tmp_path / "b", "4242")
    assert set(first) == {
        ".kg-build",
        "build.json",
        "graph.nq",
        "graph.nt",
        "graph.trig",
        "graph.ttl",
        "inferred.nt",
        "sources.json",
    }
    assert first == second


def test_failed_build_leaves_previous_output_untouched(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    build(Project.at(root))
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in (root / "dist").iterdir()}
    mapping = root / "mappings" / "documents" / "doc.yaml"
    mapping.write_text(mapping.read_text().replace("in February 2025", "in March 2025"))

    with pytest.raises(KgError, match="quote not found"):
        build(Project.at(root))

    after = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in (root / "dist").iterdir()}
    assert after == before
    assert sorted(p.name for p in root.iterdir()) == [".kg-cache", "dist", "mappings", "ontology", "seeds"]


def _edit_a_mapping(root: Path) -> None:
    mapping = sorted((root / "mappings").rglob("*.yaml"))[0]
    mapping.write_text(mapping.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")


def test_failure_while_writing_leaves_previous_output_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_project(tmp_path)
    build(Project.at(root))
    before = {p.name: p.read_bytes() for p in (root / "dist").iterdir()}

    def disk_full(files: GraphFiles, *args: object, **kwargs: object) -> None:
        (files.directory / "graph.nq").write_text("half written")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(GraphFiles, "finish", disk_full)
    _edit_a_mapping(root)  # else the output is up to date, and nothing is written
    with pytest.raises(OSError, match="No space left"):
        build(Project.at(root))

    assert {p.name: p.read_bytes() for p in (root / "dist").iterdir()} == before
    assert sorted(p.name for p in root.iterdir()) == [".kg-cache", "dist", "mappings", "ontology", "seeds"]


@pytest.mark.parametrize(
    ("failing", "error"),
    [
        ("graph.ttl", KgError),  # in the child writing the asserted triples during the closure
        ("graph.nq", KgError),  # in the last child, writing beside this process
        ("graph.trig", OSError),  # here, while the last child writes
        ("sources.json", KgError),  # in the child forked before the first sort, waited for after it
    ],
)
def test_a_failure_writing_any_file_fails_the_build_and_keeps_the_output(
    failing: str, error: type[Exception], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The graph files are written by forked children and here (kg.compile.output.GraphFiles):
    an error in any is the build's."""
    root = make_project(tmp_path)
    build(Project.at(root))
    before = {p.name: p.read_bytes() for p in (root / "dist").iterdir()}
    open_file = Path.open

    def disk_full(path: Path, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if path.name == failing and "w" in mode:
            raise OSError(28, "No space left on device")
        return open_file(path, mode, *args, **kwargs)

    serialize = ox.serialize

    def disk_full_in_pyoxigraph(data: object, output: str, fmt: ox.RdfFormat, **kwargs: object) -> None:
        if Path(output).name == failing:
            raise OSError(28, "No space left on device")
        serialize(data, output, fmt, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "open", disk_full)
    monkeypatch.setattr("kg.compile.output.ox.serialize", disk_full_in_pyoxigraph)
    _edit_a_mapping(root)  # else the output is up to date, and nothing is written
    with pytest.raises(error, match="No space left on device"):
        build(Project.at(root))
    assert {p.name: p.read_bytes() for p in (root / "dist").iterdir()} == before
    assert sorted(p.name for p in root.iterdir()) == [".kg-cache", "dist", "mappings", "ontology", "seeds"]


def test_refuses_to_replace_a_folder_that_is_not_a_build(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    precious = tmp_path / "notes"
    precious.mkdir()
    (precious / "todo.txt").write_text("keep me")
    with pytest.raises(KgError, match="not a previous build output"):
        build(Project.at(root), precious)
    assert (precious / "todo.txt").read_text() == "keep me"


def test_drafts_are_left_out_unless_asked(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    released = build(Project.at(root))
    assert released.documents["doc"].facts == 4
    assert released.documents["doc"].drafts_left_out == 1
    assert "evidence/doc.draft-country.1" not in (root / "dist" / "graph.nt").read_text()

    with_drafts = build(Project.at(root), include_drafts=True)
    assert with_drafts.documents["doc"].facts == 5
    assert with_drafts.documents["doc"].drafts_left_out == 0
    graph = (root / "dist" / "graph.nt").read_text()
    assert (
        "<https://w3id.org/sovereignty-kg/evidence/doc.draft-country.1> "
        "<https://w3id.org/sovereignty-kg/ontology#reviewStatus> "
        "<https://w3id.org/sovereignty-kg/ontology#Draft> ."
    ) in graph


def test_summary_counts_the_seed_graph(seed_build: BuildReport) -> None:
    nt = (seed_build.out / "graph.nt").read_text(encoding="utf-8")
    assert seed_build.triples == len(nt.splitlines())
    assert seed_build.instances_per_class["ChemicalElement"] == 118
    assert seed_build.instances_per_class["Evidence"] == seed_build.quotes_verified
    mapped = {p.stem for p in (REPO / "mappings" / "documents").glob("*.yaml")}
    assert set(seed_build.documents) == mapped == {"000", "001", "002", "003", "004"}
    assert sum(seed_build.quads_per_graph.values()) == len(
        (seed_build.out / "graph.nq").read_text(encoding="utf-8").splitlines()
    )


def test_cli_build_prints_progress_and_summary(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    result = CliRunner().invoke(app, ["build", "--root", str(root)])
    assert result.exit_code == 0, result.output
    assert "compiling facts and verifying quotes" in result.stderr
    assert "4 quotes verified" in result.stdout
    assert "Facts per document" in result.stdout
    again = CliRunner().invoke(app, ["build", "--root", str(root)])
    assert again.exit_code == 0, again.output
    assert "compiling facts" not in again.stderr
    assert "dist is up to date: built from the same inputs, options and code" in again.stdout
    assert "4 quotes verified" in again.stdout and "Facts per document" in again.stdout


def test_cli_build_removes_the_store_kept_beside_the_build_it_replaces(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    assert CliRunner().invoke(app, ["build", "--root", str(root)]).exit_code == 0
    kept = keep_store(root / "dist")
    assert kept == root / ".dist-store" and kept.is_dir()
    assert CliRunner().invoke(app, ["build", "--root", str(root)]).exit_code == 0  # up to date
    assert kept_store(root / "dist") == kept
    rebuilt = CliRunner().invoke(app, ["build", "--root", str(root), "--include-drafts"])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert not kept.exists()


def test_the_summary_of_a_build_of_many_documents_sums_them(tmp_path: Path) -> None:
    """Past LISTED documents, the summary gives their totals (each is in build.json), not a
    table of thousands of rows."""
    graph = "https://w3id.org/sovereignty-kg/graph/"
    many = LISTED + 1
    report = BuildReport(
        tmp_path,
        10,
        {f"{graph}registry": 7, **{f"{graph}document-{i:03}": 2 for i in range(many)}},
        {"Person": 3},
        {f"{i:03}": DocumentStats(facts=1, statements=2, quotes=3) for i in range(many)},
    )
    console = Console(record=True, width=200)
    console.print(build_summary(report))
    text = console.export_text()
    rows = [[cell.strip() for cell in line.split("│")[1:-1]] for line in text.splitlines() if "│" in line]
    assert [f"all {many} (each in build.json)", str(many), str(2 * many), str(3 * many), "0"] in rows
    assert rows[:2] == [[f"graph:document-… ({many} graphs)", str(2 * many)], ["graph:registry", "7"]]
    assert "document-000" not in text and f"{3 * many} quotes verified" in text


def test_not_a_project_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["build", "--root", str(tmp_path)])
    assert result.exit_code == 1
    assert "is not a sovereignty-kg project (no ontology/, mappings/, seeds/)" in result.stderr
