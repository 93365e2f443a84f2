"""The FBS/rFBS error index and the postings that cost it (``/v1/rating/index/fbs/*``),
and the rating's history (``/v1/rating/history``).

One ledger: a posting the seller cancelled (a reason that ``affects_rating``) is a
``SELLER_CANCELLATION`` when it was cancelled; a posting still not shipped past its
ship-by time is a ``SELLER_DELAY`` at that time. Each is charged a share of its price
(Ozon's processing costs); ``/v1/rating/index/fbs/info`` sums the same records, so its
totals always equal the posting list's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .orders import DAY, UNFULFILLED
from .values import iso

if TYPE_CHECKING:
    from .shop import Shop

CHARGE = {"SELLER_CANCELLATION": 0.1, "SELLER_DELAY": 0.05}
"""The share of the posting's price charged per error type."""
INDEX_DAYS = 14
"""The period the index is computed over, up to the shop's day."""


@dataclass(frozen=True, slots=True)
class Penalty:
    posting: str
    kind: str
    at: float
    price: float
    """Roubles (the posting's products)."""

    @property
    def percent(self) -> float:
        return CHARGE[self.kind] * 100

    @property
    def charge(self) -> float:
        return round(self.price * CHARGE[self.kind], 2)


def penalties(shop: Shop, since: float, to: float) -> list[Penalty]:
    now = shop.now.timestamp()
    out: list[Penalty] = []
    for p in shop.orders.fbs:
        price = sum(line.price * line.quantity for line in p.lines) / 100
        if p.counts_against_seller and p.changed_at is not None:
            at, kind = p.changed_at, "SELLER_CANCELLATION"
        elif p.status in UNFULFILLED and p.shipment_date < now:
            at, kind = p.shipment_date, "SELLER_DELAY"
        else:
            continue
        if since <= at <= to:
            out.append(Penalty(p.number, kind, at, price))
    out.sort(key=lambda x: (x.at, x.posting))
    return out


def index_period(shop: Shop) -> tuple[float, float]:
    end = shop.now.timestamp()
    return end - INDEX_DAYS * DAY, end


def index_info(shop: Shop) -> dict[str, object]:
    """``/v1/rating/index/fbs/info``: the index of the period and its costs by day."""
    since, to = index_period(shop)
    found = penalties(shop, since, to)
    postings = sum(1 for p in shop.orders.fbs if since <= p.in_process_at <= to) or 1
    by_day: dict[str, list[Penalty]] = {}
    for x in found:
        by_day.setdefault(iso(x.at)[:10], []).append(x)
    return {
        "index": round(100 * len(found) / postings, 2),
        "period_from": iso(since),
        "period_to": iso(to),
        "processing_costs_sum": round(sum(x.charge for x in found), 2),
        "currency_code": "RUB",
        "defects": [
            {
                "date": day,
                "index_by_date": round(100 * len(xs) / postings, 2),
                "processing_costs_sum_by_date": round(sum(x.charge for x in xs), 2),
            }
            for day, xs in sorted(by_day.items())
        ],
    }
