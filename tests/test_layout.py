"""The package has the shape of its pipeline: each stage imports only from the stages
before it, and no stage imports the command line or its terminal rendering."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "kg"

# Each stage, and the stages its modules may import from. Arrows point down the pipeline:
# ask reads a build that may have been reasoned over (its stored answers are) and asks remote
# stores over store's HTTP client; check runs its SPARQL checks with ask's query runner;
# review (propose, review, diff) reads and compiles mappings and checks coverage.
# serve shows all of it (documents as kg coverage sees them), and no stage imports serve.
# synth writes mapping files as a person would, so it imports no stage.
STAGES: dict[str, set[str]] = {
    "mapping": set(),
    "compile": {"mapping"},
    "reason": {"mapping", "compile"},
    "store": {"mapping", "compile"},
    "ask": {"mapping", "compile", "reason", "store"},
    "check": {"mapping", "compile", "reason", "ask"},
    "review": {"mapping", "compile", "ask", "check"},
    "serve": {"mapping", "compile", "reason", "store", "ask", "check"},
    "synth": set(),
}
# Any stage may import these; they import no stage.
SHARED = {"vocab", "errors", "project", "cache", "sidebyside"}
INTERFACE = {"__init__", "__main__", "cli", "render"}  # may import any stage; no stage imports them


def _unit(path: Path) -> str:
    """The stage of a module in a subpackage, or the name of a top-level module."""
    return path.relative_to(PACKAGE).with_suffix("").parts[0]


def _imports(path: Path) -> set[str]:
    """The units of kg/ a module imports (in any scope), besides `from kg import __version__`."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "kg":
                names = [f"kg.{alias.name}" for alias in node.names if alias.name != "__version__"]
            else:
                names = [node.module]
        else:
            continue
        found |= {name.split(".")[1] for name in names if name.startswith("kg.")}
    return found


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_every_module_belongs_to_a_stage_or_the_shared_top() -> None:
    units = {_unit(path) for path in _modules()}
    assert units <= set(STAGES) | SHARED | INTERFACE, units - set(STAGES) - SHARED - INTERFACE
    assert set(STAGES) <= units


def test_stages_import_only_from_stages_before_them() -> None:
    wrong = []
    for path in _modules():
        unit = _unit(path)
        if unit in INTERFACE:
            continue
        allowed = {unit} | SHARED | STAGES.get(unit, set())
        for imported in sorted(_imports(path) - allowed):
            wrong.append(f"{path.relative_to(PACKAGE.parent)} imports kg.{imported}")
    assert not wrong, "\n".join(wrong)


def test_the_check_finds_a_backward_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("from kg.ask.query import run_query\nimport kg.cli\nfrom kg import render\n")
    assert _imports(module) == {"ask", "cli", "render"}
