"""``listing list``'s pipelined walk: order, bounded read-ahead, errors, early stop."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from ozonctl.commands.listing.browse import pipeline


def test_results_come_in_order_and_complete() -> None:
    def slow(n: int) -> int:
        time.sleep(0.001 * (n % 3))
        return n * 10

    assert list(pipeline(iter(range(50)), slow)) == [n * 10 for n in range(50)]
    assert list(pipeline(iter([]), slow)) == []


@pytest.mark.parametrize("ahead", [0, 1, 2])
def test_at_most_ahead_items_are_drawn_beyond_the_one_held(ahead: int) -> None:
    drawn: list[int] = []

    def source() -> Iterator[int]:
        for n in range(10):
            drawn.append(n)
            yield n

    it = pipeline(source(), lambda n: n, ahead=ahead)
    for held in range(10):
        assert next(it) == held
        time.sleep(0.02)  # give the threads time to run ahead as far as they may
        assert len(drawn) <= held + 1 + ahead, (held, drawn)
    assert list(it) == []


def test_the_next_item_is_drawn_while_the_stage_works() -> None:
    stage_running = threading.Event()
    drawn_meanwhile = threading.Event()

    def source() -> Iterator[int]:
        yield 1
        stage_running.wait(5)
        drawn_meanwhile.set()
        yield 2

    def stage(n: int) -> int:
        if n == 1:
            stage_running.set()
            assert drawn_meanwhile.wait(5), "the source waited for the stage"
        return n

    assert list(pipeline(source(), stage)) == [1, 2]


def test_a_source_error_comes_after_the_items_before_it() -> None:
    def source() -> Iterator[int]:
        yield 1
        yield 2
        raise ValueError("list page 3 failed")

    got: list[int] = []
    with pytest.raises(ValueError, match="page 3"):
        for n in pipeline(source(), lambda n: n):
            got.append(n)
    assert got == [1, 2]


def test_a_stage_error_is_raised_and_stops_the_source() -> None:
    drawn: list[int] = []

    def source() -> Iterator[int]:
        for n in range(100):
            drawn.append(n)
            yield n

    def stage(n: int) -> int:
        if n == 3:
            raise RuntimeError("details of page 4 failed")
        return n

    got: list[int] = []
    with pytest.raises(RuntimeError, match="page 4"):
        for n in pipeline(source(), stage, ahead=2):
            got.append(n)
    assert got == [0, 1, 2]
    time.sleep(0.05)
    assert len(drawn) <= 7  # 4 + at most ahead + the permit given back on the way out


def test_stopping_early_draws_nothing_more() -> None:
    drawn: list[int] = []

    def source() -> Iterator[int]:
        for n in range(100):
            drawn.append(n)
            yield n

    it = pipeline(source(), lambda n: n, ahead=1)
    assert next(it) == 0
    it.close()
    time.sleep(0.05)
    assert len(drawn) <= 4
