"""Observations from figures: what is measured, of whom, the value with its unit or
currency (in kg:unit, as the text gives it), the period, and the source cited."""

from __future__ import annotations

import re

from kg.review.dates import period_values
from kg.review.figures import Figure
from kg.review.names import Known
from kg.review.proposal import Book, Proposed, Value, distinct, fact
from kg.review.reading import Reading


def observations(reading: Reading, book: Book) -> list[Proposed]:
    """An observation for each figure: what is measured, of whom, the value, its unit or
    currency, the period and the source cited."""
    facts = []
    text = reading.sentence.text
    for figure in reading.figures:
        clause = _clause(text, figure)
        candidates = [
            m
            for m in reading.things
            if clause[0] <= m.start < clause[1]
            and observable(m.known)
            and m.known.ref not in (*reading.voice.cited, reading.voice.asserted_by)
        ]
        before = [m.known.ref for m in candidates if m.end <= figure.start]
        observed_all = before[-1:] or distinct([m.known.ref for m in candidates if m.start >= figure.end])
        observed = str(observed_all[0]) if observed_all else None
        measure = _measure(text, figure)
        label = f"{measure or 'figure'} ({book.label(observed)})" if observed else (measure or figure.text)
        obs = book.entity(
            f"obs-{observed or 'figure'}-{measure or figure.value}"[:80], "kg:Observation", label, "a figure"
        )
        year = next(
            (d for d in reading.dates if d.year and not d.said and abs(d.start - figure.end) < 80), None
        )
        properties: dict[str, list[Value]] = {
            "kg:measure": [{"en": measure}] if measure else [],
            "kg:observedSubject": list(observed_all),
            "kg:concerns": [m.known.ref for m in reading.things if concern(m.known)],
            "kg:value": [] if figure.upper else [figure.value],
            "kg:lowerBound": [figure.value] if figure.upper else [],
            "kg:upperBound": [figure.upper] if figure.upper else [],
            "kg:valueQualifier": [figure.qualifier] if figure.qualifier else [],
            "kg:unit": [figure.unit] if figure.unit else [],
            "kg:citedSource": list(reading.voice.cited),
        }
        properties |= {key: [value] for key, value in period_values(year).items()} if year else {}
        facts.append(fact(book, reading, obs, obs, properties, "a figure"))
    return facts


def _clause(text: str, figure: Figure) -> tuple[int, int]:
    """The stretch of the sentence around a figure, between semicolons or "and" + figure."""
    start = max(text.rfind(";", 0, figure.start), text.rfind(" and ", 0, figure.start), -1) + 1
    stop = min(
        (i for i in (text.find(";", figure.end), text.find(" and ", figure.end)) if i != -1),
        default=len(text),
    )
    return start, stop


def _measure(text: str, figure: Figure) -> str | None:
    """What a figure measures, in the text's words: "60% of global rare earth mining" ->
    "share of global rare earth mining"; "a net profit of 420 million yuan" -> "net profit"."""
    after = re.match(r"^\s+(of|in)\s+((?:(?!\s+and\s+\d)[^,.;:()])+)", text[figure.end :])
    if figure.unit == "percent" and after:
        return f"share {after.group(1)} {after.group(2).strip()}"[:100]
    if figure.unit == "count" and figure.noun:
        return figure.noun
    before = re.search(
        r"([A-Za-z][A-Za-z -]{2,50}?)\s+(?:of|at|to|was|were|reached|by|is)\s*$", text[: figure.start]
    )
    if before:
        words = [w for w in before.group(1).split() if w.lower() not in {"a", "an", "the"}][-4:]
        return " ".join(words) or None
    return None


def observable(known: Known) -> bool:
    return any(known.isa(f) for f in ("kg:Organization", "kg:Country", "kg:Person", "kg:Group", "kg:Place"))


def concern(known: Known) -> bool:
    return any(known.isa(f) for f in ("kg:Material", "kg:Technology", "kg:Product", "kg:ChemicalElement"))
