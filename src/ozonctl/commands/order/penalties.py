"""``order penalties``: the postings that cost the FBS/rFBS error index points and money,
and why (a seller's cancellation or a late shipment), with Ozon's index.

``/v1/rating/index/fbs/posting/list`` lists the postings; ``/v1/rating/index/fbs/info``
gives the index and the processing costs of Ozon's current period, which is the default
period here, so the total printed is the one Ozon charges.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Annotated, Any

import typer

from ozonctl.cli.context import app_context
from ozonctl.cli.period import FORMS, MonthOption, ToOption, moments

WHY = {"SELLER_CANCELLATION": "cancelled by the seller", "SELLER_DELAY": "shipped late"}


def penalties(
    since: Annotated[
        str | None,
        typer.Option(
            "--from", metavar="WHEN", help=f"From ({FORMS}); default: Ozon's index period."
        ),
    ] = None,
    to: ToOption = None,
    month: MonthOption = None,
) -> None:
    """Postings that cost index points and money: type, when, price, charge; then the
    total and Ozon's FBS/rFBS error index for its period."""
    from ozonctl.cli.output import Column
    from ozonctl.cli.period import now_utc
    from ozonctl.client.models.penalties import moment_of
    from ozonctl.commands.order._common import period

    ctx = app_context()
    client = ctx.client().postings
    info = client.index_info()
    first, last = moments(since, to, month)
    start, end = period(
        (
            first or moment_of(info.period_from),
            last or moment_of(info.period_to) or now_utc(),
        ),
        default_days=14,
    )
    shown: list[Decimal] = []  # the charges of the rows written (--limit stops the walk)

    def rows() -> Iterator[dict[str, Any]]:
        for e in client.index_postings(start, end):
            shown.append(e.charge_price or Decimal(0))
            yield {
                "posting_number": e.posting_number,
                "type": e.posting_error_type,
                "why": WHY.get(e.posting_error_type, e.posting_error_type.lower()),
                "at": e.error_at,
                "product_price": e.product_price,
                "charge_percent": e.charge_percent,
                "charge_price": e.charge_price,
                "currency_code": e.charge_price_currency_code,
                "grace": e.has_grace_status,
            }

    columns = [
        Column("posting_number", "Posting"),
        Column("why", "Why"),
        Column("at", "When"),
        Column("product_price", "Price", justify="right"),
        Column("charge_percent", "Charge %", justify="right"),
        Column("charge_price", "Charge", justify="right"),
    ]
    from ozonctl.cli.schemas import PENALTY

    ctx.output.rows(columns, rows(), empty="no penalised postings in this period", schema=PENALTY)
    total = sum(shown, Decimal(0))
    ctx.output.info(
        f"{len(shown)} posting(s) cost {total} {info.currency_code or 'RUB'} "
        f"from {start:%Y-%m-%d} to {end:%Y-%m-%d}"
    )
    ctx.output.info(
        f"Ozon's error index: {info.index}% for {info.period_from[:10]} – "
        f"{info.period_to[:10]} (costs {info.processing_costs_sum} {info.currency_code})"
    )
