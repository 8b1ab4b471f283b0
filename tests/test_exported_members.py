"""The public API is small and deliberate: a change to it is a decision, not an accident."""

from __future__ import annotations

import subprocess
import sys

import kg


def test_exported_members() -> None:
    assert sorted(kg.__all__) == [
        "BuildReport",
        "Endpoint",
        "KgError",
        "Placement",
        "Project",
        "QueryResult",
        "__version__",
        "build",
        "catalogue",
        "labels",
        "open_graph",
        "run_named",
        "run_query",
    ]
    for name in kg.__all__:
        assert hasattr(kg, name)


def test_python_dash_m_kg_runs_the_cli() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "kg", "--version"], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == f"sovereignty-kg {kg.__version__}"


def test_light_commands_load_no_rdf_library() -> None:
    """`kg --version`, `kg --help` and `kg queries` start fast: the RDF, SHACL and OWL
    libraries are imported by the commands that use them (benchmarks/startup.py times it)."""
    heavy = ("rdflib", "pyshacl", "owlready2", "edtf", "pint", "httpx")
    for args in (["--version"], ["--help"], ["queries"]):
        probe = (
            "import sys; from kg.cli import app; sys.argv = ['kg', *sys.argv[1:]]\n"
            "try:\n    app()\nexcept SystemExit:\n    pass\n"
            f"print(sorted(m for m in {heavy!r} if m in sys.modules), file=sys.stderr)"
        )
        result = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True)
        assert result.stderr.strip().splitlines()[-1] == "[]", (args, result.stderr)


def test_public_names_resolve_to_their_modules() -> None:
    from kg.ask.query import run_query
    from kg.compile.builder import build

    assert kg.build is build and kg.run_query is run_query
    assert "build" in dir(kg)


def test_export_format_names_of_the_cli_are_those_of_the_exporter() -> None:
    from kg.cli import EXPORT_FORMATS
    from kg.store.export import FORMATS

    assert list(EXPORT_FORMATS) == list(FORMATS)
