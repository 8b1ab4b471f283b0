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
