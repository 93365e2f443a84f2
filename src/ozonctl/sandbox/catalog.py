"""The demo shop's products, stored column-wise so 100,000 of them are cheap.

A product is an index ``i``; its ids follow from it (``product_id``, ``sku`` and
``offer_id`` are arithmetic, so lookups need no maps), names and other fixed traits come
from a hash of ``(seed, i)``, and what can change (prices in kopecks, stock per
warehouse, flags) sits in ``array``/``bytearray`` columns.
"""

from __future__ import annotations

import math
import random
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from .values import hash32, hash32_column

PID_BASE, PID_STEP = 801_000_000, 7
SKU_BASE, SKU_STEP = 1_660_000_000, 11

ARCHIVED = 1
AUTOARCHIVED = 2
NO_SKU = 4
DELETED = 8
DISCOUNTED = 16

FBO_ONLY_PERCENT = 12
"""Share of products on sale stocked only in Ozon's warehouses (they sell only by FBO)."""

NET_PRICE_PERCENT = 40
"""Share of products whose cost the seller keeps at Ozon (``net_price``)."""

STOCK_LIMIT = 1_000_000
"""Ozon refuses stock of a million or more (``STOCK_TOO_BIG``)."""


@dataclass(frozen=True, slots=True)
class Category:
    code: str
    noun: str
    variants: tuple[str, ...]
    grams: int


CATEGORIES: tuple[Category, ...] = (
    Category("MUG", "Кружка керамическая", ("300 мл", "350 мл", "450 мл"), 380),
    Category("TSH", "Футболка хлопковая", ("S", "M", "L", "XL"), 210),
    Category("LAMP", "Лампа настольная LED", ("4 Вт", "7 Вт", "10 Вт"), 950),
    Category("BAG", "Рюкзак городской", ("18 л", "24 л", "30 л"), 760),
    Category("CASE", "Чехол для смартфона", ("6.1″", "6.5″", "6.7″"), 60),
    Category("TWL", "Полотенце махровое", ("50×90", "70×140"), 420),
    Category("BTL", "Бутылка для воды", ("500 мл", "750 мл", "1 л"), 180),
    Category("SCK", "Носки, набор", ("5 пар", "10 пар"), 300),
    Category("PEN", "Ручки гелевые, набор", ("12 шт", "24 шт"), 150),
    Category("POT", "Кашпо для цветов", ("1 л", "3 л", "5 л"), 520),
)
COLOURS = (
    "белый",
    "чёрный",
    "серый",
    "синий",
    "зелёный",
    "красный",
    "бежевый",
    "жёлтый",
    "розовый",
    "голубой",
    "оливковый",
    "графит",
)
VATS = ("0.2", "0.1", "0")


_BY_FLAGS = {
    "ALL": (DELETED | ARCHIVED, 0),
    "ARCHIVED": (DELETED | ARCHIVED, ARCHIVED),
    "AUTO_ARCHIVED": (DELETED | ARCHIVED | AUTOARCHIVED, ARCHIVED | AUTOARCHIVED),
    "MANUAL_ARCHIVED": (DELETED | ARCHIVED | AUTOARCHIVED, ARCHIVED),
}
"""``matches`` of the visibilities that depend on the flags only: ``(mask, value)``."""


class Catalog:
    """Products of one shop; ``n`` indexes, some later deleted (flag ``DELETED``)."""

    def __init__(self, n: int, seed: int, warehouses: int = 2) -> None:
        self.n = n
        self.seed = seed
        self.price = array("q", [0]) * n
        self.old_price = array("q", [0]) * n
        self.min_price = array("q", [0]) * n
        self.net_price = array("q", [0]) * n
        """The seller's cost kept at Ozon (``net_price``), kopecks; 0 where the seller keeps
        none (``NET_PRICE_PERCENT`` of the products have one)."""
        self.present = [array("l", [0]) * n for _ in range(warehouses)]
        self.reserved = [array("l", [0]) * n for _ in range(warehouses)]
        self.fbo = array("l", [0]) * n
        self.flags = bytearray(n)
        self.fbo_only: set[int] = set()
        """Products stocked only in Ozon's warehouses: no FBS stock, sold only by FBO."""
        self.age_days = array("H", [0]) * n
        """Days since the card was created, counted back from the shop's ``now``."""
        self.updated: dict[int, datetime] = {}
        self.renamed: dict[int, str] = {}
        """Offer ids the seller changed (``/__sandbox/rename``): index -> offer id."""
        self.version = 0

    # --- generation ---------------------------------------------------------------------

    @classmethod
    def generate(cls, n: int, seed: int, warehouses: int = 2) -> Catalog:
        """A seeded catalogue, built column by column (100,000 products in well under 1 s)."""
        cat = cls(n, seed, warehouses)
        rng = random.Random(f"{seed}:catalog")
        rnd = rng.random
        lo, span = math.log(150), math.log(25_000) - math.log(150)
        rubles = [int(math.exp(lo + span * rnd())) for _ in range(n)]
        cat.price = array("q", [(r - r % 10 + 9 if r > 300 else r) * 100 for r in rubles])
        for i in rng.sample(range(n), n // 50):
            cat.price[i] += 99
        cat.old_price = array(
            "q",
            [int(p * (1.1 + 0.5 * rnd())) // 100 * 100 if rnd() < 0.6 else 0 for p in cat.price],
        )
        cat.min_price = array(
            "q",
            [int(p * (0.7 + 0.25 * rnd())) // 100 * 100 if rnd() < 0.7 else 0 for p in cat.price],
        )
        cat.age_days = array(
            "H", [int(30 * rnd()) if rnd() < 0.1 else 30 + int(870 * rnd()) for _ in range(n)]
        )
        empty = [rnd() < 0.15 for _ in range(n)]
        for column, top in zip(cat.present[:2], (120, 60), strict=False):
            column[:] = array("l", [0 if e else int(top * rnd()) for e in empty])
        cat._stock_more_warehouses(empty)
        cat.fbo = array("l", [1 + int(40 * rnd()) if rnd() < 0.3 else 0 for _ in range(n)])
        cat.flags = bytearray(DISCOUNTED if rnd() < 0.03 else 0 for _ in range(n))
        cat._archive_some(rng)
        cat._stock_some_at_ozon_only()
        cat._cost_some()
        return cat

    def _cost_some(self) -> None:
        """``NET_PRICE_PERCENT`` of the products get a cost at Ozon, 30 to 89 % of their
        first price in whole roubles (chosen by hash: the other columns stay as drawn)."""
        price, net = self.price, self.net_price
        for i, h in enumerate(hash32_column(self.seed, 9, self.n)):
            if h % 100 < NET_PRICE_PERCENT:
                net[i] = price[i] * (30 + (h >> 8) % 60) // 10_000 * 100

    def _stock_more_warehouses(self, empty: list[bool]) -> None:
        """Warehouses past the first two (the rFBS one) get stock by hash, so the other
        columns' draws stay as they were; a product with no stock has none there either."""
        for k, column in enumerate(self.present[2:], start=2):
            for i, h in enumerate(hash32_column(self.seed, 20 + k, self.n)):
                column[i] = 0 if empty[i] or h % 3 == 0 else h >> 8 & 31

    def _stock_some_at_ozon_only(self) -> None:
        """``FBO_ONLY_PERCENT`` of the products on sale: units at Ozon, none of their own
        (chosen by hash, so the other columns' draws stay as they were)."""
        for i in range(self.n):
            if (
                self.flags[i] & (ARCHIVED | NO_SKU)
                or hash32(self.seed, i, 6) % 100 >= FBO_ONLY_PERCENT
            ):
                continue
            self.fbo_only.add(i)
            self.fbo[i] = max(self.fbo[i], 1 + hash32(self.seed, i, 7) % 40)
            for column in self.present:
                column[i] = 0

    def _archive_some(self, rng: random.Random) -> None:
        if self.n < 10:
            return
        chosen = rng.sample(range(self.n), max(4, self.n * 8 // 100))
        without_sku = max(3, self.n // 100)
        for k, i in enumerate(chosen):
            flag = ARCHIVED | (NO_SKU if k < without_sku else AUTOARCHIVED * (k % 2))
            self.flags[i] |= flag
            self.fbo[i] = 0
            for column in self.present:
                column[i] = 0

    # --- identity ------------------------------------------------------------------------

    def product_id(self, i: int) -> int:
        return PID_BASE + i * PID_STEP

    def sku(self, i: int) -> int:
        return 0 if self.flags[i] & NO_SKU else SKU_BASE + i * SKU_STEP

    def category_index(self, i: int) -> int:
        return hash32(self.seed, i, 1) % len(CATEGORIES)

    def category(self, i: int) -> Category:
        return CATEGORIES[self.category_index(i)]

    def offer_id(self, i: int) -> str:
        renamed = self.renamed.get(i) if self.renamed else None
        return renamed or f"{self.category(i).code}-{i + 1:06d}"

    def name(self, i: int) -> str:
        cat = self.category(i)
        h = hash32(self.seed, i, 2)
        colour = COLOURS[h % len(COLOURS)]
        return f"{cat.noun}, {colour}, {cat.variants[(h >> 16) % len(cat.variants)]}"

    def vat(self, i: int) -> str:
        return VATS[hash32(self.seed, i, 3) % 8 // 6]

    def weight_g(self, i: int) -> int:
        return self.category(i).grams + hash32(self.seed, i, 4) % 50

    def barcode(self, i: int) -> str:
        return f"OZN{self.sku(i) or self.product_id(i)}"

    def created_at(self, i: int, now: datetime) -> datetime:
        return now - timedelta(days=int(self.age_days[i]), seconds=hash32(self.seed, i, 5) % 80_000)

    def updated_at(self, i: int, now: datetime) -> datetime:
        return self.updated.get(i) or self.created_at(i, now) + timedelta(days=1)

    # --- lookups (None for unknown or deleted) -------------------------------------------

    def exists(self, i: int) -> bool:
        return 0 <= i < self.n and not self.flags[i] & DELETED

    def by_product_id(self, pid: int) -> int | None:
        i, rest = divmod(pid - PID_BASE, PID_STEP)
        return i if rest == 0 and self.exists(i) else None

    def by_sku(self, sku: int) -> int | None:
        i, rest = divmod(sku - SKU_BASE, SKU_STEP)
        return i if rest == 0 and self.exists(i) and not self.flags[i] & NO_SKU else None

    def by_offer_id(self, offer_id: str) -> int | None:
        for i, renamed in self.renamed.items():
            if renamed == offer_id and self.exists(i):
                return i
        _, _, digits = offer_id.rpartition("-")
        if not digits.isdigit():
            return None
        i = int(digits) - 1
        return i if self.exists(i) and self.offer_id(i) == offer_id else None

    # --- state ---------------------------------------------------------------------------

    def archived(self, i: int) -> bool:
        return bool(self.flags[i] & ARCHIVED)

    def fbs_present(self, i: int) -> int:
        return sum(column[i] for column in self.present)

    def fbs_reserved(self, i: int) -> int:
        return sum(column[i] for column in self.reserved)

    def has_stock(self, i: int) -> bool:
        return self.fbs_present(i) - self.fbs_reserved(i) > 0 or self.fbo[i] > 0

    def matches(self, i: int, visibility: str) -> bool:
        """Whether product ``i`` is in Ozon's ``visibility`` filter (unknown: like ALL)."""
        flags = self.flags[i]
        if flags & DELETED:
            return False
        if visibility == "ARCHIVED":
            return bool(flags & ARCHIVED)
        if visibility == "AUTO_ARCHIVED":
            return bool(flags & AUTOARCHIVED) and bool(flags & ARCHIVED)
        if visibility == "MANUAL_ARCHIVED":
            return bool(flags & ARCHIVED) and not flags & AUTOARCHIVED
        if flags & ARCHIVED:
            return False
        if visibility in ("VISIBLE", "IN_SALE"):
            return self.has_stock(i) and self.price[i] > 0
        if visibility in ("INVISIBLE", "EMPTY_STOCK", "REMOVED_FROM_SALE"):
            return not self.has_stock(i)
        return True

    def scan(self, visibility: str, start: int = 0) -> Iterator[int]:
        if visibility in _BY_FLAGS:
            # the filters that read only the flags, tested without a call per product
            mask, want = _BY_FLAGS[visibility]
            flags = self.flags
            return (i for i in range(start, self.n) if flags[i] & mask == want)
        return (i for i in range(start, self.n) if self.matches(i, visibility))

    def touch(self, i: int, now: datetime) -> None:
        self.updated[i] = now
        self.version += 1

    def set_archived(self, i: int, archived: bool, now: datetime) -> None:
        if archived:
            self.flags[i] |= ARCHIVED
        else:
            self.flags[i] &= ~(ARCHIVED | AUTOARCHIVED) & 0xFF
        self.touch(i, now)
