"""The build's cache (kg.cache, `.kg-cache/`): a build that uses it writes the same bytes as a
clean build, also after a mapping changes; a damaged entry is noticed and recomputed; an
entry left unused for a week is deleted."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from kg import Project, build
from kg.cache import FOLDER, PRUNED, UNUSED, Cache
from tests.conftest import REPO, built_files, make_project


def _entries(root: Path) -> dict[str, bytes]:
    """What was read and compiled (not the stamps of the builds, kg.compile.uptodate)."""
    return {p.name: p.read_bytes() for p in (root / FOLDER).glob("*.json") if not p.name.startswith("build-")}


def _same_as_clean(root: Path, tmp_path: Path, name: str) -> dict[str, bytes]:
    """Build with the cache and without; the files must be byte for byte the same."""
    cached = build(Project.at(root), tmp_path / f"{name}-cached").out
    clean = build(Project.at(root), tmp_path / f"{name}-clean", use_cache=False).out
    files = built_files(cached)
    assert files == built_files(clean)
    assert len(files) >= 6
    return files


@pytest.fixture
def seed_copy(tmp_path: Path) -> Path:
    root = tmp_path / "seed"
    for folder in ("ontology", "mappings", "seeds"):
        shutil.copytree(REPO / folder, root / folder)
    return root


def test_a_cached_build_writes_what_a_clean_build_writes(seed_copy: Path, tmp_path: Path) -> None:
    first = _same_as_clean(seed_copy, tmp_path, "first")  # fills the cache
    entries = _entries(seed_copy)
    read = [name for name in entries if name.startswith("yaml-")]
    assert len(read) == len(list((seed_copy / "mappings").rglob("*.yaml")))
    assert _same_as_clean(seed_copy, tmp_path, "again") == first  # from the cache
    assert _entries(seed_copy) == entries

    mapping = seed_copy / "mappings" / "registry" / "people.yaml"
    text = mapping.read_text(encoding="utf-8")
    mapping.write_text(text.replace("label: {en: ", "label: {en: Dr ", 1), encoding="utf-8")
    edited = _same_as_clean(seed_copy, tmp_path, "edited")
    assert edited["graph.nt"] != first["graph.nt"]
    assert len(_entries(seed_copy)) == len(entries) + 1  # only the edited file was read again
    # (the documents' records stay: they refer to the person, whatever the person's label)


def test_a_damaged_entry_is_recomputed_not_used(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    clean = built_files(build(Project.at(root), tmp_path / "clean", use_cache=False).out)
    build(Project.at(root), tmp_path / "fill")
    entries = sorted(root / FOLDER / name for name in _entries(root))
    assert len(entries) == 3  # the two files read, the document compiled
    good = _entries(root)
    damaged = entries[0].read_bytes().replace(b"Acme", b"Acne").replace(b"Jane", b"June")
    assert damaged != entries[0].read_bytes()
    entries[0].write_bytes(damaged)
    entries[1].write_bytes(entries[1].read_bytes()[:-20])  # cut short
    entries[2].write_bytes(entries[2].read_bytes()[:-20])
    assert built_files(build(Project.at(root), tmp_path / "rebuilt").out) == clean
    assert _entries(root) == good  # all written again, as they were


def test_no_cache_leaves_no_folder(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    build(Project.at(root), use_cache=False)
    assert not (root / FOLDER).exists()


def test_an_entry_unused_for_a_week_is_deleted_at_most_once_a_day(tmp_path: Path) -> None:
    folder = tmp_path / FOLDER
    cache = Cache(folder)
    with cache.transaction():
        for key, value in (("old", 1), ("used", 2), ("new", 3)):
            cache.put(key, value)
    assert (folder / PRUNED).is_file()
    week_ago = time.time() - UNUSED - 60
    for key in ("old", "used"):
        os.utime(folder / f"{key}.json", (week_ago, week_ago))
    (folder / PRUNED).unlink()  # as if the last pruning were more than a day ago

    with cache.transaction():
        assert cache.get("used") == 2  # using an entry keeps it
    assert sorted(p.stem for p in folder.glob("*.json")) == ["new", "used"]

    os.utime(folder / "new.json", (week_ago, week_ago))
    with cache.transaction():
        pass
    assert (folder / "new.json").is_file()  # pruned less than a day ago: left for tomorrow
