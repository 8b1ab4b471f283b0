"""A remote store that misbehaves: a real HTTP server on a free loopback port that answers
as a SPARQL store does (uploads and updates acknowledged, the listing of graphs empty, every
graph read back empty)
except for the requests an attack takes over: it trickles, floods, redirects, answers in
HTML, or echoes the request's credentials back."""

from __future__ import annotations

import base64
import http.server
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote

EMPTY_LISTING = b'{"head":{"vars":["g"]},"results":{"bindings":[]}}'

Attack = Callable[["Request"], None]


@dataclass
class Request:
    """One request the store received, and the means to answer it."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    handler: http.server.BaseHTTPRequestHandler
    stop: threading.Event

    def answer(self, status: int, body: bytes = b"", content_type: str | None = None, **headers: str) -> None:
        self.handler.send_response(status)
        if content_type:
            self.handler.send_header("Content-Type", content_type)
        for name, value in headers.items():
            self.handler.send_header(name.replace("_", "-"), value)
        self.handler.send_header("Content-Length", str(len(body)))
        self.handler.end_headers()
        self.handler.wfile.write(body)

    def write(self, data: bytes) -> bool:
        """Send raw bytes; False once the client has gone or the store is closing."""
        if self.stop.is_set():
            return False
        try:
            self.handler.wfile.write(data)
            self.handler.wfile.flush()
        except OSError:
            return False
        return True

    def trickle(self, data: bytes, every: float = 2.0) -> None:
        """Send `data` one byte at a time, `every` seconds apart, for as long as anyone listens."""
        for byte in data:
            if not self.write(bytes([byte])) or self.stop.wait(every):
                return


@dataclass
class HostileStore:
    """The store; `attacks` maps "METHOD /path" to what answers it instead."""

    attacks: dict[str, Attack] = field(default_factory=dict)
    seen: list[Request] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.stop = threading.Event()
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def push_args(self) -> list[str]:
        return [
            "--store",
            f"{self.url}/store",
            "--query",
            f"{self.url}/query",
            "--update",
            f"{self.url}/update",
        ]

    def close(self) -> None:
        self.stop.set()
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> HostileStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _handler(self) -> type[http.server.BaseHTTPRequestHandler]:
        store = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _serve(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                path = self.path.split("?")[0]
                request = Request(self.command, self.path, dict(self.headers), body, self, store.stop)
                store.seen.append(request)
                attack = store.attacks.get(f"{self.command} {path}")
                if attack is not None:
                    attack(request)
                elif path == "/query":
                    request.answer(200, EMPTY_LISTING, "application/sparql-results+json")
                elif self.command == "GET":
                    request.answer(200, b"", "application/n-triples")  # it holds nothing
                else:
                    request.answer(204)

            do_GET = do_POST = do_PUT = do_DELETE = _serve

        return Handler


def flood(total: int, declared: bool, content_type: str = "application/n-triples") -> Attack:
    """An answer of `total` bytes of N-Triples, made as it is sent (never held here), its
    length declared in Content-Length or not (then the answer ends when the connection does)."""
    line = b"<urn:s> <urn:p> <urn:o> .\n"
    block = line * (2**20 // len(line))

    def attack(request: Request) -> None:
        request.handler.send_response(200)
        request.handler.send_header("Content-Type", content_type)
        if declared:
            request.handler.send_header("Content-Length", str(total))
        request.handler.end_headers()
        sent = 0
        while sent < total and request.write(block):
            sent += len(block)

    return attack


def trickled_head(request: Request) -> None:
    """The status line and headers, one byte every two seconds."""
    request.trickle(b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n")


def trickled_body(content_type: str) -> Attack:
    """Headers at once, then the body one byte every two seconds."""

    def attack(request: Request) -> None:
        request.handler.send_response(200)
        request.handler.send_header("Content-Type", content_type)
        request.handler.send_header("Content-Length", "100000")
        request.handler.end_headers()
        request.handler.wfile.flush()
        request.trickle(EMPTY_LISTING * 2000)

    return attack


def redirect(location: str, status: int = 307) -> Attack:
    return lambda request: request.answer(status, b"", None, Location=location)


def html(status: int = 200) -> Attack:
    page = b"<!DOCTYPE html><html><body><h1>Welcome to nginx!</h1></body></html>"
    return lambda request: request.answer(status, page, "text/html; charset=utf-8")


def echo(status: int = 500, padding: int = 0) -> Attack:
    """An error whose body repeats the request's headers, as debugging proxies do, and the
    credentials they carry, decoded, percent-encoded and as JSON, after `padding` bytes
    (so that a cut at the message's length could fall inside one). A request without
    credentials is asked for them first (401, Basic), as a store that needs a login does."""

    def attack(request: Request) -> None:
        if "Authorization" not in request.headers:
            request.answer(401, b"", None, WWW_Authenticate='Basic realm="store"')
            return
        scheme, _, value = request.headers.get("Authorization", "").partition(" ")
        secret = base64.b64decode(value).decode().partition(":")[2] if scheme == "Basic" else value
        echoed = {"error": "bad request", "request": request.headers, "credential": secret}
        body = "x" * padding + secret + " " + quote(secret, safe="") + " " + json.dumps(echoed)
        request.answer(status, body.encode(), "application/json")

    return attack


def busy_saying(phrase: str) -> Attack:
    """503 with `phrase` as the reason phrase."""

    def attack(request: Request) -> None:
        request.handler.send_response(503, phrase)
        request.handler.send_header("Retry-After", "0")
        request.handler.send_header("Content-Length", "0")
        request.handler.end_headers()

    return attack


def elapsed(since: float) -> float:
    return time.monotonic() - since
