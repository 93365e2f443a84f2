"""Ozon promotions, the seller's own promotions and buyers' discount requests."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from .catalog import ARCHIVED, DELETED, NO_SKU, Catalog
from .seller_actions import SellerAction, other_mechanics
from .values import mix

if TYPE_CHECKING:
    from .shop import Shop

VOUCHER, BOOST, DISCOUNT = "voucher", "boost", "discount"
BIG_PROMO_SIZE = 5_000
"""Participants of the big sale once the shop has 10,000 products or more."""


@dataclass(slots=True)
class Entry:
    price: int
    """Action price in kopecks."""
    stock: int = 0
    add_mode: str = "SELLER"


@dataclass(slots=True)
class Promotion:
    id: int
    title: str
    action_type: str
    kind: str
    """``voucher`` (leave via deactivate), ``boost`` (leave by pricing above the limit)
    or ``discount``."""
    discount_pct: int
    date_start: datetime
    date_end: datetime
    share: int
    """Percent of the catalogue that may join."""
    products: dict[int, Entry] = field(default_factory=dict)
    auto_add: dict[datetime, dict[int, Entry]] = field(default_factory=dict)
    banned: int = 0
    order_amount: int = 0
    freeze_date: datetime | None = None
    """From it on the product list is closed: no product joins or leaves, no price goes
    up (Ozon's ``freeze_date``: prices may still go down and stock up)."""
    version: int = 0
    _sorted: tuple[int, list[int]] = (-1, [])

    @property
    def is_voucher(self) -> bool:
        return self.kind == VOUCHER

    def eligible(self, cat: Catalog, i: int) -> bool:
        if cat.flags[i] & (ARCHIVED | NO_SKU | DELETED):
            return False
        return ((i * 2_654_435_761 + self.id * 40_503) >> 7) % 100 < self.share

    def pool(self, cat: Catalog, stop: int | None = None) -> list[int]:
        """Every eligible product index (``eligible`` inlined: this runs over 100,000)."""
        flags, share, salt = cat.flags, self.share, self.id * 40_503
        mask = ARCHIVED | NO_SKU | DELETED
        return [
            i
            for i in range(cat.n if stop is None else min(stop, cat.n))
            if not flags[i] & mask and ((i * 2_654_435_761 + salt) >> 7) % 100 < share
        ]

    def max_price(self, cat: Catalog, i: int) -> int:
        """``max_action_price`` in kopecks: the promotion's limit for product ``i``."""
        spread = (i * 40_503 + self.id) % 6
        return cat.price[i] * (100 - self.discount_pct - spread) // 10_000 * 100

    def frozen(self, now: datetime) -> bool:
        return self.freeze_date is not None and self.freeze_date <= now

    def participants(self) -> list[int]:
        """Product indexes in the promotion, in a stable order (cached per change)."""
        if self._sorted[0] != self.version:
            self._sorted = (self.version, sorted(self.products))
        return self._sorted[1]

    def join(self, i: int, entry: Entry) -> None:
        self.products[i] = entry
        self.version += 1

    def leave(self, i: int) -> bool:
        if self.products.pop(i, None) is None:
            return False
        self.version += 1
        return True


@dataclass(slots=True)
class DiscountTask:
    id: int
    index: int
    status: str
    created_at: datetime
    requested_price: int
    original_price: int
    requested_quantity: int
    approved_price: int = 0
    approved_quantity_min: int = 0
    approved_quantity_max: int = 0
    moderated_at: datetime | None = None
    comment: str = ""


class Promotions:
    def __init__(self) -> None:
        self.actions: dict[int, Promotion] = {}
        self.seller_actions: dict[int, SellerAction] = {}
        self.tasks: dict[int, DiscountTask] = {}
        self._candidates: dict[int, tuple[tuple[int, int], list[int]]] = {}

    @classmethod
    def generate(cls, shop: Shop) -> Promotions:
        promos = cls()
        now = shop.now
        rng = random.Random(f"{shop.seed}:promos")
        start = now.replace(hour=0, minute=0, second=0, microsecond=0)
        specs = (
            (71001, "Промокод OZON10: −10 % по коду", "DISCOUNT", VOUCHER, 10, -10, 20, 30),
            (71002, "Эластичный бустинг", "ELASTIC_BOOSTING", BOOST, 12, -60, 300, 60),
            (71003, "Распродажа 11.11", "DISCOUNT", DISCOUNT, 15, -5, 12, 70),
            (71004, "Чёрная пятница", "DISCOUNT", DISCOUNT, 20, 3, 10, 80),
            (71005, "Склады. Москва и МО", "STOCK_DISCOUNT", DISCOUNT, 8, -2, 25, 40),
        )
        for pid, title, kind_name, kind, pct, begin, length, share in specs:
            promo = Promotion(
                pid,
                title,
                kind_name,
                kind,
                pct,
                start + timedelta(days=begin),
                start + timedelta(days=begin + length, hours=23, minutes=59, seconds=59),
                share,
                banned=mix(shop.seed, pid) % 4,
                order_amount=1500 if kind == VOUCHER else 0,
            )
            promos.actions[pid] = promo
        # «Чёрная пятница» freezes the day before it starts; the warehouse sale is frozen
        promos.actions[71004].freeze_date = promos.actions[71004].date_start - timedelta(days=1)
        promos.actions[71005].freeze_date = now - timedelta(days=1)
        promos._fill(shop, rng)
        promos._seller_actions(shop, rng)
        promos._discount_tasks(shop, rng)
        # Ozon has its candidate counts ready (``/v1/actions`` answers them at once): made
        # here, not in the first request, where a 100,000-product shop took longer than
        # the whole round trip.
        for promo in promos.actions.values():
            promos.candidates(shop.catalog, promo)
        return promos

    def _fill(self, shop: Shop, rng: random.Random) -> None:
        cat = shop.catalog
        joined = {71001: 0.12, 71002: 0.25, 71003: 0.2, 71005: 0.1}
        for pid, share in joined.items():
            promo = self.actions[pid]
            pool = promo.pool(cat)
            if pid == 71003 and cat.n >= 10_000:
                count = min(BIG_PROMO_SIZE, len(pool))
            else:
                count = int(len(pool) * share)
            for i in sorted(rng.sample(pool, count)):
                limit = promo.max_price(cat, i)
                price = limit - (limit * int(rng.random() * 5) // 100) // 100 * 100
                stock = 1 + int(rng.random() * 20) if promo.kind == VOUCHER else 0
                mode = "AUTO" if rng.random() < 0.3 else "SELLER"
                promo.products[i] = Entry(price, stock, mode)
        base = shop.now.replace(hour=21, minute=0, second=0, microsecond=0)
        for pid in (71003, 71004):
            promo = self.actions[pid]
            candidates = [i for i in promo.pool(cat, 20_000) if i not in promo.products]
            for offset in (2, 9):
                picked = rng.sample(candidates, min(len(candidates), max(3, cat.n // 20), 400))
                promo.auto_add[base + timedelta(days=offset)] = {
                    i: Entry(promo.max_price(cat, i), 0, "AUTO") for i in sorted(picked)
                }

    def _seller_actions(self, shop: Shop, rng: random.Random) -> None:
        cat, now = shop.catalog, shop.now
        rows = (
            (5001, "Скидка постоянным покупателям", "DISCOUNT", "ACTIVE", True, -20, 40, 7),
            (5002, "Промокод ZIMA", "VOUCHER_DISCOUNT", "PAUSED", False, -5, 30, 12),
            (5003, "Осенняя распродажа", "DISCOUNT", "ENDED", False, -70, 30, 15),
        )
        pool = [i for i in range(cat.n) if not cat.flags[i] & (ARCHIVED | NO_SKU)]
        for sid, title, kind, status, on, begin, length, pct in rows:
            size = min(len(pool), max(5, len(pool) // 15))
            action = SellerAction(
                sid,
                title,
                kind,
                status,
                on,
                now + timedelta(days=begin),
                now + timedelta(days=begin + length),
                pct,
                sorted(rng.sample(pool, size)),
            )
            self.seller_actions[sid] = action
        for action in other_mechanics(cat, now):
            self.seller_actions[action.id] = action

    def _discount_tasks(self, shop: Shop, rng: random.Random) -> None:
        cat, now = shop.catalog, shop.now
        pool = [i for i in range(min(cat.n, 5_000)) if not cat.flags[i] & (ARCHIVED | NO_SKU)]
        count = min(len(pool), max(12, cat.n // 10), 120)
        statuses = ("NEW", "NEW", "NEW", "NEW", "APPROVED", "DECLINED")
        for k, i in enumerate(rng.sample(pool, count)):
            price = cat.price[i]
            asked = price * (80 + int(rng.random() * 15)) // 10_000 * 100
            task = DiscountTask(
                id=6_100_000 + k * 7,
                index=i,
                status=statuses[k % len(statuses)],
                created_at=now - timedelta(hours=1 + rng.random() * 70),
                requested_price=asked,
                original_price=price,
                requested_quantity=1 + int(rng.random() * 5),
            )
            if task.status in ("APPROVED", "DECLINED"):
                task.moderated_at = task.created_at + timedelta(hours=2)
                if task.status == "APPROVED":
                    task.approved_price = asked
                    task.approved_quantity_max = task.requested_quantity
                    task.approved_quantity_min = 1
            self.tasks[task.id] = task

    def advance(self, now: datetime, opted_out: set[int]) -> dict[int, list[int]]:
        """Ozon's auto-adding up to ``now``: every auto-add list whose date has come adds
        its products to the promotion (``AUTO``), except those whose seller turned
        auto-adding off (``opted_out``), and is gone after. The indexes added, by
        promotion."""
        added: dict[int, list[int]] = {}
        for promo in self.actions.values():
            for when in sorted(d for d in promo.auto_add if d <= now):
                for i, entry in sorted(promo.auto_add.pop(when).items()):
                    if i in opted_out or i in promo.products:
                        continue
                    promo.join(i, Entry(entry.price, entry.stock, "AUTO"))
                    added.setdefault(promo.id, []).append(i)
        return added

    def candidates(self, cat: Catalog, promo: Promotion) -> list[int]:
        """Eligible products not in the promotion (cached until either changes)."""
        key = (promo.version, cat.version)
        cached = self._candidates.get(promo.id)
        if cached is None or cached[0] != key:
            members = promo.products
            found = [i for i in promo.pool(cat) if i not in members]
            cached = self._candidates[promo.id] = (key, found)
        return cached[1]
