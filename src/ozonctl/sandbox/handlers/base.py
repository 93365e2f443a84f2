"""The handler registry: one function per Seller API path.

A handler takes the request context and the decoded JSON body and returns the JSON
answer (a dict), or a ``RawResponse`` for files. It raises ``ApiError`` for Ozon's error
answers. Register it with ``@route(path)``; the method and item limits come from the
endpoint table (``ozonctl.client.endpoints``), ``required`` names the body fields the
built-in checks demand when the OpenAPI document is not at hand.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ozonctl.client.endpoints import Endpoint

    from ..shop import Shop

Body = dict[str, Any]
JSON = "application/json"


def json_bytes(payload: object) -> bytes:
    """The JSON of an answer, as ``SandboxApp`` encodes the dicts handlers return (for a
    handler that keeps or assembles encoded answers and returns a ``RawResponse``)."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


@dataclass(frozen=True, slots=True)
class Ctx:
    shop: Shop
    endpoint: Endpoint | None
    base_url: str
    """Scheme and host the client used, for absolute URLs in answers (label files)."""
    client_id: str


@dataclass(frozen=True, slots=True)
class RawResponse:
    status: int
    content_type: str
    body: bytes


Handler = Callable[[Ctx, Body], "Body | RawResponse"]


@dataclass(frozen=True, slots=True)
class Route:
    path: str
    method: str
    handler: Handler
    required: tuple[str, ...]


HANDLERS: dict[str, Route] = {}


def route(
    path: str, *, method: str = "POST", required: tuple[str, ...] = ()
) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        if path in HANDLERS:
            raise RuntimeError(f"two handlers for {path}")
        HANDLERS[path] = Route(path, method, fn, required)
        return fn

    return register
