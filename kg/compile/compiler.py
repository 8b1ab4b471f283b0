"""Compiling mapping files into quads: entities, documents, articles, facts, evidence.

The parts run in order on one shared `Context`: declared entities (kg.compile.registry),
then each document's articles (kg.compile.articles) and facts (kg.compile.facts), each in a
context of its own and merged, or replayed from the cache (kg.compile.replay), and last the
facts that combine several documents (kg.compile.combined), and the pass that needs them all
(kg.compile.settle: inferred reference times, reported-on dates, ranks of dates). Every
error is collected, and all are raised together.

With many documents, the second half are compiled at the same time in a forked child (two
cores, kg.sidebyside.halves), into records that are then replayed here in order, as from the
cache: the graph is the same as compiled here one by one. The child needs only to know which
entities are declared, so this process compiles the entities' quads while it starts.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice

from kg.cache import Cache
from kg.compile.articles import compile_document, sources
from kg.compile.combined import compile_combinations
from kg.compile.context import Compiled, Context, Paths
from kg.compile.facts import compile_facts
from kg.compile.ontology import Ontology
from kg.compile.registry import compile_entities, declare_entities
from kg.compile.replay import DocumentContext, Recorded, Replay, merge
from kg.compile.settle import settle
from kg.errors import KgError
from kg.mapping import schema
from kg.mapping.load import Loaded, Mappings
from kg.mapping.sources import SourceDocument
from kg.sidebyside import MANY, first_half, halves

Documents = Iterable[tuple[Loaded[schema.DocumentFile], SourceDocument]]
SHARE = 0.65  # of the work compiled here; at 10,000 documents, a YAML node took 24 us here, 44 in the child


def compile_mappings(
    mappings: Mappings,
    ontology: Ontology,
    paths: Paths,
    *,
    include_drafts: bool = False,
    cache: Cache | None = None,
) -> Compiled:
    """Check every mapping against the ontology and the seeds; return the quads. With
    `cache`, a document compiled by an earlier build from the same inputs is replayed."""
    ctx = Context.start(mappings, ontology, paths, include_drafts)
    declared = declare_entities(ctx)
    replay = Replay(cache or Cache(None), ontology.digest, include_drafts)
    documents = sources(ctx)
    count = len(mappings.documents)
    if count < MANY:
        compile_entities(ctx, declared)
        _add(ctx, replay, None, documents)
    else:
        half = first_half(  # the work of a file as its YAML nodes; the registry's is done here
            [len(loaded.source.lines) for loaded in mappings.documents],
            here=sum(len(loaded.source.lines) for loaded in mappings.registry),
            share=SHARE,
        )

        def beside(kept: Cache) -> Replay:
            return Replay(kept, ontology.digest, include_drafts)

        def here() -> None:
            compile_entities(ctx, declared)
            _add(ctx, replay, None, islice(documents, half))

        halves(
            lambda kept: _compile_beside(ctx, replay, beside(kept), sources(ctx, skip=half)),
            here,
            lambda kept: _add(ctx, replay, beside(kept), documents),
        )
    compile_combinations(ctx)
    settle(ctx)
    ctx.errors.raise_if_any()
    return ctx.result


def _add(ctx: Context, replay: Replay, beside: Replay | None, documents: Documents) -> None:
    """Add each document to the build: replayed from the cache, or from what the child
    compiled (`beside`), or compiled here."""
    for loaded, source in documents:
        key = replay.key(loaded, source)
        recorded = replay.get(key, loaded, source, ctx.entities)
        if recorded is not None:
            ctx.result.replayed += 1
        elif beside and (recorded := beside.get(key, loaded, source, ctx.entities)) is not None:
            replay.cache.adopt(key, beside.cache)
        else:
            errors = len(ctx.errors.errors)
            recorded = _compiled(ctx, loaded, source)
            if len(ctx.errors.errors) == errors:
                replay.put(key, recorded)
        merge(ctx, recorded)


def _compile_beside(ctx: Context, replay: Replay, beside: Replay, documents: Documents) -> None:
    """In the child: compile each document the cache has no record of into `beside`. A
    document with errors is left for the parent, which compiles it again and reports them."""
    for loaded, source in documents:
        key = replay.key(loaded, source)
        if replay.cache.has(key):
            continue
        errors = len(ctx.errors.errors)
        try:
            recorded = _compiled(ctx, loaded, source)
        except KgError:
            continue
        if len(ctx.errors.errors) == errors:
            beside.put(key, recorded)


def _compiled(ctx: Context, loaded: Loaded[schema.DocumentFile], source: SourceDocument) -> Recorded:
    document = DocumentContext.within(ctx)
    compile_facts(document, loaded, compile_document(document, loaded, source))
    return Recorded.of(loaded.model.id, document)
