"""Timelines: posts, departures, policies, statements and events, each drawn from the first
to the last day its date may mean (an imprecise date is a span, never a point), for an
entity and what it is linked to, or for everything in a period.

Where sources conflict on a date, every side is drawn, marked; where one date is given at
several precisions, the preferred value (wikibase:PreferredRank) is drawn.
"""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.ask.prepare import Term
from kg.ask.query import QueryResult
from kg.serve.site import Site

WHAT = """VALUES (?property ?what) {
    (kg:date "event") (kg:startDate "post started") (kg:endDate "post ended")
    (kg:announcedOn "policy announced") (kg:effectiveFrom "policy took effect")
    (kg:liftedOn "policy lifted") (kg:statedOn "statement made") (kg:foundingDate "founded") }"""
AROUND = f"""
SELECT DISTINCT ?x ?what ?d ?earliest ?latest ?rank ?conflict WHERE {{
  {WHAT}
  {{ ?st rdf:subject ?s BIND (?s AS ?x) }}
  UNION {{ ?x ?link ?s . ?st rdf:subject ?x }}
  UNION {{ ?s ?link ?x . ?st rdf:subject ?x }}
  ?st rdf:predicate ?property ; rdf:object ?d .
  ?d kg:earliest ?earliest ; kg:latest ?latest .
  OPTIONAL {{ ?st wikibase:rank ?rank }}
  BIND (EXISTS {{ ?st kg:conflictsWith [] }} AS ?conflict)
}}"""
PERIOD = f"""
SELECT DISTINCT ?x ?what ?d ?earliest ?latest ?rank ?conflict WHERE {{
  {WHAT}
  ?st rdf:subject ?x ; rdf:predicate ?property ; rdf:object ?d .
  ?d kg:earliest ?earliest ; kg:latest ?latest .
  FILTER (?latest >= ?period_start && ?earliest <= ?period_end)
  OPTIONAL {{ ?st wikibase:rank ?rank }}
  BIND (EXISTS {{ ?st kg:conflictsWith [] }} AS ?conflict)
}}"""
QUERIES = (AROUND, PERIOD)
PREFERRED = "http://wikiba.se/ontology#PreferredRank"
LEFT = 320  # px: the column of row labels
AXIS = 500  # px: the time axis
RIGHT = 230  # px: room right of the axis for the date labels
ROW = 22  # px: one row per item
FONT = 11  # px: the labels' font size (site.css, svg.timeline)


@dataclass(frozen=True)
class Item:
    """One dated happening: what, about whom, and the span its date covers."""

    subject: str
    what: str
    date: str  # the date node's IRI (its label is the date as people write it)
    earliest: datetime.date
    latest: datetime.date
    conflicting: bool


@dataclass(frozen=True)
class Bar:
    """An item placed on the time axis: from x, w wide (px from the axis' start), on row y."""

    item: Item
    x: float
    w: float
    y: int


@dataclass(frozen=True)
class Drawing:
    """Bars on a common time axis, and the axis' year ticks (x, text), inside a drawing
    `width` px wide: row labels on the left, the axis, room for date labels on the right."""

    bars: list[Bar] = field(default_factory=list)
    ticks: list[tuple[float, str]] = field(default_factory=list)
    left: int = LEFT
    width: int = LEFT + AXIS + RIGHT

    @property
    def height(self) -> int:
        return len(self.bars) * ROW + 34

    def date_label(self, bar: Bar, text: str) -> tuple[float, str, bool]:
        """Where a bar's date label goes, so that it stays inside the drawing: right of the
        bar where it fits, else left of it, else inside the bar at its end. Returns x, the
        text-anchor, and whether it is inside the bar."""
        size = text_width(text)
        start, end = self.left + bar.x, self.left + bar.x + bar.w
        if end + 4 + size <= self.width:
            return end + 4, "start", False
        if start - 4 - size >= self.left:
            return start - 4, "end", False
        return end - 4, "end", True


def text_width(text: str, font: int = FONT) -> float:
    """About how wide `text` is drawn (px): wide (CJK) characters a font size each, others
    0.6 of it (a sans-serif's average is less; the browser tests measure the drawn text)."""
    return sum(font if unicodedata.east_asian_width(c) in "WF" else font * 0.6 for c in text)


def fit(text: str, width: float) -> str:
    """`text`, cut and ended with an ellipsis where it is wider than `width` px."""
    if text_width(text) <= width:
        return text
    while text and text_width(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


async def around(site: Site, iri: str) -> list[Item]:
    """The dated happenings of an entity and of everything linked to it."""
    return _items(await site.select(AROUND, {"s": ox.NamedNode(iri)}))


async def in_period(site: Site, values: Mapping[str, Term]) -> list[Item]:
    """Every dated happening whose span meets the period (`period_start`, `period_end`)."""
    return _items(await site.select(PERIOD, values))


def _items(result: QueryResult) -> list[Item]:
    rows = [dict(zip(result.variables, row, strict=True)) for row in result.rows]
    preferred = {(_v(r["x"]), _v(r["what"])) for r in rows if _v(r["rank"]) == PREFERRED}
    items = set()
    for r in rows:
        key = (_v(r["x"]), _v(r["what"]))
        conflicting = _v(r["conflict"]) == "true"
        if key in preferred and _v(r["rank"]) != PREFERRED and not conflicting:
            continue  # the same date at another precision
        items.add(Item(key[0], key[1], _v(r["d"]), _day(r["earliest"]), _day(r["latest"]), conflicting))
    return sorted(items, key=lambda i: (i.earliest, i.latest, i.what, i.subject))


def layout(items: list[Item]) -> Drawing:
    """The items drawn one row each on a common time axis, with its year ticks."""
    if not items:
        return Drawing()
    first = min(i.earliest for i in items)
    last = max(i.latest for i in items) + datetime.timedelta(days=1)
    scale = AXIS / max((last - first).days, 1)
    bars = [
        Bar(i, (i.earliest - first).days * scale, max(((i.latest - i.earliest).days + 1) * scale, 2.0), n)
        for n, i in enumerate(items)
    ]
    ticks = []
    for year in range(first.year, last.year + 1):
        day = max(datetime.date(year, 1, 1), first)
        ticks.append(
            ((day - first).days * scale, str(year) if day.month == 1 and day.day == 1 else f"{day:%Y-%m}")
        )
    return Drawing(bars, ticks)


def _day(term: object) -> datetime.date:
    return datetime.date.fromisoformat(_v(term)[:10])


def _v(term: object) -> str:
    return term.value if isinstance(term, ox.NamedNode | ox.Literal) else ""
