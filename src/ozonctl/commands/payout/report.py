"""``ozonctl payout report``: the monthly realization report, one row per product."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ozonctl.cli.csvout import CsvOption
from ozonctl.cli.output import Column
from ozonctl.commands.payout._dates import OneMonthOption

if TYPE_CHECKING:
    from ozonctl.client.models.finance import RealizationRow

COLUMNS = [
    Column("row", "#", justify="right"),
    Column("sku", "SKU", justify="right"),
    Column("offer_id", "Offer id", max_width=20),
    Column("name", "Name", max_width=36),
    Column("price", "Price", justify="right"),
    Column("sold_qty", "Sold", justify="right"),
    Column("sold_amount", "Sold for", justify="right"),
    Column("sold_fee", "Ozon fee", justify="right"),
    Column("sold_total", "Sold total", justify="right"),
    Column("returned_qty", "Ret.", justify="right"),
    Column("returned_amount", "Returned for", justify="right"),
    Column("returned_total", "Return total", justify="right"),
    Column("net", "Net", justify="right"),
]


def report_row(row: RealizationRow) -> dict[str, Any]:
    sold, returned = row.sold, row.returned
    return {
        "row": row.row_number,
        "sku": row.item.sku,
        "offer_id": row.item.offer_id,
        "name": row.item.name,
        "barcode": row.item.barcode,
        "commission_ratio": row.commission_ratio,
        "price": row.seller_price_per_instance,
        "sold_qty": sold.quantity,
        "sold_amount": sold.amount,
        "sold_fee": sold.standard_fee,
        "sold_bonus": sold.bonus,
        "sold_partner_programs": sold.bank_coinvestment
        + sold.stars
        + sold.pick_up_point_coinvestment,
        "sold_total": sold.total,
        "returned_qty": returned.quantity,
        "returned_amount": returned.amount,
        "returned_fee": returned.standard_fee,
        "returned_total": returned.total,
        "net": row.net,
    }


def report(month: OneMonthOption, csv: CsvOption = None) -> None:
    """The realization report of a month (/v2/finance/realization), per product: sold
    and returned quantities and amounts, Ozon's fee, and the net.

    Ozon publishes a month's report by the 5th of the next month."""
    import datetime as dt

    from ozonctl.cli.context import app_context
    from ozonctl.cli.csvout import check_csv_target, emit_rows
    from ozonctl.client.errors import NotFoundError
    from ozonctl.commands.payout._dates import EARLIEST_REALIZATION, parse_month, today
    from ozonctl.errors import OzonctlError, UsageError

    ctx = app_context()
    year, mon = parse_month(month)
    first = dt.date(year, mon, 1)
    if first < EARLIEST_REALIZATION:
        raise UsageError(
            f"--month {month}: the API has reports from {EARLIEST_REALIZATION:%Y-%m}",
            hint="older reports are in the seller account",
        )
    now = today()
    if first >= now.replace(day=1):
        raise UsageError(
            f"--month {month}: the month is not over; Ozon publishes its report by the 5th "
            "of the next month"
        )
    check_csv_target(csv)
    try:
        result = ctx.client().finance.realization(year, mon)
    except NotFoundError as exc:
        raise OzonctlError(
            f"Ozon has no realization report for {month} yet ({exc.message})",
            hint="it is published by the 5th of the next month; try again then",
        ) from None
    header = result.header
    if header.number or header.start_date:
        ctx.output.info(
            f"Realization report {header.number or '—'} of {header.doc_date or '—'}, "
            f"{header.start_date} … {header.stop_date}, {header.currency_sys_name or ''}".rstrip(
                ", "
            )
        )
    rows = [report_row(r) for r in result.rows]
    from ozonctl.cli.schemas import REPORT_LINE

    emit_rows(
        ctx.output, COLUMNS, rows, csv=csv, empty="the report has no rows", schema=REPORT_LINE
    )
    if rows:
        net = sum((r["net"] for r in rows), start=rows[0]["net"] * 0)
        ctx.output.info(
            f"{len(rows)} products: sold {sum(r['sold_qty'] for r in rows)}, returned "
            f"{sum(r['returned_qty'] for r in rows)}, net {net}"
        )
