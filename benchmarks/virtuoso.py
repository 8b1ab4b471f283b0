"""Virtuoso Open Source 7.2 (Debian's virtuoso-opensource-7-bin) against the embedded store on
one build: load time with the bulk loader (ld_dir, rdf_loader_run, checkpoint) and with
`kg push --union`, then every catalogue query's median and p95 on Virtuoso (after a restart,
as the README says) beside pyoxigraph answering the same text, and whether the answers match.

Run from the project root after `kg build --reason` (with the root on the path: it starts
Virtuoso as the tests do, with tests/servers.py):
    PYTHONPATH=. python benchmarks/virtuoso.py [DIST] [--runs N] [--buffers PAGES] [--no-push]
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path

from kg.ask.catalogue import catalogue
from kg.ask.expected import answer
from kg.ask.prepare import Term
from kg.ask.query import Graph, Queryable, open_graph, run_query
from kg.ask.remote import Endpoint
from tests.servers import VirtuosoServer

KG = str(Path(sys.executable).with_name("kg"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("dist", nargs="?", type=Path, default=Path("dist"))
    parser.add_argument("--runs", type=int, default=10, help="runs of each query (default 10)")
    parser.add_argument("--buffers", type=int, default=100_000, help="Virtuoso's page cache, 8 KiB pages")
    parser.add_argument("--no-push", action="store_true", help="skip the `kg push --union` load")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch, open_graph(args.dist) as embedded:
        virtuoso = VirtuosoServer(Path(scratch) / "bulk", secrets.token_hex(16), args.buffers).start()
        try:
            seconds = bulk_load(virtuoso, args.dist)
            print(f"bulk load (kg export + ld_dir + rdf_loader_run + checkpoint): {seconds:.1f} s")
            virtuoso.restart()
            queries(virtuoso, embedded, args.runs)
            print(f"virtuoso-t peak RSS: {peak_rss_mib(virtuoso):.0f} MiB")
        finally:
            virtuoso.stop()
        if not args.no_push:
            pushed = VirtuosoServer(Path(scratch) / "push", secrets.token_hex(16), args.buffers).start()
            try:
                print(f"kg push --union --inferred --no-verify-hash: {push(pushed, args.dist):.1f} s")
            finally:
                pushed.stop()


def bulk_load(virtuoso: VirtuosoServer, dist: Path) -> float:
    start = time.perf_counter()
    nquads = virtuoso.loads / "graph.nq"
    subprocess.run([KG, "export", "--graph", str(dist), "-o", str(nquads), "--inferred"], check=True)
    virtuoso.bulk_load(nquads)
    return time.perf_counter() - start


def push(virtuoso: VirtuosoServer, dist: Path) -> float:
    user, password = "kg_push", secrets.token_hex(16)
    virtuoso.add_user(user, password)
    base = virtuoso.url
    command = [KG, "push", "--dist", str(dist), "--union", "--inferred", "--no-verify-hash"]
    command += ["--store", f"{base}/sparql-graph-crud-auth", "--query", f"{base}/sparql"]
    command += ["--update", f"{base}/sparql-auth"]
    env = {**os.environ, "KG_STORE_USER": user, "KG_STORE_PASSWORD": password}
    env.pop("KG_STORE_TOKEN", None)
    start = time.perf_counter()
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def queries(virtuoso: VirtuosoServer, embedded: Graph, runs: int) -> None:
    print(f"{'query':26} {'virtuoso median':>15} {'p95':>9} {'pyoxigraph':>11} {'ratio':>7}  same answer")
    with Endpoint(f"{virtuoso.url}/sparql") as endpoint:
        for name, query in catalogue().items():
            values = query.values(query.example)
            remote = timings(endpoint, query.text, values, runs)
            local = statistics.median(timings(embedded, query.text, values, runs))
            same = answer(endpoint, query) == answer(embedded, query)
            median, p95 = statistics.median(remote), percentile(remote, 0.95)
            print(
                f"{name:26} {median:12.1f} ms {p95:6.1f} ms {local:8.1f} ms {median / local:6.1f}x"
                f"  {'yes' if same else 'NO'}"
            )


def timings(store: Queryable, text: str, values: Mapping[str, Term], runs: int) -> list[float]:
    found = []
    for _ in range(runs):
        start = time.perf_counter()
        run_query(store, text, values)
        found.append((time.perf_counter() - start) * 1000)
    return found


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def peak_rss_mib(virtuoso: VirtuosoServer) -> float:
    assert virtuoso.process is not None
    status = Path(f"/proc/{virtuoso.process.pid}/status").read_text(encoding="utf-8")
    peak = next(line for line in status.splitlines() if line.startswith("VmHWM:"))
    return int(peak.split()[1]) / 1024


if __name__ == "__main__":
    main()
