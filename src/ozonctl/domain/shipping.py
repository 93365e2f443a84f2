"""Shipping many postings, each at most once: the journal and outcomes of a bulk
``order ship`` (``--from-file`` or several posting numbers).

A run is one journal operation (kind ``ship``, in the ``order`` journal) and posting
``k`` of it is step ``k``: ``sending`` is written before its request goes out, then
``sent`` (Ozon answered), ``failed`` (Ozon refused: it did not run) or ``unknown`` (the
answer was lost: a timeout, a 5xx, a dropped connection). A run killed mid-request leaves
``sending`` alone. A step without ``sent``, ``failed`` or ``settled`` is *open*.

Before a later run sends a posting with an open step, the posting as Ozon shows it now
settles it (``settled``): shipped — the earlier request went through, nothing is sent;
``ship_failed`` — Ozon asks to ship again, so it is sent; cancelled — nothing to send;
otherwise the earlier request may still be on its way and the posting is not sent
(``unknown``) unless the user checked and asked for it (``retry_unknown``).

A 200 from ``/v4/posting/fbs/ship`` does not mean shipped: every posting is re-read
after the sends and judged by its status and substatus (:func:`outcome_of`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ozonctl.client import OzonClient
    from ozonctl.client.models.postings import Posting
    from ozonctl.state.journal import Journal, Operation

KIND = "ship"
CLOSED = frozenset({"sent", "failed", "settled"})
SHIPPED_STATUSES = frozenset(
    {"awaiting_deliver", "delivering", "driver_pickup", "delivered", "sent_by_seller"}
)
SUCCESS = frozenset({"shipped", "already_shipped"})
"""Outcomes that are not a failure (exit 0 when every posting has one)."""


def outcome_of(p: Posting) -> str:
    """``shipped``, ``ship_failed``, ``cancelled`` or ``pending`` (not packed yet)."""
    from ozonctl.client.models.postings import SHIP_FAILED

    if p.substatus == SHIP_FAILED:
        return "ship_failed"
    if p.status in SHIPPED_STATUSES:
        return "shipped"
    if p.status == "cancelled":
        return "cancelled"
    return "pending"


@dataclass(slots=True)
class Item:
    """One posting of the run: what is known of it and what became of it."""

    posting_number: str
    before: Posting | None = None
    outcome: str = ""
    """Set when decided: ``shipped``, ``already_shipped``, ``ship_failed``, ``cancelled``,
    ``pending``, ``not_shippable``, ``failed``, ``unknown``, ``would_ship``."""
    note: str = ""
    status: str = ""
    substatus: str = ""
    earlier: list[tuple[Operation, int]] = field(default_factory=list)
    """Open steps of earlier runs for this posting."""

    @property
    def to_send(self) -> bool:
        return not self.outcome

    def row(self) -> dict[str, Any]:
        products = self.before.products if self.before is not None else []
        return {
            "posting_number": self.posting_number,
            "status": self.status,
            "substatus": self.substatus,
            "outcome": self.outcome,
            "products": ",".join(f"{p.sku}:{p.quantity}" for p in products),
            "note": self.note,
        }


def open_steps(journal: Journal) -> dict[str, list[tuple[Operation, int]]]:
    """Posting number -> the open steps of earlier ship runs (only runs not yet settled
    are read: ``running``, killed, or ``unknown``)."""
    found: dict[str, list[tuple[Operation, int]]] = {}
    for op in journal.all():
        if op.header.get("kind") != KIND or op.status == "done":
            continue
        names: dict[int, set[str]] = {}
        numbers: dict[int, str] = {}
        for step, name, data in op.entries():
            names.setdefault(step, set()).add(name)
            if name == "sending":
                numbers[step] = str(data.get("posting_number", ""))
        for step, posting in numbers.items():
            if not names[step] & CLOSED:
                found.setdefault(posting, []).append((op, step))
    return found


def _close_done(ops: Iterable[Operation]) -> None:
    """Mark runs whose every step is closed as done."""
    for op in {id(o): o for o in ops}.values():
        steps: dict[int, set[str]] = {}
        for step, name, _ in op.entries():
            steps.setdefault(step, set()).add(name)
        if all(names & CLOSED for names in steps.values()):
            op.update(status="done")


def judge(
    item: Item, now: Posting | None, error: str, retry_unknown: bool, *, settle: bool = True
) -> None:
    """Decide from the posting as read now whether it is sent (``outcome`` left empty),
    settling earlier open steps on the way (not with ``settle=False``: a dry run)."""
    if now is None:
        item.outcome, item.note = "failed", error or "not found"
        return
    item.before, item.status, item.substatus = now, now.status, now.substatus
    current = outcome_of(now)
    settled = ""
    if current == "shipped":
        item.outcome = "already_shipped"
        settled = "shipped"
        if item.earlier:
            item.note = "an earlier run's ship went through"
    elif current == "cancelled":
        item.outcome, item.note, settled = "cancelled", "the posting is cancelled", "cancelled"
    elif now.status != "awaiting_packaging":
        item.outcome = "not_shippable"
        item.note = f"status {now.status}, not awaiting_packaging"
    elif current == "ship_failed":
        settled = "ship_failed"  # Ozon asks to ship it again
    elif item.earlier and not retry_unknown:
        item.outcome = "unknown"
        item.note = (
            f"an earlier ship ({item.earlier[-1][0].ref}) may still be on its way; not sent "
            "again — check with `ozonctl order show`, then rerun with --retry-unknown"
        )
        return
    elif item.earlier:
        settled = "abandoned"
    if not settle:
        return
    for op, step in item.earlier:
        op.record(step, "settled", {"posting_number": item.posting_number, "as": settled})
    _close_done(op for op, _ in item.earlier)


def claimed_meanwhile(journal: Journal, items: Sequence[Item]) -> None:
    """Under the lock, just before sending: an item another run started to ship since
    it was judged is not sent (``unknown``)."""
    now_open = open_steps(journal)
    for item in items:
        if item.to_send and len(now_open.get(item.posting_number, [])) > len(item.earlier):
            item.outcome = "unknown"
            item.note = "another ozonctl run started shipping it meanwhile; not sent"


def send(
    client: OzonClient,
    journal: Journal,
    items: Sequence[Item],
    *,
    meta: dict[str, Any],
    advance: Callable[[int], None] = lambda _n: None,
    workers: int = 4,
) -> Operation:
    """Journal, then send each item still to send, one request a posting, each step on
    disk before its request goes out (the caller holds the state lock); the run's
    operation. Outcomes are set by :func:`reread`."""
    from ozonctl.client.errors import APIError, WriteOutcomeUnknown
    from ozonctl.client.models.postings import ShipPackage, ShipProduct
    from ozonctl.concurrency import ordered_map

    todo = [i for i in items if i.to_send]
    op = journal.new(KIND, postings=len(todo), **meta)

    def one(job: tuple[int, Item]) -> None:
        step, item = job
        assert item.before is not None
        have: dict[int, int] = {}
        for p in item.before.products:
            have[p.sku] = have.get(p.sku, 0) + p.quantity
        package = ShipPackage(
            products=[ShipProduct(product_id=s, quantity=q) for s, q in have.items()]
        )
        number = {"posting_number": item.posting_number}
        op.record(step, "sending", number)
        try:
            client.postings.ship(item.posting_number, [package])
        except WriteOutcomeUnknown as exc:
            op.record(step, "unknown", number)
            item.note = exc.message
        except APIError as exc:
            op.record(step, "failed", {**number, "error": str(exc)})
            item.outcome, item.note = "failed", str(exc).splitlines()[0]
        else:
            op.record(step, "sent", number)

    # a few postings at once: the journal's writes (each on disk before the next step)
    # overlap, and the client's limiter keeps to Ozon's rate
    for _ in ordered_map(one, list(enumerate(todo, start=1)), workers=workers):
        advance(1)
    return op


def reread(client: OzonClient, op: Operation, items: Sequence[Item], *, workers: int = 4) -> None:
    """Re-read every posting sent and set its outcome; a lost answer whose effect shows
    is settled in the journal, one that does not stays ``unknown``."""
    sent = [i for i in items if i.to_send]
    steps = {
        str(data.get("posting_number")): step
        for step, name, data in op.entries()
        if name == "unknown"
    }
    numbers = [i.posting_number for i in sent]
    for item, (_, now, why) in zip(sent, read_all(client, numbers, workers=workers), strict=True):
        lost = item.posting_number in steps
        if now is None:
            item.outcome = "unknown" if lost else "pending"
            item.note = f"could not re-read it: {why}"
            continue
        item.status, item.substatus = now.status, now.substatus
        item.outcome = outcome_of(now)
        if lost and item.outcome in ("shipped", "ship_failed"):
            op.record(steps[item.posting_number], "settled", {"as": item.outcome})
            item.note = "Ozon's answer was lost; the re-read shows it " + (
                "shipped" if item.outcome == "shipped" else "failed (ship_failed)"
            )
        elif lost:
            item.outcome = "unknown"
            item.note = (
                f"{item.note}; Ozon shows {now.status} — not sent again (check with "
                "`ozonctl order show`, then rerun with --retry-unknown)"
            )
    _close_done([op])
    if op.status != "done":
        op.update(status="unknown")


WALK_FROM = 10
"""From this many postings on, they are read from the walk of the unfulfilled list (100
a request) before one request each for those it does not hold."""
WINDOW = dt.timedelta(days=180)


def read_all(
    client: OzonClient, numbers: Sequence[str], *, workers: int = 4
) -> Iterator[tuple[str, Posting | None, str]]:
    """(number, posting or None, why not) for each of ``numbers``, in order.

    Many postings are read from ``/v4/posting/fbs/unfulfilled/list`` (ship-by 180 days
    back to 180 ahead), at most about two pages per 100 postings asked, so a shop with
    thousands of open postings is not walked for a few; the rest one at a time
    (``/v3/posting/fbs/get``). Not found is ``None`` with the reason."""
    from ozonctl.client.errors import APIStatusError, NotFoundError
    from ozonctl.concurrency import ordered_map

    found: dict[str, Posting] = {}
    if len(numbers) >= WALK_FROM:
        wanted = set(numbers)
        now = dt.datetime.now(dt.UTC)
        budget = (len(numbers) // 50 + 2) * 100
        for seen, p in enumerate(client.postings.fbs_unfulfilled(now - WINDOW, now + WINDOW)):
            if p.posting_number in wanted:
                found[p.posting_number] = p
            if len(found) == len(wanted) or seen + 1 >= budget:
                break

    def one(number: str) -> tuple[Posting | None, str]:
        if number in found:
            return found[number], ""
        try:
            return client.postings.fbs_get(number), ""
        except NotFoundError:
            return None, "Ozon has no such FBS/rFBS posting"
        except APIStatusError as exc:
            if exc.status != 400:
                raise
            return None, str(exc).splitlines()[0]

    for number, (posting, why) in zip(
        numbers, ordered_map(one, numbers, workers=workers), strict=True
    ):
        yield number, posting, why


def counts(items: Iterable[Item]) -> dict[str, int]:
    out: dict[str, int] = {}
    for item in items:
        out[item.outcome] = out.get(item.outcome, 0) + 1
    return out
