"""``listing margin``: what each product leaves after Ozon's fees and the seller's cost,
per sales scheme, at its current price (the arithmetic: :mod:`ozonctl.domain.margin`).

Products without a known cost (no ``net_price`` at Ozon, not in the costs file) have no
margin: they are counted on stderr and listed with ``--no-cost``, never among the
margins."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ozonctl.cli.context import app_context
from ozonctl.cli.fromfile import FromFileOption, ids_from
from ozonctl.commands._margin import (
    ESTIMATE_NOTE,
    CostFileOpt,
    SchemeOpt,
    percent,
    run_costs,
    schemes,
)

if TYPE_CHECKING:
    from ozonctl.cli.output import Column


def margin_columns() -> list[Column]:
    from ozonctl.cli.output import Column
    from ozonctl.commands.promo.common import pct

    return [
        Column("offer_id", "Offer ID"),
        Column("product_id", "Product ID", justify="right"),
        Column("scheme", "Scheme"),
        Column("price", "Price", justify="right"),
        Column("commission", "Commission", justify="right"),
        Column("logistics_estimate", "Logistics (est.)", justify="right"),
        Column("processing_estimate", "Processing (est.)", justify="right"),
        Column("last_mile", "Last mile", justify="right"),
        Column("acquiring", "Acquiring", justify="right"),
        Column("cost", "Cost", justify="right"),
        Column("cost_source", "Cost from"),
        Column("margin", "Margin", justify="right"),
        Column("margin_pct", "Margin %", justify="right", fmt=lambda v: pct(v)),
    ]


def no_cost_columns() -> list[Column]:
    from ozonctl.cli.output import Column

    return [
        Column("offer_id", "Offer ID"),
        Column("product_id", "Product ID", justify="right"),
        Column("price", "Price", justify="right"),
        Column("reason", "Reason"),
    ]


def margin(
    products: Annotated[
        list[str] | None, typer.Argument(help="Offer ids, SKUs or product ids (default: all).")
    ] = None,
    below: Annotated[
        float | None,
        typer.Option(
            "--below", metavar="PCT", help="Only margins below PCT % of the price (0: losses)."
        ),
    ] = None,
    scheme: SchemeOpt = None,
    cost_file: CostFileOpt = None,
    no_cost: Annotated[
        bool,
        typer.Option(
            "--no-cost", help="List the products whose margin is unknown instead, and why."
        ),
    ] = False,
    from_file: FromFileOption = None,
) -> None:
    """Margin per product and scheme: price − commission − logistics − last mile −
    acquiring − your cost.

    Ozon's fees come from /v5/product/info/prices; your cost from net_price at Ozon, else
    --cost-file (or the cost_file setting). Logistics and processing are estimates (the
    upper end of Ozon's range). Products without a known cost are counted on stderr and
    listed with --no-cost, never as profitable."""
    from ozonctl.commands.promo.common import cents
    from ozonctl.domain.margin import product_margins

    ctx = app_context()
    threshold = percent(below, "--below")
    costs = run_costs(ctx, cost_file)
    products = ids_from(products, from_file)
    client = ctx.client()
    pids: list[int] = []
    if products:
        from ozonctl.commands.listing._common import known_products

        pids = [e.product_id for e in known_products(ctx, client, products)]
    counted = schemes(scheme)
    unknown = [0]

    def rows() -> Iterator[dict[str, Any]]:
        for item in client.products.prices(product_ids=pids):
            pm = product_margins(item, costs, schemes=counted)
            if not pm.margins:
                unknown[0] += 1
                if no_cost:
                    yield {
                        "offer_id": pm.offer_id,
                        "product_id": pm.product_id,
                        "price": cents(pm.price),
                        "reason": pm.missing,
                    }
                continue
            if no_cost:
                continue
            for m in pm.margins.values():
                if threshold is not None and not m.below(threshold):
                    continue
                yield {
                    "offer_id": pm.offer_id,
                    "product_id": pm.product_id,
                    "scheme": m.scheme.upper(),
                    "price": m.price,
                    "commission": m.commission,
                    "commission_pct": item_pct(item, m.scheme),
                    "logistics_estimate": m.logistics,
                    "processing_estimate": m.processing,
                    "last_mile": m.last_mile,
                    "acquiring": m.acquiring,
                    "cost": m.cost,
                    "cost_source": pm.cost_source,
                    "margin": m.margin,
                    "margin_pct": m.percent,
                }

    columns: list[Column] = no_cost_columns() if no_cost else margin_columns()
    ctx.output.rows(
        columns,
        rows(),
        empty="every product has a known margin"
        if no_cost
        else ("no margins below that" if threshold is not None else "no margins"),
    )
    if no_cost:
        return
    if unknown[0]:
        n = unknown[0]
        ctx.output.info(
            f"{n} {'product has' if n == 1 else 'products have'} no margin (no known cost, "
            "or fees Ozon did not send): not counted; see `ozonctl listing margin --no-cost`"
        )
    if ctx.output.human:
        ctx.output.info(ESTIMATE_NOTE)


def item_pct(item: Any, scheme: str) -> Any:
    """Ozon's sales commission percent of ``scheme`` (as sent)."""
    return getattr(item.commissions, f"sales_percent_{scheme}", None)
