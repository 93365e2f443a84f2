"""``promo join``, ``promo leave`` and ``promo rejoin`` on one of the seller's own
promotions (``/v1/seller-actions/products/add`` and ``…/delete``, ≤100 a request).

The same journal as for Ozon's promotions (:mod:`ozonctl.domain.promo_runs`): a
snapshot of every product first (its action price and, in a ``DISCOUNT`` promotion, its
percent), ``planned`` before and ``done`` after each batch, dry run, confirmation, the
state lock, undo with ``promo rejoin``. What differs: Ozon answers add and delete with an
empty body, so a batch's answer says only that it arrived (``sent``). The promotion is
then read back and each product recorded ``checked`` as what Ozon holds: in it
(``joined``), out of it (``left``), or not where asked (``rejected``). A batch whose
answer was lost (a timeout, a 5xx) is never sent again: the read-back waits until it is
surely over at Ozon (:func:`ozonctl.domain.promo_runs.wait_out`) and reports what it did.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ozonctl.commands.promo.common import (
    NOT_CANDIDATE,
    Planned,
    carry_out,
    cents,
    new_op,
    priced,
    report,
    run_with_progress,
    same_leave,
)
from ozonctl.commands.promo.select import Selection, resolve
from ozonctl.domain.promo_runs import (
    Outcome,
    dec,
    interrupted_leave,
    ops_of,
    outcome_record,
    read_op,
    record_checked,
    result_row,
    snap,
    still_in,
    wait_out,
)
from ozonctl.errors import UsageError

if TYPE_CHECKING:
    from ozonctl.cli.context import AppContext
    from ozonctl.client.client import OzonClient
    from ozonctl.client.models.promos import Action, SellerAction, SellerActionProduct
    from ozonctl.domain.margin import Costs
    from ozonctl.state.journal import Operation

ITEM_LIMIT = 100
ADD_PATH = "/v1/seller-actions/products/add"
DELETE_PATH = "/v1/seller-actions/products/delete"
NO_REASON = "Ozon's answer names no product and gives no reason"


@dataclass(frozen=True, slots=True)
class Own:
    """One of the seller's promotions as the journal and the report name it."""

    id: int
    title: str
    action_type: str
    min_percent: Decimal | None

    @classmethod
    def of(cls, s: SellerAction) -> Own:
        p = s.action_parameters
        return cls(s.action_id, s.title, p.type, p.min_action_percent)

    @property
    def is_discount(self) -> bool:
        """``DISCOUNT``: each product joins at a percent of its own (``discount_percent``)."""
        return self.action_type == "DISCOUNT"


def find_any(client: OzonClient, action_id: int) -> Action | Own:
    """Ozon's promotion ``action_id``, else the seller's own, else a usage error."""
    action = client.promos.get_action(action_id)
    if action is not None:
        return action
    own = next(
        (s for s in client.promos.seller_actions([action_id]) if s.action_id == action_id), None
    )
    if own is None:
        raise UsageError(
            f"no promotion {action_id}", hint="see `ozonctl promo list` (Ozon's and your own)"
        )
    return Own.of(own)


def own_row(p: SellerActionProduct) -> dict[str, Any]:
    """A product of a seller promotion as a product row (the columns of `promo products`)."""
    row = {
        "product_id": p.product_id,
        "offer_id": p.offer_id,
        "sku": p.sku[0] if p.sku else None,
        "name": p.name,
        "price": cents(p.base_price or p.price),
        "action_price": None,
        "max_action_price": None,
        "discount_pct": None,
        "stock": None,
        "min_price": cents(p.min_seller_price),
        "below_min_price": False,
        "is_active": p.is_active,
        "discount_percent": p.discount_percent,
    }
    return priced(row, p.action_price)


def _item(row: dict[str, Any], percent: Decimal | None) -> dict[str, Any]:
    """A snapshot item (:func:`ozonctl.domain.promo_runs.snap`) and its percent."""
    return {**snap(row), "discount_percent": "" if percent is None else str(percent)}


def _pick(
    client: OzonClient,
    sel: Selection,
    pools: Iterable[Iterable[SellerActionProduct]],
    costs: Costs | None = None,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The rows of the products ``sel`` names found in ``pools`` (every row without an
    explicit selection), with their margins when ``sel`` filters by margin (``costs``),
    and result rows for what was given but is in none of them."""
    rows: dict[int, dict[str, Any]] = {}
    for pool in pools:
        for p in pool:
            rows.setdefault(p.product_id, own_row(p))
    if costs is not None and sel.filters.by_margin:
        from ozonctl.commands._margin import with_margins

        margins = with_margins(client, list(rows.values()), costs, sel.filters.scheme)
        rows = {r["product_id"]: r for r in margins}
    if not sel.explicit:
        return [r for r in rows.values() if sel.filters.keep(r)], []
    found = resolve(client, sel)
    picked = [rows[pid] for pid in found.cards if pid in rows]
    missing = found.outside(rows, "rejected", NOT_CANDIDATE)
    return [r for r in picked if sel.filters.keep(r)], missing


# --- join ---------------------------------------------------------------------------------------


def join(
    ctx: AppContext, client: OzonClient, own: Own, sel: Selection, discount: Decimal | None
) -> None:
    """Add products to one of the seller's promotions (``--discount`` sets each one's
    percent in a ``DISCOUNT`` promotion; the promotion's minimum when not given)."""
    if own.action_type == "MULTI_LEVEL_DISCOUNT_ON_AMOUNT":
        raise UsageError(
            f"Ozon adds products to «{own.title}» ({own.id}) by itself (a multi-level "
            "discount); there is nothing to join"
        )
    percent = None
    if own.is_discount:
        percent = discount if discount is not None else own.min_percent
        if not percent:
            raise UsageError(f"«{own.title}» gives each product a percent: add --discount PCT")
    elif discount is not None:
        raise UsageError(
            f"«{own.title}» ({own.id}) gives the discount of the promotion, not one per "
            "product: leave out --discount"
        )
    members = [] if sel.everything else list(client.promos.seller_action_products(own.id))
    rows, caught = _pick(client, sel, [client.promos.seller_action_candidates(own.id), members])
    inside = {p.product_id for p in members}
    items: list[dict[str, Any]] = []
    for row in rows:
        item = _item(row, percent)
        if row["product_id"] in inside and not own.is_discount:
            caught.append(result_row(item, Outcome("already_in", "already in the promotion")))
        elif percent is not None and own.min_percent and percent < own.min_percent:
            reason = (
                f"caught before sending: {percent} % is below the promotion's minimum "
                f"{own.min_percent} %"
            )
            caught.append(result_row(item, Outcome("rejected", reason)))
        else:
            items.append(item)
    n = len(items)
    carry_out(
        ctx,
        Planned(
            "join",
            own,
            items,
            would=[result_row(it, Outcome("would_join", _pct_text(it))) for it in items],
            others=caught,
            plan_line=f"would add {n} products to «{own.title}» ({own.id}) with "
            f"{_requests(n)} {ADD_PATH} request(s); {len(caught)} not sent",
        ),
        lock=f"promo join {own.id}",
        start=lambda: _op(ctx, "join", own, "seller_actions.add", n, sel),
        send=lambda op: _send(ctx, client, own, op, items, 1, joining=True),
    )


def _pct_text(item: dict[str, Any]) -> str:
    return f"{item['discount_percent']}% off" if item.get("discount_percent") else ""


def _requests(n: int) -> int:
    return math.ceil(n / ITEM_LIMIT)


def _op(
    ctx: AppContext, kind: str, own: Own, write: str, count: int, sel: Selection | None, **meta: Any
) -> Operation:
    extra = {"selection": sel.key(), "selection_text": sel.describe()} if sel else {}
    return new_op(
        ctx,
        kind,
        None,
        writes=[write],
        action_id=own.id,
        title=own.title,
        action_type=own.action_type,
        owner="seller",
        method=write.rpartition(".")[2],
        products=count,
        **extra,
        **meta,
    )


def _send(
    ctx: AppContext,
    client: OzonClient,
    own: Own,
    op: Operation,
    items: list[dict[str, Any]],
    first_step: int,
    *,
    joining: bool,
) -> int:
    """Send the adds (``joining``) or the deletes of ``items`` and record what the
    promotion holds after them."""
    from ozonctl.client.models.promos import SellerProductAdd

    by_sku = {int(it["sku"]): int(it["id"]) for it in items}
    adds = [
        SellerProductAdd(
            sku=int(it["sku"]),
            discount_percent=dec(it["discount_percent"]) if own.is_discount else None,
        )
        for it in items
        if joining
    ]
    sent = run_with_progress(
        ctx,
        op,
        total=len(items),
        label="Joining" if joining else "Leaving",
        first_step=first_step,
        item_id=lambda x: by_sku[int(x.sku if joining else x)],
        send=lambda before, done: (
            client.promos.seller_add(own.id, adds, before_batch=before, on_done=done)
            if joining
            else client.promos.seller_delete(
                own.id, list(by_sku), before_batch=before, on_done=done
            )
        ),
        interpret=_arrived,
    )
    _read_back(ctx, client, own, op, joining=joining)
    return sent


def _wait(ctx: AppContext, ops: Iterable[Operation]) -> None:
    """:func:`wait_out` with the profile's request timeout, telling the user."""
    wait_out(ops, timeout=ctx.profile.timeout, say=ctx.output.info)


def _arrived(ids: list[int], response: Any) -> dict[int, Outcome]:
    """An empty 200: the batch arrived; what it did is read back after."""
    return {i: Outcome("sent", "answered with an empty body; read back") for i in ids}


def _read_back(
    ctx: AppContext, client: OzonClient, own: Own, op: Operation, *, joining: bool
) -> None:
    """Record, for every product of ``op`` whose batch was answered (``sent``) or lost
    (``unknown``, after waiting until it is surely over), what the promotion holds now."""
    state = read_op(op)
    open_ = {i for i, o in state.outcomes.items() if o.status in ("sent", "unknown")}
    open_ |= set(state.pending)
    if not open_:
        return
    if state.unsure:
        _wait(ctx, [op])
    current = {p.product_id: p for p in client.promos.seller_action_products(own.id)}
    by_id = state.by_id
    found: dict[int, Outcome] = {}
    for pid in sorted(open_):
        now_in = pid in current
        if joining and now_in:
            want = dec(by_id.get(pid, {}).get("discount_percent"))
            got = current[pid].discount_percent
            if own.is_discount and want is not None and got is not None and got != want:
                found[pid] = Outcome("rejected", f"in the promotion at {got} %, not {want} %")
            else:
                found[pid] = Outcome("joined", "in the promotion when read back")
        elif not joining and not now_in:
            found[pid] = Outcome("left", "out of the promotion when read back")
        else:
            where = "still in" if now_in else "not in"
            found[pid] = Outcome("rejected", f"{where} the promotion when read back: {NO_REASON}")
    op.record(state.next_step, "checked", outcome_record(found))


# --- leave ------------------------------------------------------------------------------------


def leave(
    ctx: AppContext,
    client: OzonClient,
    own: Own,
    sel: Selection,
    fresh: bool,
    costs: Costs | None = None,
) -> None:
    """Take products out of one of the seller's promotions, journalled; an interrupted
    leave with the same selection is finished instead."""
    lock = contextlib.nullcontext() if ctx.dry_run else ctx.lock(f"promo leave {own.id}")
    with lock:
        journal = ctx.journal("promo")
        unfinished = interrupted_leave(journal, own.id)
        if unfinished is not None and not fresh:
            same_leave(unfinished, own.id, sel.key())
            _wait(ctx, [unfinished])
            _resume(ctx, client, own, unfinished)
            return
        rows, skipped = _pick(client, sel, [client.promos.seller_action_products(own.id)], costs)
        for r in skipped:
            if r["status"] == "rejected":
                r["status"], r["reason"] = (
                    "not_in_promotion",
                    "not in this promotion; nothing to do",
                )
        items = [_item(r, r.get("discount_percent")) for r in rows]

        def start() -> Operation:
            if unfinished is not None:
                unfinished.update(status="abandoned")
            return _op(ctx, "leave", own, "seller_actions.delete", len(items), sel)

        carry_out(
            ctx,
            Planned(
                "leave",
                own,
                items,
                would=[result_row(it, Outcome("would_leave")) for it in items],
                others=skipped,
                plan_line=f"would take {len(items)} products out of «{own.title}» ({own.id}) "
                f"with {_requests(len(items))} {DELETE_PATH} request(s)",
            ),
            start=start,
            send=lambda op: _send(ctx, client, own, op, items, 1, joining=False),
        )


def _resume(ctx: AppContext, client: OzonClient, own: Own, op: Operation) -> None:
    """Finish a killed leave: what is out now is ``left``; what is still in and was
    never answered is sent again (its batch surely never ran: it was waited out)."""
    state = read_op(op)
    final = {i for i, o in state.outcomes.items() if o.status not in ("sent", "unknown")}
    remaining = [it for it in state.snapshot if int(it["id"]) not in final]
    ctx.output.info(
        f"finishing the interrupted leave {op.ref}: {len(remaining)} of "
        f"{len(state.snapshot)} products to check"
    )
    current = {p.product_id for p in client.promos.seller_action_products(own.id)}
    todo, gone = still_in(remaining, current)
    if ctx.dry_run:
        ctx.output.info(
            f"dry run: would take the remaining {len(todo)} products out; nothing was sent"
        )
        return
    step = record_checked(op, state.next_step, gone)
    sent = _send(ctx, client, own, op, todo, step, joining=False) if todo else 0
    report(ctx, own, op, [], sent, verb="left")


# --- rejoin (undo a leave) ---------------------------------------------------------------------


def rejoin(ctx: AppContext, client: OzonClient, own: Own, leave_op: Operation) -> None:
    """Put back what a leave of a seller promotion took out, at the recorded percents."""
    from ozonctl.commands.promo.rejoin import mark_undone

    state = read_op(leave_op)
    journal = ctx.journal("promo")
    _wait(ctx, ops_of(journal, own.id, ["leave", "join", "rejoin"]))
    current = {p.product_id for p in client.promos.seller_action_products(own.id)}
    took_out = {i for i, o in state.outcomes.items() if o.status in ("left", "sent", "unknown")}
    took_out |= set(state.pending)
    items, back = [], []
    for it in state.snapshot:
        pid = int(it["id"])
        if pid in current:
            back.append(result_row(it, Outcome("already_in", "already in the promotion")))
        elif pid in took_out:
            items.append(it)
    carry_out(
        ctx,
        Planned(
            "rejoin",
            own,
            items,
            would=[result_row(it, Outcome("would_rejoin", _pct_text(it))) for it in items],
            others=back,
            plan_line=f"would put {len(items)} products of leave {leave_op.ref} back into "
            f"«{own.title}» with {_requests(len(items))} {ADD_PATH} request(s)",
            leave_ref=leave_op.ref,
        ),
        start=lambda: _op(
            ctx, "rejoin", own, "seller_actions.add", len(items), None, leave_ref=leave_op.ref
        ),
        send=lambda op: _send(ctx, client, own, op, items, 1, joining=True),
        after=lambda op: mark_undone(leave_op, op),
    )
