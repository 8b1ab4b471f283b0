"""The held-back measurement: a document's reviewed mapping and the registry entries only it
introduces are set aside, and `kg propose` drafts the document again."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg import Project
from kg.mapping.load import load_mappings
from kg.review.heldback import _entities, _introduced_only_by, measure
from tests.conftest import REPO


def test_document_004_held_back(tmp_path: Path) -> None:
    score = measure(Project.at(REPO), "004", tmp_path)
    copy = tmp_path / "held-back-004" / "mappings"
    declared = {e.id for r in load_mappings(copy, copy).registry for e in r.model.entities}
    only_004 = {
        "china-northern-rare-earth-group",
        "du-ying",
        "post-du-ying-cufe-professor",
        "central-university-of-finance-and-economics",
        "baotou",
        "baogang-group",
    }
    assert not declared & only_004
    assert {"china-rare-earth-group", "rare-earths", "sou-hu-cai-jing"} <= declared  # others' entries stay
    assert "proposed by kg propose" in (copy / "documents" / "004.yaml").read_text(encoding="utf-8")
    # 004.yaml names the lecture, its two audiences and three claims (its own), the six
    # entries above, and country:CN; its facts hold 28 statements, two of them twice.
    assert (score.entities, score.facts) == (13, 26)
    assert score.sentences == 14
    assert 0 < score.entities_found <= 13 and 0 < score.facts_found <= 26


def test_reference_data_is_never_set_aside() -> None:
    """Countries and elements come from reference data, not from a mapping: a country only one
    document names stays known (and counts as found when the proposal names it)."""
    mappings = load_mappings(REPO / "mappings", Path("mappings"))
    documents = [d.model for d in mappings.documents]
    for doc in documents:
        assert not {r for r in _introduced_only_by(doc, documents, mappings.registry) if ":" in r}
    only_003 = _entities(next(d for d in documents if d.id == "003"))
    only_003 -= set().union(*(_entities(d) for d in documents if d.id != "003"))
    assert "country:MY" in only_003  # named by 003 alone, yet not set aside


@pytest.mark.parametrize("doc_id", ["000", "001", "002", "003", "004"])
def test_each_seed_document_held_back_meets_the_recall_targets(doc_id: str, tmp_path: Path) -> None:
    """Issue 15's targets, document by document: at least 80 % of the entities and 60 % of the
    facts of the reviewed mapping, with the draft built (it must load)."""
    score = measure(Project.at(REPO), doc_id, tmp_path)
    assert score.entity_share >= 0.8, score
    assert score.fact_share >= 0.6, score
