"""Writing a proposed mapping as YAML a person reviews: the layout of the hand-written
files (flow maps for names, quoted dates and ids), a comment on every fact saying what
suggested it, and at the end the sentences not yet mapped."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable
from dataclasses import dataclass

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString as Quoted

from kg.review.layout import ArticleLayout, Sentence
from kg.review.proposal import NewEntity, Proposed, Value

PROPOSER = "kg propose"


@dataclass(frozen=True)
class Evidence:
    """Where a proposed fact's quote is: which article, which occurrence."""

    article: str | None
    occurrence: int | None


@dataclass(frozen=True)
class ArticleEntry:
    layout: ArticleLayout
    outlet: str | None


def yaml() -> YAML:
    """The round-trip YAML used for writing and editing mapping files."""
    writer = YAML()
    writer.width = 4096
    writer.indent(mapping=2, sequence=4, offset=2)
    writer.preserve_quotes = True
    return writer


def render(
    doc_id: str,
    seed: str,
    sha256: str,
    articles: list[ArticleEntry],
    entities: Iterable[NewEntity],
    facts: list[tuple[Proposed, Evidence]],
    unmapped: list[tuple[str, Sentence]],
    today: datetime.date,
) -> str:
    """The draft mapping file's text."""
    data = CommentedMap()
    data["id"] = Quoted(doc_id)
    data["document"] = seed
    data["sha256"] = sha256
    data["review"] = _flow({"status": "draft", "reviewer": PROPOSER, "date": today.isoformat()})
    data["articles"] = CommentedSeq([_article(str(i), entry) for i, entry in enumerate(articles, 1)])
    entity_list = CommentedSeq()
    for entity in entities:
        entity_list.append(_entity(entity))
    if entity_list:
        data["entities"] = entity_list
    fact_list = CommentedSeq()
    for i, (fact, evidence) in enumerate(facts):
        fact_list.append(_fact(fact, evidence))
        fact_list.yaml_set_comment_before_after_key(
            i, before=f"Line {fact.sentence.line}: {fact.why}", indent=2
        )
    data["facts"] = fact_list
    out = io.StringIO()
    yaml().dump(data, out)
    header = (
        f"# Document {doc_id}: proposed by {PROPOSER} on {today.isoformat()}. Every fact is a draft:\n"
        f"# check it against the text, then accept, edit, reject or skip it with 'kg review {doc_id}'.\n"
    )
    footer = ""
    if unmapped:
        footer = "\n# Not yet mapped (map them, or skip them with a reason in 'kg review'):\n" + "".join(
            f"#   {_where(article)}, line {s.line}: {s.text}\n" for article, s in unmapped
        )
    return header + out.getvalue() + footer


def _where(article: str) -> str:
    return article if not article.isdigit() else f"article {article}"


def _flow(values: dict[str, object]) -> CommentedMap:
    node = CommentedMap(values)
    node.fa.set_flow_style()
    return node


def _flow_list(values: list[object]) -> CommentedSeq:
    node = CommentedSeq(values)
    node.fa.set_flow_style()
    return node


def _article(ident: str, entry: ArticleEntry) -> CommentedMap:
    layout = entry.layout
    article = CommentedMap({"id": Quoted(ident), "lines": f"{layout.first}-{layout.last}"})
    if layout.title:
        article["title"] = _flow({layout.title_language or "en": Quoted(layout.title)})
    if layout.byline:
        article["byline"] = Quoted(layout.byline)
    if entry.outlet:
        article["outlet"] = entry.outlet
    if layout.published:
        article["published"] = Quoted(layout.published)
    article["language"] = _flow_list(list(layout.languages))
    return article


def _entity(entity: NewEntity) -> CommentedMap:
    label: dict[str, object] = {"en": Quoted(entity.known.label)}
    if entity.zh:
        label["zh"] = Quoted(entity.zh)
    node = CommentedMap({"id": entity.known.ref, "kind": entity.known.kind, "label": _flow(label)})
    note = f"proposed: {entity.why}"
    if entity.zh:
        note += "; write the English label"
    node.yaml_add_eol_comment(note, "kind")
    return node


def _fact(fact: Proposed, evidence: Evidence) -> CommentedMap:
    properties = CommentedMap()
    for key, values in fact.properties.items():
        written = [_value(v) for v in values]
        properties[key] = written[0] if len(written) == 1 else _flow_list(written)
    item = CommentedMap({"quote": Quoted(fact.sentence.text)})
    if evidence.article:
        item["article"] = Quoted(evidence.article)
    if evidence.occurrence:
        item["occurrence"] = evidence.occurrence
    if fact.voice.stance != "reported":
        item["stance"] = fact.voice.stance
    if fact.voice.asserted_by:
        item["asserted_by"] = fact.voice.asserted_by
    if fact.voice.via:
        item["via"] = _flow_list(list(fact.voice.via))
    return CommentedMap(
        {"id": fact.id, "subject": fact.subject, "properties": properties, "evidence": CommentedSeq([item])}
    )


def _value(value: Value) -> object:
    if isinstance(value, dict):
        return _flow({lang: Quoted(text) for lang, text in value.items()})
    return Quoted(value) if value[:1].isdigit() or value.startswith("--") else value
