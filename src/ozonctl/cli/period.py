"""The one way to give a period, for every command that takes one (docs/scripting.md,
"One vocabulary"): ``--from``/``--to`` with a date (``2026-11-01``), an ISO date-time
(``2026-11-01T08:00:00+03:00``) or a time ago (``7d``, ``24h``, ``2w``), or ``--month
YYYY-MM`` for a calendar month.

A date alone is that day in UTC, as Ozon counts it: from its first second (``--from``)
to its last (``--to``). The spellings commands used before (``--since`` for ``--from``)
stay as hidden aliases (``SinceOption``), so scripts and cron jobs keep working.

Light on purpose (typer and datetime only): every ``--help`` imports it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Annotated

import typer

from ozonctl.errors import UsageError

FORMS = "YYYY-MM-DD, an ISO date-time, or 7d / 24h / 2w ago"
"""The forms ``--from``/``--to`` take, for help texts and hints."""

_AGO = re.compile(r"^(\d+)\s*([hdw])$", re.IGNORECASE)
_UNITS = {"h": dt.timedelta(hours=1), "d": dt.timedelta(days=1), "w": dt.timedelta(weeks=1)}

FromOption = Annotated[str | None, typer.Option("--from", metavar="WHEN", help=f"From: {FORMS}.")]
ToOption = Annotated[
    str | None, typer.Option("--to", metavar="WHEN", help="Up to (included; same forms).")
]
MonthOption = Annotated[
    str | None,
    typer.Option("--month", metavar="YYYY-MM", help="One calendar month (instead of --from/--to)."),
]
SinceOption = Annotated[
    str | None, typer.Option("--since", metavar="WHEN", hidden=True, help="Old name of --from.")
]
"""``--since``: the deprecated spelling of ``--from`` (hidden; kept for old scripts)."""


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def moment(text: str, option: str, *, end_of_day: bool = False) -> dt.datetime:
    """A point in time (UTC-aware) from any of ``FORMS``; a date alone is its first
    second, or its last with ``end_of_day``. Anything else is a usage error (exit 2)."""
    value = text.strip()
    ago = _AGO.match(value)
    if ago:
        return now_utc() - int(ago.group(1)) * _UNITS[ago.group(2).lower()]
    try:
        if len(value) == 10:
            day = dt.date.fromisoformat(value)
            start = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
            return start + dt.timedelta(days=1, seconds=-1) if end_of_day else start
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(f"{option} {text!r} is not a date", hint=f"use {FORMS}") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def day(text: str, option: str) -> dt.date:
    """The day (UTC) of any of ``FORMS``: ``7d`` is the day a week ago."""
    return moment(text, option).astimezone(dt.UTC).date()


def month(text: str, option: str = "--month") -> tuple[dt.date, dt.date]:
    """``YYYY-MM`` → its first and last day."""
    try:
        first = dt.date.fromisoformat(text.strip() + "-01")
    except ValueError:
        raise UsageError(
            f"{option} {text!r}: not a month", hint="write it as YYYY-MM, e.g. 2026-10"
        ) from None
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def alias(value: str | None, old: str | None, name: str, old_name: str) -> str | None:
    """The value of ``name`` or of its deprecated spelling ``old_name`` (not both)."""
    if value is not None and old is not None:
        raise UsageError(f"{name} and {old_name} are the same option: give one")
    return value if value is not None else old


def days(
    start: str | None, end: str | None, month_: str | None
) -> tuple[dt.date | None, dt.date | None]:
    """``--from``/``--to``/``--month`` as days (None where not given); ``--month``
    excludes the other two."""
    if month_ is not None:
        if start is not None or end is not None:
            raise UsageError("--month and --from/--to do not go together: give one")
        return month(month_)
    first = day(start, "--from") if start is not None else None
    last = day(end, "--to") if end is not None else None
    if first and last and last < first:
        raise UsageError(f"--to {last} is before --from {first}", hint="swap them")
    return first, last


def moments(
    start: str | None, end: str | None, month_: str | None, *, since: str | None = None
) -> tuple[dt.datetime | None, dt.datetime | None]:
    """``--from`` (or its old name ``--since``), ``--to`` and ``--month`` as UTC moments
    (None where not given): a month runs from its first second to its last."""
    start = alias(start, since, "--from", "--since")
    if month_ is not None:
        first, last = days(start, end, month_)
        assert first is not None and last is not None
        return moment(first.isoformat(), "--month"), moment(
            last.isoformat(), "--month", end_of_day=True
        )
    first_m = moment(start, "--from") if start is not None else None
    last_m = moment(end, "--to", end_of_day=True) if end is not None else None
    if first_m and last_m and first_m > last_m:
        raise UsageError(
            f"--from ({first_m:%Y-%m-%d}) is after --to ({last_m:%Y-%m-%d})", hint="swap them"
        )
    return first_m, last_m


def within(
    when: dt.datetime | dt.date | None, bounds: tuple[dt.datetime | None, dt.datetime | None]
) -> bool:
    """Whether ``when`` lies in ``bounds`` (an open end lets everything through); a date
    counts as its first second, a naive time as UTC."""
    first, last = bounds
    if first is None and last is None:
        return True
    if when is None:
        return False
    if not isinstance(when, dt.datetime):
        when = dt.datetime(when.year, when.month, when.day, tzinfo=dt.UTC)
    elif when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return (first is None or when >= first) and (last is None or when <= last)


def span(text: str, option: str) -> dt.timedelta:
    """A length of time: ``90m``, ``24h``, ``3d``, ``2w`` (a usage error naming
    ``option`` otherwise)."""
    found = re.match(r"^(\d+)\s*([mhdw])$", text.strip(), re.IGNORECASE)
    if not found or int(found.group(1)) == 0:
        raise UsageError(
            f"{option} {text!r} is not a duration",
            hint="use minutes, hours, days or weeks: 90m, 24h, 3d, 2w",
        )
    unit = found.group(2).lower()
    return int(found.group(1)) * (_UNITS[unit] if unit in _UNITS else dt.timedelta(minutes=1))
