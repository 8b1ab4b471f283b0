"""Dates as the text gives them, placed on the calendar as intervals with a precision.

A mapping writes a date either in EDTF (ISO 8601-2, parsed by the `edtf` package) as precise
as the text — `2025-04-17`, `2025-04`, `2025`, quarters `2025-33`…`2025-36`, halves
`2025-40`/`2025-41`, ranges `2019/2022`, approximate `2019~`, uncertain `2019?`, decades
`201X`, and without a year `XXXX-04` or `XXXX-06-28` — or as the words of the text
(`{said: "this month"}`, see `WORDING`). A date without a year, and any relative wording, is
placed against the reference time of its article (when it was written): never more precisely
than that reference allows.
"""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from functools import cache

from edtf import parse_edtf
from edtf.parser.edtf_exceptions import EDTFParseException
from pyparsing import ParserElement


class Precision(Enum):
    """The unit a date is given in, from the finest to the coarsest."""

    DAY = "day"
    MONTH = "month"
    QUARTER = "quarter"
    HALF_YEAR = "half-year"
    YEAR = "year"
    DECADE = "decade"
    CENTURY = "century"


@dataclass(frozen=True)
class Interval:
    """Earliest and latest day a date may be (both included)."""

    earliest: datetime.date
    latest: datetime.date

    def contains(self, other: Interval) -> bool:
        return self.earliest <= other.earliest and other.latest <= self.latest

    def overlaps(self, other: Interval) -> bool:
        return self.earliest <= other.latest and other.earliest <= self.latest

    def hull(self, other: Interval) -> Interval:
        return Interval(min(self.earliest, other.earliest), max(self.latest, other.latest))


@dataclass(frozen=True)
class Placed:
    """A date on the calendar: its EDTF form and its bounds; its precision is the unit of
    its EDTF form (of the coarser end, for a range)."""

    edtf: str
    bounds: Interval
    approximate: bool = False
    uncertain: bool = False

    @property
    def precision(self) -> Precision:
        ends = self.edtf.split("/")
        return max((_precision(end) for end in ends), key=_ORDER.index)

    @property
    def earliest(self) -> datetime.date:
        return self.bounds.earliest

    @property
    def latest(self) -> datetime.date:
        return self.bounds.latest


@dataclass(frozen=True)
class Yearless:
    """A month, or a day of a month, whose year the text does not give (`XXXX-04`)."""

    month: int
    day: int | None = None

    @property
    def edtf(self) -> str:
        return f"XXXX-{self.month:02d}" + (f"-{self.day:02d}" if self.day else "")


class Relative(Enum):
    """Wording placed relative to the reference time: (unit, offset in units)."""

    THIS_YEAR = ("year", 0)
    LAST_YEAR = ("year", -1)
    THIS_MONTH = ("month", 0)
    LAST_MONTH = ("month", -1)
    RECENTLY = ("recent", 1)  # the year before the reference, up to it
    PAST_DECADE = ("past", 10)  # the ten years before the reference, up to it


@dataclass(frozen=True)
class Until:
    """'By 2030': from the reference time up to the end of a year."""

    year: int


Expression = Placed | Yearless | Relative | Until

_EDTF_CHARS = re.compile(r"[0-9X\-/~?%]+", re.ASCII)
_YEARLESS = re.compile(r"XXXX-(\d{2})(?:-(\d{2}))?", re.ASCII)
_SEASONS = {33: Precision.QUARTER, 34: Precision.QUARTER, 35: Precision.QUARTER, 36: Precision.QUARTER}
_SEASONS |= {40: Precision.HALF_YEAR, 41: Precision.HALF_YEAR}  # EDTF sub-year groupings
_QUARTER_MONTHS = {1: (1, 3), 2: (4, 6), 3: (7, 9), 4: (10, 12)}


def parse(value: str) -> Placed | Yearless:
    """An EDTF date as a mapping writes it; raises ValueError saying what is wrong."""
    if not _EDTF_CHARS.fullmatch(value):
        raise ValueError(
            f"'{value}' is not an EDTF date (e.g. 2025-04-17, 2025-04, 2025, 2025-33, 2019/2022, "
            '2019~, 201X, XXXX-04), nor wording such as {said: "this month"}'
        )
    if match := _YEARLESS.fullmatch(value):
        month, day = int(match.group(1)), int(match.group(2)) if match.group(2) else None
        _check_day(value, 2024, month, day)  # a leap year: 29 February is possible
        return Yearless(month, day)
    if "/" in value:
        first, _, last = value.partition("/")
        start, end = parse(first), parse(last)
        if not isinstance(start, Placed) or not isinstance(end, Placed):
            raise ValueError(f"'{value}': both ends of a range need a year")
        if end.latest < start.earliest:
            raise ValueError(f"'{value}': the range ends before it starts")
        return Placed(value, start.bounds.hull(end.bounds), start.approximate or end.approximate)
    if "X" in value and not re.fullmatch(r"\d{2,3}X{1,2}", value):
        raise ValueError(
            f"'{value}': unspecified digits only for decades and centuries (201X, 19XX) or a year (XXXX-04)"
        )
    if match := re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?", value, re.ASCII):
        month = int(match.group(2))
        if match.group(3) and month <= 12:
            try:
                datetime.date(int(match.group(1)), month, int(match.group(3)))
            except ValueError as exc:
                raise ValueError(f"impossible date '{value}': {exc}") from None
        elif not (1 <= month <= 12 or month in _SEASONS):
            raise ValueError(f"impossible date '{value}': month {month} does not exist")
    return Placed(
        value,
        _plain_bounds(value) or _edtf_bounds(value),
        approximate=value.endswith(("~", "%")),
        uncertain=value.endswith(("?", "%")),
    )


_PLAIN = re.compile(r"(\d{4})(?:-(0[1-9]|1[0-2])(?:-(\d{2}))?)?", re.ASCII)


def _plain_bounds(value: str) -> Interval | None:
    """The days of a plain year, month or day (2025, 2025-04, 2025-04-17), as the EDTF
    grammar gives them but ~1000 times faster; None for any other form."""
    match = _PLAIN.fullmatch(value)
    if not match or match.group(1) == "0000":
        return None
    year, month, day = int(match.group(1)), match.group(2), match.group(3)
    if day:
        return Interval(datetime.date(year, int(month), int(day)), datetime.date(year, int(month), int(day)))
    if month:
        last = calendar.monthrange(year, int(month))[1]
        return Interval(datetime.date(year, int(month), 1), datetime.date(year, int(month), last))
    return Interval(datetime.date(year, 1, 1), datetime.date(year, 12, 31))


@cache
def _edtf_bounds(value: str) -> Interval:
    try:
        parsed = parse_edtf(value)
    except EDTFParseException:
        raise ValueError(f"'{value}' is not a valid EDTF date (impossible or malformed)") from None
    finally:
        # pyparsing's packrat cache keeps the exceptions it re-raised, tracebacks and all: left
        # until the next parse, they keep every caller's frame alive (in a build, every mapping)
        ParserElement.reset_cache()
    return Interval(_day(parsed.lower_fuzzy()), _day(parsed.upper_fuzzy()))


_ORDER = list(Precision)
_QUARTER_OR_HALF = re.compile(r"(\d{4})-([QH])([1-4])", re.ASCII)


def parse_period(value: str) -> Placed:
    """A period as a query parameter gives it: 2025, 2025-04, 2025-04-17, 2025-Q2, 2025-H1,
    or any EDTF date with a year (2019/2022). Raises ValueError."""
    normal = _QUARTER_OR_HALF.sub(
        lambda m: f"{m.group(1)}-{(32 if m.group(2) == 'Q' else 39) + int(m.group(3))}", value
    )
    if (match := _QUARTER_OR_HALF.fullmatch(value)) and match.group(2) == "H" and int(match.group(3)) > 2:
        raise ValueError(f"'{value}': a year has two halves, H1 and H2")
    placed = parse(normal)
    if not isinstance(placed, Placed):
        raise ValueError(f"'{value}': a period needs a year")
    return placed


def _precision(value: str) -> Precision:
    core = value.rstrip("~?%")
    if re.fullmatch(r"\d{2}XX", core):
        return Precision.CENTURY
    if re.fullmatch(r"\d{3}X", core):
        return Precision.DECADE
    if re.fullmatch(r"-?\d{4}", core):
        return Precision.YEAR
    if match := re.fullmatch(r"\d{4}-(\d{2})", core):
        return _SEASONS.get(int(match.group(1)), Precision.MONTH)
    return Precision.DAY


def _day(moment: object) -> datetime.date:
    year, month, day = moment[:3]  # type: ignore[index]
    return datetime.date(year, month, day)


def _check_day(value: str, year: int, month: int, day: int | None) -> None:
    if not 1 <= month <= 12:
        raise ValueError(f"impossible date '{value}': month {month} does not exist")
    if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
        raise ValueError(f"impossible date '{value}': no such day in that month")


def place(expression: Expression, reference: Placed | None) -> Placed:
    """The expression on the calendar; a yearless or relative one against the reference time
    of its article. Raises LookupError (the reason) when it cannot be placed."""
    if isinstance(expression, Placed):
        return expression
    if reference is None:
        raise LookupError("its article has no reference time")
    if isinstance(expression, Yearless):
        return _place_yearless(expression, reference.bounds)
    if isinstance(expression, Until):
        if expression.year < reference.earliest.year:
            raise LookupError(f"'by {expression.year}' ends before its article's reference time")
        return _years(reference.earliest.year, expression.year)
    return _place_relative(expression, reference.bounds)


def _place_yearless(when: Yearless, reference: Interval) -> Placed:
    """The latest such month or day not after each end of the reference: one candidate, or a
    range of them when the reference spans more than a year."""

    def occurrence(year: int) -> Interval:
        last = calendar.monthrange(year, when.month)[1]
        if when.day is not None and when.day > last:  # 29 February in a common year
            return occurrence(year - 1)
        first_day, last_day = (when.day, when.day) if when.day else (1, last)
        return Interval(datetime.date(year, when.month, first_day), datetime.date(year, when.month, last_day))

    def latest_not_after(day: datetime.date) -> int:
        return day.year if occurrence(day.year).earliest <= day else day.year - 1

    first, last = latest_not_after(reference.earliest), latest_not_after(reference.latest)
    tail = when.edtf[4:]
    edtf = f"{first}{tail}" if first == last else f"{first}{tail}/{last}{tail}"
    return Placed(edtf, occurrence(first).hull(occurrence(last)))


def _place_relative(wording: Relative, reference: Interval) -> Placed:
    """Whole years or months around the reference, rounded outwards: "recently" is the
    twelve months before the reference up to it, "over the past decade" the ten years."""
    unit, offset = wording.value
    start, end = reference.earliest, reference.latest
    if unit == "year":
        return _years(start.year + offset, end.year + offset)
    if unit == "past":
        return _years(start.year - offset, end.year)
    months = offset if unit == "month" else -12
    return _months(_shift_month(start, months), _shift_month(end, offset if unit == "month" else 0))


def _years(first: int, last: int) -> Placed:
    edtf = str(first) if first == last else f"{first}/{last}"
    return Placed(edtf, Interval(datetime.date(first, 1, 1), datetime.date(last, 12, 31)))


def _months(first: datetime.date, last: datetime.date) -> Placed:
    bounds = Interval(first, last.replace(day=calendar.monthrange(last.year, last.month)[1]))
    same = (first.year, first.month) == (last.year, last.month)
    return Placed(f"{first:%Y-%m}" if same else f"{first:%Y-%m}/{last:%Y-%m}", bounds)


def _shift_month(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


# The wording a mapping may give as {said: ...}: matched whole, case-insensitively; `{y}` is a
# year, `{m}` a month name (English) or number (Chinese), `{d}` a day.
_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_RELATIVE = {
    Relative.THIS_YEAR: r"(?:earlier )?this year|今年|本年",
    Relative.LAST_YEAR: r"last year|去年",
    Relative.THIS_MONTH: r"this month(?: alone)?|本月|当月|这个月",
    Relative.LAST_MONTH: r"last month|上月|上个月",
    Relative.RECENTLY: r"recently|recent|lately|近日|近期|最近|日前",
    Relative.PAST_DECADE: r"(?:over |in )?the past decade|(?:over |in )?the last decade|过去十年|近十年",
}


def read_wording(said: str) -> Expression:
    """What the words of a text say about a date (see WORDING); raises ValueError."""
    text = re.sub(r"\s+", " ", said.strip().lower().replace("\u2013", "-").replace("\u2014", "-"))
    text = re.sub(r"^(?:in|on|since|during|from|starting from|starting|as of) ", "", text)
    for relative, pattern in _RELATIVE.items():
        if re.fullmatch(pattern, text, re.ASCII):
            return relative
    for pattern, build in _ABSOLUTE:
        if match := re.fullmatch(pattern, text, re.ASCII):
            return build(match)
    raise ValueError(
        f"'{said}' is not wording kg can place; write the date in EDTF instead (see mappings/README.md)"
    )


def _month_number(name: str) -> int:
    return int(name) if name.isdigit() else _MONTHS[name.rstrip(".")]


def _date(match: re.Match[str]) -> Expression:
    """A year, month or day as the groups y, m, d give them; without y, a yearless date."""
    groups = match.groupdict()
    month = f"-{_month_number(groups['m']):02d}" if groups.get("m") else ""
    day = f"-{int(groups['d']):02d}" if groups.get("d") else ""
    return parse(f"{groups.get('y') or 'XXXX'}{month}{day}")


def _season(code: int) -> Builder:
    return lambda match: parse(f"{match.group('y')}-{code}")


def _quarter(match: re.Match[str]) -> Expression:
    return parse(f"{match.group('y')}-{32 + _ordinal(match.group('a'))}")


def _quarters(match: re.Match[str]) -> Expression:
    first, last = _ordinal(match.group("a")), _ordinal(match.group("b"))
    year = match.group("y")
    return parse(f"{year}-{_QUARTER_MONTHS[first][0]:02d}/{year}-{_QUARTER_MONTHS[last][1]:02d}")


def _first_quarters(match: re.Match[str], count: int) -> Expression:
    year = match.group("y")
    return parse(f"{year}-01/{year}-{_QUARTER_MONTHS[count][1]:02d}")


def _range(match: re.Match[str]) -> Expression:
    return parse(f"{match.group('a')}/{match.group('b')}")


def _ordinal(text: str) -> int:
    return {"first": 1, "second": 2, "third": 3, "fourth": 4, "一": 1, "二": 2, "三": 3, "四": 4}.get(
        text
    ) or int(text)


Builder = Callable[[re.Match[str]], Expression]
_Y = r"(?P<y>\d{4})"
_M = rf"(?P<m>{_MONTH_RE})\.?"
_D = r"(?P<d>\d{1,2})(?:st|nd|rd|th)?"
_ZH_M = r"(?P<m>\d{1,2})月"
_ZH_D = r"(?P<d>\d{1,2})日"
_ABSOLUTE: list[tuple[str, Builder]] = [
    (rf"{_Y}", _date),
    (rf"{_M},? {_Y}", _date),
    (rf"{_M} {_D},? {_Y}", _date),
    (rf"{_D} {_M},? {_Y}", _date),
    (rf"{_M}", _date),
    (rf"{_M} {_D}", _date),
    (rf"{_D} {_M}", _date),
    (rf"{_Y}年", _date),
    (rf"{_Y}年{_ZH_M}", _date),
    (rf"{_Y}年{_ZH_M}{_ZH_D}", _date),
    (_ZH_M, _date),
    (rf"{_ZH_M}{_ZH_D}", _date),
    (rf"(?:early|the beginning of) {_Y}", _season(40)),
    (rf"{_Y}年初", _season(40)),
    (rf"(?:late|the end of) {_Y}", _season(41)),
    (rf"{_Y}年(?:底|末)", _season(41)),
    (rf"(?:the )?first half of {_Y}", _season(40)),
    (rf"h1 {_Y}", _season(40)),
    (rf"{_Y}年上半年", _season(40)),
    (rf"(?:the )?second half of {_Y}", _season(41)),
    (rf"h2 {_Y}", _season(41)),
    (rf"{_Y}年下半年", _season(41)),
    (rf"(?:the )?(?P<a>first|second|third|fourth) quarter of {_Y}", _quarter),
    (rf"q(?P<a>[1-4]) {_Y}", _quarter),
    (rf"{_Y}年第(?P<a>[一二三四])季度", _quarter),
    (rf"q(?P<a>[1-4]) ?- ?q(?P<b>[1-4]) {_Y}", _quarters),
    (
        rf"(?:the )?first (?:three|3) quarters of {_Y}",
        lambda m: parse(f"{m.group('y')}-01/{m.group('y')}-09"),
    ),
    (rf"{_Y}年前三季度", lambda m: parse(f"{m.group('y')}-01/{m.group('y')}-09")),
    (r"(?:between )?(?P<a>\d{4}) (?:and|to) (?P<b>\d{4})", _range),
    (r"(?P<a>\d{4}) ?- ?(?P<b>\d{4})", _range),
    (r"(?P<a>\d{4})年?(?:至|到|-)(?P<b>\d{4})年", _range),
    (rf"(?:around|about|circa|c\.|approximately) {_Y}", lambda m: parse(f"{m.group('y')}~")),
    (rf"{_Y}年(?:左右|前后)", lambda m: parse(f"{m.group('y')}~")),
    (r"the (?P<c>\d{3})0s", lambda m: parse(f"{m.group('c')}X")),
    (rf"by {_Y}", lambda m: Until(int(m.group("y")))),
    (rf"到{_Y}年", lambda m: Until(int(m.group("y")))),
]


WORDING = """\
relative to the article's reference time: this year, last year, this month, last month,
recently (the twelve months before, up to it), over the past decade (the ten years before),
by 2030; 今年, 去年, 本月, 上月, 近日, 近期, 最近, 过去十年, 到2030年;
without a year: January, in April, June 28, 28 June; 4月, 6月28日;
absolute: 2025, April 2025, April 17, 2025; early/late 2025, the first/second half of 2024,
the first quarter of 2024, Q1 2024, Q1-Q3 2024, the first three quarters of 2024,
between 2019 and 2022, 2019-2022, around 2019, the 2010s; 2025年, 2025年4月, 2025年4月17日,
2024年上半年, 2024年前三季度, 2019年左右"""
