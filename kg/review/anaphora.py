"""Words that refer back to an organisation without naming it — "the company", "the group",
"its", 该公司 — and "the country" read as mentions of the organisation or country they refer
to: the nearest one named before them in the sentence, else the one the article named last."""

from __future__ import annotations

import re

from kg.review.names import Known, Mention

ANAPHORS = re.compile(
    r"\b(?:[Tt]he|[Tt]his|[Tt]hat) (?:company|firm|group|enterprise|corporation|carmaker|automaker|chipmaker|"
    r"manufacturer|startup|start-up)\b(?!\s+(?:of|that|which)\b)|\b[Ii]ts\b|该公司|该集团|该企业",
)


COUNTRY = re.compile(r"\b[Tt]he (?:country|nation)\b(?!\s+(?:of|that|which)\b)|该国")


def with_anaphora(
    text: str, mentions: list[Mention], last: Known | None, country: Known | None = None
) -> list[Mention]:
    """`mentions` and a mention for every anaphor in `text` that is not part of a name and
    has an organisation (or, for "the country", a country) to refer to."""
    resolved = list(mentions)
    for pattern, fits, fallback in ((ANAPHORS, _organisation, last), (COUNTRY, _country, country)):
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(m.start < end and start < m.end for m in mentions):
                continue
            before = [m.known for m in mentions if m.end <= start and fits(m.known)]
            antecedent = before[-1] if before else fallback
            if antecedent is not None:
                resolved.append(Mention(start, end, match.group(), antecedent, "anaphor"))
    return sorted(resolved, key=lambda m: m.start)


def _country(known: Known) -> bool:
    return known.isa("kg:Country")


def _organisation(known: Known) -> bool:
    return (
        known.isa("kg:Organization") and not known.isa("kg:NewsOutlet") and not known.isa("kg:StockExchange")
    )
