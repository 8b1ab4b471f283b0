"""`kg diff`: two fixture builds, and two git revisions, compared as facts in words: among
the changes, a period that became more precise and an end date that became contested when a
second source gave a date that cannot be true with it (kg:conflictsWith)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from typer.testing import CliRunner

from kg import Project, build
from kg.cli import app
from kg.vocab import DATE, ENTITY, KG
from tests.conftest import make_project

EXPECTED = """\
Acme Group
  + country: China (added)
Acme Group's market share
  ~ period: 2024 → first half of 2024, more precise (changed)
Acme Rare Metals
  ~ subsidiary or unit of: Acme Group — evidence added: “a subsidiary of Acme Group” (article:doc.1, reported by Example Wire) (evidence)
Jane Doe joined a rival laboratory in Canada
  - about: Canada (removed)
Jane Doe, chief financial officer of Acme Rare Metals
  + end date: 2 March 2025 (added)
  ! end date: February 2025 — now contested (contested)
"""


def _builds(tmp_path: Path) -> tuple[Path, Path]:
    old = build(Project.at(make_project(tmp_path / "old", "diff-old"))).out
    new = build(Project.at(make_project(tmp_path / "new", "diff-new"))).out
    return old, new


def test_two_builds_differ_in_exactly_the_changed_facts(tmp_path: Path) -> None:
    old, new = _builds(tmp_path)
    result = CliRunner().invoke(app, ["diff", str(old), str(new)])
    assert result.exit_code == 1
    body, summary = result.stdout.rsplit("\n", 2)[0] + "\n", result.stdout.splitlines()[-1]
    assert body == EXPECTED
    assert summary.startswith("6 change(s) to facts of 5 entities; ")


def test_markdown_and_triples(tmp_path: Path) -> None:
    old, new = _builds(tmp_path)
    result = CliRunner().invoke(app, ["diff", str(old), str(new), "--format", "md", "--triples"])
    assert result.exit_code == 1
    assert (
        "### Acme Group's market share\n- period: 2024 → first half of 2024, more precise (changed)\n"
        in result.stdout
    )
    assert "```diff\n" in result.stdout
    lines = result.stdout.splitlines()
    assert (
        f"- <{ENTITY['post-jane-doe-cfo']}> <{KG._NS}endDate> <{DATE['2025-02']}> ."  # contested now
        in lines
    )
    assert (
        f"+ <{ENTITY['acme-group']}> <{KG._NS}country> <https://w3id.org/sovereignty-kg/country/CN> ."
        in lines
    )


def test_the_same_build_twice_is_no_change(tmp_path: Path) -> None:
    old, _ = _builds(tmp_path)
    result = CliRunner().invoke(app, ["diff", str(old), str(old)])
    assert (result.exit_code, result.stdout) == (0, "No change.\n")


def test_git_revisions_are_built_in_a_temporary_checkout(tmp_path: Path) -> None:
    repo = make_project(tmp_path, "diff-old")
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "old"], check=True)
    newer = Path(__file__).parent / "fixtures" / "diff-new" / "mappings" / "documents" / "doc.yaml"
    (repo / "mappings" / "documents" / "doc.yaml").write_text(
        newer.read_text(encoding="utf-8"), encoding="utf-8"
    )
    subprocess.run([*git, "commit", "-qam", "new"], check=True)

    result = CliRunner().invoke(app, ["diff", "HEAD~1", "HEAD", "--root", str(repo)])
    assert result.exit_code == 1
    assert result.stdout.startswith(EXPECTED)
    assert not (repo / "dist").exists()

    bad = CliRunner().invoke(app, ["diff", "no-such-revision", "HEAD", "--root", str(repo)])
    assert bad.exit_code == 2
    assert "'no-such-revision' is neither a build folder, a project folder nor a git revision" in bad.stderr
