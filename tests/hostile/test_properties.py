"""Property tests: thousands of generated inputs to the mapping loader, the value parsers,
the parameter parser and the query checker end in a result or a clear KgError, never in
another exception."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.ask.bindings import TYPES, guess_value, parse_value
from kg.ask.limits import Limits
from kg.ask.prepare import prepare
from kg.compile.values import typed_literal
from kg.errors import KgError
from kg.mapping.yamlfile import load_yaml
from kg.vocab import XSD

SETTINGS = settings(
    max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
YAMLISH = st.lists(  # characters, and escapes that write control characters and surrogates
    st.sampled_from([*"ab:- []{}\"'#&*!\n\t\x00\x1b,.|>%@`", "\u200b", "é", "\\e", "\\0", "\\ud800"]),
    max_size=80,
).map("".join)


@SETTINGS
@given(YAMLISH)
def test_the_mapping_loader_reads_or_refuses(tmp_path: Path, text: str) -> None:
    path = tmp_path / "m.yaml"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    try:
        document = load_yaml(path)
    except KgError as exc:
        assert "\n" not in str(exc).strip()
    else:
        assert document.data is None or isinstance(document.data, dict | list | str)


NON_DATE = [str(XSD.decimal), str(XSD.integer), str(XSD.positiveInteger), str(XSD.duration), str(XSD.boolean)]


@SETTINGS
@given(st.text(max_size=30), st.sampled_from(NON_DATE))
def test_value_parsers_give_a_literal_or_a_reason(text: str, datatype: str) -> None:
    try:
        literals = typed_literal(text, datatype)
    except ValueError as exc:
        assert str(exc)
    else:
        assert [lit.datatype.value for lit in literals] in ([datatype], [str(XSD.integer)])


@SETTINGS
@given(st.text(st.characters(exclude_categories=()), max_size=40), st.sampled_from(TYPES))  # surrogates too
def test_parameter_values_are_terms_or_clear_errors(text: str, kind: str) -> None:
    for guessed in (False, True):
        try:
            guess_value(text, "p") if guessed else parse_value(text, kind, "p")
        except KgError as exc:
            assert str(exc).startswith("parameter p: ")


TOKENS = [*"{}()[]<>?$\"'#\\ .;,*a", "SERVICE", "SELECT", "WHERE", "\n", "ex:", "x", "?x"]
QUERYISH = st.lists(st.sampled_from(TOKENS), max_size=30).map("".join)


@pytest.mark.parametrize("prefix", ["SELECT * WHERE { ", "ASK { "])
@settings(max_examples=500, deadline=None)
@given(body=QUERYISH, value=st.text(max_size=20))
def test_the_query_checker_accepts_or_refuses(prefix: str, body: str, value: str) -> None:
    try:
        prepared = prepare(prefix + body, {"x": guess_value(value, "x")} if "?x" in body else {}, Limits())
    except KgError:
        return
    assert "SERVICE" not in prepared.text.upper() or "SERVICE" in value.upper()
