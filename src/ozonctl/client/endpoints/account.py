"""The seller's account, key and warehouses."""

from __future__ import annotations

from ozonctl.client.endpoints.row import Endpoint, row

ROWS: tuple[Endpoint, ...] = (
    # --- account --------------------------------------------------------------
    row("seller.info", "POST", "/v1/seller/info", "read", summary="company and ratings"),
    row("roles", "POST", "/v1/roles", "read", summary="the API key's expiry and roles"),
    row(
        "warehouse.list",
        "POST",
        "/v2/warehouse/list",
        "read",
        max_items=200,
        paging="cursor",
        summary="FBS/rFBS warehouses",
        items_path="warehouses",
    ),
)
