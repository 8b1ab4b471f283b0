"""Query parameters as RDF terms: a value a user types, checked against its declared type
(entity, text, date, year, integer). Binding the terms into a query is kg.ask.prepare's
work; nothing a user types is ever pasted into query text.
"""

from __future__ import annotations

import datetime
import re

import pyoxigraph as ox

from kg.errors import KgError

Term = ox.NamedNode | ox.Literal
TYPES = ("entity", "text", "period", "date", "year", "integer")
_DATE = re.compile(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?")  # ASCII digits, matched in full
_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
_INTEGER = re.compile(r"-?[0-9]+")


def parse_value(text: str, kind: str, name: str) -> Term:
    """A parameter value as an RDF term, checked against its declared type.

    entity: an IRI in angle brackets, a CURIE of the project's prefixes, or an entity id;
    text: a plain string; date and year: YYYY, YYYY-MM or YYYY-MM-DD (compared as text with
    partial dates); integer: digits.
    """
    from kg.compile.ontology import Ontology  # here: listing the catalogue needs no RDF library

    _check_text(text, name)
    if kind == "entity":
        if text.startswith("<") and text.endswith(">"):
            return _iri(text[1:-1], name)
        if iri := Ontology.expand(text):
            return _iri(iri, name)
        if _ID.fullmatch(text):
            return ox.NamedNode(f"https://w3id.org/sovereignty-kg/entity/{text}")
        raise KgError(f"parameter {name}: '{text}' is not an IRI, a CURIE or an entity id")
    if kind in ("date", "year"):
        if not _DATE.fullmatch(text):
            raise KgError(f"parameter {name}: '{text}' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
        return ox.Literal(text)
    if kind == "integer":
        if not _INTEGER.fullmatch(text):
            raise KgError(f"parameter {name}: '{text}' is not a whole number")
        return ox.Literal(text, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    return ox.Literal(text)


def parse_period(text: str, name: str) -> dict[str, Term]:
    """A period parameter as the first and last day it covers: `NAME_start`, `NAME_end`
    (xsd:date), to compare with the bounds of dates (kg:earliest, kg:latest)."""
    from kg.mapping import dates

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
    from kg.compile.ontology import Ontology

    _check_text(text, name)
    if (text.startswith("<") and text.endswith(">")) or Ontology.expand(text):
        return parse_value(text, "entity", name)
    if _INTEGER.fullmatch(text):
        return parse_value(text, "integer", name)
    return ox.Literal(text)


def _iri(text: str, name: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(text)
    except ValueError as exc:
        raise KgError(f"parameter {name}: '{text}' is not a valid IRI ({exc})") from None


def _check_text(text: str, name: str) -> None:
    """Refuse text that is not Unicode (bytes that were not UTF-8 reach Python as lone
    surrogates)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise KgError(f"parameter {name}: not valid UTF-8 text (at character {exc.start + 1})") from None
