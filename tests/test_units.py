"""Units as mappings write them, read by pint: the currency apart, the rest a QUDT unit."""

from __future__ import annotations

import pytest

from kg.compile.units import Unit, read_unit

QUDT = "http://qudt.org/vocab/unit/"


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("percent", Unit(None, QUDT + "PERCENT")),
        ("count", Unit(None, QUDT + "NUM")),
        ("CNY", Unit("CNY", None)),
        ("USD/kg", Unit("USD", QUDT + "PER-KiloGM")),
        ("USD per kilogram", Unit("USD", QUDT + "PER-KiloGM")),
        ("CNY/year", Unit("CNY", QUDT + "PER-YR")),
        ("CNY/day", Unit("CNY", QUDT + "PER-DAY")),
        ("percent/year", Unit(None, QUDT + "PERCENT-PER-YR")),
        ("kg", Unit(None, QUDT + "KiloGM")),
    ],
)
def test_a_unit_is_its_currency_and_a_qudt_unit(text: str, unit: Unit) -> None:
    assert read_unit(text) == unit


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("yuan", "'yuan' is not a unit pint can read ('yuan' is not defined in the unit registry)"),
        ("RMB", "'RMB' is not an ISO 4217 currency code (e.g. USD, CNY, EUR)"),
        ("USD/EUR", "'USD/EUR': a figure has at most one currency, not divided or raised to a power"),
        ("1/USD", "'1/USD': a figure has at most one currency, not divided or raised to a power"),
        (
            "meter",
            "'meter': no QUDT unit for meter (known: percent, count, kilogram, gram, metric_ton, year, "
            "month, day, hour)",
        ),
    ],
)
def test_a_unit_pint_cannot_read_or_qudt_cannot_name_is_refused(text: str, error: str) -> None:
    with pytest.raises(ValueError) as raised:
        read_unit(text)
    assert str(raised.value) == error
