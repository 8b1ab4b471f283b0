"""Reference data generated from periodictable and pycountry."""

from __future__ import annotations

import pycountry
import pyoxigraph as ox

from tests.conftest import RARE_EARTHS, select


def test_all_118_elements_with_symbol_number_and_label(seed_store: ox.Store) -> None:
    rows = select(
        seed_store,
        """
        SELECT ?symbol ?number ?label WHERE {
          ?e a kg:ChemicalElement ; kg:symbol ?symbol ; kg:atomicNumber ?number ; rdfs:label ?label
          FILTER (langMatches(lang(?label), "en")) }""",
    )
    assert len(rows) == 118
    assert sorted(int(r["number"]) for r in rows) == list(range(1, 119))
    assert {"symbol": "Nd", "number": "60", "label": "Neodymium"} in rows


def test_the_17_rare_earths_form_a_collection_with_chinese_labels(seed_store: ox.Store) -> None:
    rows = select(
        seed_store,
        """
        SELECT ?symbol ?zh WHERE {
          kg:RareEarthElements skos:member ?e . ?e kg:symbol ?symbol ; rdfs:label ?zh
          FILTER (langMatches(lang(?zh), "zh-Hans")) }""",
    )
    symbols = {r["symbol"] for r in rows}
    assert symbols == RARE_EARTHS
    assert {"symbol": "Dy", "zh": "镝"} in rows


def test_every_iso_country_with_codes_and_neutral_labels(seed_store: ox.Store) -> None:
    rows = select(
        seed_store,
        """
        SELECT ?a2 ?a3 ?en ?zh WHERE {
          ?c a kg:Country ; kg:isoAlpha2 ?a2 ; kg:isoAlpha3 ?a3 ; rdfs:label ?en FILTER (langMatches(lang(?en), "en"))
          OPTIONAL { ?c rdfs:label ?zh FILTER (langMatches(lang(?zh), "zh-Hans")) } }""",
    )
    assert len(rows) == len(pycountry.countries)
    by_code = {r["a2"]: r for r in rows}
    assert by_code["TW"] == {"a2": "TW", "a3": "TWN", "en": "Taiwan", "zh": "台湾"}
    assert by_code["CN"] == {"a2": "CN", "a3": "CHN", "en": "China", "zh": "中国"}
    assert by_code["CA"]["zh"] == "加拿大"
