"""`kg review DOC` in a terminal: each draft fact with its quote in context; accept, edit
in $EDITOR at the fact's line, reject, or skip the sentence with a reason; then the
sentences nothing maps yet, to skip with a reason or leave for later."""

from __future__ import annotations

import os
import shlex
import subprocess
from collections.abc import Callable

from rich.console import Console
from rich.markup import escape

from kg.check.coverage import Status, coverage
from kg.errors import KgError
from kg.mapping.sources import SourceDocument
from kg.review.review import MappingEdit, Reviewer

Ask = Callable[[str], str]
CONTEXT = 160


def review_in_terminal(
    edit: MappingEdit, reviewer: Reviewer, console: Console, ask: Ask = input
) -> dict[str, int]:
    """Walk the drafts and the unmapped sentences; every decision is saved at once."""
    counts = {"accepted": 0, "edited": 0, "rejected": 0, "skipped": 0}
    source = SourceDocument.read(edit.project.root / str(edit.data["document"]), edit.project.root)
    pending = [str(f["id"]) for f in edit.drafts()]
    console.print(
        f"{len(pending)} draft fact(s) in {edit.project.display(edit.path)}; reviewing as {reviewer.name}."
    )
    position = 0
    while position < len(pending):
        ident = pending[position]
        fact = edit.fact(ident)
        _show(console, position + 1, len(pending), fact, source)
        choice = ask("[a]ccept  [e]dit  [r]eject  [s]kip sentence  [n]ext  [q]uit > ").strip().lower()[:1]
        try:
            if choice == "a":
                edit.accept(ident, reviewer)
                counts["accepted"] += 1
            elif choice == "r":
                edit.reject(ident)
                counts["rejected"] += 1
            elif choice == "s":
                edit.skip(ident, ask("reason > "))
                counts["skipped"] += 1
            elif choice == "e":
                _edit(edit, ident)
                counts["edited"] += 1
                if any(f.get("id") == ident for f in edit.facts):
                    continue  # show the edited fact again
            elif choice == "q":
                break
            elif choice != "n":
                continue
            if choice in "ars":
                edit.save()
        except KgError as exc:
            console.print(f"[bold red]error[/]: {escape(str(exc))}")
            edit = MappingEdit(edit.project, edit.path)
            continue
        position += 1
    else:
        _unmapped(edit, console, ask, counts)
    console.print(", ".join(f"{n} {what}" for what, n in counts.items()) + ".")
    return counts


def _show(console: Console, number: int, total: int, fact: object, source: SourceDocument) -> None:
    assert isinstance(fact, dict)
    evidence = fact["evidence"][0]
    quote = str(evidence["quote"])
    start = source.text.find(quote)
    before = source.text[max(0, start - CONTEXT) : start].split("\n")[-1]
    after = source.text[start + len(quote) : start + len(quote) + CONTEXT].split("\n")[0]
    console.rule(f"fact {number} of {total}: {fact['id']} (line {source.line_of(start)} of {source.path})")
    console.print(
        f"[dim]…{escape(before)}[/][bold]{escape(quote)}[/][dim]{escape(after)}…[/]", soft_wrap=True
    )
    console.print(f"subject: {escape(str(fact['subject']))}")
    for key, value in fact["properties"].items():
        console.print(f"  {escape(str(key))}: {escape(_plain(value))}")
    for key in ("stance", "asserted_by", "via"):
        if key in evidence:
            console.print(f"  [dim]{key}: {escape(_plain(evidence[key]))}[/]")


def _plain(value: object) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    if isinstance(value, list):
        return "; ".join(_plain(v) for v in value)
    return str(value)


def _edit(edit: MappingEdit, ident: str) -> None:
    """Open $EDITOR (or $VISUAL, else vi) at the fact; check the file when it closes."""
    previous = edit.path.read_text(encoding="utf-8")
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    subprocess.run([*shlex.split(editor), f"+{edit.line_of(ident)}", str(edit.path)], check=False)
    edit.reload(previous)


def _unmapped(edit: MappingEdit, console: Console, ask: Ask, counts: dict[str, int]) -> None:
    doc_id = str(edit.data["id"])
    units = [
        u
        for a in coverage(edit.project)
        if a.document == doc_id
        for u in a.units
        if u.status is Status.UNACCOUNTED
    ]
    if units:
        console.rule(f"{len(units)} sentence(s) not yet mapped")
    for unit in units:
        console.print(f"line {unit.line}: [bold]{escape(unit.text)}[/]", soft_wrap=True)
        if ask("[s]kip with a reason  [l]eave for later > ").strip().lower()[:1] == "s":
            edit.skip(unit.text, ask("reason > "))
            edit.save()
            counts["skipped"] += 1
