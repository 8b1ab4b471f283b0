"""Dates as the text gives them, placed on the calendar (kg.mapping.dates): EDTF and the text's
words, bounds and precision, and placement against an article's reference time. Expected
bounds are worked out by hand from the calendar."""

from __future__ import annotations

import gc
import weakref
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.mapping import dates
from kg.mapping.dates import (
    Placed,
    Precision,
    Relative,
    Until,
    Yearless,
    parse,
    parse_period,
    place,
    read_wording,
)

Y, M, Q, H, D = Precision.YEAR, Precision.MONTH, Precision.QUARTER, Precision.HALF_YEAR, Precision.DAY


def bounds(value: Placed) -> tuple[str, str, Precision]:
    return value.earliest.isoformat(), value.latest.isoformat(), value.precision


@pytest.mark.parametrize(
    ("edtf", "expected"),
    [
        ("2025-04-17", ("2025-04-17", "2025-04-17", D)),
        ("2025-04", ("2025-04-01", "2025-04-30", M)),
        ("2024-02", ("2024-02-01", "2024-02-29", M)),  # a leap year
        ("2025", ("2025-01-01", "2025-12-31", Y)),
        ("2025-33", ("2025-01-01", "2025-03-31", Q)),  # first quarter
        ("2025-36", ("2025-10-01", "2025-12-31", Q)),
        ("2024-40", ("2024-01-01", "2024-06-30", H)),  # first half
        ("2024-41", ("2024-07-01", "2024-12-31", H)),
        ("2019/2022", ("2019-01-01", "2022-12-31", Y)),
        ("2025-06/2025-12", ("2025-06-01", "2025-12-31", M)),
        ("2019~", ("2018-01-01", "2020-12-31", Y)),  # approximate: one year either side
        ("2019?", ("2018-01-01", "2020-12-31", Y)),
        ("201X", ("2010-01-01", "2019-12-31", Precision.DECADE)),
        ("19XX", ("1900-01-01", "1999-12-31", Precision.CENTURY)),
    ],
)
def test_edtf_dates_have_bounds_and_a_precision(edtf: str, expected: tuple[str, str, Precision]) -> None:
    value = parse(edtf)
    assert isinstance(value, Placed)
    assert (value.edtf, bounds(value)) == (edtf, expected)


def test_approximate_and_uncertain_are_kept() -> None:
    assert (parse("2019~").approximate, parse("2019~").uncertain) == (True, False)  # type: ignore[union-attr]
    assert (parse("2019?").approximate, parse("2019?").uncertain) == (False, True)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("2022/2019", "the range ends before it starts"),
        ("2025-02-30", "impossible date '2025-02-30': day is out of range for month"),
        ("2025-13", "impossible date '2025-13': month 13 does not exist"),
        ("XXXX-02-30", "no such day in that month"),
        ("２０２５", "is not an EDTF date"),  # full-width digits
        ("2025\n", "is not an EDTF date"),  # a trailing newline
        ("20250201", "is not a valid EDTF date"),
        ("XXXX-04/2025-06", "both ends of a range need a year"),
        ("20X5", "unspecified digits only for decades and centuries"),
    ],
)
def test_impossible_or_malformed_dates_are_refused_with_the_reason(text: str, error: str) -> None:
    with pytest.raises(ValueError, match=error.replace("(", r"\(").replace(")", r"\)")):
        parse(text)


def test_a_date_without_a_year() -> None:
    assert parse("XXXX-04") == Yearless(4)
    assert parse("XXXX-06-28") == Yearless(6, 28)
    assert parse("XXXX-02-29") == Yearless(2, 29)  # possible in a leap year


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("this year", Relative.THIS_YEAR),
        ("This month alone", Relative.THIS_MONTH),
        ("last month", Relative.LAST_MONTH),
        ("recently", Relative.RECENTLY),
        ("over the past decade", Relative.PAST_DECADE),
        ("今年", Relative.THIS_YEAR),
        ("近日", Relative.RECENTLY),
        ("in January", Yearless(1)),
        ("June 28", Yearless(6, 28)),
        ("28 June", Yearless(6, 28)),
        ("6月28日", Yearless(6, 28)),
        ("by 2030", Until(2030)),
    ],
)
def test_relative_and_yearless_wording(said: str, expected: object) -> None:
    assert read_wording(said) == expected


@pytest.mark.parametrize(
    ("said", "edtf"),
    [
        ("in 2023", "2023"),
        ("April 17, 2025", "2025-04-17"),
        ("December 2021", "2021-12"),
        ("in early 2025", "2025-40"),
        ("the first half of 2024", "2024-40"),
        ("2024年上半年", "2024-40"),
        ("In the first three quarters of 2024", "2024-01/2024-09"),
        ("Q1-Q3 2024", "2024-01/2024-09"),
        ("the second quarter of 2025", "2025-34"),
        ("between 2019 and 2022", "2019/2022"),
        ("2019年至2022年", "2019/2022"),
        ("around 2019", "2019~"),
        ("the 2010s", "201X"),
        ("2025年4月17日", "2025-04-17"),
    ],
)
def test_absolute_wording_becomes_edtf(said: str, edtf: str) -> None:
    value = read_wording(said)
    assert isinstance(value, Placed) and value.edtf == edtf


def test_wording_kg_cannot_place_is_refused() -> None:
    for said in ("soon", "in the coming years", "２０２５", "June 31"):
        with pytest.raises(ValueError):
            read_wording(said)


# A reference time: when an article was written (001: 29 June – 31 December 2025).
LATE_2025 = parse("2025-06-29/2025-12-31")
A_DAY = parse("2025-03-04")


@pytest.mark.parametrize(
    ("said", "reference", "expected"),
    [
        ("in January", A_DAY, ("2025-01", "2025-01-01", "2025-01-31")),
        ("in December", A_DAY, ("2024-12", "2024-12-01", "2024-12-31")),  # the last December before
        ("March 3", A_DAY, ("2025-03-03", "2025-03-03", "2025-03-03")),
        ("March 5", A_DAY, ("2024-03-05", "2024-03-05", "2024-03-05")),  # after the article: a year before
        ("in January", LATE_2025, ("2025-01", "2025-01-01", "2025-01-31")),
        ("June 28", LATE_2025, ("2025-06-28", "2025-06-28", "2025-06-28")),
        # a reference spanning June to December places "December" in either year: a range
        ("December", LATE_2025, ("2024-12/2025-12", "2024-12-01", "2025-12-31")),
        ("this year", LATE_2025, ("2025", "2025-01-01", "2025-12-31")),
        ("last year", LATE_2025, ("2024", "2024-01-01", "2024-12-31")),
        ("this month", A_DAY, ("2025-03", "2025-03-01", "2025-03-31")),
        # never more precise than the reference allows
        ("This month alone", LATE_2025, ("2025-06/2025-12", "2025-06-01", "2025-12-31")),
        ("last month", LATE_2025, ("2025-05/2025-11", "2025-05-01", "2025-11-30")),
        ("recently", A_DAY, ("2024-03/2025-03", "2024-03-01", "2025-03-31")),
        ("over the past decade", A_DAY, ("2015/2025", "2015-01-01", "2025-12-31")),
        ("by 2030", A_DAY, ("2025/2030", "2025-01-01", "2030-12-31")),
    ],
)
def test_placed_against_the_reference_time(
    said: str, reference: Placed, expected: tuple[str, str, str]
) -> None:
    value = place(read_wording(said), reference)
    assert (value.edtf, value.earliest.isoformat(), value.latest.isoformat()) == expected


def test_29_february_falls_back_to_the_last_leap_year() -> None:
    value = place(Yearless(2, 29), parse("2025-06-01"))  # type: ignore[arg-type]
    assert value.earliest == date(2024, 2, 29)


def test_without_a_reference_time_nothing_is_guessed() -> None:
    with pytest.raises(LookupError, match="its article has no reference time"):
        place(Yearless(4), None)
    with pytest.raises(LookupError):
        place(Relative.THIS_YEAR, None)
    assert place(parse("2025-04"), None).edtf == "2025-04"


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        ("2025", ("2025-01-01", "2025-12-31")),
        ("2025-04", ("2025-04-01", "2025-04-30")),
        ("2025-04-17", ("2025-04-17", "2025-04-17")),
        ("2025-Q2", ("2025-04-01", "2025-06-30")),
        ("2025-H2", ("2025-07-01", "2025-12-31")),
        ("2019/2022", ("2019-01-01", "2022-12-31")),
    ],
)
def test_query_periods(period: str, expected: tuple[str, str]) -> None:
    value = parse_period(period)
    assert (value.earliest.isoformat(), value.latest.isoformat()) == expected


def test_a_period_needs_a_year() -> None:
    for period in ("XXXX-04", "2025-H3", "last year", "2025-Q5"):
        with pytest.raises(ValueError):
            parse_period(period)


@settings(max_examples=60, deadline=None)  # the EDTF grammar takes ~0.1 s a date
@given(st.dates(date(1000, 1, 1), date(2999, 12, 31)), st.sampled_from([4, 7, 10]))
def test_plain_dates_have_the_bounds_the_edtf_grammar_gives(day: date, length: int) -> None:
    value = day.isoformat()[:length]
    assert dates._plain_bounds(value) == dates._edtf_bounds(value)


def test_parsing_an_edtf_date_keeps_nothing_of_its_caller_alive() -> None:
    """pyparsing's packrat cache keeps the exceptions it re-raised, with their tracebacks: at
    10,000 documents, the build's compile context (every mapping, 700 MB) outlived compiling."""

    class Held:
        pass

    def caller() -> weakref.ref[Held]:
        held = Held()
        dates.parse("1987-33")  # a quarter: read by the EDTF grammar, not the plain fast path
        return weakref.ref(held)

    held = caller()
    gc.collect()
    assert held() is None
