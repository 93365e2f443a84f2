"""``ozonctl payout transactions``: every accrual of a period (or of postings), one line
per accrued amount, in date order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ozonctl.cli.commas import commas
from ozonctl.cli.csvout import CsvOption
from ozonctl.cli.fromfile import FromFileOption, ids_from
from ozonctl.cli.output import Column
from ozonctl.commands.payout._dates import FromOption, MonthOption, ToOption

if TYPE_CHECKING:
    from ozonctl.client.client import OzonClient
    from ozonctl.domain.ledger import Line, TypeCatalog

COLUMNS = [
    Column("date", "Date"),
    Column("accrual_id", "Accrual", justify="right"),
    Column("unit", "Posting / unit", max_width=24),
    Column("category", "Category"),
    Column("sku", "SKU", justify="right"),
    Column("type_id", "Type id", justify="right"),
    Column("type", "Type", max_width=40),
    Column("kind", "Kind"),
    Column("amount", "Amount", justify="right"),
    Column("currency", "Cur"),
]


def transactions(
    date_from: FromOption = None,
    date_to: ToOption = None,
    month: MonthOption = None,
    type_: Annotated[
        list[str] | None,
        typer.Option(
            "--type",
            metavar="KIND|ID",
            help="Only these kinds (sales, commission, delivery, returns, services, "
            "compensations, other) or accrual type ids; repeat or comma-separate.",
            **commas(),
        ),
    ] = None,
    posting: Annotated[
        list[str] | None,
        typer.Option(
            "--posting",
            metavar="NUMBER",
            help="Only these postings (read by posting, 200 a call; --from/--to optional).",
            **commas(),
        ),
    ] = None,
    csv: CsvOption = None,
    from_file: FromFileOption = None,
) -> None:
    """Every accrual in the period: date, posting, SKU, type, kind and amount.

    Reads /v1/finance/accrual/by-day one day per call (paging by last_id), several days
    at a time under the rate limit, and prints the lines in date order as they arrive."""
    from ozonctl.cli.context import app_context
    from ozonctl.cli.csvout import check_csv_target, emit_rows
    from ozonctl.cli.schemas import TRANSACTION
    from ozonctl.commands.payout._dates import period
    from ozonctl.commands.payout._walk import note_other_types
    from ozonctl.domain.ledger import Line, LineFilter, Totals, load_catalog, walk_days

    ctx = app_context()
    wanted = LineFilter.parse(type_ or [])
    postings = ids_from(posting, from_file)
    bounds: tuple[dt.date, dt.date] | None = None
    if not postings or date_from is not None or date_to is not None or month is not None:
        start, end, clamped = period(date_from, date_to, month)
        bounds = (start, end)
        if clamped:
            ctx.output.info(f"--to is in the future; reading up to today ({end})")
    check_csv_target(csv)
    client = ctx.client()
    catalog = load_catalog(client)
    seen = Totals()  # only the lines of kind ``other``: all the closing note needs

    # with --csv the rows keep their Decimals (the file writes them with format "f");
    # otherwise date and amount are the text every output writes for them already
    row = Line.row if csv is not None else _text_row

    check = wanted if wanted else None  # LineFilter's truth is a method: ask it once
    low, high = bounds if bounds is not None else (dt.date.min, dt.date.max)

    def keep(lines: Iterable[Line]) -> list[dict[str, Any]]:
        """The rows of the lines that pass ``--type`` and fall in the period."""
        rows: list[dict[str, Any]] = []
        append = rows.append
        for line in lines:
            if (check is None or check(line)) and low <= line.date <= high:
                if line.kind == "other":
                    seen.add(line)
                append(row(line))
        return rows

    if postings:
        found = _posting_lines(client, catalog, postings)
        emit_rows(
            ctx.output, COLUMNS, keep(found), csv=csv, empty="no accruals found", schema=TRANSACTION
        )
    elif bounds is not None:
        start, end = bounds
        with ctx.output.progress(f"Accruals {start} … {end}", total=(end - start).days + 1) as bar:
            days = (
                keep(lines) for lines in walk_days(client, catalog, start, end, on_day=bar.advance)
            )
            if csv is None:  # a day's rows in one write
                ctx.output.page_rows(COLUMNS, days, empty="no accruals found", schema=TRANSACTION)
            else:
                rows = (r for day in days for r in day)
                emit_rows(
                    ctx.output,
                    COLUMNS,
                    rows,
                    csv=csv,
                    empty="no accruals found",
                    schema=TRANSACTION,
                )
    note_other_types(ctx.output, seen)


def _text_row(line: Line) -> dict[str, Any]:
    """``line.row()`` with the date and the amount as the text JSON, a pipe and a table
    write for them (ISO date, ``str`` of the Decimal): the same output, and the JSON
    encoder calls no ``default`` for them (two calls a row saved)."""
    day, accrual_id, unit, category, sku, type_id, type_name, kind, amount, currency = line
    return {
        "date": day.isoformat(),
        "accrual_id": accrual_id,
        "unit": unit,
        "category": category,
        "sku": sku,
        "type_id": type_id,
        "type": type_name,
        "kind": kind,
        "amount": str(amount),
        "currency": currency,
    }


def _posting_lines(client: OzonClient, catalog: TypeCatalog, postings: list[str]) -> list[Line]:
    """The lines of the given postings, in date order (a posting not found has none)."""
    from ozonctl.domain.ledger import posting_lines

    lines = [
        line
        for found in client.finance.posting_accruals(postings)
        for line in posting_lines(found, catalog)
    ]
    lines.sort(key=lambda line: line.date)
    return lines
