"""Each kind of bad input gets one clear line naming file, line and problem: no traceback,
exit code 1, and no output written. One fixture per kind: the minimal project with one
defect put in."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app
from tests.conftest import make_project

DOC = "mappings/documents/doc.yaml"
REGISTRY = "mappings/registry/entities.yaml"


@dataclass(frozen=True)
class Defect:
    file: str
    old: bytes
    new: bytes
    error: str


DEFECTS = {
    "malformed-yaml": Defect(
        DOC,
        b"  - id: subsidiary\n",
        b"  - id: subsidiary\n   subject: [oops\n",
        f"{DOC}:31: malformed YAML: expected <block end>, but found '<block mapping start>'"
        " (while parsing a block collection started on line 30)",
    ),
    "alias-bomb": Defect(
        REGISTRY,
        b"entities:\n",
        b"bomb: &a [x, x, x, x, x, x, x, x, x]\nbomb2: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nentities:\n",
        f"{REGISTRY}:2: YAML alias '*a' is not allowed in mapping files; write the value out",
    ),
    "python-object-tag": Defect(
        DOC,
        b"\nreview: {status",
        b"\nx: !!python/object/apply:os.system [echo pwned]\nreview: {status",
        f"{DOC}:3: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed in mapping files",
    ),
    "duplicate-key": Defect(
        DOC,
        b"    subject: acme-rare-metals\n",
        b"    subject: acme-rare-metals\n    subject: acme-group\n",
        f"{DOC}:32: duplicate key 'subject' (first given on line 31)",
    ),
    "unknown-field": Defect(
        DOC,
        b'      - article: "1"\n        quote: "Acme Rare Metals, a subsidiary',
        b'      - article: "1"\n        quot: "Acme Rare Metals, a subsidiary',
        f"{DOC}:36: facts[0].evidence[0]: unknown field 'quot'; did you mean 'quote'?",
    ),
    "unknown-entity": Defect(
        DOC,
        b"      org:member: jane-doe\n",
        b"      org:member: jane-do\n",
        f"{DOC}:41: unknown entity 'jane-do' (declare it in mappings/registry/)",
    ),
    "duplicate-id": Defect(
        REGISTRY,
        b"  - id: example-daily\n",
        b"  - id: jane-doe\n    kind: kg:Person\n    label: {en: Jane Doe again}\n\n  - id: example-daily\n",
        f"{REGISTRY}:25: duplicate entity id 'jane-doe' (first declared at {REGISTRY}:13)",
    ),
    "impossible-date": Defect(
        DOC,
        b'kg:endDate: "2025-02"',
        b'kg:endDate: "2025-02-30"',
        f"{DOC}:44: kg:endDate: impossible date '2025-02-30': day is out of range for month",
    ),
    "quote-not-in-document": Defect(
        DOC,
        b'quote: "Jane Doe resigned as chief financial officer in February 2025"',
        b'quote: "Jane Doe quit as chief financial officer in February 2025"',
        f"{DOC}:48: quote not found in seeds/doc.txt; nearest passage (line 3, 88% similar): "
        '"Jane Doe resigned as chief financial officer in February 2025."; first difference at character 10 '
        "of the quote: the quote has 'q' (U+0071 LATIN SMALL LETTER Q), the document has 'r' "
        "(U+0072 LATIN SMALL LETTER R)",
    ),
    "path-outside-seeds": Defect(
        DOC,
        b"document: seeds/doc.txt",
        b"document: seeds/../mappings/registry/entities.yaml",
        f"{DOC}:2: document path 'seeds/../mappings/registry/entities.yaml' is outside seeds/",
    ),
    "combination-of-unknown-fact": Defect(
        DOC,
        b"  - id: draft-country\n",
        b"  - id: inferred\n    subject: jane-doe\n    properties:\n      kg:knownAs: {en: x}\n"
        b"    combines: [doc.subsidiary, doc.no-such-fact]\n    note: {en: why}\n\n  - id: draft-country\n",
        f"{DOC}:78: combines unknown fact 'doc.no-such-fact' (give DOCUMENT.FACT of a reviewed fact with quotes)",
    ),
    "evidence-and-combination": Defect(
        DOC,
        b"  - id: draft-country\n",
        b"  - id: inferred\n    subject: jane-doe\n    properties:\n      kg:knownAs: {en: x}\n"
        b"    combines: [doc.subsidiary, doc.market-share]\n    note: {en: why}\n"
        b'    evidence:\n      - {quote: "Jane Doe", occurrence: 1, article: "1"}\n\n  - id: draft-country\n',
        f"{DOC}:74: facts[4]: Value error, a fact needs either evidence (quotes) or combines (facts of other "
        "documents), not both",
    ),
    "unit-pint-cannot-read": Defect(
        DOC,
        b"      kg:unit: percent\n",
        b"      kg:unit: percentage points of\n",
        f"{DOC}:68: kg:unit: 'percentage points of' is not a unit pint can read "
        "('percentage' is not defined in the unit registry)",
    ),
    "currency-not-iso-4217": Defect(
        DOC,
        b"      kg:unit: percent\n",
        b"      kg:unit: RMB\n",
        f"{DOC}:68: kg:unit: 'RMB' is not an ISO 4217 currency code (e.g. USD, CNY, EUR)",
    ),
    "unit-not-in-vocabulary": Defect(
        DOC,
        b"      kg:unit: percent\n",
        b"      kg:unit: USD/hour\n",
        f"{DOC}:68: kg:unit: 'USD/hour' is unit:PER-HR, not in the units vocabulary",
    ),
    "currency-written-directly": Defect(
        DOC,
        b"      kg:unit: percent\n",
        b"      kg:unit: percent\n      kg:currency: CNY\n",
        f"{DOC}:69: property 'kg:currency' is written by the build, not by mappings "
        "(write the currency in kg:unit, e.g. kg:unit: CNY)",
    ),
    "claim-unknown": Defect(
        DOC,
        b"  - id: rival-rumour\n",
        b"  - id: rival-rumour\n    claim: claim-jane-doe-joined-a-rival\n",
        f"{DOC}:54: unknown entity 'claim-jane-doe-joined-a-rival' (declare it in mappings/registry/)",
    ),
    "non-utf8-mapping": Defect(
        REGISTRY,
        b"label: {en: Jane Doe}",
        b"label: {en: Jane D\xf6e}",
        f"{REGISTRY}:15: not valid UTF-8 (byte 0xf6 at byte offset 366)",
    ),
    "non-utf8-seed": Defect(
        "seeds/doc.txt",
        "示例日报 · 2025-03-05".encode(),
        "示例日报 · 2025-03-05".encode("gb18030"),
        "seeds/doc.txt:5: not valid UTF-8 (byte 0xc0 at byte offset 283)",
    ),
}


@pytest.mark.parametrize("name", DEFECTS)
def test_bad_input_is_one_clear_error(name: str, tmp_path: Path) -> None:
    defect = DEFECTS[name]
    root = make_project(tmp_path)
    target = root / defect.file
    content = target.read_bytes()
    assert content.count(defect.old) == 1, "the fixture no longer holds the text to break"
    target.write_bytes(content.replace(defect.old, defect.new))

    result = CliRunner().invoke(app, ["build", "--root", str(root)])

    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == [f"error: {defect.error}"]
    assert "Traceback" not in result.output
    assert not (root / "dist").exists()
    assert not any(p.name.startswith(".dist") for p in root.iterdir())
