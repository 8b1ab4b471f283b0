"""What a sentence says about a person beyond their posts: what they are an expert in ("a
leading expert in rare earth separation technology, Liao") and the name they are known by
("who was known as the Father of …")."""

from __future__ import annotations

import re

from kg.review.proposal import Book, Proposed, Value, fact
from kg.review.reading import Reading

_EXPERT = re.compile(
    r"\b(?:expert|specialist|authority|pioneer|leading figure)s?\s+(?:in|on|of)\s+"
    r"(?:the\s+)?(?:field\s+of\s+)?$",
    re.I,
)
_KNOWN_AS = re.compile(
    r"^,?\s*(?:who\s+(?:was|is)\s+)?(?:(?:widely|often|also)\s+)?(?:known|dubbed|hailed|called|regarded)\s+as\s+"
    r"(?:the\s+)?[“\"]?([^,.;“”\"]+)",
    re.I,
)
_THINGS = ("kg:Technology", "kg:Material", "kg:Product")


def people(reading: Reading, book: Book) -> list[Proposed]:
    """Expertise and names people are known by."""
    facts = []
    text = reading.sentence.text
    persons = reading.of("kg:Person")
    for thing in (m for m in reading.things if any(m.known.isa(f) for f in _THINGS)):
        if not _EXPERT.search(text[: thing.start]):
            continue
        after = [
            p for p in persons if p.start >= thing.end and re.fullmatch(r"\s*,\s*", text[thing.end : p.start])
        ]
        before = [p for p in persons if p.end <= thing.start]
        expert = after[0] if after else before[-1] if before else None
        if expert is not None:
            properties: dict[str, list[Value]] = {"kg:expertIn": [thing.known.ref]}
            facts.append(
                fact(book, reading, f"{expert.known.ref}-expert", expert.known.ref, properties, "an expert")
            )
    for person in persons:
        if known_as := _KNOWN_AS.match(text[person.end :]):
            name: dict[str, str] = {reading.sentence.language: known_as.group(1).strip()}
            facts.append(
                fact(
                    book,
                    reading,
                    f"{person.known.ref}-known-as",
                    person.known.ref,
                    {"kg:knownAs": [name]},
                    "known as",
                )
            )
    return facts
