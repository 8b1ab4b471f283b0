"""`kg coverage`: sentences mapped, skipped with a reason, or unaccounted — including text
outside every article."""

from __future__ import annotations

import shutil
from pathlib import Path

from typer.testing import CliRunner

from kg import Project
from kg.check.coverage import OUTSIDE, Status, coverage
from kg.cli import app
from kg.mapping.sentences import split_clauses, split_units
from tests.conftest import REPO, make_project


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
    assert "Coverage: 1 sentence(s) unaccounted for." in strict.stdout
    assert CliRunner().invoke(app, ["coverage", "--root", str(root)]).exit_code == 0


SENTENCE = (
    "According to a report from Central News Agency, citing Chinese media outlet Calian Press, the management "
    "of China Rare Earth Holdings—a listed subsidiary under China Rare Earth Group—has reportedly seen a wave "
    "of departures this year."
)


def test_a_sentence_of_the_seeds_splits_into_its_clauses() -> None:
    assert SENTENCE in (REPO / "seeds" / "002_2b76bc5165057ce8.txt").read_text(encoding="utf-8")
    assert [SENTENCE[a:b] for a, b in split_clauses(SENTENCE, 0, len(SENTENCE))] == [
        "According to a report from Central News Agency",
        "citing Chinese media outlet Calian Press",
        "the management of China Rare Earth Holdings—a listed subsidiary under China Rare Earth Group—has "
        "reportedly seen a wave of departures this year.",
    ]
    title = "欧盟设置30天期限,要中国必须交出稀土,中方用一道命令给出回应"
    assert [title[a:b] for a, b in split_clauses(title, 0, len(title))] == [
        "欧盟设置30天期限",
        "要中国必须交出稀土",
        "中方用一道命令给出回应",
    ]
    times = "Example Wire · 2025-03-04 09:30, sold 1,070 tonnes"
    assert [times[a:b] for a, b in split_clauses(times, 0, len(times))] == [
        "Example Wire · 2025-03-04 09:30",
        "sold 1,070 tonnes",
    ]


def _seed_project(tmp_path: Path) -> Path:
    root = tmp_path / "seeds-project"
    for folder in ("ontology", "mappings", "seeds"):
        shutil.copytree(REPO / folder, root / folder)
    return root


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_the_seed_corpus_leaves_out_no_clause() -> None:
    articles = coverage(Project.at(REPO))
    assert [u.left_out for a in articles for u in a.units if u.left_out] == []
    assert sum(a.gaps for a in articles) == 0


def test_a_quote_that_drops_a_clause_with_a_number_is_flagged(tmp_path: Path) -> None:
    root = _seed_project(tmp_path)
    _edit(
        root / "mappings" / "documents" / "000.yaml",
        """quote: 'The EU issued a "last ultimatum" to China, demanding a resolution to rare earth supply issues within 30 days'""",
        """quote: 'The EU issued a "last ultimatum" to China'""",
    )
    articles = {(a.document, a.article): a for a in coverage(Project.at(root))}
    partly = [u for u in articles[("000", "3")].units if u.status is Status.PARTLY]
    assert [(u.line, u.left_out) for u in partly] == [
        (13, ("demanding a resolution to rare earth supply issues within 30 days",))
    ]
    assert articles[("000", "3")].gaps == 1
    strict = CliRunner().invoke(app, ["coverage", "--root", str(root), "--strict"], env={"COLUMNS": "200"})
    assert strict.exit_code == 1
    assert (
        "seeds/000_2c6faabbbc8f7456.txt:13: [clause left out] demanding a resolution to rare earth supply "
        "issues within 30 days" in strict.stdout
    )
    assert "1 clause(s) carrying a number, date or name left out of mapped sentences." in strict.stdout


def test_an_attribution_left_unquoted_and_unskipped_is_flagged_by_its_name(tmp_path: Path) -> None:
    root = _seed_project(tmp_path)
    # the Wall Street Journal's report is mapped from its attribution clause: drop that quote
    _edit(
        root / "mappings" / "documents" / "002.yaml",
        '      - quote: "according to Wall Street Journal, Chinese authorities have reportedly instructed'
        ' rare-earth companies to submit lists of employees with technical expertise"\n',
        "",
    )
    left_out = [clause for a in coverage(Project.at(root)) for u in a.units for clause in u.left_out]
    assert left_out == ["according to Wall Street Journal"]
