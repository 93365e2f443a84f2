"""What Ozon's document says in words, checked against the sandbox: each test quotes the
sentence (and asserts the document still says it) and then asks the in-process sandbox.
Limits per request, how paging ends, and the id filter of ``/v3/product/list``."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from ozon_oracle import operation, to_json_schema

from ozonctl.client.endpoints import ENDPOINTS

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sandbox"))
from sandbox_helpers import Api, make

pytestmark = pytest.mark.contract

PERIOD = {"since": "2026-08-30T00:00:00Z", "to": "2026-11-27T23:59:59Z"}


@pytest.fixture
def api() -> Iterator[Api]:
    with make() as server:
        client = Api(server)
        yield client
        client.close()


def says(specs: dict[str, Any], path: str, sentence: str) -> None:
    """The document's text about ``path`` (its description or a field's) holds
    ``sentence``: the test below checks what Ozon wrote, not what we remember."""
    ep = next(e for e in ENDPOINTS.values() if e.path == path)
    doc, op = operation(specs, ep)
    text = str(op) + "".join(str(v) for v in doc.get("components", {}).get("schemas", {}).values())
    assert sentence in " ".join(text.replace("\\n", " ").split()), f"{path}: «{sentence}»"


# -- limits per request ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "sentence", "field", "most", "body"),
    [
        (
            "/v3/product/list",
            "Количество значений на странице. Минимум — 1, максимум — 1000.",
            "limit",
            1000,
            {"filter": {"visibility": "ALL"}, "last_id": ""},
        ),
        (
            "/v4/product/info/stocks",
            "Количество значений на странице. Минимум — 1, максимум — 1000.",
            "limit",
            1000,
            {"filter": {"visibility": "ALL"}},
        ),
        (
            "/v1/returns/list",
            "Количество подгружаемых возвратов. Максимальное значение — 500.",
            "limit",
            500,
            {"last_id": 0},
        ),
    ],
)
def test_page_size_limits(
    specs: dict[str, Any],
    api: Api,
    path: str,
    sentence: str,
    field: str,
    most: int,
    body: dict[str, Any],
) -> None:
    says(specs, path, sentence)
    assert api.post(path, {**body, field: most}).status_code == 200
    refused = api.post(path, {**body, field: most + 1})
    assert refused.status_code == 400, refused.text
    # (a limit of 0 is not checked: Ozon's gateway reads it as a missing one, protobuf's
    # default, and so does the sandbox)


@pytest.mark.parametrize("path", ["/v1/product/archive", "/v1/product/unarchive"])
def test_archive_and_unarchive_take_at_most_100_ids(
    specs: dict[str, Any], api: Api, path: str
) -> None:
    says(specs, path, "Вы можете передать до 100 идентификаторов за раз.")
    cat = api.shop.catalog
    ids = [cat.product_id(i) for i in range(101)]
    refused = api.post(path, {"product_id": ids})
    assert refused.status_code == 400, refused.text
    assert api.post(path, {"product_id": ids[:100]}).status_code == 200


def test_price_updates_take_at_most_1000_items(specs: dict[str, Any], api: Api) -> None:
    # the words are in the field's bound: prices, maxItems 1000
    ep = next(e for e in ENDPOINTS.values() if e.key == "product.prices.update")
    doc, op = operation(specs, ep)
    schema = to_json_schema(doc, op["requestBody"]["content"]["application/json"]["schema"])
    assert schema["properties"]["prices"]["maxItems"] == 1000
    cat = api.shop.catalog
    prices = [{"product_id": cat.product_id(i % cat.n), "price": "999"} for i in range(1001)]
    assert api.post(ep.path, {"prices": prices}).status_code == 400


# -- paging ends as documented -------------------------------------------------------------------


def test_product_list_pages_by_last_id_until_an_empty_page(specs: dict[str, Any], api: Api) -> None:
    says(
        specs,
        "/v3/product/list",
        "Чтобы получить следующие значения, передайте полученное значение в следующем "
        "запросе в параметре `last_id`.",
    )
    seen: list[int] = []
    last_id = ""
    for _ in range(50):
        page = api.ok(
            "/v3/product/list",
            {"filter": {"visibility": "ALL"}, "last_id": last_id, "limit": 70},
        )["result"]
        if not page["items"]:
            break
        seen += [int(i["product_id"]) for i in page["items"]]
        last_id = page["last_id"]
    else:
        pytest.fail("the walk did not end with an empty page within 50 pages")
    cat = api.shop.catalog
    on_sale = {cat.product_id(i) for i in range(cat.n) if not cat.archived(i)}
    assert len(seen) == len(set(seen)) and set(seen) == on_sale


@pytest.mark.parametrize(
    ("path", "sentence", "body", "items"),
    [
        (
            "/v4/posting/fbs/list",
            "`true`, если в ответе вернулись не все отправления.",
            {"filter": PERIOD},
            "postings",
        ),
        (
            "/v3/posting/fbo/list",
            "`true`, если в ответе вернулись не все отправления.",
            {"filter": PERIOD},
            "postings",
        ),
        (
            "/v4/posting/fbs/unfulfilled/list",
            "`true`, если в ответе вернулись не все отправления.",
            {"filter": {"cutoff_from": PERIOD["since"], "cutoff_to": "2026-12-31T00:00:00Z"}},
            "postings",
        ),
    ],
)
def test_cursor_walks_end_when_has_next_is_false(
    specs: dict[str, Any], api: Api, path: str, sentence: str, body: dict[str, Any], items: str
) -> None:
    says(specs, path, sentence)
    numbers: list[str] = []
    cursor = ""
    for _ in range(200):
        page = api.ok(path, {**body, "limit": 7, **({"cursor": cursor} if cursor else {})})
        numbers += [p["posting_number"] for p in page[items]]
        if not page["has_next"]:
            break
        assert len(page[items]) == 7, "has_next true on a page that is not full"
        cursor = page["cursor"]
    else:
        pytest.fail("has_next never became false")
    assert numbers and len(numbers) == len(set(numbers))
    everything = api.ok(path, {**body, "limit": 100})
    if not everything["has_next"]:
        assert sorted(numbers) == sorted(p["posting_number"] for p in everything[items])


def test_returns_end_when_the_seller_has_no_other(specs: dict[str, Any], api: Api) -> None:
    says(specs, "/v1/returns/list", "`true`, если у продавца есть другие возвраты.")
    ids: list[int] = []
    last_id = 0
    for _ in range(200):
        page = api.ok("/v1/returns/list", {"limit": 5, "last_id": last_id})
        ids += [r["id"] for r in page["returns"]]
        last_id = page["returns"][-1]["id"] if page["returns"] else last_id
        if not page["has_next"]:
            break
    else:
        pytest.fail("has_next never became false")
    assert ids and len(ids) == len(set(ids))
    assert api.ok("/v1/returns/list", {"limit": 5, "last_id": last_id})["returns"] == []


def test_cash_flow_pages_number_page_count(specs: dict[str, Any], api: Api) -> None:
    says(specs, "/v1/finance/cash-flow-statement/list", "Количество страниц с отчётами.")
    body = {"date": {"from": "2026-09-01T00:00:00Z", "to": "2026-11-15T23:59:59Z"}}
    first = api.ok("/v1/finance/cash-flow-statement/list", {**body, "page": 1, "page_size": 1})
    count = first["result"]["page_count"]
    assert count > 1
    for page in range(1, count + 1):
        got = api.ok("/v1/finance/cash-flow-statement/list", {**body, "page": page, "page_size": 1})
        assert len(got["result"]["cash_flows"]) == 1, page
    after = api.ok(
        "/v1/finance/cash-flow-statement/list", {**body, "page": count + 1, "page_size": 1}
    )
    assert after["result"]["cash_flows"] == []


# -- the id filter of /v3/product/list ------------------------------------------------------------


@pytest.mark.parametrize(
    "visibility",
    ["VISIBLE", "ARCHIVED", "ALL"],
)
def test_an_id_filter_returns_the_products_whatever_their_visibility(
    specs: dict[str, Any], api: Api, visibility: str
) -> None:
    says(
        specs,
        "/v3/product/list",
        "Вернутся все товары с указанными идентификаторами, независимо от видимости.",
    )
    cat = api.shop.catalog
    archived = next(i for i in range(cat.n) if cat.archived(i))
    on_sale = next(i for i in range(cat.n) if not cat.archived(i))
    wanted = {cat.product_id(archived), cat.product_id(on_sale)}
    for key, values in (
        ("product_id", [str(p) for p in sorted(wanted)]),
        ("offer_id", [cat.offer_id(archived), cat.offer_id(on_sale)]),
    ):
        got = api.ok(
            "/v3/product/list",
            {"filter": {"visibility": visibility, key: values}, "last_id": "", "limit": 100},
        )["result"]["items"]
        assert {int(i["product_id"]) for i in got} == wanted, (visibility, key)
