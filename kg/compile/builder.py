"""`kg build`: ontology + reference data + reviewed mappings -> the graph in `dist/`."""

from __future__ import annotations

import gc
import json
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph as ox

from kg import __version__
from kg.cache import FOLDER, Cache
from kg.compile.compiler import compile_mappings
from kg.compile.context import Compiled, DocumentStats, Paths, Unplaced
from kg.compile.entailment import add_inferred, rdfs_closure
from kg.compile.ontology import Ontology
from kg.compile.output import (
    INFERRED_GRAPH,
    MANIFEST,
    GraphFiles,
    replaced_directory,
    write_json,
)
from kg.compile.quadtable import QuadTable
from kg.compile.reference import reference_quads
from kg.compile.sourcemap import FILE as SOURCES
from kg.compile.sourcemap import Source, SourceMap
from kg.compile.uptodate import Stamp, input_digests
from kg.errors import KgError, Location
from kg.mapping.load import load_mappings
from kg.project import Project
from kg.vocab import KG, RDF

Progress = Callable[[str], None]


class Inference(Protocol):
    """What reasoning found: the engine and the inferred triples."""

    engine: str
    consistent: bool
    inferred: list[ox.Triple]
    seconds: float


class Reasoner(Protocol):
    """Reasons over the asserted triples, or raises KgError for an inconsistent graph
    (kg.reason.ReasoningOptions is the one `kg build --reason` uses)."""

    @property
    def engine(self) -> str: ...

    def __call__(self, triples: Iterable[ox.Triple], sources: SourceMap, ontology_dir: Path) -> Inference: ...


@dataclass
class BuildReport:
    """What a build produced, for the summary."""

    out: Path
    triples: int
    quads_per_graph: dict[str, int]
    instances_per_class: dict[str, int]
    documents: dict[str, DocumentStats] = field(default_factory=dict)
    include_drafts: bool = False
    reasoning: Inference | None = None
    unplaced: list[Unplaced] = field(default_factory=list)
    entailed: int = 0  # triples the RDFS closure added
    entailment_seconds: float = 0.0
    replayed: int = 0  # documents taken from the cache, not compiled again
    recalled: dict[str, Any] | None = None  # a build found up to date: the manifest it read

    @property
    def quotes_verified(self) -> int:
        return sum(d.quotes for d in self.documents.values())


def compile_project(
    project: Project,
    *,
    include_drafts: bool = False,
    progress: Progress = lambda step: None,
    cache: Cache | None = None,
) -> tuple[list[ox.Quad], Compiled]:
    """Load ontology, reference data and mappings; check and compile them (nothing written)."""
    progress("loading the ontology")
    ontology = Ontology.load(project.ontology, __version__, project.display(project.ontology))
    progress("generating reference data")
    labels = project.ontology / "reference" / "labels-zh.yaml"
    reference = reference_quads(labels, project.display(labels))
    progress("loading mappings")
    mappings = load_mappings(project.mappings, project.display(project.mappings), cache)
    progress("compiling facts and verifying quotes")
    compiled = compile_mappings(
        mappings, ontology, Paths(project.root, project.seeds), include_drafts=include_drafts, cache=cache
    )
    for iri, location in ontology.declarations.items():
        compiled.sources.node(ox.NamedNode(iri), Source.at(location))
    return [*ontology.quads, *reference], compiled


@contextmanager
def _cycle_collector_paused() -> Iterator[None]:
    """Python's cycle collector paused: a build makes millions of objects that live to its
    end and next to no cyclic garbage, and the collector's passes over them took a third
    of the time (N=1,000: 15.9 s -> 10.4 s, peak memory the same)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@_cycle_collector_paused()
def build(
    project: Project,
    out: Path | None = None,
    *,
    include_drafts: bool = False,
    reasoning: Reasoner | None = None,
    progress: Progress = lambda step: None,
    use_cache: bool = True,
) -> BuildReport:
    """Compile the graph and write it atomically to `out` (default `dist/`). The RDFS
    closure (see kg.compile.entailment) and, with `reasoning`, what the reasoner infers go in
    their own graph, graph:inferred, of the TriG and N-Quads files and in inferred.nt; Turtle
    and N-Triples keep the asserted graph only. With `use_cache`, what was read and compiled
    from an unchanged mapping file is taken from the project's .kg-cache/ (see kg.cache and
    kg.compile.replay), and kept there when the build succeeds; and when `target` already
    holds what this build would write (kg.compile.uptodate), nothing is rebuilt: the report
    is read from its manifest (`BuildReport.recalled`)."""
    target = out or project.dist
    _check_output_folder(target, project)
    cache = Cache(project.root / FOLDER if use_cache else None)
    progress("reading the inputs")
    inputs = input_digests(project)
    stamp = Stamp.of(cache, target, inputs, include_drafts, reasoning.engine if reasoning else None)
    with cache.transaction():
        if stamp.holds():
            report = _recalled(target)
            if report is not None:
                return report
        report = _build(project, target, cache, include_drafts, reasoning, progress, inputs)
        stamp.record()
        return report


def _build(
    project: Project,
    target: Path,
    cache: Cache,
    include_drafts: bool,
    reasoning: Reasoner | None,
    progress: Progress,
    inputs: dict[str, str],
) -> BuildReport:
    generated, compiled = compile_project(
        project, include_drafts=include_drafts, progress=progress, cache=cache
    )
    progress("sorting")
    with (
        replaced_directory(target) as staging,
        GraphFiles(staging, alongside=lambda: compiled.sources.write(staging / SOURCES)) as files,
    ):
        graph, compiled.quads = compiled.quads, QuadTable()  # the one table, let go once sorted
        graph.extend(generated)
        del generated
        triples = graph.triples()
        files.asserted(triples)
        outcome = None
        if reasoning:
            progress(f"reasoning (engine: {reasoning.engine})")
            outcome = reasoning(triples, compiled.sources, project.ontology)
        progress("adding the RDFS subclass and subproperty closure")
        start = time.perf_counter()
        reasoned = outcome.inferred if outcome else []
        if reasoned:  # the closure of what is asserted and what was reasoned
            graph.extend(ox.Quad(t.subject, t.predicate, t.object, INFERRED_GRAPH) for t in reasoned)
        entailed = rdfs_closure(graph.triples() if reasoned else triples)
        add_inferred(graph, entailed, reasoned)
        seconds = time.perf_counter() - start
        progress("sorting")
        quads = graph.sorted()
        del graph
        report = BuildReport(
            target,
            len(triples),
            quads.graph_sizes(),
            _instances_per_class(triples.with_predicate(str(RDF.type))),
            compiled.documents,
            include_drafts,
            outcome,
            compiled.unplaced,
            len(entailed),
            seconds,
            compiled.replayed,
        )
        progress("writing Turtle, N-Triples, TriG and N-Quads")
        digests = files.finish(quads)
        write_json(staging / MANIFEST, _manifest(report, inputs, digests))
    return report


def _check_output_folder(target: Path, project: Project) -> None:
    """Refuse an output folder among the inputs: the next build would read it back."""
    try:
        where = target.resolve()
        inputs = [folder.resolve() for folder in (project.ontology, project.mappings, project.seeds)]
    except (RuntimeError, OSError) as exc:  # a symbolic link that points to itself
        raise KgError(f"{target} cannot be followed ({exc})") from None
    for folder in inputs:
        if where.is_relative_to(folder):
            raise KgError(f"{target} is inside {folder.name}/, an input of the build; build elsewhere")


def _instances_per_class(triples: Iterable[ox.Triple]) -> dict[str, int]:
    kg = str(KG._NS)
    counts = Counter(
        t.object.value.removeprefix(kg)
        for t in triples
        if t.predicate.value == str(RDF.type)
        and isinstance(t.object, ox.NamedNode)
        and t.object.value.startswith(kg)
    )
    return dict(sorted(counts.items()))


def _manifest(report: BuildReport, inputs: dict[str, str], files: dict[str, str]) -> dict[str, object]:
    return {
        "generator": f"sovereignty-kg {__version__}",
        "include_drafts": report.include_drafts,
        "triples": report.triples,
        "quads_per_graph": report.quads_per_graph,
        "instances_per_class": report.instances_per_class,
        "documents": {doc: vars(stats) for doc, stats in report.documents.items()},
        "unplaced": [{"at": str(d.location), "value": d.value, "reason": d.reason} for d in report.unplaced],
        "entailed": report.entailed,
        "reasoning": (
            {"engine": report.reasoning.engine, "inferred": len(report.reasoning.inferred)}
            if report.reasoning
            else None
        ),
        "inputs": inputs,
        "files": files,
    }


def _recalled(target: Path) -> BuildReport | None:
    """The report of the build that wrote `target`, from its manifest (None if that
    cannot be read)."""
    try:
        manifest = json.loads((target / MANIFEST).read_text(encoding="utf-8"))
        return BuildReport(
            target,
            manifest["triples"],
            manifest["quads_per_graph"],
            manifest["instances_per_class"],
            {doc: DocumentStats(**stats) for doc, stats in manifest["documents"].items()},
            manifest["include_drafts"],
            unplaced=[_unplaced(**entry) for entry in manifest["unplaced"]],
            entailed=manifest["entailed"],
            recalled=manifest,
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _unplaced(at: str, value: str, reason: str) -> Unplaced:
    path, _, line = at.rpartition(":")
    return Unplaced(Location(Path(path), int(line)) if line.isdigit() else Location(Path(at)), value, reason)
