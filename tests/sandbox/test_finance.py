"""Finance adds up to the kopeck: accruals, balance, cash flow, realization."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sandbox_helpers import Api


def accruals(api: Api, day: date) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    body = {"date": day.isoformat(), "last_id": ""}
    while True:
        answer = api.ok("/v1/finance/accrual/by-day", body)
        if not answer["accruals"]:
            return found
        found += answer["accruals"]
        body["last_id"] = answer["last_id"]


def money(value: dict[str, str]) -> Decimal:
    assert value["currency"] == "RUB"
    amount = value["amount"]
    assert Decimal(amount) == Decimal(amount).quantize(Decimal("0.01"))
    return Decimal(amount)


def number(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def balance(api: Api, first: date, last: date) -> dict[str, Any]:
    body = {"date_from": first.isoformat(), "date_to": last.isoformat()}
    return api.ok("/v1/finance/balance", body)  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("start", "days"), [("2026-10-01", 30), ("2026-11-10", 17), ("2026-08-20", 14)]
)
def test_balance_is_the_sum_of_the_accruals(shared: Api, start: str, days: int) -> None:
    first = date.fromisoformat(start)
    last = first + timedelta(days=days)
    total = sum(
        (
            money(a["total_amount"])
            for k in range(days + 1)
            for a in accruals(shared, first + timedelta(days=k))
        ),
        Decimal(0),
    )
    result = balance(shared, first, last)
    t = result["total"]
    assert number(t["accrued"]["value"]) == total
    paid = sum((number(p["value"]) for p in t["payments"]), Decimal(0))
    assert number(t["closing_balance"]["value"]) == (
        number(t["opening_balance"]["value"]) + total - paid
    )
    flows = result["cashflows"]
    parts = [
        flows["sales"]["amount"],
        flows["sales"]["fee"],
        flows["returns"]["amount"],
        flows["returns"]["fee"],
        *(s["amount"] for s in flows["services"]),
    ]
    assert sum((number(p["value"]) for p in parts), Decimal(0)) == total


def test_balances_chain(shared: Api) -> None:
    a = balance(shared, date(2026, 10, 1), date(2026, 10, 20))["total"]
    b = balance(shared, date(2026, 10, 21), date(2026, 11, 10))["total"]
    assert a["closing_balance"] == b["opening_balance"]


def test_balance_period_limit(shared: Api) -> None:
    body = {"date_from": "2026-09-01", "date_to": "2026-10-05"}
    assert shared.post("/v1/finance/balance", body).status_code == 400


def test_posting_accruals_add_up(shared: Api) -> None:
    day = date(2026, 11, 3)
    listed = accruals(shared, day)
    categories = {a["accrued_category"] for a in listed}
    assert "POSTING" in categories and categories <= {"POSTING", "ITEM", "NON_ITEM"}
    for a in listed:
        if a["accrued_category"] == "POSTING":
            parts = [
                money(p["commission"]["sale_amount"])
                + money(p["commission"]["commission"])
                + money(p["delivery"]["total_accrued"])
                for p in a["posting"]["products"]
            ]
            for p in a["posting"]["products"]:
                services = sum((money(s["accrued"]) for s in p["delivery"]["services"]), Decimal(0))
                assert services == money(p["delivery"]["total_accrued"])
        elif a["accrued_category"] == "ITEM":
            parts = [money(f["accrued"]) for fee in a["item_fees"]["fees"] for f in fee["fees"]]
        else:
            parts = [money(a["non_item_fee"]["accrued"])]
        assert sum(parts, Decimal(0)) == money(a["total_amount"])
    sale = next(a for a in listed if a["accrued_category"] == "POSTING")
    per_posting = shared.ok(
        "/v1/finance/accrual/postings", {"posting_numbers": [sale["unit_number"]]}
    )["posting_accruals"][0]
    same_day = [x for x in per_posting["accruals"] if x["accrual_date"] == day.isoformat()]
    assert sum((money(x["accrued"]) for x in same_day), Decimal(0)) == money(sale["total_amount"])


def test_accrual_types_cover_every_type_used(shared: Api) -> None:
    known = {t["id"] for t in shared.ok("/v1/finance/accrual/types")["accrual_types"]}
    used = set()
    for a in accruals(shared, date(2026, 11, 1)) + accruals(shared, date(2026, 11, 2)):
        for p in (a.get("posting") or {}).get("products", []):
            used |= {s["type_id"] for s in p["delivery"]["services"]}
        for fee in (a.get("item_fees") or {}).get("fees", []):
            used |= {f["type_id"] for f in fee["fees"]}
        if a.get("non_item_fee"):
            used.add(a["non_item_fee"]["type_id"])
    assert used and used <= known


def test_cash_flow_matches_the_balance(shared: Api) -> None:
    body = {
        "date": {"from": "2026-10-01T00:00:00Z", "to": "2026-10-31T23:59:59Z"},
        "page": 1,
        "page_size": 10,
        "with_details": True,
    }
    result = shared.ok("/v1/finance/cash-flow-statement/list", body)["result"]
    assert [f["period"]["begin"][:10] for f in result["cash_flows"]] == ["2026-10-01", "2026-10-16"]
    keys = (
        "orders_amount",
        "returns_amount",
        "commission_amount",
        "services_amount",
        "item_delivery_and_return_amount",
    )
    flows = sum((number(f[k]) for f in result["cash_flows"] for k in keys), Decimal(0))
    total = balance(shared, date(2026, 10, 1), date(2026, 10, 31))["total"]
    assert flows == number(total["accrued"]["value"])
    details = result["details"]
    assert number(details["begin_balance_amount"]) == number(total["opening_balance"]["value"])
    assert number(details["end_balance_amount"]) == number(total["closing_balance"]["value"])


def test_realization(shared: Api) -> None:
    report = shared.ok("/v2/finance/realization", {"month": 10, "year": 2026})["result"]
    assert report["header"]["start_date"] == "2026-10-01"
    assert report["header"]["stop_date"] == "2026-10-31"
    rows = report["rows"]
    assert rows and [r["rowNumber"] for r in rows] == list(range(1, len(rows) + 1))
    sold = sum((number(r["delivery_commission"]["amount"]) for r in rows), Decimal(0))
    sales, _ = shared.shop.ledger.month_charges(2026, 10)
    assert sold == sum((line.amount for line in sales), Decimal(0))
    not_ready = shared.post("/v2/finance/realization", {"month": 11, "year": 2026})
    assert not_ready.status_code == 404


def test_accrual_pages_are_the_dicts_encoded() -> None:
    """The by-day answers are f-strings: the bytes json.dumps makes of render_accrual."""
    import json

    from ozonctl.sandbox.handlers.finance import accrual_json, render_accrual
    from ozonctl.sandbox.shop import Shop

    shop = Shop(2000, 3, "2026-11-27")
    day = shop.today
    kinds = set()
    for _ in range(95):
        day -= timedelta(days=1)
        for a in shop.ledger.day(day):
            kinds.add(a.category)
            expected = json.dumps(render_accrual(a), ensure_ascii=False, separators=(",", ":"))
            assert accrual_json(a) == expected
    assert kinds == {"POSTING", "ITEM", "NON_ITEM"}
