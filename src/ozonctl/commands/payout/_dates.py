"""Dates and periods of the payout commands: ``--from``/``--to``/``--month`` options,
parsed by ``cli.period`` (one-line usage errors, exit 2), and the periods Ozon's methods take."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Annotated

import typer

from ozonctl.cli import period as cli_period
from ozonctl.cli.period import FromOption, MonthOption, ToOption
from ozonctl.errors import UsageError

__all__ = ["FromOption", "MonthOption", "OneMonthOption", "ToOption"]

OneMonthOption = Annotated[str, typer.Option("--month", metavar="YYYY-MM", help="The month.")]
"""The required ``--month`` of the monthly reports."""

EARLIEST_ACCRUAL = dt.date(2022, 1, 1)
"""``/v1/finance/accrual/by-day`` has nothing before this day."""
EARLIEST_REALIZATION = dt.date(2023, 8, 1)
"""``/v2/finance/realization`` has reports from August 2023."""


def today() -> dt.date:
    return dt.date.today()


def parse_month(text: str) -> tuple[int, int]:
    """``YYYY-MM`` → (year, month)."""
    first, _ = cli_period.month(text)
    return first.year, first.month


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, 1), dt.date(year, month, last)


def period(
    start: str | None,
    end: str | None,
    month: str | None = None,
    *,
    earliest: dt.date = EARLIEST_ACCRUAL,
    default: tuple[dt.date, dt.date] | None = None,
) -> tuple[dt.date, dt.date, bool]:
    """``--from``/``--to`` (any form of ``cli.period``; ``--to`` defaults to today) or
    ``--month`` as days: a period is required unless ``default`` is given, in order, not
    before ``earliest`` nor after today. Returns (from, to, clamped): a ``to`` after today
    is moved to today and ``clamped`` is True."""
    first, last = cli_period.days(start, end, month)
    now = today()
    if first is None and last is None and default is not None:
        first, last = default
    elif first is None:
        raise UsageError(
            "--from is required", hint="give the period as --from D --to D or --month M"
        )
    last = last or now
    if last < first:
        raise UsageError(f"--to {last} is before --from {first}")
    if first < earliest:
        raise UsageError(f"--from {first}: Ozon has no data before {earliest}")
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
