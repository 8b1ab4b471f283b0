"""Incremental builds (kg.compile.replay): a document unchanged since an earlier build is
replayed from the cache, not compiled again, and the build writes the same bytes as a clean
build, after a document, the registry or the ontology changes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from kg import Project, build
from kg.cache import FOLDER, PENDING, Cache
from kg.check.coverage import coverage_report
from kg.check.findings import Report, Severity
from kg.check.validate import validate
from kg.compile.builder import compile_project
from kg.compile.replay import Recorded, Replay, _parse_terms, decode, encode
from kg.errors import KgErrors
from kg.mapping.load import Loaded, load_mappings
from kg.mapping.schema import DocumentFile
from kg.mapping.sources import SourceDocument
from kg.vocab import compact
from tests.conftest import REPO, SYNTHETIC_DOCUMENTS, built_files

DOCUMENTS = SYNTHETIC_DOCUMENTS
RUN_TRIPLES = 2_000  # so that the shapes run in parts, as they do at scale


def _compiled(root: Path) -> set[str]:
    return {p.name for p in (root / FOLDER).glob("compiled-*.json")}


def _replayed_and_same_as_clean(root: Path, tmp_path: Path, name: str) -> tuple[int, dict[str, bytes]]:
    """Build with the cache and without: the same bytes; how many documents were replayed."""
    report = build(Project.at(root), tmp_path / f"{name}-incremental")
    clean = build(Project.at(root), tmp_path / f"{name}-clean", use_cache=False)
    files = built_files(report.out)
    assert files == built_files(clean.out)
    assert clean.replayed == 0
    return report.replayed, files


def test_an_unchanged_document_is_replayed_and_the_build_is_byte_identical(
    synthetic: Path, tmp_path: Path
) -> None:
    replayed, first = _replayed_and_same_as_clean(synthetic, tmp_path, "first")
    assert replayed == 0
    assert len(_compiled(synthetic)) == DOCUMENTS
    replayed, again = _replayed_and_same_as_clean(synthetic, tmp_path, "again")
    assert (replayed, again) == (DOCUMENTS, first)

    mapping = synthetic / "mappings" / "documents" / "005.yaml"
    text = mapping.read_text(encoding="utf-8")
    assert "Xu Huawei has joined Honglong Battery" in text
    label = "en: Xu Huawei has joined Honglong Battery"
    mapping.write_text(
        text.replace(label, "en: Xu Huawei has moved to Honglong Battery", 1), encoding="utf-8"
    )
    replayed, edited = _replayed_and_same_as_clean(synthetic, tmp_path, "edited")
    assert replayed == DOCUMENTS - 1  # only the edited document compiled again
    assert b"has moved to Honglong" in edited["graph.nt"]
    assert b"has moved to Honglong" not in first["graph.nt"]


def test_a_registry_edit_replays_every_document_and_an_ontology_edit_none(
    synthetic: Path, tmp_path: Path
) -> None:
    _replayed_and_same_as_clean(synthetic, tmp_path, "fill")
    registry = sorted((synthetic / "mappings" / "registry").glob("*.yaml"))[0]
    text = registry.read_text(encoding="utf-8")
    registry.write_text(text.replace("label:\n    en: ", "label:\n    en: The ", 1), encoding="utf-8")
    replayed, files = _replayed_and_same_as_clean(synthetic, tmp_path, "registry")
    assert replayed == DOCUMENTS  # the documents refer to the same entities
    assert b'"The ' in files["graph.nt"]

    ontology = synthetic / "ontology" / "kg.ttl"
    ontology.write_text(ontology.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    replayed, _ = _replayed_and_same_as_clean(synthetic, tmp_path, "ontology")
    assert replayed == 0


def _times(dist: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in dist.iterdir()}


def _rebuilt(root: Path, out: Path, **options: Any) -> bool:
    """Build into `out`; whether anything was written (else it was found up to date, and
    its report is what the build that wrote it reported)."""
    before = _times(out) if out.exists() else {}
    report = build(Project.at(root), out, **options)
    if report.recalled is None:
        return True
    assert _times(out) == before
    first = json.loads((out / "build.json").read_text(encoding="utf-8"))
    assert report.recalled == first
    assert report.triples == first["triples"] and report.entailed == first["entailed"]
    assert {doc: vars(stats) for doc, stats in report.documents.items()} == first["documents"]
    return False


def test_a_build_already_up_to_date_rewrites_nothing_until_anything_it_depends_on_changes(
    synthetic: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "dist"
    assert _rebuilt(synthetic, out)
    assert not _rebuilt(synthetic, out)
    clean = build(Project.at(synthetic), tmp_path / "clean", use_cache=False)
    assert built_files(out) == built_files(clean.out)

    assert _rebuilt(synthetic, out, include_drafts=True)  # an option
    assert _rebuilt(synthetic, out) and not _rebuilt(synthetic, out)
    assert _rebuilt(synthetic, out, use_cache=False)  # told to build anew, without the cache
    assert _rebuilt(synthetic, out) and not _rebuilt(synthetic, out)  # written since its stamp

    with (out / "graph.ttl").open("a", encoding="utf-8") as edited:  # an output edited by hand
        edited.write("# edited\n")
    assert _rebuilt(synthetic, out)
    assert built_files(out) == built_files(clean.out)
    (out / "graph.nt").unlink()  # or removed
    assert _rebuilt(synthetic, out) and (out / "graph.nt").is_file()

    seed = sorted((synthetic / "seeds").iterdir())[0]  # an input
    seed.write_bytes(seed.read_bytes())
    assert not _rebuilt(synthetic, out)  # touched, the same bytes
    with seed.open("ab") as edited:
        edited.write(b"\n")
    assert _rebuilt(synthetic, out) and not _rebuilt(synthetic, out)

    monkeypatch.setattr("kg.cache.code_version", lambda: "another version of kg")
    assert _rebuilt(synthetic, out) and not _rebuilt(synthetic, out)
    (out / "build.json").write_text("{}", encoding="utf-8")  # the manifest unreadable: built anew
    assert _rebuilt(synthetic, out)


def _seed_mappings() -> dict[str, Loaded[DocumentFile]]:
    mappings = load_mappings(REPO / "mappings", Path("mappings"))
    return {loaded.model.id: loaded for loaded in mappings.documents}


def test_a_record_is_not_replayed_once_an_entity_it_refers_to_is_gone(tmp_path: Path) -> None:
    project = Project.at(REPO)
    cache = Cache(tmp_path / "cache")
    with cache.transaction():
        compile_project(project, cache=cache)
    key = next(p.stem for p in (tmp_path / "cache").glob("compiled-*.json"))
    kept = cache.get(key)
    assert kept is not None
    source = SourceDocument.read(REPO / "seeds" / "000_2c6faabbbc8f7456.txt", Path("seeds/000.txt"))
    loaded = _seed_mappings()[kept["doc"]]
    replay = Replay(cache, "", False)
    declared = dict.fromkeys(kept["entities"], None)
    assert replay.get(key, loaded, source, declared) is not None  # type: ignore[arg-type]
    del declared[kept["entities"][0]]
    assert replay.get(key, loaded, source, declared) is None  # type: ignore[arg-type]


def test_every_seed_document_record_survives_encoding(tmp_path: Path) -> None:
    """What is kept in the cache decodes to the record it was made from."""
    project = Project.at(REPO)
    cache = Cache(tmp_path / "cache")
    with cache.transaction():
        compile_project(project, cache=cache)
    kept = [
        json.loads(p.read_bytes().partition(b"\n")[2]) for p in (tmp_path / "cache").glob("compiled-*.json")
    ]
    assert {entry["doc"] for entry in kept} == {"000", "001", "003", "004"}  # 002 combines others' facts
    assert [len(entry["references"]) for entry in sorted(kept, key=lambda e: e["doc"])] == [0, 1, 0, 1]
    mappings = _seed_mappings()
    for entry in kept:
        recorded: Recorded = decode(entry, SourceDocument(Path("x"), "", "", [0]), mappings[entry["doc"]])
        assert json.loads(json.dumps(encode(recorded))) == entry
        assert recorded.rows.shape == (len(entry["rows"]) // 4, 4)


def test_a_records_terms_are_parsed_once_a_build_and_a_damaged_term_refused() -> None:
    parsed: dict[str, Any] = {}
    first = _parse_terms(["<http://example.org/a>", None, '"x"@en'], parsed)
    second = _parse_terms(['"x"@en', "<http://example.org/b>"], parsed)
    assert first == [ox.NamedNode("http://example.org/a"), ox.DefaultGraph(), ox.Literal("x", language="en")]
    assert second == [first[2], ox.NamedNode("http://example.org/b")] and second[0] is first[2]
    with pytest.raises(ValueError, match="not one N-Triples term"):  # a record written by other code
        _parse_terms(["<http://example.org/c> .\n<k:> <k:> <http://example.org/d>"], parsed)
    with pytest.raises(SyntaxError):
        _parse_terms(["<http://example.org/open"], parsed)
    assert len(parsed) == 3


def test_a_failed_build_keeps_nothing_in_the_cache(synthetic: Path, tmp_path: Path) -> None:
    mapping = synthetic / "mappings" / "documents" / "011.yaml"
    mapping.write_text(
        mapping.read_text(encoding="utf-8").replace("subject: ", "subject: nobody-", 1), encoding="utf-8"
    )
    with pytest.raises(KgErrors, match="unknown entity 'nobody-"):
        build(Project.at(synthetic), tmp_path / "out")
    assert not (tmp_path / "out").exists()
    assert _compiled(synthetic) == set()
    assert list((synthetic / FOLDER).glob(f".*{PENDING}")) == []


def test_coverage_replays_a_builds_records_but_not_those_of_a_document_with_drafts(
    synthetic: Path, tmp_path: Path
) -> None:
    """A document without draft facts compiles alike with drafts or without, so kg coverage
    and kg serve (drafts included) replay what kg build kept; one with drafts compiles again."""
    mapping = synthetic / "mappings" / "documents" / "003.yaml"
    mapping.write_text(
        mapping.read_text(encoding="utf-8").replace("status: reviewed", "status: draft", 1), encoding="utf-8"
    )
    report = build(Project.at(synthetic), tmp_path / "dist")
    assert report.documents["003"].drafts_left_out > 0
    cache = Cache(synthetic / FOLDER)
    with cache.transaction():
        _, compiled = compile_project(Project.at(synthetic), include_drafts=True, cache=cache)
    assert compiled.replayed == DOCUMENTS - 1
    assert coverage_report(Project.at(synthetic)) == coverage_report(Project.at(synthetic), use_cache=False)


def test_seed_documents_with_inferred_reference_times_are_replayed(tmp_path: Path) -> None:
    """001 and 004 give reference times based on other documents' facts: kept as the article
    and its mapping entry, settled with the rest; 002 combines other documents' facts."""
    root = tmp_path / "seed"
    for folder in ("ontology", "mappings", "seeds"):
        shutil.copytree(REPO / folder, root / folder)
    replayed, first = _replayed_and_same_as_clean(root, tmp_path, "first")
    assert replayed == 0
    replayed, again = _replayed_and_same_as_clean(root, tmp_path, "again")
    assert (replayed, again) == (4, first)
    assert b"InferredReferenceTime" in first["graph.nt"]


def _shacl_reports(root: Path) -> set[str]:
    return {p.name for p in (root / FOLDER).glob("shacl-report-*.json")}


def _validated(project: Project, cache: Cache) -> Report:
    with cache.transaction():
        return validate(project.ontology, project.dist, run_triples=RUN_TRIPLES, cache=cache)


def test_validation_runs_again_only_the_shapes_whose_triples_changed(synthetic: Path) -> None:
    """Each run's SHACL report is kept by the digests of its shapes and of the triples it is
    handed: validating an unchanged build runs no shape, and after one document changes,
    only the runs whose triples changed run again (most do: every run that reads types or
    labels is handed the new date's), and the report is the one validating without the cache
    gives."""
    project, cache = Project.at(synthetic), Cache(synthetic / FOLDER)
    build(project)
    first = _validated(project, cache)
    kept = _shacl_reports(synthetic)
    assert len(kept) > 5
    assert _validated(project, cache) == first
    assert _shacl_reports(synthetic) == kept

    mapping = synthetic / "mappings" / "documents" / "005.yaml"
    text = mapping.read_text(encoding="utf-8")
    end = "    kg:endDate: '2023-11-13'\n"
    assert end in text
    mapping.write_text(text.replace(end, end + "    kg:startDate: '2024-01-01'\n", 1), encoding="utf-8")
    build(project)
    edited = _validated(project, cache)
    assert edited == validate(project.ontology, project.dist, run_triples=RUN_TRIPLES)
    assert [f.shape for f in edited.findings if f.severity == Severity.VIOLATION] == [
        "kgsh:Post-end-after-start"
    ]
    assert not first.findings or first.findings != edited.findings
    ran_again = _shacl_reports(synthetic) - kept
    assert 0 < len(ran_again) < len(kept)


def _answers_kept(root: Path) -> set[str]:
    return {p.name for p in (root / FOLDER).glob("check-answers-*.json")}


def test_the_checks_answers_are_kept_until_a_check_or_the_build_changes(
    synthetic: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The named checks' answers are kept by the digests of the checks and of the built files
    their store reads: validating again loads no store, and a changed check or build runs
    them again; the report is always the one validating without the cache gives."""
    project, cache = Project.at(synthetic), Cache(synthetic / FOLDER)
    build(project)
    first = _validated(project, cache)
    assert first == validate(project.ontology, project.dist, run_triples=RUN_TRIPLES)
    kept = _answers_kept(synthetic)
    assert len(kept) == 1
    with monkeypatch.context() as patched:
        patched.setattr("kg.check.validate.load_graph", lambda *_: pytest.fail("a store was loaded"))
        assert _validated(project, cache) == first

    check = synthetic / "ontology" / "checks" / "observation-warning.rq"
    check.write_text("# Observations\nSELECT ?this WHERE { ?this a kg:Observation }\n", encoding="utf-8")
    with_check = _validated(project, cache)
    found = [f for f in with_check.findings if f.shape == "check:observation-warning"]
    assert found and all(f.focus_label != compact(f.focus.value) for f in found)  # labelled
    assert with_check == validate(project.ontology, project.dist, run_triples=RUN_TRIPLES)
    assert len(_answers_kept(synthetic) - kept) == 1

    mapping = synthetic / "mappings" / "documents" / "005.yaml"
    text = mapping.read_text(encoding="utf-8")
    mapping.write_text(text.replace("label:\n    en: ", "label:\n    en: Renamed ", 1), encoding="utf-8")
    build(project)
    renamed = _validated(project, cache)
    assert renamed == validate(project.ontology, project.dist, run_triples=RUN_TRIPLES)
    assert len(_answers_kept(synthetic) - kept) == 2
    assert [f.focus_label for f in renamed.findings if f.focus_label.startswith("Renamed ")]
