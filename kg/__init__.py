"""sovereignty-kg: a knowledge graph of technology sovereignty with evidence for every fact."""

from importlib.metadata import version

__version__ = version("sovereignty-kg")

from kg.builder import BuildReport, build
from kg.catalogue import catalogue, run_named
from kg.errors import KgError
from kg.project import Project
from kg.query import QueryResult, labels, open_graph, run_query
from kg.remote import Endpoint

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
