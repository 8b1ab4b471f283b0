"""The `kg` command line: a thin layer over the `kg` package."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from kg import __version__
from kg.ask.limits import Limits
from kg.ask.placement import Placement
from kg.errors import KgError, KgErrors, Refused
from kg.project import Project
from kg.serve.config import ServeConfig

if TYPE_CHECKING:
    from kg.ask.query import Queryable, QueryResult
    from kg.review.propose import Proposal

# Each command imports what it needs when it runs: `kg --help` and `kg --version` start
# without loading RDF, SHACL or OWL libraries.

app = typer.Typer(
    help="Build, check and query the technology-sovereignty knowledge graph.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
out = Console()
err = Console(stderr=True)

RootOption = Annotated[
    Path, typer.Option("--root", help="Project folder holding ontology/, mappings/ and seeds/.")
]
GraphOption = Annotated[Path | None, typer.Option("--graph", help="Built graph folder (default: dist/).")]
NoCacheOption = Annotated[
    bool, typer.Option("--no-cache", help="Read and compile every mapping file again, ignoring .kg-cache/.")
]


class ReportFormat(StrEnum):
    text = "text"
    markdown = "markdown"
    junit = "junit"
    json = "json"
    ttl = "ttl"


@contextmanager
def _reporting_errors(exit_code: int = 1) -> Iterator[None]:
    """Turn bad input into one line per problem on stderr and an exit code."""
    from kg.render import visible

    try:
        yield
    except KgError as exc:
        for line in _error_lines(exc):
            err.print(f"[bold red]error[/]: {escape(line)}", soft_wrap=True, highlight=False)
        raise typer.Exit(2 if isinstance(exc, Refused) else exit_code) from None
    except BrokenPipeError:  # the reader stopped early (`kg export -o - | head`): not an error
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - so that the exit does not flush into the closed pipe
        raise typer.Exit(0) from None
    except OSError as exc:
        err.print(f"[bold red]error[/]: {escape(visible(str(exc)))}", soft_wrap=True, highlight=False)
        raise typer.Exit(exit_code) from None


def _error_lines(exc: KgError) -> list[str]:
    """One line per error, every character visible: an error at a file and line is about one
    value, so a line break in it is the value's and is shown escaped, as are control
    characters (never sent to the terminal, where they could rewrite what it shows)."""
    from kg.render import visible

    errors = exc.errors if isinstance(exc, KgErrors) else [exc]
    lines: list[str] = []
    for error in errors:
        text = str(error)
        lines += [visible(text)] if error.location else [visible(line) for line in text.splitlines()]
    return lines


def _version(value: bool) -> None:
    if value:
        out.print(f"sovereignty-kg {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit."),
    ] = False,
) -> None:
    """Build, check and query the technology-sovereignty knowledge graph."""


class Engine(StrEnum):
    auto = "auto"
    hermit = "hermit"
    rules = "rules"


EngineOption = Annotated[
    Engine,
    typer.Option(
        "--engine", help="hermit (OWL DL, HermiT), rules (SPARQL rules, for large graphs), or auto."
    ),
]
TimeoutOption = Annotated[float, typer.Option("--timeout", help="Stop HermiT after this many seconds.")]
MemoryOption = Annotated[int, typer.Option("--memory", help="Java heap for HermiT, in MB.")]


@app.command()
def build(
    root: RootOption = Path("."),
    out_dir: Annotated[Path | None, typer.Option("--out", help="Output folder (default: dist/).")] = None,
    include_drafts: Annotated[
        bool,
        typer.Option("--include-drafts", help="Also include facts whose review status is draft."),
    ] = False,
    with_reasoning: Annotated[
        bool, typer.Option("--reason", help="Reason with OWL and add the inferred facts, in graph:inferred.")
    ] = False,
    engine: EngineOption = Engine.auto,
    timeout: TimeoutOption = 300.0,
    memory: MemoryOption = 2000,
    no_cache: NoCacheOption = False,
) -> None:
    """Compile ontology, reference data and reviewed mappings into dist/.

    Writes Turtle, N-Triples, TriG and N-Quads. Only reviewed facts go in unless
    --include-drafts; every quote is checked against its document. With --reason, the graph
    must be consistent, and the inferred facts are kept apart in graph:inferred. An output
    already built from the same inputs, options and code, and unchanged since, is left as
    it is (--no-cache builds anew).
    """
    from kg.ask.load import kept_store
    from kg.compile.builder import build as build_graph
    from kg.reason import ReasoningOptions
    from kg.render import build_summary

    with _reporting_errors():
        project = Project.at(root)
        report = build_graph(
            project,
            out_dir,
            include_drafts=include_drafts,
            reasoning=ReasoningOptions(engine.value, timeout, memory) if with_reasoning else None,
            progress=lambda step: err.print(f"[dim]… {step}[/]", highlight=False),
            use_cache=not no_cache,
        )
        kept_store(report.out)  # a store kept beside the previous build (kg query) is removed now
    out.print(build_summary(report), soft_wrap=True)


@app.command()
def reason(
    root: RootOption = Path("."),
    graph_dir: GraphOption = None,
    engine: EngineOption = Engine.auto,
    timeout: TimeoutOption = 300.0,
    memory: MemoryOption = 2000,
) -> None:
    """Check the built graph for consistency with OWL reasoning and list what it infers.

    Exit code 0 when consistent, 1 when inconsistent (each clash explained with the mapping
    lines behind it), 2 when reasoning cannot run (timeout, no Java). Writes nothing; use
    'kg build --reason' to keep the inferred facts.
    """
    from kg.reason.engine import inconsistency, reason_over_build
    from kg.render import reasoning_summary

    with _reporting_errors(exit_code=2):
        dist = graph_dir or Project.at(root).dist
        ontology = root / "ontology" if (root / "ontology").is_dir() else None
        outcome = reason_over_build(dist, engine.value, timeout, memory, ontology)
    if not outcome.consistent:
        for line in str(inconsistency(outcome)).splitlines():
            err.print(f"[bold red]error[/]: {escape(line)}", soft_wrap=True, highlight=False)
        raise typer.Exit(1)
    out.print(reasoning_summary(outcome), soft_wrap=True)


# The names of kg.store.export.FORMATS (a test keeps them equal), listed here so that the
# command line starts without importing the RDF libraries.
EXPORT_FORMATS = ("ttl", "nt", "nq", "trig", "jsonld", "rdfxml")
ExportFormatName = StrEnum("ExportFormatName", {name: name for name in EXPORT_FORMATS})  # type: ignore[misc]


@app.command()
def export(
    output: Annotated[
        Path, typer.Option("--output", "-o", help="The file to write ('-' for standard output).")
    ],
    fmt: Annotated[
        ExportFormatName | None,
        typer.Option(
            "--format", help="ttl, nt, nq, trig, jsonld or rdfxml (default: from the file's suffix)."
        ),
    ] = None,
    inferred: Annotated[
        bool, typer.Option("--inferred", help="Add what reasoning inferred (needs 'kg build --reason').")
    ] = False,
    root: RootOption = Path("."),
    graph_dir: GraphOption = None,
) -> None:
    """Export the built graph for a graph database: Turtle, N-Triples, RDF/XML (one merged
    graph), or N-Quads, TriG, JSON-LD (the named graphs).

    Sorted and deterministic; the file appears only once complete. JSON-LD is compact, its
    context inline. Without --inferred, only the asserted facts.
    """
    from kg.store.export import export as export_graph
    from kg.store.export import format_for

    with _reporting_errors():
        dist = graph_dir or Project.at(root).dist
        to_stdout = str(output) == "-"
        chosen = format_for(fmt.value if fmt else None, None if to_stdout else output)
        written = export_graph(dist, chosen, None if to_stdout else output, inferred=inferred)
    if not to_stdout:
        unit = "quads" if chosen.datasets else "triples"
        out.print(f"Wrote {written} {unit} ({chosen.label}) to {output}.", highlight=False, soft_wrap=True)


@app.command()
def push(
    graph_store: Annotated[
        str, typer.Option("--store", help="Graph Store Protocol URL (Oxigraph: http://HOST:PORT/store).")
    ],
    query_url: Annotated[str, typer.Option("--query", help="SPARQL query URL (Oxigraph: …/query).")],
    update_url: Annotated[
        str | None, typer.Option("--update", help="SPARQL update URL (Oxigraph: …/update; default: --query).")
    ] = None,
    graph: Annotated[
        str | None,
        typer.Option("--graph", help="Push everything into this one named graph, touching nothing else."),
    ] = None,
    union: Annotated[
        bool,
        typer.Option(
            "--union",
            help="Push the provenance graphs only, for a store whose default graph is their union.",
        ),
    ] = False,
    inferred: Annotated[
        bool, typer.Option("--inferred", help="Add what reasoning inferred (needs 'kg build --reason').")
    ] = False,
    chunk_size: Annotated[
        int, typer.Option("--chunk-size", min=1, help="Triples per upload request.")
    ] = 50_000,
    swap_size: Annotated[
        int,
        typer.Option(
            "--swap-size",
            min=0,
            help="Triples one swapping update moves at most; a larger push is swapped in by several "
            "updates, each atomic (0: one update, whatever its size).",
        ),
    ] = 1_000_000,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout", help="Seconds to wait for each answer (the swap also 1 s per 2,000 triples moved)."
        ),
    ] = 60.0,
    retries: Annotated[
        int, typer.Option("--retries", min=0, help="Retries on 429, 502-504 and connection errors.")
    ] = 5,
    verify_hash: Annotated[
        bool, typer.Option("--verify-hash/--no-verify-hash", help="Also compare digests of every graph.")
    ] = True,
    root: RootOption = Path("."),
    dist: Annotated[Path | None, typer.Option("--dist", help="Built graph folder (default: dist/).")] = None,
) -> None:
    """Push the built graph to a SPARQL store, replacing the previous push atomically.

    By default the store gets the build's dataset: the merged graph as its default graph
    and each provenance graph as a named graph (use a store or dataset of its own). The
    counts of triples, and digests, are then compared with the build. Credentials come
    from KG_STORE_TOKEN, KG_STORE_USER and KG_STORE_PASSWORD, or ~/.netrc.
    """
    from kg.render import push_summary
    from kg.store.http import Http, RetryPolicy, safe_url
    from kg.store.push import RemoteStore
    from kg.store.push import push as push_graph

    with _reporting_errors():
        dist = dist or Project.at(root).dist
        store = RemoteStore(graph_store, query_url, update_url or query_url)
        notify = lambda message: err.print(f"[yellow]warning[/]: {escape(message)}", highlight=False)  # noqa: E731
        with Http(RetryPolicy(timeout, retries), notify) as http:
            report = push_graph(
                dist,
                store,
                http,
                graph=graph,
                union=union,
                inferred=inferred,
                chunk_size=chunk_size,
                swap_size=swap_size,
                verify_hash=verify_hash,
                progress=lambda step: err.print(f"[dim]… {escape(step)}[/]", highlight=False),
            )
    out.print(push_summary(report, safe_url(graph_store)), soft_wrap=True)


class QueryFormat(StrEnum):
    table = "table"
    md = "md"
    csv = "csv"
    tsv = "tsv"
    json = "json"
    xml = "xml"


class Language(StrEnum):
    en = "en"
    zh = "zh"


LangOption = Annotated[Language, typer.Option("--lang", help="Language of the labels shown beside IRIs.")]


@app.command()
def query(
    text: Annotated[str | None, typer.Argument(help="A SPARQL query.", show_default=False)] = None,
    file: Annotated[Path | None, typer.Option("--file", "-f", help="Read the query from a .rq file.")] = None,
    name: Annotated[
        str | None, typer.Option("--name", "-n", help="Run a named query of the catalogue.")
    ] = None,
    params: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="Bind a parameter: NAME=VALUE. Repeatable.")
    ] = None,
    fmt: Annotated[
        QueryFormat, typer.Option("--format", help="table, md, or a SPARQL 1.1 results format.")
    ] = (QueryFormat.table),
    lang: LangOption = Language.en,
    root: RootOption = Path("."),
    graph_dir: GraphOption = None,
    endpoint: Annotated[
        str | None,
        typer.Option("--endpoint", help="Ask this SPARQL endpoint (SPARQL 1.1 Protocol) instead of dist/."),
    ] = None,
    timeout: Annotated[
        float, typer.Option("--timeout", min=0.1, help="Stop the query after this many seconds.")
    ] = Limits.timeout,
    max_rows: Annotated[
        int, typer.Option("--max-rows", min=1, help="Cut the answer after this many rows (or triples).")
    ] = Limits.max_rows,
    memory: Annotated[
        int,
        typer.Option("--memory", min=256, help="Memory the query may use beyond the loaded graph, in MiB."),
    ] = Limits.memory_mb,
    prefixes: Annotated[
        bool,
        typer.Option("--prefixes", help="List the prefixes every query has predeclared (as PREFIX lines)."),
    ] = False,
    store: Annotated[
        Placement,
        typer.Option(
            "--store",
            help="Where the build is queried: memory (fastest; about 0.3 GiB per 1,000 documents), disk "
            "(a store kept beside the build, made once), or auto (disk past 1 GiB of built files).",
        ),
    ] = Placement.AUTO,
) -> None:
    """Run a SPARQL query — inline, from a file, or from the catalogue — on the built graph,
    or on a remote endpoint (e.g. after 'kg push').

    SELECT and ASK answers print as a table (labels beside IRIs), Markdown, or SPARQL 1.1
    JSON, XML, CSV or TSV; CONSTRUCT and DESCRIBE answers print as Turtle. Parameters are
    bound as RDF terms, never pasted into the query. A query that could reach the network
    or a file, or goes past a limit, is refused (exit code 2). The project's prefixes (kg:,
    ent:, schema:, … : see --prefixes) need no PREFIX line.
    """
    if prefixes:
        from kg.vocab import sparql_prologue

        sys.stdout.write(sparql_prologue())
        return
    from kg.ask.bindings import guess_value
    from kg.ask.catalogue import named_query
    from kg.ask.query import open_graph
    from kg.ask.reads import dataset_read
    from kg.ask.remote import Endpoint
    from kg.mapping.textfile import read_text
    from kg.vocab import PREFIXES

    with _reporting_errors():
        sources = [x for x in (text, file, name) if x is not None]
        if len(sources) != 1:
            raise KgError("give exactly one of: a query, --file, --name")
        given = dict(_pair(p) for p in params or [])
        if name:
            named = named_query(name)
            query_text, values, source = named.text, named.values(given), None
        else:
            query_text = read_text(file, file) if file else str(text)
            values = {key: guess_value(value, key) for key, value in given.items()}
            source = file
        limits = Limits(timeout=timeout, max_rows=max_rows, memory_mb=memory)
        if endpoint and store is not Placement.AUTO:
            raise KgError("--store chooses where the built graph is queried: give it or --endpoint, not both")
        if endpoint:
            with Endpoint(endpoint, limits=limits) as remote:
                _print_answer(remote, query_text, values, source, fmt, lang)
        else:
            dataset = dataset_read(query_text, PREFIXES)  # load no graph it does not read
            with open_graph(graph_dir or Project.at(root).dist, limits, dataset, store) as graph:
                _print_answer(graph, query_text, values, source, fmt, lang, not dataset.default)


def _print_answer(
    store: Queryable,
    text: str,
    values: dict[str, Any],
    source: Path | None,
    fmt: QueryFormat,
    lang: Language,
    named_labels: bool = False,
) -> None:
    from kg.ask.query import execute, labels, result_of, serialize_answer, turtle
    from kg.render import results_markdown, results_table

    found = execute(store, text, values, source)
    if found.truncated:
        err.print(
            "[yellow]warning[/]: the answer was cut at the row or size limit (see --max-rows)",
            highlight=False,
        )
    if fmt not in (QueryFormat.table, QueryFormat.md):
        sys.stdout.write(serialize_answer(found, fmt.value).decode("utf-8"))
        return
    result = result_of(found)
    names = labels(store, _iris(result), lang.value, named_labels)
    if result.triples is not None:
        sys.stdout.write(turtle(result.triples))
    elif fmt is QueryFormat.md:
        sys.stdout.write(results_markdown(result, names))
    else:
        out.print(results_table(result, names))


@app.command()
def queries(
    show: Annotated[str | None, typer.Option("--show", help="Print one named query in full.")] = None,
) -> None:
    """List the catalogue of named competency queries, or print one."""
    from kg.ask.catalogue import catalogue, named_query
    from kg.render import catalogue_table

    with _reporting_errors():
        if show:
            sys.stdout.write(named_query(show).text)
            return
        out.print(catalogue_table(catalogue()))


@app.command()
def show(
    entity: Annotated[
        str, typer.Argument(help="An IRI, a CURIE (ent:…), an id, or a name in English or Chinese.")
    ],
    lang: LangOption = Language.en,
    sources: Annotated[
        bool, typer.Option("--sources", help="List every sourced value of each date, and how it was placed.")
    ] = False,
    root: RootOption = Path("."),
    graph_dir: GraphOption = None,
) -> None:
    """Show an entity: its names, kinds, and every fact with its quotes and sources."""
    from kg.ask.entities import card, find
    from kg.ask.query import open_graph
    from kg.render import entity_card

    with _reporting_errors(), open_graph(graph_dir or Project.at(root).dist) as store:
        out.print(entity_card(card(store, find(store, entity), lang.value), sources), soft_wrap=True)


@app.command()
def search(
    text: Annotated[
        str, typer.Argument(help="A name or part of one, in English or Chinese, in any word order.")
    ],
    limit: Annotated[int, typer.Option("--limit", help="At most this many results.")] = 10,
    root: RootOption = Path("."),
    graph_dir: GraphOption = None,
) -> None:
    """Find entities by name or other name, in English or Chinese."""
    from kg.ask.entities import search as find_entities
    from kg.ask.query import open_graph
    from kg.render import search_results

    with _reporting_errors(), open_graph(graph_dir or Project.at(root).dist) as store:
        out.print(search_results(find_entities(store, text, limit)))


@app.command()
def stats(root: RootOption = Path("."), graph_dir: GraphOption = None) -> None:
    """Print what is in the built graph — counts per document and per class — and the facts
    reviewed and awaiting review per document and per reviewer, as Markdown."""
    from kg.compile.stats import stats_markdown

    with _reporting_errors():
        mappings = root / "mappings"
        dist = graph_dir or Project.at(root).dist
        sys.stdout.write(stats_markdown(dist, mappings if mappings.is_dir() else None))


def _pair(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise KgError(f"--param needs NAME=VALUE, not '{text}'")
    return name, value


def _iris(result: QueryResult) -> set[str]:
    import pyoxigraph as ox

    terms = (
        [t for tr in result.triples for t in (tr.subject, tr.predicate, tr.object)]
        if result.triples is not None
        else [t for row in result.rows for t in row]
    )
    return {t.value for t in terms if isinstance(t, ox.NamedNode)}


@app.command()
def validate(
    root: RootOption = Path("."),
    graph_dir: GraphOption = None,
    fmt: Annotated[ReportFormat, typer.Option("--format", help="Report format on standard output.")] = (
        ReportFormat.text
    ),
    outputs: Annotated[
        list[Path] | None,
        typer.Option(
            "--output",
            "-o",
            help="Also write the report to a file; the suffix picks the format "
            "(.txt, .md, .xml for JUnit, .json, .ttl). Repeatable.",
        ),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Run every shape and check again, ignoring .kg-cache/.")
    ] = False,
) -> None:
    """Check the built graph with the SHACL shapes and named SPARQL checks of ontology/.

    Exit code 0 when it conforms, 1 on violations (or warnings with --strict), 2 when
    validation cannot run. Each finding names the mapping file and line it came from. The
    SHACL report of each group of shapes is kept in .kg-cache/ by the digests of the shapes
    and the triples they read, the checks' answers by those of the checks and the built
    files, and reused while those are unchanged.
    """
    from kg.cache import FOLDER, Cache
    from kg.check.reports import render, report_format, write_report
    from kg.check.validate import validate as validate_graph

    with _reporting_errors(exit_code=2):
        project = Project.at(root)
        for path in outputs or []:
            report_format(path)  # before validating: a wrong path fails at once
        cache = Cache(None if no_cache else project.root / FOLDER)
        with cache.transaction():
            report = validate_graph(project.ontology, graph_dir or project.dist, cache=cache)
        for path in outputs or []:
            write_report(report, path)
    sys.stdout.write(render(report, fmt.value))
    raise typer.Exit(0 if report.conforms(strict) else 1)


@app.command()
def coverage(
    root: RootOption = Path("."),
    every: Annotated[
        bool, typer.Option("--all", help="List every sentence with its status, not only the gaps.")
    ] = False,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict",
            help="Exit 1 if a sentence is unaccounted for, a clause left out of a mapped one, "
            "or a date unplaced.",
        ),
    ] = False,
    no_cache: NoCacheOption = False,
) -> None:
    """Show, per article, the sentences that carry evidence, those the mapping skips (with the
    reason) and those that are neither: the mapping work still to do. A mapped sentence whose
    quotes leave out a clause carrying a number, a date or a name is partly mapped, and the
    clause is listed; dates that could not be placed on the calendar are listed too."""
    from kg.check.coverage import coverage_report as mapping_coverage
    from kg.render import coverage_report

    with _reporting_errors():
        found = mapping_coverage(Project.at(root), use_cache=not no_cache)
    out.print(coverage_report(found, every=every), soft_wrap=True)
    gaps = sum(a.gaps for a in found.articles) + len(found.unplaced)
    raise typer.Exit(1 if strict and gaps else 0)


@app.command()
def add(
    file: Annotated[Path, typer.Argument(help="The document: UTF-8 text, laid out as the seeds are.")],
    root: RootOption = Path("."),
) -> None:
    """Copy a new document into seeds/ (refusing a name or content that is there already)
    and propose a draft mapping for it, which records its SHA-256."""
    from kg.review.add import add_document

    with _reporting_errors():
        proposal = add_document(Project.at(root), file)
    _print_proposal(proposal)


@app.command()
def propose(
    document: Annotated[Path, typer.Argument(help="A document in seeds/.")],
    out: Annotated[
        Path | None, typer.Option("--out", help="Where to write (default: mappings/documents/ID.yaml).")
    ] = None,
    root: RootOption = Path("."),
) -> None:
    """Draft a mapping for a document: articles, entities (new ones proposed with a kind),
    and facts, each a draft quoting its sentence. Never overwrites a file; what it writes
    builds with 'kg build --include-drafts'."""
    from kg.review.propose import propose_mapping

    with _reporting_errors():
        proposal = propose_mapping(Project.at(root), document, out)
    _print_proposal(proposal)


def _print_proposal(proposal: Proposal) -> None:
    out.print(
        f"Wrote {proposal.path}: {proposal.facts} draft fact(s), {proposal.new_entities} new entit(ies); "
        f"{len(proposal.unmapped)} of {proposal.sentences} sentence(s) not yet mapped.",
        highlight=False,
        soft_wrap=True,
    )
    for article, sentence in proposal.unmapped:
        out.print(
            f"  not yet mapped: {'article ' if article.isdigit() else ''}{article}, line {sentence.line}: "
            f"{escape(sentence.text)}",
            highlight=False,
            soft_wrap=True,
        )


@app.command()
def review(
    document: Annotated[str, typer.Argument(help="A document id (005) or its mapping file.")],
    accept: Annotated[
        list[str] | None, typer.Option("--accept", help="Accept this fact ('all': every draft). Repeatable.")
    ] = None,
    reject: Annotated[
        list[str] | None, typer.Option("--reject", help="Reject (remove) this fact. Repeatable.")
    ] = None,
    skip: Annotated[
        list[str] | None,
        typer.Option(
            "--skip",
            help="Skip this fact's sentence, or a sentence given verbatim (needs --reason). Repeatable.",
        ),
    ] = None,
    reason: Annotated[str, typer.Option("--reason", help="Why the --skip sentences are not mapped.")] = "",
    reviewer: Annotated[
        str | None, typer.Option("--reviewer", help="Who reviews (default: git user.name).")
    ] = None,
    root: RootOption = Path("."),
) -> None:
    """Review a mapping's draft facts: accept, edit (in $EDITOR), reject, or skip the sentence
    with a reason, recording reviewer and date. Without --accept/--reject/--skip, walks
    through the drafts in the terminal."""
    from kg.review.interactive import review_in_terminal
    from kg.review.review import MappingEdit, Reviewer
    from kg.review.review import review as review_mapping

    with _reporting_errors():
        project = Project.at(root)
        who = Reviewer.default(reviewer)
        if accept or reject or skip:
            review_mapping(project, document, who, accept or [], reject or [], skip or [], reason)
            out.print(
                f"Reviewed as {who.name}: {len(accept or [])} accepted, {len(reject or [])} rejected, "
                f"{len(skip or [])} skipped.",
                highlight=False,
            )
            return
        if not sys.stdin.isatty():
            raise KgError("not a terminal: give --accept, --reject or --skip")
        review_in_terminal(MappingEdit.open(project, document), who, out)


class DiffFormat(StrEnum):
    text = "text"
    md = "md"


@app.command()
def diff(
    old: Annotated[str, typer.Argument(help="A build folder, a project folder, or a git revision.")],
    new: Annotated[str, typer.Argument(help="A build folder, a project folder, or a git revision.")],
    fmt: Annotated[
        DiffFormat, typer.Option("--format", help="text, or md for a pull-request comment.")
    ] = DiffFormat.text,
    triples: Annotated[
        bool, typer.Option("--triples", help="Also list every triple added and removed.")
    ] = False,
    root: RootOption = Path("."),
) -> None:
    """What changed between two builds, in words: facts added, removed and changed, grouped
    by entity, with evidence and contested values called out. Exit code 1 when anything
    changed."""
    from kg.review.builds import build_of
    from kg.review.diff import diff as diff_builds
    from kg.review.diff import read_build
    from kg.review.diff import render as render_diff

    with _reporting_errors(exit_code=2), tempfile.TemporaryDirectory() as scratch:
        before = read_build(build_of(old, root, Path(scratch) / "old"))
        after = read_build(build_of(new, root, Path(scratch) / "new"))
        result = diff_builds(before, after)
    sys.stdout.write(render_diff(result, markdown=fmt is DiffFormat.md, triples=triples))
    raise typer.Exit(1 if result.changed else 0)


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on (loopback only by default).")] = (
        ServeConfig.host
    ),
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = ServeConfig.port,
    dist: Annotated[Path | None, typer.Option("--dist", help="Built graph folder (default: dist/).")] = None,
    root: RootOption = Path("."),
    timeout: Annotated[
        float, typer.Option("--timeout", min=0.1, help="Stop a query after this many seconds.")
    ] = ServeConfig.timeout,
    max_rows: Annotated[
        int, typer.Option("--max-rows", min=1, help="Cut an answer after this many rows (or triples).")
    ] = ServeConfig.max_rows,
    max_bytes: Annotated[
        int, typer.Option("--max-bytes", min=1024, help="Cut an answer after this many bytes.")
    ] = ServeConfig.max_bytes,
    memory: Annotated[
        int,
        typer.Option(
            "--memory", min=256, help="Memory a query may use in a worker beyond the loaded graph, in MiB."
        ),
    ] = ServeConfig.memory_mb,
    max_query_chars: Annotated[
        int, typer.Option("--max-query-chars", min=1, help="Refuse a query longer than this.")
    ] = ServeConfig.max_query_chars,
    max_depth: Annotated[
        int, typer.Option("--max-depth", min=1, help="Refuse a query nesting brackets deeper than this.")
    ] = ServeConfig.max_depth,
    max_request_bytes: Annotated[
        int,
        typer.Option("--max-request-bytes", min=1024, help="Refuse a request body larger than this (413)."),
    ] = ServeConfig.max_request_bytes,
    workers: Annotated[
        int,
        typer.Option(
            "--workers", min=1, help="Query worker processes for the endpoint, and as many for the pages."
        ),
    ] = ServeConfig.workers,
    max_waiting: Annotated[
        int,
        typer.Option(
            "--max-waiting", min=0, help="Requests that may wait for a worker (per pool); then 503."
        ),
    ] = ServeConfig.max_waiting,
    wait_timeout: Annotated[
        float,
        typer.Option("--wait-timeout", min=0.0, help="Seconds a request may wait for a worker; then 503."),
    ] = ServeConfig.wait_timeout,
    max_per_client: Annotated[
        int,
        typer.Option(
            "--max-per-client",
            min=0,
            help="Workers one client address may hold or wait for (per pool); then 429. 0: no limit.",
        ),
    ] = ServeConfig.max_per_client,
    retry_after: Annotated[
        int,
        typer.Option("--retry-after", min=1, help="Seconds a 503 or 429 asks a client to wait."),
    ] = ServeConfig.retry_after,
    cache_mb: Annotated[
        int,
        typer.Option("--cache-mb", min=0, help="MiB of pages and query answers kept while serving. 0: none."),
    ] = ServeConfig.cache_mb,
    cors_origins: Annotated[
        list[str] | None,
        typer.Option("--cors-origin", help="Let pages from this origin read answers. Repeatable."),
    ] = None,
) -> None:
    """Serve the built graph: a read-only SPARQL 1.1 endpoint at /sparql, and pages for
    entities, documents, the ontology, timelines and a query editor.

    Listens on 127.0.0.1 unless told otherwise. Queries run in worker processes within the
    limits below; updates, Graph Store writes, SERVICE and foreign FROM are refused.
    """
    from kg.serve.app import serve as run_server

    with _reporting_errors():
        config = ServeConfig(
            dist=dist or Project.at(root).dist,
            root=root,
            host=host,
            port=port,
            timeout=timeout,
            max_rows=max_rows,
            max_bytes=max_bytes,
            memory_mb=memory,
            max_query_chars=max_query_chars,
            max_depth=max_depth,
            max_request_bytes=max_request_bytes,
            workers=workers,
            max_waiting=max_waiting,
            wait_timeout=wait_timeout,
            max_per_client=max_per_client,
            retry_after=retry_after,
            cache_mb=cache_mb,
            cors_origins=tuple(cors_origins or ()),
        )
        err.print(f"Serving {config.dist} at http://{host}:{port}/ (Ctrl-C to stop)", highlight=False)
        run_server(config)


@app.command()
def synth(
    out_dir: Annotated[Path, typer.Option("-o", "--out", help="New folder for the synthetic project.")],
    docs: Annotated[int, typer.Option("--docs", help="How many documents to write.")] = 100,
    seed: Annotated[int, typer.Option("--seed", help="The same seed writes the same bytes.")] = 0,
    root: RootOption = Path("."),
) -> None:
    """Write a synthetic project of DOCS documents and their mappings, for benchmarks.

    Shaped like the seed corpus (posts and departures, policies, figures, contested claims,
    English and Chinese); every quote occurs in its document, so `kg build --root OUT` runs
    the full build. The ontology is copied from the project at --root.
    """
    from kg.synth.corpus import synthesize

    with _reporting_errors():
        facts = synthesize(Project.at(root), docs, out_dir, seed)
    out.print(f"Wrote {docs} documents with {facts} facts to {out_dir}", highlight=False)


def main() -> None:
    app()
