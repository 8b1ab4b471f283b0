"""Compiling mapping files into quads: entities, documents, articles, facts, evidence.

The parts run in order on one shared `Context`: declared entities (kg.compile.registry),
then each document's articles (kg.compile.articles) and facts (kg.compile.facts), and last the
facts that combine several documents (kg.compile.combined), and the pass that needs them all
(kg.compile.settle: inferred reference times, reported-on dates, ranks of dates). Every
error is collected, and all are raised together.
"""

from __future__ import annotations

from kg.compile.articles import compile_document, sources
from kg.compile.combined import compile_combinations
from kg.compile.context import Compiled, Context, Paths
from kg.compile.facts import compile_facts
from kg.compile.ontology import Ontology
from kg.compile.registry import compile_entities
from kg.compile.settle import settle
from kg.mapping.load import Mappings


def compile_mappings(
    mappings: Mappings, ontology: Ontology, paths: Paths, *, include_drafts: bool = False
) -> Compiled:
    """Check every mapping against the ontology and the seeds; return the quads."""
    ctx = Context.start(mappings, ontology, paths, include_drafts)
    compile_entities(ctx)
    for loaded, source in sources(ctx):
        compile_facts(ctx, loaded, compile_document(ctx, loaded, source))
    compile_combinations(ctx)
    settle(ctx)
    ctx.errors.raise_if_any()
    return ctx.result
