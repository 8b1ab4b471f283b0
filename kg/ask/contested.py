"""The contested questions an entity is part of, each with every side (for `kg show`).

A question is two claims that contradict each other, or a denial and what it denies; it
involves an entity when either claim is about it or asserts a statement about it (or about
a post it holds). The sides are read from the `contested-claims` catalogue query, so
`kg show` and the catalogue answer alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.ask.catalogue import run_named
from kg.ask.query import Queryable, run_query

INVOLVED = """
SELECT DISTINCT ?label WHERE {
  { ?a kg:contradicts ?b } UNION { ?a kg:denies ?b } UNION { ?b kg:denies ?a }
  {
    { ?a kg:about ?s }
    UNION { ?st kg:claim ?a ; rdf:subject|rdf:object ?s }
    UNION { ?st kg:claim ?a ; rdf:subject ?post .
            ?held rdf:subject ?post ; rdf:predicate org:member ; rdf:object ?s }
  }
  ?a rdfs:label ?label FILTER (langMatches(lang(?label), "en"))
}"""


@dataclass(frozen=True)
class Account:
    """One source's account of a side: who, through which outlet, when, how, where."""

    asserter: str
    outlet: str
    date: str
    stance: str
    article: str


@dataclass
class Side:
    claim: str
    accounts: list[Account] = field(default_factory=list)
    asserts: list[str] = field(default_factory=list)  # the statements it asserts, contested
    rebuttals: list[str] = field(default_factory=list)  # other claims that dispute it


@dataclass
class Question:
    question: str
    sides: dict[str, Side] = field(default_factory=dict)


def questions(store: Queryable, iri: str) -> list[Question]:
    """The contested questions `iri` is part of, in the catalogue query's order."""
    involved = {r["label"] for r in run_query(store, INVOLVED, {"s": ox.NamedNode(iri)}).records()}
    rows = run_named(store, "contested-claims").records()
    wanted = {str(r["question"]) for r in rows if r["claim"] in involved}
    found: dict[str, Question] = {}
    for row in rows:
        question, claim = str(row["question"]), str(row["claim"])
        if question not in wanted:
            continue
        side = found.setdefault(question, Question(question)).sides.setdefault(claim, Side(claim))
        side.accounts.append(
            Account(*(str(row[k] or "") for k in ("asserter", "outlet", "date", "stance", "article")))
        )
        side.asserts = _list(row["asserts"])
        side.rebuttals = _list(row["rebuttals"])
    return list(found.values())


def _list(cell: str | None) -> list[str]:
    return [part for part in (cell or "").split(" | ") if part]
