"""The bounded query runner: queries run in worker processes that hold the loaded graph,
each within kg.ask.limits.Limits.

A worker is a child process (started from a clean fork server, so that a parent with
threads, such as a web server, forks nothing it holds) that loads the build once, caps its
address space at what the loaded graph takes plus `memory_mb`, and answers one query at a
time. The parent measures the
query text first (kg.ask.prepare.measure: no parser ever sees a query that is too long or
too deep), then hands it over and waits at most `timeout` seconds: past that, the worker
is killed, which really stops the work, and a fresh one is started for the next query. A
worker that runs out of memory or crashes is replaced the same way. Answers leave the
worker as SPARQL TSV results (SELECT), SPARQL JSON (ASK) or N-Triples (CONSTRUCT,
DESCRIBE), cut after `max_rows` rows or `max_bytes` bytes and marked truncated.

A Runner may lower its workers' CPU priority (`nice`), so that a query that keeps a core
busy gives way to the process that started it (a server answering other requests).

A Runner is safe to share between threads: it keeps `workers` processes and each query
takes an idle one (waiting for one to be free).

Checking a query (two rdflib parses, 50-500 ms) costs far more than running most of them,
and each worker keeps its own checks. So the Runner keeps, for texts run without
parameters (what a SPARQL endpoint receives), the checked text a worker sent back with its
answer: the next run of the same text, on any worker, sends that text to run as it is, and
no worker parses it again.

    runner = Runner(Path("dist"), Limits(timeout=10), workers=4)
    answer = runner.run("SELECT …", {"org": NamedNode(…)})  # any thread
    runner.close()
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import queue
import resource
import shutil
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from pathlib import Path
from typing import IO, Any, cast

import pyoxigraph as ox

from kg.ask.dataset import WHOLE, Dataset
from kg.ask.limits import Limits
from kg.ask.placement import Placement
from kg.ask.prepare import Prepared, Term, measure, prepare
from kg.errors import KgError, Location, Refused, Stopped

TSV = "tsv"
JSON = "json"
NTRIPLES = "nt"
KEPT_CHECKS = 1024  # checked texts a Runner keeps (the least recently run go first)
LOAD_TIMEOUT = 600.0  # seconds a new worker may take to load the graph (not counted in any deadline)


@dataclass(frozen=True)
class Answer:
    """An answer as it left the engine: `data` in `fmt` (tsv, json or nt)."""

    form: str
    fmt: str
    data: bytes
    truncated: bool = False

    def result(self) -> ox.QuerySolutions | ox.QueryBoolean | list[ox.Triple]:
        """The answer as Oxigraph objects: solutions, a boolean, or triples."""
        if self.fmt == NTRIPLES:
            return [q.triple for q in ox.parse(self.data, format=ox.RdfFormat.N_TRIPLES)]
        fmt = ox.QueryResultsFormat.TSV if self.fmt == TSV else ox.QueryResultsFormat.JSON
        return ox.parse_query_results(self.data, format=fmt)


class Runner:
    """Runs queries on the build in `dist` (or, with `dist` None, only checks them) in up to
    `workers` processes, within `limits` unless a call gives its own. `dist` may also be a
    store on disk (kg.ask.load.store_on_disk), which every worker opens read-only. The
    workers load of the build only the graphs `dataset` names (for queries that read no other);
    more than kg.ask.load.ON_DISK bytes of them go into such a store first, kept beside the
    build for the next Runner (kg.ask.load.keep_store), unless `placement` says otherwise."""

    def __init__(
        self,
        dist: Path | None,
        limits: Limits | None = None,
        workers: int = 1,
        nice: int = 0,
        dataset: Dataset = WHOLE,
        placement: Placement = Placement.AUTO,
    ) -> None:
        self.limits = limits or Limits()
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._checked: OrderedDict[str, Prepared] = OrderedDict()  # texts run without parameters
        self._lock = threading.Lock()
        store, self._temporary = (None, None) if dist is None else _store_on_disk(dist, dataset, placement)
        self.dist = store or dist  # what the workers open
        for _ in range(max(1, workers)):
            self._idle.put(_Worker(self.dist, self.limits.memory_mb, nice, dataset))

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def run(
        self, text: str, values: Mapping[str, Term] | None = None, limits: Limits | None = None
    ) -> Answer:
        """Check and run a query, parameters bound, and read its answer (a text without
        parameters is checked once: see the module's docstring)."""
        limits = limits or self.limits
        if values:
            return cast(Answer, self._call("run", text, values, limits)[1])
        with self._lock:
            checked = self._checked.get(text)
            if checked is not None:
                self._checked.move_to_end(text)
        if checked is not None:
            return cast(Answer, self._call("answer", text, {}, limits, checked))
        checked, answer = self._call("run", text, {}, limits)
        with self._lock:
            self._checked[text] = checked
            if len(self._checked) > KEPT_CHECKS:
                self._checked.popitem(last=False)
        return cast(Answer, answer)

    def prepare(
        self, text: str, values: Mapping[str, Term] | None = None, limits: Limits | None = None
    ) -> Prepared:
        """Check a query and bind its parameters without running it (for a remote endpoint)."""
        prepared: Prepared = self._call("prepare", text, values or {}, limits or self.limits)
        return prepared

    def close(self) -> None:
        """Stop every worker (waiting for none to finish its query)."""
        while True:
            try:
                self._idle.get_nowait().stop()
            except queue.Empty:
                break
        if self._temporary is not None:
            shutil.rmtree(self._temporary, ignore_errors=True)

    def _call(
        self,
        action: str,
        text: str,
        values: Mapping[str, Term],
        limits: Limits,
        checked: Prepared | None = None,
    ) -> Any:
        measure(text, limits)  # before any parser sees the text
        size = len(text) + sum(len(term.value) for term in values.values())  # as bound into the text
        if size > limits.max_query_chars:
            limit = limits.max_query_chars
            raise Refused(f"the query with its parameters is {size} characters long; the limit is {limit}")
        worker = self._idle.get()
        try:
            return worker.call((action, text, dict(values), limits, checked), limits)
        finally:
            self._idle.put(worker)


def _store_on_disk(
    dist: Path, dataset: Dataset, placement: Placement = Placement.AUTO
) -> tuple[Path | None, Path | None]:
    """The store on disk the workers open read-only, and it again if it is temporary (to
    remove on `close`); (None, None) when the workers load the build themselves. `auto`
    (kg.ask.placement.Placement): past kg.ask.load.REUSE bytes of built files to load, the build's
    kept store (kg.ask.load.kept_store), which holds every graph; past ON_DISK (too big to
    load into each worker's memory), one made now and kept beside the build, or, where it
    cannot be, in a temporary folder; where no store can be made (for want of space, say),
    none. `disk`: the kept store whatever the size, and an error where no store can be
    made. `memory`: none."""
    from kg.ask.load import ON_DISK, REUSE, keep_store, kept_store, loaded_size, temporary_store

    placement = Placement(placement)  # also from its name, as the Python API may give it
    if placement is Placement.MEMORY:
        return None, None
    size = loaded_size(dist, dataset)
    kept = kept_store(dist) if size > REUSE or placement is Placement.DISK else None
    if kept is not None:
        return kept, None
    if size <= ON_DISK and placement is Placement.AUTO:
        return None, None
    with contextlib.suppress(OSError):
        return keep_store(dist), None
    try:
        folder = temporary_store(dist, "kg-query-", dataset)
    except OSError as exc:
        if placement is Placement.DISK:
            raise KgError(f"no store on disk could be made for the build: {exc}", Location(dist)) from None
        return None, None
    return folder, folder


class _Worker:
    """One worker process, started when first needed and again after it was killed."""

    def __init__(self, dist: Path | None, memory_mb: int, nice: int, dataset: Dataset) -> None:
        self.dist, self.memory_mb, self.nice, self.dataset = dist, memory_mb, nice, dataset
        self.process: Any = None
        self.connection: Connection | None = None
        self.lock = threading.Lock()

    def call(self, request: tuple[Any, ...], limits: Limits) -> Any:
        with self.lock:
            connection = self._started()
            deadline = time.monotonic() + limits.timeout
            try:
                connection.send(request)
            except OSError:  # the worker died before it took the query
                raise Stopped(self._death()) from None
            if not connection.poll(max(deadline - time.monotonic(), 0)):
                self.stop()
                raise Stopped(f"the query ran for more than {limits.timeout:g} s and was stopped")
            try:
                status, payload = connection.recv()
            except (EOFError, OSError):
                raise Stopped(self._death()) from None
        if status == "refused":
            raise Refused(payload)
        if status == "stopped":
            raise Stopped(payload)
        if status == "error":
            raise KgError(payload)
        return payload

    def _death(self) -> str:
        """Why the worker ended; it is cleared away for a fresh one."""
        self.process.join(5)
        code = self.process.exitcode
        self.stop()
        return _death(code, self.memory_mb)

    def _started(self) -> Connection:
        if self.process is not None and self.process.is_alive() and self.connection is not None:
            return self.connection
        self.stop()
        context = _context()
        parent: Connection
        parent, child = context.Pipe()
        process = context.Process(
            target=serve, args=(child, self.dist, self.memory_mb, self.nice, self.dataset), daemon=True
        )
        process.start()
        self.process = process  # only once started: a process that failed to start is not stopped
        child.close()
        self.connection = parent
        if not parent.poll(LOAD_TIMEOUT):
            self.stop()
            raise Stopped(f"the query engine did not load the graph in {LOAD_TIMEOUT:g} s")
        try:
            parent.recv()  # "ready": the graph is loaded (or why not, kept as every query's reply)
        except (EOFError, OSError):
            raise Stopped(self._death()) from None
        return parent

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.join()
            self.process.close()
        if self.connection is not None:
            self.connection.close()
        self.process, self.connection = None, None


def _context() -> Any:
    if sys.platform.startswith("linux"):
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["kg.ask.runner"])
        return context
    return multiprocessing.get_context("spawn")


def _death(code: int | None, memory_mb: int) -> str:
    if code in (-6, 134):  # an allocation failure aborts
        return _out_of_memory(memory_mb)
    if code == 1:  # an uncaught exception: a MemoryError, or a failure to start
        return (
            f"the query engine stopped before answering: it needed more than the {memory_mb} MiB it "
            "may use, or, in a script, kg's Python API was called outside 'if __name__ == \"__main__\":' "
            "(its worker processes import the script again)"
        )
    return f"the query engine stopped unexpectedly (exit status {code}); the query was not answered"


def _out_of_memory(memory_mb: int) -> str:
    return f"the query needed more than the {memory_mb} MiB it may use and was stopped"


# The worker side.


def serve(
    connection: Connection,
    dist: Path | None,
    memory_mb: int,
    nice: int = 0,
    dataset: Dataset = WHOLE,
) -> None:
    """A worker's loop: lower its CPU priority by `nice`, load the graphs `dataset` names of
    the build, cap memory at what
    the loaded graph takes plus `memory_mb` (so a graph of any size loads, and no query takes
    more than that on top of it), answer requests until the pipe closes."""
    os.nice(nice)
    sys.setrecursionlimit(20_000)  # rdflib's parser recurses ~150 frames per bracket level
    store, failure = _loaded(dist, memory_mb, dataset)
    limit = _address_space() + memory_mb * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    connection.send(("ready", None))
    while True:
        try:
            action, text, values, limits, checked = connection.recv()
        except (EOFError, OSError):
            return
        if failure is not None:
            connection.send(failure)
            continue
        try:
            # "answer": `checked` is what a worker's check of `text` gave; else check now
            prepared = checked if action == "answer" else prepare(text, values, limits)
            if action == "prepare":
                reply: tuple[str, Any] = ("ok", prepared)
            elif store is None:
                reply = ("error", "no graph to run the query on")
            elif action == "answer":
                reply = ("ok", answer(store, prepared, limits))
            else:
                reply = ("ok", (prepared, answer(store, prepared, limits)))
        except Refused as exc:
            reply = ("refused", str(exc))
        except KgError as exc:
            reply = ("error", str(exc))
        except MemoryError:
            reply = ("stopped", _out_of_memory(memory_mb))
        connection.send(reply)


def _address_space() -> int:
    """This process's virtual memory size in bytes (what RLIMIT_AS counts)."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[0]) * resource.getpagesize()


def _loaded(
    dist: Path | None, memory_mb: int, dataset: Dataset
) -> tuple[ox.Store | None, tuple[str, str] | None]:
    """The build loaded, or the reply every query gets instead."""
    try:
        from kg.ask.load import open_store

        return (open_store(dist, dataset) if dist is not None else None), None
    except KgError as exc:
        return None, ("error", str(exc))
    except MemoryError:
        return None, ("stopped", _out_of_memory(memory_mb))


def answer(store: ox.Store, prepared: Prepared, limits: Limits) -> Answer:
    """Run a checked query on `store` and serialise its answer, cut at the limits."""
    try:
        result = store.query(prepared.text)
        if isinstance(result, ox.QueryBoolean):
            data = result.serialize(format=ox.QueryResultsFormat.JSON)
            return Answer(prepared.form, JSON, bytes(data or b""))
        if isinstance(result, ox.QuerySolutions):
            out = Capped(limits.max_rows + 1, limits.max_bytes)  # the header line, then rows
            fmt = TSV
            try:
                result.serialize(cast(IO[bytes], out), format=ox.QueryResultsFormat.TSV)
            except Exception:
                if not out.full:
                    raise
        else:
            out = Capped(limits.max_rows, limits.max_bytes)
            fmt = NTRIPLES
            try:
                ox.serialize(result, cast(IO[bytes], out), format=ox.RdfFormat.N_TRIPLES)
            except Exception:
                if not out.full:
                    raise
    except (SyntaxError, OSError, RuntimeError, ValueError) as exc:
        raise KgError(f"the query failed: {exc}") from None
    return Answer(prepared.form, fmt, out.value(), out.full)


class _Full(Exception):
    pass


class Capped:
    """A binary sink that keeps whole lines up to `max_lines` lines and `max_bytes` bytes,
    then stops the writer by raising."""

    def __init__(self, max_lines: int, max_bytes: int) -> None:
        self.max_lines, self.max_bytes = max_lines, max_bytes
        self.parts: list[bytes] = []
        self.lines = self.size = 0
        self.full = False

    def write(self, data: bytes) -> int:
        if self.full:
            raise _Full
        chunk = bytes(data)
        room_lines = self.max_lines - self.lines
        cut = len(chunk)
        if chunk.count(b"\n") > room_lines:
            cut = _nth_newline(chunk, room_lines)
            self.full = True
        if self.size + cut > self.max_bytes:
            cut = chunk.rfind(b"\n", 0, self.max_bytes - self.size) + 1
            self.full = True
        self.parts.append(chunk[:cut])
        self.lines += chunk[:cut].count(b"\n")
        self.size += cut
        if self.full:
            raise _Full
        return len(data)

    def flush(self) -> None:
        pass

    def value(self) -> bytes:
        data = b"".join(self.parts)
        return data if not self.full else data[: data.rfind(b"\n") + 1]


def _nth_newline(chunk: bytes, n: int) -> int:
    """The offset just after the n-th newline of `chunk` (0 for n = 0)."""
    position = 0
    for _ in range(n):
        position = chunk.index(b"\n", position) + 1
    return position


def with_limits(limits: Limits, **changes: Any) -> Limits:
    """`limits` with some fields changed (None leaves a field as it is)."""
    return replace(limits, **{k: v for k, v in changes.items() if v is not None})
