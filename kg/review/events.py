"""Events a sentence reports — lawsuits, investments, lectures, listings, launches,
convictions, partnerships, summits — with who takes part in which role, the amount, the
place, the date and the topic. A later sentence that names no one but says "the lawsuit" or
"the lecture" adds to the event of that kind the article reported last."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.review.figures import NUMBER_WORDS, Figure
from kg.review.names import Known, Mention
from kg.review.policies import PURPOSE, words_of
from kg.review.proposal import Book, Proposed, Value, fact, value_list
from kg.review.reading import ArticleContext, Reading

AGENT = ("kg:Person", "kg:Organization", "kg:Country", "kg:Group")
_TOPIC = re.compile(
    r"\b(?:focus(?:ed|ing|es)? on|covered|covering|on the (?:topic|theme) of|titled|themed)\s+"
    r"[“\"]?((?:(?!\s+and\s+(?:was|were|is|has|had)\b)[^.;:()—“”\"])+)",
    re.I,
)
_SENTENCED = re.compile(
    r"\bsentenced to\s+(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten)\s+years?\b", re.I
)
# What someone was convicted for: "sentenced to 11 years for (allegedly) leaking …", up to
# the sentence's own verb ("… highlights the risks").
_CHARGE = re.compile(
    r"\bfor\s+(?:allegedly\s+)?(\w+ing\b(?:(?!\s+(?:highlights?|shows?|suggests?|indicates?|reveals?|"
    r"underscores?|raises?|is|was|has|and)\b)[^,;.\[])*)",
    re.I,
)
_YEARS = {"one": 1, **NUMBER_WORDS}  # "sentenced to three years"
_ANY_EVENT_BACK = re.compile(r"\b(?:the|this|that) (?:initiative|move|step|effort|event)\b", re.I)
_FURTHER_INVESTMENT = re.compile(r"\b(?:investing|committing|pledging)\b", re.I)
_WITH_PURPOSE = ("kg:Partnership", "kg:Listing", "kg:Launch", "kg:Investment")


@dataclass(frozen=True)
class Kind:
    """A kind of event: the words that report it and the words that refer back to it."""

    kind: str
    name: str
    words: re.Pattern[str]
    back: re.Pattern[str]


KINDS = [
    Kind(
        "kg:Lawsuit",
        "lawsuit",
        re.compile(
            r"\b(?:lawsuit|sued|sues|suing|litigation|legal action|filed (?:a )?suit)\b|起诉|诉讼", re.I
        ),
        re.compile(r"\b(?:the|this) (?:lawsuit|case|suit|litigation)\b|该案|此案", re.I),
    ),
    Kind(
        "kg:Investment",
        "investment",
        re.compile(r"\binvest(?:s|ed|ing|ments?)?\b|投资", re.I),
        re.compile(r"\b(?:the|this) investment\b", re.I),
    ),
    Kind(
        "kg:Lecture",
        "lecture",
        re.compile(r"\blectures?\b|\bseminar\b|\bworkshop\b|讲座", re.I),
        re.compile(r"\b(?:the|this) (?:lecture|seminar|workshop|training|session)\b", re.I),
    ),
    Kind(
        "kg:Listing",
        "listing",
        re.compile(r"\b(?:IPO|initial public offering|listing|went public)\b|上市", re.I),
        re.compile(r"\b(?:the|this) (?:IPO|listing|offering)\b", re.I),
    ),
    Kind(
        "kg:Launch",
        "launch",
        re.compile(r"\b(?:launch(?:ed|es)?|unveil(?:ed|s)?)\b|发布|推出", re.I),
        re.compile(r"\b(?:the|this) launch\b", re.I),
    ),
    Kind(
        "kg:Partnership",
        "partnership",
        re.compile(
            r"\b(?:partnership|partnered|partners? with|cooperation agreements?|strategic cooperation|"
            r"collaborat(?:e|es|ed|ing|ion)|teamed up|joint venture)\b|合作协议|战略合作|携手",
            re.I,
        ),
        re.compile(r"\b(?:the|this) (?:partnership|collaboration|cooperation|joint venture)\b", re.I),
    ),
    Kind(
        "kg:Event",
        "meeting",
        re.compile(r"\b(?:summit|conference|forum|expo)\b|峰会|论坛", re.I),
        re.compile(r"\b(?:the|this) (?:summit|conference|forum|meeting)\b", re.I),
    ),
    Kind(
        "kg:Conviction",
        "conviction",
        re.compile(r"\b(?:sentenced|convicted)\b|判处", re.I),
        re.compile(r"\b(?:the|this) (?:conviction|sentence)\b", re.I),
    ),
]


def events(reading: Reading, context: ArticleContext, book: Book) -> list[Proposed]:
    """A fact for each event the sentence reports or refers back to."""
    text = reading.sentence.text
    facts = []
    for kind in KINDS:
        match = kind.words.search(text)
        back = kind.back.search(text)
        if not match and not (back and kind.kind in context.events):
            continue
        at = match or back
        assert at is not None
        properties = _roles(kind.kind, reading, at.start(), at.end())
        first = next((v for values in properties.values() for v in values if isinstance(v, str)), None)
        if kind.kind in context.events and (back or not first):
            event = context.events[kind.kind]
        elif first:
            label = f"{kind.name}: {book.label(first)}"
            event = book.entity(f"{kind.name}-{first}", kind.kind, label, f"the words '{at.group()}'")
        else:
            continue
        context.events[kind.kind] = context.last_event = event
        when = next((d for d in reading.dates if d.year or d.month), None)
        properties["kg:date"] = value_list(when, context)
        if kind.kind in _WITH_PURPOSE:  # "… to develop a cloud platform", "aiming to expand overseas"
            properties["kg:purpose"] = words_of(PURPOSE, text, reading.sentence.language)
        if topic := _TOPIC.search(text):
            properties["kg:topic"] = [{reading.sentence.language: topic.group(1).strip(" ,")}]
        if any(properties.values()):
            facts.append(fact(book, reading, event, event, properties, f"an event ({kind.name})"))
        if kind.kind == "kg:Investment":
            facts += _further_investments(reading, context, book, at.end())
    return facts


def _further_investments(reading: Reading, context: ArticleContext, book: Book, after: int) -> list[Proposed]:
    """ "Corex investing $2 billion in Tromsvik and Bolt committing €3 billion to … in Bergen":
    each investor named right before its own verb makes an investment of its own, with the
    amount and places that follow it."""
    text = reading.sentence.text
    verbs = list(_FURTHER_INVESTMENT.finditer(text, after))
    facts = []
    for i, verb in enumerate(verbs):
        stop = verbs[i + 1].start() if i + 1 < len(verbs) else len(text)
        investor = [m for m in reading.things if _isa(m.known, AGENT) and 0 <= verb.start() - m.end <= 2]
        money = [f for f in reading.figures if _money(f) and verb.end() <= f.start < stop]
        if not investor or investor[0].known.isa("kg:Country") or not money:
            continue
        places = [
            m
            for m in reading.things
            if _isa(m.known, ("kg:Place", "kg:Country")) and verb.end() <= m.start < stop
        ]
        ref = investor[0].known.ref
        event = book.entity(
            f"investment-{ref}",
            "kg:Investment",
            f"investment: {book.label(ref)}",
            f"the words '{verb.group()}'",
        )
        properties: dict[str, list[Value]] = {
            "kg:investor": [ref],
            "kg:amount": [money[0].value],
            "kg:unit": [str(money[0].unit)],
            "kg:location": _refs(places),
            "kg:purpose": words_of(PURPOSE, text[verb.end() : stop], reading.sentence.language),
        }
        context.events["kg:Investment"] = context.last_event = event
        facts.append(fact(book, reading, event, event, properties, "an event (investment)"))
    return facts


def referred(reading: Reading, context: ArticleContext) -> list[str]:
    """The events a sentence reports or refers back to (after `events` has read it); "the
    initiative" or "this move" is the event reported last, of whatever kind."""
    text = reading.sentence.text
    found = [
        context.events[k.kind]
        for k in KINDS
        if k.kind in context.events and (k.words.search(text) or k.back.search(text))
    ]
    if not found and context.last_event and _ANY_EVENT_BACK.search(text):
        found = [context.last_event]
    return found


def _roles(kind: str, reading: Reading, start: int, end: int) -> dict[str, list[Value]]:
    agents = [m for m in reading.things if _isa(m.known, AGENT)]
    before = [m for m in agents if m.end <= start]
    money = [f for f in reading.figures if _money(f)]
    text = reading.sentence.text
    if kind == "kg:Lawsuit":
        against = re.search(r"\bagainst\b|\bsued\b|\bsues\b|\bsuing\b|起诉", text)
        defendants = [m for m in agents if against and m.start >= against.end()]
        defendants = [m for m in defendants if not m.known.isa("kg:Country")][:1] or defendants[:1]
        plaintiffs = [m for m in before if m not in defendants]
        plaintiffs = [m for m in plaintiffs if not m.known.isa("kg:Country")][-1:] or plaintiffs[-1:]
        return {
            "kg:plaintiff": _refs(plaintiffs),
            "kg:defendant": _refs(defendants),
            "kg:amountClaimed": [f.value for f in money[:1]],
            "kg:unit": [str(f.unit) for f in money[:1]],
        }
    if kind == "kg:Investment":
        further = _FURTHER_INVESTMENT.search(text, end)
        stop = further.start() if further else len(text)
        places = [
            m for m in reading.things if _isa(m.known, ("kg:Place", "kg:Country")) and end <= m.start < stop
        ]
        investors = [m for m in before if not m.known.isa("kg:Country")][-1:]
        return {
            "kg:investor": _refs(investors),
            "kg:amount": [f.value for f in money[:1]],
            "kg:unit": [str(f.unit) for f in money[:1]],
            "kg:location": _refs(places),
        }
    if kind == "kg:Lecture":
        hosts = [m for m in before if m.known.isa("kg:Organization")][-1:]
        speakers = [
            m for m in reading.of("kg:Person") if re.search(r"\bby\s+(?:[A-Z]\w+\.?\s+)?$", text[: m.start])
        ]
        return {"kg:host": _refs(hosts), "kg:speaker": _refs(speakers)}
    if kind == "kg:Conviction":
        years = _SENTENCED.search(text)
        people = [m for m in reading.of("kg:Person") if m.start < start][-1:]
        count = years.group(1).lower() if years else None
        charge = _CHARGE.search(text, start)
        return {
            "kg:convictedPerson": _refs(people),
            "kg:sentence": [f"P{_YEARS.get(count) or count}Y"] if count else [],
            "kg:charge": [{reading.sentence.language: charge.group(1)}] if charge else [],
        }
    if kind == "kg:Event":  # "X spoke during the Arctic summit": who took part
        return {"kg:participant": _refs([m for m in agents if not m.known.isa("kg:Country")])}
    if kind == "kg:Partnership":
        parties = [m for m in agents if m.known.isa("kg:Organization") or m.known.isa("kg:Group")]
        return {
            "kg:party": _refs(parties),
            "kg:concerns": _refs(
                [m for m in reading.things if _isa(m.known, ("kg:Product", "kg:Technology"))]
            ),
        }
    exchanges = [m for m in reading.of("kg:StockExchange")]
    organisations = [
        m for m in agents if m.known.isa("kg:Organization") and not m.known.isa("kg:StockExchange")
    ]
    things = [m for m in reading.things if _isa(m.known, ("kg:Product", "kg:Technology"))]
    properties: dict[str, list[Value]] = {"kg:participant": _refs(organisations[:1])}
    if kind == "kg:Listing":
        properties |= {
            "kg:location": _refs(exchanges),
            "kg:amount": [f.value for f in money[:1]],
            "kg:unit": [str(f.unit) for f in money[:1]],
        }
    else:
        properties["kg:concerns"] = _refs(things)
    return properties


def _refs(mentions: list[Mention]) -> list[Value]:
    return [m.known.ref for m in mentions]


def _isa(known: Known, families: tuple[str, ...]) -> bool:
    return any(known.isa(f) for f in families)


def _money(figure: Figure) -> bool:
    return figure.unit is not None and figure.unit not in ("percent", "count") and "/" not in figure.unit
