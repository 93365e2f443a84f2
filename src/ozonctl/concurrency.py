"""The concurrency helpers, in one place: ``pipeline`` (a producer, a stage and the
caller each in a thread of their own), ``in_background`` (one call in a thread),
``ordered_map`` (a function over items on a few threads, results in input order),
``read_ahead`` (``pipeline``'s producer feeding calls that start as items come) and
``quick_handover`` (threads take turns at the interpreter sooner).

``pipeline`` is used where a page walk reads page k+1 from Ozon while page k is being
turned into rows: ``listing list`` (list page → card details → output) and the products
of a promotion (page → parsed products). ``in_background`` reads local state (the
catalogue index) while a request waits on Ozon. ``ordered_map`` reads finance days,
balance windows and the chunks of a read of many ids (cards, prices, stocks) side by side
under the client's rate limiter.
"""

from __future__ import annotations

import queue
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any, ParamSpec, TypeVar

T = TypeVar("T")
R = TypeVar("R")
P = ParamSpec("P")


def in_background(fn: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> Future[R]:
    """``fn(*args, **kwargs)`` in a daemon thread of its own; its result (or error) in
    the future. The caller need not wait for it: an interrupted run does not."""
    future: Future[R] = Future()

    def run() -> None:
        if not future.set_running_or_notify_cancel():
            return
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 - raised by future.result()
            future.set_exception(exc)

    threading.Thread(target=run, name=f"ozonctl-{fn.__name__}"[:32], daemon=True).start()
    return future


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


def read_ahead(fn: Callable[[T], R], source: Iterator[T], *, ahead: int) -> Iterator[R]:
    """``map(fn, source)`` in order, each call started as soon as its item is drawn:
    ``source`` is drawn in a thread of its own (``pipeline``), up to ``ahead`` items
    beyond the one the caller holds, and the calls run side by side on ``ahead``
    threads. For reads that a slow source feeds and the caller needs one at a time
    (the promotions of each 1000 products an archive sends, read while it sends)."""
    pool = ThreadPoolExecutor(max_workers=max(1, ahead), thread_name_prefix="ozonctl-ahead")
    try:
        for future in pipeline(source, lambda item: pool.submit(fn, item), ahead=ahead):
            yield future.result()
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def ordered_map(
    fn: Callable[[T], R], items: Iterable[T], *, workers: int, window: int | None = None
) -> Iterator[R]:
    """``fn`` over ``items`` on ``workers`` threads, yielding results in input order.

    At most ``window`` calls are in flight or waiting to be yielded (bounded memory).
    An error in any call is raised when its turn comes; the calls not yet started are
    cancelled, and so are they when the consumer stops early."""
    workers = max(1, workers)
    window = max(workers, window or 2 * workers)
    pending: deque[Future[R]] = deque()
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ozonctl-map")
    try:
        for item in items:
            pending.append(pool.submit(fn, item))
            if len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


HANDOVER_S = 0.0005
"""How long a thread woken by its answer waits at most for a thread running Python code
to hand the interpreter over, under ``quick_handover`` (Python's default: 5 ms)."""


@contextmanager
def quick_handover(interval: float = HANDOVER_S) -> Iterator[None]:
    """Within the block, threads take turns at the interpreter every ``interval`` seconds
    instead of every 5 ms (``sys.setswitchinterval``, process-wide; restored after).

    For a walk whose every request needs the previous answer while other threads parse
    and write: the walk's thread, woken by an answer, otherwise waits up to 5 ms behind
    them at each step before it can send the next request, and that wait is paid once
    per page of the chain."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(interval)
    try:
        yield
    finally:
        sys.setswitchinterval(before)
