"""Policies a sentence names or describes — export controls, directives, regulations,
tariffs, ultimatums, agreements — with who issued them (or, for an agreement, its parties),
what they control and require ("instructed companies to submit lists of experts"), whom they
target, what for ("aiming to prevent leaks") and when."""

from __future__ import annotations

import re

from kg.review.groups import of_people
from kg.review.known_policies import known_policy, remember, responded_to
from kg.review.names import Mention
from kg.review.observations import concern
from kg.review.proposal import Book, Proposed, Value, fact, value_list
from kg.review.reading import ArticleContext, Reading

_POLICY_WORDS = [
    (
        "kg:ExportControl",
        re.compile(
            r"export (?:control|restriction|ban|permit|licen[cs])\w*|出口管制|出口许可|"
            r"\b(?:controls?|restrictions?|bans?|curbs?)(?: measures)? on (?:[\w-]+ ){0,3}?exports\b|"
            r"\b(?:regulat|restrict|curb)\w* (?:[\w-]+ ){0,3}?exports\b",  # "curbs on drone exports"
            re.I,
        ),
    ),
    ("kg:Ultimatum", re.compile(r"\bultimatum\b|最后通牒", re.I)),
    (
        "kg:Directive",
        re.compile(
            r"\bdirective\b|\bmandated\b|\binstructed\b|\bdemanded that\b|"
            r"\b(?:been|were|was|are|is)\s+(?:told|ordered|required|asked)\s+to\b|要求",
            re.I,
        ),
    ),
    ("kg:Regulation", re.compile(r"\bregulations?\b|条例", re.I)),
    ("kg:Tariff", re.compile(r"\btariffs?\b|关税", re.I)),
    (
        "kg:Agreement",
        re.compile(
            r"\b(?:reach(?:ed|ing)?|struck|strike|conclud(?:ed|ing)|sign(?:ed|ing)?)\s+(?:a|an|the)\s+"
            r"(?!cooperation\b)(?:\w+\s+)?(?:deal|agreement|accord|treaty)\b|达成协议",
            re.I,
        ),
    ),
]

# A further demand in a sentence that has made one already, after a comma or "and".
_DIRECTIVE = re.compile(r"\b(?:required|told|ordered|asked|instructed|mandated)\s+to\b", re.I)
_CLAUSE_BREAK = re.compile(r"[,;]|\band\b")
_BACK = re.compile(r"\b(?:the|this|that|these|such)\s+$", re.I)  # words that refer back to a policy
# Between a policy's words and whom it is aimed at, within its clause.
_TO = re.compile(r"^[^,;.]{0,40}?\b(?:to|on|against)\s+(?:the\s+)?$", re.I)
GOVERNING = ("kg:Country", "kg:GovernmentBody", "kg:IntergovernmentalBody")
_AUTHORITIES = re.compile(r"\b(?:authorities|government|regulators|officials|ministries)$", re.I)
_RESTRICTING = ("kg:ExportControl", "kg:Directive", "kg:Regulation", "kg:Tariff")
_KIND_WORDS = {
    "kg:ExportControl": "export control",
    "kg:Directive": "directive",
    "kg:Regulation": "regulation",
    "kg:Tariff": "tariff",
    "kg:Ultimatum": "ultimatum",
    "kg:Agreement": "agreement",
}
_DEADLINE = re.compile(
    r"\b(?:within|in|of)\s+(\d{1,3}|one|two|three|six|twelve)[\s-]+(days?|weeks?|months?|years?)\b|(\d{1,3})\s*天",
    re.I,
)
_UNITS = {"day": "D", "week": "W", "month": "M", "year": "Y"}
_NUMBERS = {"one": "1", "two": "2", "three": "3", "six": "6", "twelve": "12"}

_CLAUSE = r"((?:(?![,;.。，；](?:\s|$))[^;。；])+?)(?=\s*(?:[,;.。，；]|\band\b|$))"
_REQUIRES = re.compile(
    r"\b(?:demand|requir)(?:s|ed|es|ing)?\s+((?:a|an|the)\s+(?:(?!\s+(?:within|by|before)\b)[^,;.。，；])+)|"
    r"\b(?:instructed|required|requires|requiring|demanded|demanding|ordered|mandated|told|asked)\s+"
    r"(?:that\s+|(?:[\w’'-]+\s+){0,8}?to\s+)" + _CLAUSE + r"|要求" + _CLAUSE,
    re.I,
)
# A further demand joined to one: "… to report expert lists and restrict their travel".
_AND_DEMAND = re.compile(
    r"\s+and\s+((?!(?:then|also|for|with|to|in|on|at|by|from|of)\b)[a-z]+\s+"
    r"(?:their|the|its|his|her|all|any|a|an)\s+[^,;.]+)"
)
PURPOSE = re.compile(
    r"\b(?:aim(?:s|ed|ing)?|in order|so as|designed|intended|meant)\s+(?:to|at)\s+"
    + _CLAUSE
    + r"|\bto\s+((?:prevent|ensure|protect|curb|avoid|stop|secure|safeguard|retain|develop|establish|promote|"
    + r"enhance|support|expand|build|strengthen|accelerate|speed up|expedite|facilitate)\b[^,;.]*)"
    + r"|(?:以|为了)((?:防止|确保|保护|保障)[^，。；]+)",
    re.I,
)


def policies(reading: Reading, context: ArticleContext, book: Book) -> list[Proposed]:
    """A policy the sentence names or describes: who issued it, what it controls and
    requires, what for, when, and the deadline it sets. A second demand in the sentence
    ("demanded that firms submit lists, with some experts required to surrender passports")
    is a second directive, with what follows it."""
    text = reading.sentence.text
    described = [
        (kind, m.start(), m.group()) for kind, pattern in _POLICY_WORDS if (m := pattern.search(text))
    ]
    named_only = [(m.known.kind, m.start, m.text) for m in reading.of("kg:Policy")]
    if not (described or named_only):
        return []
    kind, start, words = (described or named_only)[0]
    facts = _policy(reading, context, book, kind, start, words, 0)
    if kind == "kg:Directive" and facts:
        facts += _joined_demands(reading, context, book, facts[0], start)
        for again in _DIRECTIVE.finditer(text, start + len(words)):
            if _CLAUSE_BREAK.search(text[start : again.start()]):
                facts += _policy(reading, context, book, kind, again.start(), again.group(), again.start())
    return facts


def _joined_demands(
    reading: Reading, context: ArticleContext, book: Book, first: Proposed, start: int
) -> list[Proposed]:
    """ "requiring institutions to report expert lists and restrict their travel": a directive
    for each demand joined by "and", with the first's issuer, addressees and what it controls."""
    text = reading.sentence.text
    demand = _REQUIRES.search(text, start)
    joined = _AND_DEMAND.match(text, demand.end()) if demand else None
    if joined is None:
        return []
    label = book.label(first.subject)
    subject = book.entity(label, "kg:Directive", label, "a second demand")
    properties = first.properties | {"kg:requires": [{reading.sentence.language: joined.group(1).strip()}]}
    remember(book, subject, properties)
    context.policies["kg:Directive"] = subject
    return [fact(book, reading, f"{subject}-policy", subject, properties, "a policy")]


def _policy(
    reading: Reading, context: ArticleContext, book: Book, kind: str, start: int, words: str, after: int
) -> list[Proposed]:
    """The policy the words at `start` describe, from what the sentence names after `after`."""
    text = reading.sentence.text
    things = [m for m in reading.things if m.start >= after]
    named = [m for m in reading.of("kg:Policy") if m.known.isa(kind) and m.start >= after]
    before = [m for m in reading.things if m.end <= start]
    issuers = (
        [m for m in before if any(m.known.isa(f) for f in GOVERNING)]
        or _authorities_of(before, book)
        or [m for m in before if m.known.isa("kg:Organization") and not m.known.isa("kg:NewsOutlet")]
    )  # "The NU issued an ultimatum": a body of a kind not known yet
    # What a restriction controls ("rare earth export controls" too); what another policy, such
    # as an ultimatum or a national plan, concerns.
    restricting = kind in _RESTRICTING
    controlled = [m.known.ref for m in things if concern(m.known) and (restricting or m.start >= start)]
    groups = [m for m in things if m.start >= start and m.known.isa("kg:Group") and not concern(m.known)]
    if restricting:  # whom it restricts ("lists of technical personnel"), unless it restricts exports
        controlled += [m.known.ref for m in groups if of_people(m.known) and kind != "kg:ExportControl"]
        groups = [m for m in groups if not of_people(m.known)]
    targets = [m.known.ref for m in groups]
    targets += [  # "an ultimatum to Corex", "tariffs as high as 50% on Canadian goods"
        m.known.ref
        for m in things
        if m.start > start
        and any(m.known.isa(f) for f in ("kg:Country", "kg:Organization"))
        and _TO.search(text[start : m.start])
    ]
    issuer = book.label(issuers[-1].known.ref) if issuers else ""
    back = (not issuer or kind == "kg:Agreement") and _BACK.search(text[:start])
    issuer_ref = issuers[-1].known.ref if issuers else None
    if named:
        subject = named[0].known.ref
    elif back and kind in context.policies:  # "The export control also covers …"
        subject = context.policies[kind]
    elif not after and (known := known_policy(book, context, kind, issuer_ref, controlled, text)):
        subject = known
    else:
        what = _KIND_WORDS[kind]
        subject = book.entity(f"{issuer} {what}", kind, f"{issuer} {what}".strip(), f"the words '{words}'")
    context.policies[kind] = subject
    when = next((d for d in reading.dates if d.start > start), None) or next(iter(reading.dates), None)
    effective = bool(re.search(r"\b(?:starting|effective|from|since)\b", text, re.I))
    deadline = _DEADLINE.search(text)
    properties: dict[str, list[Value]] = {
        "kg:issuedBy": [issuers[-1].known.ref] if issuers else [],
        "kg:controls": list(controlled) if restricting else [],
        "kg:concerns": [] if restricting else list(controlled),
        "kg:targets": list(targets),
        ("kg:effectiveFrom" if effective else "kg:announcedOn"): value_list(when, context),
        "kg:requires": words_of(_REQUIRES, text[start:], reading.sentence.language),
        "kg:purpose": words_of(PURPOSE, text[after:], reading.sentence.language),
        "kg:deadline": [_duration(deadline)] if deadline else [],
        "kg:inResponseTo": responded_to(reading, context, book, subject),
    }
    if kind == "kg:Agreement":  # "Norway and Canada announced reaching an agreement": its parties
        agents = [m for m in reading.things if any(m.known.isa(f) for f in (*GOVERNING, "kg:Organization"))]
        properties["kg:issuedBy"] = []
        properties["kg:party"] = [m.known.ref for m in agents if not m.known.isa("kg:NewsOutlet")]
    if not any(properties.values()):
        return []
    remember(book, subject, properties)
    return [fact(book, reading, f"{subject}-policy", subject, properties, "a policy")]


def _authorities_of(mentions: list[Mention], book: Book) -> list[Mention]:
    """ "Chinese authorities have instructed …": the country whose authorities act."""
    return [
        country
        for m in mentions
        if m.known.isa("kg:Group") and (head := _AUTHORITIES.search(m.text))
        for country in book.names.find(m.text[: head.start()].strip())
        if country.known.isa("kg:Country")
    ][-1:]


def _duration(match: re.Match[str]) -> str:
    """ "within 30 days" -> P30D, "30天" -> P30D."""
    count = match.group(1) or match.group(3)
    unit = (match.group(2) or "day").lower()
    return f"P{_NUMBERS.get(count.lower(), count)}{_UNITS[unit.rstrip('s')]}"


def words_of(pattern: re.Pattern[str], text: str, language: str) -> list[Value]:
    """The words a pattern captures, as text in the sentence's language."""
    found: list[Value] = [
        {language: next(g for g in m.groups() if g).strip()} for m in pattern.finditer(text)
    ]
    return found[:1]
