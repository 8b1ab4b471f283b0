"""IRIs: the namespaces of the graph and the ontology terms the code writes.

`KG` is closed: a term missing here fails at import time, and a test checks that every
term listed here is declared in `ontology/`.
"""

from __future__ import annotations

import inspect

import pyoxigraph as ox
import rdflib
from rdflib import URIRef
from rdflib.namespace import (
    DCTERMS,
    FOAF,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SDO,
    SKOS,
    XSD,
    DefinedNamespace,
    DefinedNamespaceMeta,
)

BASE = "https://w3id.org/sovereignty-kg/"
ONTOLOGY_IRI = BASE + "ontology"


class Namespace(rdflib.Namespace):
    """rdflib's `Namespace`, each term read as an attribute made once: rdflib makes and checks
    a new URIRef each time (1.3 us, where an attribute takes 0.03 us)."""

    def __getattr__(self, name: str) -> URIRef:
        term = super().__getattr__(name)
        self.__dict__[name] = term
        return term


def _as_attributes(*namespaces: DefinedNamespaceMeta) -> None:
    """Each term of these closed namespaces set as a plain attribute of its class, the very
    URIRef rdflib gives for it: rdflib finds a term through its metaclass's `__getattr__` and
    a cache each time it is read (0.7 us, where an attribute takes 0.03 us), and a build of
    10,000 documents reads millions. Made from the namespace's IRI, not looked up: rdflib's
    check of a name copies the annotations (150 ms at import for schema.org's 2,768)."""
    for namespace in namespaces:
        for kind in namespace.mro():
            for name in inspect.get_annotations(kind) if isinstance(kind, DefinedNamespaceMeta) else ():
                if not name.startswith("_"):
                    type.__setattr__(namespace, name, namespace._NS[name])  # a name it declares


ENTITY = Namespace(BASE + "entity/")
ROLE = Namespace(BASE + "role/")
ELEMENT = Namespace(BASE + "element/")
COUNTRY = Namespace(BASE + "country/")
DOCUMENT = Namespace(BASE + "document/")
ARTICLE = Namespace(BASE + "article/")
STATEMENT = Namespace(BASE + "statement/")
EVIDENCE = Namespace(BASE + "evidence/")
GRAPH = Namespace(BASE + "graph/")
SHAPES = Namespace(BASE + "shapes#")
CHECKS = Namespace(BASE + "checks/")
DATE = Namespace(BASE + "date/")
INSTANT = Namespace(BASE + "instant/")
OA = Namespace("http://www.w3.org/ns/oa#")
TIME = Namespace("http://www.w3.org/2006/time#")
WIKIBASE = Namespace("http://wikiba.se/ontology#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
UNIT = Namespace("http://qudt.org/vocab/unit/")
QUDT = Namespace("http://qudt.org/schema/qudt/")


class KG(DefinedNamespace):
    """The ontology terms that the build writes itself."""

    _fail = True
    _NS = Namespace(BASE + "ontology#")

    Alleged: URIRef
    Article: URIRef
    ChemicalElement: URIRef
    Claim: URIRef
    CombinedAcrossDocuments: URIRef
    Country: URIRef
    DateInterval: URIRef
    DatedByArticle: URIRef
    Denied: URIRef
    Document: URIRef
    Draft: URIRef
    Evidence: URIRef
    InferredByReasoning: URIRef
    InferredReferenceTime: URIRef
    OfficiallyStated: URIRef
    RareEarthElements: URIRef
    Reported: URIRef
    ResolvedAgainstReferenceTime: URIRef
    Reviewed: URIRef
    Rumoured: URIRef
    Statement: URIRef
    Unit: URIRef
    approximate: URIRef
    assertedBy: URIRef
    atomicNumber: URIRef
    claim: URIRef
    byline: URIRef
    conflictsWith: URIRef
    country: URIRef
    currency: URIRef
    derivation: URIRef
    disputedBy: URIRef
    disputes: URIRef
    earliest: URIRef
    edtf: URIRef
    endOffset: URIRef
    evidence: URIRef
    isoAlpha2: URIRef
    isoAlpha3: URIRef
    latest: URIRef
    note: URIRef
    outlet: URIRef
    referenceTime: URIRef
    reportedOn: URIRef
    reportedVia: URIRef
    reviewStatus: URIRef
    reviewedBy: URIRef
    reviewedOn: URIRef
    setByBuild: URIRef
    sha256: URIRef
    sourcePath: URIRef
    stance: URIRef
    startOffset: URIRef
    statedAs: URIRef
    symbol: URIRef
    uncertain: URIRef
    unit: URIRef
    unitCentury: URIRef
    unitDecade: URIRef
    unitHalfYear: URIRef
    unitQuarter: URIRef


_as_attributes(KG, DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SDO, SKOS, XSD)

# Prefixes written into Turtle and TriG output, accepted as CURIEs in mapping files, and
# predeclared for every SPARQL query (`kg query --prefixes` lists them).
PREFIXES: dict[str, str] = {
    "kg": str(KG._NS),
    "role": str(ROLE),
    "ent": str(ENTITY),
    "element": str(ELEMENT),
    "country": str(COUNTRY),
    "doc": str(DOCUMENT),
    "article": str(ARTICLE),
    "stmt": str(STATEMENT),
    "ev": str(EVIDENCE),
    "date": str(DATE),
    "instant": str(INSTANT),
    "graph": str(GRAPH),
    "kgsh": str(SHAPES),
    "check": str(CHECKS),
    "org": str(ORG),
    "prov": str(PROV),
    "oa": str(OA),
    "dcterms": str(DCTERMS),
    "schema": str(SDO),
    "foaf": str(FOAF),
    "skos": str(SKOS),
    "eli": str(ELI),
    "unit": str(UNIT),
    "qudt": str(QUDT),
    "time": str(TIME),
    "wikibase": str(WIKIBASE),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
}


def sparql_prologue() -> str:
    """The prefixes every query has predeclared, as SPARQL `PREFIX` lines."""
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())


_BY_LENGTH = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))


def compact(iri: str) -> str:
    """`prefix:local` for IRIs in a known namespace, else `<iri>`."""
    for prefix, namespace in _BY_LENGTH:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return f"<{iri}>"


def term_text(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> str:
    """A term as a person reads it: a CURIE for an IRI, the lexical form of a literal."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return compact(term.value)
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


__all__ = [
    "ARTICLE",
    "BASE",
    "CHECKS",
    "COUNTRY",
    "DATE",
    "DCTERMS",
    "DOCUMENT",
    "ELEMENT",
    "ENTITY",
    "EVIDENCE",
    "GRAPH",
    "INSTANT",
    "KG",
    "OA",
    "ONTOLOGY_IRI",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "ROLE",
    "SDO",
    "SHAPES",
    "SKOS",
    "STATEMENT",
    "TIME",
    "WIKIBASE",
    "XSD",
    "compact",
    "sparql_prologue",
    "term_text",
]
