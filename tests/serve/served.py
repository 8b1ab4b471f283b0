"""`kg serve` as the tests run it: the real application under uvicorn, in a thread of the
test process, on a free loopback port."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

import httpx
import uvicorn

from kg.serve.app import create_app
from kg.serve.config import ServeConfig
from tests.servers import free_port


@contextmanager
def served(config: ServeConfig) -> Iterator[str]:
    """The server's base URL while it runs with `config` (its port replaced by a free one)."""
    config = replace(config, port=free_port())
    server = uvicorn.Server(
        uvicorn.Config(create_app(config), host=config.host, port=config.port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://{config.host}:{config.port}"
    deadline = time.monotonic() + 60
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the server did not start")
        time.sleep(0.05)
    try:
        httpx.get(url + "/", timeout=30).raise_for_status()
        yield url
    finally:
        server.should_exit = True
        thread.join(30)
