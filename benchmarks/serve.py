"""Load on `kg serve`: 20 concurrent clients for 30 s of mixed catalogue queries (through the
SPARQL endpoint, as the editor sends them) and page views (entities, documents, ontology,
search, timeline), each client sending its next request as soon as the last is answered;
then the same with one more client sending a query that runs until the deadline, to show
that the others do not wait behind it. Prints throughput, p50/p99 latency and errors.

Run from the project root after `kg build --reason`:
    python benchmarks/serve.py [--clients 20] [--seconds 30] [--warmup 5]
The server runs as `kg serve` in a child process on a free loopback port, with its defaults.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field

import httpx

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
PAGES = [
    "/entity/liao-chunsheng",
    "/entity/china-rare-earth-holdings",
    "/entity/china-rare-earth-group",
    "/entity/post-liao-chunsheng-crh-deputy-general-manager",
    "/entity/nio",
    "/document/002",
    "/document/004",
    "/ontology/Post",
    "/ontology",
    "/search?q=Chunsheng+Liao",
    "/search?q=%E8%94%9A%E6%9D%A5",
    "/timeline?period=2025",
]


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)

    def add(self, seconds: float, status: int | str) -> None:
        if status == 200:
            self.latencies.append(seconds)
        else:
            self.errors[str(status)] = self.errors.get(str(status), 0) + 1


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def client(
    http: httpx.AsyncClient,
    requests: list[tuple[str, dict[str, str] | None]],
    until: float,
    tally: Tally,
    seed: int,
) -> None:
    chance = random.Random(seed)
    while time.monotonic() < until:
        path, form = chance.choice(requests)
        started = time.monotonic()
        try:
            if form is None:
                answer = await http.get(path)
            else:
                answer = await http.post(
                    path, data=form, headers={"Accept": "application/sparql-results+json"}
                )
            status: int | str = answer.status_code
        except httpx.HTTPError as exc:
            status = type(exc).__name__
        tally.add(time.monotonic() - started, status)


async def slow_client(http: httpx.AsyncClient, until: float, tally: Tally) -> None:
    while time.monotonic() < until:
        started = time.monotonic()
        answer = await http.post("/sparql", data={"query": SLOW}, timeout=120)
        tally.add(time.monotonic() - started, answer.status_code)


async def run(url: str, clients: int, seconds: float, warmup: float, with_slow: bool) -> tuple[Tally, Tally]:
    limits = httpx.Limits(max_connections=clients + 2)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as http:
        names = [
            line.split("?name=")[1].split('"')[0]
            for line in (await http.get("/")).text.split("\n")
            if "?name=" in line
        ]
        queries = [("/sparql", {"query": (await http.get(f"/api/editor/{name}")).text}) for name in names]
        requests: list[tuple[str, dict[str, str] | None]] = [*queries, *((p, None) for p in PAGES)]
        warm = Tally()
        until = time.monotonic() + warmup
        await asyncio.gather(*(client(http, requests, until, warm, n) for n in range(clients)))
        tally, slow = Tally(), Tally()
        until = time.monotonic() + seconds
        tasks = [client(http, requests, until, tally, 100 + n) for n in range(clients)]
        if with_slow:
            tasks.append(slow_client(http, until, slow))
        await asyncio.gather(*tasks)
        return tally, slow


def report(title: str, tally: Tally, seconds: float) -> None:
    done = sorted(tally.latencies)
    p50 = statistics.median(done) * 1000 if done else 0.0
    p99 = done[min(len(done) - 1, int(len(done) * 0.99))] * 1000 if done else 0.0
    errors = sum(tally.errors.values())
    print(
        f"{title}: {len(done) / seconds:.1f} requests/s, p50 {p50:.0f} ms, p99 {p99:.0f} ms, "
        f"{errors} errors {tally.errors or ''}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--warmup", type=float, default=5)
    parser.add_argument("--dist", default="dist")
    options = parser.parse_args()
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "kg", "serve", "--port", str(port), "--dist", options.dist],
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(url + "/").raise_for_status()
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("the server did not start") from None
                time.sleep(0.2)
        print(
            f"{options.clients} clients, {options.seconds:g} s each run, "
            f"after {options.warmup:g} s of warm-up"
        )
        tally, _ = asyncio.run(run(url, options.clients, options.seconds, options.warmup, with_slow=False))
        report("mixed load", tally, options.seconds)
        tally, slow = asyncio.run(run(url, options.clients, options.seconds, options.warmup, with_slow=True))
        report("mixed load, with a slow query running", tally, options.seconds)
        print(
            f"  the slow query: {sum(slow.errors.values())} runs stopped at the deadline "
            f"{slow.errors}, {len(slow.latencies)} answered"
        )
    finally:
        server.terminate()
        server.wait(30)


if __name__ == "__main__":
    main()
