"""Typed relations between the things a sentence names, by the words that join them: "X
depends on Y", "X competes with Y", "X partnered with Y and Z", "X poached engineers from
Y", "X produces Y", "Y, developed by X", "X's self-developed Y", "X operates plants in Y"
(the sub-properties of kg:relatedTo, and kg:developedBy). The subject is the nearest fitting
name before the words, the objects the fitting names right after them (a list joined by
commas and "and"); for "self-developed" and the like, the other way round."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.review.names import Known, Mention
from kg.review.proposal import Book, Proposed, fact
from kg.review.reading import Reading

AGENT = ("kg:Person", "kg:Organization", "kg:Country", "kg:Group")
THING = ("kg:Material", "kg:Product", "kg:Technology")
PLACE = ("kg:Place", "kg:Country")
_REACH = 60  # characters at most between a name and the words that relate it
_LIST = re.compile(r"^\s*(?:,|,?\s*and|、|和|与|及)\s*(?:the\s+)?$")


@dataclass(frozen=True)
class Link:
    """A relation, the words that state it, and what its subject and object may be."""

    property: str
    words: re.Pattern[str]
    subjects: tuple[str, ...]
    objects: tuple[str, ...]
    reverse: bool = False  # the object comes first ("X's self-developed Y" is Y developedBy X)


def _words(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.I)


LINKS = [
    Link(
        "kg:dependsOn",
        _words(
            r"\b(?:depend(?:s|ed|ing|ence|ency)?|rel(?:y|ies|ied|ying|iance))\s+(?:heavily\s+)?(?:on|upon)\b|依赖"
        ),
        (*AGENT, "kg:Product"),
        (*AGENT, *THING),
    ),
    Link(
        "kg:competesWith",
        _words(
            r"\bcompet(?:es?|ed|ing|ition)\s+(?:with|against)\b|\brivals?\b|\bchalleng(?:e|es|ing)\b|与.{0,6}竞争"
        ),
        AGENT,
        AGENT,
    ),
    Link(
        "kg:partnerOf",
        _words(
            r"\bpartner(?:s|ed|ing|ship)?\s+(?:with|of|between)\b|\bcollaborat(?:es?|ed|ing|ion)\s+with\b|"
            r"\bcooperat(?:es?|ed|ing|ion)\s+with\b|\balliance with\b|\bteam(?:s|ed)? up with\b|"
            r"\bjoint venture with\b|\bagreements? with\b|合作"
        ),
        AGENT,
        AGENT,
    ),
    Link(
        "kg:recruitedFrom",
        _words(
            r"\b(?:recruit|poach|hir|lur)(?:e|es|ed|ing|s)?\b[^.;]{0,40}?\bfrom\b|\bpoach(?:ing|ed)?\b[^.;]{0,30}?\bof\b"
        ),
        AGENT,
        AGENT,
    ),
    Link("kg:importsFrom", _words(r"\bimport(?:s|ed|ing)?\b[^.;]{0,40}?\bfrom\b|从.{0,6}进口"), AGENT, AGENT),
    Link(
        "kg:produces",
        _words(
            r"\b(?:produc|manufactur)(?:es|ed|ing|e)\b|\bmakes\b|\bproducer(?:\s+and\s+exporter)? of\b|生产"
        ),
        AGENT,
        THING,
    ),
    Link(
        "kg:exports",
        _words(
            r"\bexport(?:s|ed|ing)?\b(?!\s+(?:control|restriction|licen|permit|ban))|"
            r"\bexporter of\b|\bproducer and exporter of\b"
        ),
        AGENT,
        THING,
    ),
    Link(
        "kg:uses",
        _words(r"\b(?:uses|used|using|adopt(?:s|ed|ing)|deploy(?:s|ed|ing)|equipped with)\b|采用|使用"),
        (*AGENT, "kg:Product"),
        THING,
    ),
    Link(
        "kg:outperforms",
        _words(r"\boutperform(?:s|ed|ing)?\b|\bsurpass(?:es|ed|ing)?\b|超越"),
        ("kg:Product",),
        ("kg:Product",),
    ),
    Link(
        "kg:backs",
        _words(r"\b(?:back(?:s|ed|ing)?|fund(?:s|ed|ing)?|support(?:s|ed|ing)?|financ(?:es|ed|ing))\b|支持"),
        AGENT,
        AGENT,
    ),
    Link(
        "kg:operatesIn",
        _words(
            r"\b(?:operat(?:es|ing)|plants?|factor(?:y|ies)|facilit(?:y|ies)|present|expand(?:s|ed|ing)?|presence)\s+in\b"
        ),
        ("kg:Organization",),
        PLACE,
    ),
    Link(
        "kg:integratesWith",
        _words(r"\bintegrat(?:es|ed|ing|ion)\s+(?:with|into)\b|与.{0,8}融合"),
        ("kg:Product", "kg:Technology"),
        ("kg:Product", "kg:Technology"),
    ),
    Link(
        "kg:certifiedFor",
        _words(r"\bcertif(?:ied|ication)\s+(?:for|on|with)\b|认证"),
        (*AGENT, "kg:Product"),
        ("kg:Product", "kg:Technology"),
    ),
    Link(
        "kg:worksFor",
        _words(r"\bworks?\s+(?:for|at)\b|\bjoined\b|\bemployed\s+(?:by|at)\b"),
        ("kg:Person", "kg:Group"),
        ("kg:Organization", "kg:Group"),
    ),
    Link(
        "kg:developedBy",
        _words(r"\b(?:developed|designed|built|created)\s+by\b|由.{0,12}研发"),
        THING,
        AGENT,
    ),
    Link(  # "Kestrel's Falcon 220X", "Bolt Cars' flagship models, the X5 and X7"
        "kg:developedBy",
        _words(
            r"(?:['’]s|(?<=s)['’])\s+(?:(?:flagship|latest|new|own)\s+)?"
            r"(?:(?:models?|products?|chips?|phones?|cars?|vehicles?),?\s+(?:the\s+)?)?(?=[A-Z])"
        ),
        ("kg:Product",),
        ("kg:Organization",),
        reverse=True,
    ),
    Link(
        "kg:developedBy",
        _words(
            r"(?:'s|’s)?\s+(?:self-developed|in-house|own)\b|\b(?:develop(?:s|ed)?|launch(?:es|ed)?)\b(?!\s+by)|自研"
        ),
        THING,
        AGENT,
        reverse=True,
    ),
]


def links(reading: Reading, book: Book) -> list[Proposed]:
    """A fact for each relation the words of the sentence state between two of its names."""
    things = [m for m in reading.things if m.how != "anaphor" or m.known.isa("kg:Organization")]
    facts = []
    seen: set[tuple[str, str, str]] = set()
    for link in LINKS:
        for match in link.words.finditer(reading.sentence.text):
            first = _before(reading, things, match.start(), link.objects if link.reverse else link.subjects)
            second = _after(reading, things, match.end(), link.subjects if link.reverse else link.objects)
            if link.reverse:
                subjects, objects = (second, [first]) if first else ([], [])
            else:
                subjects, objects = [first] if first else [], second
            for subject in subjects:
                values = [o.known.ref for o in objects if o.known.ref != subject.known.ref]
                values = [v for v in values if (subject.known.ref, link.property, v) not in seen]
                if not values:
                    continue
                seen |= {(subject.known.ref, link.property, v) for v in values}
                name = f"{subject.known.ref}-{link.property.removeprefix('kg:').lower()}"
                facts.append(
                    fact(book, reading, name, subject.known.ref, {link.property: list(values)}, "a relation")
                )
    return facts


def _fits(known: Known, families: tuple[str, ...]) -> bool:
    return any(known.isa(f) for f in families)


def _before(reading: Reading, things: list[Mention], start: int, families: tuple[str, ...]) -> Mention | None:
    near = [m for m in things if m.end <= start and start - m.end <= _REACH and _fits(m.known, families)]
    return near[-1] if near else None


def _after(reading: Reading, things: list[Mention], end: int, families: tuple[str, ...]) -> list[Mention]:
    """The fitting names right after `end`: the first within reach, and those listed with it."""
    following = sorted((m for m in things if m.start >= end), key=lambda m: m.start)
    found: list[Mention] = []
    cursor = end
    for mention in following:
        gap = reading.sentence.text[cursor : mention.start]
        if not found and len(gap) > _REACH:
            break
        if found and not _LIST.match(gap):
            break
        if _fits(mention.known, families):
            found.append(mention)
            cursor = mention.end
        elif found:
            break
    return found
