"""From a fact to its article, quote, offsets, asserter and stance, by the README's query."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox

from kg import BuildReport
from kg.ask.catalogue import named_query
from kg.ask.query import run_query
from kg.compile.sourcemap import SourceMap
from tests.conftest import REPO, select

QUERY = named_query("fact-provenance")


def _rows(store: ox.Store, subject: str, predicate: str) -> list[dict[str, str | None]]:
    return run_query(store, QUERY.text, QUERY.values({"subject": subject, "predicate": predicate})).records()


def _seed_text(name: str) -> str:
    return (REPO / "seeds" / name).read_text(encoding="utf-8")


def test_readme_shows_the_provenance_query_and_command() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert QUERY.text[QUERY.text.index("SELECT") :] in readme
    assert (
        "kg query --name fact-provenance --param subject=ent:china-rare-earth-holdings "
        "--param predicate=org:subOrganizationOf"
    ) in readme


def test_provenance_of_a_document_002_fact(seed_store: ox.Store) -> None:
    rows = _rows(seed_store, "ent:china-rare-earth-holdings", "org:subOrganizationOf")
    from_002 = [r for r in rows if (r["article"] or "").endswith("/article/002.1")]
    assert len(from_002) == 1
    row = from_002[0]
    assert row["object"] == "https://w3id.org/sovereignty-kg/entity/china-rare-earth-group"
    assert row["quote"] == "China Rare Earth Holdings—a listed subsidiary under China Rare Earth Group"
    text = _seed_text("002_2b76bc5165057ce8.txt")
    assert text[int(row["start"] or 0) : int(row["end"] or 0)] == row["quote"]
    assert row["asserter"] == "document 002, article 1"
    assert row["stance"] == "reported"
    assert [(r["article"] or "").rsplit("/", 1)[1] for r in rows] == ["001.1", "002.1"]


def test_provenance_reaches_asserter_via_and_stance_of_an_official_statement(seed_store: ox.Store) -> None:
    rows = _rows(seed_store, "ent:post-liao-chunsheng-cresri-technical-expert", "org:organization")
    from_002 = sorted(
        (r["asserter"], r["via"], r["stance"]) for r in rows if (r["article"] or "").endswith("002.1")
    )
    assert from_002 == [
        ("China Rare Earth Group", "Calian Press", "officially stated"),
        ("China Rare Earth Group", "Central News Agency", "officially stated"),
    ]
    assert {r["quote"] for r in rows} == {
        "China Rare Earth Group states that Liao now serves as a Scientific and Technical Expert at its "
        "Shenzhen Research Institute.",
        "China Rare Earth Group stated on June 28 that Liao Chunsheng is now a research and technology expert "
        "at China Rare Earth (Shenzhen) Research Institute Co., Ltd.",
    }


def test_build_report_counts_every_quote(seed_build: BuildReport, seed_store: ox.Store) -> None:
    rows = select(seed_store, "SELECT (COUNT(?e) AS ?n) WHERE { ?e a kg:Evidence }")
    assert int(rows[0]["n"]) == seed_build.quotes_verified


def test_the_source_map_has_one_entry_a_line_as_json_writes_it(seed_build: BuildReport) -> None:
    """sources.json: a line per node or triple, sorted, its sources as `json.dumps` writes
    them (so a diff of two builds shows the entries that changed)."""
    text = (seed_build.out / "sources.json").read_text(encoding="utf-8")
    content = json.loads(text)
    expected = ["{", ' "nodes": {']
    for table, closing in (("nodes", ' },\n "triples": {'), ("triples", " }\n}")):
        entries = sorted(content[table].items())
        assert len(entries) > 100 and any("quote" in s for _, sources in entries for s in sources)
        expected += [
            f"  {json.dumps(key, ensure_ascii=False)}: {json.dumps(sources, ensure_ascii=False)}"
            + ("," if i < len(entries) - 1 else "")
            for i, (key, sources) in enumerate(entries)
        ]
        expected += closing.split("\n")
    assert text == "\n".join(expected) + "\n"


def test_the_source_map_read_for_some_keys_holds_their_entries_as_read_whole(
    seed_build: BuildReport, tmp_path: Path
) -> None:
    """kg validate reads the entries of its findings only; a map laid out otherwise (by hand,
    say) is read whole and gives the same."""
    path = seed_build.out / "sources.json"
    whole = SourceMap.read(path)
    keys = {*list(whole.nodes)[::40], *list(whole.triples)[::40], "http://example.org/not-in-the-map"}
    part = SourceMap.read(path, keys)
    assert part.nodes == {key: sources for key, sources in whole.nodes.items() if key in keys}
    assert part.triples == {key: sources for key, sources in whole.triples.items() if key in keys}
    assert len(part.nodes) > 10 and len(part.triples) > 10
    other = tmp_path / "sources.json"
    other.write_text(json.dumps(json.loads(path.read_text(encoding="utf-8")), indent=4), encoding="utf-8")
    assert vars(SourceMap.read(other, keys)) == vars(part)
