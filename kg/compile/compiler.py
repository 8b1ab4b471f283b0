"""Compiling mapping files into quads: entities, documents, articles, facts, evidence.

The parts run in order on one shared `Context`: declared entities (kg.compile.registry),
then each document's articles (kg.compile.articles) and facts (kg.compile.facts), each in a
context of its own and merged, or replayed from the cache (kg.compile.replay), and last the
facts that combine several documents (kg.compile.combined), and the pass that needs them all
(kg.compile.settle: inferred reference times, reported-on dates, ranks of dates). Every
error is collected, and all are raised together.
"""

from __future__ import annotations

from kg.cache import Cache
from kg.compile.articles import compile_document, sources
from kg.compile.combined import compile_combinations
from kg.compile.context import Compiled, Context, Paths
from kg.compile.facts import compile_facts
from kg.compile.ontology import Ontology
from kg.compile.registry import compile_entities
from kg.compile.replay import DocumentContext, Recorded, Replay, merge
from kg.compile.settle import settle
from kg.mapping.load import Mappings


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
    compile_entities(ctx)
    replay = Replay(cache or Cache(None), ontology.digest, include_drafts)
    for loaded, source in sources(ctx):
        key = replay.key(loaded, source)
        recorded = replay.get(key, loaded, source, ctx.entities)
        if recorded is not None:
            ctx.result.replayed += 1
        else:
            errors = len(ctx.errors.errors)
            document = DocumentContext.within(ctx)
            compile_facts(document, loaded, compile_document(document, loaded, source))
            recorded = Recorded.of(loaded.model.id, document)
            if len(ctx.errors.errors) == errors:
                replay.put(key, recorded)
        merge(ctx, recorded)
    compile_combinations(ctx)
    settle(ctx)
    ctx.errors.raise_if_any()
    return ctx.result
