"""What proposing a document produces: draft facts, new entities, and the ids they get."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.review.dates import When, date_value
from kg.review.layout import Sentence
from kg.review.names import Known, Names, fold
from kg.review.reading import ArticleContext, Reading, Voice

Value = str | dict[str, str]


@dataclass
class Proposed:
    """A draft fact: a subject, its (property, values), and the sentence as its quote."""

    id: str
    subject: str
    properties: dict[str, list[Value]]
    sentence: Sentence
    voice: Voice
    why: str


@dataclass
class NewEntity:
    known: Known
    why: str
    zh: str | None = None


@dataclass
class Book:
    """New entities and ids handed out while proposing one document."""

    names: Names
    taken: set[str]
    entities: dict[str, NewEntity] = field(default_factory=dict)
    fact_ids: set[str] = field(default_factory=set)

    def entity(self, ident: str, kind: str, label: str, why: str, zh: str | None = None) -> str:
        """A new entity with an id based on `ident`, unless one with that id exists already."""
        if ident in self.names.known or ident in self.entities:
            return ident
        ident = _unique(_slug(ident), self.taken)
        self.entities[ident] = NewEntity(self.names.new(ident, kind, label), why, zh)
        return ident

    def fact_id(self, base: str) -> str:
        return _unique(_slug(base), self.fact_ids)

    def label(self, ref: str) -> str:
        if ref in self.entities:
            return self.entities[ref].known.label
        return self.names.known[ref].label if ref in self.names.known else ref


def fact(
    book: Book, reading: Reading, base: str, subject: str, properties: dict[str, list[Value]], why: str
) -> Proposed:
    cleaned = {k: distinct(v) for k, v in properties.items() if v}
    return Proposed(book.fact_id(base), subject, cleaned, reading.sentence, reading.voice, why)


def value_list(when: When | None, context: ArticleContext) -> list[Value]:
    value = date_value(when, context.published is not None) if when else None
    return [value] if value is not None else []


def distinct(values: list[Value]) -> list[Value]:
    return [v for i, v in enumerate(values) if v not in values[:i]]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")[:90].strip("-") or "x"


def _unique(base: str, taken: set[str]) -> str:
    ident, n = base, 1
    while ident in taken:
        n += 1
        ident = f"{base}-{n}"
    taken.add(ident)
    return ident
