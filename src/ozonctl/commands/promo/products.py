"""``promo products`` and ``promo candidates``: what each product costs in a promotion, and
which ones lose money (``--discount-over``, ``--below-min-price``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

import typer

from ozonctl.cli.context import app_context
from ozonctl.commands.promo.common import (
    PRODUCT_COLUMNS,
    ActionId,
    find_action,
    loss_filter,
    product_row,
    with_cards,
)

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


def _show(action_id: int, candidates: bool, discount_over: float | None, below_min: bool) -> None:
    ctx = app_context()
    client = ctx.client()
    filters = loss_filter(discount_over, below_min)
    action = find_action(client, action_id)
    source = client.promos.candidates if candidates else client.promos.products

    def rows() -> Iterator[dict[str, Any]]:
        for p, card in with_cards(client, source(action.id)):
            row = product_row(p, card)
            if filters.keep(row):
                yield row

    what = "candidates" if candidates else "products"
    ctx.output.rows(
        PRODUCT_COLUMNS,
        rows(),
        title=f"{action.title} ({action.id})" if ctx.output.human else None,
        empty=f"no {what} match" if filters.active else f"no {what}",
    )


def products(
    action_id: ActionId,
    discount_over: DiscountOver = None,
    below_min_price: BelowMinPrice = False,
) -> None:
    """What each product costs in a promotion.

    Offer id, SKU, name, regular and action price, the largest allowed action price,
    discount and stock; the filters keep the products that lose money."""
    _show(action_id, False, discount_over, below_min_price)


def candidates(
    action_id: ActionId,
    discount_over: DiscountOver = None,
    below_min_price: BelowMinPrice = False,
) -> None:
    """Products that may join a promotion.

    The same columns as `promo products`, at the action price Ozon proposes."""
    _show(action_id, True, discount_over, below_min_price)
