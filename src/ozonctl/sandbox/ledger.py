"""Finance: accruals by day, balances, cash flow and realization, consistent to the kopeck.

Everything here derives from the postings delivered and returned before the shop's
``now`` (generation-time history that state changes never touch), so each day is worked
out once, lazily, and cached. Amounts are ``Decimal`` rounded half-up to the kopeck per
component; every total is the sum of its components.

Balance rule: ``closing = opening + accrued - sum(payments)``, with ``accrued`` the sum
of the ``total_amount`` of every accrual dated inside the period. Ozon pays the whole
positive balance out on the 1st and the 16th of each month.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from .orders import day_of
from .values import kop_to_dec, q2

if TYPE_CHECKING:
    from .orders import Line, Posting, Return
    from .shop import Shop

POSTING, ITEM, NON_ITEM = "POSTING", "ITEM", "NON_ITEM"
SALE, SALE_REFUND, COMMISSION, COMMISSION_REFUND = 10, 11, 20, 21
LOGISTICS, LAST_MILE, RETURN_LOGISTICS = 30, 31, 32
STORAGE, RETURN_PROCESSING, PROMOTION, SUBSCRIPTION, COMPENSATION = 40, 41, 50, 51, 52
ACCRUAL_TYPES: dict[int, str] = {
    SALE: "Выручка от продажи",
    SALE_REFUND: "Возврат выручки",
    COMMISSION: "Вознаграждение Ozon за продажу",
    COMMISSION_REFUND: "Возврат вознаграждения Ozon",
    LOGISTICS: "Логистика",
    LAST_MILE: "Доставка до покупателя",
    RETURN_LOGISTICS: "Обратная логистика",
    STORAGE: "Размещение товаров на складах Ozon",
    RETURN_PROCESSING: "Обработка возврата",
    PROMOTION: "Продвижение в поиске",
    SUBSCRIPTION: "Подписка Premium",
    COMPENSATION: "Компенсация за утерянный товар",
}
RATIOS = tuple(Decimal(x) for x in ("0.15", "0.12", "0.17", "0.19", "0.10", "0.14", "0.16"))
HISTORY_DAYS = 92
_D45, _D63, _D500 = Decimal(45), Decimal(63), Decimal(500)
_PER_GRAM, _LAST_MILE = Decimal("0.02"), Decimal("0.055")
ZERO = Decimal("0.00")


@dataclass(slots=True)
class LineCharge:
    """One product line of a posting accrual."""

    index: int
    sku: int
    quantity: int
    unit_price: Decimal
    ratio: Decimal
    amount: Decimal
    """Revenue (negative for a refund)."""
    commission: Decimal
    services: list[tuple[int, Decimal]]

    @property
    def delivery(self) -> Decimal:
        return sum((v for _, v in self.services), ZERO)

    @property
    def total(self) -> Decimal:
        return self.amount + self.commission + self.delivery


@dataclass(slots=True)
class Accrual:
    id: int
    day: date
    category: str
    unit_number: str
    lines: list[LineCharge] = field(default_factory=list)
    item_fees: list[tuple[int, int, Decimal]] = field(default_factory=list)
    """(sku, type_id, amount) for ITEM accruals."""
    fee: tuple[int, Decimal] | None = None
    """(type_id, amount) for NON_ITEM accruals."""
    scheme: str = "FBS"
    refund: bool = False

    @property
    def total(self) -> Decimal:
        if self.category == POSTING:
            return sum((line.total for line in self.lines), ZERO)
        if self.category == ITEM:
            return sum((amount for _, _, amount in self.item_fees), ZERO)
        return self.fee[1] if self.fee else ZERO


@dataclass(slots=True)
class DaySums:
    sales: Decimal = ZERO
    sales_commission: Decimal = ZERO
    sales_logistics: Decimal = ZERO
    refunds: Decimal = ZERO
    refund_commission: Decimal = ZERO
    return_logistics: Decimal = ZERO
    services: dict[str, Decimal] = field(default_factory=dict)

    @property
    def total(self) -> Decimal:
        return (
            self.sales
            + self.sales_commission
            + self.sales_logistics
            + self.refunds
            + self.refund_commission
            + self.return_logistics
            + sum(self.services.values(), ZERO)
        )

    def add(self, other: DaySums) -> None:
        for name in (
            "sales",
            "sales_commission",
            "sales_logistics",
            "refunds",
            "refund_commission",
            "return_logistics",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for key, value in other.services.items():
            self.services[key] = self.services.get(key, ZERO) + value


class Ledger:
    def __init__(self, shop: Shop) -> None:
        self.shop = shop
        self.first_day = shop.today - timedelta(days=HISTORY_DAYS)
        self._delivered: dict[date, list[Posting]] = defaultdict(list)
        self._returned: dict[date, list[Return]] = defaultdict(list)
        for p in shop.orders.fbs + shop.orders.fbo:
            if p.delivered_at is not None:
                self._delivered[day_of(p.delivered_at)].append(p)
        for r in shop.orders.returns:
            self._returned[day_of(r.returned_at)].append(r)
        self._returns_of: dict[str, list[Return]] = defaultdict(list)
        for r in shop.orders.returns:
            self._returns_of[r.posting.number].append(r)
        self._days: dict[date, list[Accrual]] = {}
        self.rendered: dict[tuple[date, str], bytes] = {}
        """Encoded ``/v1/finance/accrual/by-day`` answers by (day, ``last_id``)."""
        self._sums: dict[date, DaySums] = {}
        cat = shop.catalog
        self._storage_pool = [i for i in range(min(cat.n, 50_000)) if cat.fbo[i] > 0][:2_000]

    # --- charges ----------------------------------------------------------------------------

    def line_charge(self, line: Line, quantity: int, refund: bool = False) -> LineCharge:
        cat = self.shop.catalog
        unit = kop_to_dec(line.price)
        ratio = RATIOS[cat.category_index(line.index) % len(RATIOS)]
        amount = unit * quantity
        commission = q2(amount * ratio)
        grams = Decimal(cat.weight_g(line.index))
        if refund:
            services = [(RETURN_LOGISTICS, -q2(_D45 + grams / 100))]
            return LineCharge(
                line.index, line.sku, quantity, unit, ratio, -amount, commission, services
            )
        logistics = q2(_D63 + grams * _PER_GRAM)
        last_mile = min(q2(amount * _LAST_MILE), _D500)
        services = [(LOGISTICS, -logistics), (LAST_MILE, -last_mile)]
        return LineCharge(
            line.index, line.sku, quantity, unit, ratio, amount, -commission, services
        )

    def posting_charges(self, p: Posting) -> list[tuple[date, LineCharge]]:
        """Every line charge of a posting (sale, then refunds), with its day."""
        out: list[tuple[date, LineCharge]] = []
        if p.delivered_at is not None:
            out += [(day_of(p.delivered_at), self.line_charge(ln, ln.quantity)) for ln in p.lines]
        for r in self._returns_of.get(p.number, []):
            out.append((day_of(r.returned_at), self.line_charge(r.line, r.quantity, refund=True)))
        return out

    # --- by day -------------------------------------------------------------------------------

    def day(self, d: date) -> list[Accrual]:
        cached = self._days.get(d)
        if cached is None:
            cached = self._days[d] = self._make_day(d) if self._in_history(d) else []
        return cached

    def _in_history(self, d: date) -> bool:
        return self.first_day <= d <= self.shop.today

    def _make_day(self, d: date) -> list[Accrual]:
        rng = random.Random(f"{self.shop.seed}:ledger:{d.toordinal()}")
        out: list[Accrual] = []

        def new(category: str, unit: str) -> Accrual:
            accrual = Accrual(d.toordinal() * 100_000 + len(out) + 1, d, category, unit)
            out.append(accrual)
            return accrual

        for p in sorted(self._delivered.get(d, []), key=lambda p: p.number):
            sale = new(POSTING, p.number)
            sale.scheme = p.scheme.upper()
            sale.lines = [self.line_charge(line, line.quantity) for line in p.lines]
        returns = self._returned.get(d, [])
        for r in returns:
            refund = new(POSTING, r.posting.number)
            refund.scheme, refund.refund = r.posting.scheme.upper(), True
            refund.lines = [self.line_charge(r.line, r.quantity, refund=True)]
        contract = f"ИР-{self.shop.seed:04d}/25"
        if returns:
            new(ITEM, contract).item_fees = [
                (r.line.sku, RETURN_PROCESSING, Decimal("-15.00")) for r in returns
            ]
        if self._storage_pool:
            picked = rng.sample(self._storage_pool, min(20, len(self._storage_pool)))
            cat = self.shop.catalog
            new(ITEM, contract).item_fees = [
                (cat.sku(i), STORAGE, -q2(Decimal(cat.fbo[i]) * Decimal("0.45"))) for i in picked
            ]
        if rng.random() < 0.7:
            new(NON_ITEM, contract).fee = (PROMOTION, -q2(Decimal(300 + rng.random() * 2700)))
        if d.day == 1:
            new(NON_ITEM, contract).fee = (SUBSCRIPTION, Decimal("-1990.00"))
        if rng.random() < 0.05:
            new(NON_ITEM, contract).fee = (COMPENSATION, q2(Decimal(200 + rng.random() * 1800)))
        return out

    def sums(self, d: date) -> DaySums:
        cached = self._sums.get(d)
        if cached is not None:
            return cached
        s = DaySums()
        for a in self.day(d):
            for line in a.lines:
                if a.refund:
                    s.refunds += line.amount
                    s.refund_commission += line.commission
                    s.return_logistics += line.delivery
                else:
                    s.sales += line.amount
                    s.sales_commission += line.commission
                    s.sales_logistics += line.delivery
            for _, type_id, amount in a.item_fees:
                name = ACCRUAL_TYPES[type_id]
                s.services[name] = s.services.get(name, ZERO) + amount
            if a.fee is not None:
                name = ACCRUAL_TYPES[a.fee[0]]
                s.services[name] = s.services.get(name, ZERO) + a.fee[1]
        self._sums[d] = s
        return s

    def period(self, first: date, last: date) -> DaySums:
        total = DaySums()
        d = first
        while d <= last:
            total.add(self.sums(d))
            d += timedelta(days=1)
        return total

    # --- balance --------------------------------------------------------------------------------

    def balance(self, first: date, last: date) -> tuple[Decimal, Decimal, list[Decimal]]:
        """(opening balance, accrued, payouts) for ``first``..``last`` inclusive."""
        running, accrued = ZERO, ZERO
        payouts: list[Decimal] = []
        opening = ZERO
        d = min(first, self.first_day)
        while d <= last:
            if d == first:
                opening = running
            if d.day in (1, 16) and running > 0:
                if d >= first:
                    payouts.append(running)
                running = ZERO
            day_total = self.sums(d).total if self._in_history(d) else ZERO
            running += day_total
            if d >= first:
                accrued += day_total
            d += timedelta(days=1)
        return opening, accrued, payouts

    # --- realization ----------------------------------------------------------------------------

    def month_charges(self, year: int, month: int) -> tuple[list[LineCharge], list[LineCharge]]:
        """(sale lines, refund lines) of every posting accrual dated in the month."""
        d = date(year, month, 1)
        sales: list[LineCharge] = []
        refunds: list[LineCharge] = []
        while d.month == month:
            for a in self.day(d):
                (refunds if a.refund else sales).extend(a.lines)
            d += timedelta(days=1)
        return sales, refunds
