"""Whether a build's output folder already holds what building again would write.

Each build that succeeds keeps, in the project's cache (kg.cache), a stamp: the SHA-256 of
every input file (ontology/, mappings/, seeds/), the options that change the output, the
versions of the libraries the compiler reads, and, through the cache's key, kg's own code;
with it, the size and time of change of every file the build wrote. A later build with the
same stamp that finds those files as they were left rewrites nothing: a build is
deterministic, so it would write the same bytes (what make does for a target newer than its
sources). Any change to an input, an option, the code or an output file (edited by hand,
removed) builds again; a build without the cache (`--no-cache`) always does.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from kg.cache import Cache
from kg.compile.output import sha256
from kg.compile.replay import LIBRARIES
from kg.project import Project


def input_digests(project: Project) -> dict[str, str]:
    """The SHA-256 of every input file of a build, by its path from the project's folders
    (`mappings/documents/x.yaml`)."""
    inputs = sorted(
        (Path(folder.name) / p.relative_to(folder), p)
        for folder in (project.ontology, project.mappings, project.seeds)
        for p in folder.rglob("*")
        if p.is_file()
    )
    return {name.as_posix(): sha256(p) for name, p in inputs}


@dataclass(frozen=True)
class Stamp:
    """What a build into `target` was made from, as a key of the project's cache."""

    cache: Cache
    target: Path
    key: str

    @classmethod
    def of(
        cls, cache: Cache, target: Path, inputs: dict[str, str], include_drafts: bool, engine: str | None
    ) -> Stamp:
        """The stamp of a build of `inputs` (`input_digests`) into `target`, with drafts or
        not, reasoning with `engine` (as asked for: `auto` chooses by the graph's size) or
        not."""
        made_from = {
            "inputs": inputs,
            "include_drafts": include_drafts,
            "reasoning": engine,
            "libraries": {name: version(name) for name in LIBRARIES},
        }
        content = json.dumps(made_from, sort_keys=True)
        return cls(cache, target, cache.key("build", os.path.abspath(target), content))

    def holds(self) -> bool:
        """Whether a build with this stamp wrote `target` and its files are as it left them."""
        kept = self.cache.get(self.key)
        return kept is not None and kept == _fingerprint(self.target)

    def record(self) -> None:
        """Note that a build with this stamp has just written `target`, as it now is (kept
        once the cache's transaction succeeds)."""
        fingerprint = _fingerprint(self.target)
        if fingerprint is not None:
            self.cache.put(self.key, fingerprint)


def _fingerprint(folder: Path) -> dict[str, list[int]] | None:
    """The size and time of change (ns) of each file in `folder`, by name; None if it
    cannot be read."""
    try:
        stats = {entry.name: entry.stat(follow_symlinks=False) for entry in os.scandir(folder)}
        return {name: [stat.st_size, stat.st_mtime_ns] for name, stat in sorted(stats.items())}
    except OSError:
        return None
