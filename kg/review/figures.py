"""Figures in a sentence: percentages, amounts of money with their currency (and what they
are per: "$425 per kilogram", "3 billion yuan a year"), and counts, with the word that
qualifies them ("over 60%", "approximately 75%"). Units are written as `kg:unit` takes them
(`percent`, `count`, `USD/kg`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
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
    "rm": "MYR",
    "hk$": "HKD",
    "usd": "USD",
    "eur": "EUR",
    "cny": "CNY",
    "myr": "MYR",
    "hkd": "HKD",
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
_AMOUNT = r"(?P<number>\d+(?:,\d{3})*(?:\.\d+)?|several(?=\s+(?:thousand|million|billion|trillion)))"
_SCALE = r"(?:\s*(?P<scale>thousand|million|billion|trillion|bn|m|万|亿)(?![a-z]))?"
_PERCENT = re.compile(_QUALIFIER + _NUMBER + r"\s*(?:%|percent\b|per cent\b)", re.I)
_PREFIXED = re.compile(
    _QUALIFIER + r"(?P<currency>US\$|HK\$|\$|€|£|¥|(?-i:RM|USD|EUR|CNY|HKD)(?=\s?\d))\s*" + _AMOUNT + _SCALE,
    re.I,
)
_SUFFIXED = re.compile(
    _QUALIFIER
    + _AMOUNT
    + _SCALE
    + r"\s*(?:(?-i:[A-Z][a-z]+)\s+)?(?P<currency>US dollars|dollars|yuan|RMB|euros|pounds|ringgit|riyals"
    r"|(?-i:USD|EUR|CNY|MYR|HKD)\b|美元|欧元|元)",
    re.I,
)
# A range: "85% to 95%", "between $30,000 and $70,000", "5-10%", "1 billion to 4.7 billion ringgit".
_BETWEEN = re.compile(r"^\s*(?:to|and|-|–|~|至)\s*$", re.I)
_LOWER = re.compile(r"(?:between\s+)?" + _QUALIFIER + _NUMBER + _SCALE + r"\s*(?:to|-|–|~|至)\s*$", re.I)
_PER_YEAR = re.compile(r"(?:annual(?:i[sz]ed)? growth rate|CAGR)\W[^,;]{0,20}$", re.I)
_RATE = re.compile(r"\s*(?:per|a|an|each)\s+(kilogram|kg|year|day)\b|\s+(daily|annually)\b", re.I)
_RATES = {"kilogram": "kg", "kg": "kg", "year": "year", "annually": "year", "day": "day", "daily": "day"}
_TIME_NOUNS = r"years|months|weeks|days|hours|minutes|decades|quarters|times"
# A count: a number, up to eight words that describe what is counted, and their plural head
# noun or "people", "personnel", "staff" ("12,000 skilled welders", "one million EVs", "three
# straight years of losses"); a time right after the number is a duration, not a count.
_COUNT = re.compile(
    _QUALIFIER
    + r"(?<![\w.,$€£¥])(?P<number>\d{1,3}(?:,\d{3})+|\d{1,3}|one(?=\s+(?:thousand|million|billion))|"
    + "|".join(w for w in NUMBER_WORDS if NUMBER_WORDS[w])
    + r")"
    + r"(?:\s+(?P<scale>thousand|million|billion))?"
    + rf"(?!\s+(?:{_TIME_NOUNS})\b)"
    + r"\s+(?:(?:[A-Za-z][\w-]*|\([A-Z]+\))\s+){0,8}?"
    + r"(?!(?:was|has|is|its|this|does|plus|thus|less|as|us|yes|across)\b)"
    + r"(?P<noun>people|personnel|staff|(?-i:[a-z]+(?<![sui])s|[A-Z]{2,}s|[A-Z][a-z]+(?<![sui])s))\b"
    + r"(?!\s*(?:%|percent|per cent|yuan|dollars|euros|ringgit|riyals|pounds)\b)",
    re.I,
)


# A share in words: "one-third", "two thirds", "a quarter" (not "half", which names a period too).
_NUMERATORS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4}
_PARTS = {"third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fifth": 5, "fifths": 5}
_FRACTION = re.compile(
    r"\b(?P<numerator>a|one|two|three|four)[- ](?P<part>thirds?|quarters?|fifths?)\b"
    r"(?!\s+of\s+(?:19|20)\d\d)",  # "a quarter of 2024" is a period
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
    upper: str | None = None  # the upper bound of a range, whose lower bound is `value`


def find_figures(text: str) -> list[Figure]:
    found: list[Figure] = []
    for pattern in (_PREFIXED, _SUFFIXED, _PERCENT, _FRACTION, _COUNT):
        for match in pattern.finditer(text):
            if any(f.start < match.end() and match.start() < f.end for f in found):
                continue
            if figure := _figure(match, pattern):
                found.append(figure)
    return _ranges(text, sorted(found, key=lambda f: f.start))


def _ranges(text: str, found: list[Figure]) -> list[Figure]:
    """Two figures of one unit joined by "to" or "and" after "between", or a bare number
    and "to" before a figure, as one figure with lower and upper bounds."""
    merged: list[Figure] = []
    for figure in found:
        last = merged[-1] if merged else None
        gap = text[last.end : figure.start] if last else ""
        between = last is not None and (" and" not in gap or text[: last.start].rstrip().endswith("between"))
        if last and last.unit == figure.unit and not last.upper and _BETWEEN.match(gap) and between:
            merged[-1] = replace(
                figure,
                start=last.start,
                text=text[last.start : figure.end],
                value=last.value,
                upper=figure.value,
            )
            merged[-1] = replace(merged[-1], qualifier=last.qualifier or figure.qualifier)
        elif (bare := _LOWER.search(text[: figure.start])) and not _year(bare):
            groups = {k: v for k, v in bare.groupdict().items() if v}
            scale = SCALES.get(groups.get("scale", "").lower()) or _scale(figure)
            lower = format((Decimal(groups["number"].replace(",", "")) * scale).normalize(), "f")
            qualifier = QUALIFIERS.get(groups.get("qualifier", "").lower()) or figure.qualifier
            merged.append(
                replace(
                    figure,
                    start=bare.start(),
                    text=text[bare.start() : figure.end],
                    value=lower,
                    upper=figure.value,
                    qualifier=qualifier,
                )
            )
        else:
            merged.append(figure)
    return merged


def _year(bare: re.Match[str]) -> bool:
    """ "in 2021 to 68.1%": a year, not the lower bound of a range."""
    return not bare.group("scale") and re.fullmatch(r"(?:19|20)\d\d", bare.group("number")) is not None


def _scale(figure: Figure) -> int:
    """The scale word of a figure ("4.7 billion" -> 10**9), for a lower bound without one."""
    words = re.findall(r"[a-z]+|[万亿]", figure.text.lower())
    return next((SCALES[w] for w in words if w in SCALES and w not in ("m",)), 1)


def _figure(match: re.Match[str], pattern: re.Pattern[str]) -> Figure | None:
    groups = {k: v for k, v in match.groupdict().items() if v}
    if pattern is _FRACTION:  # "one-third" -> about 33.3 %
        share = Decimal(100) * _NUMERATORS[groups["numerator"].lower()] / _PARTS[groups["part"].lower()]
        rounded = share.quantize(Decimal("0.1"))
        qualifier = None if share == rounded else "kg:Approximately"
        return Figure(*match.span(), match.group(), format(rounded.normalize(), "f"), "percent", qualifier)
    raw = groups["number"].replace(",", "")
    several = raw.lower() == "several"
    try:
        number = Decimal(1 if several or raw.lower() == "one" else NUMBER_WORDS.get(raw.lower()) or raw)
    except InvalidOperation:
        return None
    number *= SCALES.get(groups.get("scale", "").lower(), 1)
    qualifier = "kg:Several" if several else QUALIFIERS.get(groups.get("qualifier", "").lower())
    value = format(number.normalize(), "f")
    start, end = match.span()
    text = match.group()
    if pattern is _PERCENT:
        rate = _PER_YEAR.search(match.string[:start]) or _RATE.match(match.string, end)
        unit = "percent/year" if rate and re.search(r"year|annual|CAGR", rate.group(), re.I) else "percent"
        return Figure(start, end, text, value, unit=unit, qualifier=qualifier)
    if pattern is _FRACTION:  # "one-third" -> about 33.3 %
        share = Decimal(100) * _NUMERATORS[groups["numerator"].lower()] / _PARTS[groups["part"].lower()]
        exact = share == share.quantize(Decimal("0.1"))
        value = format(share.quantize(Decimal("0.1")).normalize(), "f")
        return Figure(
            start, end, text, value, unit="percent", qualifier=None if exact else "kg:Approximately"
        )
    if pattern is _COUNT:
        return Figure(start, end, text, value, unit="count", qualifier=qualifier, noun=groups["noun"].lower())
    unit = CURRENCIES[groups["currency"].lower()]
    if rate := _RATE.match(match.string, end):
        unit, end = f"{unit}/{_RATES[(rate.group(1) or rate.group(2)).lower()]}", rate.end()
        text = match.string[start:end]
    return Figure(start, end, text, value, unit=unit, qualifier=qualifier)
