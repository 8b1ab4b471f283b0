"""The pages an analyst reads: home, search, entities (and every other IRI of the project),
documents, the ontology, timelines, and the query editor; each entity IRI also answers in
Turtle, N-Triples, JSON-LD or RDF/XML by content negotiation (`Vary: Accept`)."""

from __future__ import annotations

import functools
import json
import re
import time
from collections.abc import Awaitable, Callable
from typing import Any

import pyoxigraph as ox
from jinja2 import Environment, PackageLoader
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from kg.ask.bindings import parse_period
from kg.ask.catalogue import catalogue, named_query
from kg.errors import KgError
from kg.serve import document, entity, neighbourhood, ontology, timeline, timing
from kg.serve.formats import GRAPHS, accepted, graph_bytes
from kg.serve.protocol import Rejected, client_of, read_body
from kg.serve.site import Site, curie, local_path
from kg.vocab import BASE, PREFIXES

DESCRIBE = """
CONSTRUCT { ?s ?p ?o . ?st ?sp ?so . ?e ?ep ?eo } WHERE {
  { ?s ?p ?o }
  UNION { ?st rdf:subject ?s ; ?sp ?so }
  UNION { ?st rdf:subject ?s ; kg:evidence ?e . ?e ?ep ?eo }
}
"""
DOCUMENTS = "SELECT ?doc ?path WHERE { ?doc a kg:Document ; kg:sourcePath ?path } ORDER BY ?doc"
QUERIES = (  # every query a page runs, checked on each worker at start (Site.warm)
    DESCRIBE,
    DOCUMENTS,
    *entity.QUERIES,
    *timeline.QUERIES,
    neighbourhood.LINKS,
    *document.QUERIES,
    *ontology.QUERIES,
)
MAX_LABELS = 2000  # IRIs one /api/labels request may ask about
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
_HTML = "text/html"


def environment() -> Environment:
    """Jinja2 with every value escaped, and the helpers the templates use."""
    env = Environment(loader=PackageLoader("kg.serve", "templates"), autoescape=True)
    env.globals.update(curie=curie, href=href, fit=timeline.fit)
    return env


def href(iri: str) -> str | None:
    """Where a link to `iri` goes: its page here, or the IRI itself when it is http(s);
    anything else (javascript:, data:, …) is never a link."""
    return local_path(iri) or (iri if iri.startswith(("http://", "https://")) else None)


def site_of(request: Request) -> Site:
    site: Site = request.app.state.site
    return site


Handler = Callable[[Request], Awaitable[Response]]


def kept(handler: Handler) -> Handler:
    """A page answered from the cache when it was made before; else made, its queries
    sharing one worker of the pages lane, and kept (kg.serve.cache)."""

    @functools.wraps(handler)
    async def answer(request: Request) -> Response:
        site = site_of(request)

        async def make() -> Response:
            async with site.pages.holding(client_of(request)):
                return await handler(request)

        key = ("page", request.url.path, request.url.query, _negotiate(request.headers.get("accept")))
        return site.cache.respond(request, await site.cache.answer(key, make))

    return answer


def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    site = site_of(request)
    lang = "zh" if request.query_params.get("lang") == "zh" else "en"
    started = time.perf_counter()
    html = request.app.state.templates.get_template(template).render(
        request=request,
        label=lambda iri: site.names.label(iri, lang),
        kinds=site.names.kinds,
        lang=lang,
        **context,
    )
    timing.add("render", time.perf_counter() - started)
    return HTMLResponse(html, status, headers={"Vary": "Accept"})


async def home(request: Request) -> Response:
    return page(request, "home.html", queries=catalogue())


async def search(request: Request) -> Response:
    text = request.query_params.get("q", "")[:200]
    matches = site_of(request).search(text) if text.strip() else []
    return page(request, "search.html", text=text, matches=matches)


async def resource(request: Request) -> Response:
    """Any IRI of the project: its page, or its description in an RDF format."""
    site = site_of(request)
    iri = BASE + request.url.path.lstrip("/")
    wanted = _negotiate(request.headers.get("accept"))
    if wanted != _HTML:
        answer = await site.pages.run(DESCRIBE, {"s": ox.NamedNode(iri)})
        triples = answer.result()
        assert isinstance(triples, list)
        if not triples:
            return Response(f"error: nothing is known about {iri}\n", 404, media_type="text/plain")
        fmt = next(f for f in GRAPHS if f.media_type == wanted)
        return Response(
            graph_bytes(triples, fmt), headers={"Vary": "Accept"}, media_type=f"{wanted}; charset=utf-8"
        )
    view = await entity.entity_view(site, iri)
    if not view.exists:
        return page(request, "missing.html", 404, iri=iri)
    items = await timeline.around(site, iri)
    elements = await neighbourhood.neighbourhood(site, iri)
    return page(request, "entity.html", view=view, timeline=timeline.layout(items), elements=elements)


async def document_page(request: Request) -> Response:
    doc_id = request.path_params["id"]
    if _negotiate(request.headers.get("accept")) != _HTML:
        return await resource(request)
    view = await document.document_view(site_of(request), doc_id)
    if view is None:
        return page(request, "missing.html", 404, iri=f"{BASE}document/{doc_id}")
    return page(request, "document.html", view=view)


async def documents(request: Request) -> Response:
    result = await site_of(request).select(DOCUMENTS)
    rows = [
        (d.value, p.value)
        for d, p in result.rows
        if isinstance(d, ox.NamedNode) and isinstance(p, ox.Literal)
    ]
    return page(request, "documents.html", rows=rows)


async def ontology_index(request: Request) -> Response:
    return page(request, "ontology_index.html", terms=await ontology.terms(site_of(request)))


async def ontology_term(request: Request) -> Response:
    iri = f"{BASE}ontology#{request.path_params['name']}"
    view = await ontology.term_view(site_of(request), iri)
    if view is None:
        return page(request, "missing.html", 404, iri=iri)
    return page(request, "ontology_term.html", view=view, elements=view.diagram)


async def timeline_page(request: Request) -> Response:
    period = request.query_params.get("period", "2025")[:40]
    try:
        values = parse_period(period, "period")
    except KgError as exc:
        return page(request, "timeline.html", 400, period=period, error=exc.message, timeline=None)
    items = await timeline.in_period(site_of(request), values)
    return page(request, "timeline.html", period=period, error="", timeline=timeline.layout(items))


async def query_page(request: Request) -> Response:
    queries = catalogue()
    chosen = request.query_params.get("name", "departures")
    if chosen not in queries:
        chosen = "departures"
    data = {
        name: {
            "title": q.title,
            "description": q.description,
            "params": [{"name": p.name, "type": p.type, "description": p.description} for p in q.params],
            "example": q.example,
        }
        for name, q in queries.items()
    }
    return page(request, "query.html", queries=queries, chosen=chosen, queries_json=data, prefixes=PREFIXES)


async def editor_text(request: Request) -> Response:
    """A catalogue query as the editor shows it: its text, its parameters bound by a VALUES
    block opening the WHERE clause (the endpoint checks the text like any other)."""
    query = named_query(request.path_params["name"])
    given = {p.name: request.query_params.get(p.name, query.example.get(p.name, "")) for p in query.params}
    values = query.values(given)
    if not values:
        return Response(query.text, media_type="application/sparql-query")
    names = " ".join(f"?{name}" for name in values)
    terms = " ".join(_sparql_term(term) for term in values.values())
    match = _WHERE.search(query.text)
    if match is None:
        raise KgError(f"query '{query.name}' has no WHERE clause")
    block = f"\n  VALUES ({names}) {{ ({terms}) }}"
    text = query.text[: match.end()] + block + query.text[match.end() :]
    return Response(_declared(text, terms), media_type="application/sparql-query")


async def labels(request: Request) -> Response:
    """Labels of the IRIs POSTed as a JSON list, and the page that serves each here."""
    site = site_of(request)
    try:
        asked = json.loads(await read_body(request, site.config.max_request_bytes))
    except ValueError:
        raise Rejected(400, "POST a JSON list of IRIs") from None
    if not isinstance(asked, list) or len(asked) > MAX_LABELS:
        raise Rejected(400, f"POST a JSON list of at most {MAX_LABELS} IRIs")
    lang = "zh" if request.query_params.get("lang") == "zh" else "en"
    found = {}
    for iri in asked:
        if isinstance(iri, str) and (iri in site.names.en or iri in site.names.zh):
            found[iri] = {"label": site.names.label(iri, lang), "href": local_path(iri)}
    return JSONResponse(found)


def _negotiate(accept: str | None) -> str:
    """HTML for a browser (and for */*), else the RDF format the client ranks first."""
    offered = (_HTML, *(f.media_type for f in GRAPHS))
    for media_type in accepted(accept):
        if media_type in offered:
            return media_type
        if media_type in ("*/*", "text/*"):
            return _HTML
    return _HTML


def _declared(text: str, terms: str) -> str:
    """`text` with PREFIX lines for the project's prefixes `terms` use and `text` does not
    declare (kg predeclares them; other tools, and the editor's checker, do not)."""
    declared = set(re.findall(r"^\s*PREFIX\s+([\w-]*):", text, re.IGNORECASE | re.MULTILINE))
    used = sorted(set(re.findall(r"(?<![\w<])([A-Za-z][\w-]*):", terms)) & set(PREFIXES) - declared)
    if not used:
        return text
    lines = text.splitlines(keepends=True)
    prefixes = [n for n, line in enumerate(lines) if re.match(r"\s*PREFIX\b", line, re.IGNORECASE)]
    code = (n for n, line in enumerate(lines) if not line.lstrip().startswith("#"))
    at = prefixes[-1] + 1 if prefixes else next(code, len(lines))
    declarations = [f"PREFIX {name}: <{PREFIXES[name]}>\n" for name in used]
    return "".join([*lines[:at], *declarations, *lines[at:]])


def _sparql_term(term: ox.NamedNode | ox.Literal) -> str:
    if isinstance(term, ox.NamedNode):
        for prefix, namespace in PREFIXES.items():
            local = term.value[len(namespace) :]
            if term.value.startswith(namespace) and re.fullmatch(r"[A-Za-z0-9_-]+", local):
                return f"{prefix}:{local}"
    return str(term)
