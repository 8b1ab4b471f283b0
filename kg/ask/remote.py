"""A remote SPARQL endpoint, queried through the SPARQL 1.1 Protocol, with the query method
of an Oxigraph store: `kg query --endpoint` and the catalogue run on it unchanged."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from kg.errors import KgError
from kg.store.http import Http, RetryPolicy, safe_url

_EMPTY = ox.Store()
ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8"


class Endpoint:
    """A SPARQL query endpoint (for an Oxigraph server on port P: http://host:P/query)."""

    def __init__(self, url: str, http: Http | None = None) -> None:
        self.url = url
        self.http = http or Http(RetryPolicy(retries=2))

    def __enter__(self) -> Endpoint:
        return self

    def __exit__(self, *exc: object) -> None:
        self.http.client.close()

    def query(self, query: str, *, prefixes: dict[str, str] | None = None) -> Any:
        """Solutions or a boolean (as Oxigraph's own answers), or a list of triples.
        A syntax error raises SyntaxError here, with its position in `query`, as a store's would."""
        _EMPTY.query(query, prefixes=prefixes)  # parses it: a syntax error is found here
        prologue = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in (prefixes or {}).items())
        response = self.http.request(
            "POST",
            self.url,
            "query",
            content=(prologue + query).encode("utf-8"),
            headers={"Content-Type": "application/sparql-query; charset=utf-8", "Accept": ACCEPT},
        )
        media_type = response.headers.get("Content-Type", "").split(";")[0].strip()
        if media_type == "application/sparql-results+json":
            return ox.parse_query_results(response.content, format=ox.QueryResultsFormat.JSON)
        rdf = ox.RdfFormat.from_media_type(media_type)
        if rdf is None:
            raise KgError(f"query: {safe_url(self.url)} answered in an unexpected format '{media_type}'")
        return [quad.triple for quad in ox.parse(response.content, format=rdf)]
