"""Accruals as ledger lines, their kinds, and exact totals.

An accrual of ``/v1/finance/accrual/by-day`` becomes one line per part of its breakdown:
per product of a posting the sale amount and the commission (the two parts without a
type id; both of kind ``returns`` when the sale amount is negative, i.e. a return), each
delivery service, each item fee, the seller-level fee and each container fee (typed).
``bonus`` and ``coinvestment`` are parts of the sale amount and are not added again. If
the parts do not add up to the accrual's ``total_amount``, the difference becomes one
more line of kind ``other`` ("not itemised by Ozon"), so the lines of an accrual always
sum to its total exactly and no money is dropped or counted twice.

Kinds come from the names in Ozon's type catalogue (``/v1/finance/accrual/types``) by
the keyword rules below, first match wins. A type whose name matches no rule, and a type
id missing from the catalogue, go to ``other`` and are listed by ``Totals.other_types``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ozonctl.client.models.common import Money
    from ozonctl.client.models.finance import Accrual, AccrualType, PostingAccruals

KINDS: tuple[str, ...] = (
    "sales",
    "commission",
    "delivery",
    "returns",
    "services",
    "compensations",
    "other",
)
DEDUCTIONS: tuple[str, ...] = ("commission", "delivery", "returns", "services", "other")
ZERO = Decimal("0.00")

_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("compensations", ("компенсац", "возмещ", "compensation", "reimburse")),
    (
        "returns",
        ("возврат", "невыкуп", "отмен", "обратн", "return", "cancel", "refund", "reverse"),
    ),
    ("commission", ("комисси", "вознагражден", "commission", "reward")),
    (
        "delivery",
        (
            "логистик",
            "доставк",
            "магистрал",
            "последн",
            "отгрузк",
            "drop-off",
            "dropoff",
            "курьер",
            "обработка отправлен",
            "сборк",
            "logistic",
            "delivery",
            "deliv",
            "last mile",
            "lastmile",
            "shipment",
            "transport",
        ),
    ),
    (
        "services",
        (
            "продвижен",
            "реклам",
            "хранен",
            "размещен",
            "подписк",
            "премиум",
            "трафарет",
            "эквайринг",
            "услуг",
            "бренд",
            "promotion",
            "advert",
            "storage",
            "placement",
            "subscription",
            "premium",
            "acquiring",
            "service",
            "marketing",
        ),
    ),
    ("sales", ("продаж", "выручк", "реализац", "выкуп", "sale", "revenue", "realization")),
)

SALE_NAME = "Sale amount"
RETURN_NAME = "Returned sale amount"
COMMISSION_NAME = "Ozon commission"
COMMISSION_RETURN_NAME = "Ozon commission given back on a return"
DELIVERY_NAME = "Delivery (total)"
REMAINDER_NAME = "Not itemised by Ozon (total less its parts)"


def classify(name: str) -> str:
    """The kind of an accrual type by its name; ``other`` when no rule matches."""
    text = name.casefold()
    for kind, words in _RULES:
        if any(word in text for word in words):
            return kind
    return "other"


@dataclass(frozen=True, slots=True)
class TypeInfo:
    type_id: int
    name: str
    kind: str
    known: bool


class TypeCatalog:
    """Type id → name and kind, from ``/v1/finance/accrual/types``."""

    def __init__(self, types: Iterable[AccrualType] = ()) -> None:
        self._types: dict[int, TypeInfo] = {}
        for t in types:
            self._types[t.id] = TypeInfo(t.id, t.name, classify(t.name), True)

    def __len__(self) -> int:
        return len(self._types)

    def info(self, type_id: int) -> TypeInfo:
        found = self._types.get(type_id)
        if found is None:
            found = TypeInfo(type_id, f"type {type_id} (not in Ozon's catalogue)", "other", False)
        return found

    def ids_of(self, kind: str) -> set[int]:
        return {t.type_id for t in self._types.values() if t.kind == kind}


@dataclass(frozen=True, slots=True)
class Line:
    """One accrued amount: what it was for, its kind, and the signed amount."""

    date: dt.date
    accrual_id: int | None
    unit: str
    category: str
    sku: int | None
    type_id: int | None
    type_name: str
    kind: str
    amount: Decimal
    currency: str

    def row(self) -> dict[str, Any]:
        return {
            "date": self.date,
            "accrual_id": self.accrual_id,
            "unit": self.unit,
            "category": self.category,
            "sku": self.sku,
            "type_id": self.type_id,
            "type": self.type_name,
            "kind": self.kind,
            "amount": self.amount,
            "currency": self.currency,
        }


def accrual_lines(acc: Accrual, catalog: TypeCatalog, day: dt.date | None = None) -> list[Line]:
    """The lines of one by-day accrual; they sum to ``acc.total_amount`` exactly."""
    from ozonctl.client.models.common import Money
    from ozonctl.client.models.finance import day_of

    when = day_of(acc.date, day) or day or dt.date.min
    currency = acc.total_amount.currency or "RUB"
    lines: list[Line] = []

    def add(
        money: Money | None,
        *,
        sku: int | None,
        type_id: int | None = None,
        name: str = "",
        kind: str = "",
    ) -> None:
        if money is None or money.amount == 0:
            return
        if type_id is not None:
            info = catalog.info(type_id)
            name, kind = info.name, info.kind
        lines.append(
            Line(
                when,
                acc.accrual_id or None,
                acc.unit_number,
                acc.accrued_category,
                sku,
                type_id,
                name,
                kind,
                money.amount,
                money.currency or currency,
            )
        )

    if acc.posting is not None:
        for product in acc.posting.products:
            sku = product.sku or None
            sale = product.commission
            if sale is not None:
                # a negative sale amount is a return: it and the commission given back
                # are both the return's, as Ozon's own types put them
                returned = sale.sale_amount is not None and sale.sale_amount.amount < 0
                add(
                    sale.sale_amount,
                    sku=sku,
                    name=RETURN_NAME if returned else SALE_NAME,
                    kind="returns" if returned else "sales",
                )
                add(
                    sale.commission,
                    sku=sku,
                    name=COMMISSION_RETURN_NAME if returned else COMMISSION_NAME,
                    kind="returns" if returned else "commission",
                )
            delivery = product.delivery
            if delivery is not None:
                for fee in delivery.services:
                    add(fee.accrued, sku=sku, type_id=fee.type_id)
                if not delivery.services:
                    add(delivery.total_accrued, sku=sku, name=DELIVERY_NAME, kind="delivery")
    if acc.item_fees is not None:
        for item in acc.item_fees.fees:
            for fee in item.fees:
                add(fee.accrued, sku=item.sku or None, type_id=fee.type_id)
    if acc.non_item_fee is not None:
        add(acc.non_item_fee.accrued, sku=None, type_id=acc.non_item_fee.type_id)
    if acc.container_fees is not None:
        for fee in acc.container_fees.fees:
            add(fee.accrued, sku=None, type_id=fee.type_id)

    rest = acc.total_amount.amount - sum((line.amount for line in lines), ZERO)
    add(Money(amount=rest, currency=currency), sku=None, name=REMAINDER_NAME, kind="other")
    return lines


def posting_lines(posting: PostingAccruals, catalog: TypeCatalog) -> list[Line]:
    """The lines of ``/v1/finance/accrual/postings`` for one posting (all typed)."""
    from ozonctl.client.models.finance import day_of

    lines = []
    for acc in posting.accruals:
        info = catalog.info(acc.type_id)
        lines.append(
            Line(
                day_of(acc.accrual_date) or dt.date.min,
                None,
                posting.posting_number,
                "POSTING",
                acc.sku or None,
                acc.type_id,
                info.name,
                info.kind,
                acc.accrued.amount,
                acc.accrued.currency or "RUB",
            )
        )
    return lines


@dataclass
class LineFilter:
    """``--type``: kinds and/or type ids; empty means every line."""

    kinds: frozenset[str] = frozenset()
    type_ids: frozenset[int] = frozenset()

    @classmethod
    def parse(cls, values: Sequence[str]) -> LineFilter:
        from ozonctl.errors import UsageError

        kinds: set[str] = set()
        ids: set[int] = set()
        for value in values:
            for part in value.split(","):
                part = part.strip().lower()
                if not part:
                    continue
                if part.isdigit():
                    ids.add(int(part))
                elif part in KINDS:
                    kinds.add(part)
                else:
                    raise UsageError(
                        f"--type {part}: not a kind or a type id",
                        hint=f"use one of {', '.join(KINDS)}, or a numeric accrual type id",
                    )
        return cls(frozenset(kinds), frozenset(ids))

    def __bool__(self) -> bool:
        return bool(self.kinds or self.type_ids)

    def __call__(self, line: Line) -> bool:
        if not self:
            return True
        return line.kind in self.kinds or (
            line.type_id is not None and line.type_id in self.type_ids
        )


@dataclass
class OtherType:
    type_id: int | None
    name: str
    currency: str
    amount: Decimal = ZERO
    lines: int = 0


@dataclass
class Totals:
    """Sums by kind and currency, built line by line (nothing else is kept)."""

    amounts: dict[tuple[str, str], Decimal] = field(default_factory=dict)
    counts: dict[tuple[str, str], int] = field(default_factory=dict)
    others: dict[tuple[int | None, str, str], OtherType] = field(default_factory=dict)
    lines: int = 0

    def add(self, line: Line) -> None:
        key = (line.currency, line.kind)
        self.amounts[key] = self.amounts.get(key, ZERO) + line.amount
        self.counts[key] = self.counts.get(key, 0) + 1
        self.lines += 1
        if line.kind == "other":
            okey = (line.type_id, line.type_name, line.currency)
            other = self.others.get(okey)
            if other is None:
                other = self.others[okey] = OtherType(line.type_id, line.type_name, line.currency)
            other.amount += line.amount
            other.lines += 1

    def add_all(self, lines: Iterable[Line]) -> Totals:
        for line in lines:
            self.add(line)
        return self

    @property
    def currencies(self) -> list[str]:
        seen = sorted({c for c, _ in self.amounts})
        return seen or ["RUB"]

    def kind(self, kind: str, currency: str) -> Decimal:
        return self.amounts.get((currency, kind), ZERO)

    def net(self, currency: str) -> Decimal:
        return sum((a for (c, _), a in self.amounts.items() if c == currency), ZERO)

    def rows(self) -> list[dict[str, Any]]:
        """One row per kind and currency, then the net per currency."""
        rows: list[dict[str, Any]] = []
        for currency in self.currencies:
            for kind in KINDS:
                rows.append(
                    {
                        "kind": kind,
                        "amount": self.kind(kind, currency),
                        "currency": currency,
                        "lines": self.counts.get((currency, kind), 0),
                    }
                )
            rows.append(
                {
                    "kind": "net",
                    "amount": self.net(currency),
                    "currency": currency,
                    "lines": sum(n for (c, _), n in self.counts.items() if c == currency),
                }
            )
        return rows

    def other_types(self) -> list[OtherType]:
        return sorted(self.others.values(), key=lambda o: (o.currency, -abs(o.amount), o.name))

    def document(self) -> dict[str, Any]:
        """The totals as JSON: per currency, every kind, the net and the ``other`` types."""
        return {
            "currencies": {
                currency: {
                    "kinds": {k: self.kind(k, currency) for k in KINDS},
                    "net": self.net(currency),
                }
                for currency in self.currencies
            },
            "lines": self.lines,
            "other_types": [
                {
                    "type_id": o.type_id,
                    "name": o.name,
                    "currency": o.currency,
                    "amount": o.amount,
                    "lines": o.lines,
                }
                for o in self.other_types()
            ],
        }
