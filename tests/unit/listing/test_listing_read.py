"""How ``listing list`` reads Ozon's answers (issue 17, listing CPU): each answer's bytes
are validated into the models in one pass (no ``json.loads`` first, no model built
twice), and the listing skips the card fields its rows never show."""

from __future__ import annotations

import json
import types
from typing import Any

import httpx
import pytest

from ozonctl.client import OzonClient
from ozonctl.client import _base as client_base
from ozonctl.client.errors import APIError, UnexpectedAnswerError
from ozonctl.client.models.products import ProductInfo, ProductListItem

BASE = "http://127.0.0.1:9"
LIST = {
    "result": {
        "items": [
            {"product_id": 1, "offer_id": "A", "archived": False, "quants": []},
            {"product_id": "2", "offer_id": "B", "archived": True},
        ],
        "total_items": 2,
        "last_id": "WzJd",
    }
}
INFO = {
    "items": [
        {
            "id": 1,
            "offer_id": "A",
            "sku": "11",
            "name": "Кашпо",
            "price": "1139.00",
            "created_at": "2025-10-05T06:23:31.000Z",
            "stocks": {"stocks": [{"present": 5, "reserved": 1, "source": "fbs"}]},
            "commissions": [{"percent": 17.0}],
            "images": ["x"],
        },
        {"id": "2", "offer_id": "B", "is_archived": True, "price": "5"},
    ]
}


def client(answers: dict[str, bytes]) -> OzonClient:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=answers[request.url.path])

    return served(handler)


def served(handler: Any) -> OzonClient:
    return OzonClient(
        client_id="1",
        api_key="k",
        base_url=BASE,
        rps=None,
        max_retries=0,
        transport=httpx.MockTransport(handler),
    )


def shop() -> OzonClient:
    return client(
        {
            "/v3/product/list": json.dumps(LIST).encode(),
            "/v3/product/info/list": json.dumps(INFO).encode(),
        }
    )


def test_list_pages_and_cards_are_validated_from_the_bytes_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # was: json.loads of each answer, then model_validate of each item (two passes)
    def refused(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a second pass over an answer")

    monkeypatch.setattr(client_base, "json", types.SimpleNamespace(dumps=json.dumps, loads=refused))
    monkeypatch.setattr(ProductListItem, "model_validate", refused)
    monkeypatch.setattr(ProductInfo, "model_validate", refused)
    c = shop()
    pages = list(c.products.list_pages())
    assert [[(p.product_id, p.offer_id, p.archived) for p in page] for page in pages] == [
        [(1, "A", False), (2, "B", True)]
    ]
    cards = list(c.products.info(product_ids=[1, 2]))
    assert [(x.id, x.sku, x.fbs_present, str(x.price)) for x in cards] == [
        (1, 11, 5, "1139.00"),
        (2, 0, 0, "5"),
    ]
    assert cards[0].model_extra == {"commissions": [{"percent": 17.0}], "images": ["x"]}


def test_the_listing_builds_only_the_card_fields_its_rows_show(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ozonctl.commands.listing import browse

    seen: list[ProductInfo] = []
    rows_of = browse.listing_rows

    def recording(items: Any, cards: Any) -> list[dict[str, Any]]:
        cards = list(cards)
        seen.extend(cards)
        return rows_of(items, cards)

    monkeypatch.setattr(browse, "listing_rows", recording)
    c = shop()
    rows = [
        row
        for page in browse.row_pages(c, visibility="ALL", offer_ids=(), cap=None)
        for row in page
    ]
    assert [(r["offer_id"], r["sku"], r["present"], r["state"]) for r in rows] == [
        ("A", 11, 5, ""),
        ("B", None, 0, "archived"),
    ]
    assert len(seen) == 2 and not any(card.model_extra for card in seen)
    # the same answer read for any other caller keeps Ozon's other fields
    assert next(iter(c.products.info(product_ids=[1]))).model_extra


def test_an_answer_that_is_not_json_is_still_called_so() -> None:
    c = client({"/v3/product/info/list": b"<html>502</html>", "/v3/product/list": b"{"})
    with pytest.raises(APIError, match="a body that is not JSON") as caught:
        list(c.products.info(product_ids=[1]))
    assert not isinstance(caught.value, UnexpectedAnswerError)
    with pytest.raises(APIError, match="a body that is not JSON"):
        list(c.products.list_pages())


def test_a_card_of_another_shape_names_its_place_in_the_answer() -> None:
    bad = {"items": [INFO["items"][0], {"id": "two"}]}
    c = client({"/v3/product/info/list": json.dumps(bad).encode()})
    with pytest.raises(UnexpectedAnswerError) as caught:
        list(c.products.info(product_ids=[1, 2]))
    assert caught.value.path == "/v3/product/info/list" and caught.value.field == "items[1].id"


@pytest.mark.parametrize("read_ahead", [False, True])
def test_the_walk_reads_the_paging_keys_as_ozon_sent_them(read_ahead: bool) -> None:
    pages = {
        "": {"result": {"items": [{"product_id": 1}], "total_items": 3, "last_id": "k1"}},
        "k1": {"result": {"items": [{"product_id": 2}], "last_id": "k2", "has_next": False}},
        "k2": {"result": {"items": None}},
    }
    sent: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        key = json.loads(request.content)["last_id"]
        sent.append(key)
        return httpx.Response(200, content=json.dumps(pages[key]).encode())

    c = served(handler)
    got = [[p.product_id for p in page] for page in c.products.list_pages(read_ahead=read_ahead)]
    assert got == [[1], [2]] and sent == ["", "k1"]  # has_next: false ends the walk
    pages[""]["result"].pop("total_items")
    pages["k1"]["result"].pop("has_next")
    sent.clear()
    got = [[p.product_id for p in page] for page in c.products.list_pages(read_ahead=read_ahead)]
    assert got == [[1], [2]] and sent == ["", "k1", "k2"]  # items: null is an empty page, the end


def test_the_rows_keep_the_card_times_as_moments_and_write_them_with_the_offset() -> None:
    # was: the rows held isoformat() text, which the output parsed back to write it
    import datetime as dt

    from ozonctl.cli.schemas import PRODUCT
    from ozonctl.commands.listing import browse

    pages = list(browse.row_pages(shop(), visibility="ALL", offer_ids=(), cap=None))
    first = pages[0][0]
    assert first["created"] == dt.datetime(2025, 10, 5, 6, 23, 31, tzinfo=dt.UTC)
    assert first["updated"] is None and pages[0][1]["created"] is None
    written = PRODUCT.conform(first)
    assert written["created"] == "2025-10-05T06:23:31+00:00" and written["updated"] is None


def test_a_listing_row_of_plain_values_is_written_without_the_generic_conversion(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # was: every value went through the enum check and the None/"" tests first
    import datetime as dt
    from decimal import Decimal

    from ozonctl.cli import schema
    from ozonctl.cli.schemas import PRODUCT

    def generic(value: Any) -> Any:
        raise AssertionError(f"{value!r} took the generic path")

    moment = dt.datetime(2025, 10, 5, 6, 23, 31, tzinfo=dt.UTC)
    row = {
        "offer_id": "A", "product_id": 1, "sku": 11, "name": "Кашпо", "state": "",
        "archived": False, "autoarchived": False, "price": Decimal("1139"),
        "old_price": Decimal("0"), "min_price": Decimal("99.9"), "currency": "RUB",
        "present": 5, "free_stock": 4, "created": moment, "updated": moment,
    }  # fmt: skip
    want = PRODUCT.conform(row)
    monkeypatch.setattr(schema, "_plain", generic)
    assert PRODUCT.conform(row) == want
    assert want["price"] == "1139.00" and want["min_price"] == "99.90"
    assert want["created"] == "2025-10-05T06:23:31+00:00" and want["warehouses"] is None


def test_threads_hand_the_interpreter_over_sooner_while_the_listing_walks() -> None:
    # was: Python's 5 ms: the walk's thread, woken by a list page's answer, waited up to
    # that long behind the threads parsing cards and writing rows before its next request
    import sys

    from ozonctl.commands.listing import browse
    from ozonctl.concurrency import HANDOVER_S

    before = sys.getswitchinterval()
    pages = browse.row_pages(shop(), visibility="ALL", offer_ids=(), cap=None)
    during = []
    for page in pages:
        during.append((len(page), sys.getswitchinterval()))
    assert during == [(2, HANDOVER_S)] and HANDOVER_S <= 0.001
    assert sys.getswitchinterval() == before
    stopped = browse.row_pages(shop(), visibility="ALL", offer_ids=(), cap=1)
    next(stopped)
    stopped.close()  # a caller that stops early (--limit) gets the interval back too
    assert sys.getswitchinterval() == before


@pytest.mark.parametrize("read_ahead", [True, False])
def test_the_first_list_page_is_asked_for_before_the_models_are_imported(
    monkeypatch: pytest.MonkeyPatch, read_ahead: bool
) -> None:
    # was: pydantic's machinery and the product models (about a round trip the first
    # time) were imported before the first /v3/product/list left
    import importlib.abc
    import sys
    import threading
    import time

    asked = threading.Event()
    asked_first: list[bool] = []

    def handler(request: httpx.Request) -> httpx.Response:
        asked.set()
        return httpx.Response(200, content=json.dumps(LIST).encode())

    class Finder(importlib.abc.MetaPathFinder):
        def find_spec(self, name: str, path: Any, target: Any = None) -> None:
            if name == "ozonctl.client.models.products":
                asked_first.append(asked.wait(5))

    monkeypatch.delitem(sys.modules, "ozonctl.client.models.products")
    monkeypatch.setattr(sys, "meta_path", [Finder(), *sys.meta_path])
    c = served(handler)
    started = time.monotonic()
    pages = list(c.products.list_pages(read_ahead=read_ahead))
    assert asked_first == [True] and time.monotonic() - started < 4
    assert [[p.offer_id for p in page] for page in pages] == [["A", "B"]]
