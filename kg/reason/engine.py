"""OWL reasoning over the built graph: a consistency check, and the facts that follow.

Two engines give the same class memberships (tested on the seed graph):
- `hermit`: owlready2 runs HermiT, in a child process with a timeout and a capped heap, on
  the ontology plus the domain facts (statements, evidence and documents left out; dates,
  which HermiT rejects, left out too: class reasoning does not need them);
- `rules`: SPARQL rules read off the ontology, on Oxigraph, for graphs too large for HermiT;
  HermiT still classifies the ontology and checks it with a sample of the instance data, and
  kg.reason.explain finds every entity in two disjoint classes.
Both add the property consequences (inverses, sub-properties, transitive and symmetric
properties) by rules, since owlready2 does not write those out. An inconsistent graph is
explained: the entities in two disjoint classes, and the mapping lines behind each.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg.compile.entailment import is_instance
from kg.compile.output import read_file
from kg.compile.sourcemap import FILE as SOURCES
from kg.compile.sourcemap import SourceMap
from kg.errors import KgError
from kg.reason import rules
from kg.reason.explain import Clash, clashes
from kg.reason.hermit import run_hermit
from kg.vocab import KG, OWL, RDF, RDFS, XSD

ENGINES = ("auto", "hermit", "rules")
# Triples of reasoning input above which `auto` uses the rules: HermiT took 45 s on 25k, 660 s on
# 113k (benchmarks/reasoning.py), the rules 14 s and 25 s.
HERMIT_LIMIT = 30_000
SAMPLE_SUBJECTS = 2_000  # entities whose facts HermiT checks with the ontology, for the rules
_OWL2_DATATYPES = {
    str(XSD[name])
    for name in (
        "string",
        "integer",
        "decimal",
        "nonNegativeInteger",
        "positiveInteger",
        "boolean",
        "anyURI",
        "dateTime",
    )
} | {"http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"}
_PROVENANCE = {str(KG.Statement), str(KG.Evidence), str(KG.Article), str(KG.Document)}
_TYPE, _DATATYPE, _RANGE = str(RDF.type), str(RDFS.Datatype), str(RDFS.range)
# Reification is left out; owl:imports too, so that owlready2 never fetches anything.
_LEFT_OUT = {str(RDF.subject), str(RDF.predicate), str(RDF.object), str(OWL.imports)}


@dataclass
class Reasoning:
    """The outcome: consistent or not (with the clashes), and the inferred triples."""

    engine: str
    consistent: bool
    inferred: list[ox.Triple] = field(default_factory=list)
    clashes: list[Clash] = field(default_factory=list)
    input_triples: int = 0
    seconds: float = 0.0


@dataclass(frozen=True)
class ReasoningOptions:
    """How `kg build --reason` reasons: called by the build on its asserted triples."""

    engine: str = "auto"
    timeout: float = 300.0
    memory_mb: int = 2000

    def __call__(self, triples: Iterable[ox.Triple], sources: SourceMap, ontology_dir: Path) -> Reasoning:
        """Reason, or raise the explained inconsistency (`triples` is read several times)."""
        outcome = reason(
            lambda: triples,
            lambda: sources,
            engine=self.engine,
            timeout=self.timeout,
            memory_mb=self.memory_mb,
            ontology_dir=ontology_dir,
        )
        if not outcome.consistent:
            raise inconsistency(outcome)
        return outcome


def reason(
    triples: Callable[[], Iterable[ox.Triple]],
    sources: Callable[[], SourceMap],
    *,
    engine: str = "auto",
    timeout: float = 300,
    memory_mb: int = 2000,
    ontology_dir: Path | None = None,
) -> Reasoning:
    """Reason over the ontology and asserted data that `triples` gives, read afresh for each
    pass and never held whole: the clash check's (kg.reason.explain), then the domain facts',
    into a store of their own. `sources` gives the source map, read only to explain a clash,
    and `ontology_dir` lets a clash name the line of the disjointness axiom. Only HermiT's
    input (or its sample) is held as Python objects."""
    start = time.perf_counter()
    found = clashes(triples, sources, ontology_dir)
    domain = _domain_store(triples(), _Schema.of(triples()))
    size = len(domain)
    chosen = engine if engine != "auto" else ("hermit" if size <= HERMIT_LIMIT else "rules")
    consistent, from_hermit = _hermit(
        _sorted(domain) if chosen == "hermit" else _sample(domain), timeout, memory_mb
    )
    if not consistent or found:
        return Reasoning(chosen, False, [], found, size, time.perf_counter() - start)
    if chosen == "hermit":
        domain.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in from_hermit)
        inferred = from_hermit | rules.infer(domain, classes=False)
    else:  # from HermiT, only what it found about the ontology itself
        ontology_level = {t for t in from_hermit if not is_instance(t.subject)}
        inferred = ontology_level | rules.infer(domain, classes=True)
    kept = sorted(
        (t for t in inferred if not _is_noise(t)),
        key=lambda t: (str(t.subject), str(t.predicate), str(t.object)),
    )
    return Reasoning(chosen, True, kept, [], size, time.perf_counter() - start)


def reason_over_build(
    dist: Path,
    engine: str = "auto",
    timeout: float = 300,
    memory_mb: int = 2000,
    ontology_dir: Path | None = None,
) -> Reasoning:
    """Reason over the asserted graph of a build (`graph.nt`), with its source map."""
    path = dist / "graph.nt"
    if not path.is_file():
        raise KgError(f"no built graph in {dist}; run 'kg build' first")
    return reason(
        lambda: (quad.triple for quad in read_file(path, ox.RdfFormat.N_TRIPLES)),
        lambda: SourceMap.read(dist / SOURCES),
        engine=engine,
        timeout=timeout,
        memory_mb=memory_mb,
        ontology_dir=ontology_dir,
    )


def inconsistency(outcome: Reasoning) -> KgError:
    """The error for an inconsistent graph, explaining each clash."""
    if not outcome.clashes:
        return KgError(
            f"the graph is inconsistent ({outcome.engine}), but no entity is in two disjoint classes; "
            "look for contradicting axioms in ontology/"
        )
    details = "\n".join(str(clash) for clash in outcome.clashes)
    return KgError(f"the graph is inconsistent ({outcome.engine}):\n{details}")


def _hermit(triples: list[ox.Triple], timeout: float, memory_mb: int) -> tuple[bool, set[ox.Triple]]:
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "input.nt"
        ox.serialize(triples, str(source), ox.RdfFormat.N_TRIPLES)
        result = run_hermit(source, Path(work), timeout, memory_mb)
    inferred = {q.triple for q in ox.parse(result.inferred.encode(), format=ox.RdfFormat.N_TRIPLES)}
    return result.consistent, inferred


def _sample(domain: ox.Store) -> list[ox.Triple]:
    """The ontology, and the facts about the first SAMPLE_SUBJECTS entities (sorted)."""
    subjects = sorted({str(q.subject) for q in domain if is_instance(q.subject)})[:SAMPLE_SUBJECTS]
    chosen = set(subjects)
    return sorted(
        (q.triple for q in domain if not is_instance(q.subject) or str(q.subject) in chosen), key=str
    )


def _sorted(store: ox.Store) -> list[ox.Triple]:
    return sorted((q.triple for q in store), key=str)


@dataclass(frozen=True)
class _Schema:
    """What a first pass over the triples tells the domain facts' pass: the provenance nodes
    (statements, evidence, articles, documents) and the datatypes the ontology declares."""

    provenance: frozenset[ox.NamedNode | ox.BlankNode]
    datatypes: frozenset[str]

    @classmethod
    def of(cls, triples: Iterable[ox.Triple]) -> _Schema:
        provenance: set[ox.NamedNode | ox.BlankNode] = set()
        datatypes: set[str] = set()
        for t in triples:
            subject, predicate, obj = t.subject, t.predicate.value, t.object
            if isinstance(subject, ox.Triple):
                continue
            if predicate == _TYPE and isinstance(obj, ox.NamedNode):
                if obj.value in _PROVENANCE:
                    provenance.add(subject)
                elif obj.value == _DATATYPE:
                    datatypes.add(subject.value)
        return cls(frozenset(provenance), frozenset(datatypes))


def _domain_store(triples: Iterable[ox.Triple], schema: _Schema) -> ox.Store:
    """The ontology and the domain facts, in a form HermiT accepts, in a store of their own."""

    def kept(t: ox.Triple) -> bool:
        obj = t.object
        if t.subject in schema.provenance or t.predicate.value in _LEFT_OUT:
            return False
        if isinstance(obj, ox.Literal) and not obj.language and obj.datatype.value not in _OWL2_DATATYPES:
            return False
        return not (
            t.predicate.value == _RANGE and isinstance(obj, ox.NamedNode) and _is_datatype(obj, schema)
        )

    domain = ox.Store()
    domain.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples if kept(t))
    return domain


def _is_datatype(node: ox.NamedNode, schema: _Schema) -> bool:
    if node.value in _OWL2_DATATYPES:
        return False
    return node.value in schema.datatypes or node.value.startswith(str(XSD))


def _is_noise(triple: ox.Triple) -> bool:
    """Trivial consequences nobody asks for: owl:Thing memberships and the like."""
    return str(triple.object) in {
        "<http://www.w3.org/2002/07/owl#Thing>",
        "<http://www.w3.org/2002/07/owl#Ontology>",
    }
