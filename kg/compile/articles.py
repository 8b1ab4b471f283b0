"""Compiling documents and their articles: each seed file found and read, each article
located by its lines, its title and byline re-found verbatim, and skipped passages
accounted for (for `kg coverage`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from kg.compile.context import (
    Adder,
    Article,
    At,
    Context,
    Document,
    DocumentStats,
    InferredReference,
    Spans,
    offset,
)
from kg.compile.sourcemap import Source
from kg.compile.values import date_time, language_literals
from kg.errors import KgError, Location
from kg.mapping import dates, schema
from kg.mapping.dates import Placed
from kg.mapping.load import Loaded
from kg.mapping.sources import SourceDocument, resolve_seed, seed_display
from kg.vocab import ARTICLE, DCTERMS, DOCUMENT, GRAPH, KG, RDF, RDFS


def sources(ctx: Context, skip: int = 0) -> Iterator[tuple[Loaded[schema.DocumentFile], SourceDocument]]:
    """Each document mapping with its seed file; one mapping per id and per seed. Each is
    taken out of `ctx.mappings` as it is handed out, to be let go once compiled (at 10,000
    documents the mappings read take 700 MiB). The first `skip` are checked against the
    rest but their seeds not read, nor handed out (a child compiling the others)."""
    ids: dict[str, Location] = {}
    paths: dict[Path, Location] = {}
    seeds = ctx.paths.seeds.resolve()  # a folder (kg.project checked), once for every document
    pending = ctx.mappings.documents
    pending.reverse()
    while pending:
        loaded = pending.pop()
        doc, here = loaded.model, loaded.at("document")
        try:
            if doc.id in ids:
                raise KgError(f"duplicate document id '{doc.id}' (also at {ids[doc.id]})", loaded.at("id"))
            ids[doc.id] = loaded.at("id")
            path = resolve_seed(seeds, doc.document, ctx.paths.root, here)
            if path in paths:
                raise KgError(f"document '{doc.document}' is already mapped at {paths[path]}", here)
            paths[path] = here
            if skip:
                skip -= 1
                continue
            source = SourceDocument.read(path, seed_display(seeds, path))
            if doc.sha256 and doc.sha256 != source.sha256:
                raise KgError(
                    f"{doc.document} has SHA-256 {source.sha256}, "
                    f"not the {doc.sha256} this mapping was made for",
                    loaded.at("sha256"),
                )
            yield loaded, source
        except KgError as exc:
            ctx.errors.extend(exc)


def compile_document(ctx: Context, loaded: Loaded[schema.DocumentFile], source: SourceDocument) -> Document:
    """The document node, its articles and its skipped passages."""
    doc_file = loaded.model
    node = ox.NamedNode(DOCUMENT[doc_file.id])
    doc = Document(
        doc_file.id,
        source,
        ox.NamedNode(GRAPH[f"document-{doc_file.id}"]),
        {},
        ctx.result.documents.setdefault(doc_file.id, DocumentStats()),
        ctx.result.spans.setdefault(doc_file.id, Spans(source)),
    )
    ctx.result.sources.node(node, Source.at(loaded.at("document")))
    add = ctx.result.adder(node, doc.graph)
    add(RDF.type, ox.NamedNode(KG.Document))
    add(DCTERMS.identifier, ox.Literal(doc.id))
    add(RDFS.label, ox.Literal(f"document {doc.id}", language="en"))
    add(KG.sourcePath, ox.Literal(source.path.as_posix()))
    add(KG.sha256, ox.Literal(source.sha256))
    for i, article in enumerate(doc_file.articles):
        at = At(loaded, ("articles", i))
        if article.id in doc.articles:
            ctx.errors.add(f"duplicate article id '{article.id}'", at.loc("id"))
        elif compiled := _article(ctx, article, doc, node, at):
            doc.stats.articles += 1
            doc.articles[article.id] = compiled
            doc.spans.articles[article.id] = (*compiled.span, article.language[-1])
    for i, skip in enumerate(doc_file.skipped):
        _skip(ctx, skip, doc, At(loaded, ("skipped", i)))
    return doc


def _article(
    ctx: Context, article: schema.Article, doc: Document, document: ox.NamedNode, at: At
) -> Article | None:
    try:
        span = doc.source.span(*article.line_range)
    except ValueError as exc:
        ctx.errors.add(f"lines {article.lines}: {exc}", at.loc("lines"))
        return None
    node = ox.NamedNode(ARTICLE[f"{doc.id}.{article.id}"])
    ctx.result.sources.node(node, Source.at(at.loc("id")))
    add = ctx.result.adder(node, doc.graph)
    add(RDF.type, ox.NamedNode(KG.Article))
    add(DCTERMS.isPartOf, document)
    add(DCTERMS.identifier, ox.Literal(f"{doc.id}.{article.id}"))
    add(RDFS.label, ox.Literal(f"document {doc.id}, article {article.id}", language="en"))
    add(KG.startOffset, offset(span[0]))
    add(KG.endOffset, offset(span[1]))
    for lang in article.language:
        add(DCTERMS.language, ox.Literal(lang))
    for literal in language_literals(article.title) if article.title else []:
        _verbatim(ctx, literal.value, doc, span, at.loc("title", "en" if literal.language == "en" else "zh"))
        add(DCTERMS.title, literal)
    if article.byline:
        _verbatim(ctx, article.byline, doc, span, at.loc("byline"))
        add(KG.byline, ox.Literal(article.byline))
    asserter = node
    if article.outlet and (outlet := ctx.resolve.entity(article.outlet, at.loc("outlet"))):
        add(KG.outlet, outlet)
        asserter = outlet
    reference = _reference_time(ctx, article, add, at)
    if reference:
        add(KG.referenceTime, ctx.date(reference))
    return Article(node, doc.graph, span, asserter, reference, tuple(article.language))


def _reference_time(ctx: Context, article: schema.Article, add: Adder, at: At) -> Placed | None:
    """When the article was written: the day of its byline, or the interval the reviewer
    inferred (its statement, with evidence and note, is written once all facts are known)."""
    try:
        if article.published:
            add(DCTERMS.issued, date_time(article.published))
            day = dates.parse(article.published[:10])
            assert isinstance(day, Placed)
            return day
        if article.reference:
            value = dates.parse(article.reference.date)
            if not isinstance(value, Placed):
                raise ValueError(f"'{article.reference.date}': a reference time needs a year")
            ctx.references.append(InferredReference(add.subject, value, article.reference, add.graph, at))
            return value
    except ValueError as exc:
        ctx.errors.add(str(exc), at.loc("published" if article.published else "reference"))
    return None


def _verbatim(ctx: Context, text: str, doc: Document, span: tuple[int, int], location: Location) -> None:
    start = doc.source.text.find(text, *span)
    if start == -1:
        ctx.errors.add(f"not found verbatim in the article; {doc.source.nearest(text, span)}", location)
    else:
        doc.spans.mapped.append((start, start + len(text)))


def _skip(ctx: Context, skip: schema.Skip, doc: Document, at: At) -> None:
    """Account for every occurrence of the skipped text in its article, or anywhere in
    the document (page chrome outside the articles) when no article is given."""
    if skip.article and skip.article not in doc.articles:
        ctx.errors.add(f"unknown article '{skip.article}'", at.loc("article"))
        return
    span = doc.articles[skip.article].span if skip.article else (0, len(doc.source.text))
    hits = doc.source.occurrences(skip.quote, span)
    if not hits:
        ctx.errors.add(f"skipped text not found; {doc.source.nearest(skip.quote, span)}", at.loc("quote"))
    doc.spans.skipped.extend((h, h + len(skip.quote), skip.reason) for h in hits)
