"""Finding entities by name and gathering what the graph says about one (`kg search`,
`kg show`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pyoxigraph as ox
from rapidfuzz import fuzz

from kg.bindings import parse_value
from kg.errors import KgError
from kg.query import labels, run_query

LANG = {"en": "en", "zh": "zh"}
_TOKEN = re.compile(r"[\w\u4e00-\u9fff]+")


@dataclass(frozen=True)
class Match:
    iri: str
    label: str
    matched: str
    kinds: tuple[str, ...]
    score: float


@dataclass(frozen=True)
class Evidence:
    quote: str
    article: str
    stance: str
    asserter: str


@dataclass
class Fact:
    predicate: str
    predicate_label: str
    value: ox.NamedNode | ox.Literal
    value_label: str
    evidence: list[Evidence] = field(default_factory=list)
    inferred_note: str | None = None

    @property
    def contested(self) -> bool:
        """Sources disagree on this very fact: some report it, others rumour, allege or deny it."""
        stances = {e.stance for e in self.evidence}
        return len(stances) > 1 and bool(stances & {"rumoured", "alleged", "denied"})


@dataclass
class Card:
    """What the graph says about one entity, with the evidence for each fact."""

    iri: str
    names: dict[str, list[str]]  # label/alt per language
    kinds: list[str]
    descriptions: list[str]
    facts: list[Fact]
    mentioned_in: list[tuple[str, str, str]]  # (subject label, property label, subject IRI)


def find(store: ox.Store, text: str) -> str:
    """The IRI of an entity given as an IRI, a CURIE, an id, or an English or Chinese name."""
    if text.startswith("<") or ":" in text or re.match(r"^[a-z0-9]+(-[a-z0-9]+)*$", text):
        iri = parse_value(text, "entity", "entity").value
        answer = run_query(store, "ASK { ?s ?p ?o }", {"s": ox.NamedNode(iri)})
        if answer.boolean:
            return iri
    exact = [m for m in search(store, text, limit=50) if _normal(m.matched) == _normal(text)]
    if len({m.iri for m in exact}) == 1:
        return exact[0].iri
    if exact:
        options = ", ".join(sorted({f"{m.label} ({m.iri.rsplit('/', 1)[-1]})" for m in exact}))
        raise KgError(f"'{text}' names several entities: {options}; give the id")
    close = search(store, text, limit=3)
    hint = f"; did you mean {', '.join(repr(m.label) for m in close)}?" if close else ""
    raise KgError(f"no entity named '{text}'{hint}")


def search(store: ox.Store, text: str, limit: int = 10) -> list[Match]:
    """Entities whose label or other name matches `text`, in English or Chinese, in any word
    order ("Chunsheng Liao" finds "Liao Chunsheng"); best matches first."""
    result = run_query(
        store,
        """SELECT ?s ?name ?label WHERE {
             ?s rdfs:label|skos:altLabel ?name .
             ?s rdfs:label ?label FILTER (lang(?label) = "en")
             FILTER (STRSTARTS(STR(?s), "https://w3id.org/sovereignty-kg/entity/")
                     || STRSTARTS(STR(?s), "https://w3id.org/sovereignty-kg/country/")
                     || STRSTARTS(STR(?s), "https://w3id.org/sovereignty-kg/element/")) }""",
    )
    wanted = _normal(text)
    best: dict[str, Match] = {}
    for iri_term, name_term, label_term in result.rows:
        assert iri_term is not None and name_term is not None and label_term is not None
        name = name_term.value  # type: ignore[union-attr]
        score = _score(wanted, _normal(name))
        if score >= 70 and (iri_term.value not in best or score > best[iri_term.value].score):  # type: ignore[union-attr]
            best[iri_term.value] = Match(iri_term.value, label_term.value, name, (), score)  # type: ignore[union-attr]
    ranked = sorted(best.values(), key=lambda m: (-m.score, m.label))[:limit]
    kinds = _kinds(store, {m.iri for m in ranked})
    return [Match(m.iri, m.label, m.matched, tuple(kinds.get(m.iri, [])), m.score) for m in ranked]


def card(store: ox.Store, iri: str, lang: str = "en") -> Card:
    node = ox.NamedNode(iri)
    names: dict[str, list[str]] = {}
    for row in run_query(
        store, "SELECT ?n WHERE { ?s rdfs:label|skos:altLabel ?n } ORDER BY ?n", {"s": node}
    ).rows:
        literal = row[0]
        assert isinstance(literal, ox.Literal)
        names.setdefault(literal.language or "", []).append(literal.value)
    descriptions = [
        str(row[0].value)  # type: ignore[union-attr]
        for row in run_query(
            store, "SELECT ?d WHERE { ?s schema:description ?d } ORDER BY ?d", {"s": node}
        ).rows
    ]
    facts = _facts(store, node, lang)
    mentioned = run_query(
        store,
        """SELECT DISTINCT ?x ?p WHERE {
             ?st rdf:object ?s ; rdf:subject ?x ; rdf:predicate ?p ; kg:evidence ?e } ORDER BY ?p ?x""",
        {"s": node},
    )
    iris = {t.value for row in mentioned.rows for t in row if isinstance(t, ox.NamedNode)}
    names_of = labels(store, iris, lang)
    return Card(
        iri,
        names,
        _kinds(store, {iri}).get(iri, []),
        descriptions,
        facts,
        [
            (names_of.get(x.value, x.value), names_of.get(p.value, p.value), x.value)  # type: ignore[union-attr]
            for x, p in mentioned.rows
        ],
    )


def _facts(store: ox.Store, node: ox.NamedNode, lang: str) -> list[Fact]:
    result = run_query(
        store,
        """SELECT ?p ?o ?quote ?article ?stance ?asserter ?note WHERE {
             ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; kg:evidence ?e .
             ?e oa:exact ?quote ; prov:wasDerivedFrom/dcterms:identifier ?article ;
                kg:stance/rdfs:label ?stance ; kg:assertedBy/rdfs:label ?asserter .
             FILTER (lang(?stance) = "en" && lang(?asserter) = "en")
             OPTIONAL { ?st kg:note ?note }
           } ORDER BY ?p ?o ?article ?quote""",
        {"s": node},
    )
    iris = {t.value for row in result.rows for t in row[:2] if isinstance(t, ox.NamedNode)}
    names = labels(store, iris, lang)
    facts: dict[tuple[str, str], Fact] = {}
    for p, o, quote, article, stance, asserter, note in result.rows:
        assert isinstance(p, ox.NamedNode) and isinstance(o, ox.NamedNode | ox.Literal)
        key = (p.value, str(o))
        if key not in facts:
            value_label = names.get(o.value, o.value) if isinstance(o, ox.NamedNode) else o.value
            facts[key] = Fact(p.value, names.get(p.value, p.value), o, value_label)
        fact = facts[key]
        fact.evidence.append(Evidence(quote.value, article.value, stance.value, asserter.value))  # type: ignore[union-attr]
        if note is not None:
            fact.inferred_note = note.value  # type: ignore[union-attr]
    return list(facts.values())


def _kinds(store: ox.Store, iris: set[str]) -> dict[str, list[str]]:
    if not iris:
        return {}
    wanted = " ".join(f"<{iri}>" for iri in sorted(iris))
    result = run_query(
        store,
        f"""SELECT ?s ?kind WHERE {{
              VALUES ?s {{ {wanted} }} ?s a/rdfs:label ?kind FILTER (lang(?kind) = "en") }} ORDER BY ?kind""",
    )
    kinds: dict[str, list[str]] = {}
    for s, kind in result.rows:
        kinds.setdefault(s.value, []).append(kind.value)  # type: ignore[union-attr]
    return kinds


def _normal(text: str) -> str:
    return " ".join(_TOKEN.findall(text.casefold()))


def _score(wanted: str, name: str) -> float:
    """Order-tolerant similarity; a query made of whole words of the name scores high."""
    if not wanted or not name:
        return 0.0
    if set(wanted.split()) <= set(name.split()):
        return 100.0 if set(wanted.split()) == set(name.split()) else 90.0
    return float(fuzz.token_set_ratio(wanted, name))
