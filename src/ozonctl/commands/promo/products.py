"""``promo products`` and ``promo candidates``: what each product costs in a promotion, and
which ones lose money (``--discount-over``, ``--below-min-price``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ozonctl.cli.context import app_context
from ozonctl.commands._margin import (
    CostFileOpt,
    MarginBelowOpt,
    SchemeOpt,
    public,
    run_costs,
    with_margins,
)
from ozonctl.commands.promo.common import (
    INFO_CHUNK,
    PRODUCT_COLUMNS,
    ActionId,
    ActionPriceOpt,
    DiscountOpt,
    Pricing,
    find_action,
    join_price,
    loss_filter,
    priced,
    pricing,
    product_row,
    with_cards,
)
from ozonctl.commands.promo.cover import COVER_COLUMN, LowCover, cover_filter
from ozonctl.commands.promo.own_products import own_row

if TYPE_CHECKING:
    from pathlib import Path

    from ozonctl.client.client import OzonClient
    from ozonctl.commands.promo.common import LossFilter

DiscountOver = Annotated[
    float | None,
    typer.Option(
        "--discount-over",
        metavar="PCT",
        help="Only products whose action price is more than PCT % below the regular price.",
    ),
]
BelowMinPrice = Annotated[
    bool,
    typer.Option(
        "--below-min-price",
        help="Only products whose action price is below the product's min price.",
    ),
]


def _seller_rows(
    client: OzonClient, action_id: int, candidates: bool
) -> Iterator[dict[str, Any]] | None:
    """Rows of one of the seller's own promotions (its products, or the products that may
    join it), or None when ``action_id`` is not one."""
    if client.promos.get_action(action_id) is not None:
        return None
    own = next(iter(client.promos.seller_actions([action_id])), None)
    if own is None:
        return None

    def rows() -> Iterator[dict[str, Any]]:
        source = (
            client.promos.seller_action_candidates
            if candidates
            else client.promos.seller_action_products
        )
        for p in source(action_id):
            yield own_row(p)

    return rows()


def _show(
    action_id: int,
    candidates: bool,
    filters: LossFilter,
    cost_file: Path | None,
    prices: Pricing | None = None,
    low_cover: float | None = None,
) -> None:
    """The products (or, with ``prices``, the candidates at the price each would join
    at) of a promotion with their margins at that price, through the loss filters."""
    from ozonctl.cli.schemas import PROMO_PRODUCT

    ctx = app_context()
    costs = run_costs(ctx, cost_file)
    client = ctx.client()
    covered = cover_filter(ctx, low_cover)
    columns = (*PRODUCT_COLUMNS, COVER_COLUMN) if low_cover is not None else PRODUCT_COLUMNS

    # --limit N: cards and fees N products a call, none read ahead, so the walk stops
    limit = ctx.output.limit
    chunk = min(limit, INFO_CHUNK) if limit else INFO_CHUNK

    def shown(rows: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for row in with_margins(client, rows, costs, filters.scheme, chunk=chunk):
            if filters.keep(row) and covered(row):
                yield public(row)

    what = "candidates" if candidates else "products"
    own_rows = _seller_rows(client, action_id, candidates)
    if own_rows is not None:
        ctx.output.rows(
            columns,
            shown(own_rows),
            title=f"your promotion {action_id}" if ctx.output.human else None,
            empty=f"no {what} match" if filters.active else f"no {what}",
            schema=PROMO_PRODUCT,
        )
        return
    action = find_action(client, action_id)
    source = client.promos.candidates if candidates else client.promos.products

    def rows() -> Iterator[dict[str, Any]]:
        for p, card in with_cards(client, source(action.id), ahead=0 if limit else 2, chunk=chunk):
            row = product_row(p, card)
            if prices is not None:
                row = priced(row, join_price(row, prices, is_in=False)[0])
            yield row

    ctx.output.rows(
        columns,
        shown(rows()),
        title=f"{action.title} ({action.id})" if ctx.output.human else None,
        empty=f"no {what} match" if filters.active else f"no {what}",
        schema=PROMO_PRODUCT,
    )


def products(
    action_id: ActionId,
    discount_over: DiscountOver = None,
    below_min_price: BelowMinPrice = False,
    margin_below: MarginBelowOpt = None,
    scheme: SchemeOpt = None,
    cost_file: CostFileOpt = None,
    low_cover: LowCover = None,
) -> None:
    """What each product costs in a promotion (Ozon's or one of your own).

    Offer id, SKU, name, regular and action price, the largest allowed action price,
    discount, stock, and the margin at the action price after Ozon's fees and your cost
    (see `listing margin`); the filters keep the products that lose money, --low-cover
    those whose stock would run out within DAYS."""
    filters = loss_filter(discount_over, below_min_price, margin_below, scheme)
    _show(action_id, False, filters, cost_file, low_cover=low_cover)


def candidates(
    action_id: ActionId,
    discount_over: DiscountOver = None,
    below_min_price: BelowMinPrice = False,
    action_price: ActionPriceOpt = None,
    discount: DiscountOpt = None,
    margin_below: MarginBelowOpt = None,
    scheme: SchemeOpt = None,
    cost_file: CostFileOpt = None,
) -> None:
    """Products that may join a promotion, at the price each would join at.

    The same columns as `promo products`, at the price `promo join` would send: the
    largest allowed action price, or --action-price / --discount as given; the discount,
    the min-price check and the margin follow from it, so the filters show what would
    lose money."""
    filters = loss_filter(discount_over, below_min_price, margin_below, scheme)
    _show(action_id, True, filters, cost_file, pricing(action_price, discount))
