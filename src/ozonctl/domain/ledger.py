"""Accruals as ledger lines, their kinds, exact totals, and the day-by-day walk that
reads them (a client in, lines out: no CLI).

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
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from ozonctl.client.client import OzonClient
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


class Line(NamedTuple):
    """One accrued amount: what it was for, its kind, and the signed amount. The fields
    are in the order of ``ROW_KEYS`` (a tuple: cheap to make, ~87,000 for three months)."""

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
        return dict(zip(ROW_KEYS, self, strict=True))


ROW_KEYS: tuple[str, ...] = (
    "date",
    "accrual_id",
    "unit",
    "category",
    "sku",
    "type_id",
    "type",
    "kind",
    "amount",
    "currency",
)
"""The keys of ``Line.row()``, in the order of ``Line``'s fields."""

_new_line = tuple.__new__
"""``Line``'s own ``__new__`` is a Python function; the tuple's is not (~90,000 lines)."""


def accrual_lines(acc: Accrual, catalog: TypeCatalog, day: dt.date | None = None) -> list[Line]:
    """The lines of one by-day accrual; they sum to its ``total_amount`` exactly."""
    lines: list[Line] = []
    _add_lines(lines, acc, catalog, _when(acc.date, day))
    return lines


def day_lines(
    accruals: Iterable[Accrual], catalog: TypeCatalog, day: dt.date | None = None
) -> list[Line]:
    """The lines of a day's accruals (``accrual_lines`` of each, one list)."""
    lines: list[Line] = []
    dates: dict[str, dt.date] = {}
    for acc in accruals:
        text = acc.date
        when = dates.get(text)
        if when is None:
            when = dates[text] = _when(text, day)
        _add_lines(lines, acc, catalog, when)
    return lines


def _when(text: str, day: dt.date | None) -> dt.date:
    from ozonctl.client.models.finance import day_of

    return day_of(text, day) or day or dt.date.min


def _add_lines(lines: list[Line], acc: Accrual, catalog: TypeCatalog, when: dt.date) -> None:
    """Append the lines of ``acc`` (a by-day accrual) to ``lines``: the parts of its
    breakdown, then what they leave of its total (see the module docstring)."""
    first = len(lines)
    total = acc.total_amount
    currency = total.currency or "RUB"
    accrual_id = acc.accrual_id or None
    unit = acc.unit_number
    category = acc.accrued_category
    info = catalog.info
    append = lines.append

    def add(
        money: Money | None, sku: int | None, type_id: int | None, name: str, kind: str
    ) -> None:
        if money is None or money.amount == 0:
            return
        if type_id is not None:
            found = info(type_id)
            name, kind = found.name, found.kind
        append(
            _new_line(
                Line,
                (
                    when,
                    accrual_id,
                    unit,
                    category,
                    sku,
                    type_id,
                    name,
                    kind,
                    money.amount,
                    money.currency or currency,
                ),
            )
        )

    if acc.posting is not None:
        for product in acc.posting.products:
            sku = product.sku or None
            sale = product.commission
            if sale is not None:
                # a negative sale amount is a return: it and the commission given back
                # are both the return's, as Ozon's own types put them
                sale_amount = sale.sale_amount
                if sale_amount is not None and sale_amount.amount < 0:
                    add(sale_amount, sku, None, RETURN_NAME, "returns")
                    add(sale.commission, sku, None, COMMISSION_RETURN_NAME, "returns")
                else:
                    add(sale_amount, sku, None, SALE_NAME, "sales")
                    add(sale.commission, sku, None, COMMISSION_NAME, "commission")
            delivery = product.delivery
            if delivery is not None:
                for fee in delivery.services:
                    add(fee.accrued, sku, fee.type_id, "", "")
                if not delivery.services:
                    add(delivery.total_accrued, sku, None, DELIVERY_NAME, "delivery")
    if acc.item_fees is not None:
        for item in acc.item_fees.fees:
            for fee in item.fees:
                add(fee.accrued, item.sku or None, fee.type_id, "", "")
    if acc.non_item_fee is not None:
        add(acc.non_item_fee.accrued, None, acc.non_item_fee.type_id, "", "")
    if acc.container_fees is not None:
        for fee in acc.container_fees.fees:
            add(fee.accrued, None, fee.type_id, "", "")

    rest = total.amount - sum((lines[i].amount for i in range(first, len(lines))), ZERO)
    if rest != 0:
        append(
            _new_line(
                Line,
                (
                    when,
                    accrual_id,
                    unit,
                    category,
                    None,
                    None,
                    REMAINDER_NAME,
                    "other",
                    rest,
                    currency,
                ),
            )
        )


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


def load_catalog(client: OzonClient) -> TypeCatalog:
    """Ozon's accrual type catalogue (one call)."""
    return TypeCatalog(client.finance.accrual_types())


def walk_days(
    client: OzonClient,
    catalog: TypeCatalog,
    start: dt.date,
    end: dt.date,
    *,
    on_day: Callable[[int], None] | None = None,
) -> Iterator[list[Line]]:
    """The ledger lines of each day of ``start..end``, a list a day, in date order. Days
    are read concurrently (the client's ``concurrency``) under its shared rate limiter,
    and each day's lines are made on the thread that read it; ``on_day(1)`` is called
    as each day is handed over."""
    from ozonctl.client.resources.finance import days_between
    from ozonctl.concurrency import ordered_map

    finance = client.finance

    def read(day: dt.date) -> list[Line]:
        return day_lines(finance.accruals_of_day(day).accruals, catalog, day)

    for lines in ordered_map(read, days_between(start, end), workers=client.concurrency):
        yield lines
        if on_day is not None:
            on_day(1)


def walk_lines(
    client: OzonClient,
    catalog: TypeCatalog,
    start: dt.date,
    end: dt.date,
    *,
    on_day: Callable[[int], None] | None = None,
) -> Iterator[Line]:
    """Every ledger line of ``start..end`` in date order (``walk_days``, one by one)."""
    for lines in walk_days(client, catalog, start, end, on_day=on_day):
        yield from lines
