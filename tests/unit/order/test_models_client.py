"""The postings client: request bodies, paging, model parsing, label file fetching."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import httpx
import pytest
from fake_ozon import BASE, NOW, SKU_A, FakeOzon, posting

from ozonctl.client.client import OzonClient
from ozonctl.client.errors import APIError
from ozonctl.client.models.postings import Posting, RatingSummary, ReturnItem


def client() -> OzonClient:
    return OzonClient(client_id="123", api_key="secret-key", base_url=BASE, rps=None)


def test_posting_model_takes_money_and_string_prices() -> None:
    listed = Posting.model_validate(posting("1-1-1"))
    assert listed.products[0].price == Decimal("1299.90")
    assert listed.products[0].currency_code == "RUB"
    assert str(listed.products[0]) == f"{SKU_A}:2"
    got = Posting.model_validate(
        {
            "posting_number": "1-1-1",
            "order_id": "77",
            "shipment_date": "",
            "products": [{"sku": "5", "price": "10.50", "currency_code": "KZT", "quantity": 1}],
            "available_actions": None,
        }
    )
    assert got.order_id == 77 and got.shipment_date is None
    assert got.products[0].sku == 5 and got.products[0].price == Decimal("10.50")
    assert got.products[0].currency_code == "KZT"


def test_null_lists_are_empty() -> None:
    summary = RatingSummary.model_validate({"groups": None})
    assert summary.groups == []
    ret = ReturnItem.model_validate(
        {"id": "9", "schema": "FBO", "product": {"price": {"price": 1.1}}}
    )
    assert ret.id == 9 and ret.schema_ == "FBO" and ret.product.price is not None
    assert ret.product.price.price == Decimal("1.1")


def test_fbs_list_walks_every_page_with_cursor(ozon: FakeOzon) -> None:
    ozon.add(*(posting(f"100-{i:04d}-1") for i in range(230)))
    since, to = NOW - dt.timedelta(days=3), NOW
    got = [p.posting_number for p in client().postings.fbs_list(since, to, ["awaiting_packaging"])]
    assert len(got) == 230 and len(set(got)) == 230
    bodies = ozon.bodies("/v4/posting/fbs/list")
    assert [b.get("cursor", "") for b in bodies] == ["", "100", "200"]
    assert all(b["limit"] == 100 for b in bodies)
    assert bodies[0]["filter"]["statuses"] == ["awaiting_packaging"]
    assert bodies[0]["filter"]["since"].endswith("Z") and bodies[0]["sort_dir"] == "ASC"


def test_returns_page_by_int_last_id(ozon: FakeOzon) -> None:
    ozon.returns = [
        {"id": 10 + i, "posting_number": f"r-{i}", "schema": "FBS"} for i in range(1100)
    ]
    got = list(client().postings.returns(NOW - dt.timedelta(days=30), NOW, "FBS"))
    assert len(got) == 1100
    bodies = ozon.bodies("/v1/returns/list")
    assert [b.get("last_id") for b in bodies] == [None, 509, 1009]
    assert all(b["limit"] == 500 for b in bodies)
    assert set(bodies[0]["filter"]) == {"logistic_return_date", "return_schema"}


def test_tracking_batches_of_twenty_with_per_item_results(ozon: FakeOzon) -> None:
    from ozonctl.client.models.postings import TrackingNumber

    ozon.add(*(posting(f"7-{i}-1") for i in range(45)))
    pairs = [TrackingNumber(posting_number=f"7-{i}-1", tracking_number=f"T{i}") for i in range(45)]
    pairs.append(TrackingNumber(posting_number="nope", tracking_number="X"))
    c = client()
    report = c.postings.set_tracking(pairs)
    sizes = [len(b["tracking_numbers"]) for b in ozon.bodies("/v2/fbs/posting/tracking-number/set")]
    assert sorted(sizes) == [6, 20, 20]
    results = [r for o in report.outcomes for r in c.postings.tracking_results(o)]
    assert len(results) == 46
    assert [r.posting_number for r in results if not r.result] == ["nope"]


def test_label_file_is_fetched_without_credentials(ozon: FakeOzon) -> None:
    ozon.add(posting("8-1-1", "awaiting_deliver"))
    task = client().postings.create_label_tasks(["8-1-1"])[0]
    data = client().postings.fetch_label_file(f"/files/labels-{task.task_id}.pdf")
    assert data.startswith(b"%PDF")
    request = ozon.calls[-1][2]
    assert "api-key" not in request.headers and "client-id" not in request.headers


def test_label_file_over_plain_http_elsewhere_is_refused() -> None:
    with pytest.raises(APIError, match="not https"):
        client().postings.fetch_label_file("http://cdn.example.com/x.pdf")


def test_wait_label_task_polls_until_completed(ozon: FakeOzon) -> None:
    ozon.add(posting("9-1-1", "awaiting_deliver"))
    c = client()
    ozon.label_polls = 3
    task = c.postings.create_label_tasks(["9-1-1"])[0]
    sleeps: list[float] = []
    state = c.postings.wait_label_task(task.task_id, sleep=sleeps.append)
    assert state.status.code == "completed" and state.file_url
    assert len(sleeps) == 2 and sleeps[1] > sleeps[0]


def test_wait_label_task_times_out(ozon: FakeOzon) -> None:
    from ozonctl.client.resources.postings import LabelTimeout

    c = client()
    ozon.label_polls = 10**6
    task = c.postings.create_label_tasks(["9-1-1"])[0]
    clock = iter(range(0, 1000, 10))
    with pytest.raises(LabelTimeout, match="still in_progress"):
        c.postings.wait_label_task(
            task.task_id, timeout=30, sleep=lambda s: None, clock=lambda: float(next(clock))
        )


def test_ship_body_names_the_sku_product_id(ozon: FakeOzon) -> None:
    from ozonctl.client.models.postings import ShipPackage, ShipProduct

    ozon.add(posting("2-1-1"))
    res = client().postings.ship(
        "2-1-1", [ShipPackage(products=[ShipProduct(product_id=SKU_A, quantity=2)])]
    )
    assert res.result == ["2-1-1"]
    assert ozon.bodies("/v4/posting/fbs/ship") == [
        {
            "posting_number": "2-1-1",
            "packages": [{"products": [{"product_id": SKU_A, "quantity": 2}]}],
        }
    ]


def test_cancel_is_not_retried_after_a_5xx(ozon: FakeOzon) -> None:
    from ozonctl.client.errors import WriteOutcomeUnknown

    ozon.add(posting("3-1-1"))
    ozon.fail("/v2/posting/fbs/cancel", httpx.Response(503, json={"code": 14, "message": "down"}))
    with pytest.raises(WriteOutcomeUnknown):
        client().postings.cancel("3-1-1", 352)
    assert len(ozon.bodies("/v2/posting/fbs/cancel")) == 1
