"""Resolving the names mapping files use (entity ids, CURIEs) to IRIs, reporting unknown ones."""

from __future__ import annotations

from collections.abc import Mapping

import pyoxigraph as ox

from kg.compile.ontology import Ontology, Property
from kg.compile.reference import country_codes, element_symbols
from kg.errors import ErrorCollector, Location
from kg.vocab import ENTITY


class Resolver:
    """Looks names up in the registry, the reference data and the ontology.

    Every lookup returns None after recording an error, so a whole file can be checked
    and all its problems reported together.
    """

    def __init__(self, ontology: Ontology, entities: Mapping[str, Location], errors: ErrorCollector) -> None:
        self.ontology = ontology
        self.entities = entities
        self.errors = errors

    def ref(self, ref: str, location: Location, articles: Mapping[str, ox.NamedNode]) -> ox.NamedNode | None:
        """An entity id, `article:ID` of the current document, or a CURIE."""
        if ref.startswith("article:"):
            article = articles.get(ref.removeprefix("article:"))
            if article is None:
                self.errors.add(f"unknown article '{ref}' (articles: {', '.join(articles)})", location)
            return article
        if ":" in ref:
            return self.curie(ref, location)
        return self.entity(ref, location)

    def entity(self, ref: str, location: Location) -> ox.NamedNode | None:
        if ref not in self.entities:
            self.errors.add(f"unknown entity '{ref}' (declare it in mappings/registry/)", location)
            return None
        return ox.NamedNode(ENTITY[ref])

    def curie(self, curie: str, location: Location) -> ox.NamedNode | None:
        """A country (`country:CA`), an element (`element:Nd`), an entity (`ent:…`) or a
        vocabulary term of the ontology (`role:director`, `kg:Resigned`)."""
        iri = self.ontology.expand(curie)
        prefix, _, local = curie.partition(":")
        if prefix == "country":
            known = local in country_codes()
        elif prefix == "element":
            known = local in element_symbols()
        elif prefix == "ent":
            known = local in self.entities
        else:
            known = iri in self.ontology.individuals
        if iri is None or not known:
            self.errors.add(f"unknown reference '{curie}'", location)
            return None
        return ox.NamedNode(iri)

    def cls(self, curie: str, location: Location) -> ox.NamedNode | None:
        iri = self.ontology.expand(curie)
        if iri is None or iri not in self.ontology.classes:
            self.errors.add(f"unknown class '{curie}' (not declared in ontology/)", location)
            return None
        return ox.NamedNode(iri)

    def property(self, curie: str, location: Location) -> Property | None:
        """A property mapping files may use (declared, and not written by the build)."""
        iri = self.ontology.expand(curie)
        prop = self.ontology.properties.get(iri) if iri else None
        if prop is None:
            self.errors.add(f"unknown property '{curie}' (not declared in ontology/)", location)
        elif prop.set_by_build:
            hint = " (write the currency in kg:unit, e.g. kg:unit: CNY)" if curie == "kg:currency" else ""
            self.errors.add(f"property '{curie}' is written by the build, not by mappings{hint}", location)
            return None
        return prop
