"""The SPARQL 1.1 Protocol endpoint at /sparql: query only.

GET with `query=`, POST form-encoded with `query=`, or POST with the query as the body
(`application/sparql-query`). Every query is checked and run by the endpoint's lane
(kg.serve.lanes, kg.ask.runner): nothing that could reach the network or a file runs, and
each query stays within the limits of kg.serve.config. Updates (`update=`,
`application/sparql-update`, LOAD and every other update form sent as a query) are refused
with 403; Graph Store writes with 405. Without a query, GET answers the service description.
An answer cut at the row or byte cap carries the header `Kg-Truncated: true`.

Answers are kept (kg.serve.cache) by the query's exact text and the format asked for: the
graph does not change while the server runs, so the same text has the same answer, and a
query asked again is answered without a worker.
"""

from __future__ import annotations

from urllib.parse import parse_qs

import anyio.to_thread
import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from kg.errors import KgError, Refused, Stopped
from kg.serve.formats import GRAPHS, accepted, choose, graph_bytes, render
from kg.serve.lanes import Busy, TooMany
from kg.serve.site import Site

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
TRUNCATED = "Kg-Truncated"
_UPDATE_TYPES = ("application/sparql-update",)
_QUERY_TYPE = "application/sparql-query"
_FORM_TYPE = "application/x-www-form-urlencoded"
_MAX_FIELDS = 50


class Rejected(KgError):
    """A request the endpoint answers with `status` and the message as plain text."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


async def sparql(request: Request) -> Response:
    """The SPARQL 1.1 Protocol: one query per request, answered in the format asked for."""
    site: Site = request.app.state.site
    try:
        fields, query = await _query_of(request, site.config.max_request_bytes)
        if "update" in fields:
            raise Rejected(403, "SPARQL updates are not accepted: this endpoint only reads")
        if fields.get("default-graph-uri") or fields.get("named-graph-uri"):
            raise Rejected(400, "default-graph-uri and named-graph-uri are not supported; use FROM graph:…")
        if query is None:
            return _service_description(request, site)
        asked = next(iter(fields.get("format") or fields.get("output") or []), None)
        accept = request.headers.get("accept")

        async def make() -> Response:
            answer = await site.endpoint.run(query, client=client_of(request))
            body, media_type = await anyio.to_thread.run_sync(render, answer, asked, accept)
            headers = {"Vary": "Accept"} | ({TRUNCATED: "true"} if answer.truncated else {})
            return Response(body, 200, headers=headers, media_type=media_type)

        kept = await site.cache.answer(("sparql", query, asked, tuple(accepted(accept))), make)
    except KgError as exc:  # every refusal becomes a status and one line
        return failure(exc, site.config.retry_after)
    return site.cache.respond(request, kept)


def client_of(request: Request) -> str:
    """The client's address, for the per-client limit."""
    return request.client.host if request.client else ""


def failure(exc: KgError, retry_after: int) -> Response:
    """The answer to a query that did not run: its status and one line, never a trace."""
    if isinstance(exc, Rejected):
        return _error(exc.status, exc.message)
    if isinstance(exc, Busy):
        return _error(503, exc.message, {"Retry-After": str(retry_after)})
    if isinstance(exc, TooMany):
        return _error(429, exc.message, {"Retry-After": str(retry_after)})
    if isinstance(exc, Stopped):
        return _error(503, exc.message)
    if isinstance(exc, Refused):
        return _error(403 if exc.message.startswith("SPARQL updates") else 400, exc.message)
    return _error(400, exc.message)


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return PlainTextResponse(f"error: {message}\n", status, headers=headers)


async def refuse_write(request: Request) -> Response:
    """Graph Store Protocol writes (PUT, POST, DELETE, PATCH) are not accepted."""
    return PlainTextResponse(
        "error: this server only reads: Graph Store writes are not accepted\n",
        405,
        headers={"Allow": "GET, HEAD" if request.url.path != "/sparql" else "GET, HEAD, POST"},
    )


async def _query_of(request: Request, cap: int) -> tuple[dict[str, list[str]], str | None]:
    """The protocol's parameters (URL and form) and the query, from any of its three forms."""
    fields = parse_qs(request.url.query, keep_blank_values=True, max_num_fields=_MAX_FIELDS)
    body_query = None
    if request.method == "POST":
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        body = await read_body(request, cap)
        if content_type in _UPDATE_TYPES:
            raise Rejected(403, "SPARQL updates are not accepted: this endpoint only reads")
        if content_type == _FORM_TYPE:
            text = _text(body)
            for key, values in parse_qs(text, keep_blank_values=True, max_num_fields=_MAX_FIELDS).items():
                fields.setdefault(key, []).extend(values)
        elif content_type == _QUERY_TYPE:
            body_query = _text(body)
        else:
            raise Rejected(415, f"POST a query as {_FORM_TYPE} or {_QUERY_TYPE}, not '{content_type}'")
    queries = fields.get("query", []) + ([body_query] if body_query is not None else [])
    if len(queries) > 1:
        raise Rejected(400, "give one query per request")
    return fields, queries[0] if queries else None


async def read_body(request: Request, cap: int) -> bytes:
    """The request body, refused with 413 past `cap` bytes (before it is all read)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > cap:
        raise Rejected(413, f"the request body is {declared} bytes; the limit is {cap}")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > cap:
            raise Rejected(413, f"the request body is over the limit of {cap} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _text(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise Rejected(400, "the request body is not UTF-8") from None


def _service_description(request: Request, site: Site) -> Response:
    """What this endpoint is (SPARQL 1.1 Service Description), or the editor for a browser."""
    accept = request.headers.get("accept")
    if "text/html" in accepted(accept)[:1]:
        return RedirectResponse("/query", 303)
    service = ox.BlankNode()
    endpoint = ox.NamedNode(str(request.url.replace(query="")))
    triples = [
        ox.Triple(service, RDF_TYPE, ox.NamedNode(SD + "Service")),
        ox.Triple(service, ox.NamedNode(SD + "endpoint"), endpoint),
        ox.Triple(service, ox.NamedNode(SD + "supportedLanguage"), ox.NamedNode(SD + "SPARQL11Query")),
    ]
    for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV"):
        triples.append(ox.Triple(service, ox.NamedNode(SD + "resultFormat"), ox.NamedNode(FORMATS + name)))
    for name in ("Turtle", "N-Triples", "JSON-LD", "RDF_XML"):
        triples.append(ox.Triple(service, ox.NamedNode(SD + "resultFormat"), ox.NamedNode(FORMATS + name)))
    dataset = ox.BlankNode()
    triples.append(ox.Triple(service, ox.NamedNode(SD + "defaultDataset"), dataset))
    triples.append(ox.Triple(dataset, RDF_TYPE, ox.NamedNode(SD + "Dataset")))
    for graph in site.graphs:
        named = ox.BlankNode()
        triples.append(ox.Triple(dataset, ox.NamedNode(SD + "namedGraph"), named))
        triples.append(ox.Triple(named, ox.NamedNode(SD + "name"), ox.NamedNode(graph)))
    fmt = choose(GRAPHS, None, accept)
    return Response(
        graph_bytes(triples, fmt), headers={"Vary": "Accept"}, media_type=f"{fmt.media_type}; charset=utf-8"
    )
