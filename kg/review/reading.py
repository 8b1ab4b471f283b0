"""One sentence read for proposing facts: what it names, its dates and figures, who says
it and how (the stance words), with what the article said before it."""

from __future__ import annotations

import datetime
import re
from collections import Counter
from dataclasses import dataclass, field

from kg.review.anaphora import with_anaphora
from kg.review.dates import When, find_dates
from kg.review.figures import Figure, find_figures
from kg.review.layout import Sentence
from kg.review.names import Known, Mention

STANCE_WORDS = [
    ("rumoured", re.compile(r"\brumou?rs?\b|\brumou?red\b|传闻|传言|据传|网传", re.I)),
    ("denied", re.compile(r"\bden(?:ied|ies|y)\b|\brefuted?\b|否认", re.I)),
    ("alleged", re.compile(r"\balleged(?:ly)?\b|\baccus(?:ed|ation)s?\b|涉嫌|指控", re.I)),
]
SPEECH = re.compile(
    r"^\s*(?:(?:has|had|have|also|further|then|publicly|officially|recently)\s+)*"
    r"(?:said|says|say|stated|states|stating|told|noted|notes|note|added|believes?|believed|considered|considers|"
    r"suggest|argue|argued|argues|warn|predicted|predicts|predict|pointed out|points out|point out|"
    r"expressed|suggested|indicated|indicates|concluded|emphasi[sz]ed|mentioned|announced|confirmed|"
    r"claimed|claims|reported|reports|warned|argued|released a statement|表示|称|指出|认为|宣布|声明)\b",
    re.I,
)
OFFICIAL = re.compile(
    r"\b(?:stated|states|stating|announced|confirmed|released a statement|declared)\b|宣布|声明", re.I
)
_SOURCE_BEFORE = re.compile(
    r"(?:according to|as noted by|as per|as reported by)\s+"
    r"(?:an?\s+(?:\w+\s+)?\w+\s+(?:from|by|in|cited by|published by)\s+)?"
    r"(?:the\s+)?(?:(?-i:[A-Z])[\w.]*\s+)?$",  # "… cited by the Canadian Metro Post"
    re.I,
)
_DATA_BEFORE = re.compile(r"\bdata\s+(?:from|of)\s+(?:the\s+)?$", re.I)
_DATA_AFTER = re.compile(r"^(?:'s|’s)?\s+(?:data|figures|statistics)\b", re.I)
_CITING_BEFORE = re.compile(r"\bciting\s+(?:\w+\s+){0,3}$", re.I)
_TOLD_BEFORE = re.compile(r"\btold\s+(?:the\s+)?$", re.I)
# "The lawsuit is interpreted by some industry experts as …": who gives the view, in the passive.
_VIEWED_BY_BEFORE = re.compile(
    r"\b(?:interpreted|seen|viewed|regarded|described|considered|criticised|criticized|praised)\s+by\s+"
    r"(?:some|many|several|most|the)?\s*$",
    re.I,
)
_PRONOUN = re.compile(r"^(?:He|She|They)\s", re.I)


@dataclass
class ArticleContext:
    """What the article has said so far: the organisations it named, who spoke last."""

    article: str
    published: datetime.date | None
    several_articles: bool
    organisations: Counter[str] = field(default_factory=Counter)
    last_organisation: str | None = None  # the first one named in the last sentence naming any
    antecedent: Known | None = None  # what "the company" or "its" refers to, failing a nearer name
    country: Known | None = None  # what "the country" refers to, failing a nearer name
    events: dict[str, str] = field(default_factory=dict)  # kind -> the event reported last
    last_event: str | None = None  # the event of any kind reported last
    policies: dict[str, str] = field(default_factory=dict)  # kind -> the policy named last
    last_speaker: str | None = None
    last_claim: tuple[str, str] | None = None  # the last claim proposed, and its stance
    last_report: str | None = None  # the report the article relayed last

    @property
    def main_organisation(self) -> str | None:
        return self.organisations.most_common(1)[0][0] if self.organisations else None


@dataclass(frozen=True)
class Voice:
    """Who says a sentence, through whom, and how."""

    stance: str = "reported"
    asserted_by: str | None = None
    via: tuple[str, ...] = ()
    cited: tuple[str, ...] = ()  # sources of data ("according to data from the IEA")


@dataclass
class Reading:
    sentence: Sentence
    mentions: list[Mention]
    dates: list[When]
    figures: list[Figure]
    voice: Voice

    @property
    def things(self) -> list[Mention]:
        """Mentions of entities (not roles, not kinds of departure)."""
        return [
            m for m in self.mentions if not m.known.isa("kg:Role") and not m.known.isa("kg:DepartureKind")
        ]

    def of(self, family: str) -> list[Mention]:
        return [m for m in self.mentions if m.known.isa(family)]

    def gap(self, first: Mention | int, second: Mention | int) -> str:
        """The text between two mentions (or offsets)."""
        end = first.end if isinstance(first, Mention) else first
        start = second.start if isinstance(second, Mention) else second
        return self.sentence.text[end:start]


def read(sentence: Sentence, mentions: list[Mention], context: ArticleContext) -> Reading:
    """Dates, figures and voice of a sentence whose mentions are known (offsets relative to
    the sentence); remembers its organisations and speaker in `context`."""
    text = sentence.text
    mentions = with_anaphora(text, mentions, context.antecedent, context.country)
    taken = [(m.start, m.end) for m in mentions]
    dates = [d for d in find_dates(text) if not _overlaps(d.start, d.end, taken)]
    figures = [f for f in find_figures(text) if not any(d.start <= f.start < d.end for d in dates)]
    reading = Reading(sentence, mentions, dates, figures, _voice(text, mentions, context))
    organisations = [
        m
        for m in reading.things
        if m.known.isa("kg:Organization")
        and not m.known.isa("kg:NewsOutlet")
        and not m.known.isa("kg:StockExchange")
    ]
    named = [m.known.ref for m in organisations]
    context.organisations.update(named)
    context.last_organisation = named[0] if named else context.last_organisation
    context.antecedent = next((m.known for m in organisations if m.how != "anaphor"), context.antecedent)
    countries = [m.known for m in mentions if m.known.isa("kg:Country") and m.how != "anaphor"]
    context.country = countries[0] if countries else context.country
    if reading.voice.asserted_by and reading.voice.asserted_by in _people(mentions):
        context.last_speaker = reading.voice.asserted_by
    return reading


def _voice(text: str, mentions: list[Mention], context: ArticleContext) -> Voice:
    speakers = [m for m in mentions if _agent(m.known)]
    asserted_by, via, cited, official = None, [], [], False
    for m in speakers:
        before = text[: m.start]
        if m.known.isa("kg:Country") and any(re.fullmatch(r"\s+", text[m.end : o.start]) for o in speakers):
            continue  # "the Canadian Metro Post": a country's name as an adjective
        if _DATA_BEFORE.search(before) or _DATA_AFTER.match(text[m.end :]):
            cited.append(m.known.ref)
        elif _SOURCE_BEFORE.search(before) and asserted_by is None:
            asserted_by = m.known.ref
        elif _CITING_BEFORE.search(before) and asserted_by is not None:
            via.append(asserted_by)
            asserted_by = m.known.ref
        elif _TOLD_BEFORE.search(before) and m.known.isa("kg:NewsOutlet"):
            via.append(m.known.ref)
        elif asserted_by is None and _VIEWED_BY_BEFORE.search(before):
            asserted_by = m.known.ref
        elif asserted_by is None and (verb := SPEECH.match(_after_name(text, m.end))):
            asserted_by = m.known.ref
            official = bool(OFFICIAL.search(verb.group()))
    if asserted_by is None and _PRONOUN.match(text) and SPEECH.match(text.split(None, 1)[1]):
        asserted_by = context.last_speaker
    stance = next((name for name, pattern in STANCE_WORDS if pattern.search(text)), "reported")
    speaker = next((m.known for m in speakers if m.known.ref == asserted_by), None)
    if stance == "reported" and speaker and not speaker.isa("kg:Person") and official:
        stance = "officially-stated"
    return Voice(stance, asserted_by, tuple(dict.fromkeys(via)), tuple(dict.fromkeys(cited)))


def _agent(known: Known) -> bool:
    return any(known.isa(f) for f in ("kg:Person", "kg:Organization", "kg:Country", "kg:Group"))


def _after_name(text: str, end: int) -> str:
    """The words after a name, past an apposition ("Lai, CEO of the TIA, said")."""
    rest = text[end:]
    return re.sub(r"^\s*(?:\([^)]*\)|of the [A-Z][\w ]+|,[^,]{0,80},)", "", rest)


def _people(mentions: list[Mention]) -> set[str]:
    return {m.known.ref for m in mentions if m.known.isa("kg:Person")}


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(a < end and start < b for a, b in spans)
