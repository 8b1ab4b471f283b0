"""Real servers for the remote-store tests: an Oxigraph server (the `oxigraph` package's
binary) on a free loopback port, and a small HTTP gateway in front of it that can demand
credentials, answer 503 for a while, or alter what passes through, as real gateways do."""

from __future__ import annotations

import base64
import http.server
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class OxigraphServer:
    """`oxigraph serve` on a data folder; start() and stop() can be called again."""

    def __init__(self, location: Path) -> None:
        self.location = location
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        executable = Path(sys.executable).with_name("oxigraph")
        self.executable = str(executable) if executable.is_file() else shutil.which("oxigraph") or "oxigraph"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> OxigraphServer:
        command = [
            self.executable,
            "serve",
            "--location",
            str(self.location),
            "--bind",
            f"127.0.0.1:{self.port}",
        ]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                httpx.post(
                    f"{self.url}/query",
                    content="ASK {}",
                    headers={"Content-Type": "application/sparql-query"},
                )
                return self
            except httpx.TransportError:
                if self.process.poll() is not None:
                    _, message = self.process.communicate()
                    raise RuntimeError(f"oxigraph serve exited: {message.decode()}") from None
                time.sleep(0.1)
        raise RuntimeError("oxigraph serve did not answer within 30 s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        if self.process and self.process.stderr:
            self.process.stderr.close()
        self.process = None

    def select(self, query: str) -> list[dict[str, str]]:
        """A SELECT on the server, read with nothing of kg's: {variable: value} per row."""
        response = httpx.post(
            f"{self.url}/query",
            content=query,
            headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
        )
        response.raise_for_status()
        return [{k: v["value"] for k, v in row.items()} for row in response.json()["results"]["bindings"]]

    def counts(self) -> dict[str, int]:
        """Triples per graph, "" for the default graph."""
        rows = self.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        default = self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return {"": int(default[0]["n"]), **{r["g"]: int(r["n"]) for r in rows}}


@dataclass
class Seen:
    method: str
    path: str
    status: int
    at: float
    authorization: str | None


@dataclass
class Gateway:
    """An HTTP proxy to `upstream`. `credentials` (user, password) makes it demand basic
    authentication or a bearer `token`; `failures` are statuses answered (with Retry-After:
    `retry_after`) to the next requests instead of forwarding them; `alter` rewrites the body
    of a request (method, body) on its way up."""

    upstream: str
    credentials: tuple[str, str] | None = None
    token: str | None = None
    failures: list[int] = field(default_factory=list)
    retry_after: str = "1"
    alter: Callable[[str, bytes], bytes] | None = None
    seen: list[Seen] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _allowed(self, header: str | None) -> bool:
        if self.token:
            return header == f"Bearer {self.token}"
        if self.credentials:
            expected = base64.b64encode(":".join(self.credentials).encode()).decode()
            return header == f"Basic {expected}"
        return True

    def _handler(self) -> type[http.server.BaseHTTPRequestHandler]:
        gateway = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _relay(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                authorization = self.headers.get("Authorization")
                if not gateway._allowed(authorization):
                    self._answer(
                        401, {"WWW-Authenticate": 'Basic realm="store"'}, b"unauthorized", authorization
                    )
                elif gateway.failures:
                    status = gateway.failures.pop(0)
                    self._answer(status, {"Retry-After": gateway.retry_after}, b"busy", authorization)
                else:
                    if gateway.alter:
                        body = gateway.alter(self.command, body)
                    headers = {
                        k: v
                        for k, v in self.headers.items()
                        if k.lower() not in ("host", "authorization", "content-length")
                    }
                    upstream = httpx.request(  # as long as the store needs: a loaded machine is slow
                        self.command, gateway.upstream + self.path, content=body, headers=headers, timeout=120
                    )
                    kept = {
                        k: v for k, v in upstream.headers.items() if k.lower() in ("content-type", "location")
                    }
                    self._answer(upstream.status_code, kept, upstream.content, authorization)

            def _answer(
                self, status: int, headers: dict[str, str], body: bytes, authorization: str | None
            ) -> None:
                gateway.seen.append(Seen(self.command, self.path, status, time.monotonic(), authorization))
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PUT = do_DELETE = _relay

        return Handler
