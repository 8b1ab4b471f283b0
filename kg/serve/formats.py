"""Answer formats and content negotiation: SPARQL results as JSON, XML, CSV or TSV; graphs
as Turtle, N-Triples, JSON-LD or RDF/XML; chosen by `format=` (or `output=`) or by the
Accept header, with the first format of each list as the default. JSON-LD is compact, with
the project's context (kg/store/context.jsonld, as `kg export` writes it) inline."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox
import rdflib

from kg.ask.query import serialize_answer, turtle
from kg.ask.runner import Answer
from kg.errors import KgError
from kg.store.export import context
from kg.vocab import PREFIXES


@dataclass(frozen=True)
class Format:
    name: str
    media_type: str
    aliases: tuple[str, ...] = ()


RESULTS = (
    Format("json", "application/sparql-results+json", ("application/json", "srj")),
    Format("xml", "application/sparql-results+xml", ("application/xml", "text/xml", "srx")),
    Format("csv", "text/csv"),
    Format("tsv", "text/tab-separated-values"),
)
GRAPHS = (
    Format("ttl", "text/turtle", ("turtle", "application/x-turtle")),
    Format("nt", "application/n-triples", ("ntriples", "n-triples", "text/plain")),
    Format("jsonld", "application/ld+json", ("json-ld", "json", "application/json")),
    Format("rdf", "application/rdf+xml", ("rdfxml", "xml", "application/xml")),
)
_RDF = {"nt": ox.RdfFormat.N_TRIPLES, "rdf": ox.RdfFormat.RDF_XML}


def choose(formats: tuple[Format, ...], asked: str | None, accept: str | None) -> Format:
    """The format named by `asked` (a name or media type), else the best the Accept header
    allows, else the first; a name that fits none of `formats` is an error."""
    if asked:
        for fmt in formats:
            if asked.lower() in (fmt.name, fmt.media_type, *fmt.aliases):
                return fmt
        raise KgError(f"unknown format '{asked}' (use {', '.join(f.name for f in formats)})")
    for media_type in accepted(accept):
        for fmt in formats:
            if media_type in (fmt.media_type, *fmt.aliases):
                return fmt
    return formats[0]


def accepted(accept: str | None) -> list[str]:
    """The media types of an Accept header, the most wanted first (ties in order)."""
    ranked = []
    for position, item in enumerate((accept or "").split(",")):
        media_type, *params = (part.strip() for part in item.split(";"))
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media_type and quality > 0:
            ranked.append((-quality, position, media_type.lower()))
    return [media_type for _, _, media_type in sorted(ranked)]


def render(answer: Answer, asked: str | None, accept: str | None) -> tuple[bytes, str]:
    """The answer in the chosen format, and its Content-Type."""
    if answer.form in ("SELECT", "ASK"):
        fmt = choose(RESULTS, asked, accept)
        return serialize_answer(answer, fmt.name), _typed(fmt)
    fmt = choose(GRAPHS, asked, accept)
    result = answer.result()
    assert isinstance(result, list)
    return graph_bytes(result, fmt), _typed(fmt)


def graph_bytes(triples: list[ox.Triple], fmt: Format) -> bytes:
    """Triples in a graph format, in a stable order, with the project's prefixes."""
    if fmt.name == "ttl":
        return turtle(triples).encode("utf-8")
    ordered = sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    if fmt.name == "jsonld":
        graph = rdflib.Graph().parse(data=ox.serialize(ordered, format=ox.RdfFormat.N_TRIPLES), format="nt")
        return graph.serialize(format="json-ld", context=context(), auto_compact=True, encoding="utf-8")
    return ox.serialize(ordered, format=_RDF[fmt.name], prefixes=PREFIXES) or b""


def _typed(fmt: Format) -> str:
    return f"{fmt.media_type}; charset=utf-8"
