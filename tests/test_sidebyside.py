"""kg.sidebyside: work in a forked child beside work here; either failing fails both."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from kg.errors import KgError
from kg.sidebyside import Beside, first_half, side_by_side


def test_both_results_come_back_and_the_child_ran_in_another_process() -> None:
    child, here = side_by_side(lambda: {"pid": os.getpid()}, lambda: os.getpid())
    assert here == os.getpid()
    assert child["pid"] != os.getpid()


def test_the_childs_error_is_raised_here_after_this_sides_work() -> None:
    done: list[str] = []

    def failing() -> None:
        raise OSError(28, "No space left on device")

    with pytest.raises(KgError, match=r"\[Errno 28\] No space left on device"):
        side_by_side(failing, lambda: done.append("here"))
    assert done == ["here"]


def test_a_child_killed_by_a_signal_is_an_error() -> None:
    with pytest.raises(KgError, match=f"stopped by signal {int(signal.SIGKILL)}"):
        side_by_side(lambda: os.kill(os.getpid(), signal.SIGKILL), lambda: None)


def test_a_failure_here_stops_the_child(tmp_path: Path) -> None:
    late = tmp_path / "written by the child after a second"

    def slow() -> None:
        time.sleep(1)
        late.write_text("too late")

    def failing() -> None:
        raise ValueError("failed here")

    with pytest.raises(ValueError, match="failed here"):
        side_by_side(slow, failing)
    time.sleep(1.5)
    assert not late.exists()


def test_a_failure_while_a_child_works_beside_stops_it(tmp_path: Path) -> None:
    late = tmp_path / "written by the child after a second"

    def slow() -> None:
        time.sleep(1)
        late.write_text("too late")

    with pytest.raises(ValueError, match="failed here"), Beside(slow):
        raise ValueError("failed here")
    time.sleep(1.5)
    assert not late.exists()


def test_the_result_of_a_child_started_earlier_is_taken_later() -> None:
    with Beside(lambda: os.getpid()) as beside:
        time.sleep(0.1)
        assert beside.result() != os.getpid()


def test_the_first_half_is_the_share_of_the_weight_done_here() -> None:
    assert first_half([1] * 10) == 7  # 5/8 of 10 is 6.25: seven items here, three in the child
    assert first_half([1] * 10, share=0.5) == 5
    assert first_half([5, 1, 1, 1, 1, 1]) == 3  # by weight, not by count
    assert first_half([1] * 10, here=10) == 3  # 12.5 of 20, with 10 done here besides
    assert first_half([1, 1], here=10) == 0
    assert first_half([]) == 0
