"""``promo join``: add products to a promotion (or re-price those already in it) with
``/v1/actions/products/update``, ≤1000 a request. Prices above the largest allowed action
price are caught before anything is sent."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ozonctl.cli.context import app_context
from ozonctl.cli.fromfile import FromFileOption
from ozonctl.commands._margin import (
    CostFileOpt,
    SchemeOpt,
    percent,
    run_costs,
    with_margins,
)
from ozonctl.commands.promo import own_products
from ozonctl.commands.promo.common import (
    NOT_CANDIDATE,
    ActionId,
    ActionPriceOpt,
    DiscountOpt,
    LossFilter,
    Planned,
    Pricing,
    carry_out,
    discount_pct,
    join_price,
    new_op,
    pricing,
    product_row,
    send_joins,
    with_cards,
)
from ozonctl.commands.promo.own_products import Own, find_any
from ozonctl.commands.promo.select import (
    OfferOpt,
    ProductOpt,
    Selection,
    SkuOpt,
    build_selection,
    resolve,
)
from ozonctl.domain.promo_runs import Outcome, dec, result_row, snap
from ozonctl.errors import UsageError

if TYPE_CHECKING:
    from ozonctl.client.client import OzonClient
    from ozonctl.client.models.promos import Action, ActionProduct
    from ozonctl.domain.margin import Costs


@dataclass
class JoinPlan:
    items: list[dict[str, Any]] = field(default_factory=list)
    """Snapshot items to send: the new action price and stock, and what was before."""
    caught: list[dict[str, Any]] = field(default_factory=list)
    """Result rows refused before sending (price above the maximum, not a candidate …)."""


def join(
    action_id: ActionId,
    product: ProductOpt = None,
    skus: SkuOpt = None,
    offers: OfferOpt = None,
    from_file: FromFileOption = None,
    all_candidates: Annotated[
        bool, typer.Option("--all-candidates", "--all", help="Every product that may join.")
    ] = False,
    action_price: ActionPriceOpt = None,
    discount: DiscountOpt = None,
    stock: Annotated[
        int | None,
        typer.Option(
            "--stock", metavar="N", min=1, help="Units in the promotion (promo-code promotions)."
        ),
    ] = None,
    margin_below: Annotated[
        float | None,
        typer.Option(
            "--margin-below",
            metavar="PCT",
            help="Refuse, before sending, products whose margin at the join price would be "
            "below PCT % of it (0: those that would lose money), and those without a known "
            "cost.",
        ),
    ] = None,
    scheme: SchemeOpt = None,
    cost_file: CostFileOpt = None,
) -> None:
    """Add products to a promotion (or re-price them).

    At the largest allowed action price (products already in keep theirs), or at
    --action-price / --discount; prices above the largest allowed action price are
    refused before sending, and with --margin-below those whose margin would fall below
    it. Exit 3 if any was rejected."""
    ctx = app_context()
    prices = pricing(action_price, discount, stock)
    floor = percent(margin_below, "--margin-below")
    costs = run_costs(ctx, cost_file) if floor is not None else None
    client = ctx.client()
    sel = build_selection(
        skus,
        offers,
        from_file,
        all_candidates,
        LossFilter(),
        all_flag="--all-candidates",
        products=product,
    )
    found = find_any(client, action_id)
    if isinstance(found, Own):
        if action_price is not None or stock is not None or floor is not None:
            raise UsageError(
                "--action-price, --stock and --margin-below are for Ozon's promotions; yours "
                "take --discount (a discount promotion) or nothing"
            )
        own_products.join(ctx, client, found, sel, prices.discount)
        return
    action = found
    if stock is not None and not action.is_voucher_action:
        raise UsageError(
            f"--stock applies only to promo-code promotions; «{action.title}» is not one"
        )
    plan = _plan(client, action, sel, prices)
    if costs is not None and floor is not None:
        _guard_margin(client, plan, costs, floor, scheme)
    n = len(plan.items)
    carry_out(
        ctx,
        Planned(
            "join",
            action,
            plan.items,
            would=[result_row(it, Outcome("would_join", _change(it))) for it in plan.items],
            others=plan.caught,
            plan_line=f"would add or re-price {n} products in «{action.title}» ({action.id}) "
            f"with {-(-n // 1000)} /v1/actions/products/update request(s); "
            f"{len(plan.caught)} refused before sending",
        ),
        lock=f"promo join {action.id}",
        start=lambda: new_op(
            ctx,
            "join",
            action,
            writes=["actions.products.update"],
            method="update",
            selection=sel.key(),
            selection_text=sel.describe(),
            products=n,
        ),
        send=lambda op: send_joins(ctx, client, action, op, plan.items),
    )


def _plan(client: OzonClient, action: Action, sel: Selection, prices: Pricing) -> JoinPlan:
    plan = JoinPlan()
    pairs: list[tuple[ActionProduct, Any, bool]] = []
    if sel.explicit:
        found = resolve(client, sel)
        wanted = set(found.cards)
        pool: dict[int, tuple[ActionProduct, bool]] = {}
        for source, is_in in ((client.promos.candidates, False), (client.promos.products, True)):
            for p in source(action.id):
                if p.id in wanted:
                    pool[p.id] = (p, is_in)
                    if len(pool) == len(wanted):
                        break
            if len(pool) == len(wanted):
                break
        pairs = [
            (pool[pid][0], card, pool[pid][1]) for pid, card in found.cards.items() if pid in pool
        ]
        plan.caught += found.outside(pool, "rejected", NOT_CANDIDATE)
    else:
        pairs = [(p, c, False) for p, c in with_cards(client, client.promos.candidates(action.id))]
    for p, card, is_in in pairs:
        row = product_row(p, card)
        item = {**snap(row), "was_in": is_in}
        if is_in:
            item["was_action_price"], item["was_stock"] = item["action_price"], item["stock"]
        problem = _price(item, row, prices, action.is_voucher_action, p)
        if problem:
            plan.caught.append(
                result_row(item, Outcome("rejected", f"caught before sending: {problem}"))
            )
        else:
            plan.items.append(item)
    return plan


def _guard_margin(
    client: OzonClient, plan: JoinPlan, costs: Costs, floor: Decimal, scheme: str | None
) -> None:
    """Move to ``plan.caught`` the items whose margin at their new action price is below
    ``floor`` percent, or unknown (no cost: never assumed profitable)."""
    rows = [
        {"product_id": it["id"], "action_price": Decimal(it["action_price"])} for it in plan.items
    ]
    kept = []
    for item, row in zip(plan.items, with_margins(client, rows, costs, scheme), strict=True):
        m = row["_margin"]
        if m is None:
            why = f"caught before sending: margin unknown ({row['margin_note']})"
        elif m.below(floor):
            why = (
                f"caught before sending: margin {m.margin} ({m.percent}%, {m.scheme.upper()}) "
                f"at {m.price} is below {floor}%"
            )
        else:
            kept.append(item)
            continue
        plan.caught.append(result_row(item, Outcome("rejected", why)))
    plan.items = kept


def _price(
    item: dict[str, Any],
    row: dict[str, Any],
    prices: Pricing,
    voucher: bool,
    p: ActionProduct,
) -> str:
    """Set the item's new action price and stock; say what is wrong, or ""."""
    regular: Decimal | None = row["price"]
    limit: Decimal | None = row["max_action_price"] or None
    new, problem = join_price(row, prices, is_in=bool(item["was_in"]))
    if new is None:
        return problem
    item["action_price"] = str(new)
    if limit is not None and new > limit:
        return f"action price {new} is above the largest allowed {limit}"
    if regular and new >= regular:
        return f"action price {new} is not below the regular price {regular}"
    if voucher:
        units = prices.stock or p.recommended_stock or p.min_stock or int(row["stock"] or 0)
        if units <= 0:
            return "a promo-code promotion needs units; give --stock N"
        item["stock"] = units
    else:
        item["stock"] = 0
    return ""


def _change(item: dict[str, Any]) -> str:
    if item.get("was_in"):
        return f"re-price from {item.get('was_action_price')}"
    d = discount_pct(dec(item.get("price")), dec(item.get("action_price")))
    return f"{d}% off" if d is not None else ""
