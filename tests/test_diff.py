"""`kg diff`: two fixture builds, and two git revisions, compared as facts in words.

The build cannot yet mark a value contested (the time model adds a rank,
wikibase:rank, and a contested mark on statements); the test models it that way by
adding those two triples to the newer build's statement of the market share.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pyoxigraph as ox
from typer.testing import CliRunner

from kg import Project, build
from kg.cli import app
from kg.compile.facts import statement_node
from kg.vocab import ENTITY, KG
from tests.conftest import make_project

EXPECTED = """\
Acme Group
  + country: China (added)
Acme Group's market share
  ~ value: 12.5 — rank: none → normal (qualifier)
  ! value: 12.5 — now contested (contested)
Acme Rare Metals
  ~ subsidiary or unit of: Acme Group — evidence added: “a subsidiary of Acme Group” (article:doc.1, reported by Example Wire) (evidence)
Jane Doe joined a rival laboratory in Canada
  - about: Canada (removed)
Jane Doe, chief financial officer of Acme Rare Metals
  ~ end date: 2025 → February 2025, more precise (changed)
"""
RANK = "<http://wikiba.se/ontology#rank> <http://wikiba.se/ontology#NormalRank>"


def _builds(tmp_path: Path) -> tuple[Path, Path]:
    old = build(Project.at(make_project(tmp_path / "old", "diff-old"))).out
    new = build(Project.at(make_project(tmp_path / "new", "diff-new"))).out
    value = ox.Triple(
        ox.NamedNode(ENTITY["obs-acme-market-share"]),
        ox.NamedNode(str(KG._NS) + "value"),
        ox.Literal("12.5", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")),
    )
    node = statement_node(value)
    graph = "<https://w3id.org/sovereignty-kg/graph/document-doc>"
    with (new / "graph.nq").open("a", encoding="utf-8") as quads:
        quads.write(f"{node} {RANK} {graph} .\n")
        quads.write(
            f'{node} <{KG._NS}contested> "true"^^<http://www.w3.org/2001/XMLSchema#boolean> {graph} .\n'
        )
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
        "### Jane Doe, chief financial officer of Acme Rare Metals\n- end date: 2025 → February 2025, more precise (changed)\n"
        in result.stdout
    )
    assert "```diff\n" in result.stdout
    lines = result.stdout.splitlines()
    assert (
        f'- <{ENTITY["post-jane-doe-cfo"]}> <{KG._NS}endDate> "2025"^^<http://www.w3.org/2001/XMLSchema#gYear> .'
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
    expected_without_marks = "\n".join(
        line for line in EXPECTED.splitlines() if "market share" not in line and "12.5" not in line
    )
    assert result.stdout.startswith(expected_without_marks + "\n")
    assert not (repo / "dist").exists()

    bad = CliRunner().invoke(app, ["diff", "no-such-revision", "HEAD", "--root", str(repo)])
    assert bad.exit_code == 2
    assert "'no-such-revision' is neither a build folder, a project folder nor a git revision" in bad.stderr
