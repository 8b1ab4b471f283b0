"""Timelines: posts, departures, policies, statements and events, each drawn from the first
to the last day its date may mean (an imprecise date is a span, never a point), for an
entity and what it is linked to, or for everything in a period.

Where sources conflict on a date, every side is drawn, marked; where one date is given at
several precisions, the preferred value (wikibase:PreferredRank) is drawn.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

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
PREFERRED = "http://wikiba.se/ontology#PreferredRank"


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
    """An item placed on a drawing `width` wide: from x, w wide, on row y."""

    item: Item
    x: float
    w: float
    y: int


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


def layout(items: list[Item], width: float) -> tuple[list[Bar], list[tuple[float, str]]]:
    """Bars for the items, one row each, on a common time axis, and the axis's year ticks."""
    if not items:
        return [], []
    first = min(i.earliest for i in items)
    last = max(i.latest for i in items) + datetime.timedelta(days=1)
    days = max((last - first).days, 1)
    scale = width / days
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
    return bars, ticks


def _day(term: object) -> datetime.date:
    return datetime.date.fromisoformat(_v(term)[:10])


def _v(term: object) -> str:
    return term.value if isinstance(term, ox.NamedNode | ox.Literal) else ""
