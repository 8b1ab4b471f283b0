"""Dates in the graph: each date value a `kg:DateInterval` node on the calendar, and, where
sources give one date at several precisions, one value preferred.

A date node (`date:2025-04`) carries its EDTF form, its bounds (`kg:earliest`, `kg:latest`,
and OWL-Time's `time:hasBeginning`/`time:hasEnd` instants), its precision (`time:unitType`)
and labels in English and Chinese; the nodes live in `graph:calendar`. Every dated value is a
statement; when all of a subject's statements of one property are known (`settle`), each gets
a rank (Wikidata's): the most precise value consistent with all the others is preferred;
values whose intervals do not overlap conflict (`kg:conflictsWith`), and then none of them is
preferred; a value a claim asserts that another claim disputes (kg.compile.contest) is ranked
normal too. Only the best-ranked, undisputed values are written as plain triples.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from urllib.parse import quote

import pyoxigraph as ox

from kg.mapping.dates import Interval, Placed, Precision, Yearless
from kg.vocab import DATE, GRAPH, INSTANT, KG, RDF, RDFS, TIME, WIKIBASE, XSD

CALENDAR_GRAPH = ox.NamedNode(GRAPH.calendar)
UNITS = {
    Precision.DAY: TIME.unitDay,
    Precision.MONTH: TIME.unitMonth,
    Precision.QUARTER: KG.unitQuarter,
    Precision.HALF_YEAR: KG.unitHalfYear,
    Precision.YEAR: TIME.unitYear,
    Precision.DECADE: KG.unitDecade,
    Precision.CENTURY: KG.unitCentury,
}


@dataclass(frozen=True)
class Dated:
    """One statement of a dated value, waiting for its rank. A date the build could not
    place (a month without a year, in an article without a reference time) stays as the
    text gave it, without bounds."""

    subject: ox.NamedNode
    predicate: ox.NamedNode
    value: Placed | Yearless
    statement: ox.NamedNode
    graph: ox.NamedNode

    @property
    def bounds(self) -> Interval | None:
        return self.value.bounds if isinstance(self.value, Placed) else None


def date_node(value: Placed | Yearless) -> ox.NamedNode:
    """The IRI of a date: its EDTF form, a range's slash written `..` (`date:2019..2022`)."""
    return ox.NamedNode(DATE[quote(value.edtf.replace("/", ".."), safe="-.~X")])


def calendar_quads(value: Placed | Yearless) -> list[ox.Quad]:
    """The date's node in graph:calendar: EDTF, bounds, precision, instants and labels."""
    node = date_node(value)
    if isinstance(value, Yearless):
        return _unplaced_quads(node, value)
    placed = value
    english, chinese = labels(placed)
    begin, end = (ox.NamedNode(INSTANT[day.isoformat()]) for day in (placed.earliest, placed.latest))
    triples: list[tuple[ox.NamedNode, str, ox.NamedNode | ox.Literal]] = [
        (node, RDF.type, ox.NamedNode(KG.DateInterval)),
        (node, KG.edtf, ox.Literal(placed.edtf)),
        (node, KG.earliest, _day(placed.earliest)),
        (node, KG.latest, _day(placed.latest)),
        (node, TIME.unitType, ox.NamedNode(UNITS[placed.precision])),
        (node, TIME.hasBeginning, begin),
        (node, TIME.hasEnd, end),
        (node, RDFS.label, ox.Literal(english, language="en")),
        (node, RDFS.label, ox.Literal(chinese, language="zh-Hans")),
    ]
    for instant, day in ((begin, placed.earliest), (end, placed.latest)):
        triples += [(instant, RDF.type, ox.NamedNode(TIME.Instant)), (instant, TIME.inXSDDate, _day(day))]
    for flag, on in ((KG.approximate, placed.approximate), (KG.uncertain, placed.uncertain)):
        if on:
            triples.append((node, flag, ox.Literal("true", datatype=ox.NamedNode(XSD.boolean))))
    return [ox.Quad(s, ox.NamedNode(p), o, CALENDAR_GRAPH) for s, p, o in triples]


def _unplaced_quads(node: ox.NamedNode, value: Yearless) -> list[ox.Quad]:
    month = f"{datetime.date(2000, value.month, 1):%B}"
    english = f"{value.day} {month}" if value.day else month
    chinese = f"{value.month}月" + (f"{value.day}日" if value.day else "")
    triples: list[tuple[str, ox.NamedNode | ox.Literal]] = [
        (RDF.type, ox.NamedNode(KG.DateInterval)),
        (KG.edtf, ox.Literal(value.edtf)),
        (TIME.unitType, ox.NamedNode(TIME.unitDay if value.day else TIME.unitMonth)),
        (RDFS.label, ox.Literal(f"{english}, year not known", language="en")),
        (RDFS.label, ox.Literal(f"{chinese}\uff08年份不详\uff09", language="zh-Hans")),
    ]
    return [ox.Quad(node, ox.NamedNode(p), o, CALENDAR_GRAPH) for p, o in triples]


def settle(dated: list[Dated], disputed: set[ox.NamedNode]) -> list[ox.Quad]:
    """Ranks, conflicts and plain triples for every (subject, property) with dated values;
    a `disputed` statement (kg.compile.contest) is ranked normal and never plain."""
    by_key: dict[tuple[ox.NamedNode, ox.NamedNode], list[Dated]] = {}
    for item in dated:
        by_key.setdefault((item.subject, item.predicate), []).append(item)
    quads: list[ox.Quad] = []
    for (subject, predicate), everything in by_key.items():
        items = [item for item in everything if item.statement not in disputed]
        quads += [_rank(item, WIKIBASE.NormalRank) for item in everything if item.statement in disputed]
        placed = [(item, bounds) for item in items if (bounds := item.bounds)]
        conflicting = {(a.statement, b.statement) for a, x in placed for b, y in placed if not x.overlaps(y)}
        quads += [ox.Quad(a, ox.NamedNode(KG.conflictsWith), b, _graph(items, a)) for a, b in conflicting]
        intervals = {bounds for _, bounds in placed}
        preferred = set()
        if len(intervals) > 1 and not conflicting:
            preferred = {b for b in intervals if all(other.contains(b) for other in intervals)}
        for item in items:
            rank = WIKIBASE.PreferredRank if item.bounds in preferred else WIKIBASE.NormalRank
            quads.append(_rank(item, rank))
            best = preferred or (set() if conflicting else intervals)
            if item.bounds in best or (not placed and item.bounds is None):
                quads.append(ox.Quad(subject, predicate, date_node(item.value), item.graph))
    return quads


def _rank(item: Dated, rank: str) -> ox.Quad:
    return ox.Quad(item.statement, ox.NamedNode(WIKIBASE.rank), ox.NamedNode(rank), item.graph)


def _graph(items: list[Dated], statement: ox.NamedNode) -> ox.NamedNode:
    return next(item.graph for item in items if item.statement == statement)


def labels(placed: Placed) -> tuple[str, str]:
    """How a person reads the date, in English and in Chinese."""
    ends = placed.edtf.rstrip("~?%").split("/")
    english, chinese = _label(ends[0])
    if len(ends) == 2:
        (first_en, first_zh), (last_en, last_zh) = _label(ends[0]), _label(ends[1])
        year = ends[0][:4]
        if ends[1][:4] == year and len(ends[0]) == len(ends[1]) > 4 and ends[0][5:7] not in _SEASON_CODES:
            first_en, first_zh = first_en.removesuffix(f" {year}"), first_zh
            last_zh = last_zh.removeprefix(f"{year}年")
        separator = _DASH if " " not in first_en else f" {_DASH} "
        english, chinese = f"{first_en}{separator}{last_en}", f"{first_zh}至{last_zh}"
    if placed.approximate:
        english, chinese = f"around {english}", f"{chinese}左右"
    if placed.uncertain:
        english, chinese = f"{english} (uncertain)", f"{chinese}\uff08存疑\uff09"
    return english, chinese


_DASH = "\u2013"  # an en dash between the ends of a range
_SEASON_CODES = {"33", "34", "35", "36", "40", "41"}
_HALVES = {40: ("first half of", "上半年"), 41: ("second half of", "下半年")}
_QUARTERS = {33: "一", 34: "二", 35: "三", 36: "四"}


def _label(edtf: str) -> tuple[str, str]:
    parts = edtf.rstrip("~?%").split("-")
    if parts[0].endswith("XX"):
        return f"{parts[0][:2]}00s", f"{parts[0][:2]}00年代"
    if parts[0].endswith("X"):
        return f"{parts[0][:3]}0s", f"{parts[0][:3]}0年代"
    year = parts[0]
    if len(parts) == 1:
        return year, f"{year}年"
    sub = int(parts[1])
    if sub in _HALVES:
        return f"{_HALVES[sub][0]} {year}", f"{year}年{_HALVES[sub][1]}"
    if sub in _QUARTERS:
        return f"Q{sub - 32} {year}", f"{year}年第{_QUARTERS[sub]}季度"
    if len(parts) == 2:
        return f"{datetime.date(2000, sub, 1):%B} {year}", f"{year}年{sub}月"
    day = int(parts[2])
    return f"{day} {datetime.date(2000, sub, 1):%B} {year}", f"{year}年{sub}月{day}日"


def _day(day: datetime.date) -> ox.Literal:
    return ox.Literal(day.isoformat(), datatype=ox.NamedNode(XSD.date))
