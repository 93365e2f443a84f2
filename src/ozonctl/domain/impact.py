"""What a promotion did to sales: figures in the days before and after each period a
product set took part (or stopped taking part) in a promotion.

A ``Period`` is either Ozon's (the promotion's start, with the products in it now: how
every promotion is seen, joined in the back office or with ozonctl) or a change ozonctl
made and journalled (a leave, join or rejoin of some products on a day). Each is
compared over ``days`` before it and up to ``days`` after it (the day of the change
counts as after; never past the promotion's end or today), so the comparison is per day.

Two sources, side by side:

- the postings (FBS and FBO, through ``ozonctl.catalog.sales``): units and revenue of
  lines not cancelled, for every seller, no budget;
- Ozon's ``/v1/analytics/data`` (``ozonctl.domain.analytics``): ordered units and revenue
  for every seller; views, sessions and add-to-cart (conversion = add-to-cart /
  sessions) with Premium Plus or Pro. One request covers every period: metrics by SKU
  and day over the whole span, then summed per window here.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ozonctl.catalog.sales import SalesHistory
    from ozonctl.client.models.analytics import AnalyticsQuery
    from ozonctl.domain.analytics import Analytics

ZERO = Decimal("0.00")
FREE = ("ordered_units", "revenue")
TRAFFIC = ("hits_view", "session_view", "hits_tocart")


@dataclass(frozen=True)
class Period:
    kind: str
    """``promotion`` (Ozon's dates), or ``leave``/``join``/``rejoin`` (ozonctl's journal)."""
    day: dt.date
    end: dt.date
    """The last day the change can have had an effect (the promotion's end, or today)."""
    items: list[dict[str, Any]]
    """Products: ``id``, ``sku``, ``offer_id``, ``name``."""
    ref: str = ""

    def windows(self, days: int, today: dt.date) -> tuple[tuple[dt.date, dt.date], ...]:
        """(before, after): ``days`` before the day, and from it up to ``days`` on."""
        after_end = min(self.day + dt.timedelta(days=days - 1), self.end, today)
        return (self.day - dt.timedelta(days=days), self.day - dt.timedelta(days=1)), (
            self.day,
            after_end,
        )


@dataclass
class Figures:
    """Sums over one window for a set of SKUs."""

    units: int = 0
    revenue: Decimal = ZERO
    metrics: dict[str, Decimal] = field(default_factory=dict)


def sales_window(
    history: SalesHistory, skus: set[int], start: dt.date, end: dt.date
) -> dict[int, Figures]:
    out: dict[int, Figures] = {}
    if end < start:
        return out
    for sku, days in history.units_by_day(skus, start, end).items():
        out[sku] = Figures(
            sum(u for u, _ in days.values()), sum((r for _, r in days.values()), ZERO)
        )
    return out


def span(periods: list[Period], days: int, today: dt.date) -> tuple[dt.date, dt.date]:
    windows = [w for p in periods for w in p.windows(days, today)]
    return min(w[0] for w in windows), max(w[1] for w in windows)


def analytics_query(first: dt.date, last: dt.date, traffic: bool) -> AnalyticsQuery:
    from ozonctl.client.models.analytics import MAX_LIMIT, AnalyticsQuery

    return AnalyticsQuery(
        date_from=first.isoformat(),
        date_to=last.isoformat(),
        metrics=[*FREE, *(TRAFFIC if traffic else ())],
        dimension=["sku", "day"],
        limit=MAX_LIMIT,
    )


class OzonDays:
    """Ozon's analytics by SKU and day, read once, summed per window."""

    def __init__(self, analytics: Analytics, query: AnalyticsQuery, skus: set[int]) -> None:
        self.metrics = list(query.metrics)
        self.days: dict[int, dict[dt.date, list[Decimal]]] = defaultdict(dict)
        for row in analytics.rows(query):
            ids = [d.id for d in row.dimensions]
            if len(ids) < 2 or not ids[0].isdigit() or int(ids[0]) not in skus:
                continue
            try:
                day = dt.date.fromisoformat(ids[1][:10])
            except ValueError:
                continue
            self.days[int(ids[0])][day] = list(row.metrics)

    def window(self, skus: set[int], start: dt.date, end: dt.date) -> dict[int, Figures]:
        out: dict[int, Figures] = {}
        for sku in skus:
            sums: dict[str, Decimal] = defaultdict(Decimal)
            for day, values in self.days.get(sku, {}).items():
                if start <= day <= end:
                    for name, value in zip(self.metrics, values, strict=False):
                        sums[name] += value
            if sums:
                out[sku] = Figures(
                    int(sums["ordered_units"]), sums["revenue"].quantize(ZERO), dict(sums)
                )
        return out


def change_per_day(
    before: Decimal, days_before: int, after: Decimal, days_after: int
) -> Decimal | None:
    if days_after <= 0 or days_before <= 0 or before <= 0:
        return None
    rate_before = before / days_before
    rate_after = after / days_after
    return ((rate_after - rate_before) * 100 / rate_before).quantize(Decimal("0.1"), ROUND_HALF_UP)


def conversion(figures: Figures) -> Decimal | None:
    sessions = figures.metrics.get("session_view")
    tocart = figures.metrics.get("hits_tocart")
    if not sessions or tocart is None:
        return None
    return (tocart * 100 / sessions).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _total(parts: dict[int, Figures], skus: set[int]) -> Figures:
    total = Figures()
    for sku in skus:
        f = parts.get(sku)
        if f is None:
            continue
        total.units += f.units
        total.revenue += f.revenue
        for name, value in f.metrics.items():
            total.metrics[name] = total.metrics.get(name, Decimal(0)) + value
    return total


def _side(prefix: str, sales: Figures, ozon: Figures | None, traffic: bool) -> dict[str, Any]:
    row: dict[str, Any] = {f"units_{prefix}": sales.units, f"revenue_{prefix}": sales.revenue}
    if ozon is not None:
        row[f"ozon_units_{prefix}"] = ozon.units
        row[f"ozon_revenue_{prefix}"] = ozon.revenue
        if traffic:
            row[f"views_{prefix}"] = int(ozon.metrics.get("hits_view", 0))
            row[f"tocart_{prefix}"] = int(ozon.metrics.get("hits_tocart", 0))
            row[f"conversion_{prefix}"] = conversion(ozon)
    return row


def rows(
    periods: list[Period],
    history: SalesHistory,
    ozon: OzonDays | None,
    *,
    days: int,
    today: dt.date,
    per_product: bool,
    traffic: bool,
) -> Iterator[dict[str, Any]]:
    """One row per period (or per product of each period)."""
    for p in periods:
        skus = {int(it["sku"]) for it in p.items}
        (b0, b1), (a0, a1) = p.windows(days, today)
        sb, sa = sales_window(history, skus, b0, b1), sales_window(history, skus, a0, a1)
        ob = ozon.window(skus, b0, b1) if ozon else None
        oa = ozon.window(skus, a0, a1) if ozon else None
        days_after = max(0, (a1 - a0).days + 1)
        base = {"date": p.day, "kind": p.kind, "ref": p.ref, "days_before": days}
        if per_product:
            for it in p.items:
                one = {int(it["sku"])}
                yield {
                    **base,
                    "product_id": it["id"],
                    "offer_id": it.get("offer_id", ""),
                    "sku": int(it["sku"]),
                    "name": it.get("name", ""),
                    "days_after": days_after,
                    **_side(
                        "before",
                        _total(sb, one),
                        _total(ob, one) if ob is not None else None,
                        traffic,
                    ),
                    **_side(
                        "after",
                        _total(sa, one),
                        _total(oa, one) if oa is not None else None,
                        traffic,
                    ),
                }
            continue
        before, after = _total(sb, skus), _total(sa, skus)
        yield {
            **base,
            "products": len(p.items),
            "days_after": days_after,
            **_side("before", before, _total(ob, skus) if ob is not None else None, traffic),
            **_side("after", after, _total(oa, skus) if oa is not None else None, traffic),
            "revenue_per_day_change_pct": change_per_day(
                before.revenue, days, after.revenue, days_after
            ),
        }
