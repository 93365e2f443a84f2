"""The demo shop: one seeded, deterministic state behind every sandbox endpoint.

Same ``(products, seed, today)`` gives the same shop. ``now`` is fixed at generation
(09:00 UTC of ``today`` when ``today`` is given, else the real time), so timestamps the
sandbox writes on state changes are reproducible too.

Handlers run under ``Shop.lock``; the Python API (``SandboxServer.shop``) should take it
too when it changes state while a server runs, and call ``Shop.bump()`` after, so cached
counts and filtered lists are recomputed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from datetime import time as dtime
from typing import Any, TypeVar, cast

from .analytics import Budget
from .apikey import ApiKey
from .buyers import Buyers
from .cancellations import CancelRequests
from .cards import Cards
from .catalog import Catalog
from .giveouts import Giveouts
from .ledger import Ledger
from .orders import Orders, day_of
from .promotions import Promotions
from .reviews import Reviews
from .rfbs_returns import RfbsReturns
from .values import iso

MAX_PRODUCTS = 100_000
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Warehouse:
    id: int
    name: str
    city: str
    is_rfbs: bool = False


WAREHOUSES: tuple[Warehouse, ...] = (
    Warehouse(1_020_000_901_234_000, "Склад Москва (FBS)", "Москва"),
    Warehouse(1_020_000_905_678_000, "Склад Казань (FBS)", "Казань"),
    Warehouse(1_020_000_907_777_000, "Shenzhen rFBS", "Шэньчжэнь", is_rfbs=True),
)
"""Two FBS warehouses and a cross-border seller's rFBS one (the seller delivers to the
buyer: buyers' cancellation requests, rFBS returns and delivery statuses live there)."""
FBO_WAREHOUSE = "Хоругвино"


class Shop:
    def __init__(
        self,
        products: int = 300,
        seed: int = 1,
        today: date | str | None = None,
        *,
        stock_pair_interval_s: float = 30.0,
        label_polls: int = 2,
    ) -> None:
        if not 0 <= products <= MAX_PRODUCTS:
            raise ValueError(f"products must be between 0 and {MAX_PRODUCTS}")
        if isinstance(today, str):
            today = date.fromisoformat(today)
        self.lock = threading.RLock()
        self.size = products
        self.seed = seed
        self.pinned = today is not None
        if today is None:
            self.now = datetime.now(UTC).replace(microsecond=0)
            self.today = self.now.date()
        else:
            self.today = today
            self.now = datetime.combine(today, dtime(9, 0), UTC)
        self.warehouses = WAREHOUSES
        self.stock_pair_interval_s = stock_pair_interval_s
        """Ozon takes one stock update per product and warehouse every 30 s."""
        self.label_polls = label_polls
        """Label polls answered ``pending``/``in_progress`` before ``completed``."""
        self.unarchive_quota = 100
        self.key = ApiKey.fresh()
        """The API key's expiry and roles (``/v1/roles``; ``/__sandbox/key`` sets them)."""
        self.analytics = Budget()
        """Analytics requests counted against Ozon's budget (``/__sandbox/analytics``)."""
        self.stock_updates: dict[tuple[int, int], float] = {}
        self.price_updates: dict[int, list[float]] = {}
        self.auto_actions: dict[int, bool] = {}
        self.auto_add_off: set[int] = set()
        """Products whose seller turned Ozon's auto-adding off
        (``auto_add_to_ozon_actions_list_enabled``): Ozon does not add them."""
        self.version = 0
        self._cache: dict[tuple[Any, ...], tuple[int, object]] = {}
        started = time.perf_counter()
        self.catalog = Catalog.generate(products, seed, len(self.warehouses))
        self.orders = Orders.generate(self)
        self.cancel_requests = CancelRequests(self)
        """Buyers' cancellation requests, made on first use."""
        self.rfbs_returns = RfbsReturns(self)
        """Buyers' rFBS return requests, made on first use."""
        self.giveouts = Giveouts(self)
        """Returns waiting at Ozon's warehouses for the seller, made on first use."""
        self.promos = Promotions.generate(self)
        self.ledger = Ledger(self)
        self.reviews = Reviews.generate(self)
        self.buyers = Buyers.generate(self)
        """Product questions and chats with buyers."""
        self.cards = Cards(self)
        """Products as pre-encoded JSON (``/v3/product/list``, ``/v3/product/info/list``)."""
        self.generation_s = time.perf_counter() - started

    def bump(self) -> None:
        """Mark the state changed (drops cached counts and filtered lists)."""
        self.version += 1

    def cached(self, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        """``compute()``, remembered until the state changes."""
        hit = self._cache.get(key)
        if hit is not None and hit[0] == self.version:
            return cast(T, hit[1])
        if len(self._cache) > 64:
            self._cache.clear()
        value = compute()
        self._cache[key] = (self.version, value)
        return value

    def move_to(self, day: date) -> dict[str, Any]:
        """Move the shop's day forward to ``day`` (09:00 UTC, as ``today`` pins it): the
        auto-add lists whose date has come add their products, as Ozon does. A day
        before the shop's is refused (ValueError): Ozon's clock does not go back."""
        if day < self.today:
            raise ValueError(f"the sandbox is at {self.today}; it cannot go back to {day}")
        self.today = day
        self.now = max(self.now, datetime.combine(day, dtime(9, 0), UTC))
        added = self.promos.advance(self.now, self.auto_add_off)
        self.bump()
        cat = self.catalog
        return {
            "today": self.today.isoformat(),
            "now": iso(self.now),
            "auto_added": {str(a): [cat.product_id(i) for i in ids] for a, ids in added.items()},
        }

    def is_rfbs(self, warehouse: int) -> bool:
        """Whether the warehouse at this index is an rFBS one (-1: FBO, not)."""
        return warehouse >= 0 and self.warehouses[warehouse].is_rfbs

    def warehouse_index(self, warehouse_id: int) -> int | None:
        for k, w in enumerate(self.warehouses):
            if w.id == warehouse_id:
                return k
        return None

    # --- introspection (``/__sandbox/state/...``) -------------------------------------------

    def summary(self) -> dict[str, Any]:
        cat = self.catalog
        statuses: dict[str, int] = {}
        for p in self.orders.fbs:
            statuses[p.status] = statuses.get(p.status, 0) + 1
        live = [i for i in range(cat.n) if cat.exists(i)]
        sold = self.orders.sold_indexes()
        cancelled, total = self.orders.cancellation_rate()
        return {
            "products": len(live),
            "archived": sum(1 for i in live if cat.archived(i)),
            "never_sold": sum(1 for i in live if i not in sold),
            "seed": self.seed,
            "today": self.today.isoformat(),
            "now": iso(self.now),
            "fbs_postings": statuses,
            "fbo_postings": len(self.orders.fbo),
            "returns": len(self.orders.returns),
            "cancellation_rate": {"seller_cancelled": cancelled, "postings": total},
            "actions": {str(a.id): len(a.products) for a in self.promos.actions.values()},
            "generation_s": round(self.generation_s, 3),
        }

    def fbo_only_state(self) -> dict[str, Any]:
        """The products stocked only at Ozon, and the day each last sold by FBO."""
        cat, last = self.catalog, self.orders.last_sales("fbo")
        ids = sorted(cat.fbo_only)
        return {
            "offer_ids": [cat.offer_id(i) for i in ids],
            "last_sale": {cat.offer_id(i): day_of(last[i]).isoformat() for i in ids if i in last},
            "fbs_sold": sorted(
                cat.offer_id(i) for i in cat.fbo_only & set(self.orders.last_sales("fbs"))
            ),
        }

    def product_state(self, i: int) -> dict[str, Any]:
        cat = self.catalog
        return {
            "index": i,
            "product_id": cat.product_id(i),
            "offer_id": cat.offer_id(i),
            "sku": cat.sku(i),
            "name": cat.name(i),
            "flags": cat.flags[i],
            "archived": cat.archived(i),
            "price": cat.price[i] / 100,
            "old_price": cat.old_price[i] / 100,
            "min_price": cat.min_price[i] / 100,
            "net_price": cat.net_price[i] / 100,
            "present": [column[i] for column in cat.present],
            "reserved": [column[i] for column in cat.reserved],
            "fbo": cat.fbo[i],
            "age_days": cat.age_days[i],
            "actions": [a.id for a in self.promos.actions.values() if i in a.products],
        }
