"""Checking a build: SHACL shapes, named SPARQL checks, their reports, and mapping coverage."""
