"""Money and analytics: finance reports, accruals, balance and analytics."""

from __future__ import annotations

from ozonctl.client.endpoints.row import Endpoint, row

ROWS: tuple[Endpoint, ...] = (
    # --- finance --------------------------------------------------------------
    row(
        "finance.accrual.by_day",
        "POST",
        "/v1/finance/accrual/by-day",
        "read",
        paging="last_id",
        summary="accruals of one day",
        items_path="accruals",
    ),
    row(
        "finance.accrual.postings",
        "POST",
        "/v1/finance/accrual/postings",
        "read",
        max_items=200,
        items_field="posting_numbers",
        summary="accruals of postings",
    ),
    row(
        "finance.accrual.types",
        "POST",
        "/v1/finance/accrual/types",
        "read",
        summary="accrual type catalogue",
    ),
    row(
        "finance.realization",
        "POST",
        "/v2/finance/realization",
        "read",
        summary="monthly realization report",
    ),
    row(
        "finance.cash_flow",
        "POST",
        "/v1/finance/cash-flow-statement/list",
        "read",
        max_items=1000,
        paging="page",
        summary="cash-flow statement",
        items_path="result.cash_flows",
    ),
    # --- analytics (50 requests a day without Premium Plus/Pro: domain/analytics.py) ---
    row(
        "analytics.data",
        "POST",
        "/v1/analytics/data",
        "read",
        max_items=1000,
        paging="offset",
        per_minute=1,
        summary="ordered units, revenue, traffic by SKU or period",
        items_path="result.data",
    ),
    row(
        "analytics.turnover",
        "POST",
        "/v1/analytics/turnover/stocks",
        "read",
        max_items=1000,
        paging="offset",
        per_minute=1,
        summary="FBO turnover and days of cover",
        items_path="items",
    ),
    row(
        "finance.balance",
        "POST",
        "/v1/finance/balance",
        "read",
        summary="balance over at most 30 days",
    ),
)
