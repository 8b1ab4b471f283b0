"""Policies a sentence describes by the measures themselves rather than by a word for a
policy: "Strict exit checks for key personnel have been implemented" (a measure put in
place), "the government has initiated measures, including listing key technologies as state
secrets and establishing special positions to retain talent" (a directive for each measure
listed), with who took them, what each requires, what for, and what it controls."""

from __future__ import annotations

import re

from kg.review.groups import of_people
from kg.review.known_policies import remember, responded_to
from kg.review.observations import concern
from kg.review.policies import GOVERNING, PURPOSE
from kg.review.proposal import Book, Proposed, Value, fact
from kg.review.reading import ArticleContext, Reading

_MEASURE = (
    r"(?:checks|controls|restrictions|requirements|rules|bans|quotas|inspections|screenings|limits|curbs)"
)
# A measure put in place, named at the start of its sentence.
_PUT_IN_PLACE = re.compile(
    rf"^((?:[\w-]+ ){{0,8}}?{_MEASURE}\b(?: (?:for|on|of) (?:[\w-]+ ){{1,4}}?)?)"
    r"(?:have|has) been (?:implemented|introduced|imposed|enforced|adopted|put in place|rolled out)\b",
    re.I,
)
# Measures listed after what names them: "initiated protective measures, including A-ing … and B-ing …".
_LISTED = re.compile(r"\b(?:measures|steps|actions)\s*,?\s+(?:including|such as|like)\s+(?=[a-z]+ing\b)")
_NEXT_ITEM = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+)(?=[a-z]+ing\b)")
_END = re.compile(r"(?:\s*\[\d+\])*\s*[.;]?\s*$")


def measures(reading: Reading, context: ArticleContext, book: Book) -> list[Proposed]:
    """A directive for each measure the sentence says was put in place or lists."""
    text = reading.sentence.text
    if put := _PUT_IN_PLACE.match(text):
        return [_directive(reading, context, book, put.start(1), put.end(1))]
    listed = _LISTED.search(text)
    if listed is None:
        return []
    end = max(len(_END.sub("", text, count=1)), listed.end())  # before the citations and full stop
    starts = [listed.end(), *(m.end() for m in _NEXT_ITEM.finditer(text, listed.end(), end))]
    stops = [m.start() for m in _NEXT_ITEM.finditer(text, listed.end(), end)] + [end]
    return [_directive(reading, context, book, a, b) for a, b in zip(starts, stops, strict=True)]


def _directive(reading: Reading, context: ArticleContext, book: Book, start: int, end: int) -> Proposed:
    """The directive the words from `start` to `end` describe: what they require (up to what
    for), who issued it (named before them), what it controls (named in them)."""
    text = reading.sentence.text
    purpose = PURPOSE.search(text, start, end)
    issuers = [m for m in reading.things if m.end <= start and any(m.known.isa(f) for f in GOVERNING)]
    inside = [m for m in reading.things if start <= m.start < end]
    issuer = book.label(issuers[-1].known.ref) if issuers else ""
    subject = book.entity(f"{issuer} directive", "kg:Directive", f"{issuer} directive".strip(), "a measure")
    language = reading.sentence.language
    properties: dict[str, list[Value]] = {
        "kg:issuedBy": [issuers[-1].known.ref] if issuers else [],
        "kg:requires": [{language: text[start : purpose.start() if purpose else end].strip()}],
        "kg:purpose": [{language: next(g for g in purpose.groups() if g).strip()}] if purpose else [],
        "kg:controls": [m.known.ref for m in inside if concern(m.known) or of_people(m.known)],
    }
    properties["kg:inResponseTo"] = responded_to(reading, context, book, subject)
    remember(book, subject, properties)
    context.policies["kg:Directive"] = subject
    return fact(book, reading, f"{subject}-policy", subject, properties, "a policy")
