"""Bulk writes: split at the item limit, bounded concurrency, every batch's outcome kept."""

from __future__ import annotations

import threading
import time
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from ozonctl.client import endpoints
from ozonctl.client.batching import chunked, run_batches
from ozonctl.client.endpoints import Endpoint
from ozonctl.client.errors import AuthenticationError, BadRequestError, WriteOutcomeUnknown

ARCHIVE = endpoints.get("product.archive")


class Recorder:
    def __init__(
        self, concurrency: int = 4, fail: dict[int, Exception] | None = None, delay: float = 0.0
    ) -> None:
        self.concurrency = concurrency
        self.bodies: list[dict[str, Any]] = []
        self.fail = fail or {}
        self.delay = delay
        self.active = 0
        self.peak = 0
        self._lock = threading.Lock()

    def call(self, endpoint: Endpoint, body: Any = None) -> Any:
        with self._lock:
            self.bodies.append(body)
            self.active += 1
            self.peak = max(self.peak, self.active)
        try:
            time.sleep(self.delay)
            first = body["product_id"][0]
            if first in self.fail:
                raise self.fail[first]
            return {"result": True}
        finally:
            with self._lock:
                self.active -= 1


@given(st.integers(min_value=0, max_value=2500), st.integers(min_value=1, max_value=700))
def test_chunked_covers_every_item_once_in_order(n: int, size: int) -> None:
    items = list(range(n))
    chunks = chunked(items, size)
    assert [x for c in chunks for x in c] == items
    assert all(0 < len(c) <= size for c in chunks)
    assert len(chunks) == -(-n // size)


def test_requests_are_the_minimum_the_item_limit_allows() -> None:
    rec = Recorder()
    report = run_batches(rec, ARCHIVE, list(range(1, 1001)), lambda b: {"product_id": b})
    assert report.requests == 10 == len(rec.bodies)
    assert all(len(b["product_id"]) == 100 for b in rec.bodies)
    assert [o.index for o in report.outcomes] == list(range(10))


def test_concurrency_is_bounded() -> None:
    rec = Recorder(concurrency=3, delay=0.02)
    run_batches(rec, ARCHIVE, list(range(1, 2001)), lambda b: {"product_id": b})
    assert 1 < rec.peak <= 3


def test_a_failed_batch_does_not_stop_the_rest() -> None:
    rec = Recorder(
        fail={
            101: BadRequestError("bad", path="/x", status=400),
            301: WriteOutcomeUnknown("timeout", path="/x"),
        }
    )
    report = run_batches(rec, ARCHIVE, list(range(1, 501)), lambda b: {"product_id": b})
    assert report.requests == 5
    assert [o.index for o in report.failed] == [1, 3]
    assert isinstance(report.failed[1].error, WriteOutcomeUnknown)
    assert sum(len(o.items) for o in report.outcomes) == 500


def test_an_auth_failure_stops_scheduling() -> None:
    rec = Recorder(concurrency=1, fail={1: AuthenticationError("no", path="/x", status=401)})
    report = run_batches(rec, ARCHIVE, list(range(1, 501)), lambda b: {"product_id": b})
    assert len(rec.bodies) == 1
    assert len(report.not_sent) == 4


def test_hooks_run_before_and_after_each_batch() -> None:
    rec = Recorder(concurrency=2)
    seen_before: list[int] = []
    seen_done: list[int] = []
    run_batches(
        rec,
        ARCHIVE,
        list(range(1, 251)),
        lambda b: {"product_id": b},
        before_batch=lambda i, b: seen_before.append(i),
        on_done=lambda o: seen_done.append(o.index),
    )
    assert seen_before == [0, 1, 2]
    assert sorted(seen_done) == [0, 1, 2]


def test_empty_input_sends_nothing() -> None:
    rec = Recorder()
    assert run_batches(rec, ARCHIVE, [], lambda b: {"product_id": b}).requests == 0
    assert rec.bodies == []
