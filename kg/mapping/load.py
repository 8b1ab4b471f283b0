"""Finding and loading mapping files: YAML in, validated models out, errors with lines."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from kg.cache import Cache
from kg.errors import ErrorCollector, KgError, Location
from kg.mapping import schema
from kg.mapping.yamlfile import YamlDocument, YamlPath, load_yaml, parse_beside
from kg.sidebyside import MANY, first_half, halves

M = TypeVar("M", bound=BaseModel)

_FIELD_NAMES = sorted(
    {
        name
        for model in vars(schema).values()
        if isinstance(model, type) and issubclass(model, schema.Model)
        for name in model.model_fields
    }
)


@dataclass(frozen=True)
class Loaded(Generic[M]):
    """A validated mapping file and the YAML it came from (for line numbers)."""

    model: M
    source: YamlDocument

    def at(self, *path: str | int) -> Location:
        return self.source.at(path)


_File = tuple[Path, Path, type[BaseModel]]  # a mapping file, its name as shown, its model


@dataclass(frozen=True)
class Mappings:
    registry: list[Loaded[schema.RegistryFile]]
    documents: list[Loaded[schema.DocumentFile]]


def load_mappings(directory: Path, display: Path, cache: Cache | None = None) -> Mappings:
    """Load `registry/*.yaml` and `documents/*.yaml` under `directory`; report all errors.
    Many files are read in halves by size, the second half parsed at the same time in a
    child (kg.sidebyside.halves), and taken from it in order."""
    errors = ErrorCollector()
    files: list[_File] = [
        (path, display / folder / path.name, model)
        for folder, model in (("registry", schema.RegistryFile), ("documents", schema.DocumentFile))
        for path in _yaml_files(directory / folder, display / folder, errors)
    ]
    loaded: list[Loaded[Any]] = []

    def load(part: list[_File], beside: Cache | None = None) -> None:
        for path, shown, model in part:
            try:
                loaded.append(load_model(path, shown, model, cache, beside))
            except KgError as exc:
                errors.extend(exc)

    def parse(part: list[_File], kept: Cache) -> None:
        for path, shown, _ in part:
            parse_beside(path, shown, cache, kept)

    if len(files) < MANY:
        load(files)
    else:
        half = first_half([_size(path) for path, _, _ in files])
        halves(
            lambda kept: parse(files[half:], kept),
            lambda: load(files[:half]),
            lambda kept: load(files[half:], kept),
        )
    if not files and not errors.errors:
        expected = "expected registry/*.yaml and documents/*.yaml"
        errors.add(f"no mapping files found ({expected})", Location(display))
    errors.raise_if_any()
    registry = [f for f in loaded if isinstance(f.model, schema.RegistryFile)]
    return Mappings(registry, [f for f in loaded if isinstance(f.model, schema.DocumentFile)])


def _yaml_files(directory: Path, display: Path, errors: ErrorCollector) -> list[Path]:
    if directory.exists() and not directory.is_dir():
        errors.add("not a folder", Location(display))
        return []
    return sorted(directory.glob("*.yaml"))


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # reported when it is read


def load_model(
    path: Path, display: Path, model: type[M], cache: Cache | None = None, beside: Cache | None = None
) -> Loaded[M]:
    """Read one YAML file (see kg.mapping.yamlfile.load_yaml) and validate it against `model`."""
    source = load_yaml(path, display, cache, beside)
    try:
        return Loaded(model.model_validate(source.data), source)
    except ValidationError as exc:
        collector = ErrorCollector()
        for path_in_file, message in _messages(source.data, exc):
            collector.add(message, source.at(path_in_file))
        collector.raise_if_any()
        raise AssertionError("unreachable") from exc


def _messages(data: Any, exc: ValidationError) -> list[tuple[YamlPath, str]]:
    """One message per problem. A value that fits no branch of a union gets pydantic's
    errors for every branch; keep the specific ones (an unknown field inside a mapping)
    and merge the rest ("should be a valid string", "... a valid list") into one."""
    located = [(*_locate(data, e["loc"]), e) for e in exc.errors()]
    misspelt = {
        (path[:-1], str(path[-1])) for path, _, e in located if e["type"] == "extra_forbidden" and path
    }
    located = [
        (path, field, e)
        for path, field, e in located
        if not (
            e["type"] == "missing"
            and any(
                parent == path and difflib.get_close_matches(str(field), [name], n=1)
                for parent, name in misspelt
            )
        )
    ]
    specific = [path for path, _, e in located if not e["type"].endswith("_type")]
    merged: dict[YamlPath, list[str]] = {}
    for path, field, error in located:
        if not error["type"].endswith("_type"):
            merged.setdefault(path, []).append(_describe(error, path, field))
        elif not any(other[: len(path)] == path for other in specific):
            merged.setdefault(path, []).append(_prefix(path) + error["msg"])
    result: list[tuple[YamlPath, str]] = []
    for path, found in merged.items():
        unique, prefix = list(dict.fromkeys(found)), _prefix(path)
        if len(unique) > 1 and all(m.startswith(prefix) for m in unique):
            unique = [prefix + " or ".join(m.removeprefix(prefix) for m in unique)]
        result.extend((path, message) for message in unique)
    return result


def _prefix(path: YamlPath) -> str:
    where = _dotted(path)
    return f"{where}: " if where else ""


def _locate(data: Any, loc: tuple[int | str, ...]) -> tuple[YamlPath, str | int | None]:
    """Follow pydantic's error location through the YAML data, skipping union tags."""
    path: list[str | int] = []
    node = data
    for part in loc:
        in_dict = isinstance(node, dict) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if in_dict or in_list:
            node = node[part]
        else:
            if part == loc[-1]:
                return tuple(path), part
            continue
        path.append(part)
    return tuple(path), None


def _describe(error: Any, path: YamlPath, field: str | int | None) -> str:
    prefix = _prefix(path)
    kind = error["type"]
    if kind == "missing":
        return f"{prefix}missing required field '{field}'"
    if kind == "extra_forbidden":
        name = str(path[-1]) if path else str(field)
        parent = _dotted(path[:-1])
        hint = difflib.get_close_matches(name, _FIELD_NAMES, n=1)
        suggestion = f"; did you mean '{hint[0]}'?" if hint else ""
        return f"{parent + ': ' if parent else ''}unknown field '{name}'{suggestion}"
    return f"{prefix}{error['msg']}"


def _dotted(path: YamlPath) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text
