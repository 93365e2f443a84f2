"""Every Seller API path the sandbox answers, in ``HANDLERS`` (path -> ``Route``).

To serve a new row of the endpoint table, write a function in the module of its area and
decorate it with ``@route(path)``; a test checks that every path in
``ozonctl.client.endpoints.ENDPOINTS`` has one.
"""

from __future__ import annotations

from . import (
    account,
    acts,
    analytics,
    cancellations,
    chats,
    finance,
    fulfilment,
    giveouts,
    penalties,
    postings,
    products,
    promos,
    questions,
    reviews,
    rfbs,
    rfbs_returns,
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
    "acts",
    "analytics",
    "cancellations",
    "chats",
    "finance",
    "fulfilment",
    "giveouts",
    "label_file",
    "penalties",
    "postings",
    "products",
    "promos",
    "questions",
    "reviews",
    "rfbs",
    "rfbs_returns",
    "route",
    "seller_actions",
]
