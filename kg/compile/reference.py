"""Reference data generated at build time: chemical elements and countries.

Elements come from `periodictable`, countries from `pycountry` (ISO 3166-1) with Chinese
names from its zh_CN catalogue. `ontology/reference/labels-zh.yaml` adds what the libraries
lack: Chinese names of the rare earths and of the other elements the corpus names, and
overrides where the catalogue's name is not neutral.
"""

from __future__ import annotations

import gettext
from functools import cache
from pathlib import Path

import periodictable
import pycountry
import pyoxigraph as ox

from kg.errors import KgError
from kg.mapping.yamlfile import load_yaml
from kg.vocab import COUNTRY, ELEMENT, GRAPH, KG, RDF, RDFS, SKOS, XSD

REFERENCE_GRAPH = ox.NamedNode(GRAPH.reference)
RARE_EARTH_NUMBERS = frozenset({21, 39, *range(57, 72)})


@cache
def element_symbols() -> frozenset[str]:
    return frozenset(e.symbol for e in periodictable.elements if e.number > 0)


@cache
def country_codes() -> frozenset[str]:
    return frozenset(c.alpha_2 for c in pycountry.countries)


def reference_quads(labels_file: Path, display: Path) -> list[ox.Quad]:
    """All 118 elements and all ISO 3166-1 countries, in the reference graph."""
    labels = load_yaml(labels_file, display)
    zh = labels.data if isinstance(labels.data, dict) else {}
    elements_zh = zh.get("elements") or {}
    countries_zh = zh.get("countries") or {}
    for symbol in elements_zh:
        if symbol not in element_symbols():
            raise KgError(f"unknown element symbol '{symbol}'", labels.at(("elements", symbol)))
    for code in countries_zh:
        if code not in country_codes():
            raise KgError(f"unknown ISO 3166-1 code '{code}'", labels.at(("countries", code)))
    return _element_quads(elements_zh) + _country_quads(countries_zh)


def _element_quads(names_zh: dict[str, str]) -> list[ox.Quad]:
    quads = []
    collection = ox.NamedNode(KG.RareEarthElements)
    for element in periodictable.elements:
        if element.number == 0:
            continue
        node = ox.NamedNode(ELEMENT[element.symbol])
        quads += [
            _q(node, RDF.type, ox.NamedNode(KG.ChemicalElement)),
            _q(node, RDFS.label, ox.Literal(element.name.capitalize(), language="en")),
            _q(node, KG.symbol, ox.Literal(element.symbol)),
            _q(
                node,
                KG.atomicNumber,
                ox.Literal(str(element.number), datatype=ox.NamedNode(XSD.positiveInteger)),
            ),
        ]
        if element.symbol in names_zh:
            quads.append(_q(node, RDFS.label, ox.Literal(names_zh[element.symbol], language="zh-Hans")))
        if element.number in RARE_EARTH_NUMBERS:
            quads.append(_q(collection, SKOS.member, node))
    return quads


def _country_quads(overrides_zh: dict[str, str]) -> list[ox.Quad]:
    catalogue = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"])
    quads = []
    for country in pycountry.countries:
        node = ox.NamedNode(COUNTRY[country.alpha_2])
        name_en = getattr(country, "common_name", None) or country.name
        name_zh = overrides_zh.get(country.alpha_2) or catalogue.gettext(country.name)
        quads += [
            _q(node, RDF.type, ox.NamedNode(KG.Country)),
            _q(node, RDFS.label, ox.Literal(name_en, language="en")),
            _q(node, KG.isoAlpha2, ox.Literal(country.alpha_2)),
            _q(node, KG.isoAlpha3, ox.Literal(country.alpha_3)),
        ]
        if name_zh != country.name:
            quads.append(_q(node, RDFS.label, ox.Literal(name_zh, language="zh-Hans")))
    return quads


def _q(subject: ox.NamedNode, predicate: str, obj: ox.NamedNode | ox.Literal) -> ox.Quad:
    return ox.Quad(subject, ox.NamedNode(predicate), obj, REFERENCE_GRAPH)
