"""Outputs that cannot destroy, inputs read safely: `kg build`, `kg export` and the mapping
loader against folders, links, devices, pipes and hostile bytes."""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg import BuildReport, KgError, Project, build
from kg.cli import app
from tests.conftest import REPO, make_project


def test_build_refuses_a_folder_it_did_not_make(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "build.json").write_text("{}")  # looks like a build, is not one
    (mine / "thesis.tex").write_text("years of work")
    result = CliRunner().invoke(app, ["build", "--root", str(root), "--out", str(mine)])
    assert result.exit_code == 1 and "is not a previous build output" in result.stderr
    assert (mine / "thesis.tex").read_text() == "years of work"
    link = tmp_path / "link"
    link.symlink_to(mine)
    with pytest.raises(KgError, match="is not a previous build output"):
        build(Project.at(root), link)


def test_build_writes_neither_into_its_inputs_nor_over_what_is_in_the_way(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    blocker = tmp_path / "notes.txt"
    blocker.write_text("keep")
    inputs = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    for out, message in (
        (
            root / "seeds" / "out",
            f"{root / 'seeds' / 'out'} is inside seeds/, an input of the build; build elsewhere",
        ),
        (
            root / "mappings" / "documents",
            f"{root / 'mappings' / 'documents'} is inside mappings/, an input of",
        ),
        (root / "ontology" / "x", f"{root / 'ontology' / 'x'} is inside ontology/, an input of the build"),
        (Path("/"), "/ is the root folder; give the build a folder of its own"),
        (blocker / "dist", f"cannot write {blocker / 'dist'}: {blocker} is not a folder"),
        (root, f"{root} exists and is not a previous build output (no .kg-build in it)"),
    ):
        result = CliRunner().invoke(app, ["build", "--root", str(root), "--out", str(out)])
        errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
        assert result.exit_code == 1 and len(errors) == 1, result.stderr
        assert errors[0].startswith(f"error: {message}"), errors
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == inputs
    assert blocker.read_text() == "keep"


def test_an_interrupted_swap_is_recovered_and_staging_removed(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    build(Project.at(root))
    dist = root / "dist"
    os.rename(dist, root / ".dist-old")  # killed between the two renames
    stale = root / ".dist-building-x1"
    stale.mkdir()
    (stale / ".kg-build").write_text("")
    foreign = root / ".dist-building-notes"
    foreign.mkdir()
    (foreign / "keep.txt").write_text("not kg's")
    build(Project.at(root))
    assert (dist / "graph.nt").is_file() and not (root / ".dist-old").exists()
    assert not stale.exists() and (foreign / "keep.txt").is_file()


def test_export_writes_only_regular_files(seed_build: BuildReport, tmp_path: Path) -> None:
    precious = tmp_path / "precious.txt"
    precious.write_text("keep")
    link = tmp_path / "graph.nt"
    link.symlink_to(precious)
    pipe = tmp_path / "pipe.nt"
    os.mkfifo(pipe)
    for target, message in (
        (link, "is a symbolic link"),
        (pipe, "is not a regular file"),
        (Path("/dev/null"), "is not a regular file"),
    ):
        args = ["export", "-o", str(target), "--format", "nt", "--graph", str(seed_build.out)]
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 1 and message in result.stderr
    assert precious.read_text() == "keep" and link.is_symlink()


def test_export_never_writes_into_the_build_it_reads(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    dist = build(Project.at(root)).out
    before = {path.name: path.read_bytes() for path in dist.iterdir()}
    for target in (dist / "graph.nt", dist / "extra.ttl", dist / "graph.nq"):
        result = CliRunner().invoke(app, ["export", "-o", str(target), "--graph", str(dist)])
        assert result.exit_code == 1
        assert (
            result.stderr.strip()
            == f"error: {target} is inside the build it exports ({dist}); write it elsewhere"
        )
    assert {path.name: path.read_bytes() for path in dist.iterdir()} == before
    folder = tmp_path / "out.nt"
    folder.mkdir()
    result = CliRunner().invoke(app, ["export", "-o", str(folder), "--graph", str(dist)])
    assert result.exit_code == 1 and result.stderr.strip() == f"error: {folder} is a folder; give a file name"
    blocker = tmp_path / "notes.txt"
    blocker.write_text("keep")
    result = CliRunner().invoke(app, ["export", "-o", str(blocker / "g.nt"), "--graph", str(dist)])
    assert result.stderr.strip() == f"error: cannot write {blocker / 'g.nt'}: {blocker} is not a folder"
    assert blocker.read_text() == "keep"


def test_validate_writes_only_regular_files(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    build(Project.at(root))
    precious = tmp_path / "precious.md"
    precious.write_text("keep")
    link = tmp_path / "report.md"
    link.symlink_to(precious)
    pipe = tmp_path / "report.txt"
    os.mkfifo(pipe)
    folder = tmp_path / "report.json"
    folder.mkdir()
    for target, message in (
        (link, f"{link} is a symbolic link; kg writes only regular files (remove it first)"),
        (pipe, f"{pipe} is not a regular file (a device, a pipe or a socket); kg will not replace it"),
        (folder, f"{folder} is a folder; give a file name"),
    ):
        result = CliRunner().invoke(app, ["validate", "--root", str(root), "-o", str(target)])
        assert result.exit_code == 2
        assert result.stderr.strip() == f"error: {message}" and result.stdout == ""
    assert (
        precious.read_text() == "keep" and link.is_symlink() and pipe.is_fifo() and not any(folder.iterdir())
    )


def test_a_report_that_cannot_be_written_whole_leaves_the_old_one(tmp_path: Path) -> None:
    """Files are capped at 100 bytes (RLIMIT_FSIZE, as a full disk would): the report does
    not fit, and the previous one stays as it was, with nothing beside it."""
    root = make_project(tmp_path)
    build(Project.at(root))
    reports = tmp_path / "reports"
    reports.mkdir()
    old = reports / "report.json"
    old.write_text('{"previous": true}\n')
    old.chmod(0o600)

    def small_files() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the cap fails instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (100, 100))

    ran = subprocess.run(
        [sys.executable, "-m", "kg", "validate", "--root", str(root), "-o", str(old)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO), "PYTHONDONTWRITEBYTECODE": "1"},
        preexec_fn=small_files,
        timeout=300,
    )
    assert ran.returncode == 2
    assert ran.stderr.strip() == f"error: cannot write {old}: File too large; the old file is as it was"
    assert old.read_text() == '{"previous": true}\n'
    assert [path.name for path in reports.iterdir()] == ["report.json"]
    written = CliRunner().invoke(app, ["validate", "--root", str(root), "-o", str(old)])
    assert written.exit_code == 0 and json.loads(old.read_text())["conforms"] is True
    assert old.stat().st_mode & 0o777 == 0o600  # the old file's permissions kept


DOC = "mappings/documents/doc.yaml"


@pytest.mark.parametrize(
    ("old", "new", "error"),
    [
        (
            b"id: doc\n",
            b"id: doc\nx: " + b"[" * 300 + b"]" * 300 + b"\n",
            f"{DOC}:2: values nest more than 40 levels deep",
        ),
        (
            b"id: doc\n",
            b"id: do\x00c\n",
            f"{DOC}:1: control character U+0000 is not allowed in an input file",
        ),
        (
            b"id: doc\n",
            b"id: doc\x1b[31m\n",
            f"{DOC}:1: control character U+001B is not allowed in an input file",
        ),
        (
            b'kg:value: "12.5"',
            b'kg:value: "12.5\\e[2J"',
            f"{DOC}:67: control character U+001B (written as an escape) is not allowed",
        ),
        (
            b"[jane-doe, country:CA]",
            b'[jane-doe, "country:C\\0A"]',
            f"{DOC}:56: control character U+0000 (written as an escape) is not allowed",
        ),
        (
            b"label: {en: Jane Doe joined",
            b'label: {en: "Jane \\ud800", x: Jane Doe joined',
            f"{DOC}:23: lone surrogate U+D800 (written as an escape) is not allowed",
        ),
        (
            b"  - id: subsidiary\n",
            b'  - id: subsidiary\n    "\\a": 1\n',
            f"{DOC}:31: control character U+0007 (written as an escape) is not allowed",
        ),
    ],
)
def test_hostile_mapping_bytes_are_one_clear_error(
    tmp_path: Path, old: bytes, new: bytes, error: str
) -> None:
    root = make_project(tmp_path)
    target = root / DOC
    content = target.read_bytes()
    assert content.count(old) == 1
    target.write_bytes(content.replace(old, new, 1))
    result = CliRunner().invoke(app, ["build", "--root", str(root)])
    assert result.exit_code == 1
    assert [line for line in result.stderr.splitlines() if line.startswith("error:")] == [f"error: {error}"]
    assert not (root / "dist").exists()


@pytest.mark.parametrize(
    ("old", "new", "error"),
    [
        (
            b'published: "2025-03-05"',
            b'published: "20250305"',
            "17: '20250305' is not a date or date and time",
        ),
        (
            b'published: "2025-03-05"',
            b"published: 1741132800",
            "17: '1741132800' is not a date or date and time",
        ),
        (
            b'published: "2025-03-04 09:30"',
            b'published: "2025-03-04 09:30\\n"',
            "11: '2025-03-04 09:30\\n' is not a date or date and time",
        ),
        (
            b'published: "2025-03-05"',
            'published: "\u0662\u0660\u0662\u0665-03-05"'.encode(),
            "17: '\u0662\u0660\u0662\u0665-03-05' is not a date or date and time",
        ),
        (b'kg:endDate: "2025-02"', b"kg:endDate: 86400", "44: kg:endDate: '86400' is not a valid EDTF date"),
        (
            b'kg:endDate: "2025-02"',
            b'kg:endDate: "2025-02\\n"',
            "44: kg:endDate: '2025-02\\n' is not an EDTF date",
        ),
        (
            b"date: 2026-01-02}",
            'date: "\uff12\uff10\uff12\uff16-01-02"}'.encode(),
            "3: review.date: Value error, '\uff12\uff10\uff12\uff16-01-02' is not a date written YYYY-MM-DD",
        ),
        (
            b'kg:value: "12.5"',
            'kg:value: "\u0661\u0662.\u0665"'.encode(),
            "67: kg:value: '\u0661\u0662.\u0665' is not a decimal number",
        ),
        (b'kg:value: "12.5"', b'kg:value: "NaN"', "67: kg:value: 'NaN' is not a decimal number"),
        (
            b'kg:value: "12.5"',
            b'kg:value: "1e999999999"',
            "67: kg:value: '1e999999999' is not a decimal number",
        ),
    ],
)
def test_values_that_only_look_like_dates_or_numbers_are_refused(
    tmp_path: Path, old: bytes, new: bytes, error: str
) -> None:
    """Each error is one line, a line break in the value shown as \\n."""
    root = make_project(tmp_path)
    target = root / DOC
    target.write_bytes(target.read_bytes().replace(old, new, 1))
    result = CliRunner().invoke(app, ["build", "--root", str(root), "--include-drafts"])
    assert result.exit_code == 1
    [line] = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert line.startswith(f"error: {DOC}:{error}"), line
    assert not (root / "dist").exists()


def test_a_mapping_that_is_a_pipe_or_a_device_is_refused(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    os.mkfifo(root / "mappings" / "documents" / "pipe.yaml")
    (root / "mappings" / "registry" / "zero.yaml").symlink_to("/dev/zero")
    result = CliRunner().invoke(app, ["build", "--root", str(root)])
    assert result.exit_code == 1
    errors = sorted(line for line in result.stderr.splitlines() if line.startswith("error:"))
    assert errors == [
        "error: mappings/documents/pipe.yaml: not a regular file (a pipe, a device or a socket)",
        "error: mappings/registry/zero.yaml: not a regular file (a pipe, a device or a socket)",
    ]


def test_a_symlinked_seeds_folder_builds(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    shutil.move(root / "seeds", tmp_path / "elsewhere")
    (root / "seeds").symlink_to(tmp_path / "elsewhere")
    build(Project.at(root))
    manifest = (root / "dist" / "build.json").read_text()
    assert '"seeds/doc.txt"' in manifest and str(tmp_path) not in manifest


@pytest.mark.parametrize(
    ("quote", "in_seed", "difference"),
    [
        (
            "Jane\u00a0Doe resigned",
            None,
            "character 5 of the quote: the quote has '\\xa0' (U+00A0 NO-BREAK SPACE), the document has ' ' "
            "(U+0020 SPACE)",
        ),
        (
            "Jane Doe\u200b resigned",
            None,
            "character 9 of the quote: the quote has '\\u200b' (U+200B ZERO WIDTH SPACE), the document has ' ' "
            "(U+0020 SPACE)",
        ),
        (
            "Jane Doe\u2019s resigned",  # a curly apostrophe where the document has a straight one
            "Jane Doe's resigned",
            "character 9 of the quote: the quote has '\u2019' (U+2019 RIGHT SINGLE QUOTATION MARK), the "
            'document has "\'" (U+0027 APOSTROPHE)',
        ),
        (
            "Jane\u0301 Doe resigned",  # e and a combining accent where the document has é (NFD and NFC)
            "Jan\u00e9 Doe resigned",
            "character 4 of the quote: the quote has 'e' (U+0065 LATIN SMALL LETTER E), the document has "
            "'\u00e9' (U+00E9 LATIN SMALL LETTER E WITH ACUTE)",
        ),
    ],
    ids=["no-break-space", "zero-width-space", "curly-apostrophe", "decomposed-accent"],
)
def test_a_misquote_that_looks_identical_names_the_characters(
    tmp_path: Path, quote: str, in_seed: str | None, difference: str
) -> None:
    root = make_project(tmp_path)
    said = "Jane Doe resigned"
    if in_seed is not None:
        seed = root / "seeds" / "doc.txt"
        seed.write_text(seed.read_text(encoding="utf-8").replace(said, in_seed), encoding="utf-8")
    target = root / DOC
    target.write_bytes(target.read_bytes().replace(said.encode(), quote.encode()))
    result = CliRunner().invoke(app, ["build", "--root", str(root)])
    assert result.exit_code == 1
    assert f"; first difference at {difference}" in result.stderr, result.stderr


@pytest.mark.parametrize(
    ("make", "error"),
    [
        (
            lambda root: (root / "mappings/documents/more.yaml").mkdir(),
            "mappings/documents/more.yaml: not a regular file (a folder)",
        ),
        (
            lambda root: os.mkfifo(root / "ontology/extra.ttl"),
            "ontology/extra.ttl: not a regular file (a pipe, a device or a socket)",
        ),
        (
            lambda root: (root / "ontology/extra.ttl").mkdir(),
            "ontology/extra.ttl: not a regular file (a folder)",
        ),
        (
            lambda root: _replace(root / "seeds/doc.txt", os.mkfifo),
            f"{DOC}:2: document 'seeds/doc.txt' is not a regular file",
        ),
        (
            lambda root: _replace(root / "seeds/doc.txt", Path.mkdir),
            f"{DOC}:2: document 'seeds/doc.txt' is not a regular file",
        ),
        (
            lambda root: _replace(root / "seeds/doc.txt", lambda p: p.symlink_to(p)),
            f"{DOC}:2: document path 'seeds/doc.txt' cannot be followed",
        ),
        (
            lambda root: _replace(root / "mappings/registry", lambda p: p.write_text("")),
            "mappings/registry: not a folder",
        ),
    ],
    ids=[
        "mapping-folder",
        "ontology-pipe",
        "ontology-folder",
        "seed-pipe",
        "seed-folder",
        "seed-link-loop",
        "registry-file",
    ],
)
def test_inputs_that_are_folders_pipes_or_link_loops_are_refused(
    tmp_path: Path, make: Callable[[Path], object], error: str
) -> None:
    """In a process of its own, killed after a minute: reading a pipe would wait forever."""
    root = make_project(tmp_path)
    make(root)
    ran = subprocess.run(
        [sys.executable, "-m", "kg", "build", "--root", str(root)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=60,
    )
    assert ran.returncode == 1
    assert f"error: {error}" in [line[: len(error) + 7] for line in ran.stderr.splitlines()], ran.stderr
    assert "Traceback" not in ran.stderr and not (root / "dist").exists()


def _replace(path: Path, make: Callable[[Path], object]) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    else:
        path.unlink()
    make(path)
