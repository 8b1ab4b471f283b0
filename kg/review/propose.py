"""`kg propose`: a draft mapping for a seed document, every fact a draft with its sentence
as the quote, every other sentence listed as not yet mapped. Never overwrites a file, and
checks that what it wrote loads and builds (with --include-drafts) before it returns."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path

from kg.compile.builder import compile_project
from kg.errors import KgError
from kg.mapping.load import load_mappings
from kg.mapping.sources import SourceDocument
from kg.project import Project
from kg.review.candidates import acronym_after, new_names, short_forms
from kg.review.candidates import known as candidate
from kg.review.draft import ArticleEntry, Evidence, render
from kg.review.groups import with_groups
from kg.review.layout import ArticleLayout, Sentence, articles, outside_articles
from kg.review.names import CAPITALISED, Mention, Names, fold
from kg.review.proposal import Book, NewEntity, Proposed
from kg.review.reading import ArticleContext, read
from kg.review.relations import SOURCES
from kg.review.rules import propose

_WORDS = re.compile(r"\b[a-z][a-z'’-]+\b")
_INSIDE = re.compile(r"(?<=[a-z,] )[A-Z][\w-]+")


@dataclass(frozen=True)
class Proposal:
    """What `kg propose` wrote."""

    path: Path
    facts: int
    new_entities: int
    sentences: int
    unmapped: list[tuple[str, Sentence]]


def propose_mapping(
    project: Project, seed: Path, out: Path | None = None, today: datetime.date | None = None
) -> Proposal:
    """Write a draft mapping of `seed` to `out` (default mappings/documents/ID.yaml)."""
    seed_path = _seed(project, seed)
    doc_id = document_id(seed_path)
    target = out or project.mappings / "documents" / f"{doc_id}.yaml"
    if target.exists():
        raise KgError(f"{project.display(target)} exists; kg propose never overwrites a mapping (use --out)")
    relative = seed_path.relative_to(project.root).as_posix()
    mappings = load_mappings(project.mappings, project.display(project.mappings))
    for loaded in mappings.documents:
        if (project.root / loaded.model.document).resolve() == seed_path:
            raise KgError(f"{relative} is already mapped", loaded.at("document"))
    declared = {e.id for r in mappings.registry for e in r.model.entities}
    declared |= {e.id for d in mappings.documents for e in d.model.entities}
    generated, compiled = compile_project(project, include_drafts=True)
    names = Names.from_quads([*generated, *compiled.quads])
    source = SourceDocument.read(seed_path, Path(relative))
    book = Book(names, declared)
    layouts = articles(source)
    if not layouts:
        raise KgError(f"{relative} has no text to map")
    lowercase = set(_WORDS.findall(source.text))
    capitalised = set(_INSIDE.findall(source.text))  # capitalised words inside sentences
    _family_names(names, source.text)
    _cited_outlets(source.text, book)
    entries, facts, unmapped, sentences = [], [], [], 0
    for number, layout in enumerate(layouts, 1):
        ident = str(number) if len(layouts) > 1 else None
        entries.append(ArticleEntry(layout, _outlet(layout, book, lowercase)))
        context = ArticleContext(str(number), layout.date, len(layouts) > 1)
        for sentence in layout.sentences:
            if layout.byline and sentence.text == layout.byline:
                continue
            sentences += 1
            mentions = _mentions(sentence, book, lowercase, capitalised)
            proposed = propose(read(sentence, mentions, context), context, book)
            if not proposed:
                unmapped.append((str(number), sentence))
            span = source.span(layout.first, layout.last)
            where = Evidence(ident, _occurrence(source, sentence, span))
            facts += [(fact, where) for fact in proposed]
    outside = outside_articles(source, layouts)
    unmapped = [("outside articles", s) for s in outside] + unmapped
    sentences += len(outside)
    used = _used(facts) | {entry.outlet for entry in entries if entry.outlet}
    new = [e for e in book.entities.values() if e.known.ref in used]
    text = render(
        doc_id, relative, source.sha256, entries, new, facts, unmapped, today or datetime.date.today()
    )
    _write_checked(project, target, text)
    return Proposal(target, len(facts), len(new), sentences, unmapped)


def document_id(seed: Path) -> str:
    """`005` for `seeds/005_1a2b….txt`; the slug of the file name otherwise."""
    head = seed.stem.split("_", 1)[0].lower()
    slug = re.sub(r"[^a-z0-9]+", "-", head).strip("-")
    return slug or "document"


def _seed(project: Project, seed: Path) -> Path:
    path = seed.resolve()
    if not seed.is_absolute() and (project.root / seed).is_file():
        path = (project.root / seed).resolve()  # relative to the project, like the mappings
    if not path.is_file():
        raise KgError(f"no such document: {seed}")
    if not path.is_relative_to(project.seeds.resolve()):
        raise KgError(f"{seed} is not in seeds/; add it with 'kg add {seed}'")
    return path


def _family_names(names: Names, text: str) -> None:
    """Let a person's family name alone ("Liao") name them in a document that names them in
    full ("Chunsheng Liao") and names no one else with that family name."""
    people: dict[str, set[str]] = {}
    for mention in names.find(text):
        if mention.known.isa("kg:Person") and len(mention.known.label.split()) == 2:
            people.setdefault(mention.known.label.split()[0], set()).add(mention.known.ref)
    for family, refs in people.items():
        if len(refs) == 1 and fold(family) not in names.forms:
            names.add(names.known[next(iter(refs))], [family])


def _cited_outlets(text: str, book: Book) -> None:
    """Names an article lists as its sources ("this article cites information from A, B and
    Nordpress") are news outlets, wherever the document names them."""
    for line in text.splitlines():
        if not (cited := SOURCES.search(line)):
            continue
        listed = re.split(r",\s*(?:and\s+)?|\s+and\s+", line[cited.end() :].strip().rstrip("."))
        for name in (n.strip() for n in listed):
            if CAPITALISED.fullmatch(name) and fold(name) not in book.names.forms:
                entity = candidate(name, "kg:NewsOutlet", book.taken, book.names)
                book.entities[entity.ref] = NewEntity(entity, "a source the article lists")
                book.names.add(entity, [name])


def _mentions(sentence: Sentence, book: Book, lowercase: set[str], capitalised: set[str]) -> list[Mention]:
    """Known names, then unknown ones proposed as new entities (and known from then on)."""
    found = book.names.find(sentence.text)
    found = with_groups(sentence.text, found, book.names)
    fresh = False
    for name, kind in new_names(sentence.text, found, lowercase, capitalised):
        if fold(name) in book.names.forms:
            continue  # named already, as the short form of a name before it
        entity = candidate(name, kind, book.taken, book.names)
        book.entities[entity.ref] = NewEntity(entity, f"a name not in the registry, at line {sentence.line}")
        book.names.add(entity, [name, *short_forms(name, book.names), *acronym_after(name, sentence.text)])
        fresh = True
    if fresh:
        found = book.names.find(sentence.text)
        found = with_groups(sentence.text, found, book.names)
    return found


def _outlet(layout: ArticleLayout, book: Book, lowercase: set[str]) -> str | None:
    if not layout.outlet:
        return None
    outlets = [m for m in book.names.find(layout.outlet) if m.known.isa("kg:NewsOutlet")]
    if outlets:
        return outlets[0].known.ref
    entity = candidate(layout.outlet, "kg:NewsOutlet", book.taken, book.names)
    book.entities[entity.ref] = NewEntity(entity, "the outlet in a byline")
    book.names.add(entity, [layout.outlet])
    return entity.ref


def _occurrence(source: SourceDocument, sentence: Sentence, span: tuple[int, int]) -> int | None:
    hits = source.occurrences(sentence.text, span)
    return hits.index(sentence.start) + 1 if len(hits) > 1 else None


def _used(facts: list[tuple[Proposed, Evidence]]) -> set[str]:
    used = set()
    for fact, _ in facts:
        used.add(fact.subject)
        used |= {v for values in fact.properties.values() for v in values if isinstance(v, str)}
        used |= {r for r in (fact.voice.asserted_by, *fact.voice.via) if r}
    return used


def _write_checked(project: Project, target: Path, text: str) -> None:
    """Create `target` (never replacing a file), then load and compile the project with it;
    remove it again if it does not build."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8") as handle:
        handle.write(text)
    try:
        compile_project(project, include_drafts=True)
    except KgError as exc:
        target.unlink()
        raise KgError(f"the proposed mapping does not build (a bug in kg propose):\n{exc}") from None
