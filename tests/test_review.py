"""`kg review`: accepting, rejecting and skipping draft facts, from a script and in a real
terminal (pexpect), keeping the file's comments and recording reviewer and date."""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

import pexpect
from typer.testing import CliRunner

from kg import Project, build
from kg.cli import app
from kg.mapping import schema
from kg.mapping.load import load_model
from tests.test_propose import add

POST_QUOTE = "Acme Rare Metals said on June 28 that Chief Financial Officer Jane Doe resigned in April."


def _reviewed_by_tester(review: schema.Review | None, since: datetime.date) -> None:
    """A review by `tester`, dated the day it was made: `since` or a day after it up to
    today (a test run may pass midnight)."""
    assert review is not None
    assert review == schema.Review(status="reviewed", reviewer="tester", date=review.date)
    assert since <= review.date <= datetime.date.today()


def _ids(mapping: Path) -> dict[str, str]:
    """Fact ids of the draft by the first words of their quote, and subject."""
    doc = load_model(mapping, mapping, schema.DocumentFile).model
    return {" ".join([*f.evidence[0].quote.split()[:2], f.subject.split("-")[0]]): f.id for f in doc.facts}


def test_accept_reject_and_skip_from_a_script(tmp_path: Path) -> None:
    since = datetime.date.today()
    root, mapping = add(tmp_path)
    ids = _ids(mapping)
    post, title, figure = ids["Acme Rare post"], ids["Acme Group claim"], ids["Widget Labs obs"]
    result = CliRunner().invoke(
        app,
        [
            "review",
            "000",
            "--root",
            str(root),
            "--reviewer",
            "tester",
            "--accept",
            post,
            "--reject",
            title,
            "--skip",
            figure,
            "--reason",
            "no source for the figure",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Reviewed as tester: 1 accepted, 1 rejected, 1 skipped." in result.stdout
    text = mapping.read_text(encoding="utf-8")
    assert text.startswith("# Document 000: proposed by kg propose")  # comments survive
    doc = load_model(mapping, mapping, schema.DocumentFile).model
    accepted = next(f for f in doc.facts if f.id == post)
    _reviewed_by_tester(accepted.review, since)
    assert title not in {f.id for f in doc.facts} and figure not in {f.id for f in doc.facts}
    assert [(s.quote, s.reason) for s in doc.skipped] == [
        ("Widget Labs holds 12.5% of the market.", "no source for the figure")
    ]
    assert "widget-labs" not in {e.id for e in doc.entities}  # nothing refers to it any more
    release = build(Project.at(root), tmp_path / "release")
    assert (release.documents["000"].facts, release.documents["000"].drafts_left_out) == (
        1,
        len(doc.facts) - 1,
    )


def test_an_unknown_fact_changes_nothing(tmp_path: Path) -> None:
    root, mapping = add(tmp_path)
    before = mapping.read_bytes()
    result = CliRunner().invoke(app, ["review", "000", "--root", str(root), "--accept", "no-such-fact"])
    assert result.exit_code == 1
    assert "no fact 'no-such-fact' in mappings/documents/000.yaml" in result.stderr
    assert mapping.read_bytes() == before
    piped = CliRunner().invoke(app, ["review", "000", "--root", str(root)])
    assert piped.exit_code == 1 and "not a terminal: give --accept, --reject or --skip" in piped.stderr


def test_review_in_a_real_terminal_with_an_editor(tmp_path: Path) -> None:
    since = datetime.date.today()
    root, mapping = add(tmp_path)
    ids = _ids(mapping)
    editor = tmp_path / "editor.py"
    editor.write_text(
        "import sys\n"
        "path = sys.argv[-1]\n"
        "assert sys.argv[1].startswith('+')\n"
        "text = open(path, encoding='utf-8').read()\n"
        "open(path, 'w', encoding='utf-8').write(text.replace('kg:endDate: {said: \"April\"}', 'kg:endDate: \"2025-04\"'))\n",
        encoding="utf-8",
    )
    child = pexpect.spawn(
        sys.executable,
        ["-m", "kg", "review", "000", "--root", str(root), "--reviewer", "tester"],
        env={
            "EDITOR": f"{sys.executable} {editor}",
            "COLUMNS": "200",
            "TERM": "dumb",
            "PATH": "/usr/bin:/bin",
        },
        encoding="utf-8",
        timeout=60,
    )
    prompt = r"\[a\]ccept"
    child.expect(r"5 draft fact\(s\)")
    child.expect(f"fact 1 of 5: {ids['Acme Group claim']}")
    child.expect(prompt)
    child.sendline("r")
    child.expect(f"fact 2 of 5: {ids['Acme Rare post']}")
    child.expect(prompt)
    child.sendline("e")
    child.expect(f"fact 2 of 5: {ids['Acme Rare post']}")  # shown again, as edited
    child.expect("kg:endDate: 2025-04")
    child.expect(prompt)
    child.sendline("a")
    child.expect(f"fact 3 of 5: {ids['Acme Rare claim']}")
    child.expect(prompt)
    child.sendline("s")
    child.expect("reason >")
    child.sendline("the post says it")
    child.expect(f"fact 4 of 5: {ids['Rumours say claim']}")
    child.expect(prompt)
    child.sendline("a")
    child.expect(f"fact 5 of 5: {ids['Widget Labs obs']}")
    child.expect(prompt)
    child.sendline("n")
    child.expect("2 accepted, 1 edited, 1 rejected, 1 skipped.")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    doc = load_model(mapping, mapping, schema.DocumentFile).model
    by_id = {f.id: f for f in doc.facts}
    post = by_id[ids["Acme Rare post"]]
    assert post.properties["kg:endDate"] == "2025-04"
    _reviewed_by_tester(post.review, since)
    assert ids["Acme Group claim"] not in by_id and ids["Acme Rare claim"] not in by_id
    assert [(s.quote, s.reason) for s in doc.skipped] == [(POST_QUOTE, "the post says it")]
    rumour = by_id[ids["Rumours say claim"]]
    assert rumour.review is not None and rumour.review.status == "reviewed"
    assert by_id[ids["Widget Labs obs"]].review is None  # left for later
