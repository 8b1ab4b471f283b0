"""The chemical elements a material, technology or product contains by its name: the names
of elements in it, and the element an anion is named after ("nickel cobalt phosphate"
contains nickel, cobalt and phosphorus)."""

from __future__ import annotations

import re

from kg.review.proposal import Book, Proposed, Value, fact
from kg.review.reading import Reading

THING = ("kg:Material", "kg:Technology", "kg:Product")
# The element each anion's name comes from.
ANIONS = {
    "phosphate": "element:P",
    "phosphide": "element:P",
    "sulfate": "element:S",
    "sulphate": "element:S",
    "sulfide": "element:S",
    "sulphide": "element:S",
    "carbonate": "element:C",
    "carbide": "element:C",
    "nitrate": "element:N",
    "nitride": "element:N",
    "oxide": "element:O",
    "chloride": "element:Cl",
    "fluoride": "element:F",
    "silicate": "element:Si",
    "borate": "element:B",
}
_ANION = re.compile(r"\b(" + "|".join(ANIONS) + r")s?\b", re.I)


def elements(reading: Reading, book: Book) -> list[Proposed]:
    """kg:containsElement for each thing the sentence names whose name names elements."""
    facts = []
    seen = set()
    for mention in reading.things:
        if mention.known.ref in seen or not any(mention.known.isa(f) for f in THING):
            continue
        seen.add(mention.known.ref)
        label = book.label(mention.known.ref)
        found: list[Value] = [k.ref for k in book.names.inside(label, "kg:ChemicalElement")]
        found += [ANIONS[a.lower()] for a in _ANION.findall(label) if ANIONS[a.lower()] in book.names.known]
        if found:
            ref = mention.known.ref
            properties: dict[str, list[Value]] = {"kg:containsElement": found}
            facts.append(fact(book, reading, f"{ref}-elements", ref, properties, "elements"))
    return facts
