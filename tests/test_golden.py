"""The minimal fixture compiles to exactly the graphs written by hand in expected.trig."""

from __future__ import annotations

from pathlib import Path

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from kg import Project, build
from kg.vocab import GRAPH, STATEMENT
from tests.conftest import FIXTURES, make_project

COMPARED = [GRAPH.registry, GRAPH["document-doc"], GRAPH.calendar]


def _graph(dataset: Dataset, name: str, blank_statements: bool) -> Graph:
    """One named graph; language tags lower-cased (they are case-insensitive, and
    rdflib's isomorphism test compares them as written)."""
    graph = Graph()
    nodes: dict[URIRef, BNode] = {}
    for s, p, o in dataset.graph(URIRef(name)):
        if blank_statements and isinstance(s, URIRef) and s.startswith(str(STATEMENT)):
            s = nodes.setdefault(s, BNode())
        if isinstance(o, Literal) and o.language:
            o = Literal(str(o), lang=o.language.lower())
        graph.add((s, p, o))
    return graph


def _describe(expected: Graph, actual: Graph) -> str:
    _, missing, extra = graph_diff(to_isomorphic(expected), to_isomorphic(actual))
    lines = ["missing:", *sorted(f"  {t}" for t in missing), "unexpected:", *sorted(f"  {t}" for t in extra)]
    return "\n".join(lines)


def test_minimal_fixture_matches_hand_written_graphs(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    report = build(Project.at(root))

    actual = Dataset()
    actual.parse(report.out / "graph.trig", format="trig")
    expected = Dataset()
    expected.parse(FIXTURES / "minimal" / "expected.trig", format="trig")
    for name in COMPARED:
        want = _graph(expected, name, blank_statements=False)
        got = _graph(actual, name, blank_statements=True)
        assert len(want) > 10
        assert isomorphic(want, got), f"{name}\n{_describe(want, got)}"
