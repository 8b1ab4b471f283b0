"""Observations from figures: what is measured, of whom, the value with its unit or
currency (in kg:unit, as the text gives it), the period, and the source cited."""

from __future__ import annotations

import re

from kg.review.dates import When, period_values
from kg.review.figures import QUALIFIERS, Figure
from kg.review.names import Known
from kg.review.proposal import Book, Proposed, Value, distinct, fact
from kg.review.reading import ArticleContext, Reading


def observations(reading: Reading, book: Book, context: ArticleContext) -> list[Proposed]:
    """An observation for each figure: what is measured, of whom, the value, its unit or
    currency, the period and the source cited. A count in a sentence that names no one
    ("three board members resigned") is of the organisation the article spoke of last."""
    facts = []
    text = reading.sentence.text
    previous: tuple[Figure, str | None] | None = None
    earlier: list[Value] = []  # whom the sentence's last figure was of
    for figure in reading.figures:
        clause = _clause(text, figure)
        named = [m for m in reading.things if clause[0] <= m.start < clause[1] and observable(m.known)]
        candidates = [
            m for m in named if m.known.ref not in (*reading.voice.cited, reading.voice.asserted_by)
        ]
        if not candidates:  # "Corex reported a net profit of …": a firm's own figures
            candidates = [
                m
                for m in named
                if m.known.isa("kg:Organization")
                and not m.known.isa("kg:NewsOutlet")
                and m.known.ref not in reading.voice.cited
            ]
        before = [m for m in candidates if m.end <= figure.start][-2:]
        if len(before) < 2 or not _SINGLED_OUT.fullmatch(reading.gap(before[0], before[1])):
            before = before[-1:]  # the last name before it, or both of "Western firms, particularly Corex"
        after: list[Value] = [m.known.ref for m in candidates if m.start >= figure.end]
        observed_all: list[Value] = [m.known.ref for m in before] or distinct(after)
        if not observed_all and earlier:  # "China controls 60% of mining and 92% of refining"
            observed_all = earlier
        if not observed_all and not reading.things and figure.unit == "count" and context.last_organisation:
            observed_all = [context.last_organisation]
        earlier = observed_all
        observed = str(observed_all[0]) if observed_all else None
        measure = _measure(text, figure)
        if (
            measure is None
            and previous
            and re.fullmatch(r"[^,;]{0,20}\bto\s*", text[previous[0].end : figure.start])
        ):
            measure = previous[1]  # "the gross margin from 7.2% in 2023 to 23.8% in 2024"
        previous = (figure, measure)
        label = f"{measure or 'figure'} ({book.label(observed)})" if observed else (measure or figure.text)
        obs = book.entity(
            f"obs-{observed or 'figure'}-{measure or figure.value}"[:80], "kg:Observation", label, "a figure"
        )
        year = _nearest_year(reading, figure)
        properties: dict[str, list[Value]] = {
            "kg:measure": [{"en": measure}] if measure else [],
            "kg:observedSubject": list(observed_all),
            "kg:concerns": [m.known.ref for m in reading.things if concern(m.known)],
            "kg:value": [] if figure.upper else [figure.value],
            "kg:lowerBound": [figure.value] if figure.upper else [],
            "kg:upperBound": [figure.upper] if figure.upper else [],
            "kg:valueQualifier": [figure.qualifier] if figure.qualifier else [],
            "kg:unit": [figure.unit] if figure.unit else [],
            "kg:citedSource": list(reading.voice.cited),
        }
        properties |= {key: [value] for key, value in period_values(year).items()} if year else {}
        facts.append(fact(book, reading, obs, obs, properties, "a figure"))
    return facts


def _nearest_year(reading: Reading, figure: Figure) -> When | None:
    """The dated words nearest a figure, on either side, within 80 characters ("from 7.2% in
    2023 to 23.8% in 2024")."""
    gaps = [(max(d.start - figure.end, figure.start - d.end), d) for d in reading.dates if d.year]
    return min((g for g in gaps if g[0] < 80), key=lambda g: g[0], default=(0, None))[1]


def _clause(text: str, figure: Figure) -> tuple[int, int]:
    """The stretch of the sentence around a figure, between semicolons or an "and" that joins
    two figures ("60% of mining and 92% of refining"), not one that joins two names."""
    joins = [m.start() for m in re.finditer(r" and ", text) if _JOINED.match(text, m.end())]
    joins += [i for i, ch in enumerate(text) if ch == ";"]
    start = max((i for i in joins if i < figure.start), default=-1) + 1
    stop = min((i for i in joins if i >= figure.end), default=len(text))
    return start, stop


def _measure(text: str, figure: Figure) -> str | None:
    """What a figure measures, in the text's words: "60% of global rare earth mining" ->
    "share of global rare earth mining"; "Yitang reported a net profit of 420 million yuan"
    -> "net profit"; "the gross margin rose from 7.2%" -> "gross margin"; "saving $2 billion in
    R&D costs" -> "R&D costs"."""
    after = re.match(
        r"^\s+(of|in)\s+(?!(?:19|20)\d\d\b)((?:(?!\s+and\s+(?:\d|\w+ing\b|ha[sd]\b|have\b))[^,.;:()\[])+)",
        text[figure.end :],
    )
    if figure.unit in ("percent", "percent/year") and after:
        return f"share {after.group(1)} {after.group(2).strip()}"[:100]
    if figure.unit in ("percent", "percent/year") and (change := _CHANGE_AFTER.match(text[figure.end :])):
        return change.group(1)
    if figure.unit == "count" and figure.noun:
        return figure.noun
    if figure.unit not in ("percent", "percent/year", "count") and (
        spent := _SPENT_IN.match(text[figure.end :])
    ):
        return spent.group(1)
    before = _BEFORE.search(text[: figure.start])
    if before:
        words = before.group(1).split()[-5:]
        while words and (
            words[0][:1].isupper()
            or words[0].lower() in _NOT_MEASURE
            or words[0].endswith("ed")
            or (words[0].endswith("ing") and words[1:2] and words[1].lower() in _NOT_MEASURE)
        ):
            words = words[1:]  # "achieving a purity level of …": the verb and its article go
        return " ".join(words) or None
    return None


_BEFORE = re.compile(
    r"([A-Za-z&][A-Za-z&' -]{2,60}?)\s+(?:(?:of|at|to|was|were|reached|by|is|from|stood at|totall?ed|"
    r"amounted to|hit|rose to|grew to|increased to|fell to|dropped to|declined to|equating to|reach|reaching|"
    r"accounts? for|accounted for|makes? up|made up|represents?|represented|representing|"
    r"(?:rose|rising|grew|growing|increased|increasing|fell|falling|dropped|declined|jumped|surged) "
    r"(?:by|from))\s+)+"
    r"(?:(?:about|around|approximately|nearly|over|more than|almost|some|just|only)\s+)?$",
    re.I,
)
# "a 12% year-on-year sales increase", "over 80% localization": the change or rate a
# percentage is, named right after it.
_CHANGE_AFTER = re.compile(
    r"^\s+((?:[a-z][\w-]*\s+){0,3}?(?:increase|decrease|growth|rise|decline|drop|gain|jump|stake|rate|margin|"
    r"localization|localisation|penetration|discount|reduction|cut|purity|yield|efficiency|utili[sz]ation))\b"
)
# What an amount of money is in: "saving $2 billion in R&D costs", "€5 million in annual sales".
_SPENT_IN = re.compile(
    r"^\s+in\s+((?:[\w&-]+\s+){0,3}?(?:costs|revenues?|sales|spending|investments?|funding|savings|losses|"
    r"profits?|fees|subsidies|orders))\b"
)
_SINGLED_OUT = re.compile(r",\s*(?:particularly|especially|notably|in particular)\s+(?:the\s+)?", re.I)
_NOT_MEASURE = {"a", "an", "the", "its", "their", "his", "her", "this", "that", "with", "and", "equating"}


_JOINED = re.compile(r"(?:(?:" + "|".join(QUALIFIERS) + r"|only|another|a further)\s+)?(?:\d|\$|€|£|¥)", re.I)


def observable(known: Known) -> bool:
    """What a figure can be of: agents, places, and named strategies ("the NDS plans to train 4,000")."""
    kinds = ("kg:Organization", "kg:Country", "kg:Person", "kg:Group", "kg:Place", "kg:NationalStrategy")
    return any(known.isa(f) for f in kinds)


def concern(known: Known) -> bool:
    return any(known.isa(f) for f in ("kg:Material", "kg:Technology", "kg:Product", "kg:ChemicalElement"))
