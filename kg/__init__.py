"""sovereignty-kg: a knowledge graph of technology sovereignty with evidence for every fact.

The public names below are imported when first used (PEP 562), so that `kg --version` and
other light commands start without loading RDF libraries.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg.ask.catalogue import catalogue, run_named
    from kg.ask.placement import Placement
    from kg.ask.query import QueryResult, labels, open_graph, run_query
    from kg.ask.remote import Endpoint
    from kg.compile.builder import BuildReport, build
    from kg.errors import KgError
    from kg.project import Project

_HOMES = {
    "BuildReport": "kg.compile.builder",
    "Endpoint": "kg.ask.remote",
    "KgError": "kg.errors",
    "Placement": "kg.ask.placement",
    "Project": "kg.project",
    "QueryResult": "kg.ask.query",
    "build": "kg.compile.builder",
    "catalogue": "kg.ask.catalogue",
    "labels": "kg.ask.query",
    "open_graph": "kg.ask.query",
    "run_named": "kg.ask.catalogue",
    "run_query": "kg.ask.query",
}

__all__ = [
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


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import version

        value: Any = version("sovereignty-kg")
    elif name in _HOMES:
        value = getattr(import_module(_HOMES[name]), name)
    else:
        raise AttributeError(f"module 'kg' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOMES, "__version__"])
