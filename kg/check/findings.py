"""Validation findings as structured data; every report format is rendered from these."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

import pyoxigraph as ox

from kg.compile.sourcemap import Source


class Severity(Enum):
    VIOLATION = "Violation"
    WARNING = "Warning"
    INFO = "Info"

    @property
    def rank(self) -> int:
        return list(Severity).index(self)


@dataclass(frozen=True)
class Finding:
    """One problem: which shape or check found it, on which node, and where it came from.
    `shape` is the name people read (the SPARQL constraint's or the shape's CURIE); the SHACL
    report gives `source_shape`, `component` and, for a SPARQL constraint, `constraint`."""

    severity: Severity
    shape: str
    focus: ox.NamedNode | ox.BlankNode
    focus_label: str
    message: str
    source_shape: ox.NamedNode | ox.BlankNode
    component: ox.NamedNode
    constraint: ox.NamedNode | None = None
    path: ox.NamedNode | None = None
    value: ox.NamedNode | ox.BlankNode | ox.Literal | None = None
    sources: tuple[Source, ...] = ()

    @property
    def sort_key(self) -> tuple[int, str, str, str, str]:
        return (self.severity.rank, self.shape, str(self.focus), str(self.path or ""), str(self.value or ""))


@dataclass(frozen=True)
class Report:
    """All findings, and the names of every shape and check that ran (for JUnit)."""

    findings: tuple[Finding, ...]
    shapes: tuple[str, ...] = field(default=())

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)

    def conforms(self, strict: bool = False) -> bool:
        failing = {Severity.VIOLATION, Severity.WARNING} if strict else {Severity.VIOLATION}
        return not any(f.severity in failing for f in self.findings)

    @property
    def summary(self) -> str:
        parts = [
            f"{n} {s.value.lower()}{'s' if n != 1 else ''}"
            for s in Severity
            if (n := self.count(s)) or s is Severity.VIOLATION
        ]
        return f"{', '.join(parts)} ({len(self.shapes)} shapes and checks)"
