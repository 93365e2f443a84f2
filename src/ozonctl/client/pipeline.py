"""``pipeline``: a producer, a stage and the caller each in a thread of their own.

Used where a page walk reads page k+1 from Ozon while page k is being turned into
rows: ``listing list`` (list page → card details → output) and the products of a
promotion (page → parsed products).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class _Failed:
    __slots__ = ("exc",)

    def __init__(self, exc: BaseException) -> None:
        self.exc = exc


_END = object()


def pipeline(source: Iterator[T], stage: Callable[[T], R], *, ahead: int = 2) -> Iterator[R]:
    """``map(stage, source)`` in order, with ``source`` and ``stage`` each running in a
    thread of its own, so that the next item of ``source`` is being produced while
    ``stage`` works on the previous one and the caller consumes the one before.

    Bounded: a permit is taken before each item is drawn from ``source`` and given back
    once the caller asks for the item after the one it got, so at most ``ahead`` items
    are drawn beyond the one the caller holds. An error in either thread is raised in
    the caller at the item where it happened; when the caller stops early, the threads
    draw no further item (they are daemons: an interrupted run does not wait for them).
    """
    room = threading.Semaphore(ahead + 1)
    stop = threading.Event()
    drawn: queue.SimpleQueue[Any] = queue.SimpleQueue()
    done: queue.SimpleQueue[Any] = queue.SimpleQueue()

    def draw() -> None:
        try:
            while True:
                room.acquire()
                if stop.is_set():
                    break
                item = next(source, _END)
                if item is _END:
                    break
                drawn.put(item)
        except BaseException as exc:  # noqa: BLE001 - raised in the caller
            drawn.put(_Failed(exc))
        finally:
            drawn.put(_END)

    def work() -> None:
        while True:
            item = drawn.get()
            if item is _END or isinstance(item, _Failed) or stop.is_set():
                done.put(item)
                return
            try:
                done.put(stage(item))
            except BaseException as exc:  # noqa: BLE001 - raised in the caller
                done.put(_Failed(exc))
                return

    threads = [
        threading.Thread(target=draw, name="ozonctl-read-ahead", daemon=True),
        threading.Thread(target=work, name="ozonctl-stage", daemon=True),
    ]
    for t in threads:
        t.start()
    try:
        while True:
            result = done.get()
            if result is _END:
                return
            if isinstance(result, _Failed):
                raise result.exc
            yield result
            room.release()
    finally:
        stop.set()
        room.release()  # a drawer waiting for room wakes up and sees the stop
