"""Validation reports in five formats, all rendered from one `Report`.

text (a terminal), markdown (a CI job summary or pull-request comment), junit (JUnit XML:
one test case per shape or check, one failure per focus node), json, and ttl (the standard
SHACL `sh:ValidationReport`, with the mapping line of each result as `dcterms:source`).
"""

from __future__ import annotations

import json
import socket
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

import pyoxigraph as ox
from rich.console import Console
from rich.markup import escape

from kg.check.findings import Finding, Report, Severity
from kg.compile.output import check_output_file, write_file
from kg.errors import KgError
from kg.vocab import CHECKS, DCTERMS, PREFIXES, RDF, SHAPES, compact, term_text

SH = "http://www.w3.org/ns/shacl#"
_ICON = {Severity.VIOLATION: "✗", Severity.WARNING: "!", Severity.INFO: "i"}
_STYLE = {Severity.VIOLATION: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def render(report: Report, fmt: str) -> str:
    return FORMATS[fmt](report)


def report_format(path: Path) -> str:
    """The format a report file's suffix names; fails for another suffix, or for a path
    kg will not write (a link, a folder, a device)."""
    if path.suffix not in SUFFIXES:
        raise KgError(f"cannot tell the report format of {path} (use {', '.join(SUFFIXES)})")
    check_output_file(path)
    return SUFFIXES[path.suffix]


def write_report(report: Report, path: Path) -> None:
    """Write the report to `path` in the format its suffix names, atomically."""
    text = render(report, report_format(path))
    write_file(path, lambda handle: handle.write(text.encode("utf-8")))


def text(report: Report) -> str:
    buffer = StringIO()
    console = Console(file=buffer, width=120, force_terminal=False, highlight=False)
    for finding in report.findings:
        style = _STYLE[finding.severity]
        console.print(
            f"[{style}]{_ICON[finding.severity]} {finding.severity.value}[/] {escape(finding.shape)}: "
            f"{escape(finding.focus_label)}",
            soft_wrap=True,
        )
        if finding.path is not None or finding.value is not None:
            console.print(f"    {escape(_where(finding))}", soft_wrap=True)
        console.print(f"    {escape(finding.message)}", soft_wrap=True)
        for source in finding.sources:
            quote = f' "{_short(source.quote)}"' if source.quote else ""
            console.print(f"    at {source}{escape(quote)}", soft_wrap=True)
    verdict = "conforms" if report.conforms() else "does not conform"
    console.print(f"Validation {verdict}: {report.summary}.", soft_wrap=True)
    return buffer.getvalue()


def markdown(report: Report) -> str:
    verdict = "✅ conforms" if report.conforms() else "❌ does not conform"
    lines = [f"## Validation {verdict}", "", f"{report.summary}.", ""]
    if report.findings:
        lines += [
            "| severity | shape | focus node | path | value | message | from |",
            "|---|---|---|---|---|---|---|",
        ]
        for f in report.findings:
            origin = "<br>".join(
                f"`{s}`" + (f" “{_cell(_short(s.quote))}”" if s.quote else "") for s in f.sources
            )
            lines.append(
                "| "
                + " | ".join(
                    [
                        f.severity.value,
                        f"`{_cell(f.shape)}`",
                        _cell(f.focus_label),
                        f"`{compact(f.path.value)}`" if f.path else "",
                        _cell(term_text(f.value)),
                        _cell(f.message),
                        origin,
                    ]
                )
                + " |"
            )
    return "\n".join(lines) + "\n"


def junit(report: Report) -> str:
    """JUnit XML: a test case per shape or check; a failure per violating focus node.
    Warnings and infos are listed in the test case's system-out. The attributes the JUnit
    schema requires (timestamp and hostname of the suite among them) are all present."""
    by_shape: dict[str, list[Finding]] = {name: [] for name in report.shapes}
    for finding in report.findings:
        by_shape.setdefault(finding.shape, []).append(finding)
    failures = sum(1 for f in report.findings if f.severity is Severity.VIOLATION)
    counts = {
        "tests": str(len(by_shape)),
        "failures": str(failures),
        "errors": "0",
        "skipped": "0",
        "time": "0",
    }
    suites = ET.Element("testsuites", {"name": "kg validate", **counts})
    stamp = datetime.now(UTC).replace(microsecond=0, tzinfo=None).isoformat()
    suite = ET.SubElement(
        suites,
        "testsuite",
        {
            "name": "sovereignty-kg shapes and checks",
            "timestamp": stamp,
            "hostname": socket.gethostname(),
            **counts,
        },
    )
    for name in sorted(by_shape):
        group = name.split("-")[0] if name.startswith("kgsh:") else name  # kgsh:Post-member: kgsh:Post
        case = ET.SubElement(suite, "testcase", {"classname": group, "name": name, "time": "0"})
        notes = []
        for finding in by_shape[name]:
            detail = _plain(finding)
            if finding.severity is Severity.VIOLATION:
                message = f"{finding.focus_label}: {finding.message}"
                failure = ET.SubElement(case, "failure", {"message": message, "type": finding.severity.value})
                failure.text = detail
            else:
                notes.append(f"{finding.severity.value}: {detail}")
        if notes:
            ET.SubElement(case, "system-out").text = "\n\n".join(notes)
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


def as_json(report: Report) -> str:
    content = {
        "conforms": report.conforms(),
        "violations": report.count(Severity.VIOLATION),
        "warnings": report.count(Severity.WARNING),
        "infos": report.count(Severity.INFO),
        "shapes": list(report.shapes),
        "findings": [
            {
                "severity": f.severity.value,
                "shape": f.shape,
                "focus": str(f.focus.value),
                "focus_label": f.focus_label,
                "path": f.path.value if f.path else None,
                "value": term_text(f.value) if f.value is not None else None,
                "message": f.message,
                "sources": [{"file": s.path, "line": s.line, "quote": s.quote} for s in f.sources],
            }
            for f in report.findings
        ],
    }
    return json.dumps(content, indent=2, ensure_ascii=False) + "\n"


def turtle(report: Report) -> str:
    """The standard SHACL validation report (results are blank nodes, in report order): each
    result with its focus node, severity, source shape, constraint component and message,
    its path, value and SPARQL constraint where it has them, and the mapping lines behind it
    as `dcterms:source`."""
    node = ox.BlankNode("report")
    triples = [
        ox.Triple(node, ox.NamedNode(RDF.type), ox.NamedNode(SH + "ValidationReport")),
        ox.Triple(
            node,
            ox.NamedNode(SH + "conforms"),
            ox.Literal(str(report.conforms()).lower(), datatype=_XSD_BOOLEAN),
        ),
    ]
    for i, finding in enumerate(report.findings, 1):
        result = ox.BlankNode(f"r{i}")
        triples += [
            ox.Triple(node, ox.NamedNode(SH + "result"), result),
            ox.Triple(result, ox.NamedNode(RDF.type), ox.NamedNode(SH + "ValidationResult")),
            ox.Triple(result, ox.NamedNode(SH + "resultSeverity"), ox.NamedNode(SH + finding.severity.value)),
            ox.Triple(result, ox.NamedNode(SH + "focusNode"), finding.focus),
            ox.Triple(result, ox.NamedNode(SH + "sourceShape"), finding.source_shape),
            ox.Triple(result, ox.NamedNode(SH + "sourceConstraintComponent"), finding.component),
            ox.Triple(result, ox.NamedNode(SH + "resultMessage"), ox.Literal(finding.message)),
        ]
        if finding.constraint is not None:
            triples.append(ox.Triple(result, ox.NamedNode(SH + "sourceConstraint"), finding.constraint))
        if finding.path is not None:
            triples.append(ox.Triple(result, ox.NamedNode(SH + "resultPath"), finding.path))
        if finding.value is not None:
            triples.append(ox.Triple(result, ox.NamedNode(SH + "value"), finding.value))
        for source in finding.sources:
            triples.append(ox.Triple(result, ox.NamedNode(DCTERMS.source), ox.Literal(str(source))))
    prefixes = {**PREFIXES, "sh": SH, "kgsh": str(SHAPES), "check": str(CHECKS)}
    data = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes)
    assert data is not None
    return data.decode("utf-8")


FORMATS: dict[str, Callable[[Report], str]] = {
    "text": text,
    "markdown": markdown,
    "junit": junit,
    "json": as_json,
    "ttl": turtle,
}
SUFFIXES = {".txt": "text", ".md": "markdown", ".xml": "junit", ".json": "json", ".ttl": "ttl"}
_XSD_BOOLEAN = ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")


def _where(finding: Finding) -> str:
    parts = []
    if finding.path is not None:
        parts.append(f"path {compact(finding.path.value)}")
    if finding.value is not None:
        parts.append(f"value {term_text(finding.value)}")
    return ", ".join(parts)


def _plain(finding: Finding) -> str:
    lines = [f"{finding.focus_label} ({finding.focus})"]
    if where := _where(finding):
        lines.append(where)
    lines.append(finding.message)
    lines += [f"at {s}" + (f' "{s.quote}"' if s.quote else "") for s in finding.sources]
    return "\n".join(lines)


def _short(text: str | None, limit: int = 100) -> str:
    text = text or ""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
