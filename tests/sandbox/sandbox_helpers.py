"""Helpers for the sandbox tests: an httpx wrapper, a server factory, and a valid
request body for every endpoint of the table, built from a shop's state."""

from __future__ import annotations

from typing import Any

import httpx

from ozonctl.sandbox import SandboxServer
from ozonctl.sandbox.buyers import send_refusal, start_refusal
from ozonctl.sandbox.shop import Shop
from ozonctl.sandbox.values import iso

TODAY = "2026-11-27"


class Api:
    """A thin httpx wrapper: ``api.post(path, body)`` returns the response."""

    def __init__(self, server: SandboxServer) -> None:
        self.server = server
        self.client = httpx.Client(base_url=server.base_url, headers=server.headers, timeout=10)

    @property
    def shop(self) -> Any:
        return self.server.shop

    def post(self, path: str, body: Any = None, **kwargs: Any) -> httpx.Response:
        return self.client.post(path, json={} if body is None else body, **kwargs)

    def ok(self, path: str, body: Any = None) -> Any:
        response = self.post(path, body)
        assert response.status_code == 200, (path, response.status_code, response.text)
        return response.json()

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.client.get(path, **kwargs)

    def close(self) -> None:
        self.client.close()


def make(**options: Any) -> SandboxServer:
    options.setdefault("today", TODAY)
    options.setdefault("stock_pair_interval_s", 0)
    return SandboxServer(**options)


def first_posting(shop: Shop, status: str) -> Any:
    return next(p for p in shop.orders.fbs if p.status == status and p.substatus != "ship_failed")


def valid_bodies(shop: Shop) -> dict[str, Any]:
    cat = shop.catalog
    active = next(i for i in range(cat.n) if not cat.archived(i) and cat.sku(i))
    pid, sku = cat.product_id(active), cat.sku(active)
    no_sku = next(i for i in range(cat.n) if cat.archived(i) and not cat.sku(i))
    promo = shop.promos.actions[71003]
    auto_date = iso(sorted(promo.auto_add)[0])
    member = cat.product_id(promo.participants()[0])
    voucher_member = cat.product_id(shop.promos.actions[71001].participants()[0])
    task = next(t for t in shop.promos.tasks.values() if t.status == "NEW")
    other_task = next(t for t in shop.promos.tasks.values() if t.status == "NEW" and t is not task)
    packing = first_posting(shop, "awaiting_packaging")
    question = shop.buyers.questions[0]
    chat = next(c for c in shop.buyers.chats if c.unread and send_refusal(shop, c) is None)
    recent = next(p for p in shop.orders.fbs if p.lines and start_refusal(shop, p) is None)
    packed, packed2 = [p for p in shop.orders.fbs if p.status == "awaiting_deliver"][:2]
    delivered = first_posting(shop, "delivered")
    since, to = "2026-08-30T00:00:00Z", "2026-11-27T23:59:59Z"
    warehouse = shop.warehouses[0].id
    rfbs = shop.rfbs_returns.all()[0].id
    asked = [r.id for r in shop.cancel_requests.all() if r.state == "ON_APPROVAL"]
    return {
        "/v1/seller/info": {},
        "/v1/roles": {},
        "/v2/warehouse/list": {"limit": 200},
        "/v1/actions": None,
        "/v2/actions/products": {"action_id": 71003, "limit": 100, "last_id": ""},
        "/v2/actions/candidates": {"action_id": 71004, "limit": 100, "last_id": ""},
        "/v1/actions/products/update": {
            "action_id": 71003,
            "products": [
                {"product_id": member, "action_price": {"amount": "10", "currency": "RUB"}}
            ],
        },
        "/v2/actions/products/deactivate": {
            "action_id": 71001,
            "product_ids": [str(voucher_member)],
        },
        "/v2/actions/auto-add/products/list": {
            "action_id": 71003,
            "auto_add_date": auto_date,
            "limit": 100,
            "offset": 0,
        },
        "/v2/actions/auto-add/products/candidates": {
            "action_id": 71003,
            "auto_add_date": auto_date,
            "limit": 100,
            "offset": 0,
        },
        "/v2/actions/auto-add/products/update": {
            "action_id": 71003,
            "auto_add_date": auto_date,
            "products": [{"id": member, "action_price": {"amount": "10", "currency": "RUB"}}],
        },
        "/v2/actions/auto-add/products/delete": {
            "action_id": 71003,
            "auto_add_date": auto_date,
            "product_ids": [
                str(cat.product_id(sorted(promo.auto_add[sorted(promo.auto_add)[0]])[0]))
            ],
        },
        "/v2/actions/discounts-task/list": {"status": "ALL", "limit": 50, "last_id": 0},
        "/v1/actions/discounts-task/approve": {
            "tasks": [
                {
                    "id": task.id,
                    "approved_price": 100.0,
                    "approved_quantity_min": 1,
                    "approved_quantity_max": 1,
                }
            ]
        },
        "/v1/actions/discounts-task/decline": {
            "tasks": [{"id": other_task.id, "seller_comment": "no"}]
        },
        "/v1/seller-actions/list": {"limit": 100, "offset": 0},
        "/v1/seller-actions/products/list": {"action_id": 5001, "limit": 100},
        "/v1/seller-actions/change-activity": {"action_id": 5001, "is_turn_on": False},
        **seller_action_bodies(),
        "/v3/product/list": {"filter": {"visibility": "ALL"}, "last_id": "", "limit": 100},
        "/v3/product/info/list": {"product_id": [str(pid)]},
        "/v1/product/archive": {"product_id": [pid]},
        "/v1/product/unarchive": {"product_id": [pid]},
        "/v2/products/delete": {"products": [{"offer_id": cat.offer_id(no_sku)}]},
        "/v4/product/info/stocks": {"filter": {"visibility": "ALL"}, "limit": 100},
        "/v2/product/info/stocks-by-warehouse/fbs": {"limit": 100, "sku": [str(sku)]},
        "/v2/products/stocks": {
            "stocks": [{"product_id": pid, "warehouse_id": warehouse, "stock": 5}]
        },
        "/v5/product/info/prices": {"filter": {"visibility": "ALL"}, "limit": 100},
        "/v1/product/import/prices": {"prices": [{"product_id": pid, "price": "999"}]},
        "/v4/posting/fbs/list": {"filter": {"since": since, "to": to}, "limit": 100},
        "/v4/posting/fbs/unfulfilled/list": {
            "filter": {"cutoff_from": since, "cutoff_to": "2026-12-31T00:00:00Z"},
            "limit": 100,
        },
        "/v3/posting/fbs/get": {"posting_number": delivered.number},
        "/v4/posting/fbs/ship": {
            "posting_number": packing.number,
            "packages": [
                {
                    "products": [
                        {"product_id": ln.sku, "quantity": ln.quantity} for ln in packing.lines
                    ]
                }
            ],
        },
        "/v2/posting/fbs/cancel-reason/list": {},
        "/v1/posting/fbs/cancel-reason": {"related_posting_numbers": [packed.number]},
        "/v2/posting/fbs/cancel": {"posting_number": packed.number, "cancel_reason_id": 352},
        "/v2/posting/fbs/product/cancel": {
            "posting_number": packed2.number,
            "cancel_reason_id": 352,
            "cancel_reason_message": "out of stock",
            "items": [{"sku": ln.sku, "quantity": 1} for ln in packed2.lines[:1]],
        },
        "/v3/posting/fbs/package-label/create": {"posting_numbers": [packed.number]},
        "/v2/posting/fbs/package-label/get": {"task_id": 91_000_001},
        "/v2/posting/fbs/act/create": {"delivery_method_id": 1_020_000_000_000},
        "/v2/posting/fbs/act/check-status": {"id": 40_000_001},
        "/v2/posting/fbs/act/list": {
            "filter": {"date_from": "2026-11-01", "date_to": "2026-11-30"},
            "limit": 50,
        },
        "/v2/posting/fbs/act/get-postings": {"id": 40_000_001},
        "/v2/posting/fbs/act/get-pdf": {"id": 40_000_001},
        "/v2/fbs/posting/tracking-number/set": {
            "tracking_numbers": [{"posting_number": packed.number, "tracking_number": "TRK1"}]
        },
        **{
            f"/v2/fbs/posting/{step}": {"posting_number": [packed.number]}
            for step in ("delivering", "last-mile", "delivered")
        },
        "/v1/return/giveout/list": {"limit": 50},
        "/v1/return/giveout/info": {"giveout_id": shop.giveouts.all()[0].id},
        **{
            f"/v1/return/giveout/{name}": {}
            for name in ("is-enabled", "barcode", "get-pdf", "get-png")
        },
        "/v3/posting/fbo/list": {"filter": {"since": since, "to": to}, "limit": 100},
        "/v1/returns/list": {"limit": 500, "last_id": 0},
        "/v1/rating/summary": {},
        "/v2/posting/fbo/get": {"posting_number": shop.orders.fbo[0].number},
        "/v1/rating/index/fbs/posting/list": {
            "filter": {"date_from": since, "date_to": to},
            "limit": 1000,
        },
        "/v1/rating/index/fbs/info": {},
        "/v1/rating/history": {
            "date_from": since,
            "date_to": to,
            "ratings": ["rating_on_time"],
        },
        "/v2/returns/rfbs/list": {"limit": 100},
        "/v2/returns/rfbs/get": {"return_id": rfbs},
        "/v1/returns/rfbs/action/set": {"return_id": rfbs, "id": 1020, "compensation_amount": 1},
        "/v2/conditional-cancellation/list": {"limit": 500, "filters": {"state": "ALL"}},
        "/v2/conditional-cancellation/approve": {"cancellation_id": asked[0], "comment": "ok"},
        "/v2/conditional-cancellation/reject": {"cancellation_id": asked[1], "comment": "no"},
        "/v1/finance/accrual/by-day": {"date": "2026-11-20", "last_id": ""},
        "/v1/finance/accrual/postings": {"posting_numbers": [delivered.number]},
        "/v1/finance/accrual/types": {},
        "/v2/finance/realization": {"month": 9, "year": 2026},
        "/v1/finance/cash-flow-statement/list": {
            "date": {"from": "2026-11-01T00:00:00Z", "to": "2026-11-15T23:59:59Z"},
            "page": 1,
            "page_size": 100,
        },
        "/v1/finance/balance": {"date_from": "2026-11-01", "date_to": "2026-11-20"},
        "/v1/analytics/data": {
            "date_from": "2026-11-01",
            "date_to": "2026-11-26",
            "metrics": ["ordered_units", "revenue", "hits_view", "conv_tocart"],
            "dimension": ["sku", "day"],
            "filters": [],
            "sort": [{"key": "revenue", "order": "DESC"}],
            "limit": 1000,
            "offset": 0,
        },
        "/v1/analytics/turnover/stocks": {"limit": 1000, "offset": 0},
        "/v2/review/list": {"limit": 20, "filters": {"status": "ALL"}, "sort_dir": "DESC"},
        "/v2/review/info": {"review_id": shop.reviews.items[1].id},
        "/v2/review/count": {},
        "/v1/review/comment/list": {"review_id": shop.reviews.items[1].id, "limit": 20},
        "/v1/review/comment/create": {"review_id": shop.reviews.items[0].id, "text": "Спасибо"},
        "/v2/review/change-status": {"review_ids": [shop.reviews.items[0].id], "status": "VIEWED"},
        "/v1/question/list": {"limit": 20, "filter": {"status": "ALL"}, "sort_dir": "DESC"},
        "/v1/question/info": {"question_id": question.id},
        "/v1/question/count": {},
        "/v1/question/answer/list": {"question_id": question.id, "sku": question.sku},
        "/v1/question/answer/create": {
            "question_id": question.id,
            "sku": question.sku,
            "text": "Да, подойдёт",
        },
        "/v3/chat/list": {"limit": 30, "filter": {"chat_status": "All", "unread_only": False}},
        "/v3/chat/history": {"chat_id": chat.id, "direction": "Backward", "limit": 50},
        "/v1/chat/send/message": {"chat_id": chat.id, "text": "Здравствуйте"},
        "/v1/chat/send/file": {"chat_id": chat.id, "name": "a.png", "base64_content": "cG5n"},
        "/v2/chat/read": {"chat_id": chat.id},
        "/v1/chat/start": {"posting_number": recent.number},
    }


def seller_action_bodies() -> dict[str, Any]:
    """Valid bodies of the seller-promotion writes, on the generated shop's promotions
    (5001 discount, 5002 voucher, 5004 from an order amount, 5005 multi-level, 5006
    installment)."""
    dates = {"date_start": "2030-01-01T00:00:00Z", "date_end": "2030-02-01T00:00:00Z"}
    levels = [
        {"order_amount": 1000, "discount_value": 5},
        {"order_amount": 2000, "discount_value": 10},
    ]
    params = {
        "discount": {**dates, "title": "Скидка", "min_action_percent": 10},
        "discount-with-condition": {
            **dates,
            "title": "От суммы",
            "discount_type": "PERCENT",
            "discount_value": 5,
            "min_order_amount": 3000,
        },
        "multi-level-discount": {
            **dates,
            "title": "Уровни",
            "discount_type": "PERCENT",
            "discount_levels": levels,
        },
        "voucher": {
            **dates,
            "title": "Промокод",
            "budget": 10000,
            "discount_type": "PERCENT",
            "discount_value": 10,
            "voucher_parameters": {"count_codes": 1, "is_private": False, "type": "MULTIPLE"},
        },
        "installment": {"date_start": dates["date_start"], "title": "Рассрочка"},
    }
    ids = {
        "discount": 5001,
        "discount-with-condition": 5004,
        "multi-level-discount": 5005,
        "voucher": 5002,
        "installment": 5006,
    }
    drop = {"discount": ("min_action_percent",), "voucher": ("voucher_parameters",)}
    drop["discount-with-condition"] = drop["multi-level-discount"] = ("discount_type",)
    bodies: dict[str, Any] = {}
    for kind, body in params.items():
        bodies[f"/v1/seller-actions/create/{kind}"] = body
        kept = {k: v for k, v in body.items() if k not in drop.get(kind, ())}
        bodies[f"/v1/seller-actions/update/{kind}"] = {
            "action_id": ids[kind],
            "action_parameters": kept,
        }
    return {
        **bodies,
        "/v1/seller-actions/products/candidates": {"action_id": 5001, "limit": 100},
        "/v1/seller-actions/products/add": {
            "action_id": 5001,
            "products": [{"sku": 0, "discount_percent": 10}],
        },
        "/v1/seller-actions/products/delete": {"action_id": 5001, "skus": ["0"]},
        "/v1/seller-actions/archive": {"action_id": 5003},
        "/v1/seller-actions/voucher/get": {"action_id": 5002},
    }
