"""Mapping YAML is read as plain data: strings, lists and mappings, with line numbers."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.errors import KgError
from kg.mapping.yamlfile import YamlDocument, load_yaml


def _load(tmp_path: Path, text: str) -> YamlDocument:
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    return load_yaml(path, Path("x.yaml"))


def test_scalars_stay_strings_so_country_codes_and_symbols_survive(tmp_path: Path) -> None:
    doc = _load(tmp_path, "countries: [NO, ON, Y]\nvalue: 012\nwhen: 2025-06-28\nempty:\nquoted: ''\n")
    assert doc.data == {
        "countries": ["NO", "ON", "Y"],
        "value": "012",
        "when": "2025-06-28",
        "empty": None,
        "quoted": "",
    }


def test_line_of_each_value(tmp_path: Path) -> None:
    doc = _load(tmp_path, "a:\n  - x: 1\n    y: 2\n  - z: 3\n")
    assert doc.line_of(("a", 0, "y")) == 3
    assert doc.line_of(("a", 1, "z")) == 4
    assert doc.line_of(("a", 1, "missing")) == 4


def test_merge_keys_are_refused(tmp_path: Path) -> None:
    with pytest.raises(KgError, match="merge keys"):
        _load(tmp_path, "a: {x: 1}\nb:\n  <<: {y: 2}\n")


def test_file_too_large_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("kg.mapping.yamlfile.MAX_BYTES", 10)
    with pytest.raises(KgError, match="larger than 10 bytes"):
        _load(tmp_path, "a: 0123456789\n")


def test_libyaml_reads_every_mapping_file_as_the_python_reader_does(monkeypatch: pytest.MonkeyPatch) -> None:
    """libyaml parses (fast); PyYAML's own parser is the reference, and reports errors."""
    from kg.mapping import yamlfile
    from tests.conftest import REPO

    files = sorted((REPO / "mappings").rglob("*.yaml"))
    fast = [load_yaml(path) for path in files]
    monkeypatch.setattr(yamlfile, "_FastLoader", yamlfile._Loader)
    reference = [load_yaml(path) for path in files]
    assert len(files) > 5
    for got, expected in zip(fast, reference, strict=True):
        assert (got.data, got.lines) == (expected.data, expected.lines), got.path


def test_an_error_is_reported_as_pyyaml_words_it(tmp_path: Path) -> None:
    with pytest.raises(KgError) as raised:
        _load(tmp_path, "a: b\n  c: d\n")
    assert str(raised.value) == "x.yaml:2: malformed YAML: mapping values are not allowed here"
