"""Deciding, by parsing, whether a query may run, and binding its parameters.

In order, before an engine sees anything:
1. the text is measured: its length, and how deeply its brackets nest (a lexical count
   that skips strings and comments), so that no parser recurses past a limit;
2. rdflib parses it, with the project's prefixes predeclared; a syntax error names the line
   and column of the user's own text, and an update (INSERT, DELETE, LOAD, CLEAR, …) is
   refused;
3. the parsed query is refused if it could reach the network or a file: SERVICE in any
   spelling, FROM or FROM NAMED naming anything but the build's own graphs;
4. parameters are bound as RDF terms: a VALUES block opening the WHERE clause of the parse
   tree (nothing is pasted into the user's text);
5. the tree is written back as SPARQL (kg.ask.sparql), re-parsed, and must give the same
   tree: the engine runs exactly the query that was checked.

Parsing is the expensive part (rdflib takes 40-400 ms per catalogue query), so steps 2, 3
and 5 are done once per query text and kept (`_checked`); binding then costs no parse of
the whole query: the bound text must be the checked text with the VALUES block written
first in its WHERE group, and the block alone must parse back to itself. A VALUES block is
delimited by its braces and may open any group, so the bound text parses to the bound tree.
Any other case (a WHERE clause that is a subquery) re-parses the whole bound text.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox
from pyparsing import ParseException, ParseResults
from rdflib.plugins.sparql.algebra import translatePName, translatePrologue, traverse
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import BNode, Literal, URIRef, Variable

from kg.ask.limits import Limits
from kg.ask.sparql import head, values_block, write_query
from kg.errors import KgError, Refused
from kg.vocab import GRAPH, PREFIXES

Term = ox.NamedNode | ox.Literal
_OPENING, _CLOSING = "{([", "})]"


@dataclass(frozen=True)
class Prepared:
    """A checked query, ready for an engine: its text (parameters bound) and its form
    (SELECT, ASK, CONSTRUCT or DESCRIBE)."""

    text: str
    form: str


def prepare(text: str, values: Mapping[str, Term], limits: Limits) -> Prepared:
    """Check `text` and bind `values`; raise Refused for what kg will not run and KgError
    for what is wrong."""
    measure(text, limits)
    checked = _checked(text)
    form = checked.tree.name.removesuffix("Query").upper()
    if not values:
        return Prepared(checked.text, form)
    block, bound = _bind(checked, values)
    written = write_query(bound)
    if not _only_values_added(checked, block, written) and _reparsed(written) != _shape(bound):
        raise _UNFAITHFUL
    return Prepared(written, form)


@dataclass(frozen=True)
class _Checked:
    """A query text that passed the checks: its parse tree (never changed), the text written
    back from it, and its variables."""

    tree: CompValue
    text: str
    variables: frozenset[Variable]


_UNFAITHFUL = KgError("kg cannot rewrite this query faithfully (please report it with the query)")


@functools.lru_cache(maxsize=1024)
def _checked(text: str) -> _Checked:
    tree = _resolved(_parse(text))
    _refuse(tree)
    written = write_query(tree)
    if _reparsed(written) != _shape(tree):
        raise _UNFAITHFUL
    return _Checked(tree, written, frozenset(_variables(tree)))


def _reparsed(written: str) -> Any:
    return _shape(_resolved(_parse(written)))


def _only_values_added(checked: _Checked, block: CompValue, written: str) -> bool:
    """Whether `written` is the checked text with `block` written first in its WHERE group,
    and the block, parsed alone, gives back the block."""
    opening = len(head(checked.tree)) + len(" WHERE { ")
    if checked.text[opening - len(" WHERE { ") : opening] != " WHERE { ":
        return False
    block_text = values_block(block)
    if written != f"{checked.text[:opening]}{block_text} {checked.text[opening:]}":
        return False
    return bool(_block_shape(block_text) == _shape(block))


@functools.lru_cache(maxsize=4096)
def _block_shape(block_text: str) -> Any:
    """The parse tree of a VALUES block, parsed as the only part of a query's WHERE group."""
    parts = _resolved(_parse(f"SELECT * WHERE {{ {block_text} }}")).where.part
    return _shape(parts[0]) if len(parts) == 1 else None


def measure(text: str, limits: Limits) -> None:
    """Refuse a query that is too long, or nests brackets too deeply for a parser. Brackets
    are counted outside strings and comments; an IRI hides no comment."""
    if len(text) > limits.max_query_chars:
        raise Refused(f"the query is {len(text)} characters long; the limit is {limits.max_query_chars}")
    depth = deepest = 0
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in _OPENING:
            depth += 1
            deepest = max(deepest, depth)
            if deepest > limits.max_depth:
                raise Refused(f"the query nests brackets more than {limits.max_depth} levels deep")
        elif ch in _CLOSING:
            depth = max(depth - 1, 0)
        elif ch == "\\":
            i += 1  # an escaped character outside a string (a local name's \# or \') opens nothing
            continue
        elif ch == "#":
            i = _line_end(text, i)
            continue
        elif ch in "\"'":
            i = _string_end(text, i)
            continue
        elif ch == "<":
            end = _iri_end(text, i)
            if end:  # counted as code all the same: brackets inside still count
                deepest = max(deepest, depth + sum(text[i:end].count(c) for c in "(["))
                i = end
                continue
        i += 1


def _line_end(text: str, i: int) -> int:
    end = text.find("\n", i)
    return len(text) if end == -1 else end


def _string_end(text: str, i: int) -> int:
    """The offset after a string starting at `i`; a short string also ends at a line end
    (where a parser would reject it), so nothing after it escapes the count."""
    quote = text[i]
    long_quote = text.startswith(quote * 3, i)
    i += 3 if long_quote else 1
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if long_quote and text.startswith(quote * 3, i):
            return i + 3
        if not long_quote and text[i] == quote:
            return i + 1
        if not long_quote and text[i] in "\r\n":
            return i
        i += 1
    return i


def _iri_end(text: str, i: int) -> int:
    """The offset after an IRI written `<…>` at `i`, or 0 where `<` is an operator."""
    j = i + 1
    while j < len(text):
        ch = text[j]
        if ch == ">":
            return j + 1
        if ch in '<"{}|^`\\' or ord(ch) <= 0x20:
            return 0
        j += 1
    return 0


def _parse(text: str) -> ParseResults:
    try:
        return parseQuery(text)
    except ParseException as exc:
        if _is_update(text):
            raise Refused(
                "SPARQL updates (INSERT, DELETE, LOAD, CLEAR, …) are not allowed: kg only reads"
            ) from None
        raise KgError(f"SPARQL syntax error: error at {exc.lineno}:{exc.col}: {exc.msg}") from None
    except RecursionError:
        raise Refused("the query nests too deeply to parse") from None


def _is_update(text: str) -> bool:
    try:
        return bool(parseUpdate(text).request)  # an empty text parses as an update of nothing
    except (ParseException, RecursionError):
        return False


def _resolved(parsed: ParseResults) -> CompValue:
    """The query node with prefixed names and relative IRIs made absolute."""
    try:
        prologue = translatePrologue(parsed[0], None, PREFIXES)
        tree: CompValue = traverse(parsed[1], visitPost=functools.partial(translatePName, prologue=prologue))
    except Exception as exc:  # rdflib raises a bare Exception for an unknown prefix
        raise KgError(f"SPARQL error: {exc}") from None
    return tree


def _refuse(tree: CompValue) -> None:
    """Refuse what could reach the network or a file."""
    for clause in tree.datasetClause or []:
        iri = clause.default if clause.default is not None else clause.named
        if not str(iri).startswith(str(GRAPH)):
            raise Refused(f"FROM <{iri}> is not allowed: a query may name only the build's graphs (graph:…)")

    def visit(node: Any) -> None:
        if isinstance(node, CompValue) and node.name == "ServiceGraphPattern":
            raise Refused("SERVICE is not allowed: kg runs no federated queries")

    traverse(tree, visitPre=visit)


def _bind(checked: _Checked, values: Mapping[str, Term]) -> tuple[CompValue, CompValue]:
    """The block `VALUES (?a ?b) { (a b) }`, and a copy of the checked tree with the block
    first in its WHERE clause (the checked tree is left as it is)."""
    tree = checked.tree
    if tree.where is None:
        raise KgError("the query has no WHERE clause to bind parameters into")
    for name in values:
        if Variable(name) not in checked.variables:
            raise KgError(f"the query has no variable ?{name} to bind")
    variables, row = [Variable(name) for name in values], [[_rdflib(t) for t in values.values()]]
    if tree.name == "ConstructQuery" and tree.template is None:  # CONSTRUCT WHERE { triples only }
        if tree.valuesClause is not None:
            raise KgError(
                "cannot bind parameters into CONSTRUCT WHERE {…} VALUES …; write CONSTRUCT {…} WHERE {…}"
            )
        trailing = CompValue(tree.name, **tree)  # as a trailing VALUES clause, in a copy
        trailing["valuesClause"] = CompValue("ValuesClause", var=variables, value=row)
        return CompValue("InlineData", var=variables, value=row), trailing
    block = CompValue("InlineData", var=variables, value=row)
    where = tree.where
    if where.name == "SubSelect":
        where = CompValue("GroupGraphPatternSub", part=[CompValue("GroupOrUnionGraphPattern", graph=[where])])
    bound = CompValue(tree.name, **tree)
    bound["where"] = CompValue(where.name, **where)
    bound.where["part"] = [block, *(where.part or [])]
    return block, bound


def _variables(tree: CompValue) -> set[Variable]:
    found: set[Variable] = set()

    def visit(node: Any) -> None:
        if isinstance(node, Variable):
            found.add(node)

    traverse(tree, visitPre=visit)
    return found


def _rdflib(value: Term) -> URIRef | Literal:
    if isinstance(value, ox.NamedNode):
        return URIRef(value.value)
    if value.language:
        return Literal(value.value, lang=value.language)
    return Literal(value.value, datatype=URIRef(value.datatype.value))


def _flat(key: str, value: Any) -> Any:
    """Triple patterns as one list, however they were grouped by subject."""
    if key in ("triples", "template"):
        return [t for block in value for t in (block if isinstance(block, list | ParseResults) else [block])]
    return value


def _shape(node: Any) -> Any:
    """A comparable form of a parse tree: node names kept, parse-result wrappers dropped."""
    if isinstance(node, CompValue):
        return (node.name, tuple(sorted((k, _shape(_flat(k, v))) for k, v in node.items())))
    if isinstance(node, list | tuple | ParseResults):
        return tuple(_shape(x) for x in node)
    if isinstance(node, Literal):
        return ("literal", str(node), node.language, str(node.datatype or ""))
    if isinstance(node, BNode | URIRef | Variable):
        return (type(node).__name__, str(node))
    return ("token", str(node))
