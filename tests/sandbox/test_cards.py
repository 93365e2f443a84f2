"""The pre-encoded product JSON (``sandbox/cards.py``) against the dicts it replaces.

``handlers.products.info_item`` and ``list_item`` build each item as a dict (the
readable reference); ``Cards`` renders the same items as bytes and caches them per
product. Both must give the same bytes ``json.dumps`` would, for every product, and
again after the product changes through any path (handlers, orders, direct writes).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from ozonctl.sandbox.app import SandboxApp
from ozonctl.sandbox.catalog import AUTOARCHIVED, DELETED, DISCOUNTED, NO_SKU
from ozonctl.sandbox.handlers.products import info_item, list_item
from ozonctl.sandbox.shop import Shop
from ozonctl.sandbox.values import (
    hash32,
    hash32_column,
    iso,
    iso_seconds,
    kop_str,
    kop_to_dec,
    money_num,
    money_str,
    q2,
)

TODAY = "2026-11-27"
HEADERS = {"Client-Id": "sandbox", "Api-Key": "sandbox-key"}


def dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def check_all(shop: Shop, indexes: list[int] | None = None) -> None:
    cat = shop.catalog
    chosen = list(range(cat.n)) if indexes is None else indexes
    fast_info = shop.cards.info_items(chosen)
    fast_rows = shop.cards.list_items(chosen)
    for i, info, row in zip(chosen, fast_info, fast_rows, strict=True):
        assert info == dumps(info_item(shop, i)), i
        assert row == dumps(list_item(cat, i)), i


@pytest.mark.parametrize("seed", [1, 2, 99])
def test_every_card_matches_the_dict(seed: int) -> None:
    shop = Shop(1500, seed, TODAY)
    check_all(shop)
    check_all(shop)  # from the cache


def test_cards_across_blocks_in_any_order() -> None:
    shop = Shop(9000, 4, TODAY)
    check_all(shop, [8999, 0, 4096, 4095, 8192, 12, 8191, 5000])
    check_all(shop, list(range(0, 9000, 37)))


def test_cards_with_the_real_clock() -> None:
    shop = Shop(300, 5)
    assert not shop.pinned
    check_all(shop)


def test_cards_follow_every_change() -> None:
    shop = Shop(600, 1, TODAY)
    cat = shop.catalog
    check_all(shop)
    later = shop.now + timedelta(hours=3, seconds=17)
    cat.set_archived(3, True, later)
    cat.set_archived(4, False, later)
    cat.flags[5] |= DISCOUNTED
    cat.flags[6] |= AUTOARCHIVED
    cat.flags[7] |= NO_SKU
    cat.flags[8] |= DELETED
    cat.present[0][9] = 77
    cat.present[1][10] = 0
    cat.reserved[0][11] = 3
    cat.present[0][11] = 3
    cat.fbo[12] = 9
    cat.price[13], cat.old_price[13], cat.min_price[13] = 12_345, 99_999, 1
    cat.price[14], cat.old_price[14], cat.min_price[14] = 5, -550, -5
    cat.price[15] = 0
    cat.age_days[16] = 0
    cat.touch(17, later)
    check_all(shop)


def test_cards_follow_changes_made_through_requests() -> None:
    shop = Shop(400, 1, TODAY)
    app = SandboxApp(shop, validate=False)
    cat = shop.catalog

    def call(path: str, body: dict[str, Any]) -> Any:
        raw = json.dumps(body).encode()
        answer = app.handle("POST", path, HEADERS, raw, "http://sandbox")
        assert answer.status == 200, answer.body
        return json.loads(answer.body)

    live = [i for i in range(cat.n) if cat.exists(i) and not cat.archived(i)]
    check_all(shop)
    call("/v1/product/archive", {"product_id": [cat.product_id(i) for i in live[:5]]})
    call(
        "/v2/products/stocks",
        {
            "stocks": [
                {
                    "product_id": cat.product_id(i),
                    "warehouse_id": shop.warehouses[0].id,
                    "stock": 42,
                }
                for i in live[5:10]
            ]
        },
    )
    call(
        "/v1/product/import/prices",
        {
            "prices": [
                {"product_id": cat.product_id(i), "price": "1234.56", "old_price": "2000"}
                for i in live[10:15]
            ]
        },
    )
    call("/v1/product/unarchive", {"product_id": [cat.product_id(i) for i in live[:2]]})
    check_all(shop)
    assert cat.present[0][live[5]] - cat.reserved[0][live[5]] == 42


def test_whole_answers_match() -> None:
    shop = Shop(2500, 1, TODAY)
    app = SandboxApp(shop, validate=False)
    cat = shop.catalog
    last_id, seen = "", 0
    while True:
        body = {"filter": {"visibility": "ALL"}, "limit": 1000, "last_id": last_id}
        answer = app.handle(
            "POST", "/v3/product/list", HEADERS, json.dumps(body).encode(), "http://sandbox"
        )
        page = json.loads(answer.body)["result"]
        if not page["items"]:
            assert answer.body == dumps(
                {"result": {"items": [], "total_items": 0, "last_id": ""}}
            ) or (page["total_items"] > 0 and page["last_id"] == "")
            break
        indexes = [cat.by_product_id(item["product_id"]) for item in page["items"]]
        reference = {
            "result": {
                "items": [list_item(cat, i) for i in indexes if i is not None],
                "total_items": page["total_items"],
                "last_id": page["last_id"],
            }
        }
        assert answer.body == dumps(reference)
        ids = [str(item["product_id"]) for item in page["items"]]
        info = app.handle(
            "POST",
            "/v3/product/info/list",
            HEADERS,
            json.dumps({"product_id": ids}).encode(),
            "http://sandbox",
        )
        assert info.status == 200
        assert info.body == dumps({"items": [info_item(shop, i) for i in indexes if i is not None]})
        seen += len(ids)
        last_id = page["last_id"]
    assert seen == sum(1 for i in range(cat.n) if cat.matches(i, "ALL"))


def test_info_ids_in_every_form() -> None:
    shop = Shop(300, 1, TODAY)
    app = SandboxApp(shop, validate=False)
    cat = shop.catalog
    pids = [cat.product_id(i) for i in range(5)]
    forms: list[object] = [str(pids[0]), pids[1], f" {pids[2]} ", float(pids[3]), "801000000"]
    body = json.dumps({"product_id": [*forms, "17", 0, str(pids[4])]}).encode()
    answer = app.handle("POST", "/v3/product/info/list", HEADERS, body, "http://sandbox")
    assert answer.status == 200
    assert [item["id"] for item in json.loads(answer.body)["items"]] == pids
    bad = json.dumps({"product_id": ["12a"]}).encode()
    answer = app.handle("POST", "/v3/product/info/list", HEADERS, bad, "http://sandbox")
    assert answer.status == 400


def test_hash_column() -> None:
    for seed in (1, 7, 2**40 + 3, -5):
        for salt in range(1, 6):
            column = hash32_column(seed, salt, 2000)
            assert list(column) == [hash32(seed, i, salt) for i in range(2000)]
            part = hash32_column(seed, salt, 5000, 4090)
            assert list(part) == [hash32(seed, i, salt) for i in range(4090, 5000)]
    assert list(hash32_column(1, 1, 0)) == []


def test_fast_formatting() -> None:
    for kop in (0, 1, 5, 99, 100, 101, 123_456, -1, -5, -550, -100, 10**15 + 7):
        assert kop_str(kop) == money_str(kop) == str(q2(kop_to_dec(kop)))
        assert money_num(kop) == float(q2(kop_to_dec(kop)))
    for raw in (
        *("0", "-0", "0.00", "-0.00", "0E-2", "1.5", "1.50", "1.505", "-2.675", "1E+2"),
        *("123.4", "1.0E+5", "1.23E-7", "5E-2", "-12.30", "0.001", "99999999999.99", "NaN"),
    ):
        assert money_str(Decimal(raw)) == str(q2(Decimal(raw)))
        assert repr(money_num(Decimal(raw))) == repr(float(q2(Decimal(raw))))
    start = int(datetime(1999, 12, 31, 23, 59, 58, tzinfo=UTC).timestamp())
    for seconds in [*range(start, start + 5), 0, -1, -86_401, 1_795_000_123, 4_102_444_800]:
        expected = datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        assert iso_seconds(seconds) == expected
        if seconds >= 0:
            assert iso(float(seconds) + 0.7) == expected
