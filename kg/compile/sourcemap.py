"""Where each node and fact of the graph came from: mapping file, line, and quote.

The build writes `sources.json` beside the graph; validation reads it to point a finding
back at the line a reviewer has to fix.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Collection
from pathlib import Path
from typing import Any, NamedTuple

import pyoxigraph as ox

from kg.errors import KgError, Location

FILE = "sources.json"


class Source(NamedTuple):
    """A line of a mapping file, and the quote it gives when it states a fact. A tuple: an
    entity named in thousands of documents has thousands, each looked for among the others
    when added (compared in C: at 10,000 documents, 4.6 million comparisons took 3 s as a
    dataclass's), and a million of them take 64 bytes each."""

    path: str
    line: int
    quote: str | None = None

    @classmethod
    def at(cls, location: Location, quote: str | None = None) -> Source:
        return cls(sys.intern(location.path.as_posix()), location.line, quote)  # one copy per file

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


def triple_key(subject: object, predicate: object, obj: object) -> str:
    """A triple in N-Triples syntax, the key of the triple index."""
    return f"{subject} {predicate} {obj}"


class SourceMap:
    """Sources by node IRI and by triple, each a tuple of distinct sources: nearly every key
    has one, and a set of one takes four times the memory (at 10,000 documents, 830,000 keys)."""

    def __init__(self) -> None:
        self.nodes: dict[str, tuple[Source, ...]] = {}
        self.triples: dict[str, tuple[Source, ...]] = {}

    def node(self, node: ox.NamedNode, source: Source) -> None:
        _add(self.nodes, node.value, source)

    def triple(self, triple: ox.Triple, source: Source) -> None:
        self.stated(triple.subject, triple.predicate, triple.object, source)

    def stated(self, subject: object, predicate: object, obj: object, source: Source) -> None:
        """The source of the triple of these terms."""
        _add(self.triples, triple_key(subject, predicate, obj), source)

    def update(self, nodes: dict[str, tuple[Source, ...]], triples: dict[str, tuple[Source, ...]]) -> None:
        """Add the entries of another map's tables (each a tuple of distinct sources)."""
        for table, into in ((nodes, self.nodes), (triples, self.triples)):
            for key, sources in table.items():
                if key not in into:
                    into[key] = sources
                else:
                    for source in sources:
                        _add(into, key, source)

    def lookup(self, focus: str, triple: str | None = None) -> list[Source]:
        """The sources of a triple if known, else where its subject was declared."""
        found = self.triples.get(triple or "") or self.nodes.get(focus) or ()
        return sorted(found)

    def write(self, path: Path) -> None:
        """JSON with one entry a line, as `json.dumps` writes each (but for `indent`)."""
        text = _Encoder()
        with path.open("w", encoding="utf-8") as out:
            for opening, table in (('{\n "nodes": {', self.nodes), ('\n },\n "triples": {', self.triples)):
                out.write(opening)
                separator = "\n  "
                for key, sources in sorted(table.items()):
                    entry = ", ".join(map(text.source, sorted(sources)))
                    out.write(f"{separator}{text.string(key)}: [{entry}]")
                    separator = ",\n  "
            out.write("\n }\n}\n")

    @classmethod
    def read(cls, path: Path, keys: Collection[str] | None = None) -> SourceMap:
        """The map `write` wrote to `path`; with `keys`, only the entries of these nodes and
        triples (read from the lines of those entries, not the whole file: at 10,000
        documents 1.4 s, not 6.2)."""
        wanted = set(keys) if keys is not None else None
        try:
            text = path.read_text(encoding="utf-8")
            content = _entries(text, wanted) if wanted is not None else None
            if content is None:
                content = json.loads(text)
        except (OSError, ValueError) as exc:
            raise KgError(f"cannot read the build's source map: {exc}", Location(path)) from None
        result = cls()
        for table, entries in (("nodes", result.nodes), ("triples", result.triples)):
            for key, sources in content.get(table, {}).items():
                if wanted is None or key in wanted:
                    for s in sources:
                        _add(entries, key, Source(sys.intern(s["file"]), s["line"], s.get("quote")))
        return result


def _entries(text: str, keys: set[str]) -> dict[str, dict[str, Any]] | None:
    """The entries of `keys` in a map with one entry a line, as `SourceMap.write` writes it
    (None for a file laid out otherwise)."""
    found: dict[str, dict[str, Any]] = {"nodes": {}, "triples": {}}
    table = None
    for line in text.splitlines():
        if line.startswith('  "') and table is not None:
            key, end = json.decoder.scanstring(line, 3)  # type: ignore[attr-defined]
            if key in keys:  # the line goes on `": [sources]"`, and a comma but for the last
                found[table][key] = json.loads(line[end + 1 :].removesuffix(","))
        elif line in (' "nodes": {', ' "triples": {'):
            table = line.split('"')[1]
        elif line not in ("{", " },", " }", "}"):
            return None
    return found


def _add(table: dict[str, tuple[Source, ...]], key: str, source: Source) -> None:
    known = table.get(key, ())
    if source not in known:
        table[key] = (*known, source)


class _Encoder:
    """A source as `json.dumps` writes `{"file": …, "line": …, "quote": …}`, its file's name
    encoded once (a million sources at 10,000 documents, from a few thousand files)."""

    def __init__(self) -> None:
        self.files: dict[str, str] = {}
        self.string = functools.partial(json.dumps, ensure_ascii=False)

    def source(self, source: Source) -> str:
        file = self.files.get(source.path)
        if file is None:
            file = self.files[source.path] = self.string(source.path)
        if source.quote is None:
            return f'{{"file": {file}, "line": {source.line}}}'
        return f'{{"file": {file}, "line": {source.line}, "quote": {self.string(source.quote)}}}'
