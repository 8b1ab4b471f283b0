"""`kg diff`: what changed between two builds, as a change in meaning. A fact is a
`kg:Statement` (subject, predicate, object) with its evidence and other qualifiers; facts
are compared by subject and property, so a value that changed is one change ("end date:
2025 → April 2025, more precise"), and described with labels, grouped by entity. Qualifiers
are described generically from the statement's triples, with words for the known ones
(evidence, derivation, rank, a contested mark)."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg.errors import KgError
from kg.vocab import KG, PREFIXES, RDF, compact

RANK = "http://wikiba.se/ontology#rank"
RANKS = {"PreferredRank": "preferred", "NormalRank": "normal", "DeprecatedRank": "deprecated"}
# local names of a statement's contested mark
CONTESTED = {"conflictsWith", "disputedBy", "contestedBy", "contested", "disputed"}
_STRUCTURE = {str(RDF.type), str(RDF.subject), str(RDF.predicate), str(RDF.object), str(KG.evidence)}


@dataclass(frozen=True)
class Fact:
    subject: str
    predicate: str
    value: str  # the object in N-Triples syntax
    qualifiers: frozenset[tuple[str, str]]
    evidence: frozenset[str]  # each piece described in words


@dataclass
class Build:
    facts: dict[tuple[str, str, str], Fact]
    labels: dict[str, str]
    bounds: dict[str, tuple[str, str]]  # date node (N-Triples) -> earliest, latest day
    triples: set[str]


@dataclass
class Change:
    kind: str  # added, removed, changed, evidence, qualifier
    text: str


@dataclass
class Diff:
    groups: dict[str, list[Change]] = field(default_factory=dict)  # entity label -> changes
    added: list[str] = field(default_factory=list)  # triples, N-Triples
    removed: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.groups or self.added or self.removed)


def read_build(dist: Path) -> Build:
    """The facts of a build folder (asserted and inferred, from graph.nq), and its triples
    (graph.nt and inferred.nt) for the triple-level diff."""
    path = dist / "graph.nq"
    if not path.is_file():
        raise KgError(f"no graph.nq in {dist}; is it a build folder?")
    store = ox.Store()
    store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    triples = {  # as written (N-Triples, blank nodes with their canonical labels)
        line
        for name in ("graph.nt", "inferred.nt")
        if (dist / name).is_file()
        for line in (dist / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    }
    labels = {
        str(s["x"].value): s["l"].value
        for s in _select(store, "SELECT ?x ?l { ?x rdfs:label ?l FILTER (lang(?l) = 'en') }")
    }
    rows = _select(
        store,
        """SELECT ?st ?s ?p ?o ?q ?v ?e {
        ?st a kg:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
        OPTIONAL { ?st ?q ?v
                   FILTER (?q NOT IN (rdf:type, rdf:subject, rdf:predicate, rdf:object, kg:evidence))
                   # not what the RDFS closure adds (kg:evidence is a prov:wasDerivedFrom)
                   FILTER NOT EXISTS { GRAPH graph:inferred { ?st ?q ?v } } }
        OPTIONAL { ?st kg:evidence ?e } }""",
    )
    evidence = _evidence(store, labels)
    triple_of: dict[str, tuple[str, str, str]] = {}
    qualifiers: dict[str, set[tuple[str, str]]] = defaultdict(set)
    pieces: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        key = str(row["st"])
        triple_of[key] = (str(row["s"]), str(row["p"]), str(row["o"]))
        if "q" in row:
            qualifiers[key].add((row["q"].value, str(row["v"])))
        if "e" in row:
            pieces[key].add(evidence.get(str(row["e"]), str(row["e"])))
    facts = {
        spo: Fact(*spo, frozenset(qualifiers[key]), frozenset(pieces[key])) for key, spo in triple_of.items()
    }
    bounds = {
        str(s["x"]): (s["a"].value, s["b"].value)
        for s in _select(store, "SELECT ?x ?a ?b { ?x kg:earliest ?a ; kg:latest ?b }")
    }
    return Build(facts, labels, bounds, triples)


def _select(store: ox.Store, query: str) -> list[dict[str, ox.NamedNode | ox.Literal]]:
    result = store.query(query, prefixes=PREFIXES, use_default_graph_as_union=True)
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return [{n: s[n] for n in names if s[n] is not None} for s in result]


def _evidence(store: ox.Store, labels: dict[str, str]) -> dict[str, str]:
    rows = _select(
        store,
        """SELECT ?e ?quote ?article ?stance ?by {
        ?e a kg:Evidence ; oa:exact ?quote ; prov:wasDerivedFrom ?article ; kg:stance ?stance .
        OPTIONAL { ?e kg:assertedBy ?by } }""",
    )
    return {
        str(r["e"]): (
            f"“{r['quote'].value}” ({compact(r['article'].value)}, "
            f"{labels.get(r['stance'].value, compact(r['stance'].value))}"
            + (f" by {labels.get(r['by'].value, compact(r['by'].value))}" if "by" in r else "")
            + ")"
        )
        for r in rows
    }


def diff(old: Build, new: Build) -> Diff:
    result = Diff()
    by_old, by_new = _by_property(old), _by_property(new)
    words = Words(old, new)
    for s, p in sorted(set(by_old) | set(by_new)):
        before, after = by_old.get((s, p), {}), by_new.get((s, p), {})
        gone, came = sorted(set(before) - set(after)), sorted(set(after) - set(before))
        changes = []
        if len(gone) == 1 and len(came) == 1:
            note = ", more precise" if words.refines(came[0], gone[0]) else ""
            changes.append(
                Change("changed", f"{words.label(p)}: {words.value(gone[0])} → {words.value(came[0])}{note}")
            )
        else:
            changes += [Change("removed", f"{words.label(p)}: {words.value(v)}") for v in gone]
            changes += [Change("added", f"{words.label(p)}: {words.value(v)}") for v in came]
        for value in sorted(set(before) & set(after)):
            changes += _qualifier_changes(before[value], after[value], words)
        if changes:
            result.groups.setdefault(words.label(s), []).extend(changes)
    result.groups = dict(sorted(result.groups.items()))
    result.removed = sorted(old.triples - new.triples)
    result.added = sorted(new.triples - old.triples)
    return result


def _by_property(build: Build) -> dict[tuple[str, str], dict[str, Fact]]:
    grouped: dict[tuple[str, str], dict[str, Fact]] = defaultdict(dict)
    for (s, p, o), fact in build.facts.items():
        grouped[(s, p)][o] = fact
    return grouped


def _qualifier_changes(before: Fact, after: Fact, words: Words) -> list[Change]:
    prefix = f"{words.label(after.predicate)}: {words.value(after.value)}"
    changes = [
        Change("evidence", f"{prefix} — evidence added: {e}")
        for e in sorted(after.evidence - before.evidence)
    ]
    changes += [
        Change("evidence", f"{prefix} — evidence removed: {e}")
        for e in sorted(before.evidence - after.evidence)
    ]
    old_q, new_q = dict(before.qualifiers), dict(after.qualifiers)
    for q in sorted(set(old_q) | set(new_q)):
        if old_q.get(q) == new_q.get(q):
            continue
        name = words.qualifier(q)
        if name == "contested":
            state = "now contested" if _true(new_q.get(q)) else "no longer contested"
            changes.append(Change("contested", f"{prefix} — {state}"))
        else:
            was, now = (words.value(v) if v else "none" for v in (old_q.get(q), new_q.get(q)))
            changes.append(Change("qualifier", f"{prefix} — {name}: {was} → {now}"))
    return changes


def _true(value: str | None) -> bool:
    """A contested mark is set: a link to the other side (kg:conflictsWith, kg:disputedBy), or a
    true flag."""
    return value is not None and value.split("^^")[0].strip('"') not in {"false", "0"}


class Words:
    """Terms as a person reads them: labels, dates in words, text without quotes."""

    def __init__(self, *builds: Build) -> None:
        self.labels = {k: v for b in builds for k, v in b.labels.items()}
        self.bounds = {k: v for b in builds for k, v in b.bounds.items()}

    def refines(self, new: str, old: str) -> bool:
        """A date whose interval lies inside the old one's, and is smaller."""
        if new not in self.bounds or old not in self.bounds:
            return False
        (a, b), (c, d) = self.bounds[new], self.bounds[old]
        return c <= a and b <= d and (a, b) != (c, d)

    def label(self, term: str) -> str:
        iri = term.strip("<>")
        return self.labels.get(iri) or compact(iri)

    def qualifier(self, term: str) -> str:
        local = re.split(r"[#/]", term)[-1]
        if term == RANK:
            return "rank"
        if local in CONTESTED:
            return "contested"
        return {str(KG.derivation): "derivation", str(KG.note): "note"}.get(term) or self.label(term)

    def value(self, term: str) -> str:
        if term.startswith("<"):
            local = term.strip("<>").rsplit("#", 1)[-1]
            return RANKS.get(local) or self.label(term)
        match = re.match(r'^"(.*)"(?:@([\w-]+)|\^\^<([^>]+)>)?$', term, re.S)
        if not match:
            return term
        text = match.group(1)
        return text.encode().decode("unicode_escape") if "\\u" in text else text.replace('\\"', '"')


def render(result: Diff, markdown: bool = False, triples: bool = False) -> str:
    """The diff as text for a terminal, or Markdown for a pull-request comment."""
    lines: list[str] = []
    marks = {
        "added": "+",
        "removed": "-",
        "changed": "~",
        "evidence": "~",
        "qualifier": "~",
        "contested": "!",
    }
    for label, changes in result.groups.items():
        lines.append(f"### {label}" if markdown else label)
        for change in changes:
            tag = f"({change.kind})"
            lines.append(
                f"- {change.text} {tag}" if markdown else f"  {marks[change.kind]} {change.text} {tag}"
            )
        if markdown:
            lines.append("")
    facts = sum(len(c) for c in result.groups.values())
    entities = f"{len(result.groups)} entit{'y' if len(result.groups) == 1 else 'ies'}"
    summary = (
        f"{facts} change(s) to facts of {entities}; "
        f"{len(result.added)} triple(s) added, {len(result.removed)} removed."
    )
    if not result.changed:
        summary = "No change."
    lines.append(summary)
    if triples and (result.added or result.removed):
        lines += ["", "```diff" if markdown else "Triples:"]
        lines += [f"- {t}" for t in result.removed] + [f"+ {t}" for t in result.added]
        lines += ["```"] if markdown else []
    return "\n".join(lines) + "\n"
