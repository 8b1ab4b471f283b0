"""Dates in a sentence — absolute ("June 28", "December 2021", "2025年6月28日"), parts of a
year ("the first half of 2024"), ranges ("between 2019 and 2022") and relative wording
("this year", "近日") — and how a mapping writes them.

`date_value` is the one place that decides the written form: the text's own words
(`{said: "June 28"}`) wherever kg.mapping.dates can place them, which the build checks against
the quote and places against the article's reference time; otherwise EDTF (`XXXX-04`,
`2024-40`, `2019~`, `2019/2022`).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from kg.mapping.dates import Placed, Yearless, read_wording

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?P<year>(?:19|20)\d{2})"
# Parts of a year, as EDTF's seasons and divisions number them (ISO 8601-2 sub-year groupings).
PARTS = {"first quarter": 33, "second quarter": 34, "third quarter": 35, "fourth quarter": 36}
PARTS |= {"first half": 40, "second half": 41, "q1": 33, "q2": 34, "q3": 35, "q4": 36, "h1": 40, "h2": 41}
_PART = r"(?P<part>" + "|".join(sorted(PARTS, key=len, reverse=True)) + r"|first three quarters)"
RELATIVE = {
    "this year": (0, "year"),
    "earlier this year": (0, "year"),
    "last year": (-1, "year"),
    "this month": (0, "month"),
    "last month": (-1, "month"),
    "recently": (0, "vague"),
    "over the past decade": (0, "vague"),
    "今年": (0, "year"),
    "去年": (-1, "year"),
    "本月": (0, "month"),
    "上月": (-1, "month"),
    "近日": (0, "vague"),
    "近期": (0, "vague"),
    "过去十年": (0, "vague"),
}
_APPROXIMATE = r"(?P<approx>around|about|circa|approximately|约)?\s*"
_PATTERNS = [
    re.compile(r"between\s+" + _YEAR + r"\s+and\s+(?P<until>(?:19|20)\d{2})", re.I),
    re.compile(r"from\s+" + _YEAR + r"\s+(?:to|until)\s+(?P<until>(?:19|20)\d{2})", re.I),
    re.compile(_MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?(?:,?\s+" + _YEAR + r")?\b", re.I),
    re.compile(r"(?P<day>\d{1,2})\s+" + _MONTH + r"(?:,?\s+" + _YEAR + r")?\b", re.I),
    re.compile(_MONTH + r",?\s+" + _YEAR + r"\b", re.I),
    re.compile(r"(?:the\s+)?" + _PART + r"\s+of\s+" + _YEAR, re.I),
    re.compile(r"\b(?:by|early|late|the end of)\s+" + _YEAR + r"\b", re.I),  # wordings the time model reads
    re.compile(_APPROXIMATE + r"(?<![\d.,$])" + _YEAR + r"(?![\d%]|\.\d|年)", re.I),
    re.compile(
        r"(?:(?<=\bin )|(?<=\bsince )|(?<=\bfrom )|(?<=\buntil )|(?<=\bby )|(?<=\bof ))" + _MONTH + r"\b",
        re.I,
    ),
    re.compile(
        r"(?<!\bMay )\b(?P<month>" + "|".join(m for m in MONTHS if len(m) > 3 and m != "may") + r")\b", re.I
    ),
    re.compile(r"(?P<year>\d{4})年(?:(?P<month>\d{1,2})月(?:(?P<day>\d{1,2})日)?)?"),
    re.compile(r"(?<!\d)(?P<month>\d{1,2})月(?:(?P<day>\d{1,2})日)?"),
    re.compile("(?P<said>" + "|".join(sorted(RELATIVE, key=len, reverse=True)) + ")", re.I),
]


@dataclass(frozen=True)
class When:
    """A date as the text gives it: only the parts it states."""

    start: int
    end: int
    text: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    part: int | None = None  # EDTF sub-year grouping: 33-36 quarters, 40-41 halves
    until: int | None = None  # the last year of a range of years
    approximate: bool = False
    said: str | None = None  # relative wording, as the text has it


def find_dates(text: str) -> list[When]:
    """Every date in `text`, in order; where patterns overlap, the one found first wins."""
    found: list[When] = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            if any(w.start < match.end() and match.start() < w.end for w in found):
                continue
            if when := _when(match, text):
                found.append(when)
    return sorted(found, key=lambda w: w.start)


def _when(match: re.Match[str], text: str) -> When | None:
    groups = {k: v for k, v in match.groupdict().items() if v}
    start, end = match.span()
    if "said" in groups:
        return When(start, end, match.group(), said=groups["said"])
    month = groups.get("month")
    number = MONTHS.get(month.lower().rstrip(".")) if month and not month.isdigit() else None
    number = int(month) if month and month.isdigit() else number
    if number is not None and not 1 <= number <= 12:
        return None
    day = int(groups["day"]) if "day" in groups else None
    if day is not None and number is not None:
        try:
            datetime.date(2024, number, day)
        except ValueError:
            return None
    part = groups.get("part", "").lower()
    return When(
        start,
        end,
        match.group().strip(),
        int(groups["year"]) if "year" in groups else None,
        number,
        day,
        PARTS.get(part),
        int(groups["until"]) if "until" in groups else None,
        "approx" in groups,
    )


def date_value(when: When, dated: bool = True) -> str | dict[str, str] | None:
    """How a mapping file writes `when`: its own words where kg can place them, else EDTF;
    None for relative words ("this month") in an article with no date to place them on."""
    try:
        expression = read_wording(when.text)
    except ValueError:
        return _edtf(when) if dated or not when.said else None
    if not dated and not isinstance(expression, Placed | Yearless):
        return None
    return {"said": when.text}


def period_values(when: When, dated: bool = True) -> dict[str, str | dict[str, str]]:
    """The period a figure is for, as `kg:period`."""
    value = date_value(when, dated)
    return {"kg:period": value} if value is not None else {}


def _edtf(when: When) -> str | dict[str, str]:
    if when.said:
        return {"said": when.said}
    year = f"{when.year:04d}" if when.year is not None else "XXXX"
    if when.until is not None:
        return f"{year}/{when.until:04d}"
    if when.part:
        text = f"{year}-{when.part}"
    elif when.month is not None:
        text = f"{year}-{when.month:02d}" + (f"-{when.day:02d}" if when.day else "")
    else:
        text = year
    return text + ("~" if when.approximate else "")
