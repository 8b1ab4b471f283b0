"""Groups the registry describes ("engineers and pilots of Nordic drone firms"), found where a
text names them in other words: a head noun of the same class (staff, personnel, talent,
experts; companies, firms, enterprises) and qualifiers that the group's label has too ("drone
experts", "Nordic talents", "drone companies")."""

from __future__ import annotations

import re

from kg.review.names import Known, Mention, Names, fold

_CLASSES = [
    {
        "staff",
        "personnel",
        "talent",
        "talents",
        "experts",
        "employees",
        "engineers",
        "workers",
        "professionals",
    },
    {"companies", "firms", "enterprises", "businesses", "makers", "manufacturers", "producers"},
]
_HEAD = re.compile(r"\b(" + "|".join(sorted(set().union(*_CLASSES))) + r")\b", re.I)
_NOT_QUALIFIERS = {
    "the", "a", "an", "its", "their", "his", "her", "our", "this", "that", "these", "those", "of", "to",
    "and", "or", "in", "on", "for", "with", "from", "by", "as", "at", "some", "many", "all", "key", "other",
    "several", "most", "any", "such", "more", "related", "is", "are", "was", "were", "has", "have", "had",
}  # fmt: skip


def with_groups(text: str, found: list[Mention], names: Names) -> list[Mention]:
    """`found` with the registry groups named by a head noun and qualifiers, in place of the
    country adjectives and materials among the qualifiers ("Nordic drone talents")."""
    groups = _described(text, found, names)
    kept = [m for m in found if not any(g.start < m.end and m.start < g.end for g in groups)]
    return sorted([*kept, *groups], key=lambda m: m.start)


def _described(text: str, found: list[Mention], names: Names) -> list[Mention]:
    """Mentions of registry groups named by a head noun and qualifiers, where no other name is."""
    groups = [k for k in names.known.values() if k.isa("kg:Group")]
    mentions = []
    for head in _HEAD.finditer(text):
        qualifiers: list[re.Match[str]] = []  # the content words right before the head noun
        for word in reversed(list(re.finditer(r"[\w’'-]+", text[: head.start()]))[-3:]):
            end = qualifiers[0].start() if qualifiers else head.start()
            if fold(word.group()) in _NOT_QUALIFIERS or text[word.end() : end].strip():
                break
            qualifiers.insert(0, word)
        fitting = []  # (how many qualifiers nearest the head the label has too, the group)
        for group in (g for g in groups if _class(_head(g.label)) == _class(head.group())):
            shared = 0
            while shared < len(qualifiers) and _words(qualifiers[-1 - shared].group()) <= _words(group.label):
                shared += 1
            if shared:
                fitting.append((shared, group))
        if not fitting:
            continue
        shared, best = min(fitting, key=lambda f: (-f[0], len(_words(f[1].label)), f[1].ref))
        start = qualifiers[-shared].start()
        if not any(m.start < head.end() and start < m.end and not _qualifier(m) for m in found):
            mentions.append(Mention(start, head.end(), text[start : head.end()], best, "group"))
    return mentions


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", fold(text))) - _NOT_QUALIFIERS


def _head(label: str) -> str:
    head = _HEAD.search(label)
    return head.group() if head else ""


def _class(noun: str) -> int | None:
    return next((i for i, cls in enumerate(_CLASSES) if noun.lower() in cls), None)


def _qualifier(mention: Mention) -> bool:
    return any(
        mention.known.isa(f) for f in ("kg:Country", "kg:Material", "kg:ChemicalElement", "kg:Technology")
    )


def of_people(known: Known) -> bool:
    """A group of people ("technical personnel"), not of firms or places."""
    return known.isa("kg:Group") and _class(_head(known.label)) == 0
