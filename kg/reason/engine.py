"""OWL reasoning over the built graph: a consistency check, and the facts that follow.

Two engines give the same class memberships (tested on the seed graph):
- `hermit`: owlready2 runs HermiT, in a child process with a timeout and a capped heap, on
  the ontology plus the domain facts (statements, evidence and documents left out; dates,
  which HermiT rejects, left out too: class reasoning does not need them);
- `rules`: SPARQL rules read off the ontology, on Oxigraph, for graphs too large for HermiT;
  HermiT still classifies the ontology and checks it with a sample of the instance data, and
  a SPARQL query finds every entity in two disjoint classes.
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
from kg.compile.output import load_file
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
_PROVENANCE = {KG.Statement, KG.Evidence, KG.Article, KG.Document}
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
        """Reason, or raise the explained inconsistency."""
        outcome = reason(
            lambda: asserted_store(triples),
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
    load: Callable[[], ox.Store],
    sources: Callable[[], SourceMap],
    *,
    engine: str = "auto",
    timeout: float = 300,
    memory_mb: int = 2000,
    ontology_dir: Path | None = None,
) -> Reasoning:
    """Reason over the ontology and asserted data in the default graph of the store `load`
    gives (let go once the domain facts and the clashes are out of it); `sources` gives the
    source map, read only to explain a clash, and `ontology_dir` lets a clash name the line
    of the disjointness axiom. Only HermiT's input (or its sample) is held as Python objects."""
    start = time.perf_counter()
    store = load()
    domain = _domain_store(store)
    found = clashes(store, sources, ontology_dir)
    del store
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

    def load() -> ox.Store:
        store = ox.Store()
        load_file(store, path, ox.RdfFormat.N_TRIPLES)
        return store

    return reason(
        load,
        lambda: SourceMap.read(dist / SOURCES),
        engine=engine,
        timeout=timeout,
        memory_mb=memory_mb,
        ontology_dir=ontology_dir,
    )


def asserted_store(triples: Iterable[ox.Triple]) -> ox.Store:
    """A store whose default graph holds `triples` (the ontology and the asserted data)."""
    store = ox.Store()
    store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    return store


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


def _domain_store(store: ox.Store) -> ox.Store:
    """The ontology and the domain facts, in a form HermiT accepts, in a store of their own."""
    provenance = {
        q.subject
        for cls in _PROVENANCE
        for q in store.quads_for_pattern(None, ox.NamedNode(RDF.type), ox.NamedNode(cls))
    }

    def kept(quad: ox.Quad) -> bool:
        obj = quad.object
        if quad.subject in provenance or quad.predicate.value in _LEFT_OUT:
            return False
        if isinstance(obj, ox.Literal) and not obj.language and obj.datatype.value not in _OWL2_DATATYPES:
            return False
        return not (
            quad.predicate.value == str(RDFS.range)
            and isinstance(obj, ox.NamedNode)
            and _is_datatype(store, obj)
        )

    domain = ox.Store()
    domain.bulk_extend(q for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph()) if kept(q))
    return domain


def _is_datatype(store: ox.Store, node: ox.NamedNode) -> bool:
    if node.value in _OWL2_DATATYPES:
        return False
    declared = any(
        True for _ in store.quads_for_pattern(node, ox.NamedNode(RDF.type), ox.NamedNode(RDFS.Datatype))
    )
    return declared or node.value.startswith(str(XSD))


def _is_noise(triple: ox.Triple) -> bool:
    """Trivial consequences nobody asks for: owl:Thing memberships and the like."""
    return str(triple.object) in {
        "<http://www.w3.org/2002/07/owl#Thing>",
        "<http://www.w3.org/2002/07/owl#Ontology>",
    }
