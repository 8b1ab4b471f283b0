"""Two pieces of work at once on two cores: one in a forked child process, one here (a
child also gives back all the memory its work took when it ends: kg validate's engine).

A build writes files that do not depend on each other, so children write some of them
while this process goes on (`Beside`). A child is a fork: it sees the sorted graph as it
is, without copying or pickling it, and sends back only its (JSON) result through a pipe.
Where `os.fork` does not exist, the work runs here when its result is asked for. Either
failing fails the whole: a failure here stops the child, and the child's failure (an
exception, or a signal that killed it) is raised here as a KgError.

Reading and compiling many mapping files is split in `halves`: the child keeps what it
made in a temporary cache, from which it is taken here, in order, once this process has
done its own half.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import tempfile
from bisect import bisect_left
from collections.abc import Callable, Sequence
from itertools import accumulate
from pathlib import Path
from typing import Any, TypeVar

from kg.cache import Cache
from kg.errors import KgError

T = TypeVar("T")
MANY = 200  # files from which reading or compiling them is split in halves


class Beside:
    """`work()` started now in a forked child (its result must be JSON), taken with `result()`
    once this process has done what it does meanwhile. Used as a context manager, a failure
    here stops the child. Where `os.fork` does not exist, the work runs when its result is
    asked for."""

    def __init__(self, work: Callable[[], Any]) -> None:
        self._work: Callable[[], Any] | None = work
        self._pid = 0
        if hasattr(os, "fork"):
            self._read, write = os.pipe()
            self._pid = os.fork()
            if self._pid == 0:  # pragma: no cover - the child; its work is checked through its result
                os.close(self._read)
                _child(work, write)
            os.close(write)
            self._work = None

    def result(self) -> Any:
        """The child's result once it has ended; its error or its killing as a KgError."""
        if self._work is not None:
            return self._work()
        with os.fdopen(self._read, "rb") as pipe:
            sent = pipe.read()
        _, status = os.waitpid(self._pid, 0)
        self._pid = 0
        if os.WIFSIGNALED(status):
            raise KgError(f"the process working beside this one was stopped by signal {os.WTERMSIG(status)}")
        if not sent:
            raise KgError("the process working beside this one ended without an answer")
        answer = json.loads(sent)
        if "error" in answer:
            raise KgError(answer["error"])
        return answer["result"]

    def stop(self) -> None:
        """End the child unfinished (if it is still to be waited for)."""
        if self._pid:
            os.kill(self._pid, signal.SIGKILL)
            os.waitpid(self._pid, 0)
            os.close(self._read)
            self._pid = 0

    def __enter__(self) -> Beside:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if kind is not None:
            self.stop()


def side_by_side(in_child: Callable[[], Any], here: Callable[[], T]) -> tuple[Any, T]:
    """`in_child()` in a forked child (its result must be JSON) and `here()` in this process,
    at once; both results."""
    with Beside(in_child) as beside:
        own = here()
        return beside.result(), own


def first_half(weights: Sequence[float], here: float = 0, share: float = 5 / 8) -> int:
    """How many of the items of these `weights` (sizes, say) to work on here when the rest go
    to a child (`halves`), with `here` of the same work done here besides: `share` of the
    whole, more than half as the child also writes its results down to hand them over (at
    10,000 documents, the child took 0.45 s a megabyte of YAML to read, this process 0.26 s)."""
    totals = list(accumulate(weights, initial=here))
    return bisect_left(totals, totals[-1] * share)


def halves(
    in_child: Callable[[Cache], None], here: Callable[[], None], then: Callable[[Cache], None]
) -> None:
    """`in_child` in a forked child and `here()` here at once, then `then` here: the child
    hands its results over in a temporary cache, which `in_child` fills and `then` reads.
    Without a temporary folder to hand them over in, or when the child fails (killed, say,
    for its memory), what it did not hand over is done here."""
    try:
        folder = Path(tempfile.mkdtemp(prefix="kg-beside-"))
    except OSError:
        here()
        then(Cache(None))
        return
    kept = Cache(folder)

    def child() -> None:
        with kept.transaction():
            in_child(kept)

    done = []

    def own() -> None:
        here()
        done.append(True)

    try:
        try:
            side_by_side(child, own)
        except KgError:
            if not done:
                raise  # this process's own failure
        then(kept)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _child(work: Callable[[], Any], write: int) -> None:
    """Run `work`, send its result or its error down `write`, and end the process without
    running the parent's exit handlers or flushing its buffers a second time."""
    code = 0
    try:
        answer = {"result": work()}
    except (KgError, OSError) as exc:
        answer, code = {"error": str(exc)}, 1
    except BaseException as exc:
        answer, code = {"error": f"{type(exc).__name__}: {exc}"}, 1
    try:
        with os.fdopen(write, "wb") as pipe:
            pipe.write(json.dumps(answer).encode())
    finally:
        os._exit(code)
