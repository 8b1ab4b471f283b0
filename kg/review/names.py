"""Finding the names the project already knows in a text: the registry's entities, the
countries and elements of the reference data, and the roles and kinds of departure of the
ontology's vocabularies, by label and variant, in English and Chinese.

Every name goes into one Aho–Corasick automaton (pyahocorasick) over a case- and
punctuation-folded text; the longest match wins, and Latin names must start and end at word
boundaries. Chinese personal names are also tried in the other order ("Liao Chunsheng",
"Chunsheng Liao"). A capitalised phrase that misses by a letter or two ("China Rare Earth
Holding") is matched with rapidfuzz.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import ahocorasick
import pyoxigraph as ox
from rapidfuzz import fuzz, process

from kg.vocab import ONTOLOGY_IRI, ORG, RDF, RDFS, SKOS, compact

# Names of countries that the reference data (ISO 3166 names) lacks: short forms,
# demonyms and capitals that news texts use for the country.
COUNTRY_FORMS = {
    "US": ["U.S.", "US", "USA", "U.S.A.", "America", "American", "Americans", "Washington"],
    "CN": ["Chinese", "Beijing", "中方", "我国"],
    "TW": ["Taiwanese", "Taipei"],
    "CA": ["Canadian"],
    "IN": ["Indian"],
    "JP": ["Japanese"],
    "KR": ["Korea", "Korean"],
    "DE": ["German"],
    "FR": ["French"],
    "GB": ["Britain", "British", "UK", "U.K."],
    "RU": ["Russia", "Russian"],
    "MY": ["Malaysian"],
    "SA": ["Saudi"],
    "AU": ["Australian"],
    "VN": ["Vietnamese"],
}
# Inflections of the kinds of departure (the vocabulary gives one form of each).
DEPARTURE_FORMS = {
    "kg:Resigned": ["resign", "resigns", "resigning", "resignation", "resignations", "辞去", "离职"],
    "kg:SteppedDown": ["step down", "steps down", "stepping down", "stepped down", "step aside"],
    "kg:Reassigned": ["transferred", "调整"],
    "kg:Dismissed": ["removed from", "fired", "sacked", "免职", "免去"],
}
_POLICY_IRIS = {f"{ONTOLOGY_IRI}#{name}": f"kg:{name}" for name in ("issuedBy", "controls", "concerns")}
UNNAMED = {"kg:Claim", "kg:Observation", "kg:Post", "kg:Article", "kg:Document", "kg:Evidence"}
_FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "-": " ", "‐": " ", "–": " "})
_LETTER = r"[^\W\u3000-\u9fff\uf900-\uffef]"  # a word character that is not Chinese
CAPITALISED = re.compile(
    rf"(?<![\w'])(?:[A-Z](?:{_LETTER}|['’.&])*(?:-[A-Z]?(?:{_LETTER}|['’.&])+)*)"
    rf"(?:\s+(?:(?:of|and|for|the|de|on|in|von|van|der|den|da|di|du|bin)\s+)*[A-Z(](?:{_LETTER}|['’.&)])*(?:-[A-Z]?(?:{_LETTER}|['’.&])+)*)*"
    r"(?:\s+\d{3,}[A-Z]+\b)?"  # a model number: "Falcon 220X"
)


@dataclass(frozen=True)
class Known:
    """Something the project has a name for: an entity id or a CURIE, its kind and label."""

    ref: str
    kind: str
    label: str
    families: frozenset[str] = frozenset()

    def isa(self, family: str) -> bool:
        return family in self.families


@dataclass(frozen=True)
class Mention:
    """Where a text names something, and how it was recognised."""

    start: int
    end: int
    text: str
    known: Known
    how: str = "name"  # "name", "fuzzy" (a near miss) or "candidate" (a new entity)


@dataclass
class Names:
    """The known names, indexed for finding them in text."""

    known: dict[str, Known] = field(default_factory=dict)
    forms: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # folded name -> refs
    posts: dict[tuple[str, str, str], str] = field(default_factory=dict)  # member, role, org -> post
    # policy -> kg:issuedBy, kg:controls or kg:concerns -> refs (the registry's, and those proposed)
    policies: dict[str, dict[str, set[str]]] = field(default_factory=dict)
    acronyms: set[str] = field(default_factory=set)  # folded names written only in capitals
    parents: dict[str, set[str]] = field(default_factory=dict)  # class -> superclasses (CURIEs)
    _automaton: ahocorasick.Automaton | None = None

    @classmethod
    def from_quads(cls, quads: Iterable[ox.Quad]) -> Names:
        """Read names, kinds, class hierarchy and posts from a compiled project's quads."""
        types: dict[str, set[str]] = defaultdict(set)
        labels: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        english: dict[str, str] = {}
        parents: dict[str, set[str]] = defaultdict(set)
        post_parts: dict[str, dict[str, str]] = defaultdict(dict)
        policy_parts: list[tuple[str, str, str]] = []
        for quad in quads:
            s, p, o = quad.subject, quad.predicate.value, quad.object
            if not isinstance(s, ox.NamedNode):
                continue
            if p == str(RDF.type) and isinstance(o, ox.NamedNode):
                types[s.value].add(compact(o.value))
            elif p in (str(RDFS.label), str(SKOS.altLabel)) and isinstance(o, ox.Literal):
                labels[s.value][p].append(o.value)
                if p == str(RDFS.label) and o.language == "en":
                    english[s.value] = o.value
            elif p == str(RDFS.subClassOf) and isinstance(o, ox.NamedNode):
                parents[compact(s.value)].add(compact(o.value))
            elif p in (str(ORG.member), str(ORG.role), str(ORG.organization)) and isinstance(o, ox.NamedNode):
                post_parts[s.value][p] = _ref(o.value)
            elif p in _POLICY_IRIS and isinstance(o, ox.NamedNode):
                policy_parts.append((_ref(s.value), _POLICY_IRIS[p], _ref(o.value)))
        names = cls(parents=parents)
        for iri, kinds in types.items():
            ref = _ref(iri)
            named = ":" not in ref or ref.startswith(("country:", "element:", "role:"))
            if not (named or "kg:DepartureKind" in kinds) or kinds & UNNAMED:
                continue
            kind = sorted(kinds)[0]
            known = Known(ref, kind, english.get(iri, ref), _families(kinds, parents))
            names.add(known, [*labels[iri][str(RDFS.label)], *labels[iri][str(SKOS.altLabel)]])
        for code, forms in COUNTRY_FORMS.items():
            if f"country:{code}" in names.known:
                names.add(names.known[f"country:{code}"], forms)
        for ref, forms in DEPARTURE_FORMS.items():
            if ref in names.known:
                names.add(names.known[ref], forms)
        for iri, parts in post_parts.items():
            if len(parts) == 3:
                key = (parts[str(ORG.member)], parts[str(ORG.role)], parts[str(ORG.organization)])
                names.posts[key] = _ref(iri)
        for policy, prop, value in policy_parts:
            names.policies.setdefault(policy, {}).setdefault(prop, set()).add(value)
        return names

    def new(self, ref: str, kind: str, label: str) -> Known:
        """Something new, of a kind of the ontology (and all the kinds above it)."""
        return Known(ref, kind, label, _families({kind}, self.parents))

    def add(self, known: Known, forms: Iterable[str]) -> None:
        """Register names of `known`, with other word orders and number where they apply."""
        self.known[known.ref] = known
        self._automaton = None
        for form in forms:
            for variant in _variants(form, known):
                folded = fold(variant)
                if not folded.strip():
                    continue
                if _acronym(variant) and folded not in self.forms:
                    self.acronyms.add(folded)
                elif not _acronym(variant):
                    self.acronyms.discard(folded)
                self.forms[folded].add(known.ref)

    def find(self, text: str) -> list[Mention]:
        """The known names in `text`, longest first where they overlap, then near misses."""
        folded = fold(text)
        hits = []
        for end, key in self.automaton.iter(folded):
            start = end - len(key) + 1
            found = text[start : end + 1]
            if _bounded(text, start, end + 1) and (key not in self.acronyms or _acronym(found)):
                hits.append((start, end + 1, key))
        chosen: list[Mention] = []
        for start, end, key in sorted(hits, key=lambda h: (h[0] - h[1], h[0])):
            if any(m.start < end and start < m.end for m in chosen):
                continue
            ref = sorted(self.forms[key])[0]
            chosen.append(Mention(start, end, text[start:end], self.known[ref]))
        chosen += self._near_misses(text, chosen)
        return sorted(chosen, key=lambda m: m.start)

    def inside(self, name: str, family: str) -> list[Known]:
        """What of `family` a name contains as a part of it ("Canadian" in "Canadian Rare Earth
        Laboratory", 法国 in 法国米斯特拉尔公司), not the whole name."""
        folded = fold(name)
        found = []
        for end, key in self.automaton.iter(folded):
            start = end - len(key) + 1
            whole = len(key) >= len(folded.strip())
            acronym_ok = key not in self.acronyms or _acronym(name[start : end + 1])
            if not whole and acronym_ok and _bounded(name, start, end + 1):
                found += [self.known[ref] for ref in sorted(self.forms[key]) if self.known[ref].isa(family)]
        return found

    @property
    def automaton(self) -> ahocorasick.Automaton:
        if self._automaton is None:
            automaton = ahocorasick.Automaton()
            for key in self.forms:
                automaton.add_word(key, key)
            automaton.make_automaton()
            self._automaton = automaton
        return self._automaton

    def _near_misses(self, text: str, found: list[Mention]) -> Iterator[Mention]:
        choices = [key for key in self.forms if len(key) >= 8 and key.isascii()]
        for match in CAPITALISED.finditer(text):
            start, end = match.span()
            if len(match.group()) < 8 or any(m.start < end and start < m.end for m in found):
                continue
            best = process.extractOne(fold(match.group()), choices, scorer=fuzz.ratio, score_cutoff=90)
            if best:
                ref = sorted(self.forms[best[0]])[0]
                yield Mention(start, end, match.group(), self.known[ref], "fuzzy")


def fold(text: str) -> str:
    """Case and punctuation folded, keeping every character's position."""
    return "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text.translate(_FOLD))


def _ref(iri: str) -> str:
    curie = compact(iri)
    return curie.removeprefix("ent:") if curie.startswith("ent:") else curie


def _families(kinds: set[str], parents: dict[str, set[str]]) -> frozenset[str]:
    seen: set[str] = set()
    todo = list(kinds)
    while todo:
        kind = todo.pop()
        if kind not in seen:
            seen.add(kind)
            todo.extend(parents.get(kind, ()))
    return frozenset(seen)


def _variants(name: str, known: Known) -> Iterator[str]:
    yield name
    if name.lower().startswith("unnamed "):
        yield name[len("unnamed ") :]  # "unnamed Nordic drone laboratory": what a text calls it
    words = name.split()
    if known.isa("kg:Person") and len(words) == 2:
        yield f"{words[1]} {words[0]}"  # Chinese names in Western order, and back
    if known.isa("kg:Role"):
        yield name + "s"
        if name.startswith("chair "):
            yield "chairman " + name.removeprefix("chair ")
    lowercase = name == name.lower() and name.isascii()
    if lowercase and name.endswith("s") and not name.endswith("ss") and not known.isa("kg:Role"):
        yield name[:-1]  # "rare earths" -> "rare earth"


def _bounded(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    inner_first, inner_last = text[start], text[end - 1]
    return not (_latin(before) and _latin(inner_first)) and not (_latin(after) and _latin(inner_last))


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _acronym(name: str) -> bool:
    """A short all-capital name ("AI", "IEA", "U.S."), matched only in capitals."""
    letters = [c for c in name if c.isalpha()]
    return 0 < len(letters) <= 5 and all(c.isascii() and c.isupper() for c in letters)
