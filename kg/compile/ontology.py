"""The hand-edited ontology: its triples, and what mapping files may say with it.

Mapping files name classes, properties and vocabulary terms by CURIE. What each property
takes (an entity, or a literal of some datatype) is read from the ontology itself, so the
ontology is the single place where the data model is decided.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg.errors import KgError, Location
from kg.mapping.textfile import read_text
from kg.vocab import GRAPH, KG, ONTOLOGY_IRI, OWL, PREFIXES, RDF, RDFS

ONTOLOGY_GRAPH = ox.NamedNode(GRAPH.ontology)
_CURIE = re.compile(r"^([a-z][a-z0-9]*):([A-Za-z0-9][\w.-]*)$")
_PREFIX_LINE = re.compile(r"^@prefix\s+(\w*):\s*<([^>]*)>")
_SUBJECT_LINE = re.compile(r"^(\w*):([\w.-]+)\s+a\s")


@dataclass(frozen=True)
class Property:
    """A property mapping files may use: whether it takes entities, and its range."""

    iri: str
    takes_entity: bool
    range: str | None
    set_by_build: bool


@dataclass
class Ontology:
    quads: list[ox.Quad]
    declarations: dict[str, Location] = field(default_factory=dict)
    properties: dict[str, Property] = field(default_factory=dict)
    classes: set[str] = field(default_factory=set)
    individuals: set[str] = field(default_factory=set)
    digest: str = ""  # SHA-256 of the files' names and text

    @classmethod
    def load(cls, directory: Path, version: str, display: Path | None = None) -> Ontology:
        """Parse every `*.ttl` file directly in `directory` and add the version header."""
        shown = display or directory
        files = sorted(directory.glob("*.ttl"))
        if not files:
            raise KgError("no ontology files (*.ttl) found", Location(shown))
        quads: list[ox.Quad] = []
        declarations: dict[str, Location] = {}
        digest = hashlib.sha256()
        for path in files:
            text = read_text(path, shown / path.name)  # a regular file, its size checked first
            digest.update(f"{path.name}\0{len(text)}\0{text}".encode("utf-8", "surrogatepass"))
            declarations.update(_declaration_lines(text, shown / path.name))
            try:
                triples = list(ox.parse(text, format=ox.RdfFormat.TURTLE, base_iri=ONTOLOGY_IRI))
            except SyntaxError as exc:
                raise KgError(f"invalid Turtle: {exc}", Location(shown / path.name)) from None
            quads.extend(ox.Quad(t.subject, t.predicate, t.object, ONTOLOGY_GRAPH) for t in triples)
        # Blank nodes (OWL lists, axioms) get RDFC-1.0 canonical labels, so output is stable.
        dataset = ox.Dataset(quads)
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        quads = list(dataset)
        ontology = ox.NamedNode(ONTOLOGY_IRI)
        quads.append(
            ox.Quad(
                ontology,
                _n(OWL.versionIRI),
                ox.NamedNode(f"{ONTOLOGY_IRI}/{version}"),
                ONTOLOGY_GRAPH,
            )
        )
        quads.append(ox.Quad(ontology, _n(OWL.versionInfo), ox.Literal(version), ONTOLOGY_GRAPH))
        result = cls(quads, declarations, digest=digest.hexdigest())
        result._index()
        return result

    def _index(self) -> None:
        types: dict[str, set[str]] = {}
        ranges: dict[str, str] = {}
        build_only: set[str] = set()
        for q in self.quads:
            s, p, o = q.subject, q.predicate.value, q.object
            if not isinstance(s, ox.NamedNode):
                continue
            if p == str(RDF.type) and isinstance(o, ox.NamedNode):
                types.setdefault(s.value, set()).add(o.value)
            elif p == str(RDFS.range) and isinstance(o, ox.NamedNode):
                ranges[s.value] = o.value
            elif p == str(KG.setByBuild) and isinstance(o, ox.Literal) and o.value == "true":
                build_only.add(s.value)
        for iri, kinds in types.items():
            if str(OWL.Class) in kinds:
                self.classes.add(iri)
            elif kinds & {str(OWL.ObjectProperty), str(OWL.DatatypeProperty)}:
                self.properties[iri] = Property(
                    iri, str(OWL.ObjectProperty) in kinds, ranges.get(iri), iri in build_only
                )
            elif not kinds & {str(OWL.AnnotationProperty), str(OWL.Ontology), str(RDFS.Datatype)}:
                self.individuals.add(iri)

    def below(self, roots: set[str], link: str) -> set[str]:
        """The terms under `roots` (included) along `link`: rdfs:subClassOf for classes,
        rdfs:subPropertyOf for properties."""
        parents: dict[str, set[str]] = {}
        for q in self.quads:
            child, parent = q.subject, q.object
            if q.predicate.value != link or not isinstance(child, ox.NamedNode):
                continue
            if isinstance(parent, ox.NamedNode):
                parents.setdefault(child.value, set()).add(parent.value)
        found = set(roots)
        changed = True
        while changed:
            changed = False
            for term, ups in parents.items():
                if term not in found and ups & found:
                    found.add(term)
                    changed = True
        return found

    @staticmethod
    def expand(curie: str) -> str | None:
        """The IRI of a CURIE with a known prefix, or None if it is not one."""
        match = _CURIE.match(curie)
        if not match or match.group(1) not in PREFIXES:
            return None
        return PREFIXES[match.group(1)] + match.group(2)


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _declaration_lines(text: str, display: Path) -> dict[str, Location]:
    """Where each term is declared (`prefix:name a ...` at the start of a line), so that
    validation findings about ontology terms can point at their line."""
    prefixes: dict[str, str] = {}
    found: dict[str, Location] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if match := _PREFIX_LINE.match(line):
            prefixes[match.group(1)] = match.group(2)
        elif (match := _SUBJECT_LINE.match(line)) and match.group(1) in prefixes:
            found.setdefault(prefixes[match.group(1)] + match.group(2), Location(display, number))
    return found
