"""Rendering results for a terminal: build summaries and query result tables."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

# kg.vocab (and so rdflib) and the stages are imported where used: `kg queries` starts fast.
if TYPE_CHECKING:
    from kg.ask.catalogue import NamedQuery
    from kg.ask.entities import Card, Match
    from kg.ask.query import QueryResult, Term
    from kg.check.coverage import Coverage
    from kg.compile.builder import BuildReport
    from kg.reason.engine import Reasoning
    from kg.store.push import PushReport


def results_table(result: QueryResult, names: dict[str, str] | None = None) -> RenderableType:
    """A table of the answer; IRIs carry their label when `names` has one."""
    if result.boolean is not None:
        return "yes" if result.boolean else "no"
    if result.triples is not None:
        table = Table("subject", "predicate", "object")
        for triple in result.triples:  # cells as Text: a value is never read as rich markup
            table.add_row(*(Text(_cell(t, names)) for t in (triple.subject, triple.predicate, triple.object)))
        return table
    table = Table(*result.variables, caption=f"{len(result.rows)} row(s)")
    for row in result.rows:
        table.add_row(*(Text(_cell(term, names)) for term in row))
    return table


def results_markdown(result: QueryResult, names: dict[str, str] | None = None) -> str:
    """A Markdown table of the answer (for notes, issues and pull requests)."""
    if result.boolean is not None:
        return ("yes" if result.boolean else "no") + "\n"
    variables = ["subject", "predicate", "object"] if result.triples is not None else result.variables
    rows = (
        [[t.subject, t.predicate, t.object] for t in result.triples]
        if result.triples is not None
        else result.rows
    )
    lines = ["| " + " | ".join(variables) + " |", "|" + "---|" * len(variables)]
    lines += ["| " + " | ".join(_cell(t, names).replace("|", "\\|") for t in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _cell(term: Term | None, names: dict[str, str] | None) -> str:
    from kg.vocab import term_text

    text = term_text(term)
    if names and isinstance(term, ox.NamedNode) and term.value in names:
        text = f"{names[term.value]} ({text})"
    return visible(text)


def visible(text: str) -> str:
    """`text` with every character that does not print (control characters, line breaks,
    bidirectional overrides, lone surrogates) escaped, as `\\x1b`, `\\n`, `\\u202e`: what an
    answer or an input holds is never sent raw to the terminal."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


def entity_card(card: Card, sources: bool = False) -> RenderableType:
    """An entity's names, kinds, posts and facts, each fact with its quotes and sources; with
    `sources`, every sourced value of each post's dates and how it was placed."""
    from kg.vocab import compact

    title = Text(card.labels.get("en") or next(iter(card.labels.values()), compact(card.iri)), style="bold")
    title.append(f"  {compact(card.iri)}", style="dim")
    parts: list[RenderableType] = [title]
    parts += [Text(f"  {lang}: {label}") for lang, label in sorted(card.labels.items()) if lang != "en"]
    if card.other_names:
        parts.append(Text(f"  also: {', '.join(card.other_names)}"))
    if card.kinds:
        parts.append(Text(f"  kind: {', '.join(card.kinds)}"))
    parts += [Text(f"  {d}", style="italic") for d in card.descriptions]
    if card.posts:
        parts.append(Text("Posts", style="bold"))
    for post in card.posts:
        dates = [
            f"from {post.started}" if post.started else "",
            f"until {post.ended}" if post.ended else "",
            post.how,
        ]
        detail = ", ".join(d for d in dates if d)
        parts.append(Text(f"  {post.role}, {post.organisation}" + (f" ({detail})" if detail else "")))
        for kind, values in (("from", post.starts), ("until", post.ends)) if sources else ():
            for value in values:
                words = f" from '{value.stated_as}'" if value.stated_as else ""
                mark = ", conflicts with another source" if value.conflicting else ""
                parts.append(
                    Text(
                        f"      {kind} {value.label}: {value.rank}, {value.placed}{words}{mark}"
                        f" — article {value.articles}",
                        style="dim",
                    )
                )
    if card.facts:
        parts.append(Text("Facts", style="bold"))
    for fact in card.facts:
        line = Text(f"  {fact.predicate_label}: {fact.value_label}")
        if fact.contested:
            line.append("  ⚠ contested: the sources disagree", style="yellow")
        if fact.inferred_note:
            line.append(f"  (inferred: {fact.inferred_note})", style="cyan")
        parts.append(line)
        for item in fact.evidence:
            parts.append(
                Text(
                    f"      “{item.quote}” — {item.asserter}, {item.stance}, article {item.article}",
                    style="dim",
                )
            )
    if card.questions:
        parts.append(Text("Contested (what each side asserts is not a plain fact)", style="bold"))
    for question in card.questions:
        parts.append(Text(f"  {question.question}", style="yellow"))
        for side in question.sides.values():
            parts.append(Text(f"    • {side.claim}"))
            for account in side.accounts:
                via = f" via {account.outlet}" if account.outlet else ""
                parts.append(
                    Text(
                        f"        {account.asserter}{via}, {account.stance}, {account.date}"
                        f" — article {account.article}",
                        style="dim",
                    )
                )
            parts += [Text(f"        asserts: {what}") for what in side.asserts]
            parts += [Text(f"        rebutted by: {what}", style="italic") for what in side.rebuttals]
    if card.mentions:
        parts.append(Text("Mentioned by", style="bold"))
    for mention in card.mentions:
        line = Text(f"  {mention.subject_label} — {mention.predicate_label}")
        if mention.contested:
            line.append("  ⚠ contested", style="yellow")
        parts.append(line)
    return Group(*parts)


def search_results(matches: list[Match]) -> RenderableType:
    from kg.vocab import compact

    if not matches:
        return "no entity matches"
    table = Table("entity", "name", "matched name", "kind", "score")
    for m in matches:
        table.add_row(compact(m.iri), m.label, m.matched, ", ".join(m.kinds), f"{m.score:.0f}")
    return table


def catalogue_table(queries: dict[str, NamedQuery]) -> RenderableType:
    table = Table("name", "title", "parameters", title=f"{len(queries)} named queries (kg query --name NAME)")
    for name, query in queries.items():
        table.add_row(name, query.title, ", ".join(f"{p.name} ({p.type})" for p in query.params))
    return table


LISTED = 50  # documents (and document graphs) a build summary lists one by one; past that, their totals


def build_summary(report: BuildReport) -> RenderableType:
    """The named graphs, classes and documents of a build, then a headline. Past `LISTED`
    documents, they (and their graphs) are summed in one row: every one is in build.json."""
    from kg.vocab import compact

    columns = ("facts", "statements", "quotes verified", "drafts left out")
    documents = Table("document", *columns, title="Facts per document")
    figures = {d: (s.facts, s.statements, s.quotes, s.drafts_left_out) for d, s in report.documents.items()}
    if len(figures) > LISTED:
        totals = tuple(sum(column) for column in zip(*figures.values(), strict=True))
        figures = {f"all {len(figures)} (each in build.json)": totals}
    for doc, counts in figures.items():
        documents.add_row(doc, *map(str, counts))
    classes = Table("class", "instances", title="Instances per class")
    for name, count in report.instances_per_class.items():
        classes.add_row(f"kg:{name}", str(count))
    graphs = Table("named graph", "quads", title="Named graphs")
    sizes = {compact(graph): count for graph, count in report.quads_per_graph.items()}
    of_documents = [graph for graph in sizes if graph.startswith("graph:document-")]
    if len(of_documents) > LISTED:
        summed = sum(sizes.pop(graph) for graph in of_documents)
        sizes[f"graph:document-… ({len(of_documents)} graphs)"] = summed
    for graph, count in sorted(sizes.items()):
        graphs.add_row(graph, str(count))
    drafts = " (drafts included)" if report.include_drafts else ""
    if report.recalled is not None:
        return Group(graphs, classes, documents, _up_to_date(report, drafts))
    headline = (
        f"Built {report.out}{drafts}: {report.triples} triples, "
        f"{report.quotes_verified} quotes verified in their documents. "
        f"RDFS closure: {report.entailed} triples in {report.entailment_seconds:.2f} s, in graph:inferred."
    )
    if report.replayed:
        headline += (
            f" {report.replayed} of {len(report.documents)} documents unchanged since an earlier build,"
            " taken from the cache."
        )
    if report.reasoning:
        headline += (
            f" Consistent; {len(report.reasoning.inferred)} triples inferred by {report.reasoning.engine}"
            f" in {report.reasoning.seconds:.1f} s, kept apart in graph:inferred."
        )
    return Group(graphs, classes, documents, headline)


def _up_to_date(report: BuildReport, drafts: str) -> str:
    """The headline of a build that found its output up to date (figures from its manifest)."""
    assert report.recalled is not None
    reasoning = report.recalled.get("reasoning")
    reasoned = (
        f" Reasoned: {reasoning['inferred']} triples inferred by {reasoning['engine']}, in graph:inferred."
        if reasoning
        else ""
    )
    return (
        f"{report.out}{drafts} is up to date: built from the same inputs, options and code, and unchanged "
        f"since, so nothing was rebuilt ('kg build --no-cache' builds anew). {report.triples} triples, "
        f"{report.quotes_verified} quotes verified in their documents. RDFS closure: {report.entailed} "
        f"triples, in graph:inferred.{reasoned}"
    )


def coverage_report(coverage: Coverage, every: bool = False) -> RenderableType:
    """A table of counts per article, then the sentences and clauses to look at, as
    `file:line: text`, then the dates that could not be placed on the calendar."""

    from kg.check.coverage import Status

    articles = coverage.articles
    table = Table("document", "article", *(s.value for s in Status), title="Coverage of the articles")
    lines: list[str] = []
    for article in articles:
        table.add_row(article.document, article.article, *(str(article.count(s)) for s in Status))
        for unit in article.units:
            if every or unit.status is Status.UNACCOUNTED:
                reason = f" ({unit.reason})" if unit.reason else ""
                lines.append(f"{article.path}:{unit.line}: [{unit.status.value}{reason}] {unit.text}")
            lines += [f"{article.path}:{unit.line}: [clause left out] {clause}" for clause in unit.left_out]
    lines += [f"{d.location}: [unplaced date] '{d.value}': {d.reason}" for d in coverage.unplaced]
    sentences = sum(a.count(Status.UNACCOUNTED) for a in articles)
    clauses = sum(len(u.left_out) for a in articles for u in a.units)
    gaps = [f"{sentences} sentence(s) unaccounted for"] if sentences else []
    gaps += (
        [f"{clauses} clause(s) carrying a number, date or name left out of mapped sentences"]
        if clauses
        else []
    )
    gaps += [f"{len(coverage.unplaced)} date(s) not placed on the calendar"] if coverage.unplaced else []
    verdict = "every sentence, clause and date is accounted for." if not gaps else "; ".join(gaps) + "."
    return Group(table, *(Text(line) for line in lines), f"Coverage: {verdict}")


def reasoning_summary(outcome: Reasoning) -> RenderableType:
    """Consistent, and what was inferred, by kind of fact."""
    from kg.vocab import RDF, compact

    kinds = Counter(
        f"a {compact(t.object.value)}" if t.predicate.value == str(RDF.type) else compact(t.predicate.value)  # type: ignore[union-attr]
        for t in outcome.inferred
    )
    table = Table("inferred", "triples", title=f"{len(outcome.inferred)} inferred triples")
    for kind, count in sorted(kinds.items()):
        table.add_row(kind, str(count))
    headline = (
        f"Consistent ({outcome.engine}, {outcome.input_triples} triples of input, {outcome.seconds:.1f} s)."
    )
    return Group(headline, table)


def push_summary(report: PushReport, store: str) -> RenderableType:
    """What a push replaced, with the verified counts."""
    from kg.store.push import DEFAULT
    from kg.vocab import compact

    table = Table("graph", "triples", title=f"Pushed to {store}")
    for graph, count in report.triples.items():
        table.add_row(compact(graph) if graph != DEFAULT else graph, str(count))
    dropped = f" Dropped {len(report.dropped)} stale graph(s)." if report.dropped else ""
    checked = "counts and digests" if report.hashed else "counts"
    swaps = f" Swapped in by {report.swaps} updates, each atomic (--swap-size)." if report.swaps > 1 else ""
    headline = (
        f"Pushed {sum(report.triples.values())} triples in {len(report.triples)} graph(s), "
        f"{report.requests} requests, {report.seconds:.1f} s; verified: {checked}.{dropped}{swaps}"
    )
    return Group(table, headline)
