"""The answers of the catalogue's queries on the seed graph, as tested in CI.

`python -m kg.ask.expected` rebuilds the seed graph (with reasoning) in a temporary folder, runs every named
query with its example parameters, and writes tests/queries/expected/NAME.csv (SPARQL 1.1
CSV results; Turtle for graph queries). Review the diff before committing it.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from kg.ask.catalogue import NamedQuery, catalogue
from kg.ask.query import Queryable, open_graph, serialize
from kg.compile.builder import build
from kg.errors import KgError
from kg.project import Project
from kg.reason import ReasoningOptions

EXPECTED = Path("tests") / "queries" / "expected"


def answer(store: Queryable, query: NamedQuery) -> str:
    """The query's answer for its example parameters, as text with \\n line ends."""
    fmt = "csv"
    data = serialize(store, query.text, fmt, query.values(query.example))
    return data.decode("utf-8").replace("\r\n", "\n")


def expected_file(root: Path, name: str) -> Path:
    return root / EXPECTED / f"{name}.csv"


def main(root: Path = Path(".")) -> None:
    project = Project.at(root)
    with tempfile.TemporaryDirectory() as tmp:
        report = build(project, Path(tmp) / "dist", reasoning=ReasoningOptions())
        with open_graph(report.out) as store:
            _write_answers(project, store)
    print(f"wrote {len(catalogue())} expected answers to {EXPECTED}/; review the diff (git diff {EXPECTED})")


def _write_answers(project: Project, store: Queryable) -> None:
    target = project.root / EXPECTED
    target.mkdir(parents=True, exist_ok=True)
    for stale in target.glob("*.csv"):
        if stale.stem not in catalogue():
            stale.unlink()
    for name, query in catalogue().items():
        expected_file(project.root, name).write_text(answer(store, query), encoding="utf-8")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m kg.ask.expected", description=__doc__.split("\n\n")[0])
    parser.add_argument("root", nargs="?", type=Path, default=Path("."), help="the project (default: .)")
    try:
        main(parser.parse_args().root)
    except KgError as exc:
        raise SystemExit(f"error: {exc}") from None
