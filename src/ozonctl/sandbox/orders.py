"""Postings (FBS and FBO), returns, label tasks: generation and Ozon's state changes."""

from __future__ import annotations

import bisect
import random
from dataclasses import dataclass, field
from datetime import date
from itertools import accumulate
from operator import attrgetter
from typing import TYPE_CHECKING

from .catalog import ARCHIVED, NO_SKU, Catalog
from .errors import bad_request, not_found
from .values import mix

if TYPE_CHECKING:
    from .acts import Acts
    from .shop import Shop

HISTORY_DAYS = 90
HOUR, DAY = 3600.0, 86400.0


@dataclass(frozen=True, slots=True)
class CancelReason:
    id: int
    title: str
    type_id: str  # "seller" | "buyer" | "ozon"
    available: bool
    """Whether a seller may use it in ``/v2/posting/fbs/cancel``."""
    affects_rating: bool


CANCEL_REASONS: tuple[CancelReason, ...] = (
    CancelReason(352, "Товар закончился на складе продавца", "seller", True, True),
    CancelReason(400, "Остался только бракованный товар", "seller", True, True),
    CancelReason(401, "Отмена из арбитража", "seller", False, True),
    CancelReason(402, "Другое (вина продавца)", "seller", True, True),
    CancelReason(501, "Покупатель передумал", "buyer", False, False),
    CancelReason(665, "Покупатель не забрал заказ", "buyer", False, False),
    CancelReason(667, "Заказ утерян службой доставки", "ozon", False, False),
)
REASONS = {r.id: r for r in CANCEL_REASONS}
INITIATORS = {"seller": "Продавец", "buyer": "Покупатель", "ozon": "Ozon"}

SUBSTATUS = {
    "awaiting_registration": "posting_awaiting_registration",
    "acceptance_in_progress": "posting_acceptance_in_progress",
    "awaiting_packaging": "posting_created",
    "awaiting_deliver": "posting_transferring_to_delivery",
    "arbitration": "posting_in_arbitration",
    "client_arbitration": "posting_in_client_arbitration",
    "delivering": "posting_on_way_to_pickup_point",
    "driver_pickup": "posting_driver_pick_up",
    "delivered": "posting_delivered",
    "cancelled": "posting_canceled",
    "not_accepted": "posting_not_in_sort_center",
}
UNFULFILLED = (
    "awaiting_registration",
    "acceptance_in_progress",
    "awaiting_approve",
    "awaiting_packaging",
    "awaiting_deliver",
    "arbitration",
    "client_arbitration",
)
CANCELLABLE = frozenset(UNFULFILLED)
PRINTABLE = frozenset({"awaiting_deliver"})
SHIP_FAILED = "ship_failed"


def _table(*rows: tuple[float, str]) -> tuple[list[float], list[str]]:
    """Cumulative shares and their statuses, for ``bisect``."""
    return [share for share, _ in rows[:-1]], [status for _, status in rows]


# Status by the posting's age: (upper bound in days, table).
_STATUS_BY_AGE: tuple[tuple[float, tuple[list[float], list[str]]], ...] = (
    (
        1.5,
        _table(
            (0.55, "awaiting_packaging"),
            (0.78, "awaiting_deliver"),
            (0.84, "cancelled"),
            (0.87, "awaiting_registration"),
            (0.90, "acceptance_in_progress"),
            (0.93, "arbitration"),
            (1.00, "delivering"),
        ),
    ),
    (
        7.0,
        _table(
            (0.45, "delivering"),
            (0.55, "driver_pickup"),
            (0.83, "delivered"),
            (0.91, "cancelled"),
            (0.93, "not_accepted"),
            (0.96, "client_arbitration"),
            (1.00, "arbitration"),
        ),
    ),
    (1e9, _table((0.89, "delivered"), (0.98, "cancelled"), (1.00, "not_accepted"))),
)
_FBO_STATUS = _table(
    (0.80, "delivered"), (0.90, "delivering"), (0.97, "cancelled"), (1.0, "awaiting_packaging")
)


@dataclass(slots=True)
class Line:
    index: int
    """Product index in the catalogue."""
    sku: int
    quantity: int
    price: int
    """Unit price in kopecks."""


@dataclass(slots=True)
class Cancellation:
    reason: CancelReason
    after_ship: bool = False
    message: str = ""


@dataclass(slots=True)
class Posting:
    number: str
    order_id: int
    order_number: str
    scheme: str
    """``"fbs"`` or ``"fbo"``."""
    warehouse: int
    """Index into ``Shop.warehouses`` (FBS); -1 for FBO."""
    status: str
    in_process_at: float
    """Times are Unix seconds (cheap to make by the 100,000); ``values.iso`` renders them."""
    shipment_date: float
    lines: list[Line]
    substatus: str = ""
    previous_substatus: str = ""
    delivered_at: float | None = None
    changed_at: float | None = None
    cancellation: Cancellation | None = None
    tracking_number: str = ""
    parent: str = ""

    @property
    def delivering_date(self) -> float:
        return self.shipment_date + 2 * DAY

    @property
    def counts_against_seller(self) -> bool:
        return self.cancellation is not None and self.cancellation.reason.affects_rating


@dataclass(slots=True)
class Return:
    id: int
    posting: Posting
    line: Line
    quantity: int
    kind: str
    returned_at: float
    reason: str


@dataclass(slots=True)
class LabelTask:
    id: int
    postings: list[str]
    polls: int = 0
    unprinted: list[tuple[str, str]] = field(default_factory=list)


class Orders:
    def __init__(self, shop: Shop) -> None:
        self.shop = shop
        self.fbs: list[Posting] = []
        self.fbo: list[Posting] = []
        self.by_number: dict[str, Posting] = {}
        self.returns: list[Return] = []
        self.labels: dict[int, LabelTask] = {}
        self._next_label = 91_000_001
        self._placed = 0
        self.acts: Acts | None = None
        """FBS acceptance acts (``acts.py``), made on first use."""
        self.version = 0

    # --- generation -----------------------------------------------------------------------

    @classmethod
    def generate(cls, shop: Shop) -> Orders:
        orders = cls(shop)
        cat = shop.catalog
        rng = random.Random(f"{shop.seed}:orders")
        rnd = rng.random
        sellers, cum = _seller_weights(cat, rng)
        if not sellers:
            return orders
        n_fbs = min(20_000, max(80, cat.n * 3 // 2))
        total = n_fbs + n_fbs // 4
        picks = iter(rng.choices(sellers, cum_weights=cum, k=total * 3))
        prefix = 10_000_000 + mix(shop.seed, 9) % 80_000_000
        rfbs = next((k for k, w in enumerate(shop.warehouses) if w.is_rfbs), None)
        now = shop.now.timestamp()
        for k in range(total):
            fbo = k >= n_fbs
            age = rnd() * 1.5 if rnd() < 0.08 else rnd() * HISTORY_DAYS
            r = rnd()
            lines: dict[int, Line] = {}
            for _ in range(1 if r < 0.8 else 2 if r < 0.97 else 3):
                i = next(picks)
                if cat.age_days[i] > age and i not in lines:
                    qty = 1 if rnd() < 0.85 else 2 + int(rnd() * 2)
                    lines[i] = Line(i, cat.sku(i), qty, cat.price[i])
            fbo = fbo or next(iter(lines), -1) in cat.fbo_only
            if not fbo:  # products stocked only at Ozon ship only from there
                lines = {i: line for i, line in lines.items() if i not in cat.fbo_only}
            if not lines:
                continue
            order_number = f"{prefix + k // 10_000:08d}-{k % 10_000:04d}"
            posting = Posting(
                number=f"{order_number}-1",
                order_id=24_000_000_000 + k * 3 + k % 3,
                order_number=order_number,
                scheme="fbo" if fbo else "fbs",
                warehouse=-1 if fbo else _warehouse(int(rnd() < 0.35), rfbs, shop.seed, k),
                status="",
                in_process_at=now - age * DAY,
                shipment_date=now,
                lines=list(lines.values()),
            )
            orders._place(posting, age, rng)
            orders._add(posting)
        orders.fbs.sort(key=_sort_key)
        orders.fbo.sort(key=_sort_key)
        orders._make_returns(rng)
        return orders

    def place_new(self, count: int) -> list[str]:
        """``count`` new FBS orders from buyers, ``awaiting_packaging`` now (one unit of a
        product with free stock each, ship by tomorrow): how a test gets many postings to
        ship (``POST /__sandbox/orders``)."""
        cat = self.shop.catalog
        free = [
            i
            for i in range(cat.n)
            if cat.sku(i) and i not in cat.fbo_only and cat.fbs_present(i) > cat.fbs_reserved(i)
        ]
        if not free:
            raise ValueError("no product has free FBS stock for a new order")
        now = self.shop.now.timestamp()
        made: list[str] = []
        for _ in range(count):
            self._placed += 1
            k, i = self._placed, free[self._placed % len(free)]
            order_number = f"{90_000_000 + k // 10_000:08d}-{k % 10_000:04d}"
            p = Posting(
                number=f"{order_number}-1",
                order_id=29_000_000_000 + k,
                order_number=order_number,
                scheme="fbs",
                warehouse=0,
                status="awaiting_packaging",
                in_process_at=now,
                shipment_date=now + DAY,
                lines=[Line(i, cat.sku(i), 1, cat.price[i])],
                substatus=SUBSTATUS["awaiting_packaging"],
                changed_at=now,
            )
            self._reserve(p, +1)
            bisect.insort(self.fbs, p, key=_sort_key)
            self.by_number[p.number] = p
            made.append(p.number)
        self.version += 1
        return made

    def _place(self, p: Posting, age: float, rng: random.Random) -> None:
        """Give a new posting its status and dates (and reserve stock if it is open)."""
        now = self.shop.now.timestamp()
        r = rng.random()
        if p.scheme == "fbo":
            shares, statuses = _FBO_STATUS
        else:
            shares, statuses = next(t for a, t in _STATUS_BY_AGE if age < a)
        p.status = statuses[bisect.bisect_right(shares, r)]
        p.shipment_date = p.in_process_at + (24 + rng.random() * 24) * HOUR
        if p.status == "awaiting_packaging" and p.scheme == "fbs":
            late = rng.random() < 0.1
            hours = -(1 + rng.random() * 5) if late else 1 + rng.random() * 29
            p.shipment_date = now + hours * HOUR
        elif p.status == "awaiting_deliver":
            p.shipment_date = now + (2 + rng.random() * 24) * HOUR
        if p.status == "delivered":
            delivered = p.in_process_at + (2 + rng.random() * 4) * DAY
            p.delivered_at = min(delivered, now - HOUR)
        if p.status == "cancelled":
            reason = REASONS[(352, 400, 402, 501, 501, 665, 667)[int(rng.random() * 7)]]
            p.cancellation = Cancellation(reason, after_ship=reason.id in (665, 667))
        p.substatus = SUBSTATUS.get(p.status, "")
        if self.shop.is_rfbs(p.warehouse):
            _as_rfbs(p, now)
        p.changed_at = min(now, p.in_process_at + 3 * HOUR)
        if p.scheme == "fbs" and p.status in CANCELLABLE:
            self._reserve(p, +1)

    def _reserve(self, p: Posting, sign: int) -> None:
        cat = self.shop.catalog
        for line in p.lines:
            reserved, present = cat.reserved[p.warehouse], cat.present[p.warehouse]
            reserved[line.index] = max(0, reserved[line.index] + sign * line.quantity)
            present[line.index] = max(present[line.index], reserved[line.index])

    def _add(self, p: Posting) -> None:
        (self.fbo if p.scheme == "fbo" else self.fbs).append(p)
        self.by_number[p.number] = p

    def _make_returns(self, rng: random.Random) -> None:
        now = self.shop.now.timestamp()
        delivered = [p for p in self.fbs + self.fbo if p.status == "delivered"]
        delivered.sort(key=_sort_key)
        next_id = 31_000_001
        for p in delivered:
            if p.delivered_at is None or rng.random() >= 0.05:
                continue
            when = p.delivered_at + (2 + rng.random() * 10) * DAY
            if when >= now:
                continue
            line = p.lines[0]
            partial = line.quantity > 1 and rng.random() < 0.5
            kind = "PartialReturn" if partial else "FullReturn"
            reason = ("Не подошёл размер", "Брак", "Не соответствует описанию")[next_id % 3]
            qty = 1 if partial else line.quantity
            self.returns.append(Return(next_id, p, line, qty, kind, when, reason))
            next_id += 1

    # --- queries --------------------------------------------------------------------------

    def get(self, number: str) -> Posting:
        posting = self.by_number.get(number)
        if posting is None:
            raise not_found(f"posting {number} not found")
        return posting

    def fbs_posting(self, number: str) -> Posting:
        posting = self.get(number)
        if posting.scheme != "fbs":
            raise not_found(f"posting {number} not found")
        return posting

    def last_sales(self, scheme: str) -> dict[int, float]:
        """Product index -> ``in_process_at`` of its latest posting of ``scheme`` that
        was not cancelled."""
        out: dict[int, float] = {}
        for p in self.fbo if scheme == "fbo" else self.fbs:
            if p.status != "cancelled":
                for line in p.lines:
                    out[line.index] = max(out.get(line.index, 0.0), p.in_process_at)
        return out

    def sold_indexes(self) -> set[int]:
        """Products with at least one posting in the history that was not cancelled."""
        return {
            line.index for p in self.fbs + self.fbo if p.status != "cancelled" for line in p.lines
        }

    def cancellation_rate(self, days: int = 30) -> tuple[int, int]:
        """(seller-caused cancellations, FBS postings) created in the last ``days``."""
        since = self.shop.now.timestamp() - days * DAY
        start = bisect.bisect_left(self.fbs, since, key=lambda p: p.in_process_at)
        recent = self.fbs[start:]
        return sum(1 for p in recent if p.counts_against_seller), len(recent)

    # --- state changes --------------------------------------------------------------------

    def set_status(self, p: Posting, status: str, substatus: str) -> None:
        """A status change made from outside (an rFBS delivery status)."""
        self._touch(p, status, substatus)

    def _touch(self, p: Posting, status: str, substatus: str) -> None:
        p.previous_substatus = p.substatus
        p.status, p.substatus = status, substatus
        p.changed_at = self.shop.now.timestamp()
        self.version += 1

    def cancel(self, number: str, reason_id: int, message: str) -> None:
        p = self.fbs_posting(number)
        reason = REASONS.get(reason_id)
        if reason is None or not reason.available:
            raise bad_request("HAS_INCORRECT_CANCEL_REASON")
        if reason_id == 402 and not message.strip():
            raise bad_request("cancel_reason_message is required for cancel_reason_id 402")
        if p.status == "cancelled":
            raise bad_request("POSTING_ALREADY_CANCELLED")
        if p.status not in CANCELLABLE:
            raise bad_request(f"HAS_INCORRECT_STATUS: cannot cancel a posting in {p.status}")
        self._reserve(p, -1)
        p.cancellation = Cancellation(reason, message=message)
        self._touch(p, "cancelled", SUBSTATUS["cancelled"])

    def cancel_for_buyer(self, number: str) -> None:
        """An approved buyer's cancellation request: cancelled with the buyer's reason,
        which does not count against the seller."""
        p = self.fbs_posting(number)
        if p.status in CANCELLABLE:
            self._reserve(p, -1)
            p.cancellation = Cancellation(REASONS[501])
            self._touch(p, "cancelled", SUBSTATUS["cancelled"])

    def cancel_products(self, number: str, reason_id: int, items: list[tuple[int, int]]) -> None:
        p = self.fbs_posting(number)
        if REASONS.get(reason_id) is None:
            raise bad_request("HAS_INCORRECT_CANCEL_REASON")
        if p.status not in CANCELLABLE:
            raise bad_request(f"HAS_INCORRECT_STATUS: cannot cancel products in {p.status}")
        left = {line.sku: line.quantity for line in p.lines}
        for sku, qty in items:
            if sku not in left:
                raise bad_request(f"PRODUCT_NOT_FOUND_IN_POSTING: sku {sku}")
            if qty <= 0 or qty > left[sku]:
                raise bad_request(f"INVALID_QUANTITY: sku {sku} has {left[sku]} left")
            left[sku] -= qty
        if not any(left.values()):
            self._reserve(p, -1)
            p.cancellation = Cancellation(REASONS[reason_id])
            self._touch(p, "cancelled", SUBSTATUS["cancelled"])
            return
        reserved = self.shop.catalog.reserved[p.warehouse]
        for line in p.lines:
            reserved[line.index] = max(0, reserved[line.index] - line.quantity + left[line.sku])
            line.quantity = left[line.sku]
        p.lines = [line for line in p.lines if line.quantity > 0]
        self.version += 1

    def ship(self, number: str, packages: list[list[tuple[int, int]]]) -> list[str]:
        """Pack a posting into ``packages`` of (sku, quantity); the numbers it ends up as.

        The answer is all Ozon gives; whether packing worked shows in the posting: a
        fixed share of postings ends ``awaiting_packaging``/``ship_failed`` on the first
        try (a retry works).
        """
        p = self.fbs_posting(number)
        if p.status == "cancelled":
            raise bad_request("POSTING_ALREADY_CANCELLED")
        if p.status != "awaiting_packaging":
            raise bad_request("POSTING_ALREADY_SHIPPED")
        self._check_packages(p, packages)
        if p.substatus != SHIP_FAILED and mix(self.shop.seed, p.order_id, 77) % 8 == 0:
            self._touch(p, "awaiting_packaging", SHIP_FAILED)
            return [p.number]
        numbers = [p.number]
        if len(packages) > 1:
            numbers += self._split(p, packages)
        self._touch(p, "awaiting_deliver", SUBSTATUS["awaiting_deliver"])
        return numbers

    def _check_packages(self, p: Posting, packages: list[list[tuple[int, int]]]) -> None:
        wanted: dict[int, int] = {}
        for package in packages:
            if not package:
                raise bad_request("EMPTY_PACKAGE: every package needs products")
            for sku, qty in package:
                wanted[sku] = wanted.get(sku, 0) + qty
        have = {line.sku: line.quantity for line in p.lines}
        for sku, qty in wanted.items():
            if sku not in have:
                raise bad_request(
                    f"PRODUCT_NOT_FOUND_IN_POSTING: {sku} (packages take the SKU as product_id)"
                )
            if qty != have[sku]:
                raise bad_request(f"INCORRECT_PRODUCT_QUANTITY: sku {sku} has {have[sku]}")
        missing = set(have) - set(wanted)
        if missing:
            raise bad_request(f"NOT_ALL_PRODUCTS_PACKED: {sorted(missing)}")

    def _split(self, p: Posting, packages: list[list[tuple[int, int]]]) -> list[str]:
        by_sku = {line.sku: line for line in p.lines}
        numbers: list[str] = []
        for k, package in enumerate(packages[1:], start=2):
            lines = [Line(by_sku[s].index, s, q, by_sku[s].price) for s, q in package]
            for line in lines:
                by_sku[line.sku].quantity -= line.quantity
            child = Posting(
                number=f"{p.order_number}-{k}",
                order_id=p.order_id,
                order_number=p.order_number,
                scheme="fbs",
                warehouse=p.warehouse,
                status="awaiting_deliver",
                in_process_at=p.in_process_at,
                shipment_date=p.shipment_date,
                lines=lines,
                substatus=SUBSTATUS["awaiting_deliver"],
                changed_at=self.shop.now.timestamp(),
                parent=p.number,
            )
            bisect.insort(self.fbs, child, key=_sort_key)
            self.by_number[child.number] = child
            numbers.append(child.number)
        first = {s: q for s, q in packages[0]}
        p.lines = [
            Line(ln.index, ln.sku, first[ln.sku], ln.price) for ln in p.lines if ln.sku in first
        ]
        return numbers

    def set_tracking(self, number: str, tracking: str) -> str:
        """ "" when set, else the per-item error Ozon reports."""
        p = self.by_number.get(number)
        if p is None or p.scheme != "fbs":
            return "POSTING_NOT_FOUND"
        if p.status in ("cancelled", "delivered", "not_accepted"):
            return f"INVALID_POSTING_STATUS: {p.status}"
        if not tracking.strip():
            return "TRACKING_NUMBER_IS_EMPTY"
        p.tracking_number = tracking.strip()
        self.version += 1
        return ""

    def create_label_task(self, numbers: list[str]) -> LabelTask:
        task = LabelTask(self._next_label, list(numbers))
        self._next_label += 1
        for number in numbers:
            p = self.by_number.get(number)
            if p is None or p.scheme != "fbs":
                task.unprinted.append((number, "posting not found"))
            elif p.status not in PRINTABLE:
                task.unprinted.append((number, f"label is not available in status {p.status}"))
        self.labels[task.id] = task
        return task


RFBS_PERCENT = 30
"""Share of the seller's own postings that ship from the rFBS warehouse (chosen by hash,
so the shop's other draws stay as they were)."""


def _warehouse(fbs: int, rfbs: int | None, seed: int, k: int) -> int:
    """A new posting's warehouse: the rFBS one for ``RFBS_PERCENT`` of them, else ``fbs``."""
    return rfbs if rfbs is not None and mix(seed, k, 31) % 100 < RFBS_PERCENT else fbs


def _as_rfbs(p: Posting, now: float) -> None:
    """An rFBS posting's status in Ozon's rFBS model: no sorting centre (no registration,
    acceptance, driver or ``not_accepted``); the seller's carrier delivers, so a posting
    on its way is ``delivering`` to the buyer's city or with the courier."""
    if p.status in ("awaiting_registration", "acceptance_in_progress"):
        p.status, p.substatus = "awaiting_packaging", SUBSTATUS["awaiting_packaging"]
    elif p.status == "delivering":
        p.substatus = "posting_on_way_to_city"
    elif p.status == "driver_pickup":
        p.status, p.substatus = "delivering", "posting_in_courier_service"
    elif p.status == "not_accepted":
        p.status, p.substatus = "delivered", SUBSTATUS["delivered"]
        p.delivered_at = min(p.in_process_at + 3 * DAY, now - HOUR)


def day_of(ts: float) -> date:
    """The UTC date of Unix time ``ts``."""
    return date.fromordinal(_EPOCH + int(ts // DAY))


_EPOCH = date(1970, 1, 1).toordinal()


_sort_key = attrgetter("in_process_at", "number")


def _seller_weights(cat: Catalog, rng: random.Random) -> tuple[list[int], list[float]]:
    """Products that sell and how often; about 40 % of the catalogue never sells."""
    sellers: list[int] = []
    weights: list[float] = []
    for i in range(cat.n):
        if cat.flags[i] & (NO_SKU | ARCHIVED) or rng.random() < 0.4:
            continue
        sellers.append(i)
        weights.append(rng.paretovariate(1.6))
    return sellers, list(accumulate(weights))
