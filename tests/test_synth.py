"""`kg synth`: a synthetic project goes through the full build with every quote found in its
document, validates with no violation, and the same seed writes the same bytes."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

import kg.cli
from kg import Project, build
from kg.check.findings import Severity
from kg.check.validate import validate
from kg.synth.corpus import corpus, synthesize
from tests.conftest import REPO


def files_of(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def mappings_of(files: dict[str, str]) -> list[dict[str, Any]]:
    return [yaml.safe_load(text) for path, text in files.items() if path.startswith("mappings/documents/")]


def test_a_synthetic_project_builds_with_every_quote_verified_and_validates(tmp_path: Path) -> None:
    root = tmp_path / "synthetic"
    facts = synthesize(Project.at(REPO), 12, root, seed=7)
    report = build(Project.at(root))
    written = {str(p.relative_to(root)): p.read_text("utf-8") for p in root.rglob("*.yaml")}
    evidence = sum(len(fact["evidence"]) for mapping in mappings_of(written) for fact in mapping["facts"])
    assert facts > 12 * 4
    assert report.quotes_verified == evidence
    assert set(report.documents) == {f"{n:03d}" for n in range(12)}
    findings = validate(root / "ontology", root / "dist").findings
    assert [f for f in findings if f.severity is Severity.VIOLATION] == []
    # The only warnings are the rumours the corpus means to contain, disputed by denials.
    assert {f.shape for f in findings} <= {"check:disputed-statement-warning"}


def test_the_same_seed_writes_the_same_bytes_and_another_seed_other_ones(tmp_path: Path) -> None:
    first, again, other = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    synthesize(Project.at(REPO), 15, first, seed=3)
    synthesize(Project.at(REPO), 15, again, seed=3)
    synthesize(Project.at(REPO), 15, other, seed=4)
    assert files_of(first) == files_of(again)
    assert files_of(first)["seeds/000.txt"] != files_of(other)["seeds/000.txt"]
    assert files_of(first)["ontology/kg.ttl"] == (REPO / "ontology" / "kg.ttl").read_bytes()


def test_the_corpus_has_the_shape_of_the_seed_corpus() -> None:
    files, _ = corpus(200, seed=1)
    texts = "\n".join(text for path, text in files.items() if path.startswith("seeds/"))
    mappings = "\n".join(text for path, text in files.items() if path.startswith("mappings/documents/"))
    languages = Counter(m["articles"][0]["language"][0] for m in mappings_of(files))
    assert languages["en"] > languages["zh"] > 0
    for wording in ("said: this month", "said: last year", "said: in ", "said: 本月", "said: 去年"):
        assert wording in mappings, wording
    for shape in ("kg:lowerBound", "kg:upperBound", "kg:valueQualifier", "kg:denies", "kg:disputes",
                  "kg:controls", "element:", "claim: claim-", "kg:endDate", "kg:startDate", "kg:period"):  # fmt: skip
        assert shape in mappings, shape
    # Zipf-like reuse: the most mentioned firm is in many documents, most firms in few.
    registry = [
        entity
        for path, text in files.items()
        if path.startswith("mappings/registry/")
        for entity in yaml.safe_load(text)["entities"]
    ]
    firms = [e["id"] for e in registry if e["kind"] in {"kg:Firm", "kg:ListedCompany", "kg:StateOwnedGroup"}]
    documents = [text for path, text in files.items() if path.startswith("mappings/documents/")]
    in_documents = sorted((sum(f"{firm}\n" in d for d in documents) for firm in firms), reverse=True)
    assert in_documents[0] >= 3 * in_documents[len(in_documents) // 2] > 0
    assert "辞去" in texts and "resigned as" in texts


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--docs", "0"], "error: --docs must be at least 1 (got 0)"),
        (["--docs", "3"], "exists and is not an empty directory; choose a new one"),
    ],
)
def test_bad_arguments_are_refused_and_nothing_is_written(
    tmp_path: Path, args: list[str], message: str
) -> None:
    out = tmp_path / "taken"
    out.mkdir()
    (out / "notes.txt").write_text("mine\n", encoding="utf-8")
    result = CliRunner().invoke(kg.cli.app, ["synth", "--root", str(REPO), "-o", str(out), *args])
    assert result.exit_code == 1
    assert message in result.output
    assert files_of(out) == {"notes.txt": b"mine\n"}
    assert [p.name for p in tmp_path.iterdir()] == ["taken"]
