"""Dates and periods of the payout commands: ``--from``/``--to``/``--month`` options,
their parsing (one-line usage errors, exit 2) and the periods Ozon's methods take."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Annotated

import typer

from ozonctl.errors import UsageError

EARLIEST_ACCRUAL = dt.date(2022, 1, 1)
"""``/v1/finance/accrual/by-day`` has nothing before this day."""
EARLIEST_REALIZATION = dt.date(2023, 8, 1)
"""``/v2/finance/realization`` has reports from August 2023."""

FromOption = Annotated[
    str | None, typer.Option("--from", metavar="YYYY-MM-DD", help="First day (included).")
]
ToOption = Annotated[
    str | None, typer.Option("--to", metavar="YYYY-MM-DD", help="Last day (included).")
]
MonthOption = Annotated[str, typer.Option("--month", metavar="YYYY-MM", help="The month.")]


def today() -> dt.date:
    return dt.date.today()


def parse_day(text: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(
            f"{option} {text!r}: not a date", hint="write it as YYYY-MM-DD, e.g. 2026-11-01"
        ) from None


def parse_month(text: str) -> tuple[int, int]:
    """``YYYY-MM`` → (year, month)."""
    try:
        first = dt.date.fromisoformat(text.strip() + "-01")
    except ValueError:
        raise UsageError(
            f"--month {text!r}: not a month", hint="write it as YYYY-MM, e.g. 2026-10"
        ) from None
    return first.year, first.month


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, 1), dt.date(year, month, last)


def period(
    start: str | None,
    end: str | None,
    *,
    earliest: dt.date = EARLIEST_ACCRUAL,
    default: tuple[dt.date, dt.date] | None = None,
) -> tuple[dt.date, dt.date, bool]:
    """``--from``/``--to`` as dates: both required unless ``default`` is given, in
    order, not before ``earliest`` nor after today. Returns (from, to, clamped): a ``to``
    after today is moved to today and ``clamped`` is True."""
    if start is None and end is None and default is not None:
        first, last = default
    elif start is None or end is None:
        missing = "--from" if start is None else "--to"
        raise UsageError(f"{missing} is required", hint="give the period as --from D --to D")
    else:
        first, last = parse_day(start, "--from"), parse_day(end, "--to")
    if last < first:
        raise UsageError(f"--to {last} is before --from {first}")
    if first < earliest:
        raise UsageError(f"--from {first}: Ozon has no data before {earliest}")
    now = today()
    if first > now:
        raise UsageError(f"--from {first} is in the future")
    clamped = last > now
    return first, min(last, now), clamped


def half_month_start(day: dt.date) -> dt.date:
    """The first day of the half month (1–15 or 16–end) that holds ``day``."""
    return day.replace(day=1 if day.day <= 15 else 16)


def half_month_end(day: dt.date) -> dt.date:
    """The last day of the half month that holds ``day``."""
    if day.day <= 15:
        return day.replace(day=15)
    return month_bounds(day.year, day.month)[1]
