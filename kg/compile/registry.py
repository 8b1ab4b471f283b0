"""Compiling declared entities (registry files, and a document's own `entities:`) into the
registry graph: kind, identifier, names, description, country and parent. Documents need
only to know which ids are declared, and where (`declare_entities`), so their compiling can
start before the entities' own."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pyoxigraph as ox

from kg.compile.context import At, Context
from kg.compile.sourcemap import Source
from kg.compile.values import language_literals
from kg.mapping import schema
from kg.mapping.load import Loaded
from kg.vocab import DCTERMS, ENTITY, GRAPH, KG, ORG, RDF, RDFS, SDO, SKOS

REGISTRY_GRAPH = ox.NamedNode(GRAPH.registry)


def declare_entities(ctx: Context) -> list[tuple[schema.Entity, At]]:
    """Note where every entity is declared (duplicates are errors); the declarations, to be
    compiled (`compile_entities`)."""
    declared = list(_declared_entities(ctx))
    for entity, at in declared:
        if entity.id in ctx.entities:
            first = ctx.entities[entity.id]
            ctx.errors.add(f"duplicate entity id '{entity.id}' (first declared at {first})", at.loc("id"))
        else:
            ctx.entities[entity.id] = at.loc("id")
    return declared


def compile_entities(ctx: Context, declared: list[tuple[schema.Entity, At]]) -> None:
    """The registry graph's quads of each declared entity. The list is emptied: what it
    refers to holds every mapping file, each let go once its document is compiled
    (kg.compile.articles.sources; at 10,000 documents, 230 MiB more at the build's peak)."""
    for entity, at in declared:
        _entity(ctx, entity, at)
    declared.clear()


def _declared_entities(ctx: Context) -> Iterator[tuple[schema.Entity, At]]:
    files: list[Loaded[Any]] = [*ctx.mappings.registry, *ctx.mappings.documents]
    for loaded in files:
        for i, entity in enumerate(loaded.model.entities):
            yield entity, At(loaded, ("entities", i))


def _entity(ctx: Context, entity: schema.Entity, at: At) -> None:
    node = ox.NamedNode(ENTITY[entity.id])
    ctx.result.sources.node(node, Source.at(at.loc("id")))
    add = ctx.result.adder(node, REGISTRY_GRAPH)
    if kind := ctx.resolve.cls(entity.kind, at.loc("kind")):
        add(RDF.type, kind, at.loc("kind"))
    add(DCTERMS.identifier, ox.Literal(entity.id))
    for literal in language_literals(entity.label):
        add(RDFS.label, literal, at.loc("label"))
    for lang, names in (("en", entity.variants.en), ("zh-Hans", entity.variants.zh)):
        for name in names:
            add(SKOS.altLabel, ox.Literal(name, language=lang), at.loc("variants"))
    for literal in language_literals(entity.description) if entity.description else []:
        add(SDO.description, literal, at.loc("description"))
    if entity.country and (country := ctx.resolve.curie(entity.country, at.loc("country"))):
        add(KG.country, country, at.loc("country"))
    if entity.parent and (parent := ctx.resolve.entity(entity.parent, at.loc("parent"))):
        add(ORG.subOrganizationOf, parent, at.loc("parent"))
