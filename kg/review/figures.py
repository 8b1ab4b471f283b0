"""Figures in a sentence: percentages, amounts of money with their currency (and what they
are per: "$425 per kilogram", "3 billion yuan a year"), and counts, with the word that
qualifies them ("over 60%", "approximately 75%"). Units are written as `kg:unit` takes them
(`percent`, `count`, `USD/kg`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

SCALES = {
    "thousand": 10**3,
    "million": 10**6,
    "m": 10**6,
    "billion": 10**9,
    "bn": 10**9,
    "trillion": 10**12,
    "万": 10**4,
    "亿": 10**8,
}
CURRENCIES = {
    "yuan": "CNY",
    "rmb": "CNY",
    "元": "CNY",
    "¥": "CNY",
    "$": "USD",
    "us$": "USD",
    "dollars": "USD",
    "us dollars": "USD",
    "美元": "USD",
    "€": "EUR",
    "euros": "EUR",
    "欧元": "EUR",
    "£": "GBP",
    "pounds": "GBP",
    "ringgit": "MYR",
    "riyals": "SAR",
}
QUALIFIERS = {
    "over": "kg:MoreThan",
    "more than": "kg:MoreThan",
    "above": "kg:MoreThan",
    "exceeding": "kg:MoreThan",
    "超过": "kg:MoreThan",
    "approximately": "kg:Approximately",
    "about": "kg:Approximately",
    "around": "kg:Approximately",
    "roughly": "kg:Approximately",
    "nearly": "kg:Nearly",
    "almost": "kg:Nearly",
    "约": "kg:Approximately",
    "at least": "kg:AtLeast",
    "至少": "kg:AtLeast",
    "up to": "kg:UpTo",
    "as high as": "kg:UpTo",
    "最多": "kg:UpTo",
}
NUMBER_WORDS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "dozens": None,
}

_QUALIFIER = r"(?:(?P<qualifier>" + "|".join(sorted(QUALIFIERS, key=len, reverse=True)) + r")\s*)?"
_NUMBER = r"(?P<number>\d+(?:,\d{3})*(?:\.\d+)?)"
_SCALE = r"(?:\s*(?P<scale>thousand|million|billion|trillion|bn|m|万|亿)(?![a-z]))?"
_PERCENT = re.compile(_QUALIFIER + _NUMBER + r"\s*(?:%|percent\b|per cent\b)", re.I)
_PREFIXED = re.compile(_QUALIFIER + r"(?P<currency>US\$|\$|€|£|¥)\s*" + _NUMBER + _SCALE, re.I)
_SUFFIXED = re.compile(
    _QUALIFIER + _NUMBER + _SCALE + r"\s*(?P<currency>US dollars|dollars|yuan|RMB|euros|pounds|ringgit|riyals"
    r"|美元|欧元|元)",
    re.I,
)
_RATE = re.compile(r"\s*(?:per|a|an|each)\s+(kilogram|kg|year|day)\b|\s+(daily|annually)\b", re.I)
_RATES = {"kilogram": "kg", "kg": "kg", "year": "year", "annually": "year", "day": "day", "daily": "day"}
_COUNT = re.compile(
    _QUALIFIER
    + r"(?<![\w.,])(?P<number>\d{1,3}|"
    + "|".join(w for w in NUMBER_WORDS if NUMBER_WORDS[w])
    + r")"
    r"\s+(?:[a-z-]+\s+){0,2}"
    r"(?P<noun>executives|engineers|employees|experts|members|companies|firms|people|personnel|"
    r"managers|directors|factories|plants|projects|countries|permits|licenses|licences)\b",
    re.I,
)


@dataclass(frozen=True)
class Figure:
    """A number the text states, normalised: value in digits, and its unit or currency."""

    start: int
    end: int
    text: str
    value: str
    unit: str | None = None  # percent, count, or a currency and what it is per: CNY, USD/kg
    qualifier: str | None = None  # kg:MoreThan, kg:Approximately, …
    noun: str | None = None  # what a count counts


def find_figures(text: str) -> list[Figure]:
    found: list[Figure] = []
    for pattern in (_PREFIXED, _SUFFIXED, _PERCENT, _COUNT):
        for match in pattern.finditer(text):
            if any(f.start < match.end() and match.start() < f.end for f in found):
                continue
            if figure := _figure(match, pattern):
                found.append(figure)
    return sorted(found, key=lambda f: f.start)


def _figure(match: re.Match[str], pattern: re.Pattern[str]) -> Figure | None:
    groups = {k: v for k, v in match.groupdict().items() if v}
    raw = groups["number"].replace(",", "")
    try:
        number = Decimal(NUMBER_WORDS.get(raw.lower()) or raw)
    except InvalidOperation:
        return None
    number *= SCALES.get(groups.get("scale", "").lower(), 1)
    qualifier = QUALIFIERS.get(groups.get("qualifier", "").lower())
    value = format(number.normalize(), "f")
    start, end = match.span()
    text = match.group()
    if pattern is _PERCENT:
        return Figure(start, end, text, value, unit="percent", qualifier=qualifier)
    if pattern is _COUNT:
        return Figure(start, end, text, value, unit="count", qualifier=qualifier, noun=groups["noun"].lower())
    unit = CURRENCIES[groups["currency"].lower()]
    if rate := _RATE.match(match.string, end):
        unit, end = f"{unit}/{_RATES[(rate.group(1) or rate.group(2)).lower()]}", rate.end()
        text = match.string[start:end]
    return Figure(start, end, text, value, unit=unit, qualifier=qualifier)
