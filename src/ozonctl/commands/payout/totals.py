"""``ozonctl payout totals``: the period's accruals summed by kind, and the net."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ozonctl.cli.csvout import CsvOption
from ozonctl.cli.output import Column
from ozonctl.commands.payout._dates import FromOption, MonthOption, ToOption

if TYPE_CHECKING:
    import datetime as dt

    from ozonctl.cli.context import AppContext
    from ozonctl.domain.ledger import Totals

COLUMNS = [
    Column("kind", "Kind"),
    Column("amount", "Amount", justify="right"),
    Column("currency", "Cur"),
    Column("lines", "Lines", justify="right"),
]


def compute_totals(ctx: AppContext, start: dt.date, end: dt.date) -> Totals:
    """Walk the period's accruals (progress on a terminal) and sum their lines."""
    from ozonctl.domain.ledger import Totals, load_catalog, walk_lines

    client = ctx.client()
    catalog = load_catalog(client)
    with ctx.output.progress(f"Accruals {start} … {end}", total=(end - start).days + 1) as bar:
        return Totals().add_all(walk_lines(client, catalog, start, end, on_day=bar.advance))


def totals(
    date_from: FromOption = None,
    date_to: ToOption = None,
    month: MonthOption = None,
    csv: CsvOption = None,
) -> None:
    """Totals by kind (sales, commission, delivery, returns, services, compensations,
    other) and the net, summed exactly from every accrual line of the period."""
    from ozonctl.cli.context import app_context
    from ozonctl.cli.csvout import check_csv_target, emit_table
    from ozonctl.cli.schemas import TOTALS
    from ozonctl.commands.payout._dates import period
    from ozonctl.commands.payout._walk import note_other_types

    ctx = app_context()
    start, end, clamped = period(date_from, date_to, month)
    check_csv_target(csv)
    if clamped:
        ctx.output.info(f"--to is in the future; reading up to today ({end})")
    result = compute_totals(ctx, start, end)
    emit_table(
        ctx.output,
        COLUMNS,
        result.rows(),
        csv=csv,
        document={"from": start, "to": end, **result.document()},
        title=f"Accrued {start} … {end}",
        schema=TOTALS,
    )
    note_other_types(ctx.output, result)
