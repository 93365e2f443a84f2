"""The demo shop: deterministic, sized as asked, with the traits tools need to find."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from ozonctl.sandbox.orders import UNFULFILLED
from ozonctl.sandbox.shop import Shop

TODAY = "2026-11-27"


def fingerprint(shop: Shop) -> tuple[object, ...]:
    cat = shop.catalog
    return (
        bytes(cat.flags),
        cat.price.tobytes(),
        cat.present[0].tobytes(),
        [
            (p.number, p.status, p.in_process_at, [(ln.sku, ln.quantity) for ln in p.lines])
            for p in shop.orders.fbs[:500]
        ],
        {a.id: sorted(a.products) for a in shop.promos.actions.values()},
        [(a.id, a.total) for a in shop.ledger.day(shop.today - timedelta(days=5))],
        [cat.name(i) for i in range(20)],
    )


def test_same_seed_same_shop() -> None:
    assert fingerprint(Shop(500, 7, TODAY)) == fingerprint(Shop(500, 7, TODAY))


def test_other_seed_other_shop() -> None:
    assert fingerprint(Shop(500, 7, TODAY)) != fingerprint(Shop(500, 8, TODAY))


def test_catalogue_traits() -> None:
    shop = Shop(300, 1, TODAY)
    cat = shop.catalog
    archived = [i for i in range(cat.n) if cat.archived(i)]
    assert 10 < len(archived) < 60
    assert sum(1 for i in archived if not cat.sku(i)) >= 3
    assert any(cat.age_days[i] < 30 for i in range(cat.n))
    assert any(cat.present[0][i] and cat.present[1][i] for i in range(cat.n))
    assert any(cat.old_price[i] > cat.price[i] > cat.min_price[i] > 0 for i in range(cat.n))
    never_sold = [i for i in range(cat.n) if i not in shop.orders.sold_indexes()]
    assert 0.2 * cat.n < len(never_sold) < 0.8 * cat.n


def test_postings_in_every_status_over_90_days() -> None:
    shop = Shop(300, 1, TODAY)
    statuses = {p.status for p in shop.orders.fbs}
    assert {
        "awaiting_packaging",
        "awaiting_deliver",
        "delivering",
        "delivered",
        "cancelled",
        "arbitration",
        "not_accepted",
    } <= statuses
    now = shop.now.timestamp()
    ages = [(now - p.in_process_at) / 86400 for p in shop.orders.fbs]
    assert max(ages) > 80 and min(ages) >= 0
    soon = [
        p
        for p in shop.orders.fbs
        if p.status == "awaiting_packaging" and 0 < p.shipment_date - now < 12 * 3600
    ]
    assert soon, "some postings must be shipped within hours"
    assert shop.orders.fbo and shop.orders.returns
    assert {p.status for p in shop.orders.fbs if p.status in UNFULFILLED}


def test_big_promotion_has_exactly_5000_products() -> None:
    shop = Shop(10_000, 3, TODAY)
    assert len(shop.promos.actions[71003].products) == 5000


@pytest.mark.parametrize("size", [100_000])
def test_100k_generation_is_fast(size: int) -> None:
    started = time.process_time()  # CPU time: other processes on the machine do not count
    shop = Shop(size, 1, TODAY)
    elapsed = time.process_time() - started
    assert elapsed < 3.0, f"{size} products took {elapsed:.2f} s of CPU"
    assert shop.catalog.n == size and len(shop.promos.actions[71003].products) == 5000


def test_real_today_by_default() -> None:
    shop = Shop(20, 1)
    assert not shop.pinned and shop.today == shop.now.date()
