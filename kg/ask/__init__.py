"""Asking the graph: SPARQL, parameters, the catalogue of named queries, entity cards."""
