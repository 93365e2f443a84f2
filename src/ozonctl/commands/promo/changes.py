"""Journaled changes across promotions and auto-add lists: what ``promo auto-add
remove|undo`` and ``promo guard`` send.

A run's snapshot (step 0, ``products``) lists every change it means to make, one item
per product and promotion (or auto-add date): ``change`` (``leave``, ``autoadd-remove``,
``autoadd-restore``), ``action_id``, ``date``, ``id`` (the product), the prices and
stock it had. The changes are sent grouped by change, promotion and date, through
:func:`ozonctl.domain.promo_runs.run_journaled`; its ``planned``/``done`` steps name
**positions in the snapshot**, not product ids, so a product on two lists is two items.
A rerun and :func:`ozonctl.domain.promo_runs.wait_out` read such a run as they read a
leave.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ozonctl.cli.output import Column
from ozonctl.commands.promo.common import run_with_progress
from ozonctl.domain.promo_runs import Outcome, dec, from_deactivate, from_update

if TYPE_CHECKING:
    from ozonctl.cli.context import AppContext
    from ozonctl.client.client import OzonClient
    from ozonctl.client.models.promos import Action, AutoAddUpdateResult
    from ozonctl.domain.promo_policy import Placement
    from ozonctl.state.journal import Operation

ITEM_LIMIT = 1000
GOOD = frozenset({"left", "removed", "restored"})
BAD = frozenset({"rejected", "unknown", "failed", "not_sent"})

CHANGE_COLUMNS = (
    Column("offer_id", "Offer ID"),
    Column("sku", "SKU", justify="right"),
    Column("name", "Name", max_width=30),
    Column("action_id", "Promotion", justify="right"),
    Column("where", "Where"),
    Column("auto_add_date", "Adds on"),
    Column("action_price", "Action price", justify="right"),
    Column("status", "Result"),
    Column("reason", "Reason", max_width=60),
)


def item(p: Placement, change: str, why: str = "") -> dict[str, Any]:
    """A snapshot item: ``change`` to make to placement ``p`` (money as exact
    strings)."""
    return {
        "change": change,
        "action_id": p.action_id,
        "date": p.auto_add_date,
        "id": p.product_id,
        "offer_id": p.offer_id,
        "sku": p.sku,
        "name": p.name,
        "price": _s(p.price),
        "action_price": _s(p.action_price),
        "max_action_price": _s(p.max_action_price),
        "stock": p.stock,
        "why": why,
    }


def _s(value: Decimal | None) -> str:
    return "" if value is None else str(value)


def row(it: dict[str, Any], outcome: Outcome | None) -> dict[str, Any]:
    """A snapshot item with what became of it."""
    from ozonctl.domain.promo_policy import moment

    return {
        "product_id": it["id"],
        "offer_id": it.get("offer_id", ""),
        "sku": it.get("sku") or None,
        "name": it.get("name", ""),
        "action_id": it["action_id"],
        "where": "auto-add" if it.get("date") else "in",
        "auto_add_date": moment(it.get("date") or ""),
        "action_price": dec(it.get("action_price")),
        "why": it.get("why", ""),
        "status": outcome.status if outcome else "not_sent",
        "reason": outcome.reason if outcome else "not sent (the run stopped before it)",
    }


def groups(items: Sequence[dict[str, Any]]) -> dict[tuple[str, int, str], list[int]]:
    """Snapshot positions by (change, promotion, date), in snapshot order."""
    out: dict[tuple[str, int, str], list[int]] = {}
    for k, it in enumerate(items):
        out.setdefault((it["change"], int(it["action_id"]), str(it.get("date") or "")), []).append(
            k
        )
    return out


def requests(items: Sequence[dict[str, Any]]) -> int:
    return sum(-(-len(ks) // ITEM_LIMIT) for ks in groups(items).values())


def send(
    ctx: AppContext,
    client: OzonClient,
    op: Operation,
    items: Sequence[dict[str, Any]],
    todo: Iterable[int],
    actions: dict[int, Action],
    first_step: int,
) -> int:
    """Send the changes at snapshot positions ``todo``, a group at a time; the next
    free step."""
    wanted = set(todo)
    step = first_step
    for (change, action_id, date), positions in groups(items).items():
        ks = [k for k in positions if k in wanted]
        if not ks:
            continue
        _send_group(ctx, client, op, items, ks, change, actions[action_id], date, step)
        step += -(-len(ks) // ITEM_LIMIT)
    return step


def _send_group(
    ctx: AppContext,
    client: OzonClient,
    op: Operation,
    items: Sequence[dict[str, Any]],
    ks: list[int],
    change: str,
    action: Action,
    date: str,
    step: int,
) -> None:
    from ozonctl.client.models.common import MoneyOut
    from ozonctl.client.models.promos import AutoAddUpdate, ProductUpdate
    from ozonctl.commands.promo.leave import leave_price

    at = {int(items[k]["id"]): k for k in ks}  # one product once per group
    pids = list(at)

    def back(batch: list[int], outcomes: dict[int, Outcome]) -> dict[int, Outcome]:
        return {k: outcomes[int(items[k]["id"])] for k in batch}

    if change == "autoadd-remove":
        run_with_progress(
            ctx, op, first_step=step, total=len(pids), label="Off auto-add",
            item_id=lambda pid: at[pid],
            send=lambda before, done: client.promos.auto_add_delete(
                action.id, date, pids, before_batch=before, on_done=done
            ),
            interpret=lambda batch, resp: {
                k: Outcome("removed")
                if int(items[k]["id"]) in set(resp)
                else Outcome("rejected", "Ozon kept it on the auto-add list")
                for k in batch
            },
        )  # fmt: skip
    elif change == "autoadd-restore":
        updates = [
            AutoAddUpdate(
                id=pid,
                action_price=MoneyOut(amount=Decimal(items[at[pid]]["action_price"])),
                stock=int(items[at[pid]].get("stock") or 0) if action.is_voucher_action else None,
            )
            for pid in pids
        ]
        run_with_progress(
            ctx, op, first_step=step, total=len(updates), label="Back on auto-add",
            item_id=lambda u: at[int(u.id)],
            send=lambda before, done: client.promos.auto_add_update(
                action.id, date, updates, before_batch=before, on_done=done
            ),
            interpret=lambda batch, resp: {k: _restored(int(items[k]["id"]), resp) for k in batch},
        )  # fmt: skip
    elif action.leave_method == "deactivate":
        why = "not removed by Ozon (deactivate gives no reason)"
        run_with_progress(
            ctx, op, first_step=step, total=len(pids), label="Leaving",
            item_id=lambda pid: at[pid],
            send=lambda before, done: client.promos.deactivate(
                action.id, pids, before_batch=before, on_done=done
            ),
            interpret=lambda batch, resp: back(
                batch, from_deactivate([int(items[k]["id"]) for k in batch], resp, why)
            ),
        )  # fmt: skip
    else:
        updates_ = [
            ProductUpdate(
                product_id=pid,
                action_price=MoneyOut(amount=leave_price(items[at[pid]])),
                stock=int(items[at[pid]].get("stock") or 0) if action.is_voucher_action else None,
            )
            for pid in pids
        ]
        run_with_progress(
            ctx, op, first_step=step, total=len(updates_), label="Leaving",
            item_id=lambda u: at[int(u.product_id)],
            send=lambda before, done: client.promos.update_products(
                action.id, updates_, before_batch=before, on_done=done
            ),
            interpret=lambda batch, resp: back(
                batch, from_update([int(items[k]["id"]) for k in batch], resp, leaving=True)
            ),
        )  # fmt: skip


def _restored(pid: int, resp: AutoAddUpdateResult) -> Outcome:
    """What ``/v2/actions/auto-add/products/update`` did with product ``pid``: refused
    (``rejected``, or ``failed_price``: above the promotion's limit now), or put back
    (in ``product_ids``; ``below_min_price`` noted)."""
    for r in resp.rejected or []:
        if r.product_id == pid:
            return Outcome("rejected", r.reason or "rejected by Ozon (no reason given)")
    for kv in resp.failed_price or []:
        if kv.key == pid:
            return Outcome(
                "rejected", f"the action price is above the promotion's limit now ({kv.value})"
            )
    if pid in set(resp.product_ids or []):
        low = any(kv.key == pid for kv in resp.below_min_price or [])
        return Outcome("restored", "below the product's min price" if low else "")
    return Outcome("rejected", "Ozon's answer does not mention it")


def run(
    ctx: AppContext,
    op: Operation,
    items: list[dict[str, Any]],
    actions: dict[int, Action],
) -> list[dict[str, Any]]:
    """Journal ``items`` (the snapshot) in ``op``, send them all and close ``op``
    (``done``, or ``partial`` when one failed, with the count of each result); each
    item's result row."""
    from ozonctl.domain.promo_runs import read_op

    op.record(0, "snapshot", {"products": items})
    send(ctx, ctx.client(), op, items, range(len(items)), actions, 1)
    state = read_op(op)
    rows = [row(it, state.outcomes.get(k)) for k, it in enumerate(items)]
    status = "partial" if failed(rows) else "done"
    op.update(status=status, counts=counts(rows), unknown=len(state.unsure))
    return rows


def frozen_reason(action: Action, now: dt.datetime) -> str:
    """Why Ozon will not let products leave ``action`` now ("" when it will)."""
    if action.freeze_date is None or action.freeze_date > now:
        return ""
    return (
        f"the promotion is frozen since {action.freeze_date:%Y-%m-%d}: Ozon does not let "
        "products leave after its freeze date"
    )


def failed(rows: Iterable[dict[str, Any]]) -> int:
    """How many changes failed (a result of :data:`BAD`)."""
    return sum(1 for r in rows if r["status"] in BAD)


def counts(rows: Iterable[dict[str, Any]]) -> dict[str, int]:
    out: dict[str, int] = {}
    for r in rows:
        out[r["status"]] = out.get(r["status"], 0) + 1
    return out
