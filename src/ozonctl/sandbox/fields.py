"""Reading request fields and paging lists, the forgiving way a handler needs.

Schema validation (``spec.py``) is where strictness lives; these readers accept an
int64 as a number or a numeric string so the sandbox also works with ``--no-validate``,
and turn anything unusable into Ozon's 400 answer instead of a crash.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from .errors import bad_request
from .values import decode_token, encode_token

T = TypeVar("T")
Body = dict[str, Any]


def as_int(raw: object, name: str) -> int:
    if isinstance(raw, bool):
        raise bad_request(f"{name}: expected an integer, got a boolean")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str) and raw.strip().lstrip("-").isdigit():
        return int(raw.strip())
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    raise bad_request(f"{name}: expected an integer, got {raw!r}")


def opt_int(body: Body, name: str, default: int | None = None) -> int | None:
    raw = body.get(name)
    return default if raw is None or raw == "" else as_int(raw, name)


def req_int(body: Body, name: str) -> int:
    raw = body.get(name)
    if raw is None or raw == "":
        raise bad_request(f"{name} is required")
    return as_int(raw, name)


def opt_str(body: Body, name: str, default: str = "") -> str:
    raw = body.get(name)
    if raw is None:
        return default
    if not isinstance(raw, str):
        raise bad_request(f"{name}: expected a string, got {raw!r}")
    return raw


def req_str(body: Body, name: str) -> str:
    value = opt_str(body, name)
    if not value:
        raise bad_request(f"{name} is required")
    return value


def opt_bool(body: Body, name: str, default: bool = False) -> bool:
    raw = body.get(name)
    if raw is None:
        return default
    if not isinstance(raw, bool):
        raise bad_request(f"{name}: expected a boolean, got {raw!r}")
    return raw


def obj(body: Body, name: str) -> Body:
    raw = body.get(name)
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise bad_request(f"{name}: expected an object")
    return raw


def any_list(body: Body, name: str) -> list[Any]:
    raw = body.get(name)
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise bad_request(f"{name}: expected an array")
    return raw


def obj_list(body: Body, name: str) -> list[Body]:
    items = any_list(body, name)
    for item in items:
        if not isinstance(item, dict):
            raise bad_request(f"{name}: every element must be an object")
    return items


def int_list(body: Body, name: str) -> list[int]:
    return [as_int(x, name) for x in any_list(body, name)]


def str_list(body: Body, name: str) -> list[str]:
    items = any_list(body, name)
    for item in items:
        if not isinstance(item, str):
            raise bad_request(f"{name}: every element must be a string")
    return items


def page_limit(body: Body, maximum: int | None, default: int, name: str = "limit") -> int:
    """The page size asked for: missing or 0 means ``default``; above ``maximum`` is a 400."""
    value = opt_int(body, name, 0) or 0
    if value < 0:
        raise bad_request(f"{name} must be positive")
    if maximum is not None and value > maximum:
        raise bad_request(f"{name} must be at most {maximum}, got {value}")
    return value or default


# --- paging ----------------------------------------------------------------------------


def start_of(token: str, name: str) -> int:
    """The position an opaque ``last_id``/``cursor`` token points at ("" = the start)."""
    if not token:
        return 0
    position = decode_token(token)
    if position is None:
        raise bad_request(f"invalid {name}: {token!r}")
    return position


def token_page(items: Sequence[T], token: str, limit: int, name: str) -> tuple[list[T], str]:
    """One page of ``items`` after ``token`` and the token of the next page.

    Past the end the page is empty and the token is ``""``; the last full page still
    carries a token, so a client that stops on an empty page and one that stops on an
    empty token both end.
    """
    start = start_of(token, name)
    page = list(items[start : start + limit])
    return page, encode_token(start + len(page)) if page else ""


def token_list(body: Body, items: Sequence[T], limit: int, name: str) -> tuple[list[T], str, bool]:
    """A list walked by the opaque token ``body[name]`` (``last_id``, ``cursor``): the
    page, the next page's token and ``has_next`` (items remain after this page)."""
    token = opt_str(body, name)
    page, after = token_page(items, token, limit, name)
    return page, after, start_of(token, name) + len(page) < len(items)


def offset_page(items: Sequence[T], offset: int, limit: int) -> list[T]:
    if offset < 0:
        raise bad_request("offset must not be negative")
    return list(items[offset : offset + limit])


def numbered_page(items: Sequence[T], page: int, page_size: int) -> tuple[list[T], int]:
    """1-based page ``page`` of ``items`` and the page count."""
    if page < 1:
        raise bad_request("page must be 1 or more")
    count = (len(items) + page_size - 1) // page_size
    return list(items[(page - 1) * page_size : page * page_size]), count
