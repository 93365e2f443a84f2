"""Journaled bulk writes for promotion join, leave and rejoin: the journal's layout, what
a run did, Ozon's answers as per-product outcomes, and the sending loop. Takes a client,
an operation and plain values; the commands (``ozonctl.commands.promo``) parse, open the
operation (``common.new_op``), show progress and render the result (``common.report``).

Layout of one operation in the profile's ``journal/promo/<ref>/``:

- ``op.toml``: kind (``join``, ``leave``, ``rejoin``), promotion, method, selection key,
  status (``running`` → ``done`` | ``partial`` | ``failed``; ``undone`` after a rejoin,
  ``abandoned`` when a new leave replaced an interrupted one) and counts.
- step 0 ``snapshot``: every product's state before anything was sent (action price and
  stock in the promotion, regular price, offer id, SKU, name).
- step k ``planned`` (the ids of batch k and when it was sent, written before it is
  sent) and ``done`` (what Ozon answered for each id, written as the batch finishes).

A run killed between the two leaves a ``planned`` without ``done``, and a request that
timed out or got a 5xx is ``done`` with the outcome ``unknown``: either way those
products' outcome is unknown. Whoever reads the journal next (a rerun, a rejoin, a new
leave) first waits until such a request is surely over at Ozon (:func:`wait_out`: the
request timeout and a margin after it was sent), then re-reads the promotion to learn
it, and never sends a write Ozon may still be applying. ``op.toml`` keeps ``unknown``,
the number of products whose outcome is not known yet (``doctor`` lists such
operations), set to 0 when a later run has read their state.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ozonctl.client.batching import BatchOutcome, BatchReport
    from ozonctl.client.client import OzonClient
    from ozonctl.client.models.promos import Action, UpdateProductsResult
    from ozonctl.state.journal import Journal, Operation

OK = frozenset({"left", "joined", "not_in_promotion", "already_in"})
"""Outcomes that leave the product where the seller wanted it."""
FAILED = frozenset({"rejected", "unknown", "failed", "not_found", "not_sent"})

IN_FLIGHT_MARGIN = 5.0
"""Seconds added to the request timeout before a request whose answer was lost is surely
over at Ozon."""

now: Callable[[], float] = time.time
sleep: Callable[[float], None] = time.sleep
"""The clock and the wait of :func:`wait_out` (tests replace them)."""


@dataclass(frozen=True, slots=True)
class Outcome:
    status: str
    reason: str = ""


# --- snapshots ---------------------------------------------------------------------------


def snap(row: dict[str, Any]) -> dict[str, Any]:
    """A product row as the snapshot keeps it (money as exact strings)."""
    return {
        "id": int(row["product_id"]),
        "sku": int(row.get("sku") or 0),
        "offer_id": str(row.get("offer_id") or ""),
        "name": str(row.get("name") or ""),
        "price": _s(row.get("price")),
        "action_price": _s(row.get("action_price")),
        "max_action_price": _s(row.get("max_action_price")),
        "stock": int(row.get("action_stock") or 0),
    }


def _s(value: Any) -> str:
    return "" if value is None else str(value)


class SnapshotText:
    """The snapshot file's TOML, made a product at a time ahead of the write: a leave
    adds each product as its page comes (the walk waits on Ozon meanwhile), so the
    snapshot of 5,000 products is not rendered between the last page and the first
    write. A product :meth:`toml` gets with other values than it was added with, or
    never added, is rendered then. Items are :func:`snap`'s: flat, plain values."""

    def __init__(self) -> None:
        self._made: dict[tuple[tuple[str, Any], ...], str] = {}

    def add(self, item: dict[str, Any]) -> None:
        key = _key(item)
        if key not in self._made:
            self._made[key] = _table(item)

    def toml(self, items: Sequence[dict[str, Any]]) -> str:
        """The file of ``{"products": items}``, as ``tomllib`` reads it back."""
        if not items:
            return "products = []\n"
        made = self._made
        return "\n".join(made.get(_key(it)) or _table(it) for it in items)


def _key(item: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    if not all(type(v) in (str, int, bool) for v in item.values()):
        raise ValueError(f"a snapshot item holds plain values only: {item!r}")
    return tuple(item.items())


def _table(item: dict[str, Any]) -> str:
    import tomli_w

    return "[[products]]\n" + tomli_w.dumps(item)


def record_snapshot(
    op: Operation, items: Sequence[dict[str, Any]], made: SnapshotText | None = None
) -> None:
    """Step 0, the snapshot of ``items``, with what ``made`` rendered of it ahead."""
    text = (made or SnapshotText()).toml(items)
    op.record_text(0, "snapshot", {"products": list(items)}, text)


def dec(value: Any) -> Decimal | None:
    return Decimal(value) if value not in (None, "") else None


def result_row(item: dict[str, Any], outcome: Outcome | None) -> dict[str, Any]:
    """A snapshot item with what became of it."""
    return {
        "product_id": item["id"],
        "offer_id": item.get("offer_id", ""),
        "sku": item.get("sku") or None,
        "name": item.get("name", ""),
        "status": outcome.status if outcome else "not_sent",
        "reason": outcome.reason if outcome else "not sent (the run stopped before it)",
        "action_price": dec(item.get("action_price")),
        "price": dec(item.get("price")),
        "stock": item.get("stock", 0),
    }


# --- reading an operation back --------------------------------------------------------------


@dataclass
class OpState:
    op: Operation
    snapshot: list[dict[str, Any]]
    outcomes: dict[int, Outcome]
    pending: list[int]
    """Sent (planned) but never answered: the run was killed."""
    next_step: int
    in_doubt_since: float | None = None
    """When the last request whose outcome is not known (``pending`` or ``unknown``) was
    sent (epoch seconds); None when there is none."""

    @property
    def by_id(self) -> dict[int, dict[str, Any]]:
        return {int(s["id"]): s for s in self.snapshot}

    @property
    def unsure(self) -> set[int]:
        """Products whose write may or may not have run: never answered, or answered by a
        timeout or a 5xx."""
        return set(self.pending) | {i for i, o in self.outcomes.items() if o.status == "unknown"}

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes.values() if o.status == status)


def read_op(op: Operation) -> OpState:
    snapshot: list[dict[str, Any]] = []
    outcomes: dict[int, Outcome] = {}
    planned: dict[int, tuple[list[int], float]] = {}
    answered: set[int] = set()
    doubtful: list[int] = []  # steps answered "unknown"
    last = 0
    for step, name, data in op.entries():
        last = max(last, step)
        if name == "snapshot":
            snapshot = list(data.get("products") or [])
        elif name == "planned":
            planned[step] = ([int(i) for i in data.get("ids") or []], _sent_at(op, step, data))
        elif name in ("done", "checked"):
            answered.add(step)
            reasons = data.get("reasons") or {}
            for status, ids in (data.get("outcomes") or {}).items():
                if status == "unknown" and ids:
                    doubtful.append(step)
                for i in ids:
                    outcomes[int(i)] = Outcome(status, str(reasons.get(str(i), "")))
    pending = [
        i
        for step, (ids, _) in sorted(planned.items())
        if step not in answered
        for i in ids
        if i not in outcomes  # a later batch or check may have settled it
    ]
    times = [at for step, (_, at) in planned.items() if step not in answered or step in doubtful]
    return OpState(op, snapshot, outcomes, pending, last + 1, max(times, default=None))


def _sent_at(op: Operation, step: int, data: dict[str, Any]) -> float:
    """When a planned batch was sent: its ``at``, or (journals written before ``at``
    existed) when its step file was written."""
    at = data.get("at")
    if isinstance(at, int | float):
        return float(at)
    try:
        return (op.folder / f"{step:05d}-planned.toml").stat().st_mtime
    except OSError:
        return now()


def wait_out(
    ops: Iterable[Operation], *, timeout: float, say: Callable[[str], None] | None = None
) -> None:
    """Wait until every write of ``ops`` whose outcome is not known is surely over at
    Ozon (sent more than the request ``timeout`` and a margin ago), so that what is read
    next is what Ozon applied and nothing it may still be applying is sent again; ``say``
    tells the user how long."""
    window = timeout + IN_FLIGHT_MARGIN
    latest, refs = 0.0, []
    for state in _recent(ops, window):
        if state.in_doubt_since is not None and state.in_doubt_since + window > now():
            latest = max(latest, state.in_doubt_since + window)
            refs.append(state.op.ref)
    remaining = latest - now()
    if remaining > 0:
        if say is not None:
            say(
                f"waiting {remaining:.0f} s: requests of {', '.join(refs)} may still be "
                "running at Ozon; their products are read back after that"
            )
        sleep(remaining)


def _recent(ops: Iterable[Operation], window: float) -> Iterator[OpState]:
    """The states of the operations written to within ``window`` seconds (the folder's
    time changes with every step written: older ones need no reading)."""
    for op in ops:
        try:
            changed = op.folder.stat().st_mtime
        except OSError:
            continue
        if time.time() - changed < window:
            yield read_op(op)


def settle(state: OpState, current: set[int]) -> None:
    """Record what became of the products of ``state`` whose outcome was unknown, from
    ``current`` (the ids in the promotion now, read after :func:`wait_out`): out of it
    ``left``, still in it ``rejected``; the operation then has no unknown outcome."""
    unsure = state.unsure
    if not unsure:
        return
    found = {
        i: Outcome("left", "out of the promotion when read back")
        if i not in current
        else Outcome("rejected", "still in the promotion when read back")
        for i in sorted(unsure)
    }
    op = state.op
    op.record(state.next_step, "checked", outcome_record(found))
    settled = read_op(op)
    counts: dict[str, int] = {}
    for o in settled.outcomes.values():
        counts[o.status] = counts.get(o.status, 0) + 1
    op.update(unknown=0, counts=counts)


def still_in(
    remaining: list[dict[str, Any]], current: set[int]
) -> tuple[list[dict[str, Any]], dict[int, Outcome]]:
    """Where the products a killed leave had still to do (``remaining``) are now
    (``current``: the ids in the promotion, read after :func:`wait_out`): those still in
    it, to send, and the ``left`` outcomes of those out of it."""
    gone = {
        int(it["id"]): Outcome("left", "out of the promotion when the leave was resumed")
        for it in remaining
        if int(it["id"]) not in current
    }
    return [it for it in remaining if int(it["id"]) in current], gone


def record_checked(op: Operation, step: int, found: dict[int, Outcome]) -> int:
    """Record ``found`` (outcomes read back from Ozon) at ``step`` unless there is none;
    the next free step."""
    if not found:
        return step
    op.record(step, "checked", outcome_record(found))
    return step + 1


def outcome_record(outcomes: dict[int, Outcome], **extra: Any) -> dict[str, Any]:
    grouped: dict[str, list[int]] = {}
    reasons: dict[str, str] = {}
    for pid, o in outcomes.items():
        grouped.setdefault(o.status, []).append(pid)
        if o.reason:
            reasons[str(pid)] = o.reason
    return {"outcomes": grouped, "reasons": reasons, **extra}


# --- reading Ozon's answers ------------------------------------------------------------------


def from_deactivate(
    ids: Sequence[int], removed_ids: Sequence[int], why_not: str
) -> dict[int, Outcome]:
    """Deactivate names only the ids it removed; the rest were not removed."""
    removed = set(removed_ids)
    return {i: Outcome("left") if i in removed else Outcome("rejected", why_not) for i in ids}


def from_update(
    ids: Sequence[int], resp: UpdateProductsResult, *, leaving: bool
) -> dict[int, Outcome]:
    """Trust the answer: ``deactivated_product_ids`` and ``warnings`` are out of the
    promotion, ``active_product_ids`` are in it, ``rejected`` were not changed."""
    out: dict[int, Outcome] = {}
    rejected = {r.product_id: r.reason for r in resp.rejected}
    warned = {w.product_id: w.reason for w in resp.warnings}
    active, gone = set(resp.active_product_ids), set(resp.deactivated_product_ids)
    for i in ids:
        if i in rejected:
            out[i] = Outcome("rejected", rejected[i] or "rejected by Ozon (no reason given)")
        elif leaving:
            if i in gone or i in warned:
                out[i] = Outcome("left", warned.get(i, ""))
            elif i in active:
                out[i] = Outcome("rejected", "Ozon kept it in the promotion at the new price")
            else:
                out[i] = Outcome("rejected", "Ozon's answer does not mention it")
        elif i in active:
            out[i] = Outcome("joined", warned.get(i, ""))
        elif i in gone or i in warned:
            out[i] = Outcome("rejected", warned.get(i) or "Ozon took it out of the promotion")
        else:
            out[i] = Outcome("rejected", "Ozon's answer does not mention it")
    return out


def from_error(ids: Sequence[int], error: Exception) -> dict[int, Outcome]:
    from ozonctl.client.errors import WriteOutcomeUnknown

    if isinstance(error, WriteOutcomeUnknown):
        reason = "the request may or may not have run; check with `ozonctl promo products`"
        return {i: Outcome("unknown", reason) for i in ids}
    message = getattr(error, "message", str(error))
    return {i: Outcome("failed", f"request refused: {message}") for i in ids}


# --- sending ---------------------------------------------------------------------------------

Send = Callable[
    [
        Callable[[int, list[Any]], None],
        Callable[["BatchOutcome[Any]"], None],
    ],
    "BatchReport[Any]",
]
Interpret = Callable[[list[Any], Any], dict[int, Outcome]]


def run_journaled(
    op: Operation,
    *,
    first_step: int,
    item_id: Callable[[Any], int],
    send: Send,
    interpret: Interpret,
    advance: Callable[[int], object] | None = None,
) -> int:
    """Send the batches (``send(before_batch, on_done)``), writing ``planned`` before and
    ``done`` after each (``advance(n)`` after each batch of n: the caller's progress);
    return the number of requests sent. Batches an authentication failure kept from being
    sent stay unrecorded: their products show as ``not_sent``."""

    def before(index: int, batch: list[Any]) -> None:
        ids = [item_id(x) for x in batch]
        op.record(first_step + index, "planned", {"ids": ids, "at": now()})

    def done(result: BatchOutcome[Any]) -> None:
        ids = [item_id(x) for x in result.items]
        if result.error is not None:
            got = from_error(ids, result.error)
            extra = {"error": str(result.error)}
        else:
            got = interpret(ids, result.response)
            extra = {}
        op.record(first_step + result.index, "done", outcome_record(got, **extra))
        if advance is not None:
            advance(len(ids))

    return send(before, done).requests


def send_updates(
    client: OzonClient,
    action: Action,
    op: Operation,
    items: list[dict[str, Any]],
    *,
    first_step: int,
    price: Callable[[dict[str, Any]], Decimal],
    leaving: bool,
    advance: Callable[[int], object] | None = None,
) -> int:
    """``/v1/actions/products/update`` for snapshot items at ``price(item)``, with the
    item's stock in promo-code promotions only."""
    from ozonctl.client.models.common import MoneyOut
    from ozonctl.client.models.promos import ProductUpdate

    updates = [
        ProductUpdate(
            product_id=int(it["id"]),
            action_price=MoneyOut(amount=price(it)),
            stock=int(it.get("stock") or 0) if action.is_voucher_action else None,
        )
        for it in items
    ]
    return run_journaled(
        op,
        first_step=first_step,
        item_id=lambda u: int(u.product_id),
        send=lambda before, done: client.promos.update_products(
            action.id, updates, before_batch=before, on_done=done
        ),
        interpret=lambda batch, resp: from_update(batch, resp, leaving=leaving),
        advance=advance,
    )


def finish(op: Operation, statuses: Iterable[str], **extra: Any) -> str:
    """Close the operation: ``done`` (every product where wanted), ``partial`` or
    ``failed`` (none), with the count of each result."""
    counts: dict[str, int] = {}
    for s in statuses:
        counts[s] = counts.get(s, 0) + 1
    good = sum(n for s, n in counts.items() if s in OK)
    bad = sum(n for s, n in counts.items() if s not in OK)
    status = "done" if not bad else ("partial" if good else "failed")
    op.update(status=status, counts=counts, **extra)
    return status


# --- finding operations -------------------------------------------------------------------------


def ordered(journal: Journal) -> list[Operation]:
    """Every operation, oldest first."""
    return sorted(
        journal.all(), key=lambda o: (str(o.header.get("created", "")), o.header.get("seq", 0))
    )


def ops_of(journal: Journal, action_id: int, kinds: Iterable[str]) -> list[Operation]:
    want = set(kinds)
    return [
        o
        for o in ordered(journal)
        if o.header.get("kind") in want and int(o.header.get("action_id", -1)) == action_id
    ]


def interrupted_leave(journal: Journal, action_id: int) -> Operation | None:
    """The newest leave of this promotion that never finished (killed mid-run). Callers
    hold the state lock, so no live run can own it."""
    for op in reversed(ops_of(journal, action_id, ["leave"])):
        if op.status == "running":
            return op
    return None
