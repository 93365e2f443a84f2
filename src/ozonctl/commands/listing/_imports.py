"""The journal of a stock or price write, and the resume of one that was killed.

A write of many items (``stock import``, ``price import``, and the ``set`` commands) runs
under the state lock with a journal operation whose header holds a ``fingerprint`` of
the items as sent. Before every ``BATCHES_PER_STEP`` batches a durable ``planned`` step
names the items (their places in the list) about to go out; after the last batch a
``sent`` step counts the answers and the operation is ``done`` or ``partial``.

A run killed or interrupted leaves its operation ``running``. The next run of the same
items (same fingerprint) resumes it: the items its ``planned`` steps name may or may not
have reached Ozon, so the caller reads them back and sends only those Ozon does not
have yet (:func:`begin` returns them); the old operation is marked ``resumed``. Items
never planned are sent as usual. So a rerun never sends twice what Ozon applied: no
``TOO_MANY_REQUESTS`` for a stock pair changed seconds before, no price change spent of
Ozon's 10 an hour.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ozonctl.errors import OzonctlError

if TYPE_CHECKING:
    from ozonctl.cli.context import AppContext
    from ozonctl.domain.product_outcome import Outcome
    from ozonctl.state.journal import Operation

BATCHES_PER_STEP = 10
"""Batches one ``planned`` step covers (as the archive's journal)."""


def fingerprint(bodies: Sequence[dict[str, Any]]) -> str:
    """What identifies a write's items: the hash of their bodies, in order."""
    data = json.dumps(list(bodies), sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:32]


@dataclass
class Run:
    """A journaled write: its operation, and what an interrupted run of the same items
    left in doubt (indexes into the items)."""

    op: Operation
    resumed: Operation | None
    in_doubt: list[int]

    def planner(self, places: Sequence[int], batch_size: int) -> Callable[[int, list[Any]], None]:
        """A ``before_batch`` hook for items ``places`` (indexes into the whole list)
        sent ``batch_size`` a request: a ``planned`` step before every
        ``BATCHES_PER_STEP`` batches, written before the first of them goes out."""
        per_step = batch_size * BATCHES_PER_STEP

        def before(index: int, batch: list[Any]) -> None:
            if index % BATCHES_PER_STEP == 0:
                start = index * batch_size
                step = 1 + index // BATCHES_PER_STEP
                self.op.record(step, "planned", {"items": list(places[start : start + per_step])})

        return before

    def finish(self, outcomes: Sequence[Outcome]) -> None:
        """The ``sent`` step (the count of each result) and the operation's last status.
        Items whose batch timed out or got a 5xx and that the read-back did not find
        applied (result ``unknown``) may yet be applied: their count is the operation's
        ``unknown``, which ``doctor`` reports."""
        from collections import Counter

        counts = dict(Counter(o.result for o in outcomes))
        steps = [n for n, _, _ in self.op.entries()]
        self.op.record((max(steps) if steps else 0) + 1, "sent", dict(counts))
        failed = counts.get("failed", 0)
        self.op.update(
            status="partial" if failed else "done",
            failed=failed,
            unknown=counts.get("unknown", 0),
        )


def settle_unknown(
    sent: Sequence[Any],
    result: Any,
    notes: list[tuple[str, str]],
    applied: Callable[[list[int]], list[bool]],
    what: str,
) -> None:
    """Read back the items of ``sent`` (as sent, ``notes`` their outcomes from Ozon's
    answer) whose batch timed out, lost its connection or got a 5xx
    (``WriteOutcomeUnknown``): ``applied`` (places into ``sent``) tells whether Ozon has
    each now. As the archive does (:func:`ozonctl.domain.archiving.read_back`), a batch whose answer
    was lost is read again every second for up to ``IN_FLIGHT_MARGIN`` seconds. Applied
    items become ``updated``, the others ``unknown`` -- never ``failed``, never resent."""
    from ozonctl.client.errors import WriteOutcomeUnknown
    from ozonctl.domain import archiving

    lost = [
        item for item, err in getattr(result, "failed", ()) if isinstance(err, WriteOutcomeUnknown)
    ]
    if not lost:
        return
    wait = any(archiving.answer_lost(err) for _, err in result.failed)
    places = [i for i, item in enumerate(sent) if item in lost]
    until = time.monotonic() + archiving.IN_FLIGHT_MARGIN if wait else 0.0

    def seen(pending: list[int]) -> set[int]:
        return {i for i, hit in zip(pending, applied(pending), strict=True) if hit}

    try:
        landed = archiving.read_back(seen, places, until)
    except OzonctlError:  # the read-back failed too: still unknown, not failed
        landed = set()
    for i in places:
        notes[i] = (
            ("updated", "read back: applied though the answer was lost")
            if i in landed
            else (
                "unknown",
                f"no answer ({notes[i][1]}); it may yet be applied: check with {what} "
                "before sending again",
            )
        )


def begin(
    ctx: AppContext, kind: str, bodies: Sequence[dict[str, Any]], *, writes: str, **meta: Any
) -> Run:
    """Start the journal of a write of ``bodies`` to endpoint ``writes`` (call it under the
    state lock; the key's roles are judged first), resuming the newest interrupted run of
    the same items if there is one."""
    ctx.check_roles(writes)
    journal = ctx.journal("listing")
    mark = fingerprint(bodies)
    previous = None
    for op in reversed(journal.all()):
        if op.header.get("kind") == kind and op.header.get("fingerprint") == mark:
            previous = op if op.status == "running" else None
            break
    doubt: set[int] = set()
    if previous is not None:
        for _, name, data in previous.entries():
            if name == "planned":
                doubt.update(int(i) for i in data.get("items", []) if 0 <= int(i) < len(bodies))
    op = journal.new(
        kind,
        fingerprint=mark,
        items=len(bodies),
        resumes=previous.ref if previous else "",
        **meta,
    )
    if previous is not None:
        previous.update(status="resumed", resumed_by=op.ref)
    return Run(op, previous, sorted(doubt))
