"""Products and listings: list, info, archive, delete, stocks, prices."""

from __future__ import annotations

import time
from decimal import Decimal
from itertools import islice

from .. import fees
from ..catalog import (
    AUTOARCHIVED,
    DELETED,
    DISCOUNTED,
    NO_SKU,
    PID_BASE,
    PID_STEP,
    STOCK_LIMIT,
    Catalog,
)
from ..errors import bad_request
from ..fields import (
    as_int,
    obj,
    obj_list,
    opt_int,
    opt_str,
    page_limit,
    req_int,
    start_of,
    token_page,
)
from ..ledger import RATIOS
from ..shop import Shop
from ..values import encode_token, iso, kop_to_dec, money_num, money_str, parse_money, q2
from .base import JSON, Body, Ctx, RawResponse, route

MAX_IDS = 1000
PRICE_CHANGES_PER_HOUR = 10


# --- selecting products ---------------------------------------------------------------------


def _ids(cat: Catalog, filt: Body, groups: tuple[str, ...]) -> list[int] | None:
    """Product indexes named by the id lists of ``filt`` (None when it names none)."""
    named = False
    found: dict[int, None] = {}
    count = 0
    for group in groups:
        raw = filt.get(group)
        if not raw:
            continue
        if not isinstance(raw, list):
            raise bad_request(f"{group}: expected an array")
        named = True
        count += len(raw)
        if group == "product_id":
            _product_ids(cat, raw, found)
            continue
        for value in raw:
            i = _lookup(cat, group, value)
            if i is not None:
                found[i] = None
    if count > MAX_IDS:
        raise bad_request(f"too many ids: {count} > {MAX_IDS}")
    return list(found) if named else None


def _product_ids(cat: Catalog, raw: list[object], found: dict[int, None]) -> None:
    """``_lookup`` of every product id in ``raw`` (the hot path: 1,000 a detail call),
    inline."""
    flags, n = cat.flags, cat.n
    for value in raw:
        if type(value) is str and value.isascii() and value.isdigit():
            number = int(value)
        else:
            number = as_int(value, "product_id")
        i, rest = divmod(number - PID_BASE, PID_STEP)
        if not rest and 0 <= i < n and not flags[i] & DELETED:
            found[i] = None


def _lookup(cat: Catalog, group: str, value: object) -> int | None:
    if group == "offer_id":
        return cat.by_offer_id(value) if isinstance(value, str) else None
    number = as_int(value, group)
    return cat.by_product_id(number) if group == "product_id" else cat.by_sku(number)


def _select(
    ctx: Ctx,
    body: Body,
    limit: int,
    token_name: str,
    groups: tuple[str, ...],
    *,
    ids_any_visibility: bool = False,
) -> tuple[list[int], str, int]:
    """(page of product indexes, next token, total) for list/stocks/prices requests.
    ``ids_any_visibility``: an id filter returns the products whatever the visibility
    (Ozon's rule for ``/v3/product/list``)."""
    cat = ctx.shop.catalog
    filt = obj(body, "filter")
    visibility = opt_str(filt, "visibility", "ALL") or "ALL"
    token = opt_str(body, token_name)
    ids = _ids(cat, filt, groups)
    if ids is not None:
        if visibility != "ALL" and not ids_any_visibility:
            ids = [i for i in ids if cat.matches(i, visibility)]
        page, next_token = token_page(ids, token, limit, token_name)
        return page, next_token, len(ids)
    start = start_of(token, token_name)
    page = list(islice(cat.scan(visibility, start), limit))
    total = ctx.shop.cached(("count", visibility), lambda: sum(1 for _ in cat.scan(visibility)))
    return page, encode_token(page[-1] + 1) if page else "", total


# --- list and info ---------------------------------------------------------------------------


@route("/v3/product/list")
def product_list(ctx: Ctx, body: Body) -> RawResponse:
    """Ozon: "Вернутся все товары с указанными идентификаторами, независимо от видимости"
    -- an id filter returns archived products too, whatever ``visibility`` says."""
    limit = page_limit(body, MAX_IDS, 100)
    groups = ("offer_id", "product_id", "skus")
    page, last_id, total = _select(ctx, body, limit, "last_id", groups, ids_any_visibility=True)
    return RawResponse(200, JSON, ctx.shop.cards.product_list(page, total, last_id))


def list_item(cat: Catalog, i: int) -> Body:
    """One item of ``/v3/product/list`` as a dict: the reference ``Cards`` renders (no
    ``sku``: Ozon's list items have none, the card has it)."""
    return {
        "product_id": cat.product_id(i),
        "offer_id": cat.offer_id(i),
        "archived": cat.archived(i),
        "has_fbo_stocks": cat.fbo[i] > 0,
        "has_fbs_stocks": cat.fbs_present(i) > 0,
        "is_discounted": bool(cat.flags[i] & DISCOUNTED),
        "quants": [],
    }


@route("/v3/product/info/list")
def product_info(ctx: Ctx, body: Body) -> RawResponse:
    found = _ids(ctx.shop.catalog, body, ("product_id", "offer_id", "sku")) or []
    return RawResponse(200, JSON, ctx.shop.cards.info_list(found))


def ratio(cat: Catalog, i: int) -> Decimal:
    return RATIOS[cat.category_index(i) % len(RATIOS)]


def info_item(shop: Shop, i: int) -> Body:
    """One item of ``/v3/product/info/list`` as a dict: the reference ``Cards`` renders
    (``tests/sandbox/test_cards.py``)."""
    cat = shop.catalog
    sku, pid = cat.sku(i), cat.product_id(i)
    archived, has_stock = cat.archived(i), cat.has_stock(i)
    created, updated = cat.created_at(i, shop.now), cat.updated_at(i, shop.now)
    image = f"https://cdn1.ozone.ru/s3/multimedia-sandbox/{pid}.jpg"
    stocks = [
        {
            "present": cat.fbs_present(i),
            "reserved": cat.fbs_reserved(i),
            "sku": sku,
            "source": "fbs",
        },
        {"present": cat.fbo[i], "reserved": 0, "sku": sku, "source": "fbo"},
    ]
    status = "archived" if archived else "price_sent"
    percent = float(ratio(cat, i) * 100)
    return {
        "id": pid,
        "offer_id": cat.offer_id(i),
        "sku": sku,
        "name": cat.name(i),
        "barcodes": [cat.barcode(i)],
        "description_category_id": 17_028_900 + cat.category_index(i),
        "type_id": 94_700 + cat.category_index(i),
        "is_archived": archived,
        "is_autoarchived": archived and bool(cat.flags[i] & AUTOARCHIVED),
        "is_discounted": bool(cat.flags[i] & DISCOUNTED),
        "is_kgt": False,
        "is_super": False,
        "is_prepayment_allowed": True,
        "price": money_str(cat.price[i]),
        "old_price": money_str(cat.old_price[i]),
        "min_price": money_str(cat.min_price[i]),
        "currency_code": "RUB",
        "vat": cat.vat(i),
        "statuses": {
            "is_created": True,
            "moderate_status": "approved",
            "status": status,
            "status_name": "Архив" if archived else "Продается" if has_stock else "Готов к продаже",
            "status_description": "",
            "status_failed": "",
            "status_tooltip": "",
            "status_updated_at": iso(updated),
            "validation_status": "success",
        },
        "stocks": {"has_stock": has_stock, "stocks": stocks if sku else []},
        "visibility_details": {"has_price": True, "has_stock": has_stock},
        "errors": [],
        "images": [image],
        "primary_image": [image],
        "color_image": [],
        "created_at": iso(created),
        "updated_at": iso(updated),
        "volume_weight": round(cat.weight_g(i) / 1000, 2),
        "commissions": [
            {"sale_schema": scheme, "percent": percent, "value": money_num(value), **fees}
            for scheme, value, fees in _commissions(cat, i)
        ],
        "promotions": [],
        "price_indexes": _price_indexes(cat, i, v5=False),
        "model_info": {"count": 1, "model_id": pid + 90_000_000},
        "sources": [
            {
                "created_at": iso(created),
                "quant_code": "",
                "shipment_type": "SHIPMENT_TYPE_GENERAL",
                "sku": sku,
                "source": "sds",
            }
        ]
        if sku
        else [],
        "discounted_fbo_stocks": 0,
        "has_discounted_fbo_item": False,
    }


def _commissions(cat: Catalog, i: int) -> list[tuple[str, Decimal, dict[str, float]]]:
    value = q2(kop_to_dec(cat.price[i]) * ratio(cat, i))
    delivery = money_num(q2(Decimal(63) + Decimal(cat.weight_g(i)) * Decimal("0.02")))
    fees = {"delivery_amount": delivery, "return_amount": delivery}
    return [("FBO", value, fees), ("FBS", value, fees)]


def _price_indexes(cat: Catalog, i: int, v5: bool) -> Body:
    """Price indexes: strings and ``COLOR_INDEX_*`` in v3 info, numbers and bare colours
    (with ``min_price`` keys) in v5 prices."""
    minimal = cat.price[i] * 97 // 100
    colour = "GREEN" if i % 3 else "YELLOW"
    if v5:
        data: Body = {"min_price": money_num(minimal), "min_price_currency": "RUB"}
    else:
        data = {"minimal_price": money_str(minimal), "minimal_price_currency": "RUB"}
    data["price_index_value"] = 1.03
    return {
        "color_index": colour if v5 else f"COLOR_INDEX_{colour}",
        "external_index_data": data,
        "ozon_index_data": data,
        "self_marketplaces_index_data": data,
    }


# --- archive, unarchive, delete ----------------------------------------------------------------


def _known(ctx: Ctx, body: Body) -> list[int]:
    cat = ctx.shop.catalog
    ids = [as_int(x, "product_id") for x in body.get("product_id") or []]
    return [i for i in (cat.by_product_id(x) for x in ids) if i is not None]


@route("/v1/product/archive", required=("product_id",))
def archive(ctx: Ctx, body: Body) -> Body:
    shop = ctx.shop
    for i in _known(ctx, body):
        if not shop.catalog.archived(i):
            shop.catalog.set_archived(i, True, shop.now)
            for promo in shop.promos.actions.values():
                promo.leave(i)
    return {"result": True}


@route("/v1/product/unarchive", required=("product_id",))
def unarchive(ctx: Ctx, body: Body) -> Body:
    """Manually archived products come back unlimited; auto-archived ones while the day's
    quota (``Shop.unarchive_quota``, Ozon's 100 a day) lasts. A batch that runs past the
    quota is applied up to it and answered with Ozon's error for the whole batch, so only
    reading the products back tells which came back."""
    shop, cat = ctx.shop, ctx.shop.catalog
    refused = 0
    for i in _known(ctx, body):
        if not cat.archived(i):
            continue
        if cat.flags[i] & AUTOARCHIVED:
            if shop.unarchive_quota <= 0:
                refused += 1
                continue
            shop.unarchive_quota -= 1
        cat.set_archived(i, False, shop.now)
    if refused:
        raise bad_request(f"autoarchive_restore_failed: restore limit exceeded ({refused})")
    return {"result": True}


@route("/v2/products/delete", required=("products",))
def delete(ctx: Ctx, body: Body) -> Body:
    cat = ctx.shop.catalog
    status = []
    for item in obj_list(body, "products"):
        offer_id = opt_str(item, "offer_id")
        i = cat.by_offer_id(offer_id)
        error = ""
        if i is None:
            error = "product not found"
        elif not cat.archived(i):
            error = "product is not archived"
        elif not cat.flags[i] & NO_SKU:
            error = "product has an SKU and cannot be deleted"
        else:
            cat.flags[i] |= DELETED
            cat.touch(i, ctx.shop.now)
        status.append({"offer_id": offer_id, "is_deleted": not error, "error": error})
    return {"status": status}


# --- stocks ------------------------------------------------------------------------------------


@route("/v4/product/info/stocks", required=("filter", "limit"))
def stocks(ctx: Ctx, body: Body) -> Body:
    cat = ctx.shop.catalog
    warehouse_ids = [w.id for w in ctx.shop.warehouses]
    limit = page_limit(body, MAX_IDS, 100)
    page, cursor, total = _select(ctx, body, limit, "cursor", ("offer_id", "product_id"))
    items = []
    for i in page:
        sku = cat.sku(i)
        rows = [
            ("fbs", cat.fbs_present(i), cat.fbs_reserved(i), warehouse_ids),
            ("fbo", cat.fbo[i], 0, []),
        ]
        items.append(
            {
                "product_id": cat.product_id(i),
                "offer_id": cat.offer_id(i),
                "stocks": [
                    {
                        "type": kind,
                        "present": present,
                        "reserved": reserved,
                        "sku": sku,
                        "shipment_type": "SHIPMENT_TYPE_GENERAL",
                        "warehouse_ids": ids,
                    }
                    for kind, present, reserved, ids in rows
                ]
                if sku
                else [],
            }
        )
    return {"items": items, "total_items": total, "cursor": cursor}


@route("/v2/product/info/stocks-by-warehouse/fbs", required=("limit",))
def stocks_by_warehouse(ctx: Ctx, body: Body) -> Body:
    shop, cat = ctx.shop, ctx.shop.catalog
    limit = page_limit(body, MAX_IDS, MAX_IDS)
    found = _ids(cat, body, ("offer_id", "sku")) or []
    rows = [(i, k) for i in found if cat.sku(i) for k in range(len(shop.warehouses))]
    page, cursor = token_page(rows, opt_str(body, "cursor"), limit, "cursor")
    products = []
    for i, k in page:
        present, reserved = cat.present[k][i], cat.reserved[k][i]
        products.append(
            {
                "sku": cat.sku(i),
                "offer_id": cat.offer_id(i),
                "product_id": cat.product_id(i),
                "warehouse_id": shop.warehouses[k].id,
                "warehouse_name": shop.warehouses[k].name,
                "present": present,
                "reserved": reserved,
                "free_stock": max(0, present - reserved),
            }
        )
    start = start_of(opt_str(body, "cursor"), "cursor")
    return {"products": products, "cursor": cursor, "has_next": start + len(page) < len(rows)}


def _item_error(code: str, message: str) -> list[dict[str, str]]:
    return [{"code": code, "message": message}]


def _target(cat: Catalog, item: Body) -> tuple[int | None, Body]:
    """The product an update item names and the ids its result row echoes. As Ozon
    documents: when both ``offer_id`` and ``product_id`` are given, the change applies
    to the product with the ``offer_id``."""
    pid = opt_int(item, "product_id", 0) or 0
    offer_id = opt_str(item, "offer_id")
    i = cat.by_offer_id(offer_id) if offer_id else cat.by_product_id(pid) if pid else None
    if i is not None:
        pid, offer_id = cat.product_id(i), cat.offer_id(i)
    return i, {"product_id": pid, "offer_id": offer_id}


@route("/v2/products/stocks", required=("stocks",))
def set_stocks(ctx: Ctx, body: Body) -> Body:
    shop, cat = ctx.shop, ctx.shop.catalog
    now = time.monotonic()
    result = []
    for item in obj_list(body, "stocks"):
        i, ids = _target(cat, item)
        warehouse_id = opt_int(item, "warehouse_id", 0) or 0
        k = shop.warehouse_index(warehouse_id)
        stock = req_int(item, "stock")
        errors: list[dict[str, str]] = []
        if i is None:
            code = "product_is_not_created" if item.get("product_id") else "offer_id_not_found"
            errors = _item_error(code, "product not found")
        elif k is None:
            errors = _item_error("WAREHOUSE_NOT_FOUND", f"warehouse {warehouse_id} not found")
        elif cat.archived(i):
            errors = _item_error("PRODUCT_IS_ARCHIVED", "product is archived")
        elif stock < 0:
            errors = _item_error("INVALID_STOCK", "stock must not be negative")
        elif stock >= STOCK_LIMIT:
            errors = _item_error("STOCK_TOO_BIG", f"stock must be below {STOCK_LIMIT}")
        elif now - shop.stock_updates.get((i, k), -1e9) < shop.stock_pair_interval_s:
            errors = _item_error(
                "TOO_MANY_REQUESTS",
                "stock of this product and warehouse changed less than 30 s ago",
            )
        else:
            cat.present[k][i] = stock + cat.reserved[k][i]
            shop.stock_updates[(i, k)] = now
            cat.touch(i, shop.now)
        result.append(
            {**ids, "warehouse_id": warehouse_id, "updated": not errors, "errors": errors}
        )
    return {"result": result}


# --- prices ------------------------------------------------------------------------------------


@route("/v5/product/info/prices", required=("filter", "limit"))
def prices(ctx: Ctx, body: Body) -> Body:
    shop, cat = ctx.shop, ctx.shop.catalog
    limit = page_limit(body, MAX_IDS, 100)
    page, cursor, total = _select(ctx, body, limit, "cursor", ("offer_id", "product_id"))
    items = []
    for i in page:
        price = cat.price[i]
        actions = [
            {"date_from": iso(a.date_start), "date_to": iso(a.date_end), "value": a.discount_pct}
            for a in shop.promos.actions.values()
            if i in a.products
        ]
        best = min(
            (a.products[i].price for a in shop.promos.actions.values() if i in a.products),
            default=price,
        )
        items.append(
            {
                "product_id": cat.product_id(i),
                "offer_id": cat.offer_id(i),
                "price": {
                    "price": money_num(price),
                    "old_price": money_num(cat.old_price[i]),
                    "min_price": money_num(cat.min_price[i]),
                    "marketing_seller_price": money_num(best),
                    "retail_price": 0.0,
                    "net_price": fees.net_price(cat, i),
                    "vat": float(cat.vat(i)),
                    "currency_code": "RUB",
                    "auto_action_enabled": shop.auto_actions.get(i, True),
                    "auto_add_to_ozon_actions_list_enabled": i not in shop.auto_add_off,
                },
                "commissions": fees.commissions(cat, i),
                "marketing_actions": {
                    "actions": actions,
                    "current_period_from": iso(shop.now.replace(hour=0, minute=0)),
                    "current_period_to": iso(shop.now.replace(hour=23, minute=59)),
                    "ozon_actions_exist": bool(actions),
                },
                "price_indexes": _price_indexes(cat, i, v5=True),
                "acquiring": fees.acquiring(cat, i),
                "volume_weight": round(cat.weight_g(i) / 1000, 2),
            }
        )
    return {"items": items, "total_items": total, "cursor": cursor}


@route("/v1/product/import/prices", required=("prices",))
def set_prices(ctx: Ctx, body: Body) -> Body:
    shop, cat = ctx.shop, ctx.shop.catalog
    now = time.monotonic()
    result = []
    for item in obj_list(body, "prices"):
        i, ids = _target(cat, item)
        if i is None:
            errors = _item_error("PRODUCT_NOT_FOUND", "product not found")
        else:
            errors = _price_errors(shop, i, item, now)
        result.append({**ids, "updated": not errors, "errors": errors})
    return {"result": result}


def _price_errors(shop: Shop, i: int, item: Body, now: float) -> list[dict[str, str]]:
    """Check one price item and apply it when it passes; the per-item errors."""
    cat = shop.catalog
    values: dict[str, int] = {}
    for name, column in (
        ("price", cat.price),
        ("old_price", cat.old_price),
        ("min_price", cat.min_price),
    ):
        raw = item.get(name)
        if raw is None or raw == "":
            values[name] = column[i]
            continue
        parsed = parse_money(raw)
        if parsed is None:
            return _item_error("INVALID_PRICE", f"{name}: {raw!r} is not a price")
        values[name] = int(parsed * 100)
    price, old, low = values["price"], values["old_price"], values["min_price"]
    if price <= 0:
        return _item_error("price_negative", "price must be positive")
    if old and (old - price) * 100 >= old * 90:
        return _item_error("discount_too_big", "the discount from old_price is 90 % or more")
    if low > price:
        return _item_error("min_price_more_than_price", "min_price must not exceed price")
    recent = [t for t in shop.price_updates.get(i, []) if now - t < 3600]
    if len(recent) >= PRICE_CHANGES_PER_HOUR:
        return _item_error(
            "TOO_MANY_REQUESTS", f"error limiting: acquire limit per item {cat.product_id(i)}"
        )
    shop.price_updates[i] = [*recent, now]
    cat.price[i], cat.old_price[i], cat.min_price[i] = price, old, low
    auto = item.get("auto_action_enabled")
    if auto in ("ENABLED", "DISABLED"):
        shop.auto_actions[i] = auto == "ENABLED"
    auto_add = item.get("auto_add_to_ozon_actions_list_enabled")
    if auto_add == "DISABLED":
        shop.auto_add_off.add(i)
    elif auto_add == "ENABLED":
        shop.auto_add_off.discard(i)
    cat.touch(i, shop.now)
    return []
