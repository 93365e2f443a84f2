"""``promo leave``: take products out of a promotion, safely.

1. Read the products in the promotion, pick the ones asked for (offer ids and names for
   the report come from the local catalogue index when there is one: no card reads).
2. Warn when the promotion adds products by itself (its auto-add dates), or, with
   ``--no-auto-add``, read its auto-add lists and take the products off them.
3. ``--dry-run`` stops here and prints the plan.
4. Under the state lock: write a snapshot (each product's action price and stock) to the
   journal, then send ceil(n/1000) requests — ``/v2/actions/products/deactivate`` or, in
   boosting promotions, ``/v1/actions/products/update`` with the action price above the
   limit — recording every batch as it finishes.
5. Print per product: left / rejected with the reason, and the regular price it returns
   to. Exit 3 when any product was not taken out.

A leave killed half way is finished by running the same command again (batches that
were answered are not sent again), or undone with ``promo rejoin``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ozonctl.cli.context import app_context
from ozonctl.cli.fromfile import FromFileOption
from ozonctl.cli.write_schemas import PROMO_CHANGE
from ozonctl.commands._margin import CostFileOpt, MarginBelowOpt, SchemeOpt, run_costs
from ozonctl.commands.promo import own_products
from ozonctl.commands.promo.common import (
    RESULT_COLUMNS,
    ActionId,
    Planned,
    carry_out,
    local_day,
    loss_filter,
    new_op,
    product_row,
    report,
    same_leave,
    with_cards,
)
from ozonctl.commands.promo.own_products import Own, find_any
from ozonctl.commands.promo.products import BelowMinPrice, DiscountOver
from ozonctl.commands.promo.select import (
    OfferOpt,
    ProductOpt,
    Selection,
    SkuOpt,
    build_selection,
    resolve,
)
from ozonctl.concurrency import in_background, quick_handover
from ozonctl.domain.promo_runs import (
    OpState,
    SnapshotText,
    dec,
    from_deactivate,
    interrupted_leave,
    ops_of,
    read_op,
    record_checked,
    result_row,
    run_journaled,
    send_updates,
    snap,
    still_in,
    wait_out,
)
from ozonctl.errors import UsageError

if TYPE_CHECKING:
    from ozonctl.catalog.index import CatalogEntry, CatalogIndex
    from ozonctl.cli.context import AppContext
    from ozonctl.client.client import OzonClient
    from ozonctl.client.models.promos import Action, ActionProduct
    from ozonctl.domain.margin import Costs
    from ozonctl.state.journal import Operation

ITEM_LIMIT = 1000


@dataclass
class Plan:
    rows: list[dict[str, Any]] = field(default_factory=list)
    """Products to take out (product rows)."""
    skipped: list[dict[str, Any]] = field(default_factory=list)
    """Result rows for what was asked for but will not be sent."""
    auto_add: dict[str, list[int]] = field(default_factory=dict)
    """Auto-add date → ids among ``rows`` that Ozon will add back then."""
    snapshot_text: SnapshotText = field(default_factory=SnapshotText)
    """The snapshot's TOML, each product's made as its page came."""


def leave(
    action_id: ActionId,
    product: ProductOpt = None,
    skus: SkuOpt = None,
    offers: OfferOpt = None,
    from_file: FromFileOption = None,
    all_: Annotated[bool, typer.Option("--all", help="Every product in the promotion.")] = False,
    discount_over: DiscountOver = None,
    below_min_price: BelowMinPrice = False,
    margin_below: MarginBelowOpt = None,
    scheme: SchemeOpt = None,
    cost_file: CostFileOpt = None,
    no_auto_add: Annotated[
        bool,
        typer.Option(
            "--no-auto-add",
            help="Also take the products off Ozon's auto-add lists, so Ozon does not add "
            "them back.",
        ),
    ] = False,
    fresh: Annotated[
        bool,
        typer.Option(
            "--fresh",
            help="Start a new leave even if one of this promotion was interrupted (that "
            "one is marked abandoned).",
        ),
    ] = False,
) -> None:
    """Take products out of a promotion, safely.

    A snapshot first (undo with `promo rejoin`), the fewest requests, one result per
    product with the regular price it returns to; exit 3 if any did not leave. Run an
    interrupted leave again to finish it.

    Filters alone (--discount-over, --below-min-price, --margin-below) pick from every
    product in the promotion; with --product/--sku/--offer/--from-file they narrow
    those down.
    --margin-below 0 takes out the products that lose money at their action price
    (after Ozon's fees and your cost, as `listing margin` counts); products without a
    known cost are listed as no_cost and stay."""
    ctx = app_context()
    filters = loss_filter(discount_over, below_min_price, margin_below, scheme)
    costs = run_costs(ctx, cost_file) if filters.by_margin else None
    client = ctx.client()
    sel = build_selection(
        skus, offers, from_file, all_, filters, all_flag="--all", products=product
    )
    ctx.expect_writes()
    found = find_any(client, action_id)
    if isinstance(found, Own):
        if no_auto_add:
            raise UsageError("--no-auto-add is for Ozon's promotions: yours have no auto-add lists")
        own_products.leave(ctx, client, found, sel, fresh, costs)
        return
    action = found
    # The local index labels the products of --all and filters (an explicit selection is
    # resolved through cards instead). It is read beside the walk of the promotion's
    # pages, once the lookup is answered: read earlier, it would share the interpreter
    # with the start-up and hold back the lookup's request.
    index = None if sel.explicit else in_background(_index_for_rows, ctx)
    _warn_frozen(ctx, action)
    lock = contextlib.nullcontext() if ctx.dry_run else ctx.lock(f"promo leave {action.id}")
    with lock:
        journal = ctx.journal("promo")
        wait_out(
            ops_of(journal, action.id, ["leave", "join", "rejoin"]),
            timeout=ctx.profile.timeout,
            say=ctx.output.info,
        )
        unfinished = interrupted_leave(journal, action.id)
        if unfinished is not None and not fresh:
            same_leave(unfinished, action.id, sel.key())
            _resume(ctx, client, action, read_op(unfinished))
            return
        plan = _plan(client, action, sel, no_auto_add, index, costs)
        _warn_auto_add(ctx, action, plan, no_auto_add)
        _carry_out(ctx, client, action, sel, plan, no_auto_add, unfinished)


def _carry_out(
    ctx: AppContext,
    client: OzonClient,
    action: Action,
    sel: Selection,
    plan: Plan,
    no_auto_add: bool,
    unfinished: Operation | None,
) -> None:
    """The plan, or the snapshot, auto-add lists, the batches and the report (the caller
    holds the lock); an interrupted leave the new one replaces is abandoned."""
    items = [snap(r) for r in plan.rows]
    drop = plan.auto_add if no_auto_add else {}
    n = len(items)

    def start() -> Operation:
        if unfinished is not None:
            unfinished.update(status="abandoned")
        return new_op(
            ctx,
            "leave",
            action,
            writes=[f"actions.products.{action.leave_method}"]
            + (["actions.autoadd.delete"] if drop else []),
            method=action.leave_method,
            selection=sel.key(),
            selection_text=sel.describe(),
            products=n,
        )

    def send(op: Operation) -> int:
        step = _drop_auto_add(ctx, client, action, op, drop, 1)
        return _send(ctx, client, action, op, items, step)

    off = f", and off auto-adding for {sum(len(v) for v in drop.values())}" if drop else ""
    carry_out(
        ctx,
        Planned(
            "leave",
            action,
            items,
            would=[
                {**r, "status": "would_leave", "reason": "", "stock": r.get("action_stock")}
                for r in plan.rows
            ],
            others=plan.skipped,
            plan_line=f"would take {n} products out of «{action.title}» ({action.id}) with "
            f"{_requests(n)} {_method_path(action)} request(s){off}",
            snapshot_text=plan.snapshot_text,
        ),
        start=start,
        send=send,
    )


# --- planning --------------------------------------------------------------------------------


def _plan(
    client: OzonClient,
    action: Action,
    sel: Selection,
    no_auto_add: bool,
    index: Future[CatalogIndex] | None,
    costs: Costs | None = None,
) -> Plan:
    plan = Plan()
    if index is not None:
        products = client.promos.products(action.id)
        plan.rows = _rows(client, products, sel, index, plan.snapshot_text)
    else:
        participating = {p.id: p for p in client.promos.products(action.id)}
        found = resolve(client, sel)
        plan.rows = [
            product_row(participating[pid], card)
            for pid, card in found.cards.items()
            if pid in participating
        ]
        plan.skipped += found.outside(
            participating, "not_in_promotion", "not in this promotion; nothing to do"
        )
    if costs is not None:
        plan.rows = _judged_by_margin(client, plan, costs, sel)
    else:
        plan.rows = [r for r in plan.rows if sel.filters.keep(r)]
    wanted = {r["product_id"] for r in plan.rows}
    # The auto-add lists are read only to take products off them: the warning needs only
    # the promotion's auto-add dates.
    for date in action.auto_add_dates if wanted and no_auto_add else []:
        hits = [a.product_id for a in client.promos.auto_add_products(action.id, date)]
        hits = [i for i in dict.fromkeys(hits) if i in wanted]
        if hits:
            plan.auto_add[date] = hits
    return plan


def _judged_by_margin(
    client: OzonClient, plan: Plan, costs: Costs, sel: Selection
) -> list[dict[str, Any]]:
    """The rows with their margins at the action price, ``_margin`` dropped once judged;
    those the other filters keep but that have no margin (no known cost, no fees from
    Ozon) go to ``plan.skipped`` as ``no_cost``: listed, never judged, never sent."""
    from dataclasses import replace

    from ozonctl.commands._margin import public, with_margins

    others = replace(sel.filters, margin_below=None)
    rows = []
    for row in with_margins(client, plan.rows, costs, sel.filters.scheme):
        if row["margin"] is None:
            if others.keep(row):
                reason = f"margin unknown: {row['margin_note']}; not taken out"
                plan.skipped.append({**public(row), "status": "no_cost", "reason": reason})
        elif sel.filters.keep(row):
            rows.append(public(row))
    return rows


def _index_for_rows(ctx: AppContext) -> CatalogIndex:
    """The local catalogue index (empty when never built), made ready for a lookup by
    product id a product at a time (its map of product ids and its columns split)."""
    from ozonctl.catalog.index import CatalogIndex

    index = CatalogIndex.load(ctx.catalog_dir())
    if len(index):
        index.by_product_id(index.entry(0).product_id)
    return index


def _rows(
    client: OzonClient,
    products: Iterable[ActionProduct],
    sel: Selection,
    index: Future[CatalogIndex],
    made: SnapshotText,
) -> list[dict[str, Any]]:
    """The promotion's products as rows, made as its pages come (between them the walk
    waits on Ozon). Its own product list has every price the leave needs; offer id, SKU
    and name come from the local catalogue index when it knows the product, and only the
    products it does not know (or, for --below-min-price, whose minimum price the
    promotion does not give) are read from their cards, 1000 a request.

    The walk does not wait for the index: it is still being read when the first pages
    come, and their products wait in ``unlabelled`` until it is ready. Each labelled
    row's snapshot entry is rendered into ``made`` meanwhile too. While the pages come,
    threads hand the interpreter over sooner (``quick_handover``): the thread asking for
    the next page does not wait behind the ones reading the index and labelling."""
    rows: dict[int, dict[str, Any]] = {}  # a product listed twice: one row, the last
    need_card: dict[int, ActionProduct] = {}
    below_min_price = sel.filters.below_min_price
    unlabelled: list[ActionProduct] = []

    def label(by_product_id: Callable[[int], CatalogEntry | None]) -> None:
        for p in unlabelled:
            entry = by_product_id(p.id)
            row = product_row(p, None)
            if entry is None or (below_min_price and row["min_price"] is None):
                need_card[p.id] = p
            else:
                need_card.pop(p.id, None)
                row.update(offer_id=entry.offer_id, sku=entry.sku or None, name=entry.name)
                made.add(snap(row))
            rows[p.id] = row
        unlabelled.clear()

    with quick_handover():
        for p in products:
            unlabelled.append(p)
            if index.done():
                label(index.result().by_product_id)
    label(index.result().by_product_id)
    for p, card in with_cards(client, list(need_card.values())):
        rows[p.id] = product_row(p, card)
    return list(rows.values())


def _warn_auto_add(ctx: AppContext, action: Action, plan: Plan, no_auto_add: bool) -> None:
    if no_auto_add:
        for date, ids in plan.auto_add.items():
            ctx.output.info(
                f"{len(ids)} of these products are set for auto-adding on {local_day(date)}: "
                "they will be taken off auto-adding too (--no-auto-add)"
            )
    elif plan.rows and action.auto_add_dates:
        dates = ", ".join(sorted(local_day(d) for d in action.auto_add_dates))
        ctx.output.warn(
            f"«{action.title}» adds the products on its auto-add lists on {dates}: Ozon "
            "may add these back then — add --no-auto-add to take them off the lists too"
        )


def _warn_frozen(ctx: AppContext, action: Action) -> None:
    """A warning when the promotion is past its freeze date: Ozon's document says the
    seller can no longer change its product list then (products do not leave)."""
    from ozonctl.commands.promo.changes import frozen_reason

    reason = frozen_reason(action, dt.datetime.now(dt.UTC))
    if reason:
        ctx.output.warn(f"«{action.title}» ({action.id}): {reason}; they will stay in it")


def _requests(n: int) -> int:
    return math.ceil(n / ITEM_LIMIT)


def _method_path(action: Action) -> str:
    if action.leave_method == "deactivate":
        return "/v2/actions/products/deactivate"
    return "/v1/actions/products/update"


# --- sending -----------------------------------------------------------------------------------


def leave_price(item: dict[str, Any]) -> Decimal:
    """An action price past the promotion's limit (boosting): the regular price when it
    is above the limit, else one kopeck above the limit."""
    price = dec(item.get("price"))
    limit = dec(item.get("max_action_price")) or dec(item.get("action_price")) or Decimal(0)
    if price is not None and price > limit:
        return price
    return limit + Decimal("0.01")


def _why_not(action: Action) -> str:
    now = dt.datetime.now(dt.UTC)
    if action.freeze_date is not None and action.freeze_date <= now:
        return (
            f"not removed: the promotion is frozen since {action.freeze_date:%Y-%m-%d}"
            " (Ozon gives no reason)"
        )
    return "not removed by Ozon (deactivate gives no reason)"


def _send(
    ctx: AppContext,
    client: OzonClient,
    action: Action,
    op: Operation,
    items: list[dict[str, Any]],
    first_step: int,
) -> int:
    with ctx.output.progress("Leaving", total=len(items)) as bar:
        if action.leave_method != "deactivate":
            return send_updates(
                client,
                action,
                op,
                items,
                first_step=first_step,
                price=leave_price,
                leaving=True,
                advance=bar.advance,
            )
        ids = [int(it["id"]) for it in items]
        why = _why_not(action)
        return run_journaled(
            op,
            first_step=first_step,
            item_id=int,
            send=lambda before, done: client.promos.deactivate(
                action.id, ids, before_batch=before, on_done=done
            ),
            interpret=lambda batch, resp: from_deactivate(batch, resp, why),
            advance=bar.advance,
        )


def _drop_auto_add(
    ctx: AppContext,
    client: OzonClient,
    action: Action,
    op: Operation,
    auto_add: dict[str, list[int]],
    step: int,
) -> int:
    for date, ids in auto_add.items():
        report = client.promos.auto_add_delete(action.id, date, ids)
        removed: set[int] = set()
        errors = []
        for o in report.outcomes:
            if o.ok:
                removed.update(o.response)
            else:
                errors.append(str(o.error))
        op.record(step, "autoadd", {"date": date, "requested": ids, "removed": sorted(removed)})
        step += 1
        kept = len(ids) - len(removed)
        if kept:
            ctx.output.warn(
                f"{kept} products stay on the {local_day(date)} auto-add list"
                + (f" ({errors[0]})" if errors else "")
            )
        else:
            ctx.output.info(f"took {len(removed)} products off the {local_day(date)} auto-add list")
    return step


# --- resuming and reporting -------------------------------------------------------------------


def _resume(ctx: AppContext, client: OzonClient, action: Action, state: OpState) -> None:
    op = state.op
    # not answered, or answered "unknown": the promotion (read after wait_out) tells
    unsure = state.unsure
    remaining = [
        it
        for it in state.snapshot
        if int(it["id"]) not in state.outcomes or int(it["id"]) in unsure
    ]
    ctx.output.info(
        f"finishing the interrupted leave {op.ref}: {len(state.outcomes)} of "
        f"{len(state.snapshot)} products answered already, {len(remaining)} to go"
    )
    current = {p.id for p in client.promos.products(action.id)} if remaining else set()
    todo, gone = still_in(remaining, current)
    if ctx.dry_run:
        rows = [
            result_row(it, state.outcomes.get(int(it["id"])) or gone.get(int(it["id"])))
            for it in state.snapshot
        ]
        for r in rows:
            if r["status"] == "not_sent":
                r["status"], r["reason"] = "would_leave", ""
        ctx.output.outcomes(
            RESULT_COLUMNS, rows, ref=op.ref, dry_run=True, key="status", schema=PROMO_CHANGE
        )
        ctx.output.info(
            f"dry run: would take the remaining {len(todo)} products out with "
            f"{_requests(len(todo))} {_method_path(action)} request(s); nothing was sent"
        )
        return
    if todo:
        ctx.confirm(f"Take the remaining {len(todo)} products out of «{action.title}»?")
    step = record_checked(op, state.next_step, gone)
    sent = 0
    if todo:
        sent = _send(ctx, client, action, op, todo, step)
    report(ctx, action, op, [], sent, verb="left")
