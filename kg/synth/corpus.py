"""A synthetic project: N documents in `seeds/`, their mappings and a registry in `mappings/`,
and the ontology of the project it is made from; the same seed gives the same bytes."""

from __future__ import annotations

import itertools
import random
import re
import shutil
import tempfile
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from kg.errors import KgError
from kg.project import Project
from kg.synth.passages import PASSAGES, Draft
from kg.synth.world import Entity, World

FIRST_DAY = datetime(2024, 1, 1, 6, 0)
REVIEW = {"status": "reviewed", "reviewer": "kg synth", "date": "2026-01-01"}
CHINESE_SHARE = 0.2
REGISTRY_FILE_ENTRIES = 5000  # entries per registry file, well under the loader's size limit


def synthesize(project: Project, documents: int, out: Path, seed: int = 0) -> int:
    """Write a project of `documents` synthetic documents to `out` (which must not exist or be
    empty), with `project`'s ontology; the number of facts written."""
    if documents < 1:
        raise KgError(f"--docs must be at least 1 (got {documents})")
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise KgError(f"{out} exists and is not an empty directory; choose a new one")
    files, facts = corpus(documents, seed)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".synth-", dir=out.parent))
    try:
        for relative, text in files.items():
            path = staging / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        shutil.copytree(project.ontology, staging / "ontology")
        if out.exists():
            out.rmdir()
        staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return facts


def corpus(documents: int, seed: int) -> tuple[dict[str, str], int]:
    """The files of the corpus (path in the project → text) and how many facts they state."""
    rng = random.Random(seed)
    world = World.invent(rng, documents)
    registry: dict[str, Entity] = {}
    files: dict[str, str] = {}
    facts = 0
    mentioned: set[str] = set()
    width = max(3, len(str(documents - 1)))
    span = int((datetime(2025, 12, 31) - FIRST_DAY).total_seconds() // 60)
    for number in range(documents):
        doc_id = f"{number:0{width}d}"
        published = FIRST_DAY + timedelta(minutes=rng.randrange(span))
        draft = Draft(
            rng=rng,
            world=world,
            doc_id=doc_id,
            chinese=rng.random() < CHINESE_SHARE,
            published=published.date(),
            outlet=world.outlets.draw(rng),
            registry=registry,
        )
        text, mapping = _document(draft, doc_id, published)
        files[f"seeds/{doc_id}.txt"] = text
        files[f"mappings/documents/{doc_id}.yaml"] = _yaml(mapping)
        facts += len(mapping["facts"])
        mentioned.update(_strings(mapping))
    used = sorted((e for e in registry.values() if e.id in mentioned), key=lambda e: (e.kind, e.id))
    for kind, group in itertools.groupby(used, key=lambda e: e.kind):
        entries = [{"id": e.id, "kind": e.kind, "label": {"en": e.en, "zh": e.zh}} for e in group]
        for part in range(0, len(entries), REGISTRY_FILE_ENTRIES):
            stem = re.sub(r"(?<=[a-z])(?=[A-Z])", "-", kind.removeprefix("kg:")).lower()
            name = f"{stem}-{part // REGISTRY_FILE_ENTRIES + 1:02d}"
            files[f"mappings/registry/{name}.yaml"] = _yaml(
                {"entities": entries[part : part + REGISTRY_FILE_ENTRIES]}
            )
    return files, facts


def _document(draft: Draft, doc_id: str, published: datetime) -> tuple[str, dict[str, Any]]:
    """Write passages until the article has 4 to 10 of them; each passage's quotes occur once."""
    passages, weights = zip(*PASSAGES, strict=True)
    target = draft.rng.randint(4, 10)
    while len(draft.lines) < target:
        before = (len(draft.lines), len(draft.facts), len(draft.entities))
        draft.rng.choices(passages, weights=weights)[0](draft)
        body = "\n".join(draft.lines)
        if any(body.count(ev["quote"]) != 1 for fact in draft.facts for ev in fact["evidence"]):
            del draft.lines[before[0] :], draft.facts[before[1] :], draft.entities[before[2] :]
    subject = draft.name(draft.world.firms.draw(draft.rng))
    title = f"{subject}人事与市场动态" if draft.chinese else f"{subject}: people, prices and policy"
    stamp = f"{published:%Y-%m-%d %H:%M}"
    byline = f"{draft.outlet.en}· {stamp}" if draft.chinese else f"{draft.outlet.en} · {stamp}"
    draft.registry[draft.outlet.id] = draft.outlet
    lines = [title, byline, *draft.lines]
    language = "zh" if draft.chinese else "en"
    article = {
        "id": "1",
        "lines": f"1-{len(lines)}",
        "title": {language: title},
        "byline": byline,
        "outlet": draft.outlet.id,
        "published": stamp,
        "language": [language],
    }
    mapping = {
        "id": doc_id,
        "document": f"seeds/{doc_id}.txt",
        "review": REVIEW,
        "articles": [article],
        "entities": draft.entities,
        "facts": draft.facts,
    }
    return "\n".join(lines) + "\n", mapping


def _strings(data: Any) -> Iterator[str]:
    """Every string in a mapping (the entity ids it mentions among them)."""
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from _strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from _strings(value)


class _Dumper(yaml.CSafeDumper if yaml.__with_libyaml__ else yaml.SafeDumper):  # type: ignore[misc]
    """Writes every value in full: no anchors and aliases for repeated lists. libyaml's
    emitter, where PyYAML has it, writes the same bytes as PyYAML's, 20 times faster."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _yaml(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10_000)
