"""Page walkers for Ozon's pagination styles: ``last_id`` (string or int), ``cursor``,
``offset`` and ``page``. The next-page key goes into the request body. Every walk is
guarded against a repeated key (a server paging in circles) and capped in pages."""

from __future__ import annotations

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
    if key in raw:
        return raw[key]
    result = raw.get("result")
    if isinstance(result, dict):
        return result.get(key)
    return None


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
) -> Iterator[Page]:
    """Walk every page of ``endpoint`` in its own style.

    ``items_path`` names the list in each response (``"result.items"``, ``"postings"``).
    ``limit`` defaults to the endpoint's largest page. ``next_from_item`` takes the next
    ``last_id`` from that field of the last item, for methods whose response carries none.
    ``parse`` (e.g. ``TypeAdapter(M).validate_json``) turns each response's bytes into the
    response dict instead of ``json.loads``: it must keep the keys the walk reads (the
    items, ``total``, ``last_id``/``cursor``, ``has_next``, ...).
    """
    style = endpoint.paging
    items_path = items_path or endpoint.items_path or "result"
    request = dict(body or {})
    page_size = limit or endpoint.max_items
    size_field = "page_size" if style == "page" else "limit"
    if page_size and style != "none":
        request[size_field] = page_size
    if style == "last_id":
        request.setdefault("last_id", "")
    seen: set[Any] = set()
    number = 0
    walked = 0
    offset = int(request.get("offset") or 0)
    page_no = int(request.get("page") or 1)
    while True:
        number += 1
        if number > max_pages:
            raise PaginationError(
                f"{endpoint.path}: more than {max_pages} pages; stopped", path=endpoint.path
            )
        if style == "offset":
            request["offset"] = offset
        elif style == "page":
            request["page"] = page_no
        raw = (
            client.call(endpoint, request)
            if parse is None
            else client.call(endpoint, request, parse=parse)  # type: ignore[call-arg]
        )
        if not isinstance(raw, dict):
            raw = {"result": raw}
        items = dig(raw, items_path)
        items = list(items) if isinstance(items, list) else []
        yield Page(number, items, raw)
        if style == "none" or not items:
            return
        walked += len(items)
        has_next = _find(raw, "has_next")
        if has_next is False:
            return
        total = _find(raw, "total")
        if (
            style in ("last_id", "last_id_int", "cursor")
            and isinstance(total, int)
            and not isinstance(total, bool)
            and 0 < total <= walked
        ):
            return  # every item is in: no need to ask for the empty page that ends a walk
        if style in ("last_id", "last_id_int"):
            key = _find(raw, "last_id")
            if next_from_item is not None:
                last = items[-1]
                key = last.get(next_from_item) if isinstance(last, dict) else None
            if key in (None, "", 0, "0"):
                return
            request["last_id"] = key
        elif style == "cursor":
            key = _find(raw, "cursor")
            if key in (None, "", 0, "0"):
                return
            request["cursor"] = key
        elif style == "offset":
            offset += len(items)
            total = _find(raw, "total")
            if (isinstance(total, int) and offset >= total) or (
                page_size and len(items) < page_size
            ):
                return
            key = offset
        else:  # page
            page_count = _find(raw, "page_count")
            if isinstance(page_count, int) and page_no >= page_count:
                return
            page_no += 1
            key = page_no
        if key in seen:
            raise PaginationError(
                f"{endpoint.path}: the server returned the page key {key!r} twice; "
                "stopped to avoid reading the same page forever",
                path=endpoint.path,
            )
        seen.add(key)


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
