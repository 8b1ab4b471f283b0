"""sovereignty-kg: a knowledge graph of technology sovereignty with evidence for every fact."""

from importlib.metadata import version

__version__ = version("sovereignty-kg")

from kg.ask.catalogue import catalogue, run_named
from kg.ask.query import QueryResult, labels, open_graph, run_query
from kg.ask.remote import Endpoint
from kg.compile.builder import BuildReport, build
from kg.errors import KgError
from kg.project import Project

__all__ = [
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
