"""Days of cover: how many days a product's stock lasts at its recent sales rate.

Two sources of the rate:

- the local sales history (FBS and FBO postings not cancelled, ``ozonctl.catalog.sales``):
  units sold over the last ``days`` full days (today left out: it is not over) divided
  by ``days``; the stock is the FBS free stock plus the FBO stock;
- Ozon's ``/v1/analytics/turnover/stocks`` (FBO stock management): its ``idc``, the days
  the FBO stock lasts at the average FBO sales of the last 60 days. It knows nothing of
  FBS stock, so it is used only for a product with no FBS stock.

A product that sold nothing in the window has no days of cover (``None``: it lasts
"forever" at that rate), never a made-up number.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ozonctl.catalog.sales import SalesHistory
    from ozonctl.client.models.analytics import TurnoverItem

DEFAULT_DAYS = 30
TENTH = Decimal("0.1")


@dataclass(frozen=True)
class Rates:
    """Units sold a day per SKU over the window ``[first, last]``."""

    per_day: dict[int, Decimal]
    days: int
    first: dt.date
    last: dt.date

    @classmethod
    def from_history(cls, history: SalesHistory, days: int, today: dt.date) -> Rates:
        first, last = today - dt.timedelta(days=days), today - dt.timedelta(days=1)
        sold = history.units_by_day(set(history.skus()), first, last)
        per_day = {
            sku: Decimal(sum(u for u, _ in by_day.values())) / days for sku, by_day in sold.items()
        }
        return cls(per_day, days, first, last)

    def rate(self, sku: int) -> Decimal:
        return self.per_day.get(sku, Decimal(0))

    def cover(self, sku: int, stock: int) -> Decimal | None:
        """Days ``stock`` lasts at this SKU's rate (None: it did not sell)."""
        rate = self.rate(sku)
        if rate <= 0:
            return None
        return (Decimal(max(stock, 0)) / rate).quantize(TENTH, ROUND_HALF_UP)


def row(
    sku: int,
    offer_id: str,
    fbs: int,
    fbo: int,
    rates: Rates,
    turnover: TurnoverItem | None,
) -> dict[str, Any]:
    """One product's cover: Ozon's FBO figure when it has no FBS stock and Ozon gave one,
    else the local rate over FBS + FBO stock."""
    if turnover is not None and fbs <= 0 and turnover.ads:
        days = turnover.idc.quantize(TENTH, ROUND_HALF_UP) if turnover.idc is not None else None
        return {
            "offer_id": offer_id,
            "sku": sku,
            "free_stock": fbs,
            "fbo_stock": int(turnover.current_stock),
            "per_day": turnover.ads,
            "days": days,
            "source": "ozon",
            "grade": turnover.idc_grade,
        }
    rate = rates.rate(sku)
    return {
        "offer_id": offer_id,
        "sku": sku,
        "free_stock": fbs,
        "fbo_stock": fbo,
        "per_day": rate.quantize(Decimal("0.01"), ROUND_HALF_UP),
        "days": rates.cover(sku, fbs + fbo),
        "source": "postings",
        "grade": turnover.idc_grade if turnover is not None else "",
    }


def below(days: Decimal | None, limit: float | None) -> bool:
    """Whether a product's cover is under ``limit`` days (no sales: never)."""
    return limit is None or (days is not None and days < Decimal(str(limit)))
