"""Page walkers: every style ends, keys go in the body, repeated keys and runaway walks stop."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest

from ozonctl.client import endpoints
from ozonctl.client.endpoints import Endpoint
from ozonctl.client.errors import PaginationError
from ozonctl.client.pagination import (
    Cursor,
    LastId,
    Offset,
    PageNumber,
    Paging,
    dig,
    iter_items,
    iter_pages,
)


class Pages:
    """A fake caller serving pre-made responses and recording request bodies."""

    def __init__(self, *responses: dict[str, Any]) -> None:
        self.responses = list(responses)
        self.bodies: list[dict[str, Any]] = []

    def call(self, endpoint: Endpoint, body: Any = None) -> Any:
        self.bodies.append(dict(body))
        return self.responses.pop(0)


def test_last_id_string_walk() -> None:
    pages = Pages(
        {"result": {"items": [1, 2], "last_id": "a"}},
        {"result": {"items": [3], "last_id": "b"}},
        {"result": {"items": [], "last_id": ""}},
    )
    assert list(iter_items(pages, endpoints.get("product.list"), {"filter": {}})) == [1, 2, 3]
    assert [b["last_id"] for b in pages.bodies] == ["", "a", "b"]
    assert all(b["limit"] == 1000 for b in pages.bodies)
    assert pages.bodies[0]["filter"] == {}


def test_last_id_stops_on_an_empty_key() -> None:
    pages = Pages({"products": [1], "last_id": ""})
    assert list(iter_items(pages, endpoints.get("actions.products"), {"action_id": 1})) == [1]
    assert len(pages.bodies) == 1


def test_cursor_walk_with_has_next() -> None:
    pages = Pages(
        {"postings": [1], "cursor": "c1", "has_next": True},
        {"postings": [2], "cursor": "c2", "has_next": False},
    )
    items = list(iter_items(pages, endpoints.get("posting.fbs.list"), {"filter": {}}))
    assert items == [1, 2]
    assert "cursor" not in pages.bodies[0]
    assert pages.bodies[1]["cursor"] == "c1"
    assert pages.bodies[0]["limit"] == 100


def test_cursor_walk_without_has_next_ends_on_empty_items() -> None:
    pages = Pages({"items": [1], "cursor": "x"}, {"items": [], "cursor": "y"})
    assert list(iter_items(pages, endpoints.get("product.stocks"), {"filter": {}})) == [1]


def test_offset_walk() -> None:
    ep = endpoints.get("seller_actions.list")
    pages = Pages(
        {"actions": list(range(100)), "total": 150}, {"actions": list(range(50)), "total": 150}
    )
    assert len(list(iter_items(pages, ep, {}))) == 150
    assert [b["offset"] for b in pages.bodies] == [0, 100]


def test_offset_walk_stops_on_a_short_page_without_total() -> None:
    ep = endpoints.get("actions.autoadd.list")
    pages = Pages({"products": [1, 2]})
    assert list(iter_items(pages, ep, {}, limit=10)) == [1, 2]
    assert len(pages.bodies) == 1


def test_page_walk() -> None:
    ep = endpoints.get("finance.cash_flow")
    pages = Pages(
        {"result": {"cash_flows": [1], "page_count": 3}},
        {"result": {"cash_flows": [2], "page_count": 3}},
        {"result": {"cash_flows": [3], "page_count": 3}},
    )
    assert list(iter_items(pages, ep, {"date": {}})) == [1, 2, 3]
    assert [b["page"] for b in pages.bodies] == [1, 2, 3]
    assert pages.bodies[0]["page_size"] == 1000


def test_last_id_from_the_last_item() -> None:
    ep = endpoints.get("actions.discounts.list")
    pages = Pages({"tasks": [{"id": 5}, {"id": 9}]}, {"tasks": []})
    list(iter_items(pages, ep, {"status": "NEW"}, next_from_item="id"))
    assert pages.bodies[1]["last_id"] == 9


def test_int_last_id_with_has_next() -> None:
    ep = endpoints.get("returns.list")
    pages = Pages(
        {"returns": [1], "last_id": 7, "has_next": True},
        {"returns": [2], "last_id": 8, "has_next": False},
    )
    assert list(iter_items(pages, ep, {"filter": {}})) == [1, 2]
    assert pages.bodies[1]["last_id"] == 7


@pytest.mark.parametrize(
    ("key", "responses"),
    [
        ("product.list", [{"result": {"items": [1], "last_id": "same"}}] * 3),
        ("posting.fbs.list", [{"postings": [1], "cursor": "c", "has_next": True}] * 3),
    ],
)
def test_a_repeated_page_key_stops_the_walk(key: str, responses: list[dict[str, Any]]) -> None:
    pages = Pages(*responses)
    with pytest.raises(PaginationError, match="twice"):
        list(iter_items(pages, endpoints.get(key), {}))
    assert len(pages.bodies) == 2


def test_the_page_cap_stops_a_runaway_walk() -> None:
    responses = [{"postings": [i], "cursor": f"c{i}", "has_next": True} for i in range(10)]
    pages = Pages(*responses)
    with pytest.raises(PaginationError, match="more than 3 pages"):
        list(iter_items(pages, endpoints.get("posting.fbs.list"), {}, max_pages=3))
    assert len(pages.bodies) == 3


def test_pages_are_lazy() -> None:
    pages = Pages(
        {"result": {"items": [1], "last_id": "a"}}, {"result": {"items": [2], "last_id": "b"}}
    )
    walk = iter_pages(pages, endpoints.get("product.list"), {})
    first = next(walk)
    assert first.items == [1] and first.number == 1
    assert len(pages.bodies) == 1


def test_dig() -> None:
    assert dig({"a": {"b": [1]}}, "a.b") == [1]
    assert dig({"a": 1}, "a.b") is None


def test_a_walk_stops_once_total_items_are_in() -> None:
    pages = Pages(
        {"products": [1, 2], "last_id": "a", "total": 3},
        {"products": [3], "last_id": "b", "total": 3},
        {"products": [], "last_id": ""},
    )
    assert list(iter_items(pages, endpoints.get("actions.products"), {"action_id": 1})) == [1, 2, 3]
    assert len(pages.bodies) == 2


def test_total_of_zero_or_missing_does_not_stop_early() -> None:
    pages = Pages(
        {"result": {"items": [1], "last_id": "a", "total": 0}},
        {"result": {"items": [2], "last_id": "b"}},
        {"result": {"items": [], "last_id": ""}},
    )
    assert list(iter_items(pages, endpoints.get("product.list"), {})) == [1, 2]
    assert len(pages.bodies) == 3


@pytest.mark.parametrize(
    ("key", "pages"),
    [
        (
            "product.list",  # Ozon's answer since 2026-11-23: total_items, no total
            [
                {"result": {"items": [1, 2], "last_id": "a", "total_items": 3}},
                {"result": {"items": [3], "last_id": "b", "total_items": 3}},
                {"result": {"items": [], "last_id": ""}},
            ],
        ),
        (
            "product.stocks",
            [
                {"items": [1, 2], "cursor": "a", "total_items": 3},
                {"items": [3], "cursor": "b", "total_items": 3},
                {"items": [], "cursor": ""},
            ],
        ),
        (
            "product.prices",
            [
                {"items": [1, 2], "cursor": "a", "total_items": 3},
                {"items": [3], "cursor": "b", "total_items": 3},
                {"items": [], "cursor": ""},
            ],
        ),
    ],
)
def test_a_walk_stops_once_the_total_items_are_in(key: str, pages: list[dict[str, Any]]) -> None:
    # issue 16.12: `total` is gone from these three methods; the walk reads total_items
    # and asks for no empty page
    caller = Pages(*pages)
    assert list(iter_items(caller, endpoints.get(key), {"filter": {}})) == [1, 2, 3]
    assert len(caller.bodies) == 2


@pytest.mark.parametrize(
    ("strategy", "raw", "items", "walked", "request_before", "key", "request_after"),
    [
        (LastId(), {"last_id": "b"}, [1], 1, {"last_id": "a"}, "b", {"last_id": "b"}),
        (LastId(), {"last_id": ""}, [1], 1, {"last_id": "a"}, None, {"last_id": "a"}),
        (LastId(), {"last_id": "b", "total_items": 2}, [1], 2, {}, None, {}),
        (LastId("id"), {}, [{"id": 9}], 1, {}, 9, {"last_id": 9}),
        (Cursor(), {"cursor": "c"}, [1], 1, {}, "c", {"cursor": "c"}),
        (Cursor(), {"cursor": "c", "total": 5}, [1], 5, {}, None, {}),
        (Offset(2), {}, [1, 2], 2, {"offset": 0}, 2, {"offset": 2}),
        (Offset(2), {}, [1], 1, {"offset": 0}, None, {"offset": 0}),  # a short page
        (Offset(2), {"total": 2}, [1, 2], 2, {"offset": 0}, None, {"offset": 0}),
        (PageNumber(), {"page_count": 3}, [1], 1, {"page": 1}, 2, {"page": 2}),
        (PageNumber(3), {"page_count": 3}, [1], 1, {"page": 3}, None, {"page": 3}),
    ],
)
def test_each_strategy_puts_its_key_in_the_body_or_ends_the_walk(
    strategy: Paging,
    raw: dict[str, Any],
    items: list[Any],
    walked: int,
    request_before: dict[str, Any],
    key: object,
    request_after: dict[str, Any],
) -> None:
    request = dict(request_before)
    assert strategy.advance(raw, items, walked, request) == key
    assert request == request_after


def test_an_integer_last_id_is_left_out_of_the_first_request() -> None:
    pages = Pages({"returns": [1], "last_id": 7, "has_next": False})
    list(iter_items(pages, endpoints.get("returns.list"), {"filter": {}}))
    assert "last_id" not in pages.bodies[0]


class Answers:
    """A fake caller that answers bytes through the ``parse`` hook, as the client does;
    ``asked`` is set for each request as it arrives."""

    def __init__(self, *responses: dict[str, Any]) -> None:
        self.responses = [json.dumps(r).encode() for r in responses]
        self.bodies: list[dict[str, Any]] = []
        self.asked = [threading.Event() for _ in responses]

    def call(self, endpoint: Endpoint, body: Any = None, parse: Any = None) -> Any:
        self.bodies.append(dict(body))
        self.asked[len(self.bodies) - 1].set()
        content = self.responses.pop(0)
        return json.loads(content) if parse is None else parse(content)


def _keys(content: bytes) -> Any:
    from ozonctl.client.models.common import PageKeys, adapter

    return adapter(PageKeys).validate_json(content)


def _shaped(key: str, items: list[dict[str, Any]], last_id: str) -> dict[str, Any]:
    """A page as ``key``'s method answers: the catalogue's items and ``total_items`` in
    ``result``; a promotion's ``products`` and ``total`` at the top."""
    if key == "product.list":
        return {"result": {"items": items, "last_id": last_id, "total_items": 5}}
    return {"products": items, "last_id": last_id, "total": 5}


@pytest.mark.parametrize("key", ["product.list", "actions.products", "actions.candidates"])
def test_with_keys_the_next_page_is_asked_for_before_this_one_is_read(key: str) -> None:
    # was: a page was read whole (1000 items validated) before the walk took its last_id
    # and asked for the next one, a few ms on every step of the chain; a promotion's
    # products (items in ``products``) could not be walked so at all
    ep = endpoints.get(key)
    pages = Answers(
        _shaped(key, [{"n": 1}, {"n": 2}], "a"),
        _shaped(key, [{"n": 3}, {"n": 4}], "b"),
        _shaped(key, [{"n": 5}], "c"),
    )
    next_asked: list[bool] = []

    def read(content: bytes) -> Any:
        after = len(next_asked) + 1
        if after < 3:  # the last page has no next one
            next_asked.append(pages.asked[after].wait(5))
        return json.loads(content)

    walk = iter_pages(pages, ep, {"filter": {}}, parse=read, keys=_keys)
    got = [[i["n"] for i in page.items] for page in walk]
    assert got == [[1, 2], [3, 4], [5]] and next_asked == [True, True]
    assert [b["last_id"] for b in pages.bodies] == ["", "a", "b"]  # none past total_items


@pytest.mark.parametrize(
    ("key", "responses", "sent", "error"),
    [
        ("product.list", [{"result": {"items": [1], "last_id": "same"}}] * 3, 2, "twice"),
        (
            "product.list",
            [{"result": {"items": [i], "last_id": f"k{i}"}} for i in range(9)],
            3,
            "more than 3 pages",
        ),
        ("product.list", [{"result": {"items": [1], "last_id": "a", "has_next": False}}], 1, None),
        ("product.list", [{"result": {"items": [], "last_id": "a"}}], 1, None),
    ],
)
def test_reading_ahead_keeps_the_guards_and_asks_for_no_page_more(
    key: str, responses: list[dict[str, Any]], sent: int, error: str | None
) -> None:
    responses = [
        {"result": {**r["result"], "items": [{"v": i} for i in r["result"]["items"]]}}
        for r in responses
    ]
    pages = Answers(*responses)
    walk = iter_pages(pages, endpoints.get(key), {}, parse=json.loads, keys=_keys, max_pages=3)
    if error is None:
        list(walk)
    else:
        with pytest.raises(PaginationError, match=error):
            list(walk)
    assert len(pages.bodies) == sent


@pytest.mark.parametrize(
    ("key", "by_item"), [("actions.discounts.list", "id"), ("posting.fbs.list", None)]
)
def test_only_a_walk_by_the_answer_s_key_with_keyed_items_reads_ahead(
    key: str, by_item: str | None
) -> None:
    walk = iter_pages(Answers(), endpoints.get(key), {}, next_from_item=by_item, keys=_keys)
    with pytest.raises(ValueError, match="reads ahead only"):
        next(walk)
