"""The shape of mapping files, checked on load (see mappings/README.md for the reference).

Two kinds of file: registry files (`mappings/registry/*.yaml`) declare entities; document
files (`mappings/documents/*.yaml`) describe one seed document: its articles, the facts
it states with their quotes, and review metadata. Unknown fields are errors.
"""

from __future__ import annotations

import datetime
import re
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=100)]
LanguageTag = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]
Text = Annotated[str, StringConstraints(min_length=1)]
Stance = Literal["reported", "rumoured", "alleged", "officially-stated", "denied"]
_LINES = re.compile(r"^(\d+)(?:-(\d+))?$")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _written_date(value: object) -> object:
    """Only a date written YYYY-MM-DD in ASCII digits: never a number read as seconds since
    1970 (pydantic would turn "86400" into 1970-01-02)."""
    if isinstance(value, datetime.date) or (isinstance(value, str) and _ISO_DATE.fullmatch(value)):
        return value
    raise ValueError(f"{value!r} is not a date written YYYY-MM-DD")


WrittenDate = Annotated[datetime.date, BeforeValidator(_written_date)]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Names(Model):
    """Text in English and/or Chinese (simplified)."""

    en: Text | None = None
    zh: Text | None = None


class Variants(Model):
    """Other names: spellings, word orders, abbreviations, translations."""

    en: list[Text] = []
    zh: list[Text] = []


class Label(Names):
    en: Text


class Entity(Model):
    """One real-world thing, declared once, with one IRI across all documents."""

    id: Slug
    kind: Text = Field(description="CURIE of an ontology class, e.g. kg:ListedCompany")
    label: Label
    variants: Variants = Variants()
    description: Names | None = None
    country: Text | None = Field(None, description="country:XX (ISO 3166-1 alpha-2)")
    parent: Slug | None = Field(None, description="id of the parent organisation")


class RegistryFile(Model):
    entities: list[Entity] = Field(min_length=1)


class Said(Model):
    """A date in the words of the text ("this month", "June 28", "the first half of 2024"),
    placed by the build against the article's reference time; the words must be in a quote."""

    said: Text


FactRef = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*\.[a-z0-9]+(-[a-z0-9]+)*$")]


class Reference(Model):
    """When an article without a byline date was written, inferred by the reviewer: an
    EDTF interval, the facts whose dated events place it, and a note saying how."""

    date: Text = Field(description="EDTF, e.g. 2025-06-29/2025-12-31")
    based_on: list[FactRef] = Field(min_length=1, description="DOCUMENT.FACT ids of the dated events")
    note: Names


class Review(Model):
    status: Literal["draft", "reviewed"]
    reviewer: Text
    date: WrittenDate

    @property
    def reviewed(self) -> bool:
        return self.status == "reviewed"


class Article(Model):
    """One article inside a document, located by its lines (1-based, inclusive)."""

    id: Slug
    lines: str
    title: Names | None = None
    byline: Text | None = None
    outlet: Slug | None = None
    published: Text | None = Field(None, description="YYYY-MM-DD or YYYY-MM-DD HH:MM")
    reference: Reference | None = Field(None, description="when the article was written, if it has no date")
    language: list[LanguageTag] = Field(min_length=1)

    @model_validator(mode="after")
    def _one_reference_time(self) -> Article:
        if self.published and self.reference:
            raise ValueError("an article with a published date needs no inferred reference time")
        return self

    @field_validator("lines")
    @classmethod
    def _line_range(cls, value: str) -> str:
        match = _LINES.match(value)
        if not match:
            raise ValueError("lines must be 'N' or 'FIRST-LAST', e.g. '2-11'")
        first, last = int(match.group(1)), int(match.group(2) or match.group(1))
        if not 1 <= first <= last:
            raise ValueError(f"line range {value} is empty or starts before line 1")
        return value

    @property
    def line_range(self) -> tuple[int, int]:
        first, _, last = self.lines.partition("-")
        return int(first), int(last or first)


class Evidence(Model):
    """A verbatim quote supporting a fact, and who says it how."""

    quote: Text
    article: Slug | None = Field(None, description="article id; may be left out if the document has one")
    stance: Stance = "reported"
    asserted_by: Text | None = Field(None, description="who says it; defaults to the article's outlet")
    via: list[Text] = Field([], description="outlets that relayed the asserter's words")
    occurrence: int | None = Field(None, ge=1, description="which occurrence, when the quote recurs")


Value = Text | Names | Said


class Fact(Model):
    """Statements about one subject, all supported by the same evidence — or, for a value
    no single document states, inferred by combining facts of several documents."""

    id: Slug
    subject: Text
    properties: dict[str, Value | list[Value]] = Field(min_length=1)
    evidence: list[Evidence] = []
    combines: list[FactRef] = Field([], description="DOCUMENT.FACT ids whose evidence together supports this")
    note: Names | None = Field(None, description="why the combination holds, for reviewers and readers")
    claim: Slug | None = Field(
        None, description="id of the claim whose content these statements are (the claim asserts them)"
    )
    review: Review | None = None

    @model_validator(mode="after")
    def _evidence_or_combination(self) -> Fact:
        if bool(self.evidence) == bool(self.combines):
            raise ValueError(
                "a fact needs either evidence (quotes) or combines (facts of other documents), not both"
            )
        if self.combines and (len(self.combines) < 2 or self.note is None):
            raise ValueError("an inferred fact combines at least two facts and explains why in a note")
        return self


class Skip(Model):
    """Text that states no fact worth mapping (a heading, commentary, a duplicate of a
    summary line), and why; every occurrence in the article is accounted for."""

    quote: Text
    reason: Text
    article: Slug | None = None


class DocumentFile(Model):
    id: Slug
    document: Text = Field(description="path of the seed file, e.g. seeds/002_2b76bc5165057ce8.txt")
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")] | None = Field(
        None, description="SHA-256 of the seed file the mapping was made for (kg add records it)"
    )
    review: Review
    articles: list[Article] = Field(min_length=1)
    entities: list[Entity] = []
    facts: list[Fact] = []
    skipped: list[Skip] = []

    def review_of(self, fact: Fact) -> Review:
        """The fact's own review, else the document's."""
        return fact.review or self.review
