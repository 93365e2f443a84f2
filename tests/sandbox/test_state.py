"""State changes behave as Ozon's do and show up in the read methods."""

from __future__ import annotations

from typing import Any

import httpx
from sandbox_helpers import Api, first_posting, make

from ozonctl.sandbox.values import mix

WAREHOUSE = 1_020_000_901_234_000


def active_product(api: Api, start: int = 0) -> int:
    cat = api.shop.catalog
    return next(i for i in range(start, cat.n) if not cat.archived(i) and cat.sku(i))


def info(api: Api, pid: int) -> dict[str, Any]:
    items = api.ok("/v3/product/info/list", {"product_id": [str(pid)]})["items"]
    assert len(items) == 1
    return items[0]  # type: ignore[no-any-return]


def action(api: Api, action_id: int) -> dict[str, Any]:
    listed = api.get("/v1/actions").json()["result"]
    return next(a for a in listed if a["id"] == action_id)  # type: ignore[no-any-return]


# --- products --------------------------------------------------------------------------------


def test_archive_and_unarchive_show_in_info_and_lists(api: Api) -> None:
    cat = api.shop.catalog
    i = next(i for i in api.shop.promos.actions[71003].participants() if not cat.archived(i))
    pid = cat.product_id(i)
    before = api.ok("/v3/product/list", {"filter": {"visibility": "ARCHIVED"}, "limit": 1000})
    assert api.ok("/v1/product/archive", {"product_id": [pid]}) == {"result": True}
    assert info(api, pid)["is_archived"] is True
    after = api.ok("/v3/product/list", {"filter": {"visibility": "ARCHIVED"}, "limit": 1000})
    assert after["result"]["total_items"] == before["result"]["total_items"] + 1
    assert pid in [x["product_id"] for x in after["result"]["items"]]
    assert i not in api.shop.promos.actions[71003].products, "archiving leaves promotions"
    api.ok("/v1/product/unarchive", {"product_id": [pid]})
    assert info(api, pid)["is_archived"] is False


def test_delete_only_archived_without_sku(api: Api) -> None:
    cat = api.shop.catalog
    no_sku = next(i for i in range(cat.n) if cat.archived(i) and not cat.sku(i))
    with_sku = next(i for i in range(cat.n) if cat.archived(i) and cat.sku(i))
    live = active_product(api)
    offers = [cat.offer_id(i) for i in (no_sku, with_sku, live)] + ["NOPE-1"]
    status = api.ok("/v2/products/delete", {"products": [{"offer_id": o} for o in offers]})[
        "status"
    ]
    assert [s["is_deleted"] for s in status] == [True, False, False, False]
    assert all(s["error"] for s in status[1:])
    assert api.ok("/v3/product/info/list", {"offer_id": [offers[0]]})["items"] == []


def test_stock_update_shows_in_stock_methods(api: Api) -> None:
    cat = api.shop.catalog
    i = active_product(api)
    pid = cat.product_id(i)
    reserved = cat.reserved[0][i]
    result = api.ok(
        "/v2/products/stocks",
        {"stocks": [{"product_id": pid, "warehouse_id": WAREHOUSE, "stock": 42}]},
    )
    assert result["result"] == [
        {
            "product_id": pid,
            "offer_id": cat.offer_id(i),
            "warehouse_id": WAREHOUSE,
            "updated": True,
            "errors": [],
        }
    ]
    rows = api.ok(
        "/v2/product/info/stocks-by-warehouse/fbs", {"limit": 10, "sku": [str(cat.sku(i))]}
    )["products"]
    row = next(r for r in rows if r["warehouse_id"] == WAREHOUSE)
    assert (row["present"], row["reserved"], row["free_stock"]) == (42 + reserved, reserved, 42)
    stocks = api.ok("/v4/product/info/stocks", {"filter": {"product_id": [str(pid)]}, "limit": 10})[
        "items"
    ][0]["stocks"]
    fbs = next(s for s in stocks if s["type"] == "fbs")
    assert fbs["present"] == cat.present[0][i] + cat.present[1][i]
    assert info(api, pid)["stocks"]["stocks"][0]["present"] == fbs["present"]


def test_stock_update_per_item_errors(api: Api) -> None:
    cat = api.shop.catalog
    live = cat.product_id(active_product(api))
    archived = cat.product_id(next(i for i in range(cat.n) if cat.archived(i)))
    rows = [
        {"product_id": 1, "warehouse_id": WAREHOUSE, "stock": 1},
        {"product_id": archived, "warehouse_id": WAREHOUSE, "stock": 1},
        {"product_id": live, "warehouse_id": WAREHOUSE, "stock": 1_000_000},
        {"product_id": live, "warehouse_id": 5, "stock": 1},
    ]
    result = api.ok("/v2/products/stocks", {"stocks": rows})["result"]
    codes = [r["errors"][0]["code"] for r in result]
    assert codes == [
        "product_is_not_created",
        "PRODUCT_IS_ARCHIVED",
        "STOCK_TOO_BIG",
        "WAREHOUSE_NOT_FOUND",
    ]
    assert not any(r["updated"] for r in result)
    assert all(r["errors"][0]["message"] for r in result)


def test_same_pair_twice_in_30_seconds() -> None:
    with make(stock_pair_interval_s=30) as server:
        api = Api(server)
        pid = server.shop.catalog.product_id(active_product(api))
        body = {"stocks": [{"product_id": pid, "warehouse_id": WAREHOUSE, "stock": 3}] * 2}
        result = api.ok("/v2/products/stocks", body)["result"]
        assert result[0]["updated"] and result[1]["errors"][0]["code"] == "TOO_MANY_REQUESTS"
        api.close()


def test_price_update_shows_in_prices_and_info(api: Api) -> None:
    cat = api.shop.catalog
    i = active_product(api)
    pid = cat.product_id(i)
    body = {
        "prices": [
            {
                "offer_id": cat.offer_id(i),
                "price": "1234.5",
                "old_price": "1500",
                "min_price": "1000",
            }
        ]
    }
    assert api.ok("/v1/product/import/prices", body)["result"][0]["updated"] is True
    item = info(api, pid)
    assert (item["price"], item["old_price"], item["min_price"]) == (
        "1234.50",
        "1500.00",
        "1000.00",
    )
    prices = api.ok("/v5/product/info/prices", {"filter": {"product_id": [str(pid)]}, "limit": 1})
    price = prices["items"][0]["price"]
    assert (price["price"], price["old_price"], price["min_price"]) == (1234.5, 1500.0, 1000.0)


def test_price_update_per_item_errors(api: Api) -> None:
    cat = api.shop.catalog
    pid = cat.product_id(active_product(api))
    rows = [
        {"product_id": 5, "price": "100"},
        {"product_id": pid, "price": "100", "old_price": "1001"},
        {"product_id": pid, "price": "-1"},
        {"product_id": pid, "price": "abc"},
    ]
    result = api.ok("/v1/product/import/prices", {"prices": rows})["result"]
    assert [r["errors"][0]["code"] for r in result] == [
        "PRODUCT_NOT_FOUND",
        "discount_too_big",
        "price_negative",
        "INVALID_PRICE",
    ]
    base = cat.price[cat.by_product_id(pid)] // 100
    changes = [
        api.ok(
            "/v1/product/import/prices", {"prices": [{"product_id": pid, "price": str(base + k)}]}
        )["result"][0]
        for k in range(11)
    ]
    assert [c["updated"] for c in changes] == [True] * 10 + [False]
    assert changes[-1]["errors"][0]["code"] == "TOO_MANY_REQUESTS"


# --- promotions ------------------------------------------------------------------------------


def test_leaving_a_promo_code_promotion_updates_the_count(api: Api) -> None:
    cat = api.shop.catalog
    before = action(api, 71001)["participating_products_count"]
    members = api.shop.promos.actions[71001].participants()[:3]
    outsider = next(i for i in range(cat.n) if i not in api.shop.promos.actions[71001].products)
    ids = [str(cat.product_id(i)) for i in [*members, outsider]] + ["12345"]
    removed = api.ok("/v2/actions/products/deactivate", {"action_id": 71001, "product_ids": ids})
    assert removed == {"product_ids": ids[:3]}
    assert action(api, 71001)["participating_products_count"] == before - 3
    listed = api.ok("/v2/actions/products", {"action_id": 71001, "limit": 100})
    assert listed["total"] == before - 3
    assert not {int(x) for x in ids[:3]} & {p["id"] for p in listed["products"]}


def test_join_above_max_action_price_is_rejected(api: Api) -> None:
    cat = api.shop.catalog
    promo = api.shop.promos.actions[71004]
    i = api.shop.promos.candidates(cat, promo)[0]
    pid = cat.product_id(i)
    limit = promo.max_price(cat, i) / 100
    over = {"amount": f"{limit + 1:.2f}", "currency": "RUB"}
    answer = api.ok(
        "/v1/actions/products/update",
        {"action_id": 71004, "products": [{"product_id": pid, "action_price": over}]},
    )
    assert answer["active_product_ids"] == [] and answer["rejected"][0]["product_id"] == pid
    assert "max_action_price" in answer["rejected"][0]["reason"]
    ok = {"amount": f"{limit:.2f}", "currency": "RUB"}
    answer = api.ok(
        "/v1/actions/products/update",
        {"action_id": 71004, "products": [{"product_id": pid, "action_price": ok}]},
    )
    assert answer["active_product_ids"] == [str(pid)]
    assert action(api, 71004)["participating_products_count"] == 1


def test_boosting_price_above_the_limit_leaves(api: Api) -> None:
    cat = api.shop.catalog
    promo = api.shop.promos.actions[71002]
    i = promo.participants()[0]
    pid = cat.product_id(i)
    before = action(api, 71002)["participating_products_count"]
    assert api.ok(
        "/v2/actions/products/deactivate", {"action_id": 71002, "product_ids": [str(pid)]}
    ) == {"product_ids": []}
    over = {"amount": str(promo.max_price(cat, i) / 100 + 50), "currency": "RUB"}
    answer = api.ok(
        "/v1/actions/products/update",
        {"action_id": 71002, "products": [{"product_id": pid, "action_price": over}]},
    )
    assert answer["deactivated_product_ids"] == [str(pid)]
    assert answer["warnings"][0]["product_id"] == pid and answer["rejected"] == []
    assert action(api, 71002)["participating_products_count"] == before - 1


def test_auto_add_delete(api: Api) -> None:
    promo = api.shop.promos.actions[71003]
    when = sorted(promo.auto_add)[0]
    pid = api.shop.catalog.product_id(sorted(promo.auto_add[when])[0])
    date = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    body = {"action_id": 71003, "auto_add_date": date, "product_ids": [str(pid), "1"]}
    assert api.ok("/v2/actions/auto-add/products/delete", body) == {"product_ids": [str(pid)]}
    listed = api.ok(
        "/v2/actions/auto-add/products/list",
        {"action_id": 71003, "auto_add_date": date, "limit": 100},
    )
    assert pid not in [p["product_id"] for p in listed["products"]]


def test_discount_requests(api: Api) -> None:
    tasks = api.ok("/v2/actions/discounts-task/list", {"status": "NEW", "limit": 50})["tasks"]
    done = next(
        t
        for t in api.ok("/v2/actions/discounts-task/list", {"status": "APPROVED", "limit": 50})[
            "tasks"
        ]
    )
    first, second = tasks[0]["id"], tasks[1]["id"]
    approve = {
        "tasks": [
            {
                "id": first,
                "approved_price": 500,
                "approved_quantity_min": 1,
                "approved_quantity_max": 2,
            },
            {
                "id": done["id"],
                "approved_price": 500,
                "approved_quantity_min": 1,
                "approved_quantity_max": 2,
            },
            {
                "id": 1,
                "approved_price": 500,
                "approved_quantity_min": 1,
                "approved_quantity_max": 2,
            },
        ]
    }
    result = api.ok("/v1/actions/discounts-task/approve", approve)["result"]
    assert (result["success_count"], result["fail_count"]) == (1, 2)
    assert [f["task_id"] for f in result["fail_details"]] == [done["id"], 1]
    declined = api.ok("/v1/actions/discounts-task/decline", {"tasks": [{"id": second}]})["result"]
    assert declined["success_count"] == 1
    statuses = {
        t["id"]: t["status"]
        for t in api.ok("/v2/actions/discounts-task/list", {"limit": 50})["tasks"]
    }
    assert (statuses[first], statuses[second]) == ("APPROVED", "DECLINED")


def test_seller_action_change_activity(api: Api) -> None:
    def turned_on() -> bool:
        found = api.ok("/v1/seller-actions/list", {"limit": 100, "action_ids": ["5001"]})
        return bool(found["actions"][0]["is_turn_on"])

    assert turned_on()
    api.ok("/v1/seller-actions/change-activity", {"action_id": 5001, "is_turn_on": False})
    assert not turned_on()
    api.ok("/v1/seller-actions/change-activity", {"action_id": 5001, "is_turn_on": True})
    assert turned_on()
    assert (
        api.post(
            "/v1/seller-actions/change-activity", {"action_id": 5003, "is_turn_on": True}
        ).status_code
        == 400
    )


# --- postings --------------------------------------------------------------------------------


def rate(api: Api) -> float:
    groups = api.ok("/v1/rating/summary")["groups"]
    items = [item for g in groups for item in g["items"]]
    return float(
        next(i for i in items if i["rating"] == "rating_general_indicator_fbs_rfbs")[
            "current_value"
        ]
    )


def test_cancel_moves_the_cancellation_rate(api: Api) -> None:
    cancelled, total = api.shop.orders.cancellation_rate()
    assert rate(api) == round(100 * cancelled / total, 2)
    p = first_posting(api.shop, "awaiting_packaging")
    line = p.lines[0]
    reserved = api.shop.catalog.reserved[p.warehouse][line.index]
    before = rate(api)
    assert api.ok(
        "/v2/posting/fbs/cancel", {"posting_number": p.number, "cancel_reason_id": 352}
    ) == {"result": True}
    assert rate(api) > before
    got = api.ok("/v3/posting/fbs/get", {"posting_number": p.number})["result"]
    assert got["status"] == "cancelled"
    assert got["cancellation"]["affect_cancellation_rating"] is True
    assert api.shop.catalog.reserved[p.warehouse][line.index] == reserved - line.quantity
    again = api.post(
        "/v2/posting/fbs/cancel", {"posting_number": p.number, "cancel_reason_id": 352}
    )
    assert again.status_code == 400


def test_cancel_with_a_reason_sellers_cannot_use(api: Api) -> None:
    p = first_posting(api.shop, "awaiting_packaging")
    r = api.post("/v2/posting/fbs/cancel", {"posting_number": p.number, "cancel_reason_id": 665})
    assert r.status_code == 400 and "HAS_INCORRECT_CANCEL_REASON" in r.json()["message"]
    r = api.post("/v2/posting/fbs/cancel", {"posting_number": "0-0-1", "cancel_reason_id": 352})
    assert r.status_code == 404


def ship(api: Api, number: str, packages: list[list[tuple[int, int]]]) -> httpx.Response:
    body = {
        "posting_number": number,
        "packages": [
            {"products": [{"product_id": s, "quantity": q} for s, q in pkg]} for pkg in packages
        ],
    }
    return api.post("/v4/posting/fbs/ship", body)


def status(api: Api, number: str) -> tuple[str, str]:
    got = api.ok("/v3/posting/fbs/get", {"posting_number": number})["result"]
    return got["status"], got["substatus"]


def test_ship_outcome_is_seen_in_get(api: Api) -> None:
    seed = api.shop.seed
    open_ = [p for p in api.shop.orders.fbs if p.status == "awaiting_packaging"]
    failing = next(p for p in open_ if mix(seed, p.order_id, 77) % 8 == 0)
    working = next(p for p in open_ if mix(seed, p.order_id, 77) % 8)
    for p in (failing, working):
        r = ship(api, p.number, [[(ln.sku, ln.quantity) for ln in p.lines]])
        assert r.status_code == 200 and r.json()["result"] == [p.number]
    assert status(api, failing.number) == ("awaiting_packaging", "ship_failed")
    assert status(api, working.number) == ("awaiting_deliver", "posting_transferring_to_delivery")
    ship(api, failing.number, [[(ln.sku, ln.quantity) for ln in failing.lines]])
    assert status(api, failing.number)[0] == "awaiting_deliver"
    r = ship(api, working.number, [[(ln.sku, ln.quantity) for ln in working.lines]])
    assert r.status_code == 400 and "POSTING_ALREADY_SHIPPED" in r.json()["message"]


def test_ship_checks_packages(api: Api) -> None:
    cat = api.shop.catalog
    p = first_posting(api.shop, "awaiting_packaging")
    line = p.lines[0]
    r = ship(api, p.number, [[(cat.product_id(line.index), line.quantity)]])
    assert r.status_code == 400 and "PRODUCT_NOT_FOUND_IN_POSTING" in r.json()["message"]
    r = ship(api, p.number, [[(line.sku, line.quantity + 1)]])
    assert r.status_code == 400


def test_ship_in_two_packages_splits_the_posting(api: Api) -> None:
    seed = api.shop.seed
    p = next(
        p
        for p in api.shop.orders.fbs
        if p.status == "awaiting_packaging"
        and sum(ln.quantity for ln in p.lines) >= 2
        and mix(seed, p.order_id, 77) % 8
    )
    units = [(ln.sku, 1) for ln in p.lines for _ in range(ln.quantity)]
    packages: list[list[tuple[int, int]]] = [[units[0]], []]
    for sku, qty in units[1:]:
        packages[1].append((sku, qty))
    merged = [{s: sum(q for s2, q in pkg if s2 == s) for s, _ in pkg} for pkg in packages]
    r = ship(api, p.number, [list(m.items()) for m in merged])
    numbers = r.json()["result"]
    assert numbers == [p.number, f"{p.order_number}-2"]
    assert status(api, numbers[1])[0] == "awaiting_deliver"


def test_labels_poll_to_completed_and_download(api: Api) -> None:
    packed = first_posting(api.shop, "awaiting_deliver")
    cancelled = first_posting(api.shop, "cancelled")
    tasks = api.ok(
        "/v3/posting/fbs/package-label/create",
        {"posting_numbers": [packed.number, cancelled.number]},
    )["tasks"]
    task_id = next(t["task_id"] for t in tasks if t["task_type"] == "big_label")
    codes = []
    for _ in range(5):
        answer = api.ok("/v2/posting/fbs/package-label/get", {"task_id": task_id})
        codes.append(answer["status"]["code"])
        if codes[-1] == "completed":
            break
    assert codes == ["pending", "in_progress", "completed"]
    assert answer["status"]["printed_postings_count"] == 1
    assert [u["posting_number"] for u in answer["status"]["unprinted_postings"]] == [
        cancelled.number
    ]
    pdf = httpx.get(answer["file_url"])
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-") and pdf.content.rstrip().endswith(b"%%EOF")
    assert packed.number.encode() in pdf.content


def test_labels_for_nothing_printable(api: Api) -> None:
    cancelled = first_posting(api.shop, "cancelled")
    task = api.ok("/v3/posting/fbs/package-label/create", {"posting_numbers": [cancelled.number]})[
        "tasks"
    ][0]["task_id"]
    for _ in range(3):
        answer = api.ok("/v2/posting/fbs/package-label/get", {"task_id": task})
    assert answer["status"]["code"] == "completed" and answer["file_url"] == ""
    assert answer["error"]["code"]


def test_tracking_numbers_per_item(api: Api) -> None:
    packed = first_posting(api.shop, "awaiting_deliver")
    cancelled = first_posting(api.shop, "cancelled")
    body = {
        "tracking_numbers": [
            {"posting_number": packed.number, "tracking_number": "RA123"},
            {"posting_number": cancelled.number, "tracking_number": "RA124"},
            {"posting_number": "1-2-3", "tracking_number": "RA125"},
        ]
    }
    result = api.ok("/v2/fbs/posting/tracking-number/set", body)["result"]
    assert [r["result"] for r in result] == [True, False, False]
    assert result[0]["error"] == "" and result[1]["error"] and result[2]["error"]
    got = api.ok("/v3/posting/fbs/get", {"posting_number": packed.number})["result"]
    assert got["tracking_number"] == "RA123"


def test_cancel_some_products(api: Api) -> None:
    p = next(
        p
        for p in api.shop.orders.fbs
        if p.status == "awaiting_packaging" and sum(ln.quantity for ln in p.lines) >= 2
    )
    line = p.lines[0]
    body = {
        "posting_number": p.number,
        "cancel_reason_id": 352,
        "cancel_reason_message": "gone",
        "items": [{"sku": line.sku, "quantity": 1}],
    }
    total = sum(ln.quantity for ln in p.lines)
    assert api.ok("/v2/posting/fbs/product/cancel", body) == {"result": p.number}
    got = api.ok("/v3/posting/fbs/get", {"posting_number": p.number})["result"]
    assert sum(x["quantity"] for x in got["products"]) == total - 1
    assert got["status"] == "awaiting_packaging"
