"""`kg coverage`: sentences mapped, skipped with a reason, or unaccounted — including text
outside every article."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from kg import Project
from kg.check.coverage import OUTSIDE, Status, coverage
from kg.cli import app
from kg.mapping.sentences import split_units
from tests.conftest import make_project


def test_bullets_citations_and_sentences_are_units() -> None:
    text = "Core Insights - China leads [1] - It refines 90% [2][3] Industry Developments - Prices rose. Then fell."
    units = [text[a:b] for a, b in split_units(text, 0, len(text))]
    assert units == [
        "Core Insights",
        "China leads [1]",
        "It refines 90% [2][3]",
        "Industry Developments",
        "Prices rose.",
        "Then fell.",
    ]


def test_statuses_of_the_minimal_fixture(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    articles = {a.article: a for a in coverage(Project.at(root))}
    assert set(articles) == {"1", "2"}
    first = [(u.text, u.status) for u in articles["1"].units]
    assert first == [
        ("Acme Rare Metals names a new finance chief", Status.MAPPED),  # the title
        ("Example Wire · 2025-03-04 09:30", Status.MAPPED),  # the byline
        (
            "Acme Rare Metals, a subsidiary of Acme Group, said on March 3 that Jane Doe resigned as chief "
            "financial officer in February 2025.",
            Status.MAPPED,
        ),
        ("Rumours say she joined a rival laboratory in Canada.", Status.MAPPED),
    ]
    second = [(u.text, u.status) for u in articles["2"].units]
    assert second == [
        ("艾克米集团声明", Status.MAPPED),
        ("示例日报 · 2025-03-05", Status.UNACCOUNTED),
        ("艾克米集团表示，其市场份额为12.5%。", Status.MAPPED),
    ]


def test_skipped_text_and_text_outside_articles(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    seed = root / "seeds" / "doc.txt"
    seed.write_text("Site menu\n" + seed.read_text(encoding="utf-8"), encoding="utf-8")
    mapping = root / "mappings" / "documents" / "doc.yaml"
    text = (
        mapping.read_text(encoding="utf-8")
        .replace("lines: 1-3", "lines: 2-4")
        .replace("lines: 4-6", "lines: 5-7")
    )
    text += '\nskipped:\n  - quote: "示例日报 · 2025-03-05"\n    reason: byline\n    article: "2"\n'
    mapping.write_text(text, encoding="utf-8")

    articles = {a.article: a for a in coverage(Project.at(root))}
    assert [(u.text, u.status, u.reason) for u in articles["2"].units if u.status is Status.SKIPPED] == [
        ("示例日报 · 2025-03-05", Status.SKIPPED, "byline")
    ]
    assert [(u.text, u.line, u.status) for u in articles[OUTSIDE].units] == [
        ("Site menu", 1, Status.UNACCOUNTED)
    ]

    strict = CliRunner().invoke(app, ["coverage", "--root", str(root), "--strict"], env={"COLUMNS": "200"})
    assert strict.exit_code == 1
    assert "seeds/doc.txt:1: [unaccounted] Site menu" in strict.stdout
    assert "Coverage: 1 sentence(s) unaccounted for; every date is placed." in strict.stdout
    assert CliRunner().invoke(app, ["coverage", "--root", str(root)]).exit_code == 0
