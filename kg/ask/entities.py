"""Finding entities by name and gathering what the graph says about one (`kg search`,
`kg show`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pyoxigraph as ox
from rapidfuzz import fuzz

from kg.ask.bindings import parse_value
from kg.ask.contested import Question, questions
from kg.ask.query import Queryable, labels, run_query
from kg.errors import KgError

_TOKEN = re.compile(r"[\w\u4e00-\u9fff]+")
_SEARCHED = ("entity/", "country/", "element/")


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
    value: str
    value_label: str
    evidence: list[Evidence] = field(default_factory=list)
    inferred_note: str | None = None
    disputed: bool = False  # a claim disputes it, or another value conflicts: not a plain fact

    @property
    def contested(self) -> bool:
        """Sources disagree on this very fact: it is disputed or conflicts with another value,
        or some report it while others rumour, allege or deny it."""
        stances = {e.stance for e in self.evidence}
        return self.disputed or (len(stances) > 1 and bool(stances & {"rumoured", "alleged", "denied"}))


@dataclass(frozen=True)
class Mention:
    """A fact of another entity that points at this one."""

    subject: str
    subject_label: str
    predicate_label: str
    contested: bool  # a claim that disputes or is disputed by another, or a contested statement


@dataclass(frozen=True)
class DateValue:
    """One sourced value of a date, and how it was placed."""

    label: str
    rank: str  # preferred, normal
    placed: str  # stated, or how it was derived
    stated_as: str  # the mapping's words, when they differ from the value
    articles: str
    conflicting: bool


@dataclass
class PostHeld:
    organisation: str
    role: str
    how: str
    starts: list[DateValue] = field(default_factory=list)
    ends: list[DateValue] = field(default_factory=list)

    @property
    def started(self) -> str:
        return _best(self.starts)

    @property
    def ended(self) -> str:
        return _best(self.ends)


def _best(values: list[DateValue]) -> str:
    """The date to show: the preferred value, or the only one; each side where they conflict."""
    conflicting = [v.label for v in values if v.conflicting]
    if conflicting:
        return " or ".join(dict.fromkeys(conflicting)) + " (sources conflict)"
    preferred = [v.label for v in values if v.rank == "preferred"] or [v.label for v in values]
    return ", ".join(dict.fromkeys(preferred))


@dataclass
class Card:
    """What the graph says about one entity, with the evidence for each fact."""

    iri: str
    labels: dict[str, str]  # language -> preferred name
    other_names: list[str]
    kinds: list[str]
    descriptions: list[str]
    facts: list[Fact]
    posts: list[PostHeld]
    mentions: list[Mention]
    questions: list[Question] = field(default_factory=list)  # contested, with every side


def find(store: Queryable, text: str) -> str:
    """The IRI of an entity given as an IRI, a CURIE, an id, or an English or Chinese name."""
    if text.startswith("<") or ":" in text or re.match(r"^[a-z0-9]+(-[a-z0-9]+)*$", text):
        iri = parse_value(text, "entity", "entity").value
        if run_query(store, "ASK { ?s ?p ?o }", {"s": ox.NamedNode(iri)}).boolean:
            return iri
    exact = [m for m in search(store, text, limit=50) if m.score == 100]
    if len({m.iri for m in exact}) == 1:
        return exact[0].iri
    if exact:
        options = ", ".join(sorted({f"{m.label} ({m.iri.rsplit('/', 1)[-1]})" for m in exact}))
        raise KgError(f"'{text}' names several entities: {options}; give the id")
    close = search(store, text, limit=3)
    hint = f"; did you mean {', '.join(repr(m.label) for m in close)}?" if close else ""
    raise KgError(f"no entity named '{text}'{hint}")


def search(store: Queryable, text: str, limit: int = 10) -> list[Match]:
    """Entities whose label or other name matches `text`, in English or Chinese, in any word
    order ("Chunsheng Liao" finds "Liao Chunsheng"); best matches first."""
    rows = run_query(
        store,
        """SELECT ?s ?name ?label WHERE {
             ?s rdfs:label|skos:altLabel ?name . ?s rdfs:label ?label
             FILTER (langMatches(lang(?label), "en")) }""",
    ).records()
    ranked = rank(rows, text, limit)
    kinds = _kinds(store, {m.iri for m in ranked})
    return [Match(m.iri, m.label, m.matched, tuple(kinds.get(m.iri, [])), m.score) for m in ranked]


def rank(rows: list[dict[str, str | None]], text: str, limit: int) -> list[Match]:
    """The best matches for `text` among rows of entity `s`, one of its names `name`, and
    its English `label`; kinds left empty."""
    wanted = _normal(text)
    best: dict[str, Match] = {}
    for row in rows:
        iri, name, label = str(row["s"]), str(row["name"]), str(row["label"])
        if not any(iri.startswith("https://w3id.org/sovereignty-kg/" + kind) for kind in _SEARCHED):
            continue
        score = _score(wanted, _normal(name))
        if score >= 70 and (iri not in best or score > best[iri].score):
            best[iri] = Match(iri, label, name, (), score)
    return sorted(best.values(), key=lambda m: (-m.score, m.label))[:limit]


def card(store: Queryable, iri: str, lang: str = "en") -> Card:
    node = ox.NamedNode(iri)
    names = run_query(store, "SELECT ?n WHERE { ?s rdfs:label ?n }", {"s": node}).rows
    preferred = {t.language or "": t.value for (t,) in names if isinstance(t, ox.Literal)}
    others = run_query(store, "SELECT ?n WHERE { ?s skos:altLabel ?n } ORDER BY ?n", {"s": node}).records()
    descriptions = run_query(store, "SELECT ?d WHERE { ?s schema:description ?d } ORDER BY ?d", {"s": node})
    mentions = run_query(
        store,
        """SELECT DISTINCT ?x ?p ?contested WHERE {
             ?st rdf:object ?s ; rdf:subject ?x ; rdf:predicate ?p ; kg:evidence ?e .
             BIND (EXISTS { ?x kg:disputes ?y } || EXISTS { ?y kg:disputes ?x }
                   || EXISTS { ?st kg:disputedBy|kg:conflictsWith [] } AS ?contested)
           } ORDER BY ?p ?x""",
        {"s": node},
    ).records()
    names_of = labels(store, {str(r[k]) for r in mentions for k in ("x", "p")}, lang)
    return Card(
        iri,
        preferred,
        [str(r["n"]) for r in others],
        _kinds(store, {iri}).get(iri, []),
        [str(r["d"]) for r in descriptions.records()],
        _facts(store, node, lang),
        _posts(store, node, lang),
        [
            Mention(str(r["x"]), _name(names_of, r["x"]), _name(names_of, r["p"]), r["contested"] == "true")
            for r in mentions
        ],
        questions(store, iri),
    )


def _facts(store: Queryable, node: ox.NamedNode, lang: str) -> list[Fact]:
    rows = run_query(
        store,
        """SELECT ?p ?o ?quote ?article ?stance ?asserter ?note ?disputed WHERE {
             ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; kg:evidence ?e .
             BIND (EXISTS { ?st kg:disputedBy|kg:conflictsWith [] } AS ?disputed)
             ?e oa:exact ?quote ; prov:wasDerivedFrom/dcterms:identifier ?article ;
                kg:stance/rdfs:label ?stance ; kg:assertedBy/rdfs:label ?asserter .
             FILTER (langMatches(lang(?stance), "en") && langMatches(lang(?asserter), "en"))
             OPTIONAL { ?st kg:note ?note }
           } ORDER BY ?p ?o ?article ?quote""",
        {"s": node},
    ).records()
    names = labels(store, {str(r[k]) for r in rows for k in ("p", "o")}, lang)
    facts: dict[tuple[str, str], Fact] = {}
    for r in rows:
        key = (str(r["p"]), str(r["o"]))
        fact = facts.setdefault(key, Fact(key[0], _name(names, r["p"]), key[1], _name(names, r["o"])))
        fact.evidence.append(
            Evidence(str(r["quote"]), str(r["article"]), str(r["stance"]), str(r["asserter"]))
        )
        fact.inferred_note = r["note"] or fact.inferred_note
        fact.disputed = fact.disputed or r["disputed"] == "true"
    return list(facts.values())


def _posts(store: Queryable, person: ox.NamedNode, lang: str) -> list[PostHeld]:
    """The posts a person holds or held, with every sourced start and end date."""
    rows = run_query(
        store,
        """SELECT ?post ?org ?role (GROUP_CONCAT(DISTINCT STR(?h); separator=", ") AS ?how) WHERE {
             ?post org:member ?person ; org:organization ?org ; org:role ?role .
             OPTIONAL { SELECT ?post ?h WHERE {
                          ?post kg:endedHow/rdfs:label ?h FILTER (langMatches(lang(?h), "en")) } ORDER BY ?h }
           } GROUP BY ?post ?org ?role ORDER BY ?org ?role""",
        {"person": person},
    ).records()
    names = labels(store, {str(r[k]) for r in rows for k in ("org", "role")}, lang)
    posts = {
        str(r["post"]): PostHeld(_name(names, r["org"]), _name(names, r["role"]), r["how"] or "")
        for r in rows
    }
    values = run_query(
        store,
        """SELECT ?post ?p ?label ?rank ?placed ?said ?conflict
                  (GROUP_CONCAT(DISTINCT ?article; separator=", ") AS ?articles) WHERE {
             ?post org:member ?person .
             ?st rdf:subject ?post ; rdf:predicate ?p ; rdf:object ?date ; wikibase:rank/rdfs:label ?rank ;
                 kg:evidence/prov:wasDerivedFrom/dcterms:identifier ?article .
             ?date rdfs:label ?label ; kg:earliest ?first .
             FILTER (langMatches(lang(?label), "en") && langMatches(lang(?rank), "en"))
             OPTIONAL { ?st kg:derivation/rdfs:label ?d FILTER (langMatches(lang(?d), "en")) }
             OPTIONAL { ?st kg:statedAs ?said }
             BIND (COALESCE(STR(?d), "stated") AS ?placed)
             BIND (EXISTS { ?st kg:conflictsWith [] } AS ?conflict)
           } GROUP BY ?post ?p ?label ?rank ?placed ?said ?conflict ?first ORDER BY ?first ?label ?placed""",
        {"person": person},
    ).records()
    for v in values:
        value = DateValue(
            str(v["label"]),
            str(v["rank"]),
            str(v["placed"]),
            v["said"] or "",
            str(v["articles"]),
            v["conflict"] == "true",
        )
        post = posts[str(v["post"])]
        (post.ends if str(v["p"]).endswith("#endDate") else post.starts).append(value)
    return list(posts.values())


def _kinds(store: Queryable, iris: set[str]) -> dict[str, list[str]]:
    """Each entity's kinds, "(inferred)" after those only a reasoner found; an inferred kind
    that a narrower kind implies (a superclass the RDFS closure added) is left out."""
    if not iris:
        return {}
    wanted = " ".join(f"<{iri}>" for iri in sorted(iris))
    rows = run_query(
        store,
        f"""SELECT ?s ?kind ?inferred WHERE {{
              VALUES ?s {{ {wanted} }} ?s a ?k . ?k rdfs:label ?kind FILTER (langMatches(lang(?kind), "en"))
              FILTER NOT EXISTS {{ GRAPH graph:inferred {{ ?s a ?k }}
                                   ?s a ?narrower . ?narrower rdfs:subClassOf ?k FILTER (?narrower != ?k) }}
              BIND (EXISTS {{ GRAPH graph:inferred {{ ?s a ?k }} }} AS ?inferred) }} ORDER BY ?kind""",
    ).records()
    kinds: dict[str, list[str]] = {}
    for r in rows:
        kinds.setdefault(str(r["s"]), []).append(
            f"{r['kind']} (inferred)" if r["inferred"] == "true" else str(r["kind"])
        )
    return kinds


def _name(names: dict[str, str], value: str | None) -> str:
    return names.get(value or "", value or "")


def _normal(text: str) -> str:
    return " ".join(_TOKEN.findall(text.casefold()))


def _score(wanted: str, name: str) -> float:
    """Order-tolerant similarity: 100 for the same words in any order, 90 when the query's
    words are all in the name, else a fuzzy score below both."""
    if not wanted or not name:
        return 0.0
    if set(wanted.split()) == set(name.split()):
        return 100.0
    if set(wanted.split()) <= set(name.split()):
        return 90.0
    return min(89.0, float(fuzz.token_set_ratio(wanted, name)))
