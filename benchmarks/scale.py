"""kg at scale, side by side with what a user would otherwise reach for (issue 16).

For each N: `kg synth` writes N documents, then every step runs as its own process, timed,
with its peak RSS (os.wait4) and the load average before it, next to its baseline:
  build              pyoxigraph bulk-loading dist/graph.nq and writing it as Turtle (the floor)
  validate           plain pyshacl on the same data and shapes (findings compared)
  reason             HermiT alone (owlready2) on the same reasoning input
  export FORMAT      pyoxigraph parsing the built graph and writing FORMAT
  push               one HTTP POST of dist/graph.nq to the same local Oxigraph server
  query NAME         pyoxigraph answering the same text, bound the same way; rdflib too
  serve              `kg serve` under load (throughput and latency; no baseline)
Each kg figure is printed as a ratio to its baseline (kg ÷ baseline; < 1 is faster).

Run from the project root:
    python benchmarks/scale.py --docs 100 1000 10000 [--skip pyshacl rdflib hermit serve ...]
`--skip build` measures the projects an earlier run left in `--work` again.
A step or baseline still running after --timeout (or --baseline-timeout) seconds is stopped
and shown as "> T s (stopped)".
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime
import functools
import json
import os
import platform
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox

HERE = Path(__file__).resolve().parent
KG = [sys.executable, "-m", "kg"]
SELF = [sys.executable, str(Path(__file__).resolve())]
EXPORTS = ("ttl", "nt", "nq", "trig", "jsonld", "rdfxml")
FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
DATASET_FORMATS = {"nq", "trig", "jsonld"}
GIB = 1024
RDFLIB_SECONDS = 30  # per query
REPEAT_SECONDS = 10  # a query slower than this in all is not run again
WORKER_PEAK = "(the query worker's peak RSS, MiB)"  # printed by queries-kg beside the timings


@dataclass
class Run:
    """One process: wall time (None when stopped), peak RSS in MiB, exit code, output."""

    seconds: float | None
    rss_mb: float
    code: int
    output: str
    load: float
    limit: float

    def time(self) -> str:
        return f"{self.seconds:.2f} s" if self.seconds is not None else f"> {self.limit:g} s (stopped)"


def run(command: list[str], timeout: float, cwd: Path | None = None) -> Run:
    """Run `command` in its own process group; stop the group after `timeout` seconds."""
    load = os.getloadavg()[0]
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        process = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, cwd=cwd, start_new_session=True
        )
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                seconds: float | None = time.perf_counter() - start
                break
            if time.perf_counter() - start > timeout:
                os.killpg(process.pid, signal.SIGKILL)
                _, status, usage = os.wait4(process.pid, 0)
                seconds = None
                break
            time.sleep(0.02)
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    return Run(seconds, usage.ru_maxrss / 1024, process.returncode, text, load, timeout)


def ratio(ours: Run | float | None, theirs: Run | float | None) -> str:
    a = ours.seconds if isinstance(ours, Run) else ours
    b = theirs.seconds if isinstance(theirs, Run) else theirs
    if a is None and b is None:
        return "both stopped"
    if b is None:
        return f"< {a / theirs.limit:.2f}x" if isinstance(theirs, Run) and a is not None else "—"
    if a is None:
        return f"> {ours.limit / b:.1f}x" if isinstance(ours, Run) else "—"
    return f"{a / b:.2f}x" if b else "—"


class Table:
    """The figures of one N, printed as a Markdown table as they come."""

    def __init__(self, n: int) -> None:
        self.rows: list[str] = []
        print(f"\n### N = {n}\n")
        self.row("step", "kg", "peak RSS", "baseline", "baseline time", "baseline RSS", "ratio", "load")
        self.row(*["---"] * 8)

    def row(self, *cells: str) -> None:
        line = "| " + " | ".join(cells) + " |"
        self.rows.append(line)
        print(line, flush=True)

    def step(
        self, name: str, ours: Run, baseline: str = "", theirs: Run | None = None, note: str = ""
    ) -> None:
        rss = f"{ours.rss_mb:.0f} MiB" + (" (over 2 GiB)" if ours.rss_mb > 2 * GIB else "")
        self.row(
            name,
            ours.time() + (" exit " + str(ours.code) if ours.code and ours.seconds is not None else ""),
            rss,
            baseline,
            theirs.time() if theirs else "",
            f"{theirs.rss_mb:.0f} MiB" if theirs else "",
            (ratio(ours, theirs) if theirs else "") + (f" {note}" if note else "") + _failure(ours),
            f"{ours.load:.1f}",
        )


def _failure(ours: Run) -> str:
    """The last line a failed command printed (its one-line error)."""
    lines = ours.output.strip().splitlines()
    return f" ({lines[-1][:200]})" if ours.code and ours.seconds is not None and lines else ""


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--skip",
        nargs="*",
        default=[],
        choices=[
            "pyshacl",
            "rdflib",
            "hermit",
            "build",
            "validate",
            "reason",
            "export",
            "push",
            "queries",
            "serve",
        ],
        help="leave out a baseline or a step ('build': reuse the project an earlier run left in --work)",
    )
    parser.add_argument("--timeout", type=float, default=3600, help="seconds before a kg step is stopped")
    parser.add_argument(
        "--baseline-timeout", type=float, default=900, help="seconds before a baseline is stopped"
    )
    parser.add_argument("--runs", type=int, default=5, help="runs of each catalogue query")
    parser.add_argument(
        "--work", type=Path, default=None, help="folder for the corpora (default: a temporary one)"
    )
    options = parser.parse_args()
    print(
        f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, "
        f"{os.cpu_count()} cores, {_memory_gib():.0f} GiB, Python {platform.python_version()}, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    print(f"command: python benchmarks/scale.py {' '.join(sys.argv[1:])}")
    with tempfile.TemporaryDirectory(prefix="kg-scale-") as scratch:
        work = options.work or Path(scratch)
        for n in options.docs:
            measure(n, work / f"docs-{n}", options)


def measure(n: int, project: Path, options: argparse.Namespace) -> None:
    table = Table(n)
    t, bt, skip = options.timeout, options.baseline_timeout, set(options.skip)
    dist = project / "dist"
    if "build" in skip:  # measure the project an earlier run left in --work
        if not (dist / "graph.nq").is_file():
            raise SystemExit(f"--skip build: no built project in {project}")
    else:
        made = run([*KG, "synth", "--docs", str(n), "-o", str(project), "--seed", str(options.seed)], t)
        table.step("synth", made, note=made.output.strip().splitlines()[-1] if made.output.strip() else "")
        if made.code:
            return
        built = run([*KG, "build", "--root", str(project)], t)
        floor = run([*SELF, "floor", str(dist)], bt)
        quads = f"({_lines(dist / 'graph.nq')} quads)"
        table.step("build", built, "floor: pyoxigraph load graph.nq + write Turtle", floor, quads)
        if built.code:
            print(built.output[-2000:])
            return
    if "validate" not in skip:
        validated = run([*KG, "validate", "--root", str(project), "--format", "json"], t)
        if "pyshacl" in skip:
            table.step("validate", validated, note=_conforms(validated))
        else:
            plain = run([*SELF, "pyshacl", str(project)], bt)
            table.step("validate", validated, "plain pyshacl", plain, _compare(validated, plain))
    if "reason" not in skip:
        reasoned = run([*KG, "reason", "--root", str(project)], t)
        if "hermit" in skip:
            table.step("reason", reasoned, note=_engine(reasoned))
        else:
            hermit = run([*SELF, "hermit", str(dist)], bt)
            table.step("reason", reasoned, "HermiT alone (owlready2)", hermit, _engine(reasoned))
    if "export" not in skip:
        _exports(table, project, t, bt)
    if "push" not in skip:
        _push(table, project, t, bt)
    if "queries" not in skip:
        _queries(table, project, n, options)
    if "serve" not in skip:
        _serve(table, project, n, options.seed)


def _exports(table: Table, project: Path, timeout: float, baseline_timeout: float) -> None:
    dist = project / "dist"
    with tempfile.TemporaryDirectory() as exports:
        for fmt in EXPORTS:
            target = Path(exports) / f"out.{fmt}"
            exported = run(
                [*KG, "export", "--root", str(project), "-o", str(target), "--format", fmt], timeout
            )
            target.unlink(missing_ok=True)
            direct = run(
                [*SELF, "export", str(dist), str(Path(exports) / f"floor.{fmt}"), fmt], baseline_timeout
            )
            table.step(f"export {fmt}", exported, f"pyoxigraph parse + write {fmt}", direct)


def _conforms(validated: Run) -> str:
    try:
        report = json.loads(validated.output[validated.output.index("{") :])
    except ValueError:
        return ""
    return f"{report['violations']} violations, {report['warnings']} warnings"


def _compare(validated: Run, plain: Run) -> str:
    """Whether plain pyshacl's results are the SHACL part of ours (kg adds SPARQL checks)."""
    if validated.seconds is None or plain.seconds is None:
        return _conforms(validated)
    report = json.loads(validated.output[validated.output.index("{") :])
    ours = sorted(
        [f["severity"], f["focus"], f["path"] or "", f["value"] or ""]
        for f in report["findings"]
        if not f["shape"].startswith("check:")
    )
    theirs = sorted(json.loads(plain.output.strip().splitlines()[-1]))
    same = "identical" if ours == theirs else f"DIFFER ({len(ours)} against {len(theirs)})"
    return f"{_conforms(validated)}; shape findings {same}"


def _engine(reasoned: Run) -> str:
    return (
        "(rules engine)"
        if "rules" in reasoned.output
        else "(HermiT)"
        if "hermit" in reasoned.output.lower()
        else ""
    )


def _push(table: Table, project: Path, timeout: float, baseline_timeout: float) -> None:
    with tempfile.TemporaryDirectory() as data:
        server, url = _oxigraph(Path(data) / "kg")
        try:
            pushed = run(
                [
                    *KG,
                    "push",
                    "--root",
                    str(project),
                    "--store",
                    f"{url}/store",
                    "--query",
                    f"{url}/query",
                    "--update",
                    f"{url}/update",
                ],
                timeout,
            )
        finally:
            _stop(server)
        server, url = _oxigraph(Path(data) / "plain")
        try:
            posted = run(
                [*SELF, "post", str(project / "dist" / "graph.nq"), f"{url}/store"], baseline_timeout
            )
        finally:
            _stop(server)
    table.step("push to Oxigraph server", pushed, "one POST of graph.nq (Graph Store Protocol)", posted)


def _queries(table: Table, project: Path, n: int, options: argparse.Namespace) -> None:
    """Every catalogue query: kg (its worker process) and pyoxigraph directly, median and p95.
    The ratio is to pyoxigraph on the same kind of store kg answered from: the store on disk
    kept beside the build, opened read-only, if kg used one (then kg also answers with
    `--store memory`, beside pyoxigraph in memory); else the build in memory."""
    timeout = options.timeout
    args = [str(project / "dist"), str(n), str(options.seed), str(options.runs)]
    ours = run([*SELF, "queries-kg", *args], timeout)
    kept = run([*SELF, "queries-ox-kept", *args], timeout)
    theirs = run([*SELF, "queries-ox", *args], timeout)
    kept_times, memory_times = _timings(kept), _timings(theirs)
    ours_in_memory = run([*SELF, "queries-kg", *args, "memory"], timeout) if kept_times else None
    rdflib = (
        None if "rdflib" in options.skip else run([*SELF, "queries-rdflib", *args], options.baseline_timeout)
    )
    kg_times = _timings(ours)
    kg_memory_times = _timings(ours_in_memory) if ours_in_memory else {}
    worker, memory_worker = kg_times.pop(WORKER_PEAK, 0), kg_memory_times.pop(WORKER_PEAK, 0)
    rd_times = _timings(rdflib) if rdflib else {}
    baseline = kept if kept_times else theirs
    table.row(
        "queries: the whole process",
        ours.time(),
        f"{ours.rss_mb:.0f} MiB, its worker {worker:.0f} MiB",
        "pyoxigraph: the whole process" + (", on kg's store on disk" if kept_times else ""),
        baseline.time(),
        f"{baseline.rss_mb:.0f} MiB",
        f"in memory: kg {ours_in_memory.time()}, {ours_in_memory.rss_mb:.0f} MiB, its worker "
        f"{memory_worker:.0f} MiB; "
        f"pyoxigraph {theirs.time()}, {theirs.rss_mb:.0f} MiB"
        if ours_in_memory
        else "",
        f"{ours.load:.1f}",
    )
    for name, timings in kg_times.items():
        if isinstance(timings, str):
            table.row(f"query {name}", f"failed: {timings}", "", "", "", "", "", "")
            continue
        direct = (kept_times or memory_times).get(name, [])
        median = statistics.median(timings)
        base = statistics.median(direct) if direct else None
        extra = ""
        in_memory, ox_in_memory = kg_memory_times.get(name), memory_times.get(name)
        if isinstance(in_memory, list) and ox_in_memory:
            ours_ms, theirs_ms = statistics.median(in_memory), statistics.median(ox_in_memory)
            extra += f"; in memory {ours_ms:.1f} ms against {theirs_ms:.1f} ms ({ours_ms / theirs_ms:.2f}x)"
        rd = rd_times.get(name, [])
        extra += f"; rdflib {_ms(rd)}" if rd else ("; rdflib stopped" if rdflib else "")
        table.row(
            f"query {name}",
            f"{median:.1f} ms (p95 {_p95(timings):.1f})",
            "",
            "pyoxigraph, same store on disk" if kept_times else "pyoxigraph",
            f"{base:.1f} ms (p95 {_p95(direct):.1f})" if base is not None else "",
            "",
            (f"{median / base:.2f}x" if base else "—") + extra,
            "",
        )


def _ms(timings: list[float] | str) -> str:
    return timings if isinstance(timings, str) else f"{statistics.median(timings):.0f} ms"


def _timings(result: Run) -> dict[str, Any]:
    """Each query's timings in ms (or why it failed), as a measuring process printed them."""
    found: dict[str, Any] = {}
    for line in result.output.splitlines():
        if line.startswith("{"):
            found.update(json.loads(line))
    return found


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] if ordered else 0.0


def _serve(table: Table, project: Path, n: int, seed: int) -> None:
    sys.path.insert(0, str(HERE))
    import serve as load  # benchmarks/serve.py

    top = _examples(n, seed)
    load.PAGES = [
        f"/entity/{top['org'].removeprefix('ent:')}",
        f"/entity/{top['person'].removeprefix('ent:')}",
        "/document/000",
        "/ontology/Post",
        "/search?q=Rare+Earth",
        "/timeline?period=2025",
    ]
    port = load.free_port()
    url = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    server = subprocess.Popen(
        [*KG, "serve", "--port", str(port), "--dist", str(project / "dist"), "--root", str(project)],
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        while True:
            try:
                httpx.get(url + "/", timeout=5).raise_for_status()
                break
            except httpx.HTTPError:
                if server.poll() is not None or time.perf_counter() - started > 600:
                    exited = (
                        f"exited with {server.returncode}" if server.returncode is not None else "no answer"
                    )
                    table.row("serve", f"did not start ({exited} within 600 s)", "", "", "", "", "", "")
                    return
                time.sleep(0.2)
        ready = time.perf_counter() - started
        for path in load.PAGES:  # each page once, before the load
            began = time.perf_counter()
            status = httpx.get(url + path, timeout=600).status_code
            took = f"{status} after {time.perf_counter() - began:.2f} s"
            table.row(f"serve: {path}", took, "", "", "", "", "", "")
        tally, _ = asyncio.run(load.run(url, 10, 20, 3, with_slow=False))
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            _, _, usage = os.wait4(server.pid, 0)
    done = sorted(tally.latencies)
    p50 = statistics.median(done) * 1000 if done else 0.0
    p99 = done[min(len(done) - 1, int(len(done) * 0.99))] * 1000 if done else 0.0
    table.row(
        "serve: 10 clients x 20 s",
        f"{len(done) / 20:.1f} req/s, p50 {p50:.0f} ms, p99 {p99:.0f} ms, {sum(tally.errors.values())} err",
        f"{usage.ru_maxrss / 1024:.0f} MiB",
        f"ready after {ready:.1f} s",
        "",
        "",
        "",
        f"{os.getloadavg()[0]:.1f}",
    )


def _oxigraph(location: Path) -> tuple[subprocess.Popen[bytes], str]:
    sys.path.insert(0, str(HERE))
    from serve import free_port

    executable = Path(sys.executable).with_name("oxigraph")
    port = free_port()
    server = subprocess.Popen(
        [str(executable), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            httpx.post(f"{url}/query", content="ASK {}", headers={"Content-Type": "application/sparql-query"})
            return server, url
        except httpx.TransportError:
            time.sleep(0.1)
    raise SystemExit("oxigraph serve did not start")


def _stop(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    server.wait(60)


def _examples(n: int, seed: int) -> dict[str, str]:
    """Values for the catalogue's parameters in the synthetic corpus: its most mentioned firm,
    group and person (the first of each Zipf pool)."""
    from kg.synth.world import GROUP, World

    world = World.invent(random.Random(seed), n)
    group = next(f for f in world.firms.members if f.kind == GROUP)
    return {
        "org": f"ent:{world.firms.members[0].id}",
        "group": f"ent:{group.id}",
        "person": f"ent:{world.people.members[0].id}",
        "document": "<https://w3id.org/sovereignty-kg/document/000>",
        "thing": "element:Dy",
    }


def _catalogue(n: int, seed: int) -> list[tuple[str, str, dict[str, ox.NamedNode | ox.Literal], str]]:
    """Each catalogue query's name, text, example values (remapped to the corpus) and the
    text with them bound, as kg's engine runs it."""
    from kg.ask.catalogue import catalogue
    from kg.ask.limits import Limits
    from kg.ask.prepare import prepare

    top = _examples(n, seed)
    chosen = {"org": "org", "group": "group", "agent": "org", "subject": "org", "person": "person",
              "entity": "person", "document": "document", "thing": "thing"}  # fmt: skip
    queries = []
    for name, query in catalogue().items():
        example = dict(query.example)
        for param, value in example.items():
            if param in chosen and (value.startswith(("ent:", "<", "element:"))):
                example[param] = top[chosen[param]]
        values = query.values(example)
        queries.append((name, query.text, values, prepare(query.text, values, Limits()).text))
    return queries


# Subcommands: each measured step and baseline runs in a process of its own.


def _floor(dist: str) -> None:
    store = ox.Store()
    store.bulk_load(path=f"{dist}/graph.nq", format=ox.RdfFormat.N_QUADS)
    with tempfile.TemporaryDirectory() as out:
        ox.serialize((q.triple for q in store), f"{out}/graph.ttl", ox.RdfFormat.TURTLE)


def _export(dist: str, target: str, fmt: str) -> None:
    source = f"{dist}/graph.nq" if fmt in DATASET_FORMATS else f"{dist}/graph.nt"
    parsed = ox.parse(
        path=source, format=ox.RdfFormat.N_QUADS if fmt in DATASET_FORMATS else ox.RdfFormat.N_TRIPLES
    )
    quads = parsed if fmt in DATASET_FORMATS else (q.triple for q in parsed)
    ox.serialize(quads, target, FORMATS[fmt])


def _plain_pyshacl(project: str) -> None:
    """pyshacl as a user would call it: the built graph as data, the shapes files as shapes."""
    from pyshacl import validate
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import RDF, SH

    from kg.vocab import compact

    data, shapes = Graph(), Graph()
    for part in ("graph.nt", "inferred.nt"):
        if Path(project, "dist", part).is_file():
            data.parse(Path(project, "dist", part), format="nt")
    for path in sorted(Path(project, "ontology", "shapes").glob("*.ttl")):
        shapes.parse(path, format="turtle")
    _, results, _ = validate(
        data, shacl_graph=shapes, inference="none", allow_warnings=True, allow_infos=True
    )
    names = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
    found = []
    for report in results.subjects(RDF.type, SH.ValidationReport):
        for result in results.objects(report, SH.result):
            value = results.value(result, SH.value)
            path = results.value(result, SH.resultPath)
            found.append(
                [
                    names[results.value(result, SH.resultSeverity)],
                    str(results.value(result, SH.focusNode)),
                    str(path) if isinstance(path, URIRef) else "",
                    compact(str(value))
                    if isinstance(value, URIRef)
                    else str(value)
                    if isinstance(value, Literal)
                    else "",
                ]
            )
    print(json.dumps(found))


def _hermit(dist: str) -> None:
    """HermiT alone on the input kg's reasoner gives it (the ontology and domain facts)."""
    from kg.compile.output import read_file
    from kg.reason.engine import _domain_store, _Schema, _sorted
    from kg.reason.hermit import java_executable

    def triples() -> Iterator[ox.Triple]:
        return (quad.triple for quad in read_file(Path(dist) / "graph.nt", ox.RdfFormat.N_TRIPLES))

    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "input.nt"
        domain = _domain_store(triples(), _Schema.of(triples()))
        ox.serialize(_sorted(domain), str(source), ox.RdfFormat.N_TRIPLES)
        os.environ["KG_JAVA"] = java_executable()
        code = subprocess.call(
            [sys.executable, "-m", "kg.reason.hermit", str(source), f"{work}/out.nt", "8000"]
        )
    sys.exit(code)


def _post(path: str, url: str) -> None:
    with open(path, "rb") as body:
        httpx.post(
            url, content=body, headers={"Content-Type": "application/n-quads"}, timeout=None
        ).raise_for_status()


def _queries_kg(dist: str, n: str, seed: str, runs: str, store: str = "auto") -> None:
    from kg.ask.placement import Placement
    from kg.ask.query import open_graph, run_query
    from kg.errors import KgError

    with open_graph(Path(dist), placement=Placement(store)) as graph:
        for name, text, values, _ in _catalogue(int(n), int(seed)):
            try:
                run_query(graph, text, values)  # the first run loads the worker's store
                timings = _time(functools.partial(run_query, graph, text, values), int(runs))
            except KgError as exc:
                print(json.dumps({name: str(exc)}), flush=True)
                continue
            print(json.dumps({name: timings}), flush=True)
        print(json.dumps({WORKER_PEAK: _descendants_peak_mib()}), flush=True)


def _descendants_peak_mib() -> float:
    """The biggest peak RSS of this process's descendants still running (the query worker,
    a child of multiprocessing's fork server, is never waited for by this process, so
    `os.wait4` does not count it)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
    peak = 0.0
    for pid in parents:
        ancestor = parents.get(pid)
        while ancestor and ancestor != os.getpid():
            ancestor = parents.get(ancestor)
        if ancestor:
            with contextlib.suppress(OSError):
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peak = max(peak, int(line.split()[1]) / 1024)
    return peak


def _queries_ox(dist: str, n: str, seed: str, runs: str) -> None:
    """pyoxigraph with the whole build loaded into memory."""
    store = ox.Store()
    for default in ("graph.nt", "inferred.nt"):
        if Path(dist, default).is_file():
            store.bulk_load(path=f"{dist}/{default}", format=ox.RdfFormat.N_TRIPLES)
    store.bulk_load(path=f"{dist}/graph.nq", format=ox.RdfFormat.N_QUADS)
    _answer_catalogue(store, n, seed, runs)


def _queries_ox_kept(dist: str, n: str, seed: str, runs: str) -> None:
    """pyoxigraph opening read-only the store on disk that kg's queries used, if they used one."""
    from kg.ask.load import kept_store, open_store

    kept = kept_store(Path(dist))
    if kept is not None:
        _answer_catalogue(open_store(kept), n, seed, runs)


def _answer_catalogue(store: ox.Store, n: str, seed: str, runs: str) -> None:
    from kg.vocab import PREFIXES

    for name, _, _, bound in _catalogue(int(n), int(seed)):
        answer = functools.partial(_answer, store.query, bound, prefixes=PREFIXES)
        print(json.dumps({name: _time(answer, int(runs))}), flush=True)


def _queries_rdflib(dist: str, n: str, seed: str, runs: str) -> None:
    """rdflib's engine on the same texts, once each, each stopped after RDFLIB_SECONDS."""
    from rdflib import Dataset

    from kg.vocab import PREFIXES

    def stop(*_: object) -> None:
        raise TimeoutError

    signal.signal(signal.SIGALRM, stop)
    dataset = Dataset()
    dataset.parse(f"{dist}/graph.nq", format="nquads")
    for default in ("graph.nt", "inferred.nt"):
        if Path(dist, default).is_file():
            dataset.default_graph.parse(f"{dist}/{default}", format="nt")
    for name, _, _, bound in _catalogue(int(n), int(seed)):
        answer = functools.partial(_answer, dataset.query, bound, initNs=PREFIXES)
        signal.alarm(RDFLIB_SECONDS)
        try:
            print(json.dumps({name: _time(answer, 1)}), flush=True)
        except (TimeoutError, MemoryError):
            print(json.dumps({name: f"> {RDFLIB_SECONDS} s (stopped)"}), flush=True)
        finally:
            signal.alarm(0)


def _answer(engine: Callable[..., Any], text: str, **options: Any) -> None:
    """Run a query and read its whole answer."""
    answer = engine(text, **options)
    if not isinstance(answer, ox.QueryBoolean):
        for _ in answer:
            pass


def _time(action: Callable[[], object], runs: int) -> list[float]:
    """Milliseconds of each of `runs` runs; fewer once they have taken REPEAT_SECONDS."""
    timings: list[float] = []
    while len(timings) < runs and sum(timings) < REPEAT_SECONDS * 1000:
        start = time.perf_counter()
        action()
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def _lines(path: Path) -> int:
    if not path.is_file():
        return 0
    with path.open("rb") as lines:
        return sum(1 for _ in lines)


def _memory_gib() -> float:
    with open("/proc/meminfo") as info:
        return int(info.readline().split()[1]) / 1024 / 1024


SUBCOMMANDS = {
    "floor": _floor,
    "export": _export,
    "pyshacl": _plain_pyshacl,
    "hermit": _hermit,
    "post": _post,
    "queries-kg": _queries_kg,
    "queries-ox": _queries_ox,
    "queries-ox-kept": _queries_ox_kept,
    "queries-rdflib": _queries_rdflib,
}

if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] in SUBCOMMANDS:
        SUBCOMMANDS[sys.argv[1]](*sys.argv[2:])  # type: ignore[operator]
    else:
        main()
