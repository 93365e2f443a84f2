"""Page walks: one small strategy per paging style of Ozon's (``last_id`` string or int,
``cursor``, ``offset``, ``page``) and one loop that holds the guards every walk shares.

A strategy puts its key into the request body and, after each page, says whether there
is a next one. The loop calls, yields the page, stops on an empty page or
``has_next: false``, and raises ``PaginationError`` on a key the server gives twice
(paging in circles) or past ``max_pages``.

Walks by key stop as soon as the items Ozon counts in ``total_items`` are in (``total``
on methods that still carry it): no empty page is asked for to learn the walk is over.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from ozonctl.client import _constants as C
from ozonctl.client.endpoints import Endpoint
from ozonctl.client.errors import PaginationError


class _Caller(Protocol):
    def call(self, endpoint: Endpoint, body: Any = None) -> Any: ...


@dataclass(slots=True)
class Page:
    number: int
    items: list[Any]
    raw: dict[str, Any]


def dig(obj: Any, path: str) -> Any:
    """``dig(resp, "result.items")``; None when any step is missing."""
    for part in path.split("."):
        if not isinstance(obj, dict):
            return None
        obj = obj.get(part)
    return obj


def _find(raw: dict[str, Any], key: str) -> Any:
    """``key`` at the top of an answer or inside its ``result``."""
    if key in raw:
        return raw[key]
    result = raw.get("result")
    if isinstance(result, dict):
        return result.get(key)
    return None


def total_items(raw: dict[str, Any]) -> int | None:
    """How many items the whole walk has, when the answer says (and says more than 0)."""
    for key in ("total_items", "total"):
        total = _find(raw, key)
        if isinstance(total, int) and not isinstance(total, bool) and total > 0:
            return total
    return None


_NO_KEY = (None, "", 0, "0")


class Paging(Protocol):
    """A paging style: puts its key into ``request`` before each call."""

    def start(self, request: dict[str, Any]) -> None:
        """Set up the first request."""

    def advance(
        self, raw: dict[str, Any], items: list[Any], walked: int, request: dict[str, Any]
    ) -> object | None:
        """After a page with ``items`` (``walked`` items so far): the next page's key, put
        into ``request``, or None when the walk is over."""


@dataclass(slots=True)
class LastId:
    """``last_id`` from the answer (or from a field of the last item). A string key
    starts as ``""``; an integer one (``last_id_int``) is left out of the first request."""

    from_item: str | None = None
    first: str | None = ""

    def start(self, request: dict[str, Any]) -> None:
        if self.first is not None:
            request.setdefault("last_id", self.first)

    def advance(
        self, raw: dict[str, Any], items: list[Any], walked: int, request: dict[str, Any]
    ) -> object | None:
        total = total_items(raw)
        if total is not None and walked >= total:
            return None
        key: object = _find(raw, "last_id")
        if self.from_item is not None:
            last = items[-1]
            key = last.get(self.from_item) if isinstance(last, dict) else None
        if key in _NO_KEY:
            return None
        request["last_id"] = key
        return key


@dataclass(slots=True)
class Cursor:
    """``cursor`` from the answer."""

    def start(self, request: dict[str, Any]) -> None:
        return None

    def advance(
        self, raw: dict[str, Any], items: list[Any], walked: int, request: dict[str, Any]
    ) -> object | None:
        total = total_items(raw)
        if total is not None and walked >= total:
            return None
        key: object = _find(raw, "cursor")
        if key in _NO_KEY:
            return None
        request["cursor"] = key
        return key


@dataclass(slots=True)
class Offset:
    """``offset`` counted by the items read; a short page is the last one."""

    page_size: int | None
    offset: int = 0

    def start(self, request: dict[str, Any]) -> None:
        self.offset = int(request.get("offset") or 0)
        request["offset"] = self.offset

    def advance(
        self, raw: dict[str, Any], items: list[Any], walked: int, request: dict[str, Any]
    ) -> object | None:
        self.offset += len(items)
        total = total_items(raw)
        if (total is not None and self.offset >= total) or (
            self.page_size and len(items) < self.page_size
        ):
            return None
        request["offset"] = self.offset
        return self.offset


@dataclass(slots=True)
class PageNumber:
    """``page`` numbered from 1, up to the answer's ``page_count``."""

    page: int = 1

    def start(self, request: dict[str, Any]) -> None:
        self.page = int(request.get("page") or 1)
        request["page"] = self.page

    def advance(
        self, raw: dict[str, Any], items: list[Any], walked: int, request: dict[str, Any]
    ) -> object | None:
        page_count = _find(raw, "page_count")
        if isinstance(page_count, int) and self.page >= page_count:
            return None
        self.page += 1
        request["page"] = self.page
        return self.page


def paging_for(style: str, page_size: int | None, next_from_item: str | None) -> Paging | None:
    """The strategy of an endpoint's ``paging`` style; None for ``"none"`` (one call)."""
    if style in ("last_id", "last_id_int"):
        return LastId(next_from_item, "" if style == "last_id" else None)
    if style == "cursor":
        return Cursor()
    if style == "offset":
        return Offset(page_size)
    if style == "page":
        return PageNumber()
    return None


_KEYED_ITEMS = ("items", "result.items", "products")
"""Where ``PageKeys`` finds the items it counts."""


def iter_pages(
    client: _Caller,
    endpoint: Endpoint,
    body: dict[str, Any] | None = None,
    *,
    items_path: str | None = None,
    limit: int | None = None,
    max_pages: int = C.MAX_PAGES,
    next_from_item: str | None = None,
    parse: Callable[[bytes], Any] | None = None,
    keys: Callable[[bytes], Any] | None = None,
) -> Iterator[Page]:
    """Walk every page of ``endpoint`` in its own style.

    ``items_path`` names the list in each response (``"result.items"``, ``"postings"``).
    ``limit`` defaults to the endpoint's largest page. ``next_from_item`` takes the next
    ``last_id`` from that field of the last item, for methods whose response carries none.
    ``parse`` (e.g. ``TypeAdapter(M).validate_json``) turns each response's bytes into the
    response dict instead of ``json.loads``: it must keep the keys the walk reads (the
    items, ``total_items``/``total``, ``last_id``/``cursor``, ``has_next``, ...).

    ``keys`` (with ``parse``; e.g. ``PageKeys`` validated) reads ahead: it reads only what
    the walk steers by from an answer's bytes (its keys and the items, counted), the next
    page is asked for in a thread of its own, and then ``parse`` reads this page for the
    caller: the next answer is on its way while this one is read and used. For walks read
    to their end: a caller that stops early has asked for one page more.
    """
    items_path = items_path or endpoint.items_path or "result"
    request = dict(body or {})
    page_size = limit or endpoint.max_items
    paging = paging_for(endpoint.paging, page_size, next_from_item)
    if page_size and paging is not None:
        request["page_size" if isinstance(paging, PageNumber) else "limit"] = page_size
    if paging is not None:
        paging.start(request)
    if keys is not None and (next_from_item is not None or items_path not in _KEYED_ITEMS):
        raise ValueError(
            f"{endpoint.path}: reads ahead only by a key in the answer, items in {_KEYED_ITEMS}"
        )
    fetch = _ahead(client, endpoint, keys, parse) if keys else _now(client, endpoint, parse)
    answer = fetch(request)
    seen: set[Any] = set()
    walked = 0
    number = 0
    while True:
        number += 1
        if number > max_pages:
            raise PaginationError(
                f"{endpoint.path}: more than {max_pages} pages; stopped", path=endpoint.path
            )
        steer, read = answer()
        items = _items(steer, items_path)
        key = None
        if paging is not None and items and _find(steer, "has_next") is not False:
            walked += len(items)
            key = paging.advance(steer, items, walked, request)
        if key is not None and key not in seen and number < max_pages:
            answer = fetch(request)  # with ``keys``, on its way while this page is read
        raw = read()
        yield Page(number, _items(raw, items_path), raw)
        if key is None:
            return
        if key in seen:
            raise PaginationError(
                f"{endpoint.path}: the server returned the page key {key!r} twice; "
                "stopped to avoid reading the same page forever",
                path=endpoint.path,
            )
        seen.add(key)


_Answer = Callable[[], tuple[dict[str, Any], Callable[[], dict[str, Any]]]]
"""An answer to come: what the walk steers by, and a function reading the page."""


def _now(
    client: _Caller, endpoint: Endpoint, parse: Callable[[bytes], Any] | None
) -> Callable[[dict[str, Any]], _Answer]:
    """Each page is asked for when the walk comes to it, after the caller has had the
    one before; the walk steers by the page it read."""

    def fetch(request: dict[str, Any]) -> _Answer:
        body = dict(request)

        def answer() -> tuple[dict[str, Any], Callable[[], dict[str, Any]]]:
            raw = _as_dict(
                client.call(endpoint, body)
                if parse is None
                else client.call(endpoint, body, parse=parse)  # type: ignore[call-arg]
            )
            return raw, lambda: raw

        return answer

    return fetch


def _ahead(
    client: _Caller,
    endpoint: Endpoint,
    keys: Callable[[bytes], Any],
    parse: Callable[[bytes], Any] | None,
) -> Callable[[dict[str, Any]], _Answer]:
    """Each page is asked for in a thread of its own as soon as its key is known; the
    walk steers by ``keys`` of the answer, and ``parse`` reads the page afterwards."""
    from ozonctl.concurrency import in_background

    read = parse or json.loads

    def steered(content: bytes) -> tuple[dict[str, Any], bytes]:
        return _as_dict(keys(content)), content

    def fetch(request: dict[str, Any]) -> _Answer:
        call = client.call  # the body is copied: the walk puts the next key into it
        pending = in_background(call, endpoint, dict(request), parse=steered)  # type: ignore[call-arg]

        def answer() -> tuple[dict[str, Any], Callable[[], dict[str, Any]]]:
            steer, content = pending.result()
            return steer, lambda: _as_dict(read(content))

        return answer

    return fetch


def _as_dict(raw: Any) -> dict[str, Any]:
    return raw if isinstance(raw, dict) else {"result": raw}


def _items(raw: dict[str, Any], items_path: str) -> list[Any]:
    items = dig(raw, items_path)
    return list(items) if isinstance(items, list) else []


def iter_items(
    client: _Caller,
    endpoint: Endpoint,
    body: dict[str, Any] | None = None,
    *,
    items_path: str | None = None,
    limit: int | None = None,
    max_pages: int = C.MAX_PAGES,
    next_from_item: str | None = None,
) -> Iterator[Any]:
    """Every item across every page."""
    for page in iter_pages(
        client,
        endpoint,
        body,
        items_path=items_path,
        limit=limit,
        max_pages=max_pages,
        next_from_item=next_from_item,
    ):
        yield from page.items
