"""`kg serve`: a read-only SPARQL 1.1 endpoint and the pages an analyst reads (entities,
documents, the ontology, timelines, a query editor), on the bounded query runner."""
