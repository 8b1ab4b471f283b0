"""The hostile-input suite: every attack of issue 13, each as a class of inputs.

A canary HTTP listener runs for the whole suite: attacks point SERVICE, FROM, endpoints
and redirects at it, and any request that reaches it fails the suite."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator

import pytest


class Canary:
    def __init__(self) -> None:
        self.hits: list[str] = []
        canary = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _hit(self) -> None:
                canary.hits.append(f"{self.command} {self.path}")
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.end_headers()
                self.wfile.write(b'{"head":{"vars":["x"]},"results":{"bindings":[]}}')

            do_GET = do_POST = do_PUT = _hit

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/sparql"


@pytest.fixture(scope="session")
def canary() -> Iterator[Canary]:
    listener = Canary()
    yield listener
    listener.server.shutdown()
    listener.server.server_close()
    assert listener.hits == [], f"requests reached the canary: {listener.hits}"


@pytest.fixture(autouse=True)
def _no_request_reached_the_canary(canary: Canary) -> Iterator[None]:
    yield
    assert canary.hits == [], f"requests reached the canary: {canary.hits}"
