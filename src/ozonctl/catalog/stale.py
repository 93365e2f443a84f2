"""Which products are stale: the one rule ``listing stale`` and ``listing delist-stale``
share (and the property tests check).

A product matches when all hold:
- it is not archived;
- it is not on the exclude list (by offer id, SKU or product id);
- its creation date is known and at least ``min_age_days`` days ago;
- it has no sale, through any scheme (FBS, rFBS, FBO), on any day from
  ``today - no_sales_days`` to today (both included);
- with ``zero_stock``: its stock is known and zero in every warehouse, the seller's and
  Ozon's (FBO).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol

from ozonctl.catalog.index import CatalogEntry

if TYPE_CHECKING:
    from ozonctl.catalog.resolve import NameSet


class _Stock(Protocol):
    @property
    def present(self) -> int: ...


def units_anywhere(stocks: Iterable[_Stock]) -> int:
    """Units present in every warehouse of one product's ``/v4/product/info/stocks``
    entries, whatever the type (``fbs``, ``rfbs``, ``fbo`` …)."""
    return sum(max(s.present, 0) for s in stocks)


@lru_cache(maxsize=4)
def _names(tokens: frozenset[str]) -> NameSet:
    from ozonctl.catalog.resolve import NameSet

    return NameSet(tokens)


@dataclass(frozen=True)
class StaleCriteria:
    no_sales_days: int = 90
    min_age_days: int = 30
    zero_stock: bool = False
    exclude: frozenset[str] = field(default_factory=frozenset)

    def excluded(self, entry: CatalogEntry) -> bool:
        """On the exclude list: by any id a token may be (``offer:``/``sku:``/``id:`` say
        which), so a token that names two products keeps both."""
        return bool(self.exclude) and entry in _names(self.exclude)


@dataclass(frozen=True)
class StaleMatch:
    entry: CatalogEntry
    last_sale: dt.date | None
    age_days: int
    stock: int | None

    def why(self) -> str:
        sale = f"last sale {self.last_sale}" if self.last_sale else "no sale on record"
        stock = "stock unknown" if self.stock is None else f"stock {self.stock}"
        return f"{sale}; {self.age_days} days old; {stock}"

    def as_row(self) -> dict[str, object]:
        e = self.entry
        return {
            "offer_id": e.offer_id,
            "product_id": e.product_id,
            "sku": e.sku or None,
            "name": e.name,
            "last_sale": self.last_sale,
            "age_days": self.age_days,
            "stock": self.stock,
            "why": self.why(),
        }


def is_stale(
    entry: CatalogEntry,
    last_sale: dt.date | None,
    stock: int | None,
    criteria: StaleCriteria,
    today: dt.date,
) -> bool:
    if entry.archived or criteria.excluded(entry):
        return False
    age = entry.age_days(today)
    if age is None or age < criteria.min_age_days:
        return False
    if last_sale is not None and last_sale >= today - dt.timedelta(days=criteria.no_sales_days):
        return False
    return not (criteria.zero_stock and stock != 0)


def find_stale(
    entries: Iterable[CatalogEntry],
    last_sale: Callable[[int], dt.date | None],
    stock: Mapping[int, int] | None,
    criteria: StaleCriteria,
    today: dt.date,
) -> list[StaleMatch]:
    """The matches, in catalogue order. ``stock`` maps product id → units in every
    warehouse (None: not read; then ``zero_stock`` matches nothing)."""
    out = []
    for entry in entries:
        sale = last_sale(entry.sku) if entry.sku else None
        units = stock.get(entry.product_id) if stock is not None else None
        if is_stale(entry, sale, units, criteria, today):
            age = entry.age_days(today)
            assert age is not None
            out.append(StaleMatch(entry, sale, age, units))
    return out
