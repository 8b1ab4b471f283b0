"""The seed documents are evidence: byte-identical copies, checked by their SHA-256."""

from __future__ import annotations

import hashlib

from tests.conftest import REPO

SEEDS = {
    "000_2c6faabbbc8f7456.txt": "1adbe337c29a1ab015ac175057f945c72542565e2427b9c1158f790118ac342b",
    "001_a9b56b3192cb9985.txt": "798018e1c67db8b992c3a8ede01e8f8efc4c1ad1186abc3b46b5282601248e50",
    "002_2b76bc5165057ce8.txt": "9e245eb49149300ce4cc9a81fdc875026281c24e67832ddba5164b64a2278178",
    "003_a6fe991c24fb0183.txt": "c5015058490306ba9327df9578457b6e7b1c1a9c5cb73f6f9c54c131b52e9e14",
    "004_b56bf3a60f2e7359.txt": "ab9fad7e8e926e0873b8486f03cf157fc11e2340800af24a2f26fe4e7ae8579c",
}


def test_seeds_are_unchanged() -> None:
    found = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (REPO / "seeds").iterdir()}
    assert found == SEEDS
