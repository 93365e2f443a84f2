"""Split a bulk write into requests of the endpoint's largest size, send them with bounded
concurrency, and collect every batch's outcome: a failed batch never stops the others
(except an authentication failure, which stops scheduling new batches)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, Generic, Protocol, TypeVar

from ozonctl.client.endpoints import Endpoint
from ozonctl.client.errors import APIError, AuthenticationError, PermissionDeniedError

T = TypeVar("T")


class _Caller(Protocol):
    concurrency: int

    def call(self, endpoint: Endpoint, body: Any = None) -> Any: ...


def chunked(items: Sequence[T], size: int) -> list[list[T]]:
    if size <= 0:
        raise ValueError("size must be positive")
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


def _lazily_chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


@dataclass(slots=True)
class BatchOutcome(Generic[T]):
    index: int
    items: list[T]
    response: Any = None
    error: APIError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(slots=True)
class BatchReport(Generic[T]):
    outcomes: list[BatchOutcome[T]] = field(default_factory=list)
    not_sent: list[list[T]] = field(default_factory=list)
    """Batches never sent because an authentication error stopped the run."""

    @property
    def requests(self) -> int:
        return len(self.outcomes)

    @property
    def failed(self) -> list[BatchOutcome[T]]:
        return [o for o in self.outcomes if not o.ok]


def run_batches(
    client: _Caller,
    endpoint: Endpoint,
    items: Iterable[T],
    build_body: Callable[[list[T]], dict[str, Any]],
    *,
    size: int | None = None,
    concurrency: int | None = None,
    before_batch: Callable[[int, list[T]], None] | None = None,
    on_done: Callable[[BatchOutcome[T]], None] | None = None,
) -> BatchReport[T]:
    """Send ``items`` in batches of ``size`` (default: the endpoint's ``max_items``).

    ``items`` may be a lazy iterable: a batch is drawn from it (in the caller's thread)
    only when it is about to be sent, so its producer can journal what it yields before
    the batch goes out, while the batches drawn before are in flight; once an
    authentication error stopped the run it is drawn no further (``not_sent`` then holds
    only the batch drawn last).
    ``before_batch(index, items)`` runs in the caller's thread before a batch is sent
    (write a journal entry there); ``on_done`` runs in the caller's thread as each batch
    finishes (update progress, record results). Outcomes come back in batch order.
    """
    known = len(items) if isinstance(items, Sequence) else None
    check = getattr(client, "before_write", None)
    if check is not None and known != 0:
        check(endpoint.path)  # before any batch or journal step: nothing half-sent
    limit = size or endpoint.max_items or known or 1
    batches = _lazily_chunked(items, limit)
    workers = concurrency or client.concurrency
    if known is not None:  # no more threads than batches
        workers = min(workers, -(-known // limit))
    workers = max(1, workers)
    report: BatchReport[T] = BatchReport()
    results: dict[int, BatchOutcome[T]] = {}
    stop = False

    def send(index: int, batch: list[T]) -> BatchOutcome[T]:
        try:
            return BatchOutcome(index, batch, response=client.call(endpoint, build_body(batch)))
        except APIError as exc:
            return BatchOutcome(index, batch, error=exc)

    pending: set[Future[BatchOutcome[T]]] = set()
    queue: Iterable[tuple[int, list[T]]] = enumerate(batches)
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ozonctl-batch") as pool:
        for index, batch in queue:
            if stop and known is None:
                break  # a lazy source is drawn no further: its producer knows what it gave
            if stop:
                report.not_sent.append(batch)
                continue
            if len(pending) >= workers:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                stop = _collect(done, results, on_done) or stop
                if stop:
                    report.not_sent.append(batch)
                    continue
            if before_batch is not None:
                before_batch(index, batch)
            pending.add(pool.submit(send, index, batch))
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            _collect(done, results, on_done)
    report.outcomes = [results[i] for i in sorted(results)]
    return report


def _collect(
    done: set[Future[BatchOutcome[T]]],
    results: dict[int, BatchOutcome[T]],
    on_done: Callable[[BatchOutcome[T]], None] | None,
) -> bool:
    stop = False
    for fut in done:
        outcome = fut.result()
        results[outcome.index] = outcome
        if isinstance(outcome.error, AuthenticationError | PermissionDeniedError):
            stop = True
        if on_done is not None:
            on_done(outcome)
    return stop
