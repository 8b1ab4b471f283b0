"""`kg export`: the built graph in the format a graph database loads.

Streams from the build's sorted files (graph.nt, graph.nq, inferred.nt) to the output, so a
large graph is never held in memory, and the output is as deterministic as the build:
sorted, blank nodes with the build's canonical labels. The file appears only when complete
(kg.compile.output.write_file: only ever a regular file, written beside the target, then
renamed), never inside the build it reads. JSON-LD is compact, with the context shipped in
the package (kg/store/context.jsonld) written inline: nothing is fetched to read it.
"""

from __future__ import annotations

import heapq
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from itertools import groupby
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from kg.compile.output import INFERRED_FILE, INFERRED_GRAPH, read_file, write_file
from kg.errors import KgError
from kg.vocab import PREFIXES, RDF, XSD, compact


@dataclass(frozen=True)
class ExportFormat:
    name: str
    suffixes: tuple[str, ...]
    rdf: ox.RdfFormat | None  # None: written by this module (JSON-LD)
    datasets: bool  # named graphs kept, or the graph merged into triples

    @property
    def label(self) -> str:
        return self.rdf.name if self.rdf else "JSON-LD"


FORMATS = {
    f.name: f
    for f in (
        ExportFormat("ttl", (".ttl",), ox.RdfFormat.TURTLE, False),
        ExportFormat("nt", (".nt",), ox.RdfFormat.N_TRIPLES, False),
        ExportFormat("nq", (".nq",), ox.RdfFormat.N_QUADS, True),
        ExportFormat("trig", (".trig",), ox.RdfFormat.TRIG, True),
        ExportFormat("jsonld", (".jsonld", ".json"), None, True),
        ExportFormat("rdfxml", (".rdf", ".owl", ".xml"), ox.RdfFormat.RDF_XML, False),
    )
}


def format_for(name: str | None, out: Path | None) -> ExportFormat:
    """The format named, or the one the output file's suffix says."""
    if name:
        return FORMATS[name]
    suffix = out.suffix.lower() if out else ""
    for fmt in FORMATS.values():
        if suffix in fmt.suffixes:
            return fmt
    choices = ", ".join(FORMATS)
    raise KgError(f"cannot tell the format from '{out or '-'}'; give --format ({choices})")


def context() -> dict[str, str]:
    """The JSON-LD context shipped with the package: the project's prefixes."""
    text = resources.files("kg.store").joinpath("context.jsonld").read_text(encoding="utf-8")
    value: dict[str, str] = json.loads(text)["@context"]
    return value


def export(dist: Path, fmt: ExportFormat, out: Path | None, *, inferred: bool = False) -> int:
    """Write the built graph (with the inferred triples if `inferred`) to `out`, or to
    standard output when `out` is None; returns the number of triples or quads written."""
    check_build(dist, inferred)
    statements: Iterable[ox.Quad] | Iterable[ox.Triple] = (
        build_quads(dist, inferred) if fmt.datasets else build_triples(dist, inferred)
    )
    counted = _Counted(statements)
    if out is None:
        _write(counted, fmt, sys.stdout.buffer)
        sys.stdout.buffer.flush()
    elif out.resolve().is_relative_to(dist.resolve()):
        raise KgError(f"{out} is inside the build it exports ({dist}); write it elsewhere")
    else:
        write_file(out, lambda handle: _write(counted, fmt, handle))
    return counted.count


def check_build(dist: Path, inferred: bool) -> None:
    """Fail clearly when the build (or its inferred triples) is not there."""
    if not (dist / "graph.nt").is_file() or not (dist / "graph.nq").is_file():
        raise KgError(f"no built graph in {dist}; run 'kg build' first")
    if inferred and not (dist / INFERRED_FILE).is_file():
        raise KgError(
            f"the build in {dist} has no inferred triples (built by an older version); run 'kg build' again"
        )


def build_triples(dist: Path, inferred: bool) -> Iterator[ox.Triple]:
    """The merged graph, each triple once, in the build's order: graph.nt, merged with
    inferred.nt when `inferred` (both files are sorted the same way)."""
    files = [dist / "graph.nt", *([dist / INFERRED_FILE] if inferred else [])]
    streams = [(q.triple for q in read_file(f, ox.RdfFormat.N_TRIPLES)) for f in files]
    merged = heapq.merge(*streams, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    for triple, _ in groupby(merged):
        yield triple


def build_quads(dist: Path, inferred: bool) -> Iterator[ox.Quad]:
    """The named graphs of the build, graph:inferred only when `inferred`."""
    for quad in read_file(dist / "graph.nq", ox.RdfFormat.N_QUADS):
        if inferred or quad.graph_name != INFERRED_GRAPH:
            yield quad


class _Counted:
    """An iterable that counts what goes through it."""

    def __init__(self, items: Iterable[Any]) -> None:
        self.items, self.count = items, 0

    def __iter__(self) -> Iterator[Any]:
        for item in self.items:
            self.count += 1
            yield item


def _write(statements: _Counted, fmt: ExportFormat, handle: IO[bytes]) -> None:
    if fmt.rdf is None:
        _write_jsonld(statements, handle)
    else:
        with_prefixes = fmt.rdf in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.RDF_XML)
        ox.serialize(statements, handle, fmt.rdf, prefixes=PREFIXES if with_prefixes else None)


def _write_jsonld(statements: Iterable[ox.Quad], handle: IO[bytes]) -> None:
    """Compact JSON-LD, one node object per line: `{"@context": …, "@graph": [graphs…]}`."""

    def iri(value: str) -> str:
        """A CURIE, or the IRI itself (JSON-LD writes it without angle brackets)."""
        curie = compact(value)
        return curie[1:-1] if curie.startswith("<") else curie

    def node_id(term: ox.NamedNode | ox.BlankNode) -> str:
        return f"_:{term.value}" if isinstance(term, ox.BlankNode) else iri(term.value)

    def value(term: Any) -> Any:
        if isinstance(term, ox.NamedNode | ox.BlankNode):
            return {"@id": node_id(term)}
        if term.language:
            return {"@value": term.value, "@language": term.language}
        if term.datatype.value == str(XSD.string):
            return term.value
        return {"@value": term.value, "@type": iri(term.datatype.value)}

    def node(subject: Any, quads: list[Any]) -> dict[str, Any]:
        body: dict[str, Any] = {"@id": node_id(subject)}
        types = [
            iri(q.object.value)
            for q in quads
            if q.predicate.value == str(RDF.type) and isinstance(q.object, ox.NamedNode)
        ]
        if types:
            body["@type"] = types
        rest = [
            q
            for q in quads
            if not (q.predicate.value == str(RDF.type) and isinstance(q.object, ox.NamedNode))
        ]
        for predicate, group in groupby(rest, key=lambda q: iri(q.predicate.value)):
            body.setdefault(predicate, []).extend(value(q.object) for q in group)
        return body

    def graph_name(quad: Any) -> str | None:
        return (
            node_id(quad.graph_name)
            if isinstance(quad, ox.Quad) and not isinstance(quad.graph_name, ox.DefaultGraph)
            else None
        )

    handle.write(
        b'{"@context": ' + json.dumps(context(), ensure_ascii=False, indent=1).encode() + b',\n"@graph": ['
    )
    separator = "\n"
    for name, in_graph in groupby(statements, key=graph_name):
        if name is not None:
            handle.write(f'{separator}{{"@id": {json.dumps(name)}, "@graph": ['.encode())
            separator = "\n"
        for subject, quads in groupby(in_graph, key=lambda q: q.subject):
            handle.write((separator + json.dumps(node(subject, list(quads)), ensure_ascii=False)).encode())
            separator = ",\n"
        if name is not None:
            handle.write(b"\n]}")
            separator = ",\n"
    handle.write(b"\n]}\n")
