"""Catalogue queries compare date intervals: a date inside the period answers "yes", one the
sources date less precisely answers "possibly", one outside is left out; conflicting dates
are judged side by side; periods are given as 2025, 2025-04, 2025-04-17, 2025-Q2, 2025-H1.
On the minimal fixture: Jane Doe, CFO of Acme Rare Metals (a unit of Acme Group), resigned
"in February 2025"."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg import Project, build, open_graph, run_named
from tests.test_time_model import MAY_FACT, STATEMENT_FACT, project, with_fact

ACME = "ent:acme-group"


def departures(root: Path, start: str, end: str) -> list[tuple[str | None, ...]]:
    report = build(Project.at(root))
    with open_graph(report.out) as graph:
        result = run_named(graph, "departures", org=ACME, **{"from": start, "to": end})
    return [(r["person"], r["ended"], r["inPeriod"], r["placed"]) for r in result.records()]


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2025", "2025", [("Jane Doe", "February 2025", "yes", "stated")]),
        ("2025-02", "2025-02", [("Jane Doe", "February 2025", "yes", "stated")]),
        ("2025-Q1", "2025-Q1", [("Jane Doe", "February 2025", "yes", "stated")]),
        ("2025-H1", "2025-H1", [("Jane Doe", "February 2025", "yes", "stated")]),
        ("2025-02-10", "2025-02-20", [("Jane Doe", "February 2025", "possibly", "stated")]),
        ("2024", "2025-01", []),
        ("2025-03", "2025-12", []),
    ],
)
def test_departures_compare_the_end_interval_with_the_period(
    tmp_path: Path, start: str, end: str, expected: list[tuple[str, ...]]
) -> None:
    assert departures(make(tmp_path), start, end) == expected


def make(tmp_path: Path, *edits: tuple[str, str]) -> Path:
    return project(tmp_path, *edits)


def test_a_year_only_date_is_a_marked_possibility_for_a_month(tmp_path: Path) -> None:
    root = make(tmp_path, ('      kg:endDate: "2025-02"\n', '      kg:endDate: "2025"\n'))
    assert departures(root, "2025-02", "2025-02") == [("Jane Doe", "2025", "possibly", "stated")]
    assert departures(root, "2025", "2025") == [("Jane Doe", "2025", "yes", "stated")]


def test_conflicting_dates_are_judged_side_by_side(tmp_path: Path) -> None:
    root = make(tmp_path, with_fact(MAY_FACT))
    both = [("Jane Doe", "February 2025 / May 2025", "yes", "sources conflict")]
    assert departures(root, "2025", "2025") == both
    assert departures(root, "2025-02", "2025-02") == [
        ("Jane Doe", "February 2025 / May 2025", "possibly", "sources conflict")
    ]
    assert departures(root, "2025-06", "2025-12") == []


def test_post_holders_on_a_date_or_period(tmp_path: Path) -> None:
    report = build(Project.at(make(tmp_path)))
    with open_graph(report.out) as graph:

        def holders(when: str) -> list[tuple[str | None, ...]]:
            rows = run_named(graph, "post-holders-on", org=ACME, date=when).records()
            return [(r["person"], r["status"]) for r in rows]

        assert holders("2025-01-15") == [("Jane Doe", "held (ended later: February 2025)")]
        assert holders("2025-02") == [("Jane Doe", "possibly no longer held: ended February 2025")]
        assert holders("2025-03-01") == []


def test_what_happened_in_a_period_and_the_timeline_order(tmp_path: Path) -> None:
    fact = STATEMENT_FACT.replace('{said: "%s"}', '"XXXX-03-03"')
    # no reference time: the statement's date stays without a year, last on the timeline
    root = make(tmp_path, ('    published: "2025-03-04 09:30"\n', ""), with_fact(fact))
    report = build(Project.at(root))
    with open_graph(report.out) as graph:
        happened = run_named(graph, "happened-in", period="2025-Q1").records()
        timeline = run_named(graph, "timeline").records()
    assert [(r["date"], r["what"], r["inPeriod"]) for r in happened] == [
        ("February 2025", "post ended", "yes")
    ]
    assert [(r["date"], r["what"], r["note"]) for r in timeline] == [
        ("February 2025", "post ended", ""),
        ("3 March, year not known", "statement made", "not placed: no year, and no reference time"),
    ]
