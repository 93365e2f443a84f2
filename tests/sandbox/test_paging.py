"""Every pagination style walks to its end, never repeats an item, and honours limits."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sandbox_helpers import Api, make

SINCE, TO = "2026-08-29T00:00:00Z", "2026-11-27T23:59:59Z"


@dataclass(frozen=True)
class Style:
    """Where a paging style keeps its items, its token, and whether there is more."""

    items: str
    token: str
    next_token: Callable[[Any], Any]
    more: Callable[[Any], bool]


def last_id(items: str) -> Style:
    return Style(items, "last_id", lambda a: a["last_id"], lambda a: bool(a["last_id"]))


def cursor(items: str, has_next: bool = True) -> Style:
    more = (lambda a: a["has_next"]) if has_next else (lambda a: bool(a["cursor"]))
    return Style(items, "cursor", lambda a: a["cursor"], more)


PRODUCT_LIST = Style(
    "items", "last_id", lambda a: a["result"]["last_id"], lambda a: bool(a["result"]["last_id"])
)


def walk(
    api: Api, path: str, body: dict[str, Any], style: Style, key: str | Callable[[Any], Any]
) -> list[Any]:
    """Call ``path`` page after page; the items' ``key`` values, in order."""
    pick = key if callable(key) else (lambda item: item[key])
    seen: list[Any] = []
    tokens: set[Any] = set()
    for _ in range(1000):
        answer = api.ok(path, body)
        page = (answer.get("result") or answer)[style.items]
        seen += [pick(item) for item in page]
        if not style.more(answer) or not page:
            break
        value = style.next_token(answer)
        assert value not in tokens, "a token came back twice"
        tokens.add(value)
        body = {**body, style.token: value}
    else:
        raise AssertionError("no end after 1000 pages")
    assert len(seen) == len(set(seen)), "an item came back twice"
    return seen


def test_last_id_string(shared: Api) -> None:
    body = {"filter": {"visibility": "ALL"}, "last_id": "", "limit": 37}
    ids = walk(shared, "/v3/product/list", body, PRODUCT_LIST, "product_id")
    total = shared.ok("/v3/product/list", body)["result"]["total_items"]
    assert len(ids) == total > 37
    last = shared.ok("/v3/product/list", {**body, "limit": 1000})["result"]["last_id"]
    end = shared.ok("/v3/product/list", {**body, "last_id": last})
    assert end["result"]["items"] == [] and end["result"]["last_id"] == ""


def test_last_id_string_promo_products(shared: Api) -> None:
    body = {"action_id": 71002, "limit": 7, "last_id": ""}
    ids = walk(shared, "/v2/actions/products", body, last_id("products"), "id")
    assert len(ids) == shared.ok("/v2/actions/products", body)["total"]
    candidates = {"action_id": 71004, "limit": 100}
    assert walk(shared, "/v2/actions/candidates", candidates, last_id("products"), "id")


def test_last_id_int(shared: Api) -> None:
    returns = Style("returns", "last_id", lambda a: a["returns"][-1]["id"], lambda a: a["has_next"])
    ids = walk(shared, "/v1/returns/list", {"limit": 7, "last_id": 0}, returns, "id")
    assert ids == sorted(ids) and len(ids) == len(shared.shop.orders.returns)
    tasks = Style("tasks", "last_id", lambda a: a["tasks"][-1]["id"], lambda a: True)
    found = walk(shared, "/v2/actions/discounts-task/list", {"limit": 5, "last_id": 0}, tasks, "id")
    assert len(found) == len(shared.shop.promos.tasks)


def test_cursor_with_has_next(shared: Api) -> None:
    body = {"filter": {"since": SINCE, "to": TO}, "limit": 50}
    numbers = walk(shared, "/v4/posting/fbs/list", body, cursor("postings"), "posting_number")
    assert len(numbers) > 100
    fbo = walk(shared, "/v3/posting/fbo/list", body, cursor("postings"), "posting_number")
    assert len(fbo) == len(shared.shop.orders.fbo)
    window = {"cutoff_from": SINCE, "cutoff_to": "2027-01-01T00:00:00Z"}
    body = {"filter": window, "limit": 3}
    path = "/v4/posting/fbs/unfulfilled/list"
    open_ = walk(shared, path, body, cursor("postings"), "posting_number")
    assert len(open_) == shared.ok(path, body)["count"]


def test_cursor_without_has_next(shared: Api) -> None:
    for path in ("/v4/product/info/stocks", "/v5/product/info/prices"):
        body = {"filter": {"visibility": "ALL"}, "limit": 64}
        ids = walk(shared, path, body, cursor("items", has_next=False), "product_id")
        assert len(ids) == shared.ok(path, body)["total_items"]


def test_cursor_per_warehouse_and_seller_actions(shared: Api) -> None:
    cat = shared.shop.catalog
    skus = [str(cat.sku(i)) for i in range(60) if cat.sku(i) and cat.exists(i)]
    body = {"limit": 7, "sku": skus}
    path = "/v2/product/info/stocks-by-warehouse/fbs"
    rows = walk(shared, path, body, cursor("products"), lambda p: (p["sku"], p["warehouse_id"]))
    assert len(rows) == len(shared.shop.warehouses) * len(skus)
    body = {"action_id": 5001, "limit": 3}
    products = walk(
        shared, "/v1/seller-actions/products/list", body, cursor("products"), "product_id"
    )
    assert len(products) == len(shared.shop.promos.seller_actions[5001].products)


def test_offset(shared: Api) -> None:
    promo = shared.shop.promos.actions[71003]
    date = sorted(promo.auto_add)[0].strftime("%Y-%m-%dT%H:%M:%SZ")
    seen: list[int] = []
    for offset in range(0, 1000, 4):
        page = shared.ok(
            "/v2/actions/auto-add/products/list",
            {"action_id": 71003, "auto_add_date": date, "limit": 4, "offset": offset},
        )
        if not page["products"]:
            break
        seen += [p["product_id"] for p in page["products"]]
    assert len(seen) == len(set(seen)) == page["total"]


def test_page(shared: Api) -> None:
    body: dict[str, Any] = {
        "date": {"from": "2026-09-01T00:00:00Z", "to": "2026-11-20T00:00:00Z"},
        "page": 1,
        "page_size": 2,
    }
    first = shared.ok("/v1/finance/cash-flow-statement/list", body)["result"]
    periods = []
    for page in range(1, first["page_count"] + 1):
        result = shared.ok("/v1/finance/cash-flow-statement/list", {**body, "page": page})["result"]
        periods += [f["period"]["id"] for f in result["cash_flows"]]
    assert len(periods) == len(set(periods)) == 6
    past = shared.ok("/v1/finance/cash-flow-statement/list", {**body, "page": 9})["result"]
    assert past["cash_flows"] == []


def test_accruals_by_day_pages_of_100() -> None:
    with make(products=8000) as server:
        api = Api(server)
        ledger = server.shop.ledger
        day = max(ledger._delivered, key=lambda d: len(ledger._delivered[d]))
        body = {"date": day.isoformat(), "last_id": ""}
        sizes = []
        ids: list[int] = []
        for _ in range(100):
            answer = api.ok("/v1/finance/accrual/by-day", body)
            if not answer["accruals"]:
                assert answer["last_id"] == ""
                break
            sizes.append(len(answer["accruals"]))
            ids += [a["accrual_id"] for a in answer["accruals"]]
            body["last_id"] = answer["last_id"]
        assert len(sizes) >= 2 and all(s == 100 for s in sizes[:-1]) and sizes[-1] <= 100
        assert len(ids) == len(set(ids)) == len(ledger.day(day))
        api.close()


def test_bad_tokens_are_refused(shared: Api) -> None:
    r = shared.post("/v3/product/list", {"filter": {}, "limit": 5, "last_id": "not-a-token"})
    assert r.status_code == 400 and r.json()["code"] == 3


def test_token_list_pages_to_the_end_with_has_next() -> None:
    """``fields.token_list``, the paging of the question, review and chat lists: each page
    after the token, the next token, and has_next false on the page that ends the list."""
    from ozonctl.sandbox.fields import token_list

    items = list(range(5))
    seen: list[int] = []
    body: dict[str, Any] = {}
    pages = []
    while True:
        page, token, more = token_list(body, items, 2, "last_id")
        seen += page
        pages.append((page, more))
        if not more:
            break
        body = {"last_id": token}
    assert seen == items
    assert pages == [([0, 1], True), ([2, 3], True), ([4], False)]
    assert token_list({}, [], 2, "cursor") == ([], "", False)


def test_within_an_open_ended_period() -> None:
    import datetime as dt

    from ozonctl.sandbox.values import within

    day = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    later = day + dt.timedelta(days=1)
    assert within(day, None, None)
    assert within(day, day, day)
    assert within(later, day, None) and not within(day, later, None)
    assert within(day, None, later) and not within(later, None, day)
