"""Turning mapping values into typed RDF literals, rejecting impossible ones."""

from __future__ import annotations

import calendar
import datetime
import re
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox

from kg.mapping.schema import Names
from kg.vocab import KG, RDF, XSD

PARTIAL_DATE = str(KG._NS) + "PartialDate"
LANGUAGES = {"en": "en", "zh": "zh-Hans"}

_YEAR_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^\d{4}$")
_MONTH = re.compile(r"^--(\d{2})$")
_MONTH_DAY = re.compile(r"^--(\d{2})-(\d{2})$")
_DURATION = re.compile(r"^P(?!$)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$")
_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def typed_literal(value: str | Names, datatype: str | None) -> list[ox.Literal]:
    """Literals for `value` under an ontology range; raises ValueError with the reason."""
    if datatype == str(RDF.langString):
        if not isinstance(value, Names):
            raise ValueError("this property needs text with a language, e.g. {en: '...'}")
        return language_literals(value)
    if isinstance(value, Names):
        raise ValueError("this property takes a single value, not text in several languages")
    if datatype == PARTIAL_DATE:
        return [partial_date(value)]
    if datatype == str(XSD.date):
        return [ox.Literal(_date(value).isoformat(), datatype=ox.NamedNode(XSD.date))]
    if datatype == str(XSD.dateTime):
        return [date_time(value)]
    if datatype == str(XSD.decimal):
        return [ox.Literal(_decimal(value), datatype=ox.NamedNode(XSD.decimal))]
    if datatype in {str(XSD.integer), str(XSD.positiveInteger), str(XSD.nonNegativeInteger)}:
        return [ox.Literal(str(_integer(value, datatype)), datatype=ox.NamedNode(datatype))]
    if datatype == str(XSD.duration):
        if not _DURATION.match(value):
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


def partial_date(value: str) -> ox.Literal:
    """A date as precise as the text: YYYY-MM-DD, YYYY-MM, YYYY, --MM or --MM-DD."""
    if match := _YEAR_MONTH.match(value):
        _month(match.group(2), value)
        return ox.Literal(value, datatype=ox.NamedNode(XSD.gYearMonth))
    if _YEAR.match(value):
        return ox.Literal(value, datatype=ox.NamedNode(XSD.gYear))
    if match := _MONTH.match(value):
        _month(match.group(1), value)
        return ox.Literal(value, datatype=ox.NamedNode(XSD.gMonth))
    if match := _MONTH_DAY.match(value):
        month = _month(match.group(1), value)
        if not 1 <= int(match.group(2)) <= calendar.monthrange(2024, month)[1]:
            raise ValueError(f"impossible date '{value}': no such day in that month")
        return ox.Literal(value, datatype=ox.NamedNode(XSD.gMonthDay))
    return ox.Literal(_date(value).isoformat(), datatype=ox.NamedNode(XSD.date))


def date_time(value: str) -> ox.Literal:
    """A date, or a date and time without time zone, as a document prints it."""
    if len(value) == 10:
        return ox.Literal(_date(value).isoformat(), datatype=ox.NamedNode(XSD.date))
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"impossible or malformed date and time '{value}' (use YYYY-MM-DD HH:MM)") from None
    if moment.tzinfo is not None:
        raise ValueError(f"'{value}' has a time zone; give the time as the document prints it")
    return ox.Literal(moment.isoformat(), datatype=ox.NamedNode(XSD.dateTime))


def _date(value: str) -> datetime.date:
    if not re.match(r"^\d{4}-\d{2}-\d{2}$", value):
        raise ValueError(f"'{value}' is not a date (use YYYY-MM-DD, YYYY-MM, YYYY, --MM or --MM-DD)")
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"impossible date '{value}': {exc}") from None


def _month(text: str, value: str) -> int:
    month = int(text)
    if not 1 <= month <= 12:
        raise ValueError(f"impossible date '{value}': month {month} does not exist")
    return month


def _decimal(value: str) -> str:
    if not _DECIMAL.match(value):
        raise ValueError(f"'{value}' is not a decimal number (write digits, e.g. 99990000 or 0.35)")
    try:
        return str(Decimal(value))
    except InvalidOperation:
        raise ValueError(f"'{value}' is not a decimal number") from None


def _integer(value: str, datatype: str) -> int:
    if not re.match(r"^[+-]?\d+$", value):
        raise ValueError(f"'{value}' is not a whole number")
    number = int(value)
    if datatype == str(XSD.positiveInteger) and number < 1:
        raise ValueError(f"'{value}' is not a positive whole number")
    if datatype == str(XSD.nonNegativeInteger) and number < 0:
        raise ValueError(f"'{value}' is negative")
    return number
