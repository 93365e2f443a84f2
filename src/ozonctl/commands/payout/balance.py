"""``ozonctl payout balance``: opening and closing balance, accrued and paid, over any
period (one call per ≤30 days, combined)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ozonctl.cli.csvout import CsvOption
from ozonctl.cli.output import Column
from ozonctl.commands.payout._dates import FromOption, MonthOption, ToOption

if TYPE_CHECKING:
    from ozonctl.cli.output import Output
    from ozonctl.client.models.finance import Balance

COLUMNS = [
    Column("part", "Part"),
    Column("from", "From"),
    Column("to", "To"),
    Column("opening_balance", "Opening", justify="right"),
    Column("accrued", "Accrued", justify="right"),
    Column("payments", "Paid", justify="right"),
    Column("closing_balance", "Closing", justify="right"),
    Column("currency", "Cur"),
]


def balance_rows(bal: Balance) -> list[dict[str, Any]]:
    """One row per call's period, then the whole period (``part`` = ``total``)."""
    rows: list[dict[str, Any]] = []
    for n, part in enumerate(bal.periods, 1):
        total = part.report.total
        rows.append(
            {
                "part": str(n),
                "from": part.date_from,
                "to": part.date_to,
                "opening_balance": total.opening_balance.value,
                "accrued": total.accrued.value,
                "payments": total.paid,
                "closing_balance": total.closing_balance.value,
                "currency": total.accrued.currency_code or bal.currency,
            }
        )
    rows.append(
        {
            "part": "total",
            "from": bal.date_from,
            "to": bal.date_to,
            "opening_balance": bal.opening_balance,
            "accrued": bal.accrued,
            "payments": bal.payments,
            "closing_balance": bal.closing_balance,
            "currency": bal.currency,
        }
    )
    return rows


def balance_document(bal: Balance) -> dict[str, Any]:
    return {
        "from": bal.date_from,
        "to": bal.date_to,
        "currency": bal.currency,
        "opening_balance": bal.opening_balance,
        "accrued": bal.accrued,
        "payments": bal.payments,
        "closing_balance": bal.closing_balance,
        "sales": {"amount": bal.sales_amount, "fee": bal.sales_fee},
        "returns": {"amount": bal.returns_amount, "fee": bal.returns_fee},
        "services": [{"name": k, "amount": v} for k, v in bal.services.items()],
        "periods": [r for r in balance_rows(bal) if r["part"] != "total"],
    }


def render_flows(output: Output, bal: Balance) -> None:
    """The income and expense lines of the period, for a person."""
    from rich.table import Table

    table = Table(title="Income and expenses", show_edge=False, header_style="bold")
    table.add_column("Line")
    table.add_column("Amount", justify="right")
    table.add_row("Sales", str(bal.sales_amount))
    table.add_row("Ozon fee on sales", str(bal.sales_fee))
    table.add_row("Returns", str(bal.returns_amount))
    table.add_row("Ozon fee on returns", str(bal.returns_fee))
    for name, amount in bal.services.items():
        table.add_row(name, str(amount))
    output.console.print(table)


def balance(
    date_from: FromOption = None,
    date_to: ToOption = None,
    month: MonthOption = None,
    csv: CsvOption = None,
) -> None:
    """The balance report (/v1/finance/balance): opening and closing balance, accrued,
    payments. Default period: this month to today. Ozon takes at most 30 days a call;
    a longer period is read in 30-day parts and combined."""
    from ozonctl.cli.context import app_context
    from ozonctl.cli.csvout import check_csv_target, emit_table
    from ozonctl.cli.schemas import BALANCE
    from ozonctl.commands.payout._dates import period, today

    ctx = app_context()
    now = today()
    start, end, clamped = period(date_from, date_to, month, default=(now.replace(day=1), now))
    check_csv_target(csv)
    if clamped:
        ctx.output.info(f"--to is in the future; reading up to today ({end})")
    bal = ctx.client().finance.balance(start, end)
    emit_table(
        ctx.output,
        COLUMNS,
        balance_rows(bal),
        csv=csv,
        document=balance_document(bal),
        title=f"Balance {start} … {end}",
        schema=BALANCE,
    )
    if ctx.output.human and csv is None:
        render_flows(ctx.output, bal)
