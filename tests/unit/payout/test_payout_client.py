"""The finance client: the concurrent day walk (order, bounds, errors), request bodies of
every method, and the retired transaction methods never being called."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from decimal import Decimal
from typing import Any

import httpx
import pytest
from payout_fake import FakeFinance

from ozonctl.client.client import OzonClient
from ozonctl.client.errors import APIError, BadRequestError, PaginationError
from ozonctl.client.models.finance import Accrual
from ozonctl.client.resources.finance import days_between, split_period
from ozonctl.concurrency import ordered_map


def client_for(handler: Any, concurrency: int = 4) -> OzonClient:
    return OzonClient(
        client_id="1",
        api_key="k",
        base_url="http://127.0.0.1:9",
        rps=None,
        concurrency=concurrency,
        transport=httpx.MockTransport(handler),
        sleep=lambda s: None,
    )


def test_days_come_back_in_date_order_with_bounded_concurrency() -> None:
    fake = FakeFinance(per_day=5, page=2, delay=0.01)
    client = client_for(fake, concurrency=4)
    days = list(client.finance.accruals_by_day(dt.date(2026, 10, 1), dt.date(2026, 10, 20)))
    assert [d.day for d in days] == days_between(dt.date(2026, 10, 1), dt.date(2026, 10, 20))
    assert all(d.pages == 3 and len(d.accruals) == 5 for d in days)
    assert all(type(a) is Accrual for d in days for a in d.accruals)  # one model family
    assert [a.accrual_id for a in days[0].accruals] == [
        a["accrual_id"] for a in fake.day_accruals(dt.date(2026, 10, 1))
    ]
    assert 2 <= fake.max_in_flight <= 4
    assert client.stats["requests"] == 20 * 3
    paths = {p for p, _ in fake.calls}
    assert paths == {"/v1/finance/accrual/by-day"}
    assert not any(p.startswith("/v3/finance/transaction") for p, _ in fake.calls)


def test_a_failing_day_stops_the_walk_with_its_error() -> None:
    fake = FakeFinance(per_day=2, page=5)

    def handler(request: httpx.Request) -> httpx.Response:
        if b"2026-10-04" in request.content:
            return httpx.Response(400, json={"code": 3, "message": "bad date"})
        return fake(request)

    client = client_for(handler, concurrency=2)
    seen = []
    with pytest.raises(BadRequestError, match="bad date"):
        for day in client.finance.accruals_by_day(dt.date(2026, 10, 1), dt.date(2026, 10, 31)):
            seen.append(day.day.day)
    assert seen == [1, 2, 3]
    # the walk stopped: far fewer than 31 days were asked for
    assert len({b["date"] for _, b in fake.calls}) < 12


def day_of_pages(*bodies: bytes) -> Any:
    """``accruals_of_day`` against answers with these bodies, one a call."""
    answers = list(bodies)

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=answers.pop(0))

    return client_for(handler).finance.accruals_of_day(dt.date(2026, 10, 1))


def test_a_day_page_is_read_into_accrual_models() -> None:
    """An amount of ``""`` (``Dec`` reads it as 0) or an unknown field never fails the
    walk; the accruals are ``Accrual`` models (issue 17.2: no lean copies)."""
    day = day_of_pages(
        b'{"accruals": [{"accrual_id": "7", "date": "2026-10-01", "new_field": [1],'
        b' "total_amount": {"amount": "10.50", "currency": "RUB"},'
        b' "non_item_fee": {"type_id": 5, "accrued": {"amount": ""}}}], "has_next": false}'
    )
    (acc,) = day.accruals
    assert isinstance(acc, Accrual)
    assert acc.accrual_id == 7 and acc.total_amount.amount == Decimal("10.50")
    assert acc.non_item_fee is not None and acc.non_item_fee.accrued.amount == Decimal(0)
    assert day_of_pages(b"[]").accruals == []
    with pytest.raises(
        APIError,
        match=r"does not understand: POST /v1/finance/accrual/by-day: .*accrued_category",
    ):
        day_of_pages(
            b'{"accruals": [{"accrual_id": 1, "accrued_category": null,'
            b' "total_amount": {"amount": "1"}}], "has_next": false}'
        )


def test_an_accrual_without_its_total_is_refused_not_read_as_0() -> None:
    with pytest.raises(APIError, match=r"total_amount"):
        day_of_pages(
            b'{"accruals": [{"accrual_id": 1, "total_amount": {"amount": "5"}},'
            b' {"accrual_id": 2}], "has_next": false}'
        )


@pytest.mark.parametrize(
    ("pages", "calls"),
    [
        # has_next false ends the day without the empty page
        (
            [
                {
                    "accruals": [{"accrual_id": 1, "total_amount": {"amount": "1"}}],
                    "last_id": "a",
                    "has_next": False,
                }
            ],
            1,
        ),
        # total reached ends it too
        (
            [
                {
                    "accruals": [{"accrual_id": 1, "total_amount": {"amount": "1"}}],
                    "last_id": "a",
                    "total": 1,
                }
            ],
            1,
        ),
        # no next key
        ([{"accruals": [{"accrual_id": 1, "total_amount": {"amount": "1"}}], "last_id": ""}], 1),
        # the usual walk: pages until an empty one
        (
            [
                {"accruals": [{"accrual_id": 1, "total_amount": {"amount": "1"}}], "last_id": "a"},
                {"accruals": [], "last_id": ""},
            ],
            2,
        ),
    ],
)
def test_the_day_walk_ends_as_every_last_id_walk(pages: list[dict[str, Any]], calls: int) -> None:
    sent: list[dict[str, Any]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(json.loads(request.content))
        return httpx.Response(200, json=pages[len(sent) - 1])

    day = client_for(handler).finance.accruals_of_day(dt.date(2026, 10, 1))
    assert day.pages == calls and len(sent) == calls
    assert [a.accrual_id for a in day.accruals] == [1]
    assert sent[0] == {"date": "2026-10-01", "last_id": ""}
    assert all(b["last_id"] == "a" for b in sent[1:])


def test_a_day_walk_in_circles_is_stopped() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200,
            json={
                "accruals": [{"accrual_id": 1, "total_amount": {"amount": "1"}}],
                "last_id": "same",
            },
        )

    with pytest.raises(PaginationError, match="twice"):
        client_for(handler).finance.accruals_of_day(dt.date(2026, 10, 1))


def test_ordered_map_keeps_order_bounds_the_window_and_stops_early() -> None:
    started: list[int] = []
    lock = threading.Lock()

    def work(n: int) -> int:
        with lock:
            started.append(n)
        time.sleep(0.002 * (10 - n % 10))
        return n * n

    assert list(ordered_map(work, range(30), workers=3)) == [n * n for n in range(30)]
    started.clear()
    gen = ordered_map(work, range(1000), workers=2, window=4)
    assert next(gen) == 0
    gen.close()
    assert len(started) <= 6  # never ran far ahead of the consumer


def test_posting_accruals_dedupes_and_sends_200_a_call() -> None:
    fake = FakeFinance()
    client = client_for(fake)
    numbers = [f"P-{i}" for i in range(401)] + ["P-0", "P-1"]
    found = list(client.finance.posting_accruals(numbers))
    assert [len(b["posting_numbers"]) for b in fake.bodies("/v1/finance/accrual/postings")] == [
        200,
        200,
        1,
    ]
    assert [p.posting_number for p in found] == [f"P-{i}" for i in range(401)]
    assert found[0].accruals[0].accrued.amount == Decimal("-12.30")


def test_balance_bodies_and_split() -> None:
    fake = FakeFinance(per_day=1)
    client = client_for(fake)
    bal = client.finance.balance(dt.date(2026, 9, 1), dt.date(2026, 11, 27))
    assert fake.bodies("/v1/finance/balance") == [
        {"date_from": "2026-09-01", "date_to": "2026-10-01"},
        {"date_from": "2026-10-02", "date_to": "2026-11-01"},
        {"date_from": "2026-11-02", "date_to": "2026-11-27"},
    ]
    assert bal.accrued == fake.accrued(dt.date(2026, 9, 1), dt.date(2026, 11, 27))
    assert [p.date_from for p in bal.periods] == [
        dt.date(2026, 9, 1),
        dt.date(2026, 10, 2),
        dt.date(2026, 11, 2),
    ]


def test_cash_flow_pages_until_the_page_count() -> None:
    fake = FakeFinance()
    client = client_for(fake)
    start = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    end = dt.datetime(2026, 10, 31, 23, 59, 59, tzinfo=dt.UTC)
    import ozonctl.client.resources.finance as fin

    old = fin.CASH_FLOW_PAGE_SIZE
    fin.CASH_FLOW_PAGE_SIZE = 10
    try:
        flows = list(client.finance.cash_flows(start, end))
    finally:
        fin.CASH_FLOW_PAGE_SIZE = old
    bodies = fake.bodies("/v1/finance/cash-flow-statement/list")
    assert [b["page"] for b in bodies] == [1, 2, 3, 4, 5]
    assert all(b["page_size"] == 10 and b["with_details"] is False for b in bodies)
    assert bodies[0]["date"] == {
        "from": "2025-01-01T00:00:00.000Z",
        "to": "2026-10-31T23:59:59.000Z",
    }
    assert len(flows) == 44
    assert flows[0].orders_amount == Decimal("12345.67")


def test_types_and_realization_parse() -> None:
    fake = FakeFinance()
    fake.realization_rows = [
        {
            "rowNumber": 7,
            "item": {"sku": "123", "name": "x"},
            "commission_ratio": 0.1 + 0.2,
            "delivery_commission": {"total": 19.99, "quantity": 2},
        }
    ]
    client = client_for(fake)
    assert [t.id for t in client.finance.accrual_types()][:2] == [10, 11]
    report = client.finance.realization(2026, 10)
    row = report.rows[0]
    assert (row.row_number, row.item.sku, row.sold.total) == (7, 123, Decimal("19.99"))
    assert row.commission_ratio == Decimal("0.30000000000000004")  # a ratio is not money
    assert row.net == Decimal("19.99")
    assert report.header.number == "R-1"


def test_split_period_edges() -> None:
    day = dt.date(2026, 2, 1)
    assert split_period(day, day, 30) == [(day, day)]
    assert split_period(day, dt.date(2026, 3, 3), 30) == [(day, dt.date(2026, 3, 3))]
    assert split_period(day, dt.date(2026, 3, 4), 30) == [
        (day, dt.date(2026, 3, 3)),
        (dt.date(2026, 3, 4), dt.date(2026, 3, 4)),
    ]
    with pytest.raises(ValueError):
        split_period(day, dt.date(2026, 1, 31), 30)
