"""Load on `kg serve`: 20 concurrent clients for 30 s of mixed catalogue queries (through the
SPARQL endpoint, as the editor sends them) and page views (entities, documents, ontology,
search, timeline), each client sending its next request as soon as the last is answered;
then the same with one more client sending a query that runs until the deadline, to show
that the others do not wait behind it. Prints throughput, p50/p99 latency and errors, and
per kind of request (catalogue queries, each kind of page) where the time went, from the
server's Server-Timing header: waiting for a query worker, in the worker (checking, running
and reading the query), rendering the page, and how many were answered from the cache. The
load average is printed too: the machine may be shared.

Run from the project root after `kg build --reason`:
    python benchmarks/serve.py [--clients 20] [--seconds 30] [--warmup 20] [--cache-mb 64]
The server runs as `kg serve` in a child process on a free loopback port, with its defaults
(`--cache-mb 0` runs it without its cache of answers, every request made afresh).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field

import aiohttp
import httpx

JSON = {"Accept": "application/sparql-results+json"}
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
    kinds: dict[str, list[tuple[float, dict[str, float]]]] = field(default_factory=dict)

    def add(self, seconds: float, status: int | str, kind: str = "", timing: str = "") -> None:
        if status == 200:
            self.latencies.append(seconds)
            self.kinds.setdefault(kind, []).append((seconds, spent(timing)))
        else:
            self.errors[str(status)] = self.errors.get(str(status), 0) + 1


def spent(header: str) -> dict[str, float]:
    """Server-Timing (`wait;dur=1.2, run;dur=3.4, hit`) as {name: milliseconds}."""
    parts = {}
    for part in filter(None, (p.strip() for p in header.split(","))):
        name, _, duration = part.partition(";dur=")
        parts[name] = float(duration or 0)
    return parts


def kind_of(path: str) -> str:
    return "catalogue query" if path == "/sparql" else path.split("?")[0].split("/")[1] or "home"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def client(
    http: aiohttp.ClientSession,
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
            await answer.read()
            status: int | str = answer.status
            timing = answer.headers.get("server-timing", "")
        except (aiohttp.ClientError, TimeoutError) as exc:  # a request past the 60 s client timeout
            status, timing = type(exc).__name__, ""
        tally.add(time.monotonic() - started, status, kind_of(path), timing)


async def slow_client(http: aiohttp.ClientSession, until: float, tally: Tally) -> None:
    while time.monotonic() < until:
        started = time.monotonic()
        answer = await http.post("/sparql", data={"query": SLOW}, timeout=aiohttp.ClientTimeout(120))
        await answer.read()
        tally.add(time.monotonic() - started, answer.status)


async def run(url: str, clients: int, seconds: float, warmup: float, with_slow: bool) -> tuple[Tally, Tally]:
    connector = aiohttp.TCPConnector(limit=clients + 2)
    async with aiohttp.ClientSession(url, connector=connector, timeout=aiohttp.ClientTimeout(60)) as http:
        async with http.get("/") as home:
            names = [
                line.split("?name=")[1].split('"')[0]
                for line in (await home.text()).split("\n")
                if "?name=" in line
            ]
        queries = []
        for name in names:
            async with http.get(f"/api/editor/{name}") as text:
                queries.append(("/sparql", {"query": await text.text()}))
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


def percentile(values: list[float], share: float) -> float:
    done = sorted(values)
    return done[min(len(done) - 1, int(len(done) * share))] if done else 0.0


def report(title: str, tally: Tally, seconds: float) -> None:
    done = tally.latencies
    p50 = statistics.median(done) * 1000 if done else 0.0
    p99 = percentile(done, 0.99) * 1000
    errors = sum(tally.errors.values())
    print(
        f"{title}: {len(done) / seconds:.1f} requests/s, p50 {p50:.0f} ms, p99 {p99:.0f} ms, "
        f"{errors} errors {tally.errors or ''}"
    )
    columns = ("n", "p50 ms", "p99 ms", "wait", "run", "render", "server", "cached")
    print(f"  {'kind':<16}" + "".join(f"{c:>8}" for c in columns))
    for kind, answered in sorted(tally.kinds.items()):
        latencies = [seconds for seconds, _ in answered]

        def mean(part: str, answered: list[tuple[float, dict[str, float]]] = answered) -> float:
            return statistics.mean(timing.get(part, 0.0) for _, timing in answered)

        hits = sum("hit" in timing for _, timing in answered) / len(answered)
        print(
            f"  {kind:<16}{len(answered):>6}{statistics.median(latencies) * 1000:>8.0f}"
            f"{percentile(latencies, 0.99) * 1000:>8.0f}{mean('wait'):>8.1f}{mean('run'):>8.1f}"
            f"{mean('render'):>8.1f}{mean('total'):>8.1f}{hits:>8.0%}"
        )


def load() -> str:
    return "load average " + " ".join(f"{n:.1f}" for n in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--warmup", type=float, default=20)
    parser.add_argument("--dist", default="dist")
    parser.add_argument("--cache-mb", type=int, default=None, help="the server's cache (default: its own)")
    options = parser.parse_args()
    port = free_port()
    cache = ["--cache-mb", str(options.cache_mb)] if options.cache_mb is not None else []
    server = subprocess.Popen(
        [sys.executable, "-m", "kg", "serve", "--port", str(port), "--dist", options.dist, *cache],
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
            f"after {options.warmup:g} s of warm-up; server cache: "
            f"{'default' if options.cache_mb is None else f'{options.cache_mb} MiB'}; {load()}"
        )
        tally, _ = asyncio.run(run(url, options.clients, options.seconds, options.warmup, with_slow=False))
        report(f"mixed load ({load()})", tally, options.seconds)
        tally, slow = asyncio.run(run(url, options.clients, options.seconds, options.warmup, with_slow=True))
        report(f"mixed load, with a slow query running ({load()})", tally, options.seconds)
        print(
            f"  the slow query: {sum(slow.errors.values())} runs stopped at the deadline "
            f"{slow.errors}, {len(slow.latencies)} answered"
        )
    finally:
        server.terminate()
        server.wait(30)


if __name__ == "__main__":
    main()
