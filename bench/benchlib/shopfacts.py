"""Facts about the sandbox's seeded shop that the workloads need (which products to
archive, the stock file, accruals per day), worked out in-process from the same
``(products, seed, today)`` the sandbox process uses: the shop is deterministic."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from pathlib import Path

BIG_PROMO_ID = 71003
"""The sandbox's promotion with 5,000 products (a ``DISCOUNT`` one: leave = deactivate)."""
ACCRUAL_PAGE = 100
"""Accruals per ``/v1/finance/accrual/by-day`` page in the sandbox."""


@dataclass(slots=True)
class ShopFacts:
    products: int
    live: int
    archived: int
    promo_size: int
    archive_ids: list[int]
    archive_offers: list[str]
    archive_held: int
    """Products of ``archive_ids`` with FBS units reserved for postings not shipped yet:
    ``listing archive`` holds them back (archiving would strand the order)."""
    stock_rows: list[tuple[int, str, int, int]]
    """product_id, offer_id, warehouse_id, stock."""
    accruals_per_day: dict[str, int] = field(default_factory=dict)
    finance_from: str = ""
    finance_to: str = ""

    # -- workload inputs -------------------------------------------------------------------
    def write_inputs(self, folder: Path) -> dict[str, Path]:
        folder.mkdir(parents=True, exist_ok=True)
        ids = folder / "archive-ids.txt"
        ids.write_text("".join(f"{p}\n" for p in self.archive_ids))
        offers = folder / "archive-offers.txt"
        offers.write_text("".join(f"{o}\n" for o in self.archive_offers))
        stock = folder / "stock.csv"
        stock.write_text(
            "offer_id,product_id,warehouse_id,stock\n"
            + "".join(f"{o},{p},{w},{s}\n" for p, o, w, s in self.stock_rows)
        )
        peer_stock = folder / "stock-peers.csv"
        peer_stock.write_text(
            "product_id,warehouse_id,stock\n"
            + "".join(f"{p},{w},{s}\n" for p, _, w, s in self.stock_rows)
        )
        return {"ids": ids, "offers": offers, "stock": stock, "peer_stock": peer_stock}

    # -- minimums --------------------------------------------------------------------------
    def finance_pages(self) -> tuple[int, int]:
        """``(needed, lower_bound)`` by-day requests for the period: every page that
        holds accruals carries a ``last_id``, and the method reports no total, no
        ``has_next`` and no page size, so a day ends only on an empty page (+1 a day);
        the lower bound assumes a client that knew the page size."""
        needed = lower = 0
        for n in self.accruals_per_day.values():
            pages = math.ceil(n / ACCRUAL_PAGE)
            needed += pages + 1
            lower += max(1, pages)
        return needed, lower


def compute(
    products: int, seed: int, today: str, *, archive: int, stock: int, months: int = 3
) -> ShopFacts:
    from ozonctl.sandbox.catalog import ARCHIVED, DELETED, NO_SKU
    from ozonctl.sandbox.shop import Shop

    shop = Shop(products, seed=seed, today=today)
    cat = shop.catalog
    live = [i for i in range(cat.n) if cat.exists(i)]
    archived = sum(1 for i in live if cat.archived(i))
    active = [i for i in live if not cat.flags[i] & (ARCHIVED | DELETED)]
    to_archive = active[:archive]
    held = sum(1 for i in to_archive if cat.fbs_reserved(i) > 0)
    with_sku = [i for i in active if not cat.flags[i] & NO_SKU]
    warehouse = shop.warehouses[0].id
    stock_rows = [
        (cat.product_id(i), cat.offer_id(i), warehouse, 5 + (i * 7919) % 200)
        for i in with_sku[:stock]
    ]
    promo = shop.promos.actions.get(BIG_PROMO_ID)
    end = shop.today - dt.timedelta(days=1)
    start = _months_back(end, months) + dt.timedelta(days=1)
    per_day: dict[str, int] = {}
    day = start
    while day <= end:
        per_day[day.isoformat()] = len(shop.ledger.day(day))
        day += dt.timedelta(days=1)
    return ShopFacts(
        products=products,
        live=len(live),
        archived=archived,
        promo_size=len(promo.products) if promo is not None else 0,
        archive_ids=[cat.product_id(i) for i in to_archive],
        archive_offers=[cat.offer_id(i) for i in to_archive],
        archive_held=held,
        stock_rows=stock_rows,
        accruals_per_day=per_day,
        finance_from=start.isoformat(),
        finance_to=end.isoformat(),
    )


def _months_back(day: dt.date, months: int) -> dt.date:
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, 28))
