"""The build's quad table gives what sorting distinct pyoxigraph quads by their text gives."""

from __future__ import annotations

import io
import random
from pathlib import Path

import numpy as np
import pyoxigraph as ox
from hypothesis import given, settings
from hypothesis import strategies as st

from kg import BuildReport
from kg.compile.quadtable import QuadTable

EX = "http://example.org/"
XSD_STRING = ox.NamedNode("http://www.w3.org/2001/XMLSchema#string")


def _text(quad: ox.Quad) -> tuple[str, str, str, str]:
    return str(quad.graph_name), str(quad.subject), str(quad.predicate), str(quad.object)


def _quads() -> list[ox.Quad]:
    """Terms whose text order is not their order of arrival: IRIs that are prefixes of others
    (`<a>` sorts after `<a/>`), literals in several languages and types, a blank node, the
    default graph; each quad twice, one literal written two ways."""
    rng = random.Random(7)
    nodes = [ox.NamedNode(EX + name) for name in ("a", "a/", "a/b", "b", "ab", "Z", "é")]
    values: list[ox.NamedNode | ox.BlankNode | ox.Literal] = [
        ox.Literal("1"),
        ox.Literal("1", datatype=XSD_STRING),  # the same term as "1"
        ox.Literal("1", language="en"),
        ox.Literal("國", language="zh"),
        ox.Literal("2", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
        ox.BlankNode("b0"),
        *nodes,
    ]
    graphs: list[ox.NamedNode | ox.DefaultGraph] = [ox.DefaultGraph(), *nodes[:3]]
    quads = [
        ox.Quad(rng.choice(nodes), rng.choice(nodes), rng.choice(values), rng.choice(graphs))
        for _ in range(400)
    ]
    quads += quads
    rng.shuffle(quads)
    return quads


def test_sorted_quads_are_the_distinct_quads_in_text_order() -> None:
    quads = _quads()
    expected = sorted({_text(q): q for q in quads}.values(), key=_text)
    assert [_text(q) for q in QuadTable(quads).sorted()] == [_text(q) for q in expected]


def test_triples_are_the_distinct_triples_of_all_graphs_in_text_order() -> None:
    quads = _quads()
    expected = sorted({_text(q)[1:] for q in quads})
    got = [(str(t.subject), str(t.predicate), str(t.object)) for t in QuadTable(quads).triples()]
    assert got == expected


def test_one_graph_and_one_predicate_of_the_sorted_quads() -> None:
    quads = _quads()
    ordered = QuadTable(quads).sorted()
    graph, predicate = ox.NamedNode(EX + "a/"), ox.NamedNode(EX + "b")
    assert list(ordered.graph(graph)) == [q.triple for q in ordered if q.graph_name == graph]
    assert list(ordered.with_predicate(predicate.value)) == [q for q in ordered if q.predicate == predicate]
    assert ordered.graph_sizes() == {
        name.value: sum(q.graph_name == name for q in ordered)
        for name in {q.graph_name for q in quads}
        if isinstance(name, ox.NamedNode)
    }
    assert list(ordered.graph(ox.NamedNode(EX + "nowhere"))) == []


def test_others_are_the_rows_not_already_there_once_each_in_order() -> None:
    triples = QuadTable(_quads()).triples()
    candidates = np.concatenate([triples.rows[::7], triples.rows[:, ::-1], triples.rows[:, ::-1]])
    there = {tuple(row) for row in triples.rows.tolist()}
    expected = sorted({tuple(row) for row in candidates.tolist()} - there)
    assert [tuple(row) for row in triples.others(candidates).rows.tolist()] == expected


def test_discard_leaves_out_a_triple_in_every_graph() -> None:
    quads = _quads()
    table = QuadTable(quads)
    gone = {
        quads[0].triple,
        quads[1].triple,
        ox.Triple(ox.NamedNode(EX + "never"), quads[0].predicate, quads[0].object),
    }
    table.discard(gone)
    assert list(table) == [q for q in quads if q.triple not in gone]


def test_subjects_of_a_predicate_with_one_of_some_objects() -> None:
    quads = _quads()
    table = QuadTable(quads)
    link, wanted = EX + "a/", {EX + "b", EX + "é", EX + "never"}
    expected = {
        q.subject
        for q in quads
        if q.predicate.value == link and isinstance(q.object, ox.NamedNode) and q.object.value in wanted
    }
    assert len(expected) > 1
    assert table.subjects(link, wanted) == expected
    assert table.subjects(EX + "never", wanted) == set()
    assert table.subjects(link, {EX + "never"}) == set()


def test_the_built_files_are_sorted_and_distinct(seed_build: BuildReport) -> None:
    out = Path(seed_build.out)
    quads = [_text(q) for q in ox.parse(path=str(out / "graph.nq"), format=ox.RdfFormat.N_QUADS)]
    assert quads == sorted(set(quads))
    for name in ("graph.nt", "inferred.nt"):
        triples = [
            (str(t.subject), str(t.predicate), str(t.object))
            for t in ox.parse(path=str(out / name), format=ox.RdfFormat.N_TRIPLES)
        ]
        assert triples == sorted(set(triples)), name


_LITERAL_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=12)
_NODES = st.sampled_from([ox.NamedNode(EX + name) for name in ("a", "a/b", "é", "q?x=1#f")])
_VALUES = st.one_of(
    _NODES,
    st.builds(ox.BlankNode, st.sampled_from(["b0", "x1"])),
    st.builds(ox.Literal, _LITERAL_TEXT),
    st.builds(lambda v, tag: ox.Literal(v, language=tag), _LITERAL_TEXT, st.sampled_from(["en", "zh-Hans"])),
    st.builds(
        lambda v, t: ox.Literal(v, datatype=ox.NamedNode(t)), _LITERAL_TEXT, st.sampled_from([EX + "t"])
    ),
)
_QUADS = st.lists(
    st.builds(ox.Quad, _NODES, _NODES, _VALUES, st.one_of(st.just(ox.DefaultGraph()), _NODES)), max_size=30
)


@settings(max_examples=200, deadline=None)
@given(_QUADS)
def test_lines_written_are_the_bytes_pyoxigraph_serialises(quads: list[ox.Quad]) -> None:
    """Control characters, quotes, backslashes and any other text in literals; every kind of
    term; the default graph beside named ones."""
    table = QuadTable(quads)
    for ordered, fmt in ((table.sorted(), ox.RdfFormat.N_QUADS), (table.triples(), ox.RdfFormat.N_TRIPLES)):
        written = io.BytesIO()
        ordered.write_lines(written)
        assert written.getvalue() == ox.serialize(ordered, format=fmt)
