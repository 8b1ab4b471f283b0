"""Checked queries are kept per text; binding parameters re-parses only the VALUES block,
and the engine still runs a text that parses to the bound tree."""

from __future__ import annotations

import pyoxigraph as ox

from kg.ask import prepare as checks
from kg.ask.limits import Limits

ENTITY = "https://w3id.org/sovereignty-kg/entity/"


def test_a_bound_query_is_the_checked_text_with_the_block_first() -> None:
    text = "SELECT ?n WHERE { ?s rdfs:label ?n }"
    bound = checks.prepare(text, {"s": ox.NamedNode(ENTITY + "liao-chunsheng")}, Limits())
    assert bound.text == (
        f"SELECT ?n WHERE {{ VALUES (?s) {{ (<{ENTITY}liao-chunsheng>) }} "
        "?s <http://www.w3.org/2000/01/rdf-schema#label> ?n . }"
    )
    again = checks.prepare(text, {"s": ox.NamedNode(ENTITY + "xu-guangxian")}, Limits())
    assert again.text == bound.text.replace("liao-chunsheng", "xu-guangxian")
    assert (
        checks._checked(text).text
        == "SELECT ?n WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?n . }"
    )


def test_binding_leaves_the_kept_tree_unchanged() -> None:
    text = "SELECT ?o WHERE { ?s ?p ?o }"
    checks.prepare(text, {"s": ox.NamedNode(ENTITY + "a")}, Limits())
    assert checks.prepare(text, {}, Limits()).text == "SELECT ?o WHERE { ?s ?p ?o . }"


def test_a_where_clause_that_is_a_subquery_is_bound_and_reparsed() -> None:
    text = "SELECT ?x WHERE { SELECT ?x ?y WHERE { ?x ?p ?y } }"
    bound = checks.prepare(text, {"y": ox.Literal('a" } } ; SELECT')}, Limits())
    assert bound.text == (
        'SELECT ?x WHERE { VALUES (?y) { ("a\\" } } ; SELECT"^^<http://www.w3.org/2001/XMLSchema#string>) } { SELECT ?x ?y WHERE { ?x ?p ?y . } } }'
    )


def test_a_hostile_literal_is_one_term_in_the_block() -> None:
    value = ox.Literal('x" ) } } SERVICE <http://127.0.0.1:1/> { ?a ?b ?c } VALUES (?q) { ("')
    bound = checks.prepare("SELECT ?s WHERE { ?s rdfs:label ?name }", {"name": value}, Limits())
    assert bound.text.count("SERVICE") == 1
    assert checks._block_shape(bound.text[len("SELECT ?s WHERE { ") : bound.text.index(" ?s <")]) is not None
