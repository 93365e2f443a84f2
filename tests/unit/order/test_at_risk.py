"""``order at-risk``: deadlines within the window, stock handed out by urgency."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fake_ozon import NOW, SKU_A, SKU_B, FakeOzon, posting

from ozonctl.client.models.postings import Posting
from ozonctl.commands.order.at_risk import risk_rows, short_products


def p(number: str, status: str, hours: float, qty: int = 1, sku: int = SKU_A) -> Posting:
    return Posting.model_validate(posting(number, status, hours=hours, products=[(sku, "o", qty)]))


def test_no_stock_means_nothing_beyond_reservations_and_not_packed() -> None:
    stock = {SKU_A: 0, SKU_B: 3}
    assert short_products(p("a", "awaiting_packaging", 30), stock) == [(SKU_A, 0)]
    assert short_products(p("b", "awaiting_packaging", 30, sku=SKU_B), stock) == []
    assert short_products(p("c", "awaiting_deliver", 30), stock) == []
    assert short_products(p("d", "awaiting_packaging", 30, sku=999), stock) == [(999, 0)]
    over = {SKU_A: -2}
    assert short_products(p("e", "awaiting_packaging", 30), over) == [(SKU_A, -2)]


def test_risk_rows_order_and_reasons() -> None:
    postings = [
        p("far", "awaiting_packaging", 100),
        p("soon", "awaiting_packaging", 5),
        p("over", "awaiting_deliver", -3),
        p("nostock", "awaiting_packaging", 70, sku=SKU_B),
    ]
    stock = {SKU_A: 7, SKU_B: 0}
    rows = risk_rows(postings, stock, NOW, 24)
    assert [(r["posting_number"], r["risk"]) for r in rows] == [
        ("over", "overdue"),
        ("soon", "due soon"),
        ("nostock", "no stock"),
    ]
    assert str(rows[0]["hours_left"]) == "-3.0" and rows[2]["no_stock"] == f"{SKU_B}:0"


def test_at_risk_command_outputs_and_exit_codes(cli: Any, ozon: FakeOzon) -> None:
    ozon.add(
        posting("71-1-1", hours=3, products=[(SKU_A, "offer-a", 1)]),
        posting("71-2-1", hours=72, products=[(SKU_B, "offer-b", 2)]),
        posting("71-3-1", hours=80, products=[(SKU_A, "offer-a", 1)]),
        posting("71-4-1", "delivered", hours=-100),
        posting("71-5-1", hours=90, products=[(SKU_A, "offer-a", 1)]),
    )
    ozon.cancel_requests = [
        {
            "cancellation_id": 5,
            "posting_number": "71-5-1",
            "state": {"state": "ON_APPROVAL"},
            "auto_approve_date": "2099-01-01T00:00:00Z",
        }
    ]
    ozon.stock = {SKU_A: 5, SKU_B: 0}
    before = dt.datetime.now(dt.UTC)
    res = cli("order", "at-risk", "--json")
    after = dt.datetime.now(dt.UTC)
    assert res.exit_code == 0, res.stderr
    rows = res.json()
    assert [(r["posting_number"], r["risk"], r["no_stock"]) for r in rows] == [
        ("71-1-1", "due soon", ""),
        ("71-2-1", "no stock", f"{SKU_B}:0"),
        ("71-5-1", "cancel request", ""),
    ]

    # the deadline is 3 hours after the fake's NOW (set when the module was imported: in
    # a long suite that can be many minutes before the command ran), one decimal
    def left(moment: dt.datetime) -> float:
        return 3 - (moment - NOW).total_seconds() / 3600

    assert left(after) - 0.05 <= float(rows[0]["hours_left"]) <= left(before) + 0.05
    assert rows[2]["cancel_request_by"].startswith("2099-01-01")
    assert ozon.bodies("/v2/conditional-cancellation/list")[0]["filters"]["state"] == "ON_APPROVAL"
    body = ozon.bodies("/v4/posting/fbs/unfulfilled/list")[0]
    assert "awaiting_packaging" in body["filter"]["statuses"]
    assert sorted(ozon.bodies("/v4/product/info/stocks")[0]["filter"]["offer_id"]) == [
        "offer-a",
        "offer-b",
    ]
    res = cli("order", "at-risk", "--hours", "100", "--fail-if-any")
    assert res.exit_code == 6
    assert [line.split("\t")[0] for line in res.stdout.splitlines()] == [
        "71-1-1",
        "71-2-1",
        "71-3-1",
        "71-5-1",
    ]
    assert "4 of 4 unfulfilled posting(s) at risk: 4 due soon, 1 no stock" in res.stderr
    assert "1 asked to cancel by the buyer: `order cancel-requests`" in res.stderr


def test_at_risk_nothing_found_is_exit_0_even_with_fail_flag(cli: Any, ozon: FakeOzon) -> None:
    ozon.add(posting("72-1-1", hours=60))
    ozon.stock = {SKU_A: 9}
    res = cli("order", "at-risk", "--fail-if-any")
    assert res.exit_code == 0 and res.stdout == ""
    res = cli("order", "at-risk", "--hours", "0")
    assert res.exit_code == 2


def test_now_is_utc() -> None:
    from ozonctl.cli.period import now_utc

    assert now_utc().tzinfo is dt.UTC


def test_no_stock_read_when_everything_is_packed(cli: Any, ozon: FakeOzon) -> None:
    """With no offer ids the stock method would walk the whole catalogue: not asked."""
    ozon.add(posting("73-1-1", "awaiting_deliver", hours=60))
    res = cli("order", "at-risk", "--json")
    assert res.exit_code == 0 and res.json() == []
    assert ozon.bodies("/v4/product/info/stocks") == []
