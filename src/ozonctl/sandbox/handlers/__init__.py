"""Every Seller API path the sandbox answers, in ``HANDLERS`` (path -> ``Route``).

To serve a new row of the endpoint table, write a function in the module of its area and
decorate it with ``@route(path)``; a test checks that every path in
``ozonctl.client.endpoints.ENDPOINTS`` has one.
"""

from __future__ import annotations

from . import (
    account,
    analytics,
    chats,
    finance,
    fulfilment,
    postings,
    products,
    promos,
    questions,
    reviews,
    seller_actions,
)
from .base import HANDLERS, Body, Ctx, RawResponse, Route, route
from .fulfilment import LABEL_FILES, label_file

__all__ = [
    "HANDLERS",
    "LABEL_FILES",
    "Body",
    "Ctx",
    "RawResponse",
    "Route",
    "account",
    "analytics",
    "chats",
    "finance",
    "fulfilment",
    "label_file",
    "postings",
    "products",
    "promos",
    "questions",
    "reviews",
    "route",
    "seller_actions",
]
