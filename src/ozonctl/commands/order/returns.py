"""``order returns``: FBO and FBS returns with their status and reason."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ozonctl.cli.choices import one_of
from ozonctl.cli.context import app_context
from ozonctl.cli.period import FORMS, MonthOption, SinceOption, ToOption, moments
from ozonctl.commands.order._common import period

if TYPE_CHECKING:
    from ozonctl.client.models.postings import ReturnItem

DEFAULT_DAYS = 30


def return_row(r: ReturnItem) -> dict[str, Any]:
    price = r.product.price
    return {
        "id": r.id,
        "posting_number": r.posting_number,
        "scheme": r.schema_.lower() if r.schema_ else None,
        "type": r.type,
        "status": r.visual.status.display_name or r.visual.status.sys_name,
        "status_code": r.visual.status.sys_name,
        "reason": r.return_reason_name,
        "sku": r.product.sku,
        "offer_id": r.product.offer_id,
        "quantity": r.product.quantity,
        "price": price.price if price else None,
        "currency": price.currency_code if price else "",
        "returned": r.logistic.return_date or r.visual.change_moment,
    }


def returns(
    since: Annotated[
        str | None,
        typer.Option(
            "--from", metavar="WHEN", help=f"Created from ({FORMS}); default 30 days ago."
        ),
    ] = None,
    to: ToOption = None,
    month: MonthOption = None,
    schema: Annotated[
        str | None,
        typer.Option(
            "--schema",
            metavar="FBS|FBO",
            help="Only FBS or only FBO.",
            callback=one_of("FBS", "FBO"),
        ),
    ] = None,
    old_since: SinceOption = None,
) -> None:
    """Returns (FBO and FBS): posting, type, status, reason, product, date. Every page."""
    from ozonctl.cli.output import Column

    ctx = app_context()
    kind = schema
    start, end = period(moments(since, to, month, since=old_since), default_days=DEFAULT_DAYS)
    rows: Iterator[dict[str, Any]] = (
        return_row(r) for r in ctx.client().postings.returns(start, end, kind)
    )
    columns = [
        Column("id", "ID", justify="right"),
        Column("posting_number", "Posting"),
        Column("scheme", "Scheme"),
        Column("type", "Type"),
        Column("status", "Status", max_width=24),
        Column("reason", "Reason", max_width=32),
        Column("sku", "SKU", justify="right"),
        Column("offer_id", "Offer", max_width=20),
        Column("quantity", "Qty", justify="right"),
        Column("returned", "Date"),
    ]
    from ozonctl.cli.schemas import RETURN

    ctx.output.rows(columns, rows, empty="no returns in this period", schema=RETURN)
