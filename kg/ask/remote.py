"""A remote SPARQL endpoint, queried through the SPARQL 1.1 Protocol: `kg query --endpoint`
and the catalogue run on it unchanged.

A query is checked exactly as for the local graph before anything is sent (kg.ask.prepare,
in a worker process of kg.ask.runner, within the same limits), and the text sent is the
checked one, parameters bound. The answer is read as a stream, up to `max_bytes`, must be
in the content type it claims, and is cut at `max_rows` rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, Any, cast

import pyoxigraph as ox

from kg.ask.limits import Limits
from kg.ask.prepare import Term
from kg.ask.runner import JSON, NTRIPLES, TSV, Answer, Capped, Runner
from kg.errors import KgError, Refused
from kg.store.http import Http, RetryPolicy, safe_url

ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9"


class Endpoint:
    """A SPARQL query endpoint (for an Oxigraph server on port P: http://host:P/query)."""

    def __init__(self, url: str, http: Http | None = None, limits: Limits | None = None) -> None:
        self.url = url
        self.limits = limits or Limits()
        self.http = http or Http(RetryPolicy(retries=2, timeout=self.limits.timeout))
        self.checker = Runner(None, self.limits)

    def __enter__(self) -> Endpoint:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.http.close()
        self.checker.close()

    def query(self, query: str, *, prefixes: dict[str, str] | None = None) -> Any:
        """Solutions or a boolean (as Oxigraph's own answers), or a list of triples."""
        return self.run(query).result()

    def run(
        self, text: str, values: Mapping[str, Term] | None = None, limits: Limits | None = None
    ) -> Answer:
        """Check the query, send the checked text, and read the answer within the limits."""
        bounds = limits or self.limits
        prepared = self.checker.prepare(text, values, bounds)
        media_type, body = self.http.fetch(
            "POST",
            self.url,
            "query",
            bounds.max_bytes,
            accept={"application/sparql-results+json", "application/n-triples"},
            data={"query": prepared.text},
            headers={"Accept": ACCEPT},
        )
        try:
            if media_type == "application/n-triples":
                return _capped_triples(prepared.form, body, bounds)
            result = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
            if isinstance(result, ox.QueryBoolean):
                return Answer(prepared.form, JSON, body)
            sink = Capped(bounds.max_rows + 1, bounds.max_bytes)
            try:
                result.serialize(cast(IO[bytes], sink), format=ox.QueryResultsFormat.TSV)
            except Exception:
                if not sink.full:
                    raise
            return Answer(prepared.form, TSV, sink.value(), sink.full)
        except (SyntaxError, ValueError, OSError) as exc:
            raise KgError(
                f"query: {safe_url(self.url)} answered with a damaged {media_type} body ({exc})"
            ) from None


def _capped_triples(form: str, body: bytes, limits: Limits) -> Answer:
    lines = body.splitlines(keepends=True)
    kept = b"".join(lines[: limits.max_rows])
    list(ox.parse(kept, format=ox.RdfFormat.N_TRIPLES))  # checks the syntax
    if len(lines) > limits.max_rows and not kept:
        raise Refused("the endpoint's answer has no triple within the limits")
    return Answer(form, NTRIPLES, kept, len(lines) > limits.max_rows)
