"""Times as ozonctl shows them: one helper for every command.

- A terminal shows a time in the seller's zone, named in the column's header
  (``Ship by (MSK)``): the ``timezone`` setting, else ``TZ``, else the system's zone.
- Pipes, JSON and CSV keep ISO 8601 with the offset, one format everywhere
  (``2026-11-27T14:00:00+00:00``). A time without a zone is Ozon's, which is UTC.
"""

from __future__ import annotations

import datetime as dt
import os
from functools import cache

from ozonctl.errors import UsageError


def check_zone(name: str) -> dt.tzinfo:
    """The zone called ``name`` (an IANA name such as ``Europe/Moscow``, or ``UTC``);
    a name the system does not know is a usage error."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise UsageError(
            f"unknown time zone {name!r}",
            hint="give an IANA name such as Europe/Moscow, Asia/Shanghai or UTC",
        ) from None


@cache
def _zone_from(setting: str | None, tz_env: str | None) -> dt.tzinfo:
    if setting:
        return check_zone(setting)
    if tz_env:
        name = tz_env.removeprefix(":")
        try:
            return check_zone(name)
        except UsageError:
            pass  # a POSIX TZ string ("MSK-3"): the C library reads it; ask it below
    zone = dt.datetime.now().astimezone().tzinfo
    return zone if zone is not None else dt.UTC


def local_zone(setting: str | None = None) -> dt.tzinfo:
    """The zone a terminal shows times in: ``setting`` (config ``timezone``), else the
    ``TZ`` variable, else the system's zone."""
    return _zone_from(setting, os.environ.get("TZ"))


def aware(value: dt.datetime) -> dt.datetime:
    """``value`` with its zone; a naive time is Ozon's, UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def iso(value: dt.datetime | dt.date) -> str:
    """The one machine format: ISO 8601, a time with its offset."""
    if isinstance(value, dt.datetime):
        return aware(value).isoformat()
    return value.isoformat()


def zone_label(zone: dt.tzinfo, when: dt.datetime | None = None) -> str:
    """The zone's short name for a header (``MSK``, ``CST``, ``UTC``, or ``+03``)."""
    when = aware(when or dt.datetime.now(dt.UTC)).astimezone(zone)
    name = when.tzname() or ""
    if name and name[0] not in "+-":
        return name
    offset = when.utcoffset() or dt.timedelta()
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}" + (f":{rest:02d}" if rest else "")


def human(value: dt.datetime, zone: dt.tzinfo) -> str:
    """A terminal cell: the time in ``zone``, to the minute (the zone is in the header)."""
    return aware(value).astimezone(zone).strftime("%Y-%m-%d %H:%M")


def labelled(value: dt.datetime, zone: dt.tzinfo) -> str:
    """A time for a person where no header names the zone (a single result's view):
    ``2026-11-27 17:05 MSK``."""
    return f"{human(value, zone)} {zone_label(zone, value)}"
