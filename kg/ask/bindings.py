"""Binding query parameters safely: values become RDF terms in a VALUES block that is
placed at the start of the query's WHERE clause; nothing a user types is pasted into the
query text as SPARQL.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping

import pyoxigraph as ox

from kg.compile.ontology import Ontology
from kg.errors import KgError
from kg.mapping import dates

Term = ox.NamedNode | ox.Literal
TYPES = ("entity", "text", "period", "date", "year", "integer")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_KEYWORD = re.compile(r"[A-Za-z]+")


def parse_value(text: str, kind: str, name: str) -> Term:
    """A parameter value as an RDF term, checked against its declared type.

    entity: an IRI in angle brackets, a CURIE of the project's prefixes, or an entity id;
    text: a plain string; date and year: YYYY, YYYY-MM or YYYY-MM-DD (compared as text with
    partial dates); integer: digits.
    """
    if kind == "entity":
        if text.startswith("<") and text.endswith(">"):
            return ox.NamedNode(text[1:-1])
        if iri := Ontology.expand(text):
            return ox.NamedNode(iri)
        if _ID.match(text):
            return ox.NamedNode(f"https://w3id.org/sovereignty-kg/entity/{text}")
        raise KgError(f"parameter {name}: '{text}' is not an IRI, a CURIE or an entity id")
    if kind in ("date", "year"):
        if not _DATE.match(text):
            raise KgError(f"parameter {name}: '{text}' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
        return ox.Literal(text)
    if kind == "integer":
        if not re.match(r"^-?\d+$", text):
            raise KgError(f"parameter {name}: '{text}' is not a whole number")
        return ox.Literal(text, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    return ox.Literal(text)


def parse_period(text: str, name: str) -> dict[str, Term]:
    """A period parameter as the first and last day it covers: `NAME_start`, `NAME_end`
    (xsd:date), to compare with the bounds of dates (kg:earliest, kg:latest)."""
    try:
        period = dates.parse_period(text)
    except ValueError as exc:
        reason = str(exc) if str(exc).startswith("impossible") else f"'{text}' is not a date or period"
        raise KgError(
            f"parameter {name}: {reason} (give 2025, 2025-04, 2025-04-17, 2025-Q2, 2025-H1 or EDTF)"
        ) from None
    return {f"{name}_start": _day(period.earliest), f"{name}_end": _day(period.latest)}


def _day(day: datetime.date) -> ox.Literal:
    return ox.Literal(day.isoformat(), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date"))


def guess_value(text: str, name: str) -> Term:
    """A value for an ad hoc query, whose parameters have no declared type."""
    if (text.startswith("<") and text.endswith(">")) or Ontology.expand(text):
        return parse_value(text, "entity", name)
    if re.match(r"^-?\d+$", text):
        return parse_value(text, "integer", name)
    return ox.Literal(text)


def bind(query: str, values: Mapping[str, Term]) -> str:
    """The query with `VALUES (?a ?b) { (term term) }` opening its WHERE clause."""
    if not values:
        return query
    for name in values:
        if not re.search(rf"[?$]{re.escape(name)}\b", query):
            raise KgError(f"the query has no variable ?{name} to bind")
    names = " ".join(f"?{name}" for name in values)
    terms = " ".join(str(term) for term in values.values())
    position = _where_brace(query)
    return f"{query[: position + 1]}\n  VALUES ({names}) {{ ({terms}) }}{query[position + 1 :]}"


def _where_brace(query: str) -> int:
    """Offset of the `{` that opens the WHERE clause (after a CONSTRUCT template)."""
    construct_template = False
    seen_where = False
    i = 0
    while i < len(query):
        ch = query[i]
        if ch == "#":
            i = query.find("\n", i) if "\n" in query[i:] else len(query)
            continue
        if ch == "<" and i + 1 < len(query) and query[i + 1] not in " =":
            i = query.index(">", i) + 1
            continue
        if ch in "\"'":
            quote = query[i : i + 3] if query[i : i + 3] in ('"""', "'''") else ch
            i = query.index(quote, i + len(quote)) + len(quote)
            continue
        if ch in "?$":  # a variable, even one named ?where
            i += 1
            while i < len(query) and (query[i].isalnum() or query[i] == "_"):
                i += 1
            continue
        if match := _KEYWORD.match(query, i):
            word = match.group(0).upper()
            construct_template = construct_template or word == "CONSTRUCT"
            seen_where = seen_where or word == "WHERE"
            i = match.end()
            continue
        if ch == "{" and (not construct_template or seen_where):
            return i
        if ch == "{":
            i = query.index("}", i) + 1  # skip the CONSTRUCT template
            continue
        i += 1
    raise KgError("cannot find the WHERE clause to bind parameters into")
