"""A deterministic fake of Ozon's finance methods for the payout unit tests (a module
with its own name, not ``conftest``: tests import it by name, and several test folders
have a ``conftest``).

``FakeFinance`` answers over respx (so the in-process ``cli`` fixture and a real
``OzonClient`` both reach it) and records every request body. Its data is a pure
function of the date, so tests can compute the expected figures independently.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from decimal import Decimal
from typing import Any

import httpx

BASE = "https://api-seller.ozon.ru"
CENT = Decimal("0.01")
PAYMENT = Decimal("-100.10")

TYPES = [
    {"id": 10, "name": "Логистика"},
    {"id": 11, "name": "Обработка возврата"},
    {"id": 20, "name": "Размещение товаров на складах"},
    {"id": 30, "name": "Продвижение в поиске"},
    {"id": 40, "name": "Компенсация за потерю товара"},
    {"id": 50, "name": "Вознаграждение за продажу"},
    {"id": 60, "name": "Сбор за что-то новое"},
]


def money(value: Decimal | str) -> dict[str, str]:
    return {"amount": str(value), "currency": "RUB"}


def accruals_of(day: dt.date, count: int) -> list[dict[str, Any]]:
    """``count`` accruals of ``day``: sales, returns, fees, a compensation, an unknown type,
    one not itemised at all. Amounts vary with the day so sums are not trivial."""
    out = []
    base = day.toordinal() % 97
    for i in range(count):
        aid = day.toordinal() * 1000 + i
        sku = 100 + (i + base) % 7
        cents = Decimal((base * 37 + i * 13) % 9000 + 101) / 100
        kind = i % 6
        if kind == 0:  # a sale: amount, commission, two delivery services
            parts = [cents * 10, -(cents * 2), Decimal("-76.40"), Decimal("-0.03")]
            out.append(
                {
                    "accrual_id": aid,
                    "accrued_category": "POSTING",
                    "date": day.isoformat(),
                    "unit_number": f"{aid}-0001-1",
                    "total_amount": money(sum(parts)),
                    "posting": {
                        "delivery_schema": "FBO",
                        "products": [
                            {
                                "sku": sku,
                                "commission": {
                                    "sale_amount": money(parts[0]),
                                    "commission": money(parts[1]),
                                    "sale_price": money(parts[0] + 1),
                                    "bonus": money("1.00"),
                                },
                                "delivery": {
                                    "services": [
                                        {"type_id": 10, "accrued": money(parts[2])},
                                        {"type_id": 10, "accrued": money(parts[3])},
                                    ],
                                    "total_accrued": money(parts[2] + parts[3]),
                                },
                            }
                        ],
                    },
                }
            )
        elif kind == 1:  # a return: negative sale amount, commission refunded
            parts = [-(cents * 3), (cents / 2).quantize(CENT), Decimal("-25.00")]
            out.append(
                {
                    "accrual_id": aid,
                    "accrued_category": "POSTING",
                    "date": day.isoformat(),
                    "unit_number": f"{aid}-0002-1",
                    "total_amount": money(sum(parts)),
                    "posting": {
                        "products": [
                            {
                                "sku": sku,
                                "commission": {
                                    "sale_amount": money(parts[0]),
                                    "commission": money(parts[1]),
                                },
                                "delivery": {
                                    "services": [{"type_id": 11, "accrued": money(parts[2])}]
                                },
                            }
                        ]
                    },
                }
            )
        elif kind == 2:  # storage fee per item
            out.append(
                {
                    "accrual_id": aid,
                    "accrued_category": "ITEM",
                    "date": day.isoformat(),
                    "unit_number": "",
                    "total_amount": money(-cents),
                    "item_fees": {
                        "fees": [{"sku": sku, "fees": [{"type_id": 20, "accrued": money(-cents)}]}]
                    },
                }
            )
        elif kind == 3:  # promotion, seller level
            out.append(
                {
                    "accrual_id": aid,
                    "accrued_category": "NON_ITEM",
                    "date": day.isoformat(),
                    "unit_number": f"AD-{aid}",
                    "total_amount": money(-cents * 4),
                    "non_item_fee": {"type_id": 30, "accrued": money(-cents * 4)},
                }
            )
        elif kind == 4:  # compensation, and a fee of a type missing from the catalogue
            out.append(
                {
                    "accrual_id": aid,
                    "accrued_category": "NON_ITEM",
                    "date": day.isoformat(),
                    "unit_number": "",
                    "total_amount": money(cents - Decimal("0.75")),
                    "container_fees": {
                        "fees": [
                            {"type_id": 40, "accrued": money(cents)},
                            {"type_id": 999, "accrued": money("-0.50")},
                            {"type_id": 60, "accrued": money("-0.25")},
                        ]
                    },
                }
            )
        else:  # a total with no breakdown at all
            out.append(
                {
                    "accrual_id": aid,
                    "accrued_category": "UNSPECIFIED",
                    "date": day.isoformat(),
                    "unit_number": "",
                    "total_amount": money((-cents / 4).quantize(CENT)),
                }
            )
    return out


class FakeFinance:
    """The finance methods over respx. ``per_day(day)`` accruals a day, ``page`` a page."""

    def __init__(self, per_day: int = 8, page: int = 3, delay: float = 0.0) -> None:
        self.per_day = per_day
        self.page = page
        self.delay = delay
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self._lock = threading.Lock()
        self.in_flight = 0
        self.max_in_flight = 0
        self.realization_rows: list[dict[str, Any]] = []
        self.types = list(TYPES)
        self._day_totals: dict[tuple[dt.date, int], Decimal] = {}

    # -- what a test can compute ----------------------------------------------------------
    def day_accruals(self, day: dt.date) -> list[dict[str, Any]]:
        return accruals_of(day, self.per_day)

    def day_total(self, day: dt.date) -> Decimal:
        key = (day, self.per_day)
        if key not in self._day_totals:
            self._day_totals[key] = sum(
                (Decimal(a["total_amount"]["amount"]) for a in self.day_accruals(day)),
                Decimal("0.00"),
            )
        return self._day_totals[key]

    def accrued(self, start: dt.date, end: dt.date) -> Decimal:
        days = range((end - start).days + 1)
        return sum((self.day_total(start + dt.timedelta(days=i)) for i in days), Decimal("0.00"))

    @staticmethod
    def paid(start: dt.date, end: dt.date) -> Decimal:
        """Ozon pays -100.10 out on the 10th and the 25th of each month."""
        days = (start + dt.timedelta(days=i) for i in range((end - start).days + 1))
        return sum((PAYMENT for d in days if d.day in (10, 25)), Decimal("0.00"))

    def bodies(self, path: str) -> list[dict[str, Any]]:
        return [b for p, b in self.calls if p == path]

    # -- the handler -----------------------------------------------------------------------
    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        body = json.loads(request.content or b"{}")
        with self._lock:
            self.calls.append((path, body))
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            if self.delay:
                # later days answer sooner, so ordering is really tested
                day = body.get("date")
                extra = 0.0
                if isinstance(day, str):
                    extra = (31 - dt.date.fromisoformat(day).day) * self.delay / 10
                time.sleep(self.delay + extra)
            answer = self.answer(path, body)
            if isinstance(answer, httpx.Response):
                return answer
            return httpx.Response(200, json=answer)
        finally:
            with self._lock:
                self.in_flight -= 1

    def answer(self, path: str, body: dict[str, Any]) -> Any:
        if path == "/v1/finance/accrual/types":
            return {"accrual_types": self.types}
        if path == "/v1/finance/accrual/by-day":
            assert set(body) == {"date", "last_id"}, body
            items = self.day_accruals(dt.date.fromisoformat(body["date"]))
            start = int(body["last_id"] or 0)
            chunk = items[start : start + self.page]
            nxt = start + len(chunk)
            return {"accruals": chunk, "last_id": str(nxt) if nxt < len(items) else ""}
        if path == "/v1/finance/accrual/postings":
            numbers = body["posting_numbers"]
            assert 1 <= len(numbers) <= 200
            return {
                "posting_accruals": [
                    {
                        "posting_number": n,
                        "accruals": [
                            {
                                "accrual_date": f"2026-10-0{1 + i % 3}T10:00:00Z",
                                "type_id": 50,
                                "sku": 100 + i,
                                "quantity": 1,
                                "accrued": money("-12.30"),
                            },
                            {
                                "accrual_date": "2026-10-01T09:00:00Z",
                                "type_id": 10,
                                "sku": 100 + i,
                                "quantity": 1,
                                "accrued": money("-7.05"),
                            },
                        ],
                    }
                    for i, n in enumerate(numbers)
                ]
            }
        if path == "/v1/finance/balance":
            start = dt.date.fromisoformat(body["date_from"])
            end = dt.date.fromisoformat(body["date_to"])
            assert (end - start).days <= 30, body
            before = (dt.date(2026, 1, 1), start - dt.timedelta(days=1))
            opening = Decimal("1000.00") + self.accrued(*before) + self.paid(*before)
            accrued = self.accrued(start, end)
            paid = self.paid(start, end)
            return {
                "total": {
                    "opening_balance": {"value": float(opening), "currency_code": "RUB"},
                    "accrued": {"value": float(accrued), "currency_code": "RUB"},
                    "payments": [{"value": float(paid), "currency_code": "RUB"}],
                    "closing_balance": {
                        "value": float(opening + accrued + paid),
                        "currency_code": "RUB",
                    },
                },
                "cashflows": {
                    "sales": {
                        "amount": {"value": 0.1 + 0.2, "currency_code": "RUB"},
                        "fee": {"value": -0.3, "currency_code": "RUB"},
                    },
                    "returns": {"amount": {"value": -1.1}, "fee": {"value": 0.15}},
                    "services": [{"name": "Продвижение", "amount": {"value": -2.675}}],
                },
            }
        if path == "/v1/finance/cash-flow-statement/list":
            begin = dt.date.fromisoformat(body["date"]["from"][:10])
            end = dt.date.fromisoformat(body["date"]["to"][:10])
            periods = []
            day = begin
            while day <= end:
                last = (
                    day.replace(day=15)
                    if day.day == 1
                    else (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
                    - dt.timedelta(days=1)
                )
                periods.append((day, last))
                day = last + dt.timedelta(days=1)
            size = body["page_size"]
            page = body["page"]
            chunk = periods[(page - 1) * size : page * size]
            return {
                "result": {
                    "cash_flows": [
                        {
                            "period": {
                                "id": int(b.strftime("%Y%m%d")),
                                "begin": f"{b}T00:00:00Z",
                                "end": f"{e}T23:59:59Z",
                            },
                            "orders_amount": 12345.67,
                            "returns_amount": -100.1,
                            "commission_amount": -1851.85,
                            "services_amount": -0.1 - 0.2,
                            "item_delivery_and_return_amount": -700.0,
                            "currency_code": "RUB",
                        }
                        for b, e in chunk
                    ],
                    "page_count": max(1, -(-len(periods) // size)),
                }
            }
        if path == "/v2/finance/realization":
            return {
                "result": {
                    "header": {
                        "number": "R-1",
                        "doc_date": "2026-11-05",
                        "start_date": "2026-10-01",
                        "stop_date": "2026-10-31",
                        "currency_sys_name": "RUB",
                    },
                    "rows": self.realization_rows,
                }
            }
        if path == "/v3/product/info/list":
            return {
                "items": [
                    {"sku": int(s), "offer_id": f"OF-{s}", "name": f"Product {s}"}
                    for s in body.get("sku", [])
                ]
            }
        return httpx.Response(404, json={"code": 5, "message": "not found"})
