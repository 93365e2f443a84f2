"""``/v2/products/stocks`` through the one model family: ``StockUpdate`` (request) and
``StockUpdateResult`` (answer) are pydantic models like every other write's."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from ozonctl.client.batching import BatchOutcome, BatchReport
from ozonctl.client.errors import APIError
from ozonctl.client.models.products import ItemError, StockUpdate, StockUpdateResult
from ozonctl.client.resources.products import ProductsResource


def test_a_stock_update_body_has_offer_id_only_when_set() -> None:
    assert StockUpdate(product_id=1, warehouse_id=2, stock=3).body() == {
        "product_id": 1,
        "warehouse_id": 2,
        "stock": 3,
    }
    assert StockUpdate(product_id=1, warehouse_id=2, stock=3, offer_id="A").body() == {
        "product_id": 1,
        "warehouse_id": 2,
        "stock": 3,
        "offer_id": "A",
    }
    with pytest.raises(ValidationError):
        StockUpdate(product_id=1, warehouse_id=2, stock=3, sku=4)  # type: ignore[call-arg]


def test_set_stocks_sends_bodies_and_reads_results_per_batch(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ups = [StockUpdate(product_id=10 + i, warehouse_id=7, stock=i) for i in range(5)]
    sent: list[Any] = []
    err = APIError("boom")

    def batches(self: Any, key: str, items: list[Any], build: Any, **kw: Any) -> Any:
        assert key == "product.stocks.update"
        sent.extend([build(items[:2]), build(items[2:4])])
        answer = {
            "result": [
                {"product_id": str(u.product_id), "warehouse_id": 7, "updated": u.stock != 1}
                | ({} if u.stock != 1 else {"errors": [{"code": "X", "message": "bad"}]})
                for u in items[:2]
            ]
        }
        return BatchReport(
            outcomes=[BatchOutcome(0, items[:2], answer), BatchOutcome(1, items[2:4], None, err)],
            not_sent=[items[4:]],
        )

    monkeypatch.setattr(ProductsResource, "_batches", batches)
    out = ProductsResource(None).set_stocks(ups)  # type: ignore[arg-type]
    assert sent[0] == {
        "stocks": [
            {"product_id": 10, "warehouse_id": 7, "stock": 0},
            {"product_id": 11, "warehouse_id": 7, "stock": 1},
        ]
    }
    assert out.results == [
        StockUpdateResult(product_id=10, warehouse_id=7, updated=True),
        StockUpdateResult(
            product_id=11, warehouse_id=7, errors=[ItemError(code="X", message="bad")]
        ),
    ]
    assert out.results[1].errors[0].text() == "X: bad"
    assert out.failed == [(ups[2], err), (ups[3], err)]
    assert out.not_sent == [ups[4]] and out.requests == 2
