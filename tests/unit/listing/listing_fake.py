"""A small in-memory Seller API for the listing unit tests (served through respx)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

import httpx

BASE_URL = "http://127.0.0.1:9"
TODAY = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)


@dataclass
class Product:
    product_id: int
    offer_id: str
    sku: int
    name: str
    created: dt.datetime
    archived: bool = False
    autoarchived: bool = False
    price: str = "1000"
    old_price: str = "0"
    min_price: str = "0"
    stock: dict[int, int] = field(default_factory=dict)
    """Units present per warehouse, reserved ones included (as Ozon counts ``present``)."""
    reserved: dict[int, int] = field(default_factory=dict)
    """Units per warehouse reserved for postings not shipped yet."""
    fbo_stock: int = 0
    """Units in Ozon's own warehouses (the ``fbo`` stock type)."""
    promotions: int = 0
    """Promotions the product is in (Ozon takes an archived product out of them)."""


@dataclass
class FakeOzon:
    products: dict[int, Product] = field(default_factory=dict)
    warehouses: list[int] = field(default_factory=lambda: [101])
    postings: list[dict[str, Any]] = field(default_factory=list)
    fbo_postings: list[dict[str, Any]] = field(default_factory=list)
    """Sold from Ozon's warehouses: ``/v3/posting/fbo/list`` (no status-change filter)."""
    log: list[tuple[str, Any]] = field(default_factory=list)
    fail_archive: set[int] = field(default_factory=set)
    """Products Ozon silently keeps unarchived (``result`` stays true)."""
    unarchive_error: str | None = None
    unarchive_quota: int = 100
    """Ozon restores at most 100 auto-archived products a day: a batch past the quota is
    applied up to it and answered with an error."""
    stock_errors: dict[int, str] = field(default_factory=dict)
    price_errors: dict[int, str] = field(default_factory=dict)
    hook: Any = None
    archive_then_500: bool = False
    write_status: int | None = None
    """Answer archive and unarchive with this status, applying nothing."""
    """Apply an archive, then answer 500 (a write whose outcome the client cannot know)."""
    """Called with each request's path before it is answered."""

    @classmethod
    def with_products(cls, n: int, **kw: Any) -> FakeOzon:
        fake = cls(**kw)
        for i in range(n):
            pid = 1000 + i
            fake.products[pid] = Product(
                pid,
                f"OF-{i:05d}",
                500000 + i,
                f"Product {i}",
                TODAY - dt.timedelta(days=100 + i % 50),
                stock={101: i % 7},
            )
        return fake

    # -- helpers --------------------------------------------------------------------
    def calls(self, path: str) -> list[Any]:
        return [body for p, body in self.log if p == path]

    def by(self, key: str, values: list[Any]) -> list[Product]:
        vals = {str(v) for v in values}
        return [p for p in self.products.values() if str(getattr(p, key)) in vals]

    def handle(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content or b"{}")
        path = request.url.path
        self.log.append((path, body))
        if self.hook is not None:
            self.hook(path)
        handler = ROUTES.get(path)
        if handler is None:
            return httpx.Response(404, json={"code": 5, "message": "not found"})
        result = handler(self, body)
        if isinstance(result, httpx.Response):
            return result
        return httpx.Response(200, json=result)


def _list(f: FakeOzon, body: dict[str, Any]) -> Any:
    """Ozon: an id filter returns the products "независимо от видимости" (whatever the
    visibility); without one, ``ALL`` is everything but archived products."""
    flt = body.get("filter", {})
    vis = flt.get("visibility", "ALL")
    items = sorted(f.products.values(), key=lambda p: p.product_id)
    if flt.get("offer_id"):
        items = [p for p in items if p.offer_id in flt["offer_id"]]
    elif flt.get("product_id"):
        items = [p for p in items if str(p.product_id) in {str(v) for v in flt["product_id"]}]
    else:
        items = [p for p in items if p.archived == (vis == "ARCHIVED")]
    start = int(body.get("last_id") or 0)
    limit = int(body.get("limit") or 1000)
    page = items[start : start + limit]
    last = str(start + limit) if start + limit < len(items) else ""
    return {
        "result": {
            "items": [
                {
                    "product_id": p.product_id,
                    "offer_id": p.offer_id,
                    "archived": p.archived,
                    "has_fbo_stocks": p.fbo_stock > 0,
                    "has_fbs_stocks": sum(p.stock.values()) > 0,
                    "is_discounted": False,
                    "quants": [],
                }
                for p in page
            ],
            "total_items": len(items),  # `total` is gone since 2026-11-23
            "last_id": last,
        }
    }


def _info(f: FakeOzon, body: dict[str, Any]) -> Any:
    ids = len(body.get("product_id", [])) + len(body.get("offer_id", [])) + len(body.get("sku", []))
    assert ids <= 1000, "more than 1000 ids"
    found = (
        f.by("product_id", body.get("product_id", []))
        + f.by("offer_id", body.get("offer_id", []))
        + f.by("sku", body.get("sku", []))
    )
    return {
        "items": [
            {
                "id": p.product_id,
                "offer_id": p.offer_id,
                "sku": p.sku,
                "name": p.name,
                "is_archived": p.archived,
                "is_autoarchived": p.autoarchived,
                "price": p.price,
                "old_price": p.old_price,
                "min_price": p.min_price,
                "currency_code": "RUB",
                "created_at": p.created.isoformat().replace("+00:00", "Z"),
                "statuses": {"status": "price_sent", "status_name": "Продается"},
                "stocks": {
                    "has_stock": True,
                    "stocks": [
                        {
                            "present": sum(p.stock.values()),
                            "reserved": sum(p.reserved.values()),
                            "sku": p.sku,
                            "source": "fbs",
                        }
                    ],
                },
            }
            for p in found
        ]
    }


def _archive(f: FakeOzon, body: dict[str, Any], archive: bool) -> Any:
    ids = body["product_id"]
    assert len(ids) <= 100, "more than 100 ids"
    if f.write_status is not None:
        return httpx.Response(f.write_status, json={"code": 13, "message": "Internal error"})
    if not archive and f.unarchive_error:
        return httpx.Response(400, json={"code": 3, "message": f.unarchive_error, "details": []})
    refused = 0
    for pid in ids:
        p = f.products.get(int(pid))
        if p is None or (archive and p.product_id in f.fail_archive):
            continue
        if not archive and p.archived and p.autoarchived:
            if f.unarchive_quota <= 0:
                refused += 1
                continue
            f.unarchive_quota -= 1
        p.archived = archive
        if archive:
            p.promotions = 0  # Ozon takes an archived product out of its promotions
        else:
            p.autoarchived = False
    if refused:
        message = "autoarchive_restore_failed: restore limit exceeded"
        return httpx.Response(400, json={"code": 3, "message": message, "details": []})
    if archive and f.archive_then_500:
        return httpx.Response(500, json={"code": 13, "message": "Internal error"})
    return {"result": True}


def _delete(f: FakeOzon, body: dict[str, Any]) -> Any:
    status = []
    for item in body["products"]:
        hit = f.by("offer_id", [item["offer_id"]])
        if hit and hit[0].archived and not hit[0].sku:
            del f.products[hit[0].product_id]
            status.append({"offer_id": item["offer_id"], "is_deleted": True, "error": ""})
        else:
            status.append(
                {"offer_id": item["offer_id"], "is_deleted": False, "error": "product has sku"}
            )
    return {"status": status}


def _cursor_page(items: list[Any], body: dict[str, Any], key: str) -> Any:
    start = int(body.get("cursor") or 0)
    limit = int(body.get("limit") or 1000)
    page = items[start : start + limit]
    more = start + limit < len(items)
    return {
        key: page,
        "cursor": str(start + limit) if more else "",
        "has_next": more,
        # stocks and prices (v4/v5) count in total_items; `total` is gone since 2026-11-23
        **({"total_items": len(items)} if key == "items" else {}),
    }


def _stocks(f: FakeOzon, body: dict[str, Any]) -> Any:
    flt = body.get("filter", {})
    prods = [p for p in sorted(f.products.values(), key=lambda p: p.product_id) if not p.archived]
    if flt.get("product_id"):
        prods = [p for p in prods if str(p.product_id) in set(flt["product_id"])]
    if flt.get("offer_id"):
        prods = [p for p in prods if p.offer_id in set(flt["offer_id"])]
    items = [
        {
            "product_id": p.product_id,
            "offer_id": p.offer_id,
            "stocks": [
                {
                    "type": kind,
                    "sku": p.sku,
                    "present": units,
                    "reserved": sum(p.reserved.values()) if kind == "fbs" else 0,
                }
                for kind, units in (("fbs", sum(p.stock.values())), ("fbo", p.fbo_stock))
                if kind == "fbs" or units
            ],
        }
        for p in prods
    ]
    return _cursor_page(items, body, "items")


def _by_warehouse(f: FakeOzon, body: dict[str, Any]) -> Any:
    prods = sorted(f.products.values(), key=lambda p: p.product_id)
    if body.get("sku"):
        prods = [p for p in prods if str(p.sku) in set(body["sku"])]
    rows = [
        {
            "sku": p.sku,
            "offer_id": p.offer_id,
            "product_id": p.product_id,
            "warehouse_id": wh,
            "warehouse_name": f"WH {wh}",
            "present": n,
            "reserved": p.reserved.get(wh, 0),
            "free_stock": n - p.reserved.get(wh, 0),
        }
        for p in prods
        for wh, n in sorted(p.stock.items())
    ]
    return _cursor_page(rows, body, "products")


def _target(f: FakeOzon, item: dict[str, Any]) -> tuple[int, str]:
    """The product a stock or price item names, as Ozon picks it: by ``offer_id`` when
    given (it wins over ``product_id``), else by ``product_id``; its ids as echoed."""
    if item.get("offer_id"):
        hit = [p for p in f.products.values() if p.offer_id == item["offer_id"]]
        return (hit[0].product_id, hit[0].offer_id) if hit else (0, item["offer_id"])
    pid = int(item.get("product_id") or 0)
    p = f.products.get(pid)
    return pid, p.offer_id if p else ""


def _set_stocks(f: FakeOzon, body: dict[str, Any]) -> Any:
    assert len(body["stocks"]) <= 100, "more than 100 pairs"
    out = []
    for s in body["stocks"]:
        pid, offer_id = _target(f, s)
        err = f.stock_errors.get(pid) or (None if pid in f.products else "NOT_FOUND")
        if err is None:
            # Ozon's stock is the units not reserved: present = stock + reserved
            p, wh = f.products[pid], int(s["warehouse_id"])
            p.stock[wh] = int(s["stock"]) + p.reserved.get(wh, 0)
        out.append(
            {
                "product_id": pid,
                "warehouse_id": s["warehouse_id"],
                "offer_id": offer_id,
                "updated": err is None,
                "errors": [{"code": err, "message": err}] if err else [],
            }
        )
    return {"result": out}


def _prices(f: FakeOzon, body: dict[str, Any]) -> Any:
    flt = body.get("filter", {})
    prods = sorted(f.products.values(), key=lambda p: p.product_id)
    if flt.get("product_id"):
        prods = [p for p in prods if str(p.product_id) in set(flt["product_id"])]
    if flt.get("offer_id"):
        prods = [p for p in prods if p.offer_id in set(flt["offer_id"])]
    items = [
        {
            "product_id": p.product_id,
            "offer_id": p.offer_id,
            "price": {
                "price": float(p.price),
                "old_price": float(p.old_price),
                "min_price": float(p.min_price),
                "currency_code": "RUB",
            },
            "marketing_actions": {
                "actions": [
                    {"date_from": "", "date_to": "", "title": f"Promo {k}", "value": 10}
                    for k in range(p.promotions)
                ],
            },
        }
        for p in prods
    ]
    return _cursor_page(items, body, "items")


def _set_prices(f: FakeOzon, body: dict[str, Any]) -> Any:
    assert len(body["prices"]) <= 1000
    out = []
    for item in body["prices"]:
        pid, offer_id = _target(f, item)
        err = f.price_errors.get(pid) or (None if pid in f.products else "NOT_FOUND")
        if err is None:
            p = f.products[pid]
            for key in ("price", "old_price", "min_price"):
                if key in item:
                    assert isinstance(item[key], str), "prices are sent as strings"
                    setattr(p, key, item[key])
        out.append(
            {
                "product_id": pid,
                "offer_id": offer_id,
                "updated": err is None,
                "errors": [{"code": err, "message": err}] if err else [],
            }
        )
    return {"result": out}


def _postings(f: FakeOzon, body: dict[str, Any]) -> Any:
    flt = body["filter"]
    since, to = flt["since"], flt["to"]
    items = [p for p in f.postings if since <= p["in_process_at"] <= to]
    changed = flt.get("last_changed_status_date")
    if changed:
        items = [p for p in items if changed["from"] <= p["changed_at"] <= changed["to"]]
    return _cursor_page(items, body, "postings")


def _fbo_postings(f: FakeOzon, body: dict[str, Any]) -> Any:
    flt = body.get("filter", {})
    assert "last_changed_status_date" not in flt, "the FBO list has no such filter"
    since, to = flt.get("since", ""), flt.get("to", "9999")
    items = [p for p in f.fbo_postings if since <= p["in_process_at"] <= to]
    return _cursor_page(items, body, "postings")


def _warehouses(f: FakeOzon, body: dict[str, Any]) -> Any:
    return {
        "warehouses": [{"warehouse_id": w, "name": f"WH {w}"} for w in f.warehouses],
        "has_next": False,
    }


ROUTES: dict[str, Any] = {
    "/v3/product/list": _list,
    "/v3/product/info/list": _info,
    "/v1/product/archive": lambda f, b: _archive(f, b, True),
    "/v1/product/unarchive": lambda f, b: _archive(f, b, False),
    "/v2/products/delete": _delete,
    "/v4/product/info/stocks": _stocks,
    "/v2/product/info/stocks-by-warehouse/fbs": _by_warehouse,
    "/v2/products/stocks": _set_stocks,
    "/v5/product/info/prices": _prices,
    "/v1/product/import/prices": _set_prices,
    "/v4/posting/fbs/list": _postings,
    "/v3/posting/fbo/list": _fbo_postings,
    "/v2/warehouse/list": _warehouses,
}


def posting(
    number: str,
    day: dt.date,
    sku: int,
    qty: int = 1,
    price: str = "500",
    status: str = "delivered",
    changed: dt.datetime | None = None,
) -> dict[str, Any]:
    # 10:00 UTC of that day, but never in the future (a sale "today" before 10:00 UTC
    # would be after the `to` of the command's walk)
    at = min(dt.datetime.combine(day, dt.time(10), tzinfo=dt.UTC), dt.datetime.now(dt.UTC))
    return {
        "posting_number": number,
        "status": status,
        "in_process_at": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "changed_at": (changed or at).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "products": [
            {
                "sku": sku,
                "quantity": qty,
                "offer_id": "",
                "price": {"amount": price, "currency": "RUB"},
            }
        ],
    }
