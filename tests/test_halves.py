"""Many mapping files are read and compiled in halves, the second in a forked child
(kg.sidebyside.halves): the build writes the same bytes as one that reads and compiles them
one by one, fills the cache alike, and reports a bad file in the child's half as it would."""

from __future__ import annotations

import os
import re
import signal
import tempfile
from pathlib import Path

import pytest

import kg.compile.compiler
import kg.mapping.load
from kg import Project, build
from kg.cache import FOLDER
from kg.errors import KgErrors
from tests.conftest import SYNTHETIC_DOCUMENTS, built_files

DOCUMENTS = SYNTHETIC_DOCUMENTS


def _in_halves(monkeypatch: pytest.MonkeyPatch, many: int) -> None:
    """Split the reading and compiling of `many` mapping files or more."""
    monkeypatch.setattr(kg.mapping.load, "MANY", many)
    monkeypatch.setattr(kg.compile.compiler, "MANY", many)


def _one_by_one(root: Path, out: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """The files of a clean build file by file; the builds after it go in halves."""
    _in_halves(monkeypatch, DOCUMENTS + 1)
    files = built_files(build(Project.at(root), out, use_cache=False).out)
    _in_halves(monkeypatch, 2)
    return files


def test_a_build_in_halves_is_the_build_one_by_one_and_fills_the_cache_alike(
    synthetic: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one_by_one = _one_by_one(synthetic, tmp_path / "one-by-one", monkeypatch)
    clean = build(Project.at(synthetic), tmp_path / "clean", use_cache=False)
    assert built_files(clean.out) == one_by_one and clean.replayed == 0
    assert not (synthetic / FOLDER).exists()

    first = build(Project.at(synthetic), tmp_path / "first")
    cached = {kind: len(list((synthetic / FOLDER).glob(f"{kind}-*.json"))) for kind in ("yaml", "compiled")}
    files = len(list((synthetic / "mappings").rglob("*.yaml")))  # the registry's and the documents'
    assert cached == {"yaml": files, "compiled": DOCUMENTS}
    again = build(Project.at(synthetic), tmp_path / "again")
    assert (first.replayed, again.replayed) == (0, DOCUMENTS)
    assert built_files(first.out) == built_files(again.out) == one_by_one


def test_without_a_temporary_folder_the_build_does_both_halves_itself(
    synthetic: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one_by_one = _one_by_one(synthetic, tmp_path / "one-by-one", monkeypatch)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "missing"))
    alone = build(Project.at(synthetic), tmp_path / "alone")
    assert built_files(alone.out) == one_by_one
    assert len(list((synthetic / FOLDER).glob("compiled-*.json"))) == DOCUMENTS


def test_when_the_child_is_killed_the_build_does_its_half_itself(
    synthetic: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one_by_one = _one_by_one(synthetic, tmp_path / "one-by-one", monkeypatch)

    def killed(*args: object) -> None:
        os.kill(os.getpid(), signal.SIGKILL)

    monkeypatch.setattr(kg.mapping.load, "parse_beside", killed)
    monkeypatch.setattr(kg.compile.compiler, "_compile_beside", killed)
    alone = build(Project.at(synthetic), tmp_path / "alone")
    assert built_files(alone.out) == one_by_one and alone.replayed == 0
    assert len(list((synthetic / FOLDER).glob("compiled-*.json"))) == DOCUMENTS


def _reported(root: Path, out: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """What a build in halves reports, having checked that one by one reports the same."""
    reported = []
    for many in (DOCUMENTS + 1, 2):
        _in_halves(monkeypatch, many)
        with pytest.raises(KgErrors) as caught:
            build(Project.at(root), out)
        reported.append(str(caught.value))
    assert reported[0] == reported[1] and not out.exists()
    return reported[1]


def test_errors_in_the_childs_half_are_reported_as_one_by_one(
    synthetic: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    documents = sorted((synthetic / "mappings" / "documents").glob("*.yaml"))
    malformed, misquoted = documents[-3], documents[-1]
    text = malformed.read_text(encoding="utf-8")
    malformed.write_text(text + "\n  - [unclosed\n", encoding="utf-8")
    assert "malformed YAML" in _reported(synthetic, tmp_path / "dist", monkeypatch)
    malformed.write_text(text, encoding="utf-8")

    text = misquoted.read_text(encoding="utf-8")
    quote = re.search(r"- quote: (.+)", text)
    assert quote is not None
    misquoted.write_text(text.replace(quote.group(1), "Words that are in no document.", 1), encoding="utf-8")
    assert f"{misquoted.name}:" in _reported(synthetic, tmp_path / "dist", monkeypatch)
