"""SPARQL text written back from rdflib's parse tree of a query.

A query runs as this text, not as the text the user typed: prefixed names are written out
as full IRIs, every literal in its canonical N-Triples form, blank nodes by their labels,
and parameters appear as a VALUES block opening the WHERE clause (kg.ask.prepare puts it
into the tree). So what the engine runs is exactly what the checks looked at; kg.ask.prepare
re-parses the text and requires the same tree, so a slip here is an error, never a
different query.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from pyparsing import ParseResults
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import BNode, Literal, URIRef, Variable

from kg.errors import KgError

_LEVELS = {
    "ConditionalOrExpression",
    "ConditionalAndExpression",
    "RelationalExpression",
    "AdditiveExpression",
    "MultiplicativeExpression",
}
_ARGUMENTS = {  # built-in calls whose arguments are not named arg, or arg1, arg2, arg3
    "REGEX": ("text", "pattern", "flags"),
    "REPLACE": ("arg", "pattern", "replacement", "flags"),
    "SUBSTR": ("arg", "start", "length"),
}


def write_query(query: CompValue) -> str:
    """The query (a SelectQuery, ConstructQuery, DescribeQuery or AskQuery node whose
    prefixed names are resolved) as SPARQL text."""
    return _written(query) + _values_clause(query)


def term(value: Any) -> str:
    """An RDF term, variable or keyword (UNDEF, *) as SPARQL."""
    if isinstance(value, Variable):
        return f"?{value}"
    if isinstance(value, URIRef):
        return f"<{_escape_iri(value)}>"
    if isinstance(value, BNode):
        return f"_:{value}"
    if isinstance(value, Literal):
        text = '"' + _escape_string(str(value)) + '"'
        if value.language:
            return f"{text}@{value.language}"
        if value.datatype:
            return f"{text}^^<{_escape_iri(value.datatype)}>"
        return text
    if isinstance(value, str) and value in ("UNDEF", "*"):
        return value
    if isinstance(value, CompValue) and value.name == "literal":  # never resolved: a bug here
        raise KgError("unresolved literal in the query tree")
    raise KgError(f"cannot write {value!r} as SPARQL")


def head(query: CompValue) -> str:
    """The text of the query before its WHERE clause: the form, what it returns, and its
    dataset (FROM) clauses."""
    writer = _FORMS.get(query.name)
    if writer is None:
        raise KgError(f"cannot run a {query.name}")
    return writer(query) + _dataset(query)


def _written(query: CompValue) -> str:
    """A query or subquery without its trailing VALUES clause."""
    where = f" WHERE {_group(query.where)}" if query.where or query.name != "DescribeQuery" else ""
    return head(query) + where + _modifiers(query)


def values_block(block: CompValue) -> str:
    """A VALUES block (an InlineData node of a WHERE clause) as SPARQL."""
    return f"VALUES {_data_block(block)}"


def _select(q: CompValue) -> str:
    text = "SELECT " + (f"{q.modifier} " if q.modifier else "")
    return text + (" ".join(_projection(v) for v in q.projection) if q.projection else "*")


def _construct(q: CompValue) -> str:
    if q.template is None:  # the short form, CONSTRUCT WHERE { triples }: they are the template
        return "CONSTRUCT"
    return f"CONSTRUCT {{ {_triples(q.template)} }}"


def _describe(q: CompValue) -> str:
    return "DESCRIBE " + (" ".join(term(v) for v in q.var) if q.var else "*")


def _ask(q: CompValue) -> str:
    return "ASK"


_FORMS: dict[str, Callable[[CompValue], str]] = {
    "SelectQuery": _select,
    "SubSelect": _select,
    "ConstructQuery": _construct,
    "DescribeQuery": _describe,
    "AskQuery": _ask,
}


def _projection(v: CompValue) -> str:
    return f"({expression(v.expr)} AS {term(v.evar)})" if v.var is None else term(v.var)


def _dataset(q: CompValue) -> str:
    clauses = []
    for clause in q.datasetClause or []:
        if clause.default is not None:
            clauses.append(f" FROM {term(clause.default)}")
        else:
            clauses.append(f" FROM NAMED {term(clause.named)}")
    return "".join(clauses)


def _modifiers(q: CompValue) -> str:
    text = ""
    if q.groupby is not None:
        text += " GROUP BY " + " ".join(_condition(c) for c in q.groupby.condition)
    if q.having is not None:
        text += " HAVING " + " ".join(_constraint(c) for c in q.having.condition)
    if q.orderby is not None:
        text += " ORDER BY " + " ".join(_order(c) for c in q.orderby.condition)
    if q.limitoffset is not None:
        if q.limitoffset.limit is not None:
            text += f" LIMIT {q.limitoffset.limit}"
        if q.limitoffset.offset is not None:
            text += f" OFFSET {q.limitoffset.offset}"
    return text


def _condition(c: Any) -> str:
    if isinstance(c, CompValue) and c.name == "GroupAs":
        return f"({expression(c.expr)}" + (f" AS {term(c.var)})" if c.var is not None else ")")
    return _constraint(c)


def _order(c: Any) -> str:
    if isinstance(c, CompValue) and c.name == "OrderCondition":
        return f"{c.order}({expression(c.expr)})" if c.order else _constraint(c.expr)
    return _constraint(c)


def _constraint(c: Any) -> str:
    """A FILTER, HAVING or ORDER BY constraint: brackets only around a bracketed expression."""
    if isinstance(c, CompValue) and c.name in _LEVELS:
        return f"({expression(c)})"
    return expression(c)


def _values_clause(q: CompValue) -> str:
    return f" VALUES {_data_block(q.valuesClause)}" if q.valuesClause is not None else ""


def _data_block(block: CompValue) -> str:
    values = list(block.value or [])
    if len(block.var or []) == 1 and not any(isinstance(v, list | ParseResults) for v in values):
        return f"{term(block.var[0])} {{ {' '.join(term(v) for v in values)} }}"
    variables = " ".join(term(v) for v in block.var or [])
    rows = " ".join("(" + " ".join(term(t) for t in row) + ")" for row in values)
    return f"({variables}) {{ {rows} }}"


_SHORT_CONSTRUCT = "FakeGroupGraphPatten"  # (sic) rdflib's name for the WHERE of CONSTRUCT WHERE


def _group(pattern: CompValue) -> str:
    if pattern.name == "SubSelect":
        return "{ " + _written(pattern) + _values_clause(pattern) + " }"
    if pattern.name not in ("GroupGraphPatternSub", _SHORT_CONSTRUCT):
        raise KgError(f"cannot write a {pattern.name} as a group")
    return "{ " + " ".join(_part(p) for p in pattern.part or []) + " }"


def _part(p: CompValue) -> str:
    name = p.name
    if name == "TriplesBlock":
        return _triples(p.triples) + " ."
    if name == "Filter":
        return f"FILTER {_constraint(p.expr)}"
    if name == "OptionalGraphPattern":
        return f"OPTIONAL {_group(p.graph)}"
    if name == "MinusGraphPattern":
        return f"MINUS {_group(p.graph)}"
    if name == "GroupOrUnionGraphPattern":
        return " UNION ".join(_group(g) for g in p.graph)
    if name == "GraphGraphPattern":
        return f"GRAPH {term(p.term)} {_group(p.graph)}"
    if name == "ServiceGraphPattern":
        return f"SERVICE {'SILENT ' if p.silent else ''}{term(p.term)} {_group(p.graph)}"
    if name == "Bind":
        return f"BIND ({expression(p.expr)} AS {term(p.var)})"
    if name == "InlineData":
        return values_block(p)
    raise KgError(f"cannot write a {name} pattern")


def _triples(blocks: Iterable[Any]) -> str:
    """Triples from rdflib's expanded lists (subject, predicate, object, subject, …)."""
    flat = [t for block in blocks for t in (block if isinstance(block, list | ParseResults) else [block])]
    if len(flat) % 3:
        raise KgError("malformed triple pattern")
    return " . ".join(
        f"{term(flat[i])} {_path(flat[i + 1])} {term(flat[i + 2])}" for i in range(0, len(flat), 3)
    )


def _path(p: Any) -> str:
    """A property path; brackets exactly where the text had them (around an alternative
    that is an element of a sequence)."""
    if not isinstance(p, CompValue):
        return term(p)
    if p.name == "PathAlternative":
        return " | ".join(_path(x) for x in p.part)
    if p.name == "PathSequence":
        return " / ".join(_path(x) for x in p.part)
    if p.name == "PathElt":
        primary = p.part
        text = (
            f"({_path(primary)})"
            if isinstance(primary, CompValue) and primary.name == "PathAlternative"
            else _path(primary)
        )
        return text + (p.mod or "")
    if p.name in ("PathEltOrInverse", "InversePath"):
        return "^" + _path(p.part)
    if p.name == "PathNegatedPropertySet":
        return "!(" + " | ".join(_path(x) for x in p.part) + ")"
    raise KgError(f"cannot write a {p.name} path")


def expression(e: Any) -> str:
    """An expression; brackets exactly where the parse tree says the text had them."""
    if not isinstance(e, CompValue):
        return term(e)
    name = e.name
    if name in ("ConditionalOrExpression", "ConditionalAndExpression"):
        op = " || " if name == "ConditionalOrExpression" else " && "
        return op.join(expression(x) for x in [e.expr, *(e.other or [])])
    if name == "RelationalExpression":
        if e.op is None:
            return expression(e.expr)
        if e.op in ("IN", "NOT IN"):
            return f"{expression(e.expr)} {e.op} ({', '.join(expression(x) for x in e.other)})"
        return f"{expression(e.expr)} {e.op} {expression(e.other)}"
    if name in ("AdditiveExpression", "MultiplicativeExpression"):
        text = _operand(e.expr)
        for op, other in zip(e.op or [], e.other or [], strict=True):
            text += f" {op} {_operand(other)}"
        return text
    if name in ("UnaryNot", "UnaryMinus", "UnaryPlus"):
        return {"UnaryNot": "!", "UnaryMinus": "- ", "UnaryPlus": "+ "}[name] + _operand(e.expr)
    if name == "Function":
        distinct = "DISTINCT " if e.distinct else ""
        return f"{term(e.iri)}({distinct}{', '.join(expression(x) for x in e.expr or [])})"
    if name.startswith("Aggregate_"):
        return _aggregate(e)
    if name.startswith("Builtin_"):
        return _builtin(e)
    raise KgError(f"cannot write a {name} expression")


def _operand(e: Any) -> str:
    """An operand of an arithmetic or unary operator: a bracketed expression (the whole
    chain of levels, from ConditionalOrExpression down) keeps its brackets."""
    if isinstance(e, CompValue) and e.name == "ConditionalOrExpression":
        return f"({expression(e)})"
    return expression(e)


def _aggregate(e: CompValue) -> str:
    keyword = e.name.removeprefix("Aggregate_").upper().replace("GROUPCONCAT", "GROUP_CONCAT")
    distinct = "DISTINCT " if e.distinct else ""
    inner = "*" if e.vars == "*" else expression(e.vars)
    separator = f"; SEPARATOR={term(e.separator)}" if e.separator is not None else ""
    return f"{keyword}({distinct}{inner}{separator})"


def _builtin(e: CompValue) -> str:
    keyword = e.name.removeprefix("Builtin_")
    if keyword in ("EXISTS", "NOTEXISTS"):
        return ("NOT EXISTS " if keyword == "NOTEXISTS" else "EXISTS ") + _group(e.graph)
    names = _ARGUMENTS.get(keyword, ("arg", "arg1", "arg2", "arg3"))
    args: list[str] = []
    for name in names:
        value = e[name] if name in e else None  # noqa: SIM401 - CompValue.get is not dict.get
        if value is None:
            continue
        if isinstance(value, list | ParseResults):
            args.extend(expression(x) for x in value)
        else:
            args.append(expression(value))
    return f"{keyword}({', '.join(args)})"


def _escape_iri(iri: str) -> str:
    if any(c in iri for c in '<>"{}|^`\\') or any(ord(c) <= 0x20 for c in iri):
        raise KgError(f"'{iri}' is not a valid IRI")
    return iri


def _escape_string(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )
