"""sovereignty-kg: a knowledge graph of technology sovereignty with evidence for every fact."""

from importlib.metadata import version

__version__ = version("sovereignty-kg")

from kg.builder import BuildReport, build  # noqa: E402
from kg.errors import KgError  # noqa: E402
from kg.project import Project  # noqa: E402
from kg.query import QueryResult, open_graph, run_query  # noqa: E402

__all__ = ["BuildReport", "KgError", "Project", "QueryResult", "__version__", "build", "open_graph", "run_query"]
