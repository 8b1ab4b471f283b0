"""The catalogue of named, parameterised competency queries shipped in `kg/ask/queries/`.

Each `.rq` file starts with comment lines that describe it:

    # title: Departures from an organisation
    # description: Posts at an organisation or its units that ended in a period…
    # param: org entity The organisation; its units are included.
    # example: org=ent:china-rare-earth-holdings

A parameter is a variable of the query; `kg query --name NAME --param org=…` binds it.
The examples are the values the expected answers in tests/queries/expected/ are for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING

from kg.ask.bindings import TYPES, Term, parse_period, parse_value
from kg.errors import KgError

if TYPE_CHECKING:
    from kg.ask.query import Queryable, QueryResult

_HEADER_FIELD = re.compile(r"^\s?(\w+):\s*(.*)$")


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    description: str


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    example: dict[str, str]
    text: str

    def values(self, given: dict[str, str]) -> dict[str, Term]:
        """Parameter values as RDF terms; every parameter is required."""
        declared = {p.name: p for p in self.params}
        unknown = sorted(set(given) - set(declared))
        if unknown:
            known = ", ".join(declared) or "none"
            raise KgError(f"query '{self.name}' has no parameter {', '.join(unknown)} (parameters: {known})")
        missing = [p for p in self.params if p.name not in given]
        if missing:
            hints = ", ".join(f"{p.name} ({p.type}, e.g. {self.example.get(p.name, '?')})" for p in missing)
            raise KgError(f"query '{self.name}' needs --param for: {hints}")
        values: dict[str, Term] = {}
        for name, param in declared.items():
            if not isinstance(given[name], str):
                raise KgError(f"parameter {name}: give its value as text, not {type(given[name]).__name__}")
            if param.type == "period":  # binds NAME_start and NAME_end, those the query uses
                bounds = parse_period(given[name], name)
                values |= {var: term for var, term in bounds.items() if re.search(rf"[?$]{var}\b", self.text)}
            else:
                values[name] = parse_value(given[name], param.type, name)
        return values


@cache
def catalogue() -> dict[str, NamedQuery]:
    """Every named query, by name."""
    queries = {}
    for entry in sorted(files("kg.ask").joinpath("queries").iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rq"):
            name = entry.name.removesuffix(".rq")
            queries[name] = _parse(name, entry.read_text(encoding="utf-8"))
    return queries


def run_named(store: Queryable, name: str, **params: str) -> QueryResult:
    from kg.ask.query import run_query  # when a query runs: listing the catalogue needs no engine

    """Run a catalogue query with its parameters, e.g. run_named(store, "departures",
    org="ent:china-rare-earth-holdings", from="2025", to="2025")."""
    query = named_query(name)
    return run_query(store, query.text, query.values(params))


def named_query(name: str) -> NamedQuery:
    queries = catalogue()
    if name not in queries:
        raise KgError(f"no query named '{name}' (see 'kg queries')")
    return queries[name]


def _parse(name: str, text: str) -> NamedQuery:
    header = _header_lines(text)
    fields = query_header(text)
    params = []
    for line in header.get("param", []):
        match = re.match(r"^(\w+)\s+(\w+)\s+(.*)$", line)
        if not match or match.group(2) not in TYPES:
            raise KgError(
                f"query '{name}': bad parameter line '{line}' (name, type of {', '.join(TYPES)}, text)"
            )
        params.append(Param(*match.groups()))
    example = dict(item.split("=", 1) for line in header.get("example", []) for item in line.split())
    return NamedQuery(
        name, fields.get("title", name), fields.get("description", ""), tuple(params), example, text
    )


def _header_lines(text: str) -> dict[str, list[str]]:
    """Repeatable `# key: value` lines (param, example)."""
    found: dict[str, list[str]] = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = re.match(r"^#\s?(param|example):\s*(.*)$", line)
        if match:
            found.setdefault(match.group(1), []).append(match.group(2).strip())
    return found


def query_header(text: str) -> dict[str, str]:
    """The `# key: value` comment lines at the top of a .rq file (continued by indented
    `#   ...` lines), e.g. title and description."""
    header: dict[str, str] = {}
    key = None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        body = line[1:]
        match = _HEADER_FIELD.match(body)
        if match:
            key = match.group(1)
            header[key] = match.group(2).strip()
        elif key and body.startswith("   "):
            header[key] = f"{header[key]} {body.strip()}"
    return header
