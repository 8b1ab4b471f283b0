"""Shared fixtures: the seed graph built once per session, throwaway projects, and an
outbound canary: an HTTP listener that no query or page may ever reach."""

from __future__ import annotations

import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import BuildReport, Project, build, open_graph
from kg.ask.query import Graph, Queryable
from kg.reason import ReasoningOptions
from kg.synth.corpus import synthesize
from kg.vocab import PREFIXES

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
# The 17 rare-earth elements (IUPAC): scandium, yttrium and the lanthanides.
RARE_EARTHS = {
    "Sc",
    "Y",
    "La",
    "Ce",
    "Pr",
    "Nd",
    "Pm",
    "Sm",
    "Eu",
    "Gd",
    "Tb",
    "Dy",
    "Ho",
    "Er",
    "Tm",
    "Yb",
    "Lu",
}


def make_project(tmp_path: Path, fixture: str = "minimal") -> Path:
    """A copy of a fixture project (mappings + seeds) with the real ontology."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / fixture, root, ignore=shutil.ignore_patterns("expected*"))
    shutil.copytree(REPO / "ontology", root / "ontology")
    return root


SYNTHETIC_DOCUMENTS = 12  # documents of the `synthetic` project


@pytest.fixture
def synthetic(tmp_path: Path) -> Path:
    """A project `kg synth` writes, of SYNTHETIC_DOCUMENTS documents (seed 7)."""
    root = tmp_path / "synthetic"
    synthesize(Project.at(REPO), SYNTHETIC_DOCUMENTS, root, seed=7)
    return root


def built_files(dist: Path) -> dict[str, bytes]:
    """The files of a build folder by name, to compare two builds byte for byte."""
    return {p.relative_to(dist).as_posix(): p.read_bytes() for p in sorted(dist.rglob("*")) if p.is_file()}


def damaged_copy(build: Path, tmp_path: Path, name: str, line: int) -> Path:
    """A copy of the build in `build` whose file `name` has a broken line put in as line `line`."""
    damaged = tmp_path / "dist"
    shutil.copytree(build, damaged)
    lines = (damaged / name).read_bytes().splitlines(keepends=True)
    (damaged / name).write_bytes(b"".join(lines[: line - 1]) + b"<broken\n" + b"".join(lines[line - 1 :]))
    return damaged


def select(store: Queryable, query: str) -> list[dict[str, str]]:
    """Rows of a SELECT as {variable: lexical value}, unbound variables left out."""
    solutions = store.query(query, prefixes=PREFIXES)
    assert isinstance(solutions, ox.QuerySolutions)
    names = [v.value for v in solutions.variables]
    return [{n: s[n].value for n in names if s[n] is not None} for s in solutions]


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory: pytest.TempPathFactory) -> BuildReport:
    return build(Project.at(REPO), tmp_path_factory.mktemp("seed") / "dist", reasoning=ReasoningOptions())


@pytest.fixture(scope="session")
def seed_store(seed_build: BuildReport) -> Iterator[Graph]:
    with open_graph(seed_build.out) as graph:
        yield graph


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
