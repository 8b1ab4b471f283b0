"""From a read sentence to proposed facts in the mapping format: posts and departures,
figures, relations between organisations, policies, and claims with their stance."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from kg.review.dates import When, date_value, period_values
from kg.review.figures import Figure
from kg.review.layout import Sentence
from kg.review.names import Known, Mention, Names, fold
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


_DEPARTED_NEAR = 25
_POLICY_WORDS = [
    (
        "kg:ExportControl",
        re.compile(r"export (?:control|restriction|ban|permit|licen[cs])\w*|出口管制|出口许可", re.I),
    ),
    ("kg:Directive", re.compile(r"\bdirective\b|\bmandated\b|\binstructed\b|\bdemanded that\b|要求", re.I)),
    ("kg:Regulation", re.compile(r"\bregulations?\b|条例", re.I)),
    ("kg:Tariff", re.compile(r"\btariffs?\b|关税", re.I)),
]
_KIND_WORDS = {
    "kg:ExportControl": "export control",
    "kg:Directive": "directive",
    "kg:Regulation": "regulation",
    "kg:Tariff": "tariff",
}
_SUBSIDIARY = re.compile(r"subsidiary|\bunder\b|\bunit of\b|\bowned by\b|\bpart of\b", re.I)
_LISTED = re.compile(r"\blisted\b", re.I)


def propose(reading: Reading, context: ArticleContext, book: Book) -> list[Proposed]:
    """Every fact the sentence suggests; a claim when nothing else is found, or when the
    sentence reports what someone says, believes or rumours."""
    facts = [*_posts(reading, context, book), *_figures(reading, book), *_relations(reading, context, book)]
    facts += _policies(reading, context, book) + _sources(reading, context, book)
    opinion = reading.voice.asserted_by is not None or reading.voice.stance != "reported"
    if not facts or opinion:
        facts += _claim(reading, book)
    return facts


def _fact(
    book: Book, reading: Reading, base: str, subject: str, properties: dict[str, list[Value]], why: str
) -> Proposed:
    cleaned = {k: _distinct(v) for k, v in properties.items() if v}
    return Proposed(book.fact_id(base), subject, cleaned, reading.sentence, reading.voice, why)


def _posts(reading: Reading, context: ArticleContext, book: Book) -> list[Proposed]:
    """ "Chief Financial Officer Qi Shuyong … resigned in January", "Ming-Shi Shen, a
    researcher at the Taiwan Institute…": a post, and how and when it ended."""
    facts = []
    people = reading.of("kg:Person")
    departures = reading.of("kg:DepartureKind")
    for role in reading.of("kg:Role"):
        for person in _holders(reading, role, people):
            organisation = _organisation(reading, role, context)
            key = (person.known.ref, role.known.ref, organisation or "")
            post = book.names.posts.get(key) if organisation else None
            if post is None:
                role_name = book.label(role.known.ref)
                where = f" of {book.label(organisation)}" if organisation else ""
                post = book.entity(
                    f"post-{person.known.ref}-{organisation or 'unknown'}-{role.known.ref.split(':')[1]}",
                    "kg:Post",
                    f"{book.label(person.known.ref)}, {role_name}{where}",
                    "a person next to a role",
                )
                book.names.posts[key] = post
            properties: dict[str, list[Value]] = {
                "org:member": [person.known.ref],
                "org:organization": [organisation] if organisation else [],
                "org:role": [role.known.ref],
            }
            if departed := _departure(reading, role, person, departures):
                properties["kg:endedHow"] = [departed.known.ref]
                properties["kg:endDate"] = _value_list(_date_after(reading, person), context)
            facts.append(
                _fact(
                    book,
                    reading,
                    f"{person.known.ref}-{role.known.ref.split(':')[1]}",
                    post,
                    properties,
                    "post",
                )
            )
    return facts


def _departure(reading: Reading, role: Mention, person: Mention, departures: list[Mention]) -> Mention | None:
    """How a post ended: the departure word right after its holder ("Yan Shengjian stepping
    down"), else the nearest one before the role ("the resignation of … CFO Qi Shuyong")."""
    following = [d for d in departures if 0 <= d.start - person.end <= _DEPARTED_NEAR]
    preceding = [d for d in departures if d.end <= role.start]
    if following:
        return following[0]
    if preceding:
        return preceding[-1]
    return departures[0] if departures else None


def _holders(reading: Reading, role: Mention, people: list[Mention]) -> list[Mention]:
    """People named right after a role ("Independent Directors A, B, and C") or right
    before it ("A, a researcher")."""
    after = sorted((p for p in people if p.start >= role.end), key=lambda p: p.start)
    holders: list[Mention] = []
    cursor: Mention | int = role
    for person in after:
        gap = reading.gap(cursor, person)
        separator = r"^\s*$" if not holders else r"^\s*(?:,|,?\s*and|、|和|及)\s*$"
        if not re.match(separator, gap):
            break
        holders.append(person)
        cursor = person
    if holders:
        return holders
    before = [p for p in people if p.end <= role.start]
    if before and re.match(
        r"^\s*,\s*(?:a|an|the|who is|as)?\s*(?:former\s+)?$", reading.gap(before[-1], role), re.I
    ):
        return [before[-1]]
    return []


def _organisation(reading: Reading, role: Mention, context: ArticleContext) -> str | None:
    orgs = [m for m in reading.of("kg:Organization") if not m.known.isa("kg:NewsOutlet")]
    for org in orgs:
        if org.start >= role.end and re.match(
            r"^\s*(?:\([^)]*\)\W*)?(?:of|at|from|in|with)\s+(?:the\s+)?[“\"]?$", reading.gap(role, org), re.I
        ):
            return org.known.ref
        if org.end <= role.start and re.match(r"^\s*(?:'s|’s)?\s*$", reading.gap(org, role)):
            return org.known.ref
    if re.search(
        r"\b(?:the|its) (?:company|group|firm)(?:'s|’s)\s*$", reading.sentence.text[: role.start], re.I
    ):
        earlier = [o for o in orgs if o.end <= role.start]
        return earlier[0].known.ref if earlier else context.last_organisation
    if orgs:
        return min(orgs, key=lambda o: abs(o.start - role.start)).known.ref
    return context.last_organisation


def _date_after(reading: Reading, person: Mention) -> When | None:
    return next((d for d in reading.dates if d.start >= person.end), None)


def _value_list(when: When | None, context: ArticleContext) -> list[Value]:
    value = date_value(when, context.published) if when else None
    return [value] if value is not None else []


def _figures(reading: Reading, book: Book) -> list[Proposed]:
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
            and _observable(m.known)
            and m.known.ref not in (*reading.voice.cited, reading.voice.asserted_by)
        ]
        before = [m.known.ref for m in candidates if m.end <= figure.start]
        observed_all = before[-1:] or _distinct([m.known.ref for m in candidates if m.start >= figure.end])
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
            "kg:concerns": [m.known.ref for m in reading.things if _concern(m.known)],
            "kg:value": [figure.value],
            "kg:valueQualifier": [figure.qualifier] if figure.qualifier else [],
            "kg:unit": [figure.unit] if figure.unit else [],
            "kg:currency": [figure.currency] if figure.currency else [],
            "kg:citedSource": list(reading.voice.cited),
        }
        properties |= {key: [value] for key, value in period_values(year).items()} if year else {}
        facts.append(_fact(book, reading, obs, obs, properties, "a figure"))
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
    if figure.unit == "kg:Percent" and after:
        return f"share {after.group(1)} {after.group(2).strip()}"[:100]
    if figure.unit == "kg:Count" and figure.noun:
        return figure.noun
    before = re.search(
        r"([A-Za-z][A-Za-z -]{2,50}?)\s+(?:of|at|to|was|were|reached|by|is)\s*$", text[: figure.start]
    )
    if before:
        words = [w for w in before.group(1).split() if w.lower() not in {"a", "an", "the"}][-4:]
        return " ".join(words) or None
    return None


def _observable(known: Known) -> bool:
    return any(known.isa(f) for f in ("kg:Organization", "kg:Country", "kg:Person", "kg:Group", "kg:Place"))


def _concern(known: Known) -> bool:
    return any(known.isa(f) for f in ("kg:Material", "kg:Technology", "kg:Product", "kg:ChemicalElement"))


def _relations(reading: Reading, context: ArticleContext, book: Book) -> list[Proposed]:
    """Organisations under others ("X, a listed subsidiary under Y"), listings, supervision,
    where an organisation is based or was founded, and whose student someone was."""
    facts = []
    text = reading.sentence.text
    orgs = [m for m in reading.of("kg:Organization") if not m.known.isa("kg:NewsOutlet")]
    exchanges = {m.known.ref for m in reading.of("kg:StockExchange")}
    for first, second in itertools.pairwise(orgs):
        gap = reading.gap(first, second)
        if first.known.ref in exchanges:
            continue
        properties: dict[str, list[Value]] = {}
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
                _fact(book, reading, f"{first.known.ref}-relation", first.known.ref, properties, "a relation")
            )
    for org in orgs:
        if re.search(
            r"\b(?:the|its)\s+parent\s+(?:company\s+)?$", text[: org.start], re.I
        ) and context.main_organisation not in (None, org.known.ref):
            facts.append(
                _fact(
                    book,
                    reading,
                    f"{context.main_organisation}-parent",
                    str(context.main_organisation),
                    {"org:subOrganizationOf": [org.known.ref]},
                    "a parent",
                )
            )
    for place in reading.of("kg:Place"):
        based = re.match(r"^[-‐]based\b", text[place.end :])
        subject = (orgs[0].known.ref if orgs else None) or context.main_organisation
        if based and subject:
            facts.append(
                _fact(
                    book, reading, f"{subject}-based", subject, {"kg:basedIn": [place.known.ref]}, "based in"
                )
            )
        if re.search(r"\b(?:established|founded|set up)\s+in\s+$", text[: place.start], re.I) and orgs:
            founded = next((d for d in reading.dates if d.year), None)
            properties = {"kg:foundedIn": [place.known.ref], "kg:foundingDate": _value_list(founded, context)}
            facts.append(
                _fact(book, reading, f"{orgs[0].known.ref}-founded", orgs[0].known.ref, properties, "founded")
            )
    people = reading.of("kg:Person")
    for first, second in itertools.pairwise(people):
        if re.search(r"\bstudent of\s*$", reading.gap(first, second), re.I):
            facts.append(
                _fact(
                    book,
                    reading,
                    f"{first.known.ref}-teacher",
                    first.known.ref,
                    {"kg:studentOf": [second.known.ref]},
                    "student of",
                )
            )
    return facts


def _policies(reading: Reading, context: ArticleContext, book: Book) -> list[Proposed]:
    """A policy the sentence names or describes: who issued it, what it controls, when."""
    text = reading.sentence.text
    facts = []
    for kind, pattern in _POLICY_WORDS:
        match = pattern.search(text)
        if not match:
            continue
        named = [m for m in reading.of("kg:Policy") if m.known.isa(kind)]
        issuers = [
            m
            for m in reading.things
            if m.end <= match.start()
            and (
                m.known.isa("kg:Country")
                or m.known.isa("kg:GovernmentBody")
                or m.known.isa("kg:IntergovernmentalBody")
            )
        ]
        controlled = [m.known.ref for m in reading.things if m.start >= match.start() and _concern(m.known)]
        targets = [
            m.known.ref
            for m in reading.things
            if m.start >= match.start() and m.known.isa("kg:Group") and not _concern(m.known)
        ]
        if named:
            subject = named[0].known.ref
        else:
            issuer = book.label(issuers[-1].known.ref) if issuers else ""
            what = _KIND_WORDS[kind]
            subject = book.entity(
                f"{issuer} {what}", kind, f"{issuer} {what}".strip(), f"the words '{match.group()}'"
            )
        when = next((d for d in reading.dates if d.start > match.start()), None) or next(
            iter(reading.dates), None
        )
        effective = bool(re.search(r"\b(?:starting|effective|from|since)\b", text, re.I))
        properties: dict[str, list[Value]] = {
            "kg:issuedBy": [issuers[-1].known.ref] if issuers else [],
            "kg:controls": list(controlled),
            "kg:targets": list(targets),
            ("kg:effectiveFrom" if effective else "kg:announcedOn"): _value_list(when, context),
        }
        facts.append(_fact(book, reading, f"{subject}-policy", subject, properties, "a policy"))
        break
    return facts


def _sources(reading: Reading, context: ArticleContext, book: Book) -> list[Proposed]:
    """ "This article cites information from A, B and C": the sources an article names."""
    match = re.search(
        r"\b(?:cites|citing) (?:information|reports?|data)? ?from\b|\bsources?:", reading.sentence.text, re.I
    )
    outlets = [
        m.known.ref
        for m in reading.things
        if match and m.start > match.end() and m.known.isa("kg:Organization")
    ]
    if not outlets:
        return []
    properties: dict[str, list[Value]] = {"kg:citesSource": list(outlets)}
    return [
        _fact(book, reading, "article-sources", f"article:{context.article}", properties, "sources cited")
    ]


def _claim(reading: Reading, book: Book) -> list[Proposed]:
    """What the sentence says, as a claim about the things it names."""
    voice = reading.voice
    about = [m.known.ref for m in reading.things if m.known.ref not in {voice.asserted_by, *voice.via}]
    if not about:
        return []
    words = [w for w in re.findall(r"[A-Za-z]+", reading.sentence.text) if len(w) > 3][:6]
    label = reading.sentence.text if len(reading.sentence.text) <= 160 else reading.sentence.text[:157] + "…"
    zh = reading.sentence.text if reading.sentence.language == "zh" else None
    claim = book.entity("claim-" + ("-".join(words) or "zh"), "kg:Claim", label, "what the sentence says", zh)
    return [_fact(book, reading, claim.removeprefix("claim-"), claim, {"kg:about": list(about)}, "a claim")]


def _distinct(values: list[Value]) -> list[Value]:
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
