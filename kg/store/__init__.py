"""Leaving the machine: export in standard formats, push to a SPARQL store over HTTP."""
