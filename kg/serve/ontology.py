"""What an ontology page shows: a class or property of the ontology with its English and
Chinese labels, definition, alignments to other vocabularies, how often the data uses it,
and a diagram of the class with its neighbours (super- and subclasses, and the properties
whose domain or range it is)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from kg.serve.site import Site, local_path

TERMS = """
SELECT ?term ?kind (COUNT(?use) AS ?uses) WHERE {
  VALUES ?kind { owl:Class owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty }
  GRAPH graph:ontology { ?term a ?kind } FILTER (STRSTARTS(STR(?term), STR(kg:)))
  OPTIONAL { { ?use a ?term } UNION { ?use ?term [] } }
} GROUP BY ?term ?kind ORDER BY ?kind ?term
"""
ABOUT = """
SELECT ?p ?o WHERE { GRAPH graph:ontology { ?term ?p ?o } }
"""
USES = """
SELECT (COUNT(*) AS ?instances) (SUM(?one) AS ?triples) WHERE {
  { ?x a ?term BIND (0 AS ?one) } UNION { ?x ?term ?y BIND (1 AS ?one) }
}
"""
AROUND = """
SELECT ?a ?p ?b WHERE {
  GRAPH graph:ontology {
    { ?term rdfs:subClassOf ?b BIND (?term AS ?a) BIND (rdfs:subClassOf AS ?p) FILTER (isIRI(?b)) }
    UNION { ?a rdfs:subClassOf ?term BIND (?term AS ?b) BIND (rdfs:subClassOf AS ?p) }
    UNION { ?p rdfs:domain ?term ; rdfs:range ?b BIND (?term AS ?a) FILTER (isIRI(?b)) }
    UNION { ?p rdfs:domain ?a ; rdfs:range ?term BIND (?term AS ?b) FILTER (isIRI(?a)) }
  }
} ORDER BY ?p ?a ?b LIMIT 200
"""
QUERIES = (TERMS, ABOUT, USES, AROUND)
ALIGNMENTS = {
    "http://www.w3.org/2002/07/owl#equivalentClass",
    "http://www.w3.org/2002/07/owl#equivalentProperty",
    "http://www.w3.org/2000/01/rdf-schema#subClassOf",
    "http://www.w3.org/2000/01/rdf-schema#subPropertyOf",
    "http://www.w3.org/2004/02/skos/core#exactMatch",
    "http://www.w3.org/2004/02/skos/core#closeMatch",
    "http://www.w3.org/2004/02/skos/core#broadMatch",
    "http://www.w3.org/2004/02/skos/core#narrowMatch",
    "http://www.w3.org/2004/02/skos/core#relatedMatch",
}


@dataclass(frozen=True)
class Term:
    iri: str
    kind: str
    uses: int


@dataclass
class TermView:
    iri: str
    kinds: list[str]
    labels: dict[str, list[str]] = field(default_factory=dict)
    definitions: list[str] = field(default_factory=list)
    alignments: list[tuple[str, str]] = field(default_factory=list)
    other: list[tuple[str, str, bool]] = field(default_factory=list)
    instances: int = 0
    triples: int = 0
    diagram: list[dict[str, Any]] = field(default_factory=list)


async def terms(site: Site) -> list[Term]:
    """Every class and property of the ontology, with how often the data uses it."""
    result = await site.select(TERMS)
    return [Term(_v(t), _v(k).rsplit("#", 1)[-1], int(_v(n))) for t, k, n in result.rows]


async def term_view(site: Site, iri: str) -> TermView | None:
    """The page of a class or property, or None when the ontology does not declare it."""
    node = {"term": ox.NamedNode(iri)}
    about = await site.select(ABOUT, node)
    if not about.rows:
        return None
    view = TermView(iri, [])
    for p, o in about.rows:
        pred = _v(p)
        if pred.endswith("#type"):
            view.kinds.append(_v(o))
        elif pred.endswith("rdf-schema#label") and isinstance(o, ox.Literal):
            view.labels.setdefault("zh" if (o.language or "").startswith("zh") else "en", []).append(o.value)
        elif pred.endswith("core#definition") or pred.endswith("rdf-schema#comment"):
            view.definitions.append(_v(o))
        elif pred in ALIGNMENTS and isinstance(o, ox.NamedNode):
            view.alignments.append((pred, o.value))
        else:
            view.other.append((pred, _v(o), isinstance(o, ox.NamedNode)))
    uses = await site.select(USES, node)
    view.instances, view.triples = (int(_v(x) or 0) for x in uses.rows[0]) if uses.rows else (0, 0)
    view.instances -= view.triples
    view.diagram = _diagram(site, iri, await site.select(AROUND, node))
    return view


def _diagram(site: Site, iri: str, around: Any) -> list[dict[str, Any]]:
    nodes: dict[str, dict[str, Any]] = {}
    edges = []
    for a, p, b in around.rows:
        for term in (_v(a), _v(b)):
            nodes.setdefault(
                term,
                {
                    "data": {
                        "id": term,
                        "label": site.names.label(term),
                        "href": local_path(term) or "",
                        "focus": term == iri,
                    }
                },
            )
        label = "subclass of" if _v(p).endswith("#subClassOf") else site.names.label(_v(p))
        edges.append(
            {"data": {"id": f"{_v(a)} {_v(p)} {_v(b)}", "source": _v(a), "target": _v(b), "label": label}}
        )
    if iri not in nodes:
        nodes[iri] = {"data": {"id": iri, "label": site.names.label(iri), "href": "", "focus": True}}
    return [*nodes.values(), *edges]


def _v(term: object) -> str:
    return term.value if isinstance(term, ox.NamedNode | ox.Literal) else ""
