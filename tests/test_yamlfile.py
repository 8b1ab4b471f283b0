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
