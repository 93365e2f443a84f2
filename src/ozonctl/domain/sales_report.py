"""Ordered units and revenue over a period, grouped by SKU or by day, week or month,
from either of two sources:

- ``postings``: the local sales history of FBS and FBO postings
  (``ozonctl.catalog.sales``): lines of postings created in the period and not cancelled;
- ``ozon``: Ozon's ``/v1/analytics/data`` (``ordered_units``, ``revenue``; orders later
  cancelled are counted, as Ozon counts what was ordered), through the budgeted cache
  of ``ozonctl.domain.analytics``.

A week is named by its Monday (``2026-11-23``), a month as ``2026-11``, from the
postings; from Ozon, a period is named as Ozon names it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ozonctl.catalog.sales import SalesHistory
    from ozonctl.client.models.analytics import AnalyticsQuery
    from ozonctl.domain.analytics import Analytics

GROUPS = ("sku", "day", "week", "month")
ZERO = Decimal("0.00")


@dataclass
class Totals:
    units: int = 0
    revenue: Decimal = ZERO


def period_of(day: dt.date, by: str) -> str:
    if by == "week":
        return (day - dt.timedelta(days=day.weekday())).isoformat()
    if by == "month":
        return day.isoformat()[:7]
    return day.isoformat()


def from_postings(
    history: SalesHistory,
    first: dt.date,
    last: dt.date,
    by: str,
    skus: set[int] | None = None,
) -> dict[str, Totals]:
    """``{key: Totals}``: key is the SKU (as text) or the period."""
    out: dict[str, Totals] = defaultdict(Totals)
    wanted = skus if skus else set(history.skus())
    for sku, days in history.units_by_day(wanted, first, last).items():
        for day, (units, revenue) in days.items():
            t = out[str(sku) if by == "sku" else period_of(day, by)]
            t.units += units
            t.revenue += revenue
    return dict(out)


def query(
    first: dt.date, last: dt.date, by: str, metrics: Iterable[str], *, per_sku: bool = False
) -> AnalyticsQuery:
    from ozonctl.client.models.analytics import MAX_LIMIT, AnalyticsQuery

    dims = ["sku"] if by == "sku" else (["sku", by] if per_sku else [by])
    return AnalyticsQuery(
        date_from=first.isoformat(),
        date_to=last.isoformat(),
        metrics=list(metrics),
        dimension=dims,
        limit=MAX_LIMIT,
    )


def from_ozon(
    analytics: Analytics,
    first: dt.date,
    last: dt.date,
    by: str,
    skus: set[int] | None = None,
) -> dict[str, Totals]:
    """The same figures from Ozon's analytics (one request a page of 1,000 rows)."""
    per_sku = bool(skus) and by != "sku"
    q = query(first, last, by, ("ordered_units", "revenue"), per_sku=per_sku)
    out: dict[str, Totals] = defaultdict(Totals)
    for row in analytics.rows(q):
        ids = [d.id for d in row.dimensions]
        if skus and int(ids[0] or 0) not in skus:
            continue
        units, revenue = [*row.metrics, Decimal(0), Decimal(0)][:2]
        t = out[ids[-1]]
        t.units += int(units)
        t.revenue += revenue.quantize(ZERO)
    return dict(out)


def pages_needed(by: str, first: dt.date, last: dt.date, skus: int) -> int:
    """Requests a report is expected to take: rows / 1,000, rounded up (Ozon does not
    say how many rows there are before the first answer)."""
    days = (last - first).days + 1
    periods = {"day": days, "week": days // 7 + 2, "month": days // 28 + 2}.get(by, 1)
    from ozonctl.domain.analytics import pages_for

    return pages_for(skus if by == "sku" else periods * (skus or 1))


def rows(
    totals: dict[str, Totals], by: str, names: dict[int, tuple[str, str]]
) -> list[dict[str, Any]]:
    """Report rows, SKUs by revenue (highest first), periods in order."""
    out = []
    for key, t in totals.items():
        if by == "sku":
            offer_id, name = names.get(int(key), ("", ""))
            row: dict[str, Any] = {"sku": int(key), "offer_id": offer_id, "name": name}
        else:
            row = {"period": key}
        out.append({**row, "units": t.units, "revenue": t.revenue})
    if by == "sku":
        out.sort(key=lambda r: (-r["revenue"], r["sku"]))
    else:
        out.sort(key=lambda r: r["period"])
    return out
