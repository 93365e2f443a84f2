"""``promo products ID --low-cover DAYS``: keep the products whose stock would run out
within DAYS at their recent sales rate ("this promotion will empty my stock"); the rate
and the days of cover are ``ozonctl.domain.cover``'s, from the local sales history."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ozonctl.cli.output import Column

if TYPE_CHECKING:
    from ozonctl.cli.context import AppContext

LowCover = Annotated[
    float | None,
    typer.Option(
        "--low-cover",
        metavar="DAYS",
        min=0,
        help="Only products whose stock lasts under DAYS at their sales rate of the last "
        "30 days (FBS and FBO postings); adds a days-of-cover column.",
    ),
]
COVER_COLUMN = Column("cover_days", "Days of cover", justify="right")


def cover_filter(ctx: AppContext, days: float | None) -> Callable[[dict[str, Any]], bool]:
    """A row filter that also sets the row's ``cover_days`` (all rows pass without
    ``days``)."""
    if days is None:
        return lambda row: True
    import datetime as dt

    from ozonctl.catalog.sales import SalesHistory
    from ozonctl.domain.cover import DEFAULT_DAYS, Rates, below

    history = SalesHistory.ensure(
        ctx.catalog_dir(), ctx.client, DEFAULT_DAYS + 1, say=ctx.output.info
    )
    rates = Rates.from_history(history, DEFAULT_DAYS, dt.datetime.now(dt.UTC).date())

    def keep(row: dict[str, Any]) -> bool:
        sku, stock = row.get("sku"), row.get("stock")
        row["cover_days"] = rates.cover(int(sku), int(stock or 0)) if sku else None
        return below(row["cover_days"], days)

    return keep
