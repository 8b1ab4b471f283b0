"""Which known policy a description refers to: "China's export controls on rare earths" is the
Chinese rare-earth export control the registry (or an earlier sentence) has, not a new one."""

from __future__ import annotations

import re

from kg.review.names import fold
from kg.review.proposal import Book, Value
from kg.review.reading import ArticleContext, Reading

_KEPT = ("kg:issuedBy", "kg:controls", "kg:concerns")
# What a policy answers: "In response to EU pressure, China issued a directive".
_RESPONSE = re.compile(r"\b(?:in (?:response|retaliation|reaction|answer) to|responding to)\s+([^,;]+)", re.I)


def known_policy(
    book: Book, context: ArticleContext, kind: str, issuer: str | None, things: list[str], text: str
) -> str | None:
    """The known policy of `kind` by `issuer` that controls or concerns one of `things`; of
    several, the one whose label shares most words with `text`, then the one most is known
    about. Failing that, the policy of the kind the article named last, if by the same issuer."""
    if issuer is None:
        return None
    same = [
        ref
        for ref, facts in book.names.policies.items()
        if _kind(book, ref) == kind and issuer in facts.get("kg:issuedBy", ())
    ]
    fitting = [ref for ref in same if any(t in _about(book, ref) for t in things)]
    if fitting:
        words = _words(text)
        return max(fitting, key=lambda ref: (len(_words(book.label(ref)) & words), _known(book, ref), ref))
    last = context.policies.get(kind)
    return last if last in same else None


def responded_to(reading: Reading, context: ArticleContext, book: Book, policy: str) -> list[Value]:
    """The policy a sentence says a policy answers: one it names after "in response to", else
    the one by whom it names there (the one the article named last, or their only one)."""
    match = _RESPONSE.search(reading.sentence.text)
    if match is None:
        return []
    named = [m for m in reading.mentions if match.start(1) <= m.start < match.end(1)]
    for mention in named:
        if mention.known.isa("kg:Policy") and mention.known.ref != policy:
            return [mention.known.ref]
    for mention in named:
        by = [
            ref
            for ref, facts in book.names.policies.items()
            if mention.known.ref in facts.get("kg:issuedBy", ()) and ref != policy and _kind(book, ref)
        ]
        recent = [ref for ref in context.policies.values() if ref in by]
        if recent or len(by) == 1:
            return [(recent or by)[-1]]
    return []


def remember(book: Book, policy: str, properties: dict[str, list[Value]]) -> None:
    """Keep who issued a proposed policy and what it controls or concerns, to find it again."""
    facts = book.names.policies.setdefault(policy, {})
    for prop in _KEPT:
        facts.setdefault(prop, set()).update(v for v in properties.get(prop, []) if isinstance(v, str))


def _kind(book: Book, ref: str) -> str | None:
    known = book.entities[ref].known if ref in book.entities else book.names.known.get(ref)
    return known.kind if known else None


def _about(book: Book, ref: str) -> set[str]:
    facts = book.names.policies[ref]
    return facts.get("kg:controls", set()) | facts.get("kg:concerns", set())


def _known(book: Book, ref: str) -> int:
    return sum(len(values) for values in book.names.policies[ref].values())


def _words(text: str) -> set[str]:
    """Content words, singular: "lists of experts" -> {"list", "expert"}."""
    return {re.sub(r"(?<=[a-z]{3})s$", "", w) for w in re.findall(r"[a-z]{4,}", fold(text))}
