"""The bounded runner checks a text run without parameters once, whichever worker runs it
next (it keeps the checked text a worker sent back and sends that to run as it is), and may
run its workers at a lower CPU priority."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pyoxigraph as ox

from kg import BuildReport
from kg.ask.limits import Limits
from kg.ask.prepare import Prepared, prepare
from kg.ask.runner import Runner

TEXT = "ASK { ent:liao-chunsheng rdfs:label ?l }"


def test_a_text_is_checked_once_then_run_as_checked(seed_build: BuildReport) -> None:
    with Runner(seed_build.out, Limits(), workers=2) as runner:
        assert isinstance(runner.run(TEXT).result(), ox.QueryBoolean)
        assert runner._checked[TEXT] == prepare(TEXT, {}, Limits())  # what the worker checked
        assert all(bool(runner.run(TEXT).result()) for _ in range(3))  # on either worker
        # the next run sends the kept text as it is, so no worker parses TEXT again
        runner._checked[TEXT] = Prepared("ASK { <urn:x:nothing> ?p ?o }", "ASK")
        assert not bool(runner.run(TEXT).result())


def test_a_text_with_parameters_is_checked_by_its_worker(seed_build: BuildReport) -> None:
    text = "ASK { ?who rdfs:label ?l }"
    with Runner(seed_build.out, Limits(), workers=1) as runner:
        known = {"who": ox.NamedNode("https://w3id.org/sovereignty-kg/entity/liao-chunsheng")}
        assert bool(runner.run(text, known).result())
        assert not bool(runner.run(text, {"who": ox.NamedNode("urn:x:nothing")}).result())
        assert text not in runner._checked


def test_workers_may_run_at_a_lower_cpu_priority(seed_build: BuildReport) -> None:
    with Runner(seed_build.out, Limits(), workers=1, nice=7) as runner:
        runner.run(TEXT)
        worker = runner._idle.queue[0]
        assert os.getpriority(os.PRIO_PROCESS, worker.process.pid) == os.getpriority(os.PRIO_PROCESS, 0) + 7


def test_loading_the_graph_is_not_counted_in_the_first_querys_deadline(
    seed_build: BuildReport, tmp_path: Path
) -> None:
    dist = tmp_path / "dist"
    shutil.copytree(seed_build.out, dist)
    with (dist / "graph.nq").open("a", encoding="utf-8") as quads:  # a graph that takes a while to load
        quads.writelines(f"<urn:x:s{i}> <urn:x:p> <urn:x:o{i}> <urn:x:padding> .\n" for i in range(300_000))
    started = time.monotonic()
    with Runner(dist, Limits(timeout=0.25), workers=1) as runner:
        assert bool(runner.run(TEXT).result())
    assert time.monotonic() - started > 0.25  # the load took longer than the query may
