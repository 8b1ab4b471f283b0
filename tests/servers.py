"""Real servers for the remote-store tests: an Oxigraph server (the `oxigraph` package's
binary) on a free loopback port, a small HTTP gateway in front of it that can demand
credentials, answer 503 for a while, or alter what passes through, as real gateways do, and
Virtuoso (Debian's binaries, run as a child process with a database of its own)."""

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


class VirtuosoServer:
    """Virtuoso Open Source (`virtuoso-t` and `isql-vt` from Debian's
    virtuoso-opensource-7-bin) on two free loopback ports (SQL and HTTP), with its database,
    settings and bulk-load folder (`loads`, the only folder its loader may read) under
    `folder`. At first start the default passwords of the `dba` and `dav` accounts are
    replaced by `password`; `buffers` is its page cache, in 8 KiB pages."""

    def __init__(self, folder: Path, password: str, buffers: int = 20_000) -> None:
        self.folder = folder
        self.loads = folder / "load"
        self.password = password
        self.sql_port, self.http_port = free_port(), free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.fresh = True
        self.loads.mkdir(parents=True, exist_ok=True)
        self.settings = folder / "virtuoso.ini"
        self.settings.write_text(
            VIRTUOSO_INI.format(
                db=folder / "db",
                loads=self.loads,
                sql=self.sql_port,
                http=self.http_port,
                buffers=buffers,
                dirty=buffers * 3 // 4,
            ),
            encoding="utf-8",
        )
        (folder / "db").mkdir(exist_ok=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    def start(self) -> VirtuosoServer:
        command = ["virtuoso-t", "+foreground", "+configfile", str(self.settings)]
        log = self.folder / "server.log"
        with log.open("ab") as output:
            seen = output.tell()  # what earlier runs logged
            self.process = subprocess.Popen(command, cwd=self.folder, stdout=output, stderr=subprocess.STDOUT)
        online = f"Server online at 127.0.0.1:{self.sql_port}"
        deadline = time.monotonic() + 120
        while online not in (logged := log.read_bytes()[seen:].decode("utf-8", "replace")):
            if self.process.poll() is not None:
                raise RuntimeError(f"virtuoso-t exited: {logged}")
            if time.monotonic() > deadline:
                raise RuntimeError("virtuoso-t did not start within 120 s")
            time.sleep(0.2)
        if self.fresh:
            self.isql(
                f"USER_CHANGE_PASSWORD('dav', 'dav', '{self.password}')",
                f"USER_CHANGE_PASSWORD('dba', 'dba', '{self.password}')",
                password="dba",
            )
            self.fresh = False
        return self

    def stop(self) -> None:
        """An orderly shutdown: a checkpoint, so that what the bulk loader wrote is kept."""
        if self.process and self.process.poll() is None:
            self.isql("shutdown")
            self.process.wait(timeout=120)
        self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def isql(self, *statements: str, password: str | None = None) -> str:
        """Run SQL statements as `dba`; fail on any error Virtuoso reports."""
        script = "".join(f"{statement};\n" for statement in statements)
        done = subprocess.run(
            ["isql-vt", f"127.0.0.1:{self.sql_port}", "dba", password or self.password],
            input=script,
            capture_output=True,
            text=True,
            timeout=3600,
        )
        if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
            raise RuntimeError(f"isql failed: {done.stdout}{done.stderr}")
        return done.stdout

    def bulk_load(self, *files: Path) -> None:
        """Virtuoso's bulk loader, as the README says: files in `loads`, then ld_dir,
        rdf_loader_run and a checkpoint; fail if any file was not loaded whole."""
        for file in files:
            self.isql(f"ld_dir('{self.loads}', '{file.name}', 'urn:sovereignty-kg:no-graph')")
        self.isql("rdf_loader_run()", "checkpoint")
        errors = self.isql("SELECT ll_file, ll_error FROM DB.DBA.load_list WHERE ll_error IS NOT NULL")
        if "0 Rows." not in errors:
            raise RuntimeError(f"the bulk loader failed: {errors}")

    def add_user(self, user: str, password: str) -> None:
        """An account that may change graphs over HTTP (Graph Store and SPARQL Update)."""
        self.isql(f"DB.DBA.USER_CREATE('{user}', '{password}')", f'GRANT SPARQL_UPDATE TO "{user}"')

    def select(self, query: str) -> list[dict[str, str]]:
        """A SELECT on the public endpoint, read with nothing of kg's."""
        response = httpx.post(
            f"{self.url}/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"}
        )
        response.raise_for_status()
        return [{k: v["value"] for k, v in row.items()} for row in response.json()["results"]["bindings"]]

    def counts(self, prefix: str) -> dict[str, int]:
        """Triples per graph whose IRI starts with `prefix`."""
        rows = self.select(
            f'SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER (STRSTARTS(STR(?g), "{prefix}")) }} '
            "GROUP BY ?g"
        )
        return {r["g"]: int(r["n"]) for r in rows}


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa

[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{sql}
DirsAllowed = {loads}
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}

[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerThreads = 10

[SPARQL]
ResultSetMaxRows = 1000000
"""
