"""Compiling the ontology, reference data and mappings into quads, and writing `dist/`."""
