"""Rendering results for a terminal: build summaries and query result tables."""

from __future__ import annotations

import pyoxigraph as ox
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from kg.builder import BuildReport
from kg.coverage import ArticleCoverage, Status
from kg.query import QueryResult, Term
from kg.vocab import PREFIXES

_BY_LENGTH = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))


def compact(iri: str) -> str:
    """`prefix:local` for IRIs in a known namespace, else `<iri>`."""
    for prefix, namespace in _BY_LENGTH:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return f"<{iri}>"


def term_text(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return compact(term.value)
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


def results_table(result: QueryResult) -> RenderableType:
    if result.boolean is not None:
        return "yes" if result.boolean else "no"
    if result.triples is not None:
        table = Table("subject", "predicate", "object")
        for triple in result.triples:
            table.add_row(term_text(triple.subject), term_text(triple.predicate), term_text(triple.object))
        return table
    table = Table(*result.variables, caption=f"{len(result.rows)} row(s)")
    for row in result.rows:
        table.add_row(*(term_text(term) for term in row))
    return table


def build_summary(report: BuildReport) -> RenderableType:
    documents = Table(
        "document",
        "facts",
        "statements",
        "quotes verified",
        "drafts left out",
        title="Facts per document",
    )
    for doc, stats in report.documents.items():
        documents.add_row(
            doc,
            str(stats.facts),
            str(stats.statements),
            str(stats.quotes),
            str(stats.drafts_left_out),
        )
    classes = Table("class", "instances", title="Instances per class")
    for name, count in report.instances_per_class.items():
        classes.add_row(f"kg:{name}", str(count))
    graphs = Table("named graph", "quads", title="Named graphs")
    for graph, count in report.quads_per_graph.items():
        graphs.add_row(compact(graph), str(count))
    drafts = " (drafts included)" if report.include_drafts else ""
    headline = (
        f"Built {report.out}{drafts}: {report.triples} triples, "
        f"{report.quotes_verified} quotes verified in their documents."
    )
    return Group(graphs, classes, documents, headline)


def coverage_report(articles: list[ArticleCoverage], every: bool = False) -> RenderableType:
    """A table of counts per article, then the sentences to look at, as `file:line: text`."""
    table = Table("document", "article", "mapped", "skipped", "unaccounted", title="Coverage of the articles")
    lines: list[str] = []
    for article in articles:
        table.add_row(article.document, article.article, *(str(article.count(s)) for s in Status))
        for unit in article.units:
            if every or unit.status is Status.UNACCOUNTED:
                reason = f" ({unit.reason})" if unit.reason else ""
                lines.append(f"{article.path}:{unit.line}: [{unit.status.value}{reason}] {unit.text}")
    total = sum(a.count(Status.UNACCOUNTED) for a in articles)
    verdict = "every sentence is accounted for." if not total else f"{total} sentence(s) unaccounted for."
    return Group(table, *(Text(line) for line in lines), f"Coverage: {verdict}")
