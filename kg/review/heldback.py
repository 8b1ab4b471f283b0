"""How much of a reviewed mapping `kg propose` finds on its own: with one document's mapping
set aside, and the registry entries only that document introduces, propose a mapping for
the document and compare it with the reviewed one.

Reviewed and proposed entities are aligned before facts are compared: the same id (kept
registry entries, countries, elements); for an entity set aside, a proposed entity with one
of its names; for a post, a proposed post with the same holder and role; for claims,
observations, policies and events (whose ids a person invents), the proposed entity of the
same kind whose facts quote an overlapping passage and share the most values.
"""

from __future__ import annotations

import datetime
import shutil
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from rapidfuzz import fuzz

from kg.mapping import dates, schema
from kg.mapping.load import Loaded, load_mappings, load_model
from kg.mapping.sources import SourceDocument
from kg.project import Project
from kg.review.draft import yaml
from kg.review.names import fold
from kg.review.propose import propose_mapping

Triple = tuple[str, str, str]
TEXT_SIMILARITY = 80  # rapidfuzz token-set ratio at which two text values are the same
FREE_KINDS = ("kg:Claim", "kg:Observation")
POLICY_KINDS = (
    "kg:ExportControl",
    "kg:Directive",
    "kg:Regulation",
    "kg:Tariff",
    "kg:Agreement",
    "kg:NationalStrategy",
    "kg:Ultimatum",
)


@dataclass(frozen=True)
class Score:
    document: str
    entities: int
    entities_found: int
    facts: int
    facts_found: int
    proposed_facts: int
    proposed_found: int  # proposed statements that state a reviewed one
    sentences: int
    unmapped: int

    @property
    def entity_share(self) -> float:
        return self.entities_found / self.entities if self.entities else 1.0

    @property
    def fact_share(self) -> float:
        return self.facts_found / self.facts if self.facts else 1.0

    @property
    def precision(self) -> float:
        return self.proposed_found / self.proposed_facts if self.proposed_facts else 1.0


def measure(repo: Project, doc_id: str, workdir: Path) -> Score:
    """Set document `doc_id` aside in a copy of `repo` under `workdir`, propose, compare."""
    root = workdir / f"held-back-{doc_id}"
    for folder in ("ontology", "seeds", "mappings"):
        shutil.copytree(repo.root / folder, root / folder)
    mappings = load_mappings(repo.mappings, repo.display(repo.mappings))
    reviewed = next(d.model for d in mappings.documents if d.model.id == doc_id)
    set_aside = _introduced_only_by(reviewed, [d.model for d in mappings.documents], mappings.registry)
    _set_aside(root, reviewed, set_aside)
    project = Project.at(root)
    proposal = propose_mapping(project, root / reviewed.document, today=datetime.date(2026, 1, 1))
    proposed = load_model(proposal.path, proposal.path, schema.DocumentFile).model
    source = SourceDocument.read(root / reviewed.document, Path(reviewed.document))
    registry = [r.model for r in mappings.registry]
    names = _names(reviewed, registry)
    kinds = {e.id: e.kind for e in [*reviewed.entities, *(e for r in registry for e in r.entities)]}
    align, merged = _align(reviewed, proposed, names, kinds, source, set_aside)
    expected = _triples(reviewed)
    found_triples = {(merged.get(s, s), p, merged.get(v, v)) for s, p, v in _triples(proposed)}
    used_proposed = {ref for triple in found_triples for ref in (triple[0], triple[2])}
    used_proposed |= {e.asserted_by or "" for f in proposed.facts for e in f.evidence}
    used_proposed |= {a.outlet or "" for a in proposed.articles}
    declared = {e.id for e in reviewed.entities} | {e.id for r in registry for e in r.entities}
    wanted = {ref for ref in _entities(reviewed) if ref in declared or ":" in ref}
    matches = {triple: _matches(found_triples, triple, align) for triple in expected}
    return Score(
        doc_id,
        len(wanted),
        sum(1 for ref in wanted if align.get(ref) in used_proposed),
        len(expected),
        sum(1 for found in matches.values() if found),
        len(found_triples),
        len(set().union(*matches.values())),
        proposal.sentences,
        len(proposal.unmapped),
    )


def _refs(fact: schema.Fact) -> set[str]:
    refs = {fact.subject}
    for values in fact.properties.values():
        refs |= {v for v in (values if isinstance(values, list) else [values]) if isinstance(v, str)}
    for evidence in fact.evidence:
        refs |= {evidence.asserted_by or "", *evidence.via}
    return {r for r in refs if r and not r.startswith(("kg:", "role:", "article:")) and not r[:1].isdigit()}


def _document_refs(doc: schema.DocumentFile) -> set[str]:
    refs = {e.id for e in doc.entities} | {a.outlet for a in doc.articles if a.outlet}
    for fact in doc.facts:
        refs |= _refs(fact)
    return refs


def _entities(doc: schema.DocumentFile) -> set[str]:
    """The entities a mapping names: registry and document entities, countries, elements."""
    return {r for r in _document_refs(doc) if ":" not in r or r.startswith(("country:", "element:"))}


def _introduced_only_by(
    doc: schema.DocumentFile,
    documents: list[schema.DocumentFile],
    registry: list[Loaded[schema.RegistryFile]],
) -> set[str]:
    """The entries only `doc` names; never reference data (countries, elements), which no
    mapping introduces and which stay whatever is set aside."""
    others = set().union(*(_document_refs(d) for d in documents if d.id != doc.id))
    candidates = {ref for ref in _document_refs(doc) - others if ":" not in ref}
    parents = {e.parent for r in registry for e in r.model.entities if e.parent and e.id not in candidates}
    return candidates - parents


def _set_aside(root: Path, doc: schema.DocumentFile, entities: set[str]) -> None:
    """Remove the document's mapping, the registry entries only it introduces, and facts of
    other documents that combine its facts (ruamel keeps everything else as written)."""
    (root / "mappings" / "documents" / f"{doc.id}.yaml").unlink(missing_ok=True)
    for path in sorted((root / "mappings").glob("*/*.yaml")):
        if not path.exists():
            continue
        data = yaml().load(path.read_text(encoding="utf-8"))
        changed = _drop_references(data, doc.id)
        for key in ("entities", "facts"):
            items = data.get(key) or []
            keep = [
                item
                for item in items
                if item.get("id") not in entities
                and not any(str(ref).startswith(f"{doc.id}.") for ref in item.get("combines") or [])
            ]
            if len(keep) != len(items):
                items[:] = keep
                changed = True
        if not changed:
            continue
        if path.parent.name == "registry" and not data.get("entities"):
            path.unlink()
            continue
        with path.open("w", encoding="utf-8") as handle:
            yaml().dump(data, handle)


def _drop_references(data: dict[str, object], doc_id: str) -> bool:
    """Take the set-aside document's facts out of the facts an undated article's reference
    time rests on (`based_on`); True if any were taken out."""
    changed = False
    for article in data.get("articles") or []:  # type: ignore[attr-defined]
        reference = article.get("reference")
        if not reference:
            continue
        keep = [ref for ref in reference["based_on"] if not str(ref).startswith(f"{doc_id}.")]
        if len(keep) != len(reference["based_on"]):
            reference["based_on"][:] = keep
            changed = True
    return changed


def _names(doc: schema.DocumentFile, registry: list[schema.RegistryFile]) -> dict[str, set[str]]:
    names: dict[str, set[str]] = defaultdict(set)
    for entity in [*doc.entities, *(e for r in registry for e in r.entities)]:
        for name in [entity.label.en, entity.label.zh, *entity.variants.en, *entity.variants.zh]:
            if name:
                names[entity.id].add(fold(name))
                words = name.split()
                if len(words) == 2:
                    names[entity.id].add(fold(f"{words[1]} {words[0]}"))
    return names


def _align(
    reviewed: schema.DocumentFile,
    proposed: schema.DocumentFile,
    names: dict[str, set[str]],
    kinds: dict[str, str],
    source: SourceDocument,
    set_aside: set[str],
) -> tuple[dict[str, str], dict[str, str]]:
    """Reviewed ids -> proposed ids; and proposed entities that name one entry set aside
    twice (a reviewer merges them) -> the one it is aligned with."""
    known = {e.id for e in proposed.entities}
    merged: dict[str, str] = {}
    used = _document_refs(proposed)
    align = {ref: ref for ref in _document_refs(reviewed) - set_aside if ref in used or ":" in ref}
    new = {e.id: e for e in proposed.entities}
    for ref, forms in names.items():
        if ref not in set_aside:
            continue
        same = [
            entity.id
            for entity in proposed.entities
            if any(
                fuzz.token_sort_ratio(fold(a), b) >= 90
                for a in (entity.label.en, entity.label.zh)
                if a
                for b in forms
            )
        ]
        if same:
            align[ref] = same[0]
            merged |= {other: same[0] for other in same[1:]}
    posts = _posts(proposed)
    for (member, role), post in _posts(reviewed).items():
        mapped = (align.get(member, member), role)
        if mapped in posts:
            align[post] = posts[mapped]
    taken = set(align.values())
    spans_r, spans_p = _spans(reviewed, source), _spans(proposed, source)
    values_r, values_p = _values_by_subject(reviewed), _values_by_subject(proposed)
    pairs = []
    for ref in set(spans_r) - set(align):
        wanted = {(p, align.get(v, v)) for p, v in values_r[ref]}
        for other in set(spans_p) - taken:
            if other not in known or not _same_family(kinds.get(ref), new[other].kind):
                continue
            overlap = _overlap(spans_r[ref], spans_p[other])
            if overlap:
                pairs.append((len(wanted & values_p[other]), overlap, ref, other))
    for _, _, ref, other in sorted(pairs, reverse=True):  # the best pairs first, each side once
        if ref not in align and other not in taken:
            align[ref] = other
            taken.add(other)
    return align, merged


def _same_family(reviewed_kind: str | None, proposed_kind: str) -> bool:
    """Claims with claims, observations with observations, policies with policies; other
    kinds (a proposed kind is a guess) with anything but those."""
    if reviewed_kind is None:
        return False
    for family in (FREE_KINDS[:1], FREE_KINDS[1:], POLICY_KINDS, ("kg:Post",)):
        if reviewed_kind in family or proposed_kind in family:
            return reviewed_kind in family and proposed_kind in family
    return True


def _posts(doc: schema.DocumentFile) -> dict[tuple[str, str], str]:
    posts = {}
    for fact in doc.facts:
        member, role = fact.properties.get("org:member"), fact.properties.get("org:role")
        if isinstance(member, str) and isinstance(role, str):
            posts[(member, role)] = fact.subject
    return posts


def _spans(doc: schema.DocumentFile, source: SourceDocument) -> dict[str, list[tuple[int, int]]]:
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for fact in doc.facts:
        for evidence in fact.evidence:
            for start in source.occurrences(evidence.quote, (0, len(source.text))):
                spans[fact.subject].append((start, start + len(evidence.quote)))
    return spans


def _overlap(first: list[tuple[int, int]], second: list[tuple[int, int]]) -> int:
    return sum(max(0, min(b, d) - max(a, c)) for a, b in first for c, d in second)


def _values_by_subject(doc: schema.DocumentFile) -> dict[str, set[tuple[str, str]]]:
    values: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for subject, prop, value in _triples(doc):
        values[subject].add((prop, value))
    return values


def _triples(doc: schema.DocumentFile) -> set[Triple]:
    triples = set()
    for fact in doc.facts:
        for prop, values in fact.properties.items():
            for value in values if isinstance(values, list) else [values]:
                if isinstance(value, str):
                    text = value
                elif isinstance(value, schema.Said):
                    text = f"@said {value.said}"
                else:
                    text = f"@text {value.en or value.zh or ''}"
                triples.add((fact.subject, prop, text))
    return triples


def _matches(found: set[Triple], triple: Triple, align: dict[str, str]) -> set[Triple]:
    """The proposed triples that state the reviewed `triple`."""
    subject, prop, value = triple
    subject = align.get(subject, subject)
    value = align.get(value, value)
    return {
        (s, p, v) for s, p, v in found if s == subject and p == prop and (v == value or _same_value(v, value))
    }


def _same_value(found: str, wanted: str) -> bool:
    if found.startswith("@said ") or wanted.startswith("@said "):
        return _same_date(found, wanted)
    if found.startswith("@text ") and wanted.startswith("@text "):
        return fuzz.token_set_ratio(fold(found[6:]), fold(wanted[6:])) >= TEXT_SIMILARITY
    try:
        return Decimal(found) == Decimal(wanted)
    except InvalidOperation:
        return False


def _same_date(found: str, wanted: str) -> bool:
    """The same date written in the text's words and in EDTF ("April 17, 2025" and
    "2025-04-17"): the same days, or the same month and day without a year."""
    try:
        first, second = _calendar(found), _calendar(wanted)
    except ValueError:
        return False
    if isinstance(first, dates.Placed) and isinstance(second, dates.Placed):
        return first.bounds == second.bounds
    return first == second


def _calendar(value: str) -> dates.Expression:
    return dates.read_wording(value[6:]) if value.startswith("@said ") else dates.parse(value)
