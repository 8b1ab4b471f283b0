"""An entity's neighbourhood as Cytoscape.js elements: the entity, what it links to and
what links to it, and, through a post (an n-ary membership), the post's organisation and
role, so a person is shown beside the organisations they served."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from kg.serve.site import ONTOLOGY, Site, local_path

LINKS = """
SELECT DISTINCT ?a ?p ?b WHERE {
  { ?s ?p ?b BIND (?s AS ?a) }
  UNION { ?a ?p ?s BIND (?s AS ?b) }
  UNION { ?s ?q ?m . ?m a kg:Post ; ?p ?b BIND (?m AS ?a) }
  UNION { ?m ?q ?s . ?m a kg:Post ; ?p ?b BIND (?m AS ?a) }
  FILTER (isIRI(?a) && isIRI(?b) && ?p != rdf:type && ?a != ?b)
}
ORDER BY ?a ?p ?b
LIMIT 400
"""
_SHOWN = ("/entity/", "/country/", "/element/", "/role/")
MAX_NODES = 60
POST = ONTOLOGY + "Post"


async def neighbourhood(site: Site, iri: str) -> list[dict[str, Any]]:
    """Nodes and edges around `iri` (at most MAX_NODES nodes), for cytoscape({elements})."""
    result = await site.select(LINKS, {"s": ox.NamedNode(iri)})
    nodes: dict[str, dict[str, Any]] = {}
    edges: list[dict[str, Any]] = []

    def node(term: str) -> bool:
        path = local_path(term)
        if path is None or not path.startswith(_SHOWN):
            return False
        if term not in nodes:
            if len(nodes) >= MAX_NODES:
                return False
            nodes[term] = {
                "data": {
                    "id": term,
                    "label": site.names.label(term),
                    "href": path,
                    "post": POST in site.names.types.get(term, ()),
                    "focus": term == iri,
                }
            }
        return True

    node(iri)
    for a, p, b in result.rows:
        if not (isinstance(a, ox.NamedNode) and isinstance(p, ox.NamedNode) and isinstance(b, ox.NamedNode)):
            continue
        if node(a.value) and node(b.value):
            edge = {"id": f"{a.value} {p.value} {b.value}", "source": a.value, "target": b.value}
            edges.append({"data": edge | {"label": site.names.label(p.value)}})
    return [*nodes.values(), *edges]
