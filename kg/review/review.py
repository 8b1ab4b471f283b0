"""`kg review`: accepting, rejecting and skipping draft facts in a mapping file, recording
who reviewed them and when. The file is edited in place with a round-trip YAML library
(ruamel.yaml), so comments and layout survive; after every change the project is compiled
again with the file, and a change that breaks it is undone."""

from __future__ import annotations

import datetime
import getpass
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString as Quoted

from kg.compile.builder import compile_project
from kg.errors import KgError
from kg.project import Project
from kg.review.draft import yaml


@dataclass(frozen=True)
class Reviewer:
    name: str
    date: datetime.date

    @classmethod
    def default(cls, name: str | None = None) -> Reviewer:
        """The given name, else git's user.name, else the login name; dated today."""
        if not name:
            try:
                name = subprocess.run(
                    ["git", "config", "user.name"], capture_output=True, text=True, check=False
                ).stdout.strip()
            except OSError:
                name = ""
        return cls(name or getpass.getuser(), datetime.date.today())


class MappingEdit:
    """A document mapping open for review."""

    def __init__(self, project: Project, path: Path) -> None:
        self.project = project
        self.path = path
        self.text = path.read_text(encoding="utf-8")
        self.data: CommentedMap = yaml().load(self.text)

    @classmethod
    def open(cls, project: Project, document: str) -> MappingEdit:
        """A document id ("005") or the path of its mapping file."""
        given = Path(document)
        path = given if given.suffix == ".yaml" else project.mappings / "documents" / f"{document}.yaml"
        if not path.is_file():
            raise KgError(f"no mapping file {project.display(path)}; write one with 'kg propose'")
        return cls(project, path)

    @property
    def facts(self) -> CommentedSeq:
        facts: CommentedSeq = self.data.setdefault("facts", CommentedSeq())
        return facts

    def drafts(self) -> Iterator[CommentedMap]:
        """Facts not yet reviewed, in file order."""
        reviewed = (self.data.get("review") or {}).get("status") == "reviewed"
        for fact in self.facts:
            status = (fact.get("review") or {}).get("status")
            if status == "draft" or (status is None and not reviewed):
                yield fact

    def fact(self, ident: str) -> CommentedMap:
        for fact in self.facts:
            if fact.get("id") == ident:
                found: CommentedMap = fact
                return found
        raise KgError(f"no fact '{ident}' in {self.project.display(self.path)}")

    def line_of(self, ident: str) -> int:
        """The 1-based line of a fact's id in the file."""
        return int(self.fact(ident).lc.line) + 1

    def accept(self, ident: str, reviewer: Reviewer) -> None:
        review = CommentedMap(
            {"status": "reviewed", "reviewer": reviewer.name, "date": reviewer.date.isoformat()}
        )
        review.fa.set_flow_style()
        self.fact(ident)["review"] = review

    def reject(self, ident: str) -> None:
        """Remove the fact, and the document's own entities nothing refers to any more."""
        fact = self.fact(ident)
        self._cut("facts", list(self.facts).index(fact))
        rest = [*self.facts, *self.data["articles"], *(self.data.get("skipped") or [])]
        dropped = _refs(fact) - set().union(set(), *(_refs(f) for f in rest))
        for entity in list(self.data.get("entities") or []):
            if entity.get("id") in dropped:
                self._cut("entities", [e.get("id") for e in self.data["entities"]].index(entity.get("id")))

    def _cut(self, key: str, index: int) -> None:
        """Delete item `index` of the top-level list `key` from the text, with the proposer's
        "# Line N" comment above it; every other line, comment included, stays as written."""
        items = self.data[key]
        lines = self.text.split("\n")
        start = int(items[index].lc.line)
        if len(items) == 1:
            start, end = int(self.data.lc.key(key)[0]), self._end_of(key, lines)
        else:
            end = int(items[index + 1].lc.line) if index + 1 < len(items) else self._end_of(key, lines)
            while end > start and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
                end -= 1
        while start > 0 and lines[start - 1].lstrip().startswith("# Line "):
            start -= 1
        self.text = "\n".join(lines[:start] + lines[end:])
        self.data = yaml().load(self.text)

    def _end_of(self, key: str, lines: list[str]) -> int:
        """The line after the last line of a top-level value (before the next key or the
        comments that close the file)."""
        start = int(self.data.lc.key(key)[0])
        after = [int(self.data.lc.key(k)[0]) for k in self.data if int(self.data.lc.key(k)[0]) > start]
        end = min(after, default=len(lines))
        while end > start + 1 and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
            end -= 1
        return end

    def skip(self, target: str, reason: str) -> None:
        """Skip a fact's sentence (given the fact's id) or a sentence given verbatim, with a
        reason; a skipped fact is removed."""
        if not reason.strip():
            raise KgError("a skipped sentence needs a reason")
        article = None
        if any(f.get("id") == target for f in self.facts):
            evidence = self.fact(target)["evidence"][0]
            quote, article = str(evidence["quote"]), evidence.get("article")
            self.reject(target)
        else:
            quote = target
        skipped = self.data.setdefault("skipped", CommentedSeq())
        if any(str(s.get("quote")) == quote for s in skipped):
            return
        entry = CommentedMap({"quote": Quoted(quote), "reason": reason})
        if article:
            entry["article"] = Quoted(str(article))
        skipped.append(entry)

    def save(self) -> None:
        """Write the file and check the project still builds with it; undo otherwise."""
        previous = self.path.read_text(encoding="utf-8")
        with self.path.open("w", encoding="utf-8") as handle:
            yaml().dump(self.data, handle)
        self.reload(previous)

    def reload(self, previous: str) -> None:
        """Read the file again after a change and check it; on failure put `previous` back."""
        try:
            compile_project(self.project, include_drafts=True)
        except KgError as exc:
            self.path.write_text(previous, encoding="utf-8")
            raise KgError(f"the change was undone, the mapping did not build:\n{exc}") from None
        self.text = self.path.read_text(encoding="utf-8")
        self.data = yaml().load(self.text)


def review(
    project: Project,
    document: str,
    reviewer: Reviewer,
    accept: list[str],
    reject: list[str],
    skip: list[str],
    reason: str = "",
) -> MappingEdit:
    """The non-interactive review: every listed fact accepted, rejected or skipped at once
    ("all" accepts every draft)."""
    edit = MappingEdit.open(project, document)
    if "all" in accept:
        accept = [str(f["id"]) for f in edit.drafts()]
    for ident in [*accept, *reject]:
        edit.fact(ident)  # an unknown id stops everything before anything changes
    for ident in reject:
        edit.reject(ident)
    for target in skip:
        edit.skip(target, reason)
    for ident in accept:
        edit.accept(ident, reviewer)
    edit.save()
    return edit


def _refs(node: Any) -> set[str]:
    """Every string in a YAML node: ids it may refer to."""
    if isinstance(node, dict):
        return set().union(*(_refs(v) for v in node.values())) if node else set()
    if isinstance(node, list):
        return set().union(*(_refs(v) for v in node)) if node else set()
    return {str(node)} if isinstance(node, str) else set()
