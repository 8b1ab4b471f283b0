"""The `kg serve` application: routes, safe defaults, and running it under uvicorn.

Every response carries a Content-Security-Policy that lets a page load only from this
server (no external script, style, font or image, and no connection elsewhere), and no
error shows a trace or a path: a refused or failed query is one line of text.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kg.ask.load import check_graph
from kg.errors import KgError
from kg.serve import pages
from kg.serve.config import ServeConfig
from kg.serve.protocol import failure, refuse_write, sparql
from kg.serve.site import Site
from kg.serve.timing import ServerTiming

log = logging.getLogger("kg.serve")
SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
        b"connect-src 'self'; font-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; "
        b"form-action 'self'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]
_WRITES = ["PUT", "DELETE", "PATCH"]
_RESOURCES = ("entity", "country", "element", "role", "date", "statement", "evidence", "article")


class SecurityHeaders:
    """Adds SECURITY_HEADERS to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(config: ServeConfig) -> Starlette:
    """The application serving the build in `config.dist`."""
    check_graph(config.dist)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        site = Site(config)
        app.state.site = site
        try:
            await site.start()
            await site.warm(pages.QUERIES)
            yield
        finally:
            site.close()

    async def refused(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, KgError)
        return failure(exc, config.retry_after)

    async def crashed(request: Request, exc: Exception) -> Response:
        log.error("%s %s failed", request.method, request.url.path, exc_info=exc)  # to the server's log only
        return PlainTextResponse("error: the server failed to answer this request\n", 500)

    kept = pages.kept  # pages made once and kept (kg.serve.cache)
    routes = [
        Route("/", kept(pages.home)),
        Route("/search", kept(pages.search)),
        Route("/sparql", sparql, methods=["GET", "HEAD", "POST"]),
        Route("/sparql", refuse_write, methods=_WRITES),
        Route("/store", refuse_write, methods=["POST", *_WRITES]),
        Route("/data", refuse_write, methods=["POST", *_WRITES]),
        Route("/query", kept(pages.query_page)),
        Route("/api/editor/{name}", pages.editor_text),
        Route("/api/labels", pages.labels, methods=["POST"]),
        Route("/documents", kept(pages.documents)),
        Route("/document/{id}", kept(pages.document_page)),
        Route("/ontology", kept(pages.ontology_index)),
        Route("/ontology/{name}", kept(pages.ontology_term)),
        Route("/timeline", kept(pages.timeline_page)),
        *(Route(f"/{kind}/{{id:path}}", kept(pages.resource)) for kind in _RESOURCES),
        Mount("/static", StaticFiles(packages=[("kg.serve", "static")]), name="static"),
    ]
    middleware = [Middleware(ServerTiming), Middleware(SecurityHeaders)]
    if config.cors_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(config.cors_origins),
                allow_methods=["GET", "POST"],
                allow_headers=["Accept", "Content-Type"],
            )
        )
    app = Starlette(
        routes=routes,
        middleware=middleware,
        lifespan=lifespan,
        exception_handlers={KgError: refused, Exception: crashed},
    )
    app.state.templates = pages.environment()
    return app


def serve(config: ServeConfig, **uvicorn_options: Any) -> None:
    """Run the server until interrupted."""
    uvicorn.run(
        create_app(config),
        host=config.host,
        port=config.port,
        log_level=uvicorn_options.pop("log_level", "warning"),
        server_header=False,
        **uvicorn_options,
    )
