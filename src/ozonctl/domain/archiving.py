"""Archive or unarchive products with a journal and a per-item outcome.

Ozon answers ``{result: bool}`` per batch of 100, so every run:
1. reads each product's card (``/v3/product/info/list``, 1000 a request, side by side:
   :mod:`ozonctl.domain.archive_cards`) and leaves out the products already in the
   wanted state; an archive holds back products with units reserved for unfulfilled
   postings (archiving would strand the order) unless ``allow_reserved``;
2. an archive records how many promotions each product is in (``/v5/product/info/prices``,
   1000 a request: Ozon takes an archived product out of them, ``listing restore`` names
   them); with ``zero_stock``, it sets their FBS stock to 0 first, the stock before
   recorded per warehouse so ``listing restore`` can put it back;
3. writes a durable ``planned`` journal step before every ``BATCHES_PER_STEP`` (10)
   batches are sent, and one ``sent`` step with Ozon's answers after the last. A plain
   archive is a pipeline: the promotions and the ``planned`` step of each 1000 products
   are written, and their batches sent, while the next cards and promotions are read;
4. writes a ``verified`` step: the products of every batch Ozon answered ``result: true``
   are done (no extra request); the products of a batch that failed, answered anything
   else or whose outcome is unknown (timeout, 5xx) are read back from their cards'
   ``is_archived`` -- never sent again. (Not from ``/v3/product/list`` filtered by
   visibility: Ozon returns every product an id filter names, whatever its visibility.)
   A request that timed out or lost its connection may still be running at Ozon: its
   products are read again until they show the change or ``IN_FLIGHT_MARGIN`` passed.
   With ``verify_all`` (``--verify``) every product is read back.

``settle`` finishes the bookkeeping of a run that was killed (kill -9, Ctrl-C, a full
disk): the products of its batches planned but not verified are read back, after the
requests that may still be in flight had time to end, and recorded; the run is then
marked ``interrupted``, and the rerun sends only what is not done.

Takes a client, a journal operation and plain values (no CLI context): the commands of
``ozonctl.commands.listing`` resolve products, confirm and render. What ``listing
restore`` puts back is :mod:`ozonctl.domain.archive_restore`.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import TYPE_CHECKING, Any, TypeVar

from ozonctl.client import endpoints
from ozonctl.domain.archive_cards import Sorting, State, read_state, read_states
from ozonctl.domain.product_outcome import Outcome

if TYPE_CHECKING:
    from ozonctl.catalog.index import CatalogEntry
    from ozonctl.client.batching import BatchOutcome
    from ozonctl.client.client import OzonClient
    from ozonctl.state.journal import Journal, Operation

UNARCHIVE_ERRORS = {
    "restore limit exceeded": "Ozon restores at most 100 auto-archived products a day "
    "(the count resets at 03:00 Moscow time); run again tomorrow",
    "total limit exceeded": "the shop's assortment limit is reached; see Ozon's product "
    "limit (/v4/product/info/limit) and archive or delete other products first",
    "autoarchive_restore_failed": "Ozon could not restore this auto-archived product; "
    "check its card in the seller account",
}
AUTO_RESTORE_PER_DAY = 100
IN_FLIGHT_MARGIN = 5.0
"""Seconds a request whose answer was lost may still take at Ozon (after the client's
timeout for a killed run): products are read back until then before being called failed."""
POLL_S = 1.0
"""Seconds between two read-backs while waiting for in-flight requests."""
FBS_SOURCES = frozenset({"fbs", "rfbs"})
ARCHIVING_KINDS = {"archive": True, "delist-stale": True, "unarchive": False, "restore": False}
"""Journal kinds of archive runs, and whether they archive (else unarchive)."""
NOT_SENT = "not sent: an authentication error stopped the run"

T = TypeVar("T")

sleep: Callable[[float], None] = time.sleep
"""Waiting for in-flight requests (tests replace it)."""


def explain(error: Exception | str | None) -> str:
    text = str(error) if error else ""
    low = text.lower()
    for key, meaning in UNARCHIVE_ERRORS.items():
        if key in low:
            return f"{key}: {meaning}"
    return text.splitlines()[0][:300] if text else ""


def next_step(op: Operation) -> int:
    entries = op.entries()
    return (max(n for n, _, _ in entries) + 1) if entries else 1


def change_archived(
    client: OzonClient,
    entries: Sequence[CatalogEntry],
    *,
    archive: bool,
    op: Operation,
    zero_stock: bool = False,
    warn: Any = None,
    verify_all: bool = False,
    allow_reserved: bool = False,
    stale: list[CatalogEntry] | None = None,
) -> list[Outcome]:
    """Archive (or unarchive) ``entries``; one outcome per entry, in input order.
    ``stale``: a list that receives the entries Ozon does not know or knows by another
    offer id than the index (they are not sent; their outcome says why).

    A plain archive is a pipeline, so that Ozon's rate is spent from the first request
    to the last: the cards are read 1000 at a time side by side; each 1000 products to
    archive have their promotions read and journalled and their ``planned`` step written
    before their 10 batches are sent, while the next cards and promotions are read.
    Unarchive (manually archived products first) and ``zero_stock`` (one stock read and
    update) sort out every product before the first batch."""
    sorting = Sorting(archive, allow_reserved, stale)
    todo = (e for chunk, st in read_states(client, entries) for e in sorting.todo(chunk, st))
    per_step = (endpoints.get("product.archive").max_items or 100) * BATCHES_PER_STEP
    groups: Iterable[list[CatalogEntry]]
    if archive and not zero_stock:
        groups = _with_promotions(client, _groups(todo, per_step), op)
    else:
        everything = list(todo)
        if not archive:
            _unarchive_order(everything, sorting.cards, warn)
        if archive and everything:
            _record_promotions(client, everything, op)
        if zero_stock and archive and everything:
            everything = _zero_stock(client, everything, sorting.cards, op, sorting.outcomes)
        groups = _groups(iter(everything), per_step)
    _send(client, groups, archive=archive, op=op, outcomes=sorting.outcomes, verify_all=verify_all)
    if sorting.held:
        op.record(next_step(op), "held", {"reserved": sorting.held})
    return [sorting.outcomes.get(e.product_id) or Outcome(e, "failed", NOT_SENT) for e in entries]


def _unarchive_order(todo: list[CatalogEntry], state: dict[int, State], warn: Any) -> None:
    """Manually archived products first: Ozon's daily limit hits only auto-archived ones."""
    todo.sort(key=lambda e: state[e.product_id].is_autoarchived)
    auto = sum(state[e.product_id].is_autoarchived for e in todo)
    if auto > AUTO_RESTORE_PER_DAY and warn is not None:
        warn(
            f"{auto} of these products were archived by Ozon; it restores at most "
            f"{AUTO_RESTORE_PER_DAY} such products a day"
        )


def _groups(todo: Iterator[CatalogEntry], size: int) -> Iterator[list[CatalogEntry]]:
    while group := list(islice(todo, size)):
        yield group


def stock_notes(result: Any) -> dict[int, str]:
    """Per product, why its stock update failed (absent: every pair went through)."""
    bad: dict[int, str] = {}
    for r in result.results:
        if not r.updated:
            bad[r.product_id] = "; ".join(e.text() for e in r.errors) or "not updated"
    for u, err in result.failed:
        bad[u.product_id] = str(err)
    for u in result.not_sent:
        bad[u.product_id] = "not sent"
    return bad


def _zero_stock(
    client: OzonClient,
    todo: list[CatalogEntry],
    state: dict[int, State],
    op: Operation,
    outcomes: dict[int, Outcome],
) -> list[CatalogEntry]:
    from ozonctl.client.models.products import StockUpdate

    with_stock = [e for e in todo if state[e.product_id].fbs_present > 0 and e.sku]
    if not with_stock:
        return todo
    rows = [
        w
        for w in client.products.stocks_by_warehouse(skus=[e.sku for e in with_stock])
        if w.present > 0
    ]
    # the stock before, per warehouse, for `listing restore` ([product, warehouse,
    # present, reserved]: Ozon's stock update takes the units not reserved)
    op.record(
        next_step(op),
        "zero-stock",
        {"before": [[w.product_id, w.warehouse_id, w.present, w.reserved] for w in rows]},
    )
    zeros = [
        StockUpdate(product_id=w.product_id, warehouse_id=w.warehouse_id, stock=0) for w in rows
    ]
    bad = stock_notes(client.products.set_stocks(zeros))
    kept = []
    for e in todo:
        if e.product_id in bad:
            outcomes[e.product_id] = Outcome(
                e, "failed", f"stock not set to 0, so not archived: {bad[e.product_id]}"
            )
        else:
            kept.append(e)
    return kept


def _record_promotions(client: OzonClient, todo: Sequence[CatalogEntry], op: Operation) -> None:
    """Write down how many promotions each product is in before it is archived (from
    ``/v5/product/info/prices``, 1000 a request): Ozon takes an archived product out of
    its promotions and does not put it back, so ``listing restore`` says which."""
    count = _promotions(client, todo)
    if count:
        op.record(next_step(op), "promotions", {"in": count})


def _promotions(client: OzonClient, todo: Sequence[CatalogEntry]) -> list[list[int]]:
    """``[product id, promotions it is in]`` for those of ``todo`` in any."""
    count: list[list[int]] = []
    for item in client.products.promotions(product_ids=[e.product_id for e in todo]):
        if item.marketing_actions is not None and item.marketing_actions.actions:
            count.append([item.product_id, len(item.marketing_actions.actions)])
    return count


def _with_promotions(
    client: OzonClient, groups: Iterator[list[CatalogEntry]], op: Operation
) -> Iterator[list[CatalogEntry]]:
    """Each group once its products' promotions are journalled (``_record_promotions``,
    one price read a group). The groups and their price reads are drawn ahead in threads
    of their own while the caller sends the groups before; the journal is written here,
    in the caller's thread."""
    from ozonctl.concurrency import read_ahead

    for group, count in read_ahead(lambda g: (g, _promotions(client, g)), groups, ahead=4):
        if count:
            op.record(next_step(op), "promotions", {"in": count})
        yield group


def answer_lost(error: Exception) -> bool:
    """A write sent whose answer was lost (timeout, dropped connection): it may still be
    running at Ozon."""
    from ozonctl.client.errors import WriteOutcomeUnknown

    cause = getattr(error, "cause", None)
    return isinstance(error, WriteOutcomeUnknown) and not hasattr(cause, "status")


@dataclass(slots=True)
class _Answers:
    """Ozon's answers to a run's batches, as they come in."""

    accepted: set[int] = field(default_factory=set)
    """Products of batches Ozon answered ``result: true``."""
    errors: dict[int, str] = field(default_factory=dict)
    unsure: set[int] = field(default_factory=set)
    """Products of batches whose outcome is unknown (timeout, 5xx)."""
    other: list[dict[str, Any]] = field(default_factory=list)
    in_flight_until: float = 0.0
    """Until when (``time.monotonic()``) a request whose answer was lost may still run."""

    def done(self, outcome: BatchOutcome[Any]) -> None:
        from ozonctl.client.errors import WriteOutcomeUnknown

        result = _result(outcome.response)
        if outcome.error is not None:
            for pid in outcome.items:
                self.errors[pid] = explain(outcome.error)
            self.other.append({"batch": outcome.index, "error": str(outcome.error)})
            if isinstance(outcome.error, WriteOutcomeUnknown):
                self.unsure.update(outcome.items)
            if answer_lost(outcome.error):
                self.in_flight_until = time.monotonic() + IN_FLIGHT_MARGIN
        elif result is True:
            self.accepted.update(outcome.items)
        else:
            self.other.append({"batch": outcome.index, "result": bool(result)})


def _send(
    client: OzonClient,
    groups: Iterable[list[CatalogEntry]],
    *,
    archive: bool,
    op: Operation,
    outcomes: dict[int, Outcome],
    verify_all: bool = False,
) -> None:
    """Send ``groups`` (each at most ``BATCHES_PER_STEP`` batches), a durable ``planned``
    step before each group's first batch, then record Ozon's answers and read back the
    products they leave in doubt. A read that fails while the groups are drawn (a card
    or price read of the pipeline) stops the sending: what was sent is recorded, then
    the error is raised."""
    from ozonctl.client.errors import APIError

    todo: list[CatalogEntry] = []
    failure: list[APIError] = []
    answers = _Answers()

    def planned() -> Iterator[int]:
        # drawn by the sender as it makes batches, in this thread: a group's step is
        # durable before any batch holding one of its products is sent
        try:
            for group in groups:
                pids = [e.product_id for e in group]
                op.record(next_step(op), "planned", _planned(pids))
                todo.extend(group)
                yield from pids
        except APIError as exc:
            failure.append(exc)

    send = client.products.archive if archive else client.products.unarchive
    report = send(planned(), on_done=answers.done)
    if todo:
        sent = {pid for o in report.outcomes for pid in o.items}
        answers.errors.update((e.product_id, NOT_SENT) for e in todo if e.product_id not in sent)
        # Ozon's answers (a run killed before this step is settled by reading back)
        op.record(
            next_step(op),
            "sent",
            {"batches": report.requests, "accepted": len(answers.accepted), "other": answers.other},
        )
        target = "archived" if archive else "unarchived"
        sure = [] if verify_all else [e for e in todo if e.product_id in answers.accepted]
        for e in sure:
            outcomes[e.product_id] = Outcome(e, target)
        if not verify_all:
            op.record(
                next_step(op),
                "verified",
                {target: [e.product_id for e in sure], "failed": [], "by": "answer"},
            )
        doubt = [e for e in todo if verify_all or e.product_id not in answers.accepted]
        if doubt:
            verify(
                client,
                doubt,
                archive=archive,
                op=op,
                outcomes=outcomes,
                errors=answers.errors,
                wait_until=answers.in_flight_until,
                unsure=answers.unsure,
            )
    if failure:
        raise failure[0]


def read_back(read: Callable[[list[T]], set[T]], items: Sequence[T], wait_until: float) -> set[T]:
    """The ``items`` that ``read`` (one read-back of Ozon's state) finds changed; until
    ``wait_until`` (``time.monotonic()``) those not yet changed are read again every
    ``POLL_S``: a write whose answer was lost may still be running at Ozon. Never sends."""
    pending = list(items)
    changed: set[T] = set()
    while True:
        changed.update(read(pending) if pending else ())
        pending = [p for p in pending if p not in changed]
        left = wait_until - time.monotonic()
        if not pending or left <= 0:
            return changed
        sleep(min(POLL_S, left))


def verify(
    client: OzonClient,
    entries: Sequence[CatalogEntry],
    *,
    archive: bool,
    op: Operation,
    outcomes: dict[int, Outcome],
    errors: dict[int, str] | None = None,
    wait_until: float = 0.0,
    unsure: set[int] | None = None,
) -> None:
    """Read ``entries`` back from their cards (``is_archived``), record a ``verified``
    step and fill ``outcomes``. Until ``wait_until`` (``time.monotonic()``), products
    not yet changed are read again every ``POLL_S``: a request whose answer was lost
    may still be running. Products of ``unsure`` (their write timed out or got a 5xx)
    still unchanged may yet be changed by Ozon: the operation's ``unknown`` list names
    them, which ``doctor`` reports."""
    errors = errors or {}
    target = "archived" if archive else "unarchived"

    def seen(pending: list[int]) -> set[int]:
        state = read_state(client, pending)
        return {p for p in pending if p in state and state[p].is_archived == archive}

    changed = read_back(seen, [e.product_id for e in entries], wait_until)
    done: list[int] = []
    failed: list[list[Any]] = []
    for e in entries:
        if e.product_id in changed:
            done.append(e.product_id)
            outcomes[e.product_id] = Outcome(e, target)
        else:
            note = errors.get(e.product_id) or f"Ozon did not mark it {target}"
            failed.append([e.product_id, note])
            outcomes[e.product_id] = Outcome(e, "failed", note)
    op.record(next_step(op), "verified", {target: done, "failed": failed})
    unknown = [pid for pid, _ in failed if pid in (unsure or ())]
    if unknown:
        before = op.header.get("unknown")
        known_before = set(before) if isinstance(before, list) else set()
        op.update(unknown=sorted(known_before | set(unknown)))


BATCHES_PER_STEP = 10
"""Batches one ``planned`` journal step covers (1,000 products: 10 durable writes for
10,000, not 100)."""


def _planned(product_ids: list[int]) -> dict[str, Any]:
    return {"product_id": product_ids, "at": _now()}


def _result(response: Any) -> Any:
    return response.get("result") if isinstance(response, dict) else None


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# -- what a journal operation did ---------------------------------------------------------
def in_doubt(op: Operation) -> tuple[list[int], dt.datetime | None]:
    """Products of batches planned after the last readable ``verified`` step (the run
    stopped before reading them back), and when the last of those batches was planned.
    A ``verified`` step that could not be read (``{}``: moved aside) settles nothing."""
    pending: list[int] = []
    latest: dt.datetime | None = None
    for _, name, data in op.entries():
        if name == "verified" and data:
            pending = []
        elif name == "planned":
            pending.extend(int(p) for p in data.get("product_id", []))
            at = data.get("at")
            if isinstance(at, str):
                when = dt.datetime.fromisoformat(at.replace("Z", "+00:00"))
                latest = when if latest is None or when > latest else latest
    return pending, latest


@dataclass(slots=True)
class Settled:
    """What ``settle`` found of killed runs."""

    held: set[int]
    """Products whose request may still be running (with ``wait=False``)."""
    notes: list[str]


def settle(
    client: OzonClient,
    journal: Journal,
    kinds: Iterable[str],
    *,
    timeout: float,
    wait: bool,
    say: Callable[[str], None] | None = None,
) -> Settled:
    """Finish the bookkeeping of killed runs of ``kinds`` (status still ``running``; the
    caller holds the state lock, so none of them is alive): read their in-doubt products
    back, record them and mark the runs ``interrupted``. A run whose last batches were
    planned less than ``timeout`` + ``IN_FLIGHT_MARGIN`` ago may have requests still in
    flight: with ``wait`` that time is waited out first (``say`` tells the user), else
    its products not yet changed are returned as ``held``."""
    from ozonctl.catalog.index import CatalogEntry

    wanted = set(kinds)
    out = Settled(set(), [])
    for op in journal.all():
        kind = str(op.header.get("kind", ""))
        if kind not in wanted or op.status != "running":
            continue
        archive = ARCHIVING_KINDS.get(kind, True)
        pending, latest = in_doubt(op)
        if pending:
            window = dt.timedelta(seconds=timeout + IN_FLIGHT_MARGIN)
            left = 0.0
            if latest is not None:
                left = (latest + window - dt.datetime.now(dt.UTC)).total_seconds()
            if wait and left > 0:
                if say is not None:
                    say(f"waiting {left:.0f} s for the requests of interrupted run {op.ref}")
                sleep(left)
            outcomes: dict[int, Outcome] = {}
            verify(
                client,
                [CatalogEntry(p, "", 0, "", False, None) for p in pending],
                archive=archive,
                op=op,
                outcomes=outcomes,
                errors={p: "not changed when the run was settled" for p in pending},
            )
            changed = [p for p, o in outcomes.items() if not o.failed]
            if not wait and left > 0:
                out.held.update(p for p in pending if p not in set(changed))
            target = "archived" if archive else "unarchived"
            out.notes.append(
                f"settled interrupted run {op.ref}: {len(changed)} of its in-flight "
                f"products were {target}"
            )
        op.update(status="interrupted")
    return out
