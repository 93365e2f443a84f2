"""A small stateful fake of Ozon's promo methods for the promo unit tests.

``FakePromos`` answers over respx (so the in-process ``cli`` fixture and a real
``OzonClient`` both reach it), keeps who is in which promotion, and records every
request. Tests steer it: ``refuse`` (ids deactivate will not remove), ``reject`` (ids
update rejects with a reason), ``boom`` (a path answers the given HTTP status).
"""

from __future__ import annotations

import base64
import json
import threading
from decimal import Decimal
from typing import Any

import httpx

BASE = "https://api-seller.ozon.ru"

VOUCHER, BOOST, SALE = 101, 102, 103
PIDS = [1000 + i for i in range(12)]


def money(value: Decimal | str | int) -> dict[str, str]:
    return {"amount": str(Decimal(value).quantize(Decimal("0.01"))), "currency": "RUB"}


def card(pid: int) -> dict[str, Any]:
    """Product ``pid``: price 1000 + 100·k, min price 900 for even k, 5 units on hand."""
    k = pid - 1000
    return {
        "id": pid,
        "offer_id": f"OF-{k}",
        "sku": 5000 + k,
        "name": f"Product {k}",
        "price": f"{1000 + 100 * k}.00",
        "old_price": "0",
        "min_price": "900.00" if k % 2 == 0 else "",
        "stocks": {"has_stock": True, "stocks": [{"present": 7, "reserved": 2, "sku": 5000 + k}]},
    }


def prices_item(pid: int) -> dict[str, Any]:
    """Product ``pid`` in ``/v5/product/info/prices``: Ozon's fees in its shape (numbers),
    the cost kept at Ozon (``net_price`` 600) for odd k only."""
    k = pid - 1000
    return {
        "product_id": pid,
        "offer_id": f"OF-{k}",
        "price": {
            "price": 1000 + 100 * k,
            "net_price": 600 if k % 2 else 0,
            "currency_code": "RUB",
        },
        "commissions": {
            "sales_percent_fbs": 12,
            "sales_percent_fbo": 15,
            "fbs_direct_flow_trans_min_amount": 50,
            "fbs_direct_flow_trans_max_amount": 70,
            "fbo_direct_flow_trans_min_amount": 50,
            "fbo_direct_flow_trans_max_amount": 70,
            "fbs_first_mile_min_amount": 0,
            "fbs_first_mile_max_amount": 25,
            "fbs_deliv_to_customer_amount": 55.5,
            "fbo_deliv_to_customer_amount": 55.5,
        },
        "acquiring": 15,
    }


def token(n: int) -> str:
    return base64.b64encode(json.dumps([n]).encode()).decode()


class FakePromos:
    def __init__(self) -> None:
        self.pids = list(PIDS)
        self.lock = threading.Lock()
        self.log: list[tuple[str, Any]] = []
        self.actions: list[dict[str, Any]] = [
            {
                "id": VOUCHER,
                "title": "Promo code",
                "action_type": "DISCOUNT",
                "date_start": "2026-11-01T00:00:00Z",
                "date_end": "2026-12-31T23:59:59Z",
                "freeze_date": "",
                "auto_add_dates": ["2026-11-30T21:00:00Z"],
                "potential_products_count": 12,
                "participating_products_count": 4,
                "is_participating": True,
                "is_voucher_action": True,
                "order_amount": 1500,
                "discount_type": "PERCENT",
                "discount_value": 10,
            },
            {
                "id": BOOST,
                "title": "Эластичный бустинг",
                "action_type": "ELASTIC_BOOSTING",
                "date_start": "2026-11-01T00:00:00Z",
                "date_end": "2026-12-31T23:59:59Z",
                "freeze_date": "2026-11-20T00:00:00Z",
                "auto_add_dates": [],
                "participating_products_count": 3,
                "is_participating": True,
                "is_voucher_action": False,
                "discount_type": "PERCENT",
                "discount_value": 12,
            },
            {
                "id": SALE,
                "title": "Big sale",
                "action_type": "DISCOUNT",
                "date_start": "2026-11-01T00:00:00Z",
                "date_end": "2026-12-31T23:59:59Z",
                "freeze_date": "",
                "auto_add_dates": [],
                "is_participating": False,
                "discount_type": "PERCENT",
                "discount_value": 20,
            },
        ]
        # action id -> pid -> (action price, stock)
        self.members: dict[int, dict[int, tuple[Decimal, int]]] = {
            VOUCHER: {p: (self.limit(p) - 10, 3) for p in PIDS[:4]},
            BOOST: {p: (self.limit(p), 0) for p in PIDS[4:7]},
            SALE: {},
        }
        self.auto_add: dict[int, set[int]] = {VOUCHER: {PIDS[0], PIDS[9]}}
        self.refuse: set[int] = set()
        self.reject: dict[int, str] = {}
        self.boom: dict[str, int] = {}
        self.page = 3
        self.own: dict[int, float] = {PIDS[10]: 7.0}
        self.skip_add: set[int] = set()
        self.seller = {
            5001: {"title": "Own sale", "on": True, "status": "ACTIVE"},
            5003: {"title": "Old sale", "on": False, "status": "ENDED"},
        }
        self.tasks = {
            9001: {"status": "NEW", "price": 1000.0, "asked": 850.0, "qty": 3},
            9002: {"status": "APPROVED", "price": 500.0, "asked": 450.0, "qty": 1},
            9003: {"status": "NEW", "price": 700.0, "asked": 600.0, "qty": 2},
        }
        self.fail_task: set[int] = set()
        self.postings: list[dict[str, Any]] = []

    def grow(self, n: int, action_id: int) -> list[int]:
        """``n`` more products, all in ``action_id``; reads page 100 at a time."""
        new = [2000 + i for i in range(n)]
        self.pids += new
        self.members[action_id].update({p: (self.limit(p) - 1, 0) for p in new})
        self.page = 100
        return new

    @staticmethod
    def limit(pid: int) -> Decimal:
        return Decimal(1000 + 100 * (pid - 1000)) * Decimal("0.85")

    def calls(self, path: str) -> list[Any]:
        return [body for p, body in self.log if p == path]

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        body = json.loads(request.content) if request.content else None
        with self.lock:
            self.log.append((path, body))
            if path in self.boom:
                status = self.boom[path]
                return httpx.Response(status, json={"code": 13, "message": f"HTTP {status}"})
            answer = self.answer(path, body or {})
        if isinstance(answer, httpx.Response):
            return answer
        return httpx.Response(200, json=answer)

    def _own_products(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        """The products of the seller's promotion 5001 (``own``: pid → percent). Add and
        delete answer an empty body, as Ozon's do; ``skip_add`` are SKUs Ozon leaves out
        without a word."""
        if path.endswith("/add"):
            for item in body["products"]:
                pid = int(item["sku"]) - 5000 + 1000
                if pid not in self.skip_add:
                    self.own[pid] = float(item.get("discount_percent") or 7.0)
            return {}
        if path.endswith("/delete"):
            for sku in body["skus"]:
                self.own.pop(int(sku) - 5000 + 1000, None)
            return {}
        pool = (
            sorted(self.own)
            if path.endswith("/list")
            else [p for p in self.pids if p not in self.own]
        )
        start = int(body.get("cursor") or 0)
        chunk = pool[start : start + int(body["limit"])]
        rows = []
        for pid in chunk:
            k = pid - 1000
            pct = self.own.get(pid, 0.0)
            price = 1000 + 100 * k
            rows.append(
                {
                    "product_id": pid,
                    "offer_id": f"OF-{k}",
                    "name": f"Product {k}",
                    "sku": [str(5000 + k)],
                    "price": float(price),
                    "base_price": float(price),
                    "action_price": round(price * (100 - pct) / 100, 2),
                    "discount_percent": pct,
                    "is_active": pid in self.own,
                }
            )
        end = start + len(chunk)
        return {"products": rows, "cursor": end, "has_next": end < len(pool)}

    def _product(self, action_id: int, pid: int, member: bool) -> dict[str, Any]:
        price = Decimal(1000 + 100 * (pid - 1000))
        # Ozon may answer action price 0 for a candidate (not in the promotion yet): the
        # price it joins at is the seller's to set, at most max_action_price.
        ap, stock = self.members[action_id].get(pid, (Decimal(0), 0))
        item = {
            "id": pid,
            "price": money(price),
            "action_price": money(ap),
            "max_action_price": money(self.limit(pid)),
            "min_seller_price": money(0),
            "recommended_stock": 4 if action_id == VOUCHER else 0,
        }
        if member:
            item |= {"stock": stock, "add_mode": "SELLER"}
        return item

    def _page(self, items: list[Any], body: dict[str, Any]) -> tuple[list[Any], str]:
        start = json.loads(base64.b64decode(body["last_id"]))[0] if body.get("last_id") else 0
        size = min(int(body["limit"]), self.page)
        chunk = items[start : start + size]
        return chunk, token(start + size) if start + size < len(items) else ""

    def answer(self, path: str, body: dict[str, Any]) -> Any:
        if path == "/v1/actions":
            for a in self.actions:
                a["participating_products_count"] = len(self.members[a["id"]])
            return {"result": self.actions}
        if path in ("/v2/actions/products", "/v2/actions/candidates"):
            aid = int(body["action_id"])
            assert int(body["limit"]) <= 100
            member = path.endswith("products")
            pool = (
                sorted(self.members[aid])
                if member
                else [p for p in self.pids if p not in self.members[aid]]
            )
            chunk, last = self._page(pool, body)
            return {
                "products": [self._product(aid, p, member) for p in chunk],
                "total": len(pool),
                "last_id": last,
            }
        if path == "/v3/product/info/list":
            ids = [int(x) for x in body.get("product_id", [])]
            skus = [int(x) for x in body.get("sku", [])]
            offers = body.get("offer_id", [])
            assert len(ids) + len(skus) + len(offers) <= 1000
            known = set(self.pids)
            out = [card(p) for p in ids if p in known]
            out += [card(s - 4000) for s in skus if s - 4000 in known]
            by_offer = {f"OF-{p - 1000}": p for p in known}
            out += [card(by_offer[o]) for o in offers if o in by_offer]
            return {"items": out}
        if path == "/v5/product/info/prices":
            ids = [int(x) for x in body["filter"].get("product_id", [])]
            assert len(ids) <= 1000 and body["limit"] <= 1000
            known = set(self.pids)
            items = [prices_item(p) for p in ids if p in known]
            return {"items": items, "cursor": "", "total_items": len(items)}
        if path == "/v2/actions/products/deactivate":
            aid = int(body["action_id"])
            assert all(isinstance(x, str) for x in body["product_ids"])
            assert len(body["product_ids"]) <= 1000
            removed = []
            for raw in body["product_ids"]:
                pid = int(raw)
                if pid in self.members[aid] and pid not in self.refuse:
                    del self.members[aid][pid]
                    removed.append(str(pid))
            return {"product_ids": removed}
        if path == "/v1/actions/products/update":
            aid = int(body["action_id"])
            active, gone, rejected, warnings = [], [], [], []
            for item in body["products"]:
                pid = int(item["product_id"])
                price = Decimal(item["action_price"]["amount"])
                if pid in self.reject:
                    rejected.append({"product_id": pid, "reason": self.reject[pid]})
                elif price > self.limit(pid):
                    if aid == BOOST and self.members[aid].pop(pid, None) is not None:
                        gone.append(str(pid))
                        warnings.append({"product_id": pid, "reason": "above the limit"})
                    else:
                        rejected.append({"product_id": pid, "reason": "price above the limit"})
                else:
                    self.members[aid][pid] = (price, int(item.get("stock", 0)))
                    active.append(str(pid))
            return {
                "active_product_ids": active,
                "deactivated_product_ids": gone,
                "rejected": rejected,
                "warnings": warnings,
            }
        if path == "/v2/actions/auto-add/products/list":
            ids = sorted(self.auto_add.get(int(body["action_id"]), set()))
            chunk = ids[body.get("offset", 0) : body.get("offset", 0) + body["limit"]]
            return {
                "products": [{"product_id": p, "sku": 5000 + p - 1000} for p in chunk],
                "total": len(ids),
            }
        if path == "/v2/actions/auto-add/products/delete":
            pool = self.auto_add.get(int(body["action_id"]), set())
            removed = [x for x in body["product_ids"] if int(x) in pool]
            pool.difference_update(int(x) for x in removed)
            return {"product_ids": removed}
        if path == "/v1/seller-actions/list":
            ids = {int(x) for x in body.get("action_ids", [])}
            return {
                "actions": [
                    {
                        "action_id": k,
                        "is_turn_on": v["on"],
                        "sku_count": 2,
                        "action_parameters": {
                            "title": v["title"],
                            "type": "DISCOUNT",
                            "status": v["status"],
                            "discount_type": "PERCENT",
                            "discount_value": 7.0,
                        },
                    }
                    for k, v in self.seller.items()
                    if not ids or k in ids
                ][body.get("offset", 0) :],
                "total": len(self.seller),
            }
        if path.startswith("/v1/seller-actions/products/"):
            return self._own_products(path, body)
        if path == "/v1/seller-actions/change-activity":
            self.seller[int(body["action_id"])]["on"] = body["is_turn_on"]
            return {}
        if path == "/v2/actions/discounts-task/list":
            last = int(body.get("last_id") or 0)
            want = body.get("status", "ALL")
            rows = [
                {
                    "id": k,
                    "sku": 5000 + k % 10,
                    "name": f"Task {k}",
                    "status": v["status"],
                    "original_price": v["price"],
                    "requested_price": v["asked"],
                    "requested_quantity_max": v["qty"],
                    "created_at": "2026-11-26T10:00:00Z",
                }
                for k, v in sorted(self.tasks.items())
                if k > last and want in ("ALL", v["status"])
            ]
            return {"tasks": rows[: min(int(body["limit"]), 2)]}
        if path in ("/v1/actions/discounts-task/approve", "/v1/actions/discounts-task/decline"):
            fails = []
            for t in body["tasks"]:
                if t["id"] in self.fail_task:
                    fails.append({"task_id": t["id"], "error_for_user": "price too low"})
                else:
                    self.tasks[t["id"]]["status"] = (
                        "APPROVED" if path.endswith("approve") else "DECLINED"
                    )
            return {
                "result": {
                    "success_count": len(body["tasks"]) - len(fails),
                    "fail_count": len(fails),
                    "fail_details": fails,
                }
            }
        if path == "/v4/posting/fbs/list":
            since, to = body["filter"]["since"], body["filter"]["to"]
            chosen = [p for p in self.postings if since <= p["in_process_at"] <= to]
            start = int(body.get("cursor") or 0)
            end = start + int(body["limit"])
            return {
                "postings": chosen[start:end],
                "cursor": str(end),
                "has_next": end < len(chosen),
            }
        if path == "/v3/posting/fbo/list":  # this shop ships everything itself
            return {"postings": [], "cursor": "", "has_next": False}
        return httpx.Response(404, json={"code": 5, "message": f"no fake for {path}"})
