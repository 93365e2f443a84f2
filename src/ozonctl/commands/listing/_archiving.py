"""Archive or unarchive products with a journal and a per-item outcome.

Ozon answers ``{result: bool}`` per batch of 100, so every run:
1. leaves out the products already in the wanted state: for a plain archive from the
   local catalogue index (no request: archiving an archived product is harmless, and
   step 4 tells the truth); for unarchive and ``--zero-stock``, which need the
   auto-archived flag and the stock, from ``/v3/product/info/list`` (1000 a request);
2. with ``zero_stock``, sets their FBS stock to 0 first (archive only);
3. writes a durable ``planned`` journal step before every ``BATCHES_PER_STEP`` (10)
   batches are sent, and one ``sent`` step with Ozon's answers after the last;
4. writes a ``verified`` step: the products of every batch Ozon answered ``result: true``
   are done (no extra request); the products of a batch that failed, answered anything
   else or whose outcome is unknown (timeout, 5xx) are read back (``/v3/product/list``
   filtered by id and visibility, 1000 ids a request) — never sent again. With
   ``verify_all`` (``--verify``) every product is read back, for the per-item truth
   when Ozon's batch answer is not trusted.

``settle`` finishes the bookkeeping of a run that was killed: products of its batches
planned but not verified are read back and recorded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ozonctl.client import endpoints
from ozonctl.commands.listing._common import Outcome

if TYPE_CHECKING:
    from ozonctl.catalog.index import CatalogEntry
    from ozonctl.client.batching import BatchOutcome
    from ozonctl.client.client import OzonClient
    from ozonctl.state.journal import Operation

UNARCHIVE_ERRORS = {
    "restore limit exceeded": "Ozon restores at most 100 auto-archived products a day "
    "(the count resets at 03:00 Moscow time); run again tomorrow",
    "total limit exceeded": "the shop's assortment limit is reached; see Ozon's product "
    "limit (/v4/product/info/limit) and archive or delete other products first",
    "autoarchive_restore_failed": "Ozon could not restore this auto-archived product; "
    "check its card in the seller account",
}
AUTO_RESTORE_PER_DAY = 100


def explain(error: Exception | str | None) -> str:
    text = str(error) if error else ""
    low = text.lower()
    for key, meaning in UNARCHIVE_ERRORS.items():
        if key in low:
            return f"{key}: {meaning}"
    return text.splitlines()[0][:300] if text else ""


@dataclass(frozen=True, slots=True)
class State:
    """What the archive commands need of a product card (not the whole card: 10,000 cards
    would cost hundreds of MB)."""

    is_archived: bool
    is_autoarchived: bool = False
    fbs_present: int = 0


def read_state(client: OzonClient, product_ids: Sequence[int]) -> dict[int, State]:
    return {
        i.id: State(i.is_archived, i.is_autoarchived, i.fbs_present)
        for i in client.products.info(product_ids=list(product_ids))
    }


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
) -> list[Outcome]:
    """Archive (or unarchive) ``entries``; one outcome per entry, in input order."""
    target = "archived" if archive else "unarchived"
    state: dict[int, State] = {}
    if archive and not zero_stock:  # the index's flags: no State of each to make
        archived_now = {e.product_id: e.archived for e in entries}
    else:
        state = read_state(client, [e.product_id for e in entries])
        archived_now = {pid: s.is_archived for pid, s in state.items()}
    outcomes: dict[int, Outcome] = {}
    todo: list[CatalogEntry] = []
    for e in entries:
        now = archived_now.get(e.product_id)
        if now is None:
            outcomes[e.product_id] = Outcome(e, "failed", "Ozon does not know this product")
        elif now == archive:
            outcomes[e.product_id] = Outcome(e, "unchanged", f"already {target}")
        else:
            todo.append(e)
    if not archive:
        # Manually archived products first: Ozon's daily limit hits only auto-archived ones.
        todo.sort(key=lambda e: state[e.product_id].is_autoarchived)
        auto = sum(state[e.product_id].is_autoarchived for e in todo)
        if auto > AUTO_RESTORE_PER_DAY and warn is not None:
            warn(
                f"{auto} of these products were archived by Ozon; it restores at most "
                f"{AUTO_RESTORE_PER_DAY} such products a day"
            )
    if zero_stock and archive and todo:
        todo = _zero_stock(client, todo, state, op, outcomes)
    if todo:
        _send(client, todo, archive=archive, op=op, outcomes=outcomes, verify_all=verify_all)
    return [outcomes[e.product_id] for e in entries]


def _zero_stock(
    client: OzonClient,
    todo: list[CatalogEntry],
    state: dict[int, State],
    op: Operation,
    outcomes: dict[int, Outcome],
) -> list[CatalogEntry]:
    from ozonctl.client.models.stock_updates import StockUpdate

    with_stock = [e for e in todo if state[e.product_id].fbs_present > 0 and e.sku]
    if not with_stock:
        return todo
    pairs = [
        (w, StockUpdate(product_id=w.product_id, warehouse_id=w.warehouse_id, stock=0))
        for w in client.products.stocks_by_warehouse(skus=[e.sku for e in with_stock])
        if w.present > 0
    ]
    step = next_step(op)
    op.record(
        step,
        "zero-stock",
        {"before": [[w.product_id, w.warehouse_id, w.present] for w, _ in pairs]},
    )
    result = client.products.set_stocks([u for _, u in pairs])
    bad: dict[int, str] = {}
    for r in result.results:
        if not r.updated:
            bad[r.product_id] = "; ".join(e.text() for e in r.errors) or "not updated"
    for u, err in result.failed:
        bad[u.product_id] = str(err)
    for u in result.not_sent:
        bad[u.product_id] = "not sent"
    kept = []
    for e in todo:
        if e.product_id in bad:
            outcomes[e.product_id] = Outcome(
                e, "failed", f"stock not set to 0, so not archived: {bad[e.product_id]}"
            )
        else:
            kept.append(e)
    return kept


def _send(
    client: OzonClient,
    todo: list[CatalogEntry],
    *,
    archive: bool,
    op: Operation,
    outcomes: dict[int, Outcome],
    verify_all: bool = False,
) -> None:
    first = next_step(op)
    errors: dict[int, str] = {}
    accepted: set[int] = set()
    answers: list[dict[str, Any]] = []
    pids = [e.product_id for e in todo]
    batch_size = endpoints.get("product.archive").max_items or 100  # = unarchive's
    per_step = batch_size * BATCHES_PER_STEP

    def before(index: int, batch: list[int]) -> None:
        # One durable step for the next BATCHES_PER_STEP batches, written before the
        # first of them is sent (the batches are planned in order in this thread).
        if index % BATCHES_PER_STEP == 0:
            start = index * batch_size
            ahead = pids[start : start + per_step]
            op.record(first + index // BATCHES_PER_STEP, "planned", _planned(ahead))

    def done(outcome: BatchOutcome[Any]) -> None:
        result = _result(outcome.response)
        if outcome.error is not None:
            for pid in outcome.items:
                errors[pid] = explain(outcome.error)
            answers.append({"batch": outcome.index, "error": str(outcome.error)})
        elif result is True:
            accepted.update(outcome.items)
        else:
            answers.append({"batch": outcome.index, "result": bool(result)})

    send = client.products.archive if archive else client.products.unarchive
    report = send(pids, before_batch=before, on_done=done)
    for batch in report.not_sent:
        for pid in batch:
            errors[pid] = "not sent: an authentication error stopped the run"
    # Ozon's answers (a run killed before this step is settled by reading back)
    op.record(
        next_step(op),
        "sent",
        {"batches": report.requests, "accepted": len(accepted), "other": answers},
    )
    if verify_all:
        verify(client, todo, archive=archive, op=op, outcomes=outcomes, errors=errors)
        return
    target = "archived" if archive else "unarchived"
    sure = [e for e in todo if e.product_id in accepted]
    for e in sure:
        outcomes[e.product_id] = Outcome(e, target)
    op.record(
        next_step(op),
        "verified",
        {target: [e.product_id for e in sure], "failed": [], "by": "answer"},
    )
    doubt = [e for e in todo if e.product_id not in accepted]
    if doubt:
        verify(client, doubt, archive=archive, op=op, outcomes=outcomes, errors=errors)


def verify(
    client: OzonClient,
    entries: Sequence[CatalogEntry],
    *,
    archive: bool,
    op: Operation,
    outcomes: dict[int, Outcome],
    errors: dict[int, str] | None = None,
) -> None:
    """Read ``entries`` back, record a ``verified`` step and fill ``outcomes``."""
    errors = errors or {}
    target = "archived" if archive else "unarchived"
    # /v3/product/list filtered by id and visibility answers which of them are archived
    # (or not) with a few small rows, where product cards weigh kilobytes each.
    visibility = "ARCHIVED" if archive else "ALL"
    in_target = {
        p.product_id
        for p in client.products.list(
            visibility=visibility, product_ids=[e.product_id for e in entries]
        )
    }
    done: list[int] = []
    failed: list[list[Any]] = []
    for e in entries:
        if e.product_id in in_target:
            done.append(e.product_id)
            outcomes[e.product_id] = Outcome(e, target)
        else:
            note = errors.get(e.product_id) or f"Ozon did not mark it {target}"
            failed.append([e.product_id, note])
            outcomes[e.product_id] = Outcome(e, "failed", note)
    op.record(next_step(op), "verified", {target: done, "failed": failed})


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
def changed_by(op: Operation, target: str = "archived") -> set[int]:
    """Products ``op`` verified as ``target``."""
    out: set[int] = set()
    for _, name, data in op.entries():
        if name == "verified":
            out.update(int(p) for p in data.get(target, []))
    return out


def in_doubt(op: Operation) -> tuple[list[int], dt.datetime | None]:
    """Products of batches planned after the last ``verified`` step (the run stopped
    before reading them back), and when the last of those batches was planned."""
    pending: list[int] = []
    latest: dt.datetime | None = None
    for _, name, data in op.entries():
        if name == "verified":
            pending = []
        elif name == "planned":
            pending.extend(int(p) for p in data.get("product_id", []))
            at = data.get("at")
            if isinstance(at, str):
                when = dt.datetime.fromisoformat(at.replace("Z", "+00:00"))
                latest = when if latest is None or when > latest else latest
    return pending, latest
