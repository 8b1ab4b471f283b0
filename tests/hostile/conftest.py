"""The hostile-input suite: every attack of issue 13, each as a class of inputs.

A canary HTTP listener (tests/conftest.py) runs for the whole session: attacks point
SERVICE, FROM, endpoints and redirects at it, and any request that reaches it fails the
suite."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import Canary


@pytest.fixture(autouse=True)
def _no_request_reached_the_canary(canary: Canary) -> Iterator[None]:
    yield
    assert canary.hits == [], f"requests reached the canary: {canary.hits}"
