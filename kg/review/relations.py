"""Relations between organisations (subsidiaries, listings, supervision, where based or
founded, country), the country a region is in, teachers, and the sources an article cites."""

from __future__ import annotations

import itertools
import re

from kg.review.names import Mention
from kg.review.proposal import Book, Proposed, Value, fact, value_list
from kg.review.reading import ArticleContext, Reading

_SUBSIDIARY = re.compile(r"subsidiary|\bunder\b|\bunit of\b|\bowned by\b|\bpart of\b", re.I)

_LISTED = re.compile(r"\blisted\b", re.I)
# Between an owner ("its", "Corex's") and what it owns: "its subsidiary, X", "its X Institute".
_OWNED = re.compile(r"(?:['’]s)?\s+(?:own\s+)?(?:(?:subsidiary|unit|arm),?\s+)?", re.I)
SOURCES = re.compile(r"\b(?:cites|citing) (?:information|reports?|data)? ?from\b|\bsources?:", re.I)
_ORGANISATION_NOUN = re.compile(
    r"(?:[\w-]+\s+){0,2}(?:enterprise|company|firm|group|manufacturer|producer|maker|startup)\b", re.I
)

_DEMONYM = re.compile(r"^[A-Z][a-z]+(?:ese|an|ish|ch|i)$")


def relations(reading: Reading, context: ArticleContext, book: Book) -> list[Proposed]:
    """Organisations under others ("X, a listed subsidiary under Y"), listings, supervision,
    where an organisation is based or was founded, and whose student someone was."""
    facts = []
    text = reading.sentence.text
    orgs = [m for m in reading.of("kg:Organization") if not m.known.isa("kg:NewsOutlet")]
    exchanges = {m.known.ref for m in reading.of("kg:StockExchange")}
    for first, second in itertools.pairwise(orgs):
        gap = reading.gap(first, second)
        if first.known.ref in exchanges or first.known.ref == second.known.ref:
            continue
        properties: dict[str, list[Value]] = {}
        owner = first.how == "anaphor" and first.text.lower() == "its"
        if (
            (owner or re.match(r"['’]s\b", gap))
            and _OWNED.fullmatch(gap)
            and second.known.ref not in exchanges
        ):
            properties = {"org:subOrganizationOf": [first.known.ref]}  # "its subsidiary, Acme Motors"
            ref = second.known.ref
            facts.append(fact(book, reading, f"{ref}-relation", ref, properties, "a relation"))
            continue
        if second.known.ref in exchanges and re.search(r"\blisted on\b", gap, re.I):
            properties = {"a": ["kg:ListedCompany"], "kg:listedOn": [second.known.ref]}
            third = next((o for o in orgs if o.start > second.end), None)
            if third and _SUBSIDIARY.search(reading.gap(second, third)):
                properties["org:subOrganizationOf"] = [third.known.ref]
        elif len(gap) < 80 and _SUBSIDIARY.search(gap) and second.known.ref not in exchanges:
            properties = {
                "a": ["kg:ListedCompany"] if _LISTED.search(gap) else [],
                "org:subOrganizationOf": [second.known.ref],
            }
        elif re.search(r"\bsupervised by\b", gap, re.I):
            properties = {"kg:supervisedBy": [second.known.ref]}
        if properties:
            facts.append(
                fact(book, reading, f"{first.known.ref}-relation", first.known.ref, properties, "a relation")
            )
    for org in orgs:
        if re.search(
            r"\b(?:the|its)\s+parent\s+(?:company\s+)?$", text[: org.start], re.I
        ) and context.main_organisation not in (None, org.known.ref):
            facts.append(
                fact(
                    book,
                    reading,
                    f"{context.main_organisation}-parent",
                    str(context.main_organisation),
                    {"org:subOrganizationOf": [org.known.ref]},
                    "a parent",
                )
            )
    for place in reading.of("kg:Place"):
        if within := book.names.inside(book.label(place.known.ref), "kg:Country"):  # "Northern Norway"
            properties = {"kg:locatedIn": [within[0].ref]}
            facts.append(
                fact(book, reading, f"{place.known.ref}-in", place.known.ref, properties, "a region")
            )
        based = re.match(r"^[-‐]based\s+", text[place.end :])
        subject = _based(orgs, place, place.end + based.end(), text, context) if based else None
        if based and subject:
            facts.append(
                fact(
                    book, reading, f"{subject}-based", subject, {"kg:basedIn": [place.known.ref]}, "based in"
                )
            )
        if re.search(r"\b(?:established|founded|set up)\s+in\s+$", text[: place.start], re.I) and orgs:
            founded = next((d for d in reading.dates if d.year), None)
            properties = {"kg:foundedIn": [place.known.ref], "kg:foundingDate": value_list(founded, context)}
            facts.append(
                fact(book, reading, f"{orgs[0].known.ref}-founded", orgs[0].known.ref, properties, "founded")
            )
    people = reading.of("kg:Person")
    for first, second in itertools.pairwise(people):
        if re.search(r"\bstudent of\s*$", reading.gap(first, second), re.I):
            facts.append(
                fact(
                    book,
                    reading,
                    f"{first.known.ref}-teacher",
                    first.known.ref,
                    {"kg:studentOf": [second.known.ref]},
                    "student of",
                )
            )
    return facts


def _based(orgs: list[Mention], place: Mention, after: int, text: str, context: ArticleContext) -> str | None:
    """Who is based in a place: the organisation named right after "X-based", else the one
    right before ("Corex, a Tromso-based firm"), else, for "the X-based enterprise", the one
    the article is about."""
    following = [o for o in orgs if o.start == after]
    apposed = [o for o in orgs if re.fullmatch(r"\s*,\s*(?:a|an|the)\s+", text[o.end : place.start])]
    if following or apposed:
        return (following or apposed)[0].known.ref
    if re.match(_ORGANISATION_NOUN, text[after:]):
        return context.main_organisation
    return None


def nationalities(reading: Reading, book: Book) -> list[Proposed]:
    """ "the American giant Applied Materials", "Yitang, a Chinese company", "U.S. Wall Street
    Journal", "French President Macron", "the Canadian Rare Earth Laboratory": the country of
    an organisation or a person, from the name or adjective of a country right before its
    name, in an apposition after it, or in the name itself."""
    facts = []
    text = reading.sentence.text
    named = [
        m
        for m in reading.mentions
        if (m.known.isa("kg:Organization") or m.known.isa("kg:Person"))
        and m.how != "anaphor"
        and not m.known.isa("kg:Country")
    ]
    countries: dict[str, str] = {}
    for country in reading.of("kg:Country"):
        after = next((o for o in named if o.start >= country.end), None)
        before = next((o for o in reversed(named) if o.end <= country.start), None)
        demonym = bool(_DEMONYM.search(country.text))
        roles = [
            r for r in reading.of("kg:Role") if after and country.end <= r.start and r.end <= after.start
        ]
        if after and re.fullmatch(r"\s+", text[country.end : after.start]):
            countries.setdefault(after.known.ref, country.known.ref)  # "U.S. Wall Street Journal"
        elif after and demonym and after.known.isa("kg:Person") and roles:
            if re.fullmatch(r"\s+", text[country.end : roles[0].start] + text[roles[-1].end : after.start]):
                countries.setdefault(after.known.ref, country.known.ref)  # "French President Macron"
        elif (
            after
            and demonym
            and after.known.isa("kg:Organization")
            and re.fullmatch(r"\s+(?:[a-z-]+\s+){0,3}", text[country.end : after.start])
        ):
            countries.setdefault(after.known.ref, country.known.ref)  # "American giant Applied Materials"
        elif (
            before
            and demonym
            and before.known.isa("kg:Organization")
            and re.fullmatch(r"\s*,\s*(?:a|an|the)\s+(?:[a-z-]+\s+)?", text[before.end : country.start])
        ):
            countries.setdefault(before.known.ref, country.known.ref)  # "Yitang, a Chinese company"
    for org in named:
        within = [] if org.known.isa("kg:Person") else book.names.inside(org.text, "kg:Country")
        if within:
            countries.setdefault(org.known.ref, within[0].ref)  # "the Chinese Ministry of Commerce"
    for ref, country_ref in countries.items():
        properties: dict[str, list[Value]] = {"kg:country": [country_ref]}
        facts.append(fact(book, reading, f"{ref}-country", ref, properties, "a country"))
    return facts


def sources(reading: Reading, context: ArticleContext, book: Book) -> list[Proposed]:
    """ "This article cites information from A, B and C": the sources an article names."""
    match = SOURCES.search(reading.sentence.text)
    outlets = [
        m.known.ref
        for m in reading.things
        if match and m.start > match.end() and m.known.isa("kg:Organization")
    ]
    if not outlets:
        return []
    properties: dict[str, list[Value]] = {"kg:citesSource": list(outlets)}
    return [fact(book, reading, "article-sources", f"article:{context.article}", properties, "sources cited")]
