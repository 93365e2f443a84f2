"""``client.pipeline`` (``listing list``'s walk, a promotion's products): order, bounded
read-ahead, errors, early stop."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from ozonctl.concurrency import pipeline


def test_results_come_in_order_and_complete() -> None:
    def slow(n: int) -> int:
        time.sleep(0.001 * (n % 3))
        return n * 10

    assert list(pipeline(iter(range(50)), slow)) == [n * 10 for n in range(50)]
    assert list(pipeline(iter([]), slow)) == []


@pytest.mark.parametrize("ahead", [0, 1, 2])
def test_at_most_ahead_items_are_drawn_beyond_the_one_held(ahead: int) -> None:
    drawn: list[int] = []

    def source() -> Iterator[int]:
        for n in range(10):
            drawn.append(n)
            yield n

    it = pipeline(source(), lambda n: n, ahead=ahead)
    for held in range(10):
        assert next(it) == held
        time.sleep(0.02)  # give the threads time to run ahead as far as they may
        assert len(drawn) <= held + 1 + ahead, (held, drawn)
    assert list(it) == []


def test_the_next_item_is_drawn_while_the_stage_works() -> None:
    stage_running = threading.Event()
    drawn_meanwhile = threading.Event()

    def source() -> Iterator[int]:
        yield 1
        stage_running.wait(5)
        drawn_meanwhile.set()
        yield 2

    def stage(n: int) -> int:
        if n == 1:
            stage_running.set()
            assert drawn_meanwhile.wait(5), "the source waited for the stage"
        return n

    assert list(pipeline(source(), stage)) == [1, 2]


def test_a_source_error_comes_after_the_items_before_it() -> None:
    def source() -> Iterator[int]:
        yield 1
        yield 2
        raise ValueError("list page 3 failed")

    got: list[int] = []
    with pytest.raises(ValueError, match="page 3"):
        for n in pipeline(source(), lambda n: n):
            got.append(n)
    assert got == [1, 2]


def test_a_stage_error_is_raised_and_stops_the_source() -> None:
    drawn: list[int] = []

    def source() -> Iterator[int]:
        for n in range(100):
            drawn.append(n)
            yield n

    def stage(n: int) -> int:
        if n == 3:
            raise RuntimeError("details of page 4 failed")
        return n

    got: list[int] = []
    with pytest.raises(RuntimeError, match="page 4"):
        for n in pipeline(source(), stage, ahead=2):
            got.append(n)
    assert got == [0, 1, 2]
    time.sleep(0.05)
    assert len(drawn) <= 7  # 4 + at most ahead + the permit given back on the way out


def test_stopping_early_draws_nothing_more() -> None:
    drawn: list[int] = []

    def source() -> Iterator[int]:
        for n in range(100):
            drawn.append(n)
            yield n

    it = pipeline(source(), lambda n: n, ahead=1)
    assert next(it) == 0
    it.close()
    time.sleep(0.05)
    assert len(drawn) <= 4


# -- lean answers: the rows are those the full models gave --------------------------------


def _old_row(item: Any, info: Any) -> dict[str, Any]:
    """The row ``listing list`` makes, field by field from the models (the creation time
    as Ozon's moment in UTC)."""
    return {
        "offer_id": item.offer_id,
        "product_id": item.product_id,
        "sku": (info.sku if info else 0) or None,  # Ozon's list items carry no SKU
        "name": info.name if info else "",
        "state": info.state if info else ("archived" if item.archived else ""),
        "archived": info.is_archived if info else item.archived,
        "autoarchived": info.is_autoarchived if info else None,
        "price": info.price if info else None,
        "old_price": info.old_price if info else None,
        "min_price": info.min_price if info else None,
        "currency": info.currency_code if info else "",
        "present": info.fbs_present if info else None,
        "free_stock": info.fbs_free if info else None,
        "created": info.created_at.isoformat() if info and info.created_at else None,
        "updated": info.updated_at.isoformat() if info and info.updated_at else None,
    }


LIST_ANSWER = {
    "result": {
        "items": [
            {"product_id": 1, "offer_id": "A", "archived": False, "quants": []},
            {"product_id": "2", "offer_id": "B", "archived": True},
            {"product_id": 3, "offer_id": "C", "archived": False},
            {"product_id": 4},
        ],
        "total_items": 4,
        "last_id": "",
    }
}
INFO_ANSWER = {
    "items": [
        {
            "id": 1,
            "sku": 0,
            "name": 'Кашпо "белое"',
            "is_archived": False,
            "price": "1139.00",
            "old_price": "",
            "min_price": 99.9,
            "currency_code": "RUB",
            "created_at": "2025-10-05T06:23:31.000Z",
            "statuses": {"status": "price_sent", "status_name": "Продается", "x": 1},
            "stocks": {
                "has_stock": True,
                "stocks": [
                    {"present": 81, "reserved": 3, "sku": 11, "source": "fbs"},
                    {"present": 5, "reserved": 1, "sku": 11, "source": "rFBS"},
                    {"present": 7, "reserved": 0, "sku": 11, "source": "fbo"},
                ],
            },
            "commissions": [{"percent": 17.0}],
            "images": ["x"],
        },
        {
            "id": "2",
            "sku": "22",
            "name": "Archived",
            "is_archived": True,
            "is_autoarchived": True,
            "price": "5",
            "created_at": "2025-10-05T06:23:31+03:00",
        },
        {"id": 3, "statuses": {"status": "moderating"}, "price": None},
    ]
}


def test_listing_rows_are_made_from_the_models() -> None:
    # issue 17.2: one model family; the lean TypedDicts and their text helpers are gone
    import json

    from ozonctl.cli.output import encode_row
    from ozonctl.client.models import products as models
    from ozonctl.client.resources.products import ProductsResource
    from ozonctl.commands.listing.browse import listing_rows

    items = [models.ProductListItem.model_validate(i) for i in LIST_ANSWER["result"]["items"]]
    infos = [models.ProductInfo.model_validate(x) for x in INFO_ANSWER["items"]]
    got = listing_rows(items, infos)
    by_id = {i.id: i for i in infos}
    want = [_old_row(item, by_id.get(item.product_id)) for item in items]
    assert [encode_row(g) for g in got] == [encode_row(w) for w in want]
    first = json.loads(encode_row(got[0]))
    assert (
        first["price"] == "1139.00" and first["old_price"] == "0" and first["min_price"] == "99.9"
    )
    assert first["created"] == "2025-10-05T06:23:31+00:00"
    assert got[0]["present"] == 86 and got[0]["free_stock"] == 82
    assert got[1]["state"] == "auto-archived" and got[3]["state"] == ""
    assert got[3]["sku"] is None and got[3]["price"] is None
    for gone in ("ListedProduct", "ProductCard", "CardsResponse", "money_text", "time_text"):
        assert not hasattr(models, gone)
    for reader in ("listed_pages", "cards", "info_items", "price_items"):
        assert not hasattr(ProductsResource, reader)  # no plain-JSON readers beside the models
    price = models.ProductPrice.model_validate(
        {"product_id": "5", "marketing_actions": {"actions": [{"title": "A"}, {"title": "B"}]}}
    )
    assert price.marketing_actions is not None and len(price.marketing_actions.actions) == 2


def test_in_background_runs_in_another_thread_and_hands_back_result_or_error() -> None:
    from ozonctl.concurrency import in_background

    def add(x: int, y: int = 0) -> tuple[int, int]:
        return x + y, threading.get_ident()

    total, where = in_background(add, 2, y=3).result(5)
    assert total == 5 and where != threading.get_ident()

    def boom() -> None:
        raise ValueError("nope")

    with pytest.raises(ValueError, match="nope"):
        in_background(boom).result(5)
