"""Reading YAML mapping files safely, keeping the line of every value.

Mapping files are data, never code: every scalar is read as a string (no YAML 1.1
surprises such as the country code ``NO`` turning into ``False``), aliases are refused
(no alias bombs), tags other than the core ones are refused (no ``!!python/object``),
a key given twice in one mapping is an error instead of a silent overwrite, and values
nest at most MAX_DEPTH levels (no parser recursion without end). The file itself is read
by kg.mapping.textfile: a regular file, its size checked first, no control characters.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from yaml._yaml import CParser  # libyaml: PyYAML's wheels ship it
from yaml.events import AliasEvent, Event
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from kg.cache import Cache
from kg.errors import KgError, Location
from kg.mapping.textfile import CONTROL, read_text

MAX_BYTES = 5_000_000
MAX_DEPTH = 40  # mappings and lists nested in one another; the deepest mapping file needs 6
_CORE = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {_CORE + t for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")}
_NULLS = {"", "~", "null", "Null", "NULL"}
_SURROGATE = re.compile("[\ud800-\udfff]")

YamlPath = tuple[str | int, ...]


@dataclass
class YamlDocument:
    """Plain data read from a YAML file, with the line of each value by its path."""

    path: Path
    data: Any
    lines: dict[YamlPath, int] = field(default_factory=dict)
    digest: str = ""  # SHA-256 of the text

    def line_of(self, path: YamlPath) -> int:
        """Line of the value at `path`, or of its nearest enclosing value."""
        while path not in self.lines and path:
            path = path[:-1]
        return self.lines.get(path, 1)

    def at(self, path: YamlPath) -> Location:
        return Location(self.path, self.line_of(path))


class _Checks(yaml.composer.Composer):
    """Composing nodes with the depth limit, aliases refused, from either parser's events."""

    depth = 0
    name: str

    if TYPE_CHECKING:  # given by the parser it is mixed with

        def check_event(self, *choices: Any) -> bool: ...
        def peek_event(self) -> Event | None: ...

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                event = self.peek_event()
                mark = event.start_mark if event else None
                raise KgError(
                    f"values nest more than {MAX_DEPTH} levels deep",
                    Location(Path(self.name), mark.line + 1 if mark else 0),
                )
            return self._compose(parent, index)
        finally:
            self.depth -= 1

    def _compose(self, parent: Node | None, index: int) -> Node | None:
        if self.check_event(AliasEvent):
            event = self.peek_event()
            assert isinstance(event, AliasEvent)
            raise KgError(
                f"YAML alias '*{event.anchor}' is not allowed in mapping files; write the value out",
                Location(Path(self.name), event.start_mark.line + 1 if event.start_mark else 0),
            )
        return super().compose_node(parent, index)


class _Loader(_Checks, yaml.SafeLoader):
    """The pure-Python reader: its error messages are the ones reported."""


class _FastLoader(_Checks, CParser, yaml.constructor.SafeConstructor, yaml.resolver.Resolver):
    """libyaml's parser (several times faster) under the same composer and checks; a file
    it rejects is read again by `_Loader`, for the same error message."""

    def __init__(self, stream: str) -> None:
        CParser.__init__(self, stream)
        yaml.constructor.SafeConstructor.__init__(self)
        yaml.resolver.Resolver.__init__(self)
        _Checks.__init__(self)


def load_yaml(
    path: Path, display: Path | None = None, cache: Cache | None = None, beside: Cache | None = None
) -> YamlDocument:
    """Parse one YAML file into plain dicts, lists and strings with a line map (kept in
    `cache` by the file's name and text; taken from `beside` too, where a child process
    parsed it: see `parse_beside`)."""
    shown = display or path
    text = read_text(path, shown, MAX_BYTES)
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    key = _key(shown, text)
    kept = cache.get(key) if cache else None
    if kept is None and beside and (kept := beside.get(key)) is not None and cache:
        cache.adopt(key, beside)
    if kept is not None:
        lines = {tuple(where): line for where, line in kept["lines"]}
        return YamlDocument(shown, kept["data"], lines, digest)
    try:
        node = _compose(_FastLoader, text, shown)
    except yaml.YAMLError:
        node = _compose(_Loader, text, shown)  # raises, with PyYAML's message
    document = YamlDocument(shown, None, digest=digest)
    document.data = {} if node is None else _convert(node, (), document)
    if cache:
        cache.put(key, {"data": document.data, "lines": [[list(p), n] for p, n in document.lines.items()]})
    return document


def parse_beside(path: Path, display: Path, cache: Cache | None, kept: Cache) -> None:
    """In a child process (kg.sidebyside.halves): parse a file into `kept` unless `cache`
    holds it; a file that cannot be read is left to the parent, which reports it."""
    try:
        if not (cache and cache.has(_key(display, read_text(path, display, MAX_BYTES)))):
            load_yaml(path, display, kept)
    except KgError:
        pass


def _key(shown: Path, text: str) -> str:
    return Cache(None).key("yaml", shown.as_posix(), text)


def _compose(loader_class: type[_Loader | _FastLoader], text: str, shown: Path) -> Node | None:
    loader = loader_class(text)
    loader.name = str(shown)
    try:
        return loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        if loader_class is not _Loader:
            raise
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        context = ""
        if exc.context and exc.context_mark and exc.problem:
            context = f" ({exc.context} started on line {exc.context_mark.line + 1})"
        raise KgError(
            f"malformed YAML: {exc.problem or exc.context}{context}", Location(shown, line)
        ) from None
    except yaml.YAMLError as exc:
        if loader_class is not _Loader:
            raise
        raise KgError(f"malformed YAML: {exc}", Location(shown)) from None
    finally:
        loader.dispose()


def _convert(node: Node, path: YamlPath, document: YamlDocument) -> Any:
    line = node.start_mark.line + 1
    document.lines[path] = line
    if node.tag not in _ALLOWED_TAGS:
        raise KgError(f"YAML tag '{node.tag}' is not allowed in mapping files", Location(document.path, line))
    if isinstance(node, ScalarNode):
        if not node.style and node.value in _NULLS:  # plain: None, or "" from libyaml
            return None
        return _text(node.value, Location(document.path, line))
    if isinstance(node, SequenceNode):
        return [_convert(item, (*path, i), document) for i, item in enumerate(node.value)]
    if isinstance(node, MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, ScalarNode):
                raise KgError("mapping keys must be plain strings", Location(document.path, key_line))
            key = _text(key_node.value, Location(document.path, key_line))
            if key == "<<":
                raise KgError("YAML merge keys ('<<') are not allowed", Location(document.path, key_line))
            if key in result:
                first = document.lines[(*path, key)]
                raise KgError(
                    f"duplicate key '{key}' (first given on line {first})",
                    Location(document.path, key_line),
                )
            result[key] = _convert(value_node, (*path, key), document)
            document.lines[(*path, key)] = key_line
        return result
    raise KgError(f"unsupported YAML node {type(node).__name__}", Location(document.path, line))


def _text(value: str, location: Location) -> str:
    """A scalar without control characters or lone surrogates, which a YAML escape
    (\\e, \\0, \\ud800, …) can write where the file's bytes hold none."""
    for pattern, kind in ((CONTROL, "control character"), (_SURROGATE, "lone surrogate")):
        if match := pattern.search(value):
            raise KgError(
                f"{kind} U+{ord(match.group()):04X} (written as an escape) is not allowed", location
            )
    return value
