"""The one table of every Seller API method ozonctl calls, one module per area.

Each row names a method by a stable key (what the rest of the code uses), its HTTP
method and versioned path, whether it is a read or a write (writes are never retried
unless they surely did not run), the most items one request takes, how it pages, and
its own rate limit on top of the shared per-Client-Id bucket.

Only current versions live here. When Ozon retires a method, change one line here and
the contract tests (tests/contract) check the new path against Ozon's document.
``RETIRED`` maps switched-off paths to their successors, for clear 410/404 messages.

This module imports nothing heavy: the sandbox, the CLI and the client all read it.
"""

from __future__ import annotations

from ozonctl.client.endpoints import account, finance, listings, orders, promos, service
from ozonctl.client.endpoints.row import Endpoint, Kind, Paging

__all__ = ["BY_PATH", "ENDPOINTS", "RETIRED", "Endpoint", "Kind", "Paging", "for_path", "get"]

_TABLE: tuple[Endpoint, ...] = (
    account.ROWS + promos.ROWS + listings.ROWS + orders.ROWS + service.ROWS + finance.ROWS
)

ENDPOINTS: dict[str, Endpoint] = {e.key: e for e in _TABLE}
BY_PATH: dict[str, Endpoint] = {e.path: e for e in _TABLE}

# Switched-off paths ozonctl must never call, with their successors (from Ozon's News
# changelog, see ../shared/ozon-seller-api/paths-inventory.json).
RETIRED: dict[str, str] = {
    "/v1/actions/candidates": "/v2/actions/candidates",
    "/v1/actions/products": "/v2/actions/products",
    "/v1/actions/products/activate": "/v1/actions/products/update",
    "/v1/actions/products/deactivate": "/v2/actions/products/deactivate",
    "/v1/actions/auto-add/products/list": "/v2/actions/auto-add/products/list",
    "/v1/actions/auto-add/products/candidates": "/v2/actions/auto-add/products/candidates",
    "/v1/actions/auto-add/products/update": "/v2/actions/auto-add/products/update",
    "/v1/actions/auto-add/products/delete": "/v2/actions/auto-add/products/delete",
    "/v3/posting/fbs/list": "/v4/posting/fbs/list",
    "/v3/posting/fbs/unfulfilled/list": "/v4/posting/fbs/unfulfilled/list",
    "/v2/posting/fbo/list": "/v3/posting/fbo/list",
    "/v2/posting/fbs/package-label": "/v3/posting/fbs/package-label/create",
    "/v1/posting/fbs/package-label/create": "/v3/posting/fbs/package-label/create",
    "/v2/posting/fbs/package-label/create": "/v3/posting/fbs/package-label/create",
    "/v1/posting/fbs/package-label/get": "/v2/posting/fbs/package-label/get",
    "/v3/finance/transaction/list": "/v1/finance/accrual/by-day",
    "/v3/finance/transaction/totals": "/v1/finance/accrual/by-day",
    "/v1/warehouse/list": "/v2/warehouse/list",
    "/v2/product/list": "/v3/product/list",
    "/v2/product/info/list": "/v3/product/info/list",
    "/v3/product/info/stocks": "/v4/product/info/stocks",
    "/v4/product/info/prices": "/v5/product/info/prices",
}


def get(key: str) -> Endpoint:
    """The endpoint for ``key``; a KeyError names the key (a programming error)."""
    return ENDPOINTS[key]


def for_path(path: str) -> Endpoint | None:
    """The table row for a raw path (used by ``ozonctl api``), or None if unknown."""
    return BY_PATH.get(path)
