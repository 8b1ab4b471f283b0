"""`kg add`: a new document copied into seeds/ as NNN_<first 16 hex digits of its SHA-256>.txt
(refusing a name or a content seeds/ already has), then a draft mapping proposed for it,
which records the SHA-256."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

from kg.errors import KgError, Location
from kg.mapping.textfile import decode, read_bytes
from kg.project import Project
from kg.review.propose import Proposal, propose_mapping

_NUMBERED = re.compile(r"^(\d+)_")


def add_document(project: Project, file: Path) -> Proposal:
    raw = read_bytes(file, file)
    text = decode(raw, file)
    if not text.strip():
        raise KgError("the document is empty", Location(file))
    digest = hashlib.sha256(raw).hexdigest()
    existing = sorted(p for p in project.seeds.iterdir() if p.is_file())
    for seed in existing:
        if hashlib.sha256(seed.read_bytes()).hexdigest() == digest:
            raise KgError(f"seeds/{seed.name} has the same content", Location(file))
    numbers = [int(m.group(1)) for p in existing if (m := _NUMBERED.match(p.name))]
    target = project.seeds / f"{max(numbers, default=-1) + 1:03d}_{digest[:16]}.txt"
    if target.exists() or (project.mappings / "documents" / f"{target.name[:3]}.yaml").exists():
        raise KgError(f"seeds/{target.name} or its mapping exists already", Location(file))
    shutil.copyfile(file, target)
    try:
        return propose_mapping(project, target)
    except KgError:
        target.unlink()
        raise
