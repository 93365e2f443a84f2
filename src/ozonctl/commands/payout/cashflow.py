"""``ozonctl payout cashflow``: the cash-flow statement, one row per half month."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ozonctl.cli.csvout import CsvOption
from ozonctl.cli.output import Column
from ozonctl.commands.payout._dates import FromOption, MonthOption, ToOption

if TYPE_CHECKING:
    from ozonctl.client.models.finance import CashFlow

COLUMNS = [
    Column("begin", "From"),
    Column("end", "To"),
    Column("orders_amount", "Orders", justify="right"),
    Column("returns_amount", "Returns", justify="right"),
    Column("commission_amount", "Commission", justify="right"),
    Column("services_amount", "Services", justify="right"),
    Column("delivery_amount", "Logistics", justify="right"),
    Column("currency", "Cur"),
]


def cashflow_row(flow: CashFlow) -> dict[str, Any]:
    from ozonctl.client.models.finance import day_of

    return {
        "period_id": flow.period.id,
        "begin": day_of(flow.period.begin),
        "end": day_of(flow.period.end),
        "orders_amount": flow.orders_amount,
        "returns_amount": flow.returns_amount,
        "commission_amount": flow.commission_amount,
        "services_amount": flow.services_amount,
        "delivery_amount": flow.item_delivery_and_return_amount,
        "currency": flow.currency_code,
    }


def cashflow(
    date_from: FromOption = None,
    date_to: ToOption = None,
    month: MonthOption = None,
    csv: CsvOption = None,
) -> None:
    """The cash-flow statement (/v1/finance/cash-flow-statement/list), period by period.

    Ozon reports by half months (1st–15th and 16th–end): the period is widened to whole
    halves, and read page by page."""
    import datetime as dt

    from ozonctl.cli.context import app_context
    from ozonctl.cli.csvout import check_csv_target, emit_rows
    from ozonctl.cli.schemas import CASHFLOW_PERIOD
    from ozonctl.commands.payout._dates import half_month_end, half_month_start, period

    ctx = app_context()
    start, end, _ = period(date_from, date_to, month)
    check_csv_target(csv)
    first, last = half_month_start(start), half_month_end(end)
    if (first, last) != (start, end):
        ctx.output.info(f"Ozon reports by half months: reading {first} … {last}")
    moments = (
        dt.datetime.combine(first, dt.time.min, dt.UTC),
        dt.datetime.combine(last, dt.time.max, dt.UTC),
    )
    flows = ctx.client().finance.cash_flows(*moments)
    emit_rows(
        ctx.output,
        COLUMNS,
        (cashflow_row(f) for f in flows),
        csv=csv,
        empty="no cash-flow periods found",
        schema=CASHFLOW_PERIOD,
    )
