"""``listing stock cover``: days each product's stock lasts at its recent sales rate (the
work is in ``ozonctl.domain.cover``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

import typer

from ozonctl.cli.choices import one_of
from ozonctl.cli.context import app_context
from ozonctl.cli.schemas import STOCK_COVER

CoverDays = Annotated[
    int,
    typer.Option("--days", min=1, max=180, help="Days of sales the local rate is taken over."),
]


def cover(
    below: Annotated[
        float | None,
        typer.Option(
            "--below", metavar="DAYS", min=0, help="Only products whose stock lasts under DAYS."
        ),
    ] = None,
    days: CoverDays = 30,
    source: Annotated[
        str,
        typer.Option(
            "--source",
            callback=one_of("auto", "postings"),
            help="auto: Ozon's turnover method for products stocked only at Ozon, the local "
            "sales history for the rest; postings: the local history for every product.",
        ),
    ] = "auto",
    refresh: Annotated[
        bool, typer.Option("--refresh", help="Read new postings and ask Ozon again first.")
    ] = False,
) -> None:
    """Days of cover: how long each product's stock lasts at its sales rate.

    Stock is FBS free stock plus FBO stock; the rate is the units sold a day over the
    last --days full days (FBS and FBO postings not cancelled), or, for a product
    stocked only at Ozon, Ozon's own figure from its turnover method (FBO sales over 60
    days). Products that did not sell have no days of cover and are not "below"."""
    import datetime as dt

    from ozonctl.catalog.sales import SalesHistory
    from ozonctl.cli.output import Column
    from ozonctl.client.models.products import FBS_SOURCES
    from ozonctl.domain import cover as domain

    ctx = app_context()
    client = ctx.client()
    today = dt.datetime.now(dt.UTC).date()
    history = (
        SalesHistory.refresh(ctx.catalog_dir(), client, days + 1)
        if refresh
        else SalesHistory.ensure(ctx.catalog_dir(), ctx.client, days + 1, say=ctx.output.info)
    )
    rates = domain.Rates.from_history(history, days, today)
    turnover = {}
    if source == "auto":
        from ozonctl.commands.analytics import analytics_for

        turnover = {t.sku: t for t in analytics_for(ctx, refresh).turnover() if t.sku}

    def rows() -> Iterator[dict[str, Any]]:
        for p in client.products.stocks():
            if not p.sku:
                continue
            fbs = p.fbs_free
            fbo = sum(s.present - s.reserved for s in p.stocks if s.type.lower() not in FBS_SOURCES)
            row = domain.row(p.sku, p.offer_id, fbs, fbo, rates, turnover.get(p.sku))
            if below is None or domain.below(row["days"], below):
                yield row

    ctx.output.rows(
        [
            Column("offer_id", "Offer ID"),
            Column("sku", "SKU", justify="right"),
            Column("free_stock", "FBS stock", justify="right"),
            Column("fbo_stock", "FBO stock", justify="right"),
            Column("per_day", "Sold a day", justify="right"),
            Column("days", "Days of cover", justify="right"),
            Column("source", "Source"),
            Column("grade", "Ozon grade"),
        ],
        rows(),
        empty="no product runs out within that many days" if below is not None else "no stock",
        schema=STOCK_COVER,
    )
