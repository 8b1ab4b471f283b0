"""Units of figures as a mapping writes them (`kg:unit: USD/kg`), read with pint and written
as a currency (`kg:currency "USD"`, ISO 4217) and a QUDT unit for the rest (`unit:PER-KiloGM`).

A figure's unit is written once, as the text gives it: `percent`, `count`, `CNY`, `USD/kg`,
`CNY/year`, `CNY/day`. pint parses the expression (with each ISO 4217 currency its own
dimension, so a currency never turns into a number) and checks it; the part that is not a
currency is named the way QUDT names units (`PER-KiloGM`, `PER-YR`) and must be one of the
units `ontology/vocabularies.ttl` declares, so a unit the graph does not know is an error,
not a new term.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import pycountry

from kg.vocab import UNIT

# pint's name of a unit -> QUDT's local name for it.
_QUDT = {
    "percent": "PERCENT",
    "count": "NUM",
    "kilogram": "KiloGM",
    "gram": "GM",
    "metric_ton": "TONNE",
    "year": "YR",
    "month": "MO",
    "day": "DAY",
    "hour": "HR",
}
_CODE = re.compile(r"\b[A-Z]{3}\b")


@dataclass(frozen=True)
class Unit:
    """A unit read from a mapping: its currency (ISO 4217) and the QUDT unit of the rest."""

    currency: str | None
    qudt: str | None  # the IRI of the QUDT unit, None for an amount of money alone


def read_unit(text: str) -> Unit:
    """The currency and QUDT unit of a unit expression; raises ValueError saying what is wrong."""
    import pint  # imported when a build first reads a unit: it takes a while to load

    registry = _registry()
    for code in _CODE.findall(text):
        if pycountry.currencies.get(alpha_3=code) is None:
            raise ValueError(f"'{code}' is not an ISO 4217 currency code (e.g. USD, CNY, EUR)")
        if code not in registry:
            registry.define(f"{code} = [currency_{code}]")
    try:
        parsed = registry.parse_units(text)
    except (pint.errors.PintError, AssertionError, TypeError, ValueError) as exc:
        raise ValueError(f"'{text}' is not a unit pint can read ({exc})") from None
    powers = dict(registry.Quantity(1, parsed).unit_items())  # pint's unit name -> exponent
    currencies = [name for name in powers if _CODE.fullmatch(name)]
    if len(currencies) > 1 or any(powers[c] != 1 for c in currencies):
        raise ValueError(f"'{text}': a figure has at most one currency, not divided or raised to a power")
    currency = currencies[0] if currencies else None
    rest = {name: power for name, power in powers.items() if name != currency}
    if not rest:
        if currency is None:
            raise ValueError(f"'{text}' has no unit: write percent, count or a currency")
        return Unit(currency, None)
    return Unit(currency, str(UNIT[_qudt_name(text, rest)]))


def _qudt_name(text: str, powers: dict[str, int]) -> str:
    """QUDT's name for a product of units: 'KiloGM', 'PER-YR', 'USD-PER-KiloGM' style."""
    unknown = [name for name in powers if name not in _QUDT]
    if unknown:
        raise ValueError(f"'{text}': no QUDT unit for {', '.join(unknown)} (known: {', '.join(_QUDT)})")

    def part(name: str, power: int) -> str:
        return _QUDT[name] + (str(power) if power > 1 else "")

    above = [part(n, p) for n, p in sorted(powers.items()) if p > 0]
    below = [part(n, -p) for n, p in sorted(powers.items()) if p < 0]
    return "-".join(above + (["PER", *below] if below else []))


@cache
def _registry() -> Any:
    """pint's default registry (made once: reading its definitions takes half a second)."""
    import pint

    return pint.UnitRegistry()
