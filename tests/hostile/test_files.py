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
            b"reviewer: tester, date: 2026-01-02}\n\narticles",
            b"reviewer: tester, date: 86400}\n\narticles",
            f"{DOC}:3: review.date: Value error, '86400' is not a date written YYYY-MM-DD",
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


def test_a_misquote_that_looks_identical_names_the_characters(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    target = root / DOC
    old = b"Jane Doe resigned as chief financial officer in February 2025"
    target.write_bytes(
        target.read_bytes().replace(
            old, "Jane\u00a0Doe resigned as chief financial officer in February 2025".encode()
        )
    )
    result = CliRunner().invoke(app, ["build", "--root", str(root)])
    assert (
        "first difference at character 5 of the quote: the quote has '\\xa0' (U+00A0 NO-BREAK SPACE), the document has ' ' (U+0020 SPACE)"
        in result.stderr
    )
