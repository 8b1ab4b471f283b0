"""The report a sentence relays: an outlet's report ("according to a report from X, citing
Y", "as noted by X", "as Reuters indicates"), who published it, whom it cites, and the
claims of the sentence it reports. One report per outlet and article; "according to the
report" adds to the report the article relayed last."""

from __future__ import annotations

import re

from kg.review.names import Known
from kg.review.proposal import Book, Proposed, Value, fact, value_list
from kg.review.reading import ArticleContext, Reading


def reports(reading: Reading, context: ArticleContext, book: Book, claims: list[str]) -> list[Proposed]:
    """A fact about the report the sentence relays, if an outlet says it: who published it
    and when ("the Metro Post on May 3"), whom it cites, the claims and policies
    it reports."""
    voice = reading.voice
    outlets = [ref for ref in (*voice.via, voice.asserted_by) if ref and _outlet(book, ref)]
    if not outlets:
        if not (context.last_report and _THE_REPORT.search(reading.sentence.text) and claims):
            return []
        report = context.last_report  # "According to the report, …": the one relayed last
        return [fact(book, reading, report, report, {"kg:reports": list(claims)}, "a report")]
    publisher = outlets[0]
    cited = [voice.asserted_by] if voice.asserted_by and voice.asserted_by != publisher else []
    report = book.entity(
        f"report-{publisher}-{context.article}",
        "kg:Report",
        f"{book.label(publisher)}'s report",
        "an outlet's report",
    )
    mention = next(m for m in reading.mentions if m.known.ref == publisher)
    when = next((d for d in reading.dates if 0 <= d.start - mention.end <= 5), None)  # "X on June 26"
    properties: dict[str, list[Value]] = {
        "kg:publishedBy": [publisher],
        "kg:citedSource": list(cited),
        "kg:reports": list(claims),
        "kg:date": value_list(when, context),
    }
    context.last_report = report
    return [fact(book, reading, report, report, properties, "a report")]


_THE_REPORT = re.compile(
    r"\b(?:according to|as|in) (?:the|that|this) report\b|"
    r"\b(?:the|that|this) report (?:says|said|notes|noted|adds|added|states|stated)\b",
    re.I,
)


def _outlet(book: Book, ref: str) -> bool:
    known: Known | None = book.entities[ref].known if ref in book.entities else book.names.known.get(ref)
    return known is not None and known.isa("kg:NewsOutlet")
