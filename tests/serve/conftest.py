"""One server on the seed graph for the whole session (started once: its workers load the
graph), with the project's own seeds and mappings for the document pages."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kg import BuildReport
from kg.serve.config import ServeConfig
from tests.conftest import REPO
from tests.serve.served import served


@pytest.fixture(scope="session")
def server(seed_build: BuildReport) -> Iterator[str]:
    with served(ServeConfig(dist=seed_build.out, root=REPO, workers=2)) as url:
        yield url
