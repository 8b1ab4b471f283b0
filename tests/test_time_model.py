"""The time model in the build: dates placed against their article's reference time (and
marked so, with the text's words kept), reviewed reference times for undated articles, one
preferred value where sources differ only in precision, conflicting values kept out of the
plain layer, and the named checks that guard all of it. Each test edits the minimal fixture
(an article of 4 March 2025: "Acme Rare Metals ... said on March 3 that Jane Doe resigned as
chief financial officer in February 2025.") and reads the build."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from kg import Project, build
from kg.check.coverage import coverage_report
from kg.check.validate import validate
from kg.cli import app
from kg.errors import KgError
from kg.vocab import PREFIXES
from tests.conftest import make_project

DOC = Path("mappings") / "documents" / "doc.yaml"
STATEMENT_FACT = """
  - id: acme-statement
    subject: claim-jane-doe-resigned
    properties:
      kg:about: jane-doe
      kg:statedOn: {said: "%s"}
    evidence:
      - article: "1"
        quote: "said on March 3 that Jane Doe resigned"
        stance: officially-stated
        asserted_by: acme-rare-metals
"""
# a second end date, coarser than "in February 2025" (consistent), or one that conflicts with it
YEAR_FACT = """
  - id: resigned-in-2025
    subject: post-jane-doe-cfo
    properties:
      kg:endDate: {said: "2025"}
    evidence:
      - article: "1"
        quote: "Jane Doe resigned as chief financial officer in February 2025"
"""
MAY_FACT = """
  - id: resigned-in-may
    subject: post-jane-doe-cfo
    properties:
      kg:endDate: "2025-05"
    evidence:
      - article: "1"
        quote: "Jane Doe resigned"
"""
CLAIM = """  - id: claim-jane-doe-resigned
    kind: kg:Claim
    label: {en: Jane Doe resigned}

"""


def project(tmp_path: Path, *edits: tuple[str, str]) -> Path:
    """The minimal fixture with (old, new) replacements in its document mapping, and the
    fact that Acme stated on March 3 that Jane Doe resigned appended."""
    root = make_project(tmp_path)
    path = root / DOC
    text = path.read_text(encoding="utf-8")
    text = text.replace("entities:\n", "entities:\n" + CLAIM, 1)
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return root


def with_fact(fact: str) -> tuple[str, str]:
    last = "    review: {status: draft, reviewer: tester, date: 2026-01-02}\n"
    return last, last + fact


def rows(dist: Path, query: str) -> list[dict[str, str]]:
    store = ox.Store()
    for name in ("graph.nt", "inferred.nt"):
        if (dist / name).is_file():
            store.bulk_load(path=str(dist / name), format=ox.RdfFormat.N_TRIPLES)
    answer = store.query(query, prefixes=PREFIXES)
    assert isinstance(answer, ox.QuerySolutions)
    names = [v.value for v in answer.variables]
    return [{n: s[n].value for n in names if s[n] is not None} for s in answer]


def date_statements(dist: Path, subject: str, predicate: str) -> set[tuple[str, ...]]:
    found = rows(
        dist,
        f"""SELECT ?edtf ?rank ?how ?said ?conflict WHERE {{
              ?s rdf:subject {subject} ; rdf:predicate {predicate} ; rdf:object/kg:edtf ?edtf ;
                 wikibase:rank ?rank .
              OPTIONAL {{ ?s kg:derivation ?how }} OPTIONAL {{ ?s kg:statedAs ?said }}
              BIND (EXISTS {{ ?s kg:conflictsWith [] }} AS ?conflict) }}""",
    )
    return {
        (
            r["edtf"],
            r["rank"].rsplit("#", 1)[1],
            r.get("how", "#stated").rsplit("#", 1)[1],
            r.get("said", ""),
            r["conflict"],
        )
        for r in found
    }


def plain(dist: Path, subject: str, predicate: str) -> set[str]:
    return {r["edtf"] for r in rows(dist, f"SELECT ?edtf WHERE {{ {subject} {predicate}/kg:edtf ?edtf }}")}


CLAIM_IRI, POST = "ent:claim-jane-doe-resigned", "ent:post-jane-doe-cfo"


def test_a_date_without_a_year_is_placed_against_its_article_and_marked(tmp_path: Path) -> None:
    report = build(Project.at(project(tmp_path, with_fact(STATEMENT_FACT % "March 3"))))
    # the article is of 4 March 2025: "March 3" is 3 March 2025, and says how it got there
    assert date_statements(report.out, CLAIM_IRI, "kg:statedOn") == {
        ("2025-03-03", "NormalRank", "ResolvedAgainstReferenceTime", "March 3", "false")
    }
    assert plain(report.out, CLAIM_IRI, "kg:statedOn") == {"2025-03-03"}
    assert rows(
        report.out, "SELECT ?e ?l WHERE { date:2025-03-03 kg:earliest ?e ; kg:latest ?l ; time:unitType ?u }"
    ) == [{"e": "2025-03-03", "l": "2025-03-03"}]
    stats = report.documents["doc"]
    assert (stats.dates_stated, stats.dates_resolved, stats.dates_combined, stats.dates_unplaced) == (
        1,
        1,
        0,
        0,
    )


def test_the_words_must_be_in_a_quote_of_the_fact(tmp_path: Path) -> None:
    root = project(tmp_path, with_fact(STATEMENT_FACT % "March 4"))
    with pytest.raises(KgError, match="the words 'March 4' are not in the fact's quote"):
        build(Project.at(root))
    result = CliRunner().invoke(app, ["build", "--root", str(root)])
    assert result.exit_code == 1
    assert (
        "doc.yaml:" in result.stderr and "the words 'March 4' are not in the fact's quote(s)" in result.stderr
    )


def test_relative_words_need_a_reference_time(tmp_path: Path) -> None:
    root = project(tmp_path, ('    published: "2025-03-04 09:30"\n', ""))
    seed = root / "seeds" / "doc.txt"
    seed.write_text(
        seed.read_text(encoding="utf-8").replace("in Canada.", "in Canada. It was this month."),
        encoding="utf-8",
    )
    fact = (
        STATEMENT_FACT.replace("said on March 3 that Jane Doe resigned", "It was this month.") % "this month"
    )
    (root / DOC).write_text(
        (root / DOC)
        .read_text(encoding="utf-8")
        .replace("\n  - id: draft-country", fact + "\n  - id: draft-country"),
        encoding="utf-8",
    )
    with pytest.raises(KgError, match="cannot place 'this month': its article has no reference time"):
        build(Project.at(root))


def test_a_date_without_a_year_and_without_a_reference_time_stays_as_the_text_gives_it(
    tmp_path: Path,
) -> None:
    fact = STATEMENT_FACT.replace('{said: "%s"}', '"XXXX-03-03"')
    root = project(tmp_path, ('    published: "2025-03-04 09:30"\n', ""), with_fact(fact))
    report = build(Project.at(root))
    assert date_statements(report.out, CLAIM_IRI, "kg:statedOn") == {
        ("XXXX-03-03", "NormalRank", "stated", "XXXX-03-03", "false")
    }
    assert (
        rows(
            report.out, "SELECT ?e WHERE { <https://w3id.org/sovereignty-kg/date/XXXX-03-03> kg:earliest ?e }"
        )
        == []
    )
    assert report.documents["doc"].dates_unplaced == 1
    found = coverage_report(Project.at(root))
    assert [(d.value, d.reason) for d in found.unplaced] == [
        ("XXXX-03-03", "its article has no reference time")
    ]
    strict = CliRunner().invoke(app, ["coverage", "--root", str(root), "--strict"], env={"COLUMNS": "200"})
    assert strict.exit_code == 1 and "[unplaced date] 'XXXX-03-03'" in strict.stdout
    findings = validate(root / "ontology", report.out).findings
    assert [f.shape for f in findings if f.focus.value.endswith("claim-jane-doe-resigned")] == [
        "check:unplaced-date-warning"
    ]


def test_the_most_precise_consistent_value_is_preferred_and_alone_in_the_plain_layer(tmp_path: Path) -> None:
    report = build(Project.at(project(tmp_path, with_fact(YEAR_FACT))))
    assert date_statements(report.out, POST, "kg:endDate") == {
        ("2025-02", "PreferredRank", "stated", "", "false"),
        ("2025", "NormalRank", "stated", "2025", "false"),
    }
    assert plain(report.out, POST, "kg:endDate") == {"2025-02"}


def test_conflicting_values_are_both_kept_marked_and_out_of_the_plain_layer(tmp_path: Path) -> None:
    root = project(tmp_path, with_fact(MAY_FACT))
    report = build(Project.at(root))
    assert date_statements(report.out, POST, "kg:endDate") == {
        ("2025-02", "NormalRank", "stated", "", "true"),
        ("2025-05", "NormalRank", "stated", "", "true"),
    }
    assert plain(report.out, POST, "kg:endDate") == set()
    warnings = [
        f
        for f in validate(root / "ontology", report.out).findings
        if f.shape == "check:date-conflict-warning"
    ]
    assert sorted(f.message for f in warnings) == [
        "Sources conflict on this date: February 2025 (article doc.1) against May 2025 (article doc.1).",
        "Sources conflict on this date: May 2025 (article doc.1) against February 2025 (article doc.1).",
    ]


def test_a_combined_fact_gives_its_date_with_a_year(tmp_path: Path) -> None:
    combined = """
  - id: combined
    subject: post-jane-doe-cfo
    properties:
      kg:endDate: "XXXX-02"
    combines: [doc.cfo-resigned, doc.subsidiary]
    note: {en: a test}
"""
    with pytest.raises(KgError, match="a combined fact gives its dates in full"):
        build(Project.at(project(tmp_path, with_fact(combined))))


INFERRED = """    reference:
      date: "2025-03-03/2025-03-10"
      based_on: [doc.subsidiary]
      note: {en: "The subsidiary's statement is of March 3."}
"""


def test_an_undated_article_gets_a_reviewed_reference_time_with_note_and_evidence(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        ('    published: "2025-03-04 09:30"\n', INFERRED),
        with_fact(STATEMENT_FACT % "March 3"),
    )
    report = build(Project.at(root))
    assert rows(
        report.out,
        """SELECT ?edtf ?how ?note ?quote WHERE {
             ?s rdf:subject article:doc.1 ; rdf:predicate kg:referenceTime ; rdf:object/kg:edtf ?edtf ;
                kg:derivation ?how ; kg:note ?note ; kg:evidence/oa:exact ?quote }""",
    ) == [
        {
            "edtf": "2025-03-03/2025-03-10",
            "how": PREFIXES["kg"] + "InferredReferenceTime",
            "note": "The subsidiary's statement is of March 3.",
            "quote": "Acme Rare Metals, a subsidiary of Acme Group",
        }
    ]
    assert plain(report.out, CLAIM_IRI, "kg:statedOn") == {"2025-03-03"}  # placed against it


def test_a_reference_time_rests_on_known_facts_and_needs_a_year(tmp_path: Path) -> None:
    unknown = INFERRED.replace("[doc.subsidiary]", "[doc.nothing]")
    with pytest.raises(KgError, match=r"based_on unknown fact 'doc\.nothing'"):
        build(Project.at(project(tmp_path / "a", ('    published: "2025-03-04 09:30"\n', unknown))))
    yearless = INFERRED.replace('"2025-03-03/2025-03-10"', '"XXXX-03"')
    with pytest.raises(KgError, match="a reference time needs a year"):
        build(Project.at(project(tmp_path / "b", ('    published: "2025-03-04 09:30"\n', yearless))))
    both = '    published: "2025-03-04 09:30"\n' + INFERRED
    with pytest.raises(KgError, match="an article with a published date needs no inferred reference time"):
        build(Project.at(project(tmp_path / "c", ('    published: "2025-03-04 09:30"\n', both))))


def _checked(root: Path, dist: Path, old: str, new: str) -> list[tuple[str, str]]:
    """Findings after replacing `old` by `new` in the built graph (what a mapping cannot do)."""
    graph = dist / "graph.nt"
    text = graph.read_text(encoding="utf-8")
    assert old in text, old
    graph.write_text(text.replace(old, new), encoding="utf-8")
    return [(f.shape, f.focus.value.rsplit("/", 1)[-1]) for f in validate(root / "ontology", dist).findings]


DATE = "https://w3id.org/sovereignty-kg/date/"
KG = PREFIXES["kg"]


def test_check_a_resolved_date_after_its_article_was_written(tmp_path: Path) -> None:
    root = project(tmp_path, with_fact(STATEMENT_FACT % "March 3"))
    report = build(Project.at(root))
    reference = f"<https://w3id.org/sovereignty-kg/article/doc.1> <{KG}referenceTime> <{DATE}2025-03-04> ."
    moved = f"<https://w3id.org/sovereignty-kg/article/doc.1> <{KG}referenceTime> <{DATE}2025-02> ."
    assert ("check:resolved-date-after-reference-violation", "claim-jane-doe-resigned") in _checked(
        root, report.out, reference, moved
    )


def test_check_a_preferred_value_that_is_not_the_most_precise(tmp_path: Path) -> None:
    root = project(tmp_path, with_fact(YEAR_FACT))
    report = build(Project.at(root))
    preferred = "<http://wikiba.se/ontology#rank> <http://wikiba.se/ontology#PreferredRank> ."
    normal = "<http://wikiba.se/ontology#rank> <http://wikiba.se/ontology#NormalRank> ."
    graph = report.out / "graph.nt"
    lines = graph.read_text(encoding="utf-8").splitlines(keepends=True)
    swapped = [
        line.replace(preferred, normal)
        if preferred in line
        else line.replace(normal, preferred)
        if normal in line
        else line
        for line in lines
    ]
    graph.write_text("".join(swapped), encoding="utf-8")
    findings = [
        (f.shape, f.focus.value.rsplit("/", 1)[-1]) for f in validate(root / "ontology", report.out).findings
    ]
    assert ("check:preferred-date-not-most-precise-violation", "post-jane-doe-cfo") in findings


def test_shapes_bounds_in_order_and_a_post_ending_before_it_starts(tmp_path: Path) -> None:
    fact = """
  - id: started
    subject: post-jane-doe-cfo
    properties:
      kg:startDate: {said: "March 3"}
    evidence:
      - article: "1"
        quote: "said on March 3 that Jane Doe resigned"
"""
    root = project(tmp_path, with_fact(fact))
    report = build(Project.at(root))
    findings = [
        (f.shape, f.focus.value.rsplit("/", 1)[-1]) for f in validate(root / "ontology", report.out).findings
    ]
    assert ("kgsh:Post-end-after-start", "post-jane-doe-cfo") in findings  # ends in February, starts 3 March
    inverted = _checked(
        root,
        report.out,
        f'<{DATE}2025-02> <{KG}earliest> "2025-02-01"',
        f'<{DATE}2025-02> <{KG}earliest> "2025-03-01"',
    )
    assert ("kgsh:DateInterval-earliest", "2025-02") in inverted
