"""`kg add` and `kg propose`: a new document gets a draft mapping that builds, quoting its
sentences, with known entities found, new ones proposed, and dates in the current form."""

from __future__ import annotations

import hashlib
from pathlib import Path

from typer.testing import CliRunner

from kg import Project, build
from kg.cli import app
from kg.mapping import schema
from kg.mapping.load import load_model
from kg.review.dates import date_value, find_dates, period_values
from tests.conftest import make_project

ARTICLE = """\
Acme Group names a new finance chief
Example Wire · 2025-06-30 10:00
Acme Rare Metals said on June 28 that Chief Financial Officer Jane Doe resigned in April. Rumours say Acme Group denied it. Widget Labs holds 12.5% of the market.
"""


def add(tmp_path: Path) -> tuple[Path, Path]:
    """A fixture project with ARTICLE added by `kg add`; the root and the draft mapping."""
    root = make_project(tmp_path)
    new = tmp_path / "article.txt"
    new.write_text(ARTICLE, encoding="utf-8")
    result = CliRunner().invoke(app, ["add", str(new), "--root", str(root)])
    assert result.exit_code == 0, result.output
    mapping = root / "mappings" / "documents" / "000.yaml"
    assert f"Wrote {mapping}" in result.stdout
    return root, mapping


def test_kg_add_copies_the_document_and_proposes_a_mapping_that_builds(tmp_path: Path) -> None:
    root, mapping = add(tmp_path)
    doc = load_model(mapping, mapping, schema.DocumentFile).model
    digest = hashlib.sha256(ARTICLE.encode()).hexdigest()
    assert sorted(p.name for p in (root / "seeds").iterdir()) == [f"000_{digest[:16]}.txt", "doc.txt"]
    assert (doc.document, doc.sha256) == (f"seeds/000_{digest[:16]}.txt", digest)
    assert doc.review.status == "draft"
    [article] = doc.articles
    assert (article.lines, article.outlet, article.published, article.language) == (
        "1-3",
        "example-wire",
        "2025-06-30 10:00",
        ["en"],
    )
    assert article.title is not None and article.title.en == "Acme Group names a new finance chief"
    facts = {(f.subject, tuple(sorted((k, str(v)) for k, v in f.properties.items()))) for f in doc.facts}
    assert (
        "post-jane-doe-cfo",
        (
            ("kg:endDate", "said='April'"),
            ("kg:endedHow", "kg:Resigned"),
            ("org:member", "jane-doe"),
            ("org:organization", "acme-rare-metals"),
            ("org:role", "role:chief-financial-officer"),
        ),
    ) in facts
    figure = next(f for f in doc.facts if "kg:value" in f.properties)
    assert figure.properties["kg:value"] == "12.5" and figure.properties["kg:unit"] == "percent"
    assert figure.properties["kg:observedSubject"] == "widget-labs"
    assert {e.id: e.kind for e in doc.entities}["widget-labs"] == "kg:Organization"
    rumour = next(f for f in doc.facts if f.evidence[0].quote == "Rumours say Acme Group denied it.")
    assert (rumour.properties, rumour.evidence[0].stance) == ({"kg:about": "acme-group"}, "rumoured")
    said = next(f for f in doc.facts if f.subject == "post-jane-doe-cfo").evidence[0]
    assert (said.quote, said.asserted_by) == (
        "Acme Rare Metals said on June 28 that Chief Financial Officer Jane Doe resigned in April.",
        "acme-rare-metals",
    )
    # Every sentence is proposed or listed as not yet mapped; drafts build, and stay out of a release.
    quoted = {e.quote for f in doc.facts for e in f.evidence}
    assert quoted == {
        "Acme Group names a new finance chief",
        "Acme Rare Metals said on June 28 that Chief Financial Officer Jane Doe resigned in April.",
        "Rumours say Acme Group denied it.",
        "Widget Labs holds 12.5% of the market.",
    }
    with_drafts = build(Project.at(root), tmp_path / "drafts", include_drafts=True)
    assert with_drafts.documents["000"].facts == len(doc.facts)
    assert build(Project.at(root), tmp_path / "release").documents["000"].facts == 0


def test_never_overwrites_and_refuses_a_document_twice(tmp_path: Path) -> None:
    root, mapping = add(tmp_path)
    before = mapping.read_bytes()
    again = CliRunner().invoke(app, ["add", str(tmp_path / "article.txt"), "--root", str(root)])
    assert again.exit_code == 1
    assert "has the same content" in again.stderr
    seed = next(p for p in (root / "seeds").iterdir() if p.name.startswith("000_"))
    repeat = CliRunner().invoke(app, ["propose", str(seed), "--root", str(root)])
    assert repeat.exit_code == 1
    assert "mappings/documents/000.yaml exists; kg propose never overwrites a mapping" in repeat.stderr
    assert mapping.read_bytes() == before
    outside = CliRunner().invoke(app, ["propose", str(tmp_path / "article.txt"), "--root", str(root)])
    assert outside.exit_code == 1 and "is not in seeds/" in outside.stderr


def test_a_changed_seed_no_longer_matches_its_mapping(tmp_path: Path) -> None:
    root, _ = add(tmp_path)
    seed = next(p for p in (root / "seeds").iterdir() if p.name.startswith("000_"))
    seed.write_text(ARTICLE.replace("April", "May"), encoding="utf-8")
    result = CliRunner().invoke(app, ["build", "--root", str(root), "--include-drafts"])
    assert result.exit_code == 1
    assert (
        "mappings/documents/000.yaml:5: seeds/" in result.stderr
        and "this mapping was made for" in result.stderr
    )


def test_dates_are_written_in_the_texts_words_or_in_edtf() -> None:
    text = "In April, on June 28, in December 2021, this year, between 2019 and 2022, the first half of 2024, around 2019, 2025年6月28日, 近日"
    found = find_dates(text)
    assert [w.text for w in found] == [
        "April",
        "June 28",
        "December 2021",
        "this year",
        "between 2019 and 2022",
        "the first half of 2024",
        "around 2019",
        "2025年6月28日",
        "近日",
    ]
    # every one of them is wording kg places itself (and checks against the quote)
    assert [date_value(w) for w in found] == [{"said": w.text} for w in found]
    assert period_values(found[4]) == {"kg:period": {"said": "between 2019 and 2022"}}
    # wording kg does not read is written in EDTF
    (until,) = find_dates("from 2019 until 2022")
    assert date_value(until) == "2019/2022"
