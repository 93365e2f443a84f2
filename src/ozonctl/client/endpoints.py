"""The one table of every Seller API method ozonctl calls.

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

from dataclasses import dataclass
from typing import Literal

Kind = Literal["read", "write"]
Paging = Literal["none", "last_id", "last_id_int", "cursor", "offset", "page"]


@dataclass(frozen=True, slots=True)
class Endpoint:
    key: str
    method: Literal["GET", "POST"]
    path: str
    kind: Kind
    max_items: int | None = None
    """Most items one request takes (the list named by ``items_field``), or page size."""
    items_field: str | None = None
    """The request field whose length is bounded by ``max_items``."""
    paging: Paging = "none"
    per_minute: int | None = None
    """Per-method limit, in requests a minute (None: only the shared bucket applies)."""
    summary: str = ""
    items_path: str | None = None
    """Where a paginated response holds its items (``result.items``, ``postings`` …)."""

    @property
    def is_write(self) -> bool:
        return self.kind == "write"


def _e(
    key: str,
    method: Literal["GET", "POST"],
    path: str,
    kind: Kind,
    *,
    max_items: int | None = None,
    items_field: str | None = None,
    paging: Paging = "none",
    per_minute: int | None = None,
    summary: str = "",
    items_path: str | None = None,
) -> Endpoint:
    return Endpoint(
        key, method, path, kind, max_items, items_field, paging, per_minute, summary, items_path
    )


_TABLE: tuple[Endpoint, ...] = (
    # --- account ---------------------------------------------------------------------
    _e("seller.info", "POST", "/v1/seller/info", "read", summary="company and ratings"),
    _e("roles", "POST", "/v1/roles", "read", summary="the API key's expiry and roles"),
    _e(
        "warehouse.list",
        "POST",
        "/v2/warehouse/list",
        "read",
        max_items=200,
        paging="cursor",
        summary="FBS/rFBS warehouses",
        items_path="warehouses",
    ),
    # --- promotions (Ozon actions; API replaced 2026-10) --------------------------------
    _e("actions.list", "GET", "/v1/actions", "read", summary="Ozon promotions"),
    _e(
        "actions.products",
        "POST",
        "/v2/actions/products",
        "read",
        max_items=100,
        paging="last_id",
        summary="products in a promotion",
        items_path="products",
    ),
    _e(
        "actions.candidates",
        "POST",
        "/v2/actions/candidates",
        "read",
        max_items=100,
        paging="last_id",
        summary="products that can join",
        items_path="products",
    ),
    _e(
        "actions.products.update",
        "POST",
        "/v1/actions/products/update",
        "write",
        max_items=1000,
        items_field="products",
        summary="add or re-price products",
    ),
    _e(
        "actions.products.deactivate",
        "POST",
        "/v2/actions/products/deactivate",
        "write",
        max_items=1000,
        items_field="product_ids",
        summary="remove products (promo codes)",
    ),
    _e(
        "actions.autoadd.list",
        "POST",
        "/v2/actions/auto-add/products/list",
        "read",
        max_items=100,
        paging="offset",
        summary="products set for auto-adding",
        items_path="products",
    ),
    _e(
        "actions.autoadd.candidates",
        "POST",
        "/v2/actions/auto-add/products/candidates",
        "read",
        max_items=100,
        paging="offset",
        summary="products that can be set for auto-adding",
        items_path="products",
    ),
    _e(
        "actions.autoadd.update",
        "POST",
        "/v2/actions/auto-add/products/update",
        "write",
        max_items=1000,
        items_field="products",
        summary="set products for auto-adding",
    ),
    _e(
        "actions.autoadd.delete",
        "POST",
        "/v2/actions/auto-add/products/delete",
        "write",
        max_items=1000,
        items_field="product_ids",
        summary="remove from auto-adding",
    ),
    _e(
        "actions.discounts.list",
        "POST",
        "/v2/actions/discounts-task/list",
        "read",
        max_items=50,
        paging="last_id_int",
        summary="buyers' discount requests",
        items_path="tasks",
    ),
    _e(
        "actions.discounts.approve",
        "POST",
        "/v1/actions/discounts-task/approve",
        "write",
        max_items=50,
        items_field="tasks",
        summary="approve discount requests",
    ),
    _e(
        "actions.discounts.decline",
        "POST",
        "/v1/actions/discounts-task/decline",
        "write",
        max_items=50,
        items_field="tasks",
        summary="decline discount requests",
    ),
    _e(
        "seller_actions.list",
        "POST",
        "/v1/seller-actions/list",
        "read",
        max_items=100,
        paging="offset",
        summary="seller-created promotions",
        items_path="actions",
    ),
    _e(
        "seller_actions.products",
        "POST",
        "/v1/seller-actions/products/list",
        "read",
        max_items=100,
        paging="cursor",
        summary="products in a seller promotion",
        items_path="products",
    ),
    _e(
        "seller_actions.change_activity",
        "POST",
        "/v1/seller-actions/change-activity",
        "write",
        summary="turn a seller promotion on or off",
    ),
    _e(
        "seller_actions.candidates",
        "POST",
        "/v1/seller-actions/products/candidates",
        "read",
        max_items=100,
        paging="cursor",
        summary="products that may join a seller promotion",
        items_path="products",
    ),
    _e(
        "seller_actions.add",
        "POST",
        "/v1/seller-actions/products/add",
        "write",
        max_items=100,
        items_field="products",
        summary="add products to a seller promotion (empty answer)",
    ),
    _e(
        "seller_actions.delete",
        "POST",
        "/v1/seller-actions/products/delete",
        "write",
        max_items=100,
        items_field="skus",
        summary="remove products from a seller promotion (empty answer)",
    ),
    *(
        _e(
            f"seller_actions.{verb}.{kind}",
            "POST",
            f"/v1/seller-actions/{verb}/{path}",
            "write",
            summary=f"{verb} a seller promotion: {path}",
        )
        for verb in ("create", "update")
        for kind, path in (
            ("discount", "discount"),
            ("conditional", "discount-with-condition"),
            ("multilevel", "multi-level-discount"),
            ("voucher", "voucher"),
            ("installment", "installment"),
        )
    ),
    _e(
        "seller_actions.archive",
        "POST",
        "/v1/seller-actions/archive",
        "write",
        summary="archive a seller promotion",
    ),
    _e(
        "seller_actions.voucher_codes",
        "POST",
        "/v1/seller-actions/voucher/get",
        "read",
        summary="link to the CSV of a voucher promotion's codes",
    ),
    # --- products and listings -----------------------------------------------------------
    _e(
        "product.list",
        "POST",
        "/v3/product/list",
        "read",
        max_items=1000,
        paging="last_id",
        summary="product ids, offer ids, archived flag",
        items_path="result.items",
    ),
    _e(
        "product.info",
        "POST",
        "/v3/product/info/list",
        "read",
        max_items=1000,
        items_field="product_id",
        summary="product details by id, offer id or SKU",
    ),
    _e(
        "product.archive",
        "POST",
        "/v1/product/archive",
        "write",
        max_items=100,
        items_field="product_id",
        summary="archive (delist) products",
    ),
    _e(
        "product.unarchive",
        "POST",
        "/v1/product/unarchive",
        "write",
        max_items=100,
        items_field="product_id",
        summary="unarchive products",
    ),
    _e(
        "product.delete",
        "POST",
        "/v2/products/delete",
        "write",
        max_items=500,
        items_field="products",
        summary="delete archived products without SKU",
    ),
    _e(
        "product.stocks",
        "POST",
        "/v4/product/info/stocks",
        "read",
        max_items=1000,
        paging="cursor",
        summary="stock by product",
        items_path="items",
    ),
    _e(
        "product.stocks_by_warehouse",
        "POST",
        "/v2/product/info/stocks-by-warehouse/fbs",
        "read",
        max_items=1000,
        paging="cursor",
        summary="FBS stock per warehouse",
        items_path="products",
    ),
    _e(
        "product.stocks.update",
        "POST",
        "/v2/products/stocks",
        "write",
        max_items=100,
        items_field="stocks",
        per_minute=80,
        summary="set FBS/rFBS stock",
    ),
    _e(
        "product.prices",
        "POST",
        "/v5/product/info/prices",
        "read",
        max_items=1000,
        paging="cursor",
        summary="prices by product",
        items_path="items",
    ),
    _e(
        "product.prices.update",
        "POST",
        "/v1/product/import/prices",
        "write",
        max_items=1000,
        items_field="prices",
        summary="set prices",
    ),
    # --- orders: FBS / rFBS / FBO postings, returns, rating --------------------------------
    _e(
        "posting.fbs.list",
        "POST",
        "/v4/posting/fbs/list",
        "read",
        max_items=100,
        paging="cursor",
        summary="FBS postings",
        items_path="postings",
    ),
    _e(
        "posting.fbs.unfulfilled",
        "POST",
        "/v4/posting/fbs/unfulfilled/list",
        "read",
        max_items=100,
        paging="cursor",
        summary="unfulfilled FBS postings",
        items_path="postings",
    ),
    _e("posting.fbs.get", "POST", "/v3/posting/fbs/get", "read", summary="one FBS posting"),
    _e(
        "posting.fbs.ship",
        "POST",
        "/v4/posting/fbs/ship",
        "write",
        summary="package and ship a posting",
    ),
    _e(
        "posting.fbs.cancel_reasons",
        "POST",
        "/v2/posting/fbs/cancel-reason/list",
        "read",
        summary="all cancellation reasons",
    ),
    _e(
        "posting.fbs.cancel_reasons_for",
        "POST",
        "/v1/posting/fbs/cancel-reason",
        "read",
        summary="reasons available for given postings",
    ),
    _e("posting.fbs.cancel", "POST", "/v2/posting/fbs/cancel", "write", summary="cancel a posting"),
    _e(
        "posting.fbs.product_cancel",
        "POST",
        "/v2/posting/fbs/product/cancel",
        "write",
        max_items=100,
        items_field="items",
        summary="cancel some products of a posting",
    ),
    _e(
        "posting.fbs.label_create",
        "POST",
        "/v3/posting/fbs/package-label/create",
        "write",
        max_items=100,
        items_field="posting_numbers",
        summary="start a label task",
    ),
    _e(
        "posting.fbs.label_get",
        "POST",
        "/v2/posting/fbs/package-label/get",
        "read",
        summary="label task status and file",
    ),
    _e(
        "posting.fbs.tracking_set",
        "POST",
        "/v2/fbs/posting/tracking-number/set",
        "write",
        max_items=20,
        items_field="tracking_numbers",
        summary="set tracking numbers",
    ),
    _e(
        "posting.fbo.list",
        "POST",
        "/v3/posting/fbo/list",
        "read",
        max_items=100,
        paging="cursor",
        summary="FBO postings",
        items_path="postings",
    ),
    _e("posting.fbo.get", "POST", "/v2/posting/fbo/get", "read", summary="one FBO posting"),
    _e(
        "returns.list",
        "POST",
        "/v1/returns/list",
        "read",
        max_items=500,
        paging="last_id_int",
        summary="FBO and FBS returns",
        items_path="returns",
    ),
    _e("rating.summary", "POST", "/v1/rating/summary", "read", summary="seller rating"),
    _e(
        "rating.index.postings",
        "POST",
        "/v1/rating/index/fbs/posting/list",
        "read",
        max_items=1000,
        paging="cursor",
        summary="postings that cost the FBS/rFBS error index",
        items_path="errors",
    ),
    _e("rating.index.info", "POST", "/v1/rating/index/fbs/info", "read", summary="FBS error index"),
    _e("rating.history", "POST", "/v1/rating/history", "read", summary="ratings over time"),
    _e(
        "returns.rfbs.list",
        "POST",
        "/v2/returns/rfbs/list",
        "read",
        max_items=1000,
        paging="last_id_int",
        summary="rFBS return requests",
        items_path="returns",
    ),
    _e("returns.rfbs.get", "POST", "/v2/returns/rfbs/get", "read", summary="one rFBS return"),
    _e(
        "returns.rfbs.action",
        "POST",
        "/v1/returns/rfbs/action/set",
        "write",
        summary="act on an rFBS return (approve, reject, refund …)",
    ),
    _e(
        "cancellation.list",
        "POST",
        "/v2/conditional-cancellation/list",
        "read",
        max_items=500,
        paging="last_id_int",
        summary="buyers' cancellation requests (rFBS)",
        items_path="result",
    ),
    _e(
        "cancellation.approve",
        "POST",
        "/v2/conditional-cancellation/approve",
        "write",
        summary="approve a buyer's cancellation request",
    ),
    _e(
        "cancellation.reject",
        "POST",
        "/v2/conditional-cancellation/reject",
        "write",
        summary="reject a buyer's cancellation request",
    ),
    # --- reviews (review-management subscription or Premium Pro) ------------------------
    _e(
        "review.list",
        "POST",
        "/v2/review/list",
        "read",
        max_items=100,
        paging="last_id",
        summary="reviews of the shop's products",
        items_path="reviews",
    ),
    _e("review.info", "POST", "/v2/review/info", "read", summary="one review"),
    _e("review.count", "POST", "/v2/review/count", "read", summary="reviews by status"),
    _e(
        "review.comment.list",
        "POST",
        "/v1/review/comment/list",
        "read",
        max_items=100,
        paging="offset",
        summary="comments under a review",
        items_path="comments",
    ),
    _e("review.comment.create", "POST", "/v1/review/comment/create", "write", summary="reply"),
    _e(
        "review.change_status",
        "POST",
        "/v2/review/change-status",
        "write",
        max_items=100,
        items_field="review_ids",
        summary="mark reviews processed or not",
    ),
    # --- product questions (Premium Plus or Premium Pro) --------------------------------
    _e(
        "question.list",
        "POST",
        "/v1/question/list",
        "read",
        max_items=100,
        paging="last_id",
        summary="buyers' questions about the shop's products",
        items_path="questions",
    ),
    _e("question.info", "POST", "/v1/question/info", "read", summary="one question"),
    _e("question.count", "POST", "/v1/question/count", "read", summary="questions by status"),
    _e(
        "question.answer.list",
        "POST",
        "/v1/question/answer/list",
        "read",
        paging="last_id_int",
        summary="answers to a question",
        items_path="answers",
    ),
    _e(
        "question.answer.create",
        "POST",
        "/v1/question/answer/create",
        "write",
        summary="answer a question",
    ),
    # --- chats (list and history: any seller; writes: Premium Plus or Premium Pro) -------
    _e(
        "chat.list",
        "POST",
        "/v3/chat/list",
        "read",
        max_items=100,
        paging="cursor",
        summary="the shop's chats",
        items_path="chats",
    ),
    _e("chat.history", "POST", "/v3/chat/history", "read", summary="messages of a chat"),
    _e("chat.send", "POST", "/v1/chat/send/message", "write", summary="send a message"),
    _e("chat.send_file", "POST", "/v1/chat/send/file", "write", summary="send a file"),
    _e("chat.read", "POST", "/v2/chat/read", "write", summary="mark messages read"),
    _e("chat.start", "POST", "/v1/chat/start", "write", summary="open a chat on a posting"),
    # --- finance -----------------------------------------------------------------------
    _e(
        "finance.accrual.by_day",
        "POST",
        "/v1/finance/accrual/by-day",
        "read",
        paging="last_id",
        summary="accruals of one day",
        items_path="accruals",
    ),
    _e(
        "finance.accrual.postings",
        "POST",
        "/v1/finance/accrual/postings",
        "read",
        max_items=200,
        items_field="posting_numbers",
        summary="accruals of postings",
    ),
    _e(
        "finance.accrual.types",
        "POST",
        "/v1/finance/accrual/types",
        "read",
        summary="accrual type catalogue",
    ),
    _e(
        "finance.realization",
        "POST",
        "/v2/finance/realization",
        "read",
        summary="monthly realization report",
    ),
    _e(
        "finance.cash_flow",
        "POST",
        "/v1/finance/cash-flow-statement/list",
        "read",
        max_items=1000,
        paging="page",
        summary="cash-flow statement",
        items_path="result.cash_flows",
    ),
    # --- analytics (50 requests a day without Premium Plus/Pro: domain/analytics.py) -----
    _e(
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
    _e(
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
    _e(
        "finance.balance",
        "POST",
        "/v1/finance/balance",
        "read",
        summary="balance over at most 30 days",
    ),
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
