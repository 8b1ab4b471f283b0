"""Turning mapping values into typed RDF literals, rejecting impossible ones."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox

from kg.mapping.schema import Names
from kg.vocab import RDF, XSD

LANGUAGES = {"en": "en", "zh": "zh-Hans"}

_DATE_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}( [0-9]{2}:[0-9]{2}(:[0-9]{2})?)?")
# ASCII digits only, matched in full (never a trailing newline)
_DURATION = re.compile(r"P(?!$)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?", re.ASCII)
_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)", re.ASCII)
_INTEGER = re.compile(r"[+-]?\d+", re.ASCII)


def typed_literal(value: str | Names, datatype: str | None) -> list[ox.Literal]:
    """Literals for `value` under an ontology range; raises ValueError with the reason."""
    if datatype == str(RDF.langString):
        if not isinstance(value, Names):
            raise ValueError("this property needs text with a language, e.g. {en: '...'}")
        return language_literals(value)
    if isinstance(value, Names):
        raise ValueError("this property takes a single value, not text in several languages")
    if datatype == str(XSD.date):
        return [ox.Literal(_date(value).isoformat(), datatype=ox.NamedNode(XSD.date))]
    if datatype == str(XSD.dateTime):
        return [date_time(value)]
    if datatype == str(XSD.decimal):
        return [ox.Literal(_decimal(value), datatype=ox.NamedNode(XSD.decimal))]
    if datatype in {str(XSD.integer), str(XSD.positiveInteger), str(XSD.nonNegativeInteger)}:
        return [ox.Literal(str(_integer(value, datatype)), datatype=ox.NamedNode(datatype))]
    if datatype == str(XSD.duration):
        if not _DURATION.fullmatch(value):
            raise ValueError(f"'{value}' is not an ISO 8601 duration such as P11Y")
        return [ox.Literal(value, datatype=ox.NamedNode(XSD.duration))]
    if datatype == str(XSD.boolean):
        if value not in {"true", "false"}:
            raise ValueError(f"'{value}' is not true or false")
        return [ox.Literal(value, datatype=ox.NamedNode(XSD.boolean))]
    return [ox.Literal(value)]


def language_literals(names: Names) -> list[ox.Literal]:
    return [
        ox.Literal(text, language=LANGUAGES[lang])
        for lang, text in (("en", names.en), ("zh", names.zh))
        if text is not None
    ]


def date_time(value: str) -> ox.Literal:
    """A date, or a date and time without time zone, as a document prints it (YYYY-MM-DD or
    YYYY-MM-DD HH:MM, ASCII digits; nothing else is read as a date)."""
    match = _DATE_TIME.fullmatch(value)
    if not match:
        raise ValueError(f"'{value}' is not a date or date and time (use YYYY-MM-DD or YYYY-MM-DD HH:MM)")
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"impossible date '{value}': {exc}") from None
    if match.group(1) is None:
        return ox.Literal(moment.date().isoformat(), datatype=ox.NamedNode(XSD.date))
    return ox.Literal(moment.isoformat(), datatype=ox.NamedNode(XSD.dateTime))


def _date(value: str) -> datetime.date:
    if not _DATE_TIME.fullmatch(value) or " " in value:
        raise ValueError(f"'{value}' is not a date (use YYYY-MM-DD)")
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"impossible date '{value}': {exc}") from None


def _decimal(value: str) -> str:
    if not _DECIMAL.fullmatch(value):
        raise ValueError(f"'{value}' is not a decimal number (write digits, e.g. 99990000 or 0.35)")
    try:
        return str(Decimal(value))
    except InvalidOperation:
        raise ValueError(f"'{value}' is not a decimal number") from None


def _integer(value: str, datatype: str) -> int:
    if not _INTEGER.fullmatch(value):
        raise ValueError(f"'{value}' is not a whole number")
    number = int(value)
    if datatype == str(XSD.positiveInteger) and number < 1:
        raise ValueError(f"'{value}' is not a positive whole number")
    if datatype == str(XSD.nonNegativeInteger) and number < 0:
        raise ValueError(f"'{value}' is negative")
    return number
