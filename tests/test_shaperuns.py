"""What a shape reads (kg.check.shaperuns), on small shapes and data written here; the
project's own shapes are checked against the whole graph in test_shacl_engines."""

from __future__ import annotations

import hashlib
from pathlib import Path

from rdflib import Graph, URIRef

from kg import BuildReport
from kg.ask.reads import EVERYTHING, sparql_reads
from kg.check.shaperuns import (
    Census,
    Part,
    Run,
    entry_shapes,
    handed_digests,
    plan,
    shape_reads,
    target_classes,
    triples_read,
)
from kg.check.validate import load_shapes
from tests.conftest import REPO

EX = "http://example.org/"
HEADER = f"""
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <{EX}> .
"""
NS = {"ex": EX, "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#"}


def _shapes(text: str) -> Graph:
    return Graph().parse(data=HEADER + text, format="turtle")


def _names(iris: frozenset[str]) -> set[str]:
    return {iri.removeprefix(EX) for iri in iris}


def test_a_query_reads_the_predicates_and_classes_of_its_patterns() -> None:
    reads = sparql_reads(
        "SELECT $this WHERE { ?s ex:p ?o ; a ex:C . FILTER NOT EXISTS { ?o ex:q|ex:r/ex:s ?z } }", NS
    )
    assert (_names(reads.predicates), _names(reads.classes), reads.everything) == (
        {"p", "q", "r", "s"},
        {"C"},
        False,
    )
    assert _names(sparql_reads("SELECT * WHERE { ?s a ?kind }", NS).predicates) == {
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"  # every type
    }


def test_a_variable_predicate_a_negated_path_or_a_query_that_does_not_parse_reads_everything() -> None:
    for query in (
        "SELECT $this WHERE { $this ?p ?o FILTER (?p IN (ex:a)) }",
        "SELECT $this WHERE { $this !ex:a ?o }",
        "SELECT $this WHERE { $this ex:a }",
    ):
        assert sparql_reads(query, NS).everything, query


def test_on_the_focus_node_a_predicate_read_only_from_or_towards_it_is_anchored() -> None:
    reads = sparql_reads(
        "SELECT $this WHERE { $this ex:p ?o . ?s ex:q $this . ?o ex:r ?x . ?x ex:p ?y }", NS, True
    )
    assert (_names(reads.of_focus), _names(reads.to_focus), _names(reads.predicates)) == (
        set(),
        {"q"},
        {"p", "r"},
    )


def test_one_step_of_a_path_from_or_towards_the_focus_node_is_anchored() -> None:
    """`$this ex:a|ex:b ?x` reads ex:a and ex:b only from the focus node (as a label or a
    description of it, say); a longer path is read anywhere."""
    reads = sparql_reads(
        "SELECT $this WHERE { $this ex:a|ex:b ?x . $this ^ex:c ?y . ?z ex:d|^ex:e $this ."
        " $this ex:f/ex:g ?w . $this ex:h|ex:i/ex:j ?v . $this ex:k* ?u }",
        NS,
        True,
    )
    assert (_names(reads.of_focus), _names(reads.to_focus), _names(reads.predicates)) == (
        {"a", "b", "e"},
        {"c", "d"},
        {"f", "g", "h", "i", "j", "k"},
    )


def test_a_predicate_also_read_from_the_values_is_not_anchored() -> None:
    shapes = _shapes("""
        ex:S a sh:NodeShape ; sh:targetClass ex:A ;
            sh:property [ sh:path ex:p ; sh:minCount 1 ] ,
                        [ sh:path ex:q ; sh:node [ sh:property [ sh:path ex:p ; sh:minCount 1 ] ] ] ,
                        [ sh:path [ sh:inversePath ex:r ] ; sh:class ex:B ] .
    """)
    reads = shape_reads(shapes, URIRef(EX + "S"))
    assert (_names(reads.of_focus), _names(reads.to_focus)) == ({"q"}, {"r"})
    assert _names(reads.predicates) >= {"p"} and _names(reads.classes) == {"A", "B"}


def test_a_constraint_also_used_on_values_and_a_shape_that_refers_to_itself_are_not_anchored() -> None:
    shapes = _shapes("""
        ex:S a sh:NodeShape ; sh:targetClass ex:A ; sh:sparql ex:Check ;
            sh:property [ sh:path ex:q ; sh:node ex:T ] .
        ex:T a sh:NodeShape ; sh:sparql ex:Check .
        ex:Check sh:select "SELECT $this WHERE { $this <http://example.org/p> ?x }" .
        ex:U a sh:NodeShape ; sh:targetClass ex:A ;
            sh:property [ sh:path ex:p ; sh:minCount 1 ] , [ sh:path ex:q ; sh:node ex:U ] .
    """)
    assert _names(shape_reads(shapes, URIRef(EX + "S")).of_focus) == {"q"}
    assert shape_reads(shapes, URIRef(EX + "U")).of_focus == frozenset()


def test_a_closed_shape_reads_everything_and_targets_other_than_classes_are_not_split() -> None:
    shapes = _shapes("""
        ex:S a sh:NodeShape ; sh:targetClass ex:A ; sh:closed true ; sh:property [ sh:path ex:p ] .
        ex:T a sh:NodeShape ; sh:targetSubjectsOf ex:p ; sh:targetClass ex:A .
    """)
    assert shape_reads(shapes, URIRef(EX + "S")).everything
    assert entry_shapes(shapes) == [URIRef(EX + "S"), URIRef(EX + "T")]
    assert target_classes(shapes, URIRef(EX + "S")) == frozenset({EX + "A"})
    assert target_classes(shapes, URIRef(EX + "T")) is None


def test_a_run_takes_the_types_of_subclasses_and_its_part_of_the_focus_nodes(tmp_path: Path) -> None:
    data = tmp_path / "data.nt"
    lines = [
        f"<{EX}Sub> <http://www.w3.org/2000/01/rdf-schema#subClassOf> <{EX}A> .",
        f"<{EX}x> <{EX}other> <{EX}y> .",
    ]
    lines += [f"<{EX}a{i}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{EX}Sub> ." for i in range(20)]
    lines += [f"<{EX}a{i}> <{EX}p> <{EX}b{i}> ." for i in range(20)]
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    shapes = _shapes(
        "ex:S a sh:NodeShape ; sh:targetClass ex:A ; sh:property [ sh:path ex:p ; sh:minCount 1 ] ."
    )
    reads, census = shape_reads(shapes, URIRef(EX + "S")), Census.of([data])
    whole, _ = triples_read([data], Run((EX + "S",), reads), census)
    assert whole.decode().splitlines() == [line for line in lines if "other" not in line]
    focus: list[bytes] = []
    for i in range(3):
        part, own = triples_read([data], Run((EX + "S",), reads, Part(i, 3, frozenset({EX + "A"}))), census)
        assert {line.split()[0] for line in part.decode().splitlines() if f"<{EX}p>" in line} == {
            term.decode() for term in own
        }
        focus += own
    assert sorted(focus) == sorted(f"<{EX}a{i}>".encode() for i in range(20))


def test_runs_hold_every_shape_once_and_split_the_big_ones(tmp_path: Path) -> None:
    data = tmp_path / "data.nt"
    lines = [f"<{EX}a{i}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{EX}A> ." for i in range(30)]
    lines += [f"<{EX}a{i}> <{EX}p> <{EX}b{i}> ." for i in range(30)]
    lines += [f"<{EX}c{i}> <{EX}q> <{EX}d{i}> ." for i in range(5)]
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    shapes = _shapes("""
        ex:Big a sh:NodeShape ; sh:targetClass ex:A ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .
        ex:Small a sh:NodeShape ; sh:targetSubjectsOf ex:q ; sh:property [ sh:path ex:q ; sh:maxCount 1 ] .
        ex:Tiny a sh:NodeShape ; sh:targetSubjectsOf ex:q ; sh:property [ sh:path ex:q ; sh:minCount 1 ] .
    """)
    entries = {str(shape): shape_reads(shapes, shape) for shape in entry_shapes(shapes)}
    census = Census.of([data])
    runs = plan(entries, census, {name: target_classes(shapes, URIRef(name)) for name in entries}, 50)
    assert [(run.shapes, run.part and run.part.count) for run in runs] == [
        ((EX + "Small", EX + "Tiny"), None),
        ((EX + "Big",), 2),
        ((EX + "Big",), 2),
    ]
    assert census.size(entries[EX + "Big"]) == 60 and census.size(runs[0].reads) == 5
    by_focus = plan(
        entries, census, {name: target_classes(shapes, URIRef(name)) for name in entries}, 1000, 7
    )
    assert [(run.shapes, run.part and run.part.count) for run in by_focus] == [
        ((EX + "Small", EX + "Tiny"), None),
        *[((EX + "Big",), 5)] * 5,  # 30 focus nodes, at most 7 a run
    ]


def test_the_digests_of_every_run_in_one_pass_are_those_of_what_each_run_is_handed(
    seed_build: BuildReport,
) -> None:
    """`kg validate` looks up each run's report in its cache by what `handed_digests` gives,
    in one pass: runs packed, split by focus node (with predicates read from and towards
    the focus nodes), and one that reads everything."""
    shapes = load_shapes(REPO / "ontology" / "shapes")
    files = [seed_build.out / "graph.nt", seed_build.out / "inferred.nt"]
    census = Census.of(files)
    entries = {str(shape): shape_reads(shapes, shape) for shape in entry_shapes(shapes)}
    targets = {name: target_classes(shapes, URIRef(name)) for name in entries}
    runs = [*plan(entries, census, targets, 3000, 200), Run((), EVERYTHING)]
    assert sum(1 for run in runs if run.part) >= 6 and any(run.reads.to_focus for run in runs if run.part)
    handed = []
    for run in runs:
        data, focus = triples_read(files, run, census)
        handed.append((hashlib.sha256(data).hexdigest(), hashlib.sha256(b"\n".join(focus)).hexdigest()))
    assert handed_digests(files, runs, census) == handed
    assert len(set(handed)) == len(runs)
