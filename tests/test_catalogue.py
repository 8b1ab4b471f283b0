"""The catalogue of competency queries: documented, answered as expected on the seed graph,
and answered identically by rdflib's engine (a differential test of the embedded one)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.term import Node

from kg import BuildReport, KgError
from kg.ask.catalogue import catalogue, named_query
from kg.ask.expected import answer, expected_file
from kg.ask.limits import Limits
from kg.ask.prepare import prepare
from kg.ask.query import run_query
from kg.vocab import PREFIXES
from tests.conftest import REPO

NAMES = sorted(catalogue())
XSD = "http://www.w3.org/2001/XMLSchema#"
# Oxigraph stores the integer subtypes (nonNegativeInteger, positiveInteger…) as xsd:integer.
SAME = {XSD + "string": "", **{XSD + t: XSD + "integer" for t in ("nonNegativeInteger", "positiveInteger")}}


@pytest.fixture(scope="module")
def rdflib_dataset(seed_build: BuildReport) -> Dataset:
    """The same built graph in rdflib: the merged graph as default graph, plus named graphs."""
    dataset = Dataset()
    dataset.parse(seed_build.out / "graph.nq", format="nquads")
    dataset.default_graph.parse(seed_build.out / "graph.nt", format="nt")
    dataset.default_graph.parse(seed_build.out / "inferred.nt", format="nt")
    return dataset


def test_catalogue_documents_every_query() -> None:
    assert len(NAMES) >= 25
    for name in NAMES:
        query = catalogue()[name]
        assert query.title and query.title != name, name
        assert len(query.description) > 30, name
        for param in query.params:
            used = rf"\?{param.name}_(start|end)\b" if param.type == "period" else rf"\?{param.name}\b"
            assert re.search(used, query.text), f"{name}: ?{param.name} is not used"
            assert param.name in query.example, f"{name}: no example for {param.name}"
        assert set(query.example) == {p.name for p in query.params}, name
        query.values(query.example)


def test_every_query_gives_each_row_once_where_the_default_graph_is_a_union() -> None:
    """Virtuoso and GraphDB answer the default graph with the union of all graphs, where a
    triple two documents state is seen twice (tests/test_virtuoso.py runs them there)."""
    for name in NAMES:
        text = catalogue()[name].text
        assert re.search(r"^SELECT DISTINCT\b", text, re.MULTILINE), f"{name}: not SELECT DISTINCT"
        assert not re.search(r"\b(COUNT|SUM|AVG)\((?!DISTINCT)", text), (
            f"{name}: an aggregate counts duplicates"
        )


@pytest.mark.parametrize("name", NAMES)
def test_expected_answer_on_the_seed_graph(name: str, seed_store: ox.Store) -> None:
    expected = expected_file(REPO, name).read_text(encoding="utf-8")
    got = answer(seed_store, catalogue()[name])
    assert got == expected, (
        f"the answer of '{name}' changed: run 'python -m kg.ask.expected' and review the diff"
    )


@pytest.mark.parametrize("name", NAMES)
def test_rdflib_gives_the_same_answer(name: str, seed_store: ox.Store, rdflib_dataset: Dataset) -> None:
    query = catalogue()[name]
    values = query.values(query.example)
    ours = run_query(seed_store, query.text, values)
    theirs = rdflib_dataset.query(prepare(query.text, values, Limits()).text, initNs=PREFIXES)
    ours_rows = Counter(tuple(_ox(t) for t in row) for row in ours.rows)
    theirs_rows = Counter(tuple(_rdflib(row.asdict().get(v)) for v in ours.variables) for row in theirs)  # type: ignore[union-attr]
    assert ours_rows == theirs_rows


def test_missing_unknown_and_malformed_parameters_are_clear_errors() -> None:
    query = named_query("departures")
    with pytest.raises(
        KgError, match=r"needs --param for: from \(period, e.g. 2025\), to \(period, e.g. 2025\)"
    ):
        query.values({"org": "ent:china-rare-earth-holdings"})
    with pytest.raises(KgError, match=r"has no parameter since \(parameters: org, from, to\)"):
        query.values({"org": "x", "from": "2025", "to": "2025", "since": "2024"})
    with pytest.raises(KgError, match="'last year' is not a date"):
        query.values({"org": "ent:x", "from": "last year", "to": "2025"})
    with pytest.raises(KgError, match="is not an IRI, a CURIE or an entity id"):
        query.values({"org": "<http://x> } ASK {", "from": "2025", "to": "2025"})
    with pytest.raises(KgError, match="no query named 'departure'"):
        named_query("departure")


def test_a_hostile_value_stays_a_value(seed_store: ox.Store) -> None:
    hostile = ox.Literal('x" } } ; SELECT * WHERE { ?s ?p ?o } #')
    text = "SELECT ?s WHERE { ?s rdfs:label ?name }"
    result = run_query(seed_store, text, {"name": hostile})
    assert result.rows == []
    assert 'x\\" } } ; SELECT' in prepare(text, {"name": hostile}, Limits()).text


def _ox(term: object) -> tuple[str, ...]:
    if isinstance(term, ox.NamedNode):
        return ("iri", term.value)
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value if term.datatype and not term.language else ""
        return ("literal", _parts(term.value), (term.language or "").lower(), SAME.get(datatype, datatype))
    return ("none",) if term is None else ("other", str(term))


def _rdflib(term: Node | None) -> tuple[str, ...]:
    if isinstance(term, URIRef):
        return ("iri", str(term))
    if isinstance(term, Literal):
        datatype = str(term.datatype) if term.datatype and not term.language else ""
        return ("literal", _parts(str(term)), (term.language or "").lower(), SAME.get(datatype, datatype))
    return ("none",) if term is None else ("other", str(term))


def _parts(text: str) -> str:
    """GROUP_CONCAT lists come in no defined order: compare their parts sorted."""
    return ", ".join(sorted(text.split(", ")))


def test_expected_answers_folder_holds_exactly_the_catalogue() -> None:
    folder = REPO / "tests" / "queries" / "expected"
    assert sorted(p.stem for p in Path(folder).glob("*.csv")) == NAMES
