"""Ozon promotions (2026-10 API), seller promotions and buyers' discount requests."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TypeVar

from ..errors import bad_request, not_found
from ..fields import (
    as_int,
    obj_list,
    offset_page,
    opt_int,
    opt_str,
    page_limit,
    req_int,
    token_page,
)
from ..promotions import BOOST, VOUCHER, DiscountTask, Entry, Promotion
from ..shop import Shop
from ..values import dec_to_kop, iso, kop_to_dec, money_num, money_obj, parse_moment, parse_money
from .base import Body, Ctx, route

PAGE = 100
TASK_LIMITS = (5, 10, 15, 20, 30, 50)


T = TypeVar("T")


def _find(table: dict[int, T], body: Body, what: str) -> T:
    """The entry of ``table`` the body's ``action_id`` names, else Ozon's 404."""
    action_id = req_int(body, "action_id")
    found = table.get(action_id)
    if found is None:
        raise not_found(f"{what} {action_id} not found")
    return found


def _promo(ctx: Ctx, body: Body) -> Promotion:
    return _find(ctx.shop.promos.actions, body, "action")


@route("/v1/actions", method="GET")
def actions(ctx: Ctx, body: Body) -> Body:
    shop = ctx.shop
    result = []
    for a in shop.promos.actions.values():
        result.append(
            {
                "id": a.id,
                "title": a.title,
                "action_type": a.action_type,
                "description": f"{a.title}: скидка до {a.discount_pct} %",
                "date_start": iso(a.date_start),
                "date_end": iso(a.date_end),
                "auto_add_dates": [iso(d) for d in sorted(a.auto_add)],
                "freeze_date": iso(a.freeze_date),
                "potential_products_count": len(shop.promos.candidates(shop.catalog, a)),
                "participating_products_count": len(a.products),
                "is_participating": bool(a.products),
                "is_voucher_action": a.is_voucher,
                "banned_products_count": a.banned,
                "with_targeting": False,
                "order_amount": a.order_amount,
                "discount_type": "PERCENT",
                "discount_value": a.discount_pct,
            }
        )
    return {"result": result}


def _product(shop: Shop, promo: Promotion, i: int, entry: Entry | None) -> Body:
    cat = shop.catalog
    price, limit = cat.price[i], promo.max_price(cat, i)
    action_price = entry.price if entry else 0
    alert = limit * 95 // 100
    boost = promo.kind == BOOST
    item: Body = {
        "id": cat.product_id(i),
        "price": money_obj(price),
        "action_price": money_obj(action_price),
        "max_action_price": money_obj(limit),
        "alert_max_action_price": money_obj(alert),
        "alert_max_action_price_failed": action_price > alert,
        "marketplace_seller_price": money_obj(action_price or price),
        "min_seller_price": money_obj(cat.min_price[i]),
        "price_min_elastic": money_obj(limit * 90 // 100 if boost else 0),
        "price_max_elastic": money_obj(limit if boost else 0),
        "current_boost": 10.0 if boost and entry else 0.0,
        "min_boost": 5.0 if boost else 0.0,
        "max_boost": 30.0 if boost else 0.0,
        "min_stock": 0,
        "recommended_stock": 5 if promo.kind == VOUCHER else 0,
        "is_quarantined": False,
        "website_prices": {"price": money_obj(action_price or price), "prices_by_schema": {}},
    }
    if entry is not None:
        item["add_mode"] = entry.add_mode
        item["stock"] = entry.stock
    return item


@route("/v2/actions/products", required=("action_id", "limit"))
def action_products(ctx: Ctx, body: Body) -> Body:
    promo = _promo(ctx, body)
    limit = page_limit(body, PAGE, PAGE)
    members = promo.participants()
    page, last_id = token_page(members, opt_str(body, "last_id"), limit, "last_id")
    products = [_product(ctx.shop, promo, i, promo.products[i]) for i in page]
    return {"products": products, "total": len(members), "last_id": last_id}


@route("/v2/actions/candidates", required=("action_id", "limit"))
def action_candidates(ctx: Ctx, body: Body) -> Body:
    shop = ctx.shop
    promo = _promo(ctx, body)
    limit = page_limit(body, PAGE, PAGE)
    pool = shop.promos.candidates(shop.catalog, promo)
    page, last_id = token_page(pool, opt_str(body, "last_id"), limit, "last_id")
    products = [_product(shop, promo, i, None) for i in page]
    return {"products": products, "total": len(pool), "last_id": last_id}


@route("/v1/actions/products/update", required=("action_id", "products"))
def action_update(ctx: Ctx, body: Body) -> Body:
    """Join or re-price. Above ``max_action_price`` a product is rejected, except in a
    boosting promotion, where it leaves (``deactivated_product_ids`` plus a warning)."""
    cat = ctx.shop.catalog
    promo = _promo(ctx, body)
    active: list[str] = []
    gone: list[str] = []
    rejected: list[Body] = []
    warnings: list[Body] = []
    for item in obj_list(body, "products"):
        pid = as_int(item.get("product_id"), "product_id")
        i = cat.by_product_id(pid)
        price = parse_money(item.get("action_price"))
        reason = ""
        if i is None:
            reason = "product not found"
        elif i not in promo.products and not promo.eligible(cat, i):
            reason = "product cannot take part in this action"
        elif price is None or price <= 0:
            reason = "action_price must be a positive amount"
        if reason or i is None or price is None:
            rejected.append({"product_id": pid, "reason": reason})
            continue
        frozen = _frozen_change(promo, ctx.shop.now, i, dec_to_kop(price))
        if frozen:
            rejected.append({"product_id": pid, "reason": frozen})
            continue
        limit = promo.max_price(cat, i)
        if dec_to_kop(price) > limit:
            over = f"action price {price} is above max_action_price {kop_to_dec(limit)}"
            if promo.kind == BOOST and promo.leave(i):
                gone.append(str(pid))
                warnings.append({"product_id": pid, "reason": f"{over}; removed from the action"})
            else:
                rejected.append({"product_id": pid, "reason": over})
            continue
        stock = (opt_int(item, "stock", 0) or 0) if promo.kind == VOUCHER else 0
        previous = promo.products.get(i)
        mode = previous.add_mode if previous else "SELLER"
        promo.join(i, Entry(dec_to_kop(price), stock, mode))
        active.append(str(pid))
    return {
        "active_product_ids": active,
        "deactivated_product_ids": gone,
        "rejected": rejected,
        "warnings": warnings,
    }


def _frozen_change(promo: Promotion, now: datetime, i: int, price: int) -> str:
    """Why a frozen promotion refuses this update ("" when it takes it): after the
    freeze date no product joins or leaves and no action price goes up; a price may
    still go down (Ozon's ``freeze_date``)."""
    if not promo.frozen(now):
        return ""
    entry = promo.products.get(i)
    if entry is None:
        return "the action is frozen: products cannot be added after its freeze date"
    if price > entry.price:
        return "the action is frozen: action prices cannot be raised after its freeze date"
    return ""


@route("/v2/actions/products/deactivate", required=("action_id", "product_ids"))
def action_deactivate(ctx: Ctx, body: Body) -> Body:
    """Answers only the ids it removed; boosting promotions are left via update, and a
    frozen promotion keeps every product (its freeze date closes the list)."""
    cat = ctx.shop.catalog
    promo = _promo(ctx, body)
    removed = []
    frozen = promo.frozen(ctx.shop.now)
    for raw in body.get("product_ids") or []:
        i = cat.by_product_id(as_int(raw, "product_ids"))
        if i is not None and promo.kind != BOOST and not frozen and promo.leave(i):
            removed.append(str(cat.product_id(i)))
    return {"product_ids": removed}


def _auto_add_date(promo: Promotion, body: Body) -> datetime:
    moment = parse_moment(body.get("auto_add_date"))
    for when in promo.auto_add:
        if moment is not None and (when == moment or when.date() == moment.date()):
            return when
    raise bad_request(f"auto_add_date {body.get('auto_add_date')!r} is not one of the action's")


def _auto_add_item(shop: Shop, promo: Promotion, i: int, entry: Entry | None) -> Body:
    """A product of an auto-add list (``entry``) or a candidate for one (None)."""
    cat = shop.catalog
    price, limit = cat.price[i], promo.max_price(cat, i)
    return {
        "sku": cat.sku(i),
        "offer_id": cat.offer_id(i),
        "name": cat.name(i),
        "currency": "RUB",
        "price": money_obj(price),
        "base_price": money_obj(cat.old_price[i] or price),
        "action_price_to_auto_add": money_obj(entry.price if entry else limit),
        "marketplace_seller_price": money_obj(price),
        "max_discount_price": money_obj(limit),
        "min_seller_price": money_obj(cat.min_price[i]),
        "min_action_quantity": 1,
        "quantity_to_auto_add": entry.stock if entry and promo.is_voucher else 0,
        "has_expired_min_seller_price": False,
        "will_be_quarantined": False,
        "website_prices": {"price": money_obj(price)},
    }


@route("/v2/actions/auto-add/products/list", required=("action_id", "auto_add_date", "limit"))
def auto_add_list(ctx: Ctx, body: Body) -> Body:
    """The products Ozon adds on the date; those whose seller turned auto-adding off
    are not among them."""
    shop = ctx.shop
    promo = _promo(ctx, body)
    chosen = promo.auto_add[_auto_add_date(promo, body)]
    limit = page_limit(body, PAGE, PAGE)
    indexes = [i for i in sorted(chosen) if i not in shop.auto_add_off]
    page = offset_page(indexes, opt_int(body, "offset", 0) or 0, limit)
    products = [
        {
            "product_id": shop.catalog.product_id(i),
            **_auto_add_item(shop, promo, i, chosen[i]),
            "add_mode": chosen[i].add_mode == "SELLER",
        }
        for i in page
    ]
    return {"products": products, "total": len(indexes)}


@route(
    "/v2/actions/auto-add/products/candidates",
    required=("action_id", "auto_add_date", "limit"),
)
def auto_add_candidates(ctx: Ctx, body: Body) -> Body:
    """Products that may be put on the date's list: the promotion's candidates not on
    it already."""
    shop = ctx.shop
    promo = _promo(ctx, body)
    chosen = promo.auto_add[_auto_add_date(promo, body)]
    limit = page_limit(body, PAGE, PAGE)
    pool = [i for i in shop.promos.candidates(shop.catalog, promo) if i not in chosen]
    page = offset_page(pool, opt_int(body, "offset", 0) or 0, limit)
    products = [
        {
            "id": shop.catalog.product_id(i),
            **_auto_add_item(shop, promo, i, None),
            "is_manually_added": False,
        }
        for i in page
    ]
    return {"products": products, "total": len(pool)}


@route(
    "/v2/actions/auto-add/products/update",
    required=("action_id", "auto_add_date", "products"),
)
def auto_add_update(ctx: Ctx, body: Body) -> Body:
    """Put products on the date's list (or re-price them there): a price above the
    promotion's limit is ``failed_price`` (the limit) and not applied; one below the
    product's min price is applied and named in ``below_min_price``. ``stock`` counts
    only in promo-code promotions."""
    cat = ctx.shop.catalog
    promo = _promo(ctx, body)
    chosen = promo.auto_add[_auto_add_date(promo, body)]
    done: list[str] = []
    rejected: list[Body] = []
    failed: list[Body] = []
    below: list[Body] = []
    for item in obj_list(body, "products"):
        pid = as_int(item.get("id"), "id")
        i = cat.by_product_id(pid)
        price = parse_money(item.get("action_price"))
        if i is None or not promo.eligible(cat, i):
            rejected.append({"product_id": pid, "reason": "NOT_FOUND: product not found"})
            continue
        if price is None or price <= 0:
            reason = "INVALID_ACTION_PRICE: action_price must be a positive amount"
            rejected.append({"product_id": pid, "reason": reason})
            continue
        kop, limit = dec_to_kop(price), promo.max_price(cat, i)
        if kop > limit:
            failed.append({"key": pid, "value": float(kop_to_dec(limit))})
            continue
        if kop < cat.min_price[i]:
            below.append({"key": pid, "value": float(price)})
        stock = (opt_int(item, "stock", 0) or 0) if promo.is_voucher else 0
        chosen[i] = Entry(kop, stock, "SELLER")
        done.append(str(pid))
    return {
        "product_ids": done,
        "deactivated_ids": [],
        "rejected": rejected,
        "warnings": [],
        "below_min_price": below,
        "extremely_low_price": [],
        "failed_price": failed,
    }


@route(
    "/v2/actions/auto-add/products/delete", required=("action_id", "auto_add_date", "product_ids")
)
def auto_add_delete(ctx: Ctx, body: Body) -> Body:
    cat = ctx.shop.catalog
    promo = _promo(ctx, body)
    chosen = promo.auto_add[_auto_add_date(promo, body)]
    removed = []
    for raw in body.get("product_ids") or []:
        i = cat.by_product_id(as_int(raw, "product_ids"))
        if i is not None and chosen.pop(i, None) is not None:
            removed.append(str(cat.product_id(i)))
    return {"product_ids": removed}


# --- buyers' discount requests ---------------------------------------------------------------


def _task(shop: Shop, t: DiscountTask) -> Body:
    cat = shop.catalog
    price, asked = t.original_price, t.requested_price
    end = t.created_at + timedelta(days=3)
    return {
        "id": t.id,
        "sku": cat.sku(t.index),
        "name": cat.name(t.index),
        "status": t.status,
        "created_at": iso(t.created_at),
        "end_at": iso(end),
        "end_at_duration": max(0, int((end - shop.now).total_seconds())),
        "edited_till": iso(end),
        "edited_till_duration": max(0, int((end - shop.now).total_seconds())),
        "original_price": money_num(price),
        "requested_price": money_num(asked),
        "requested_discount": round(100 * (price - asked) / price, 2) if price else 0.0,
        "requested_quantity_max": t.requested_quantity,
        "approved_price": money_num(t.approved_price),
        "approved_discount": round(100 * (price - t.approved_price) / price, 2)
        if t.approved_price and price
        else 0.0,
        "approved_quantity_max": t.approved_quantity_max,
        "min_auto_price": money_num(cat.min_price[t.index]),
        "is_auto_moderated": False,
        "auto_moderated_info": {
            "min_price": 0.0,
            "max_price": 0.0,
            "min_percent": 0.0,
            "max_percent": 0.0,
        },
        "moderated_at": iso(t.moderated_at),
        "reduction_factor": 0.0,
        "email": "manager@sandbox.example" if t.moderated_at else "",
        "first_name": "Анна" if t.moderated_at else "",
        "last_name": "Смирнова" if t.moderated_at else "",
        "patronymic": "",
    }


@route("/v2/actions/discounts-task/list")
def discount_tasks(ctx: Ctx, body: Body) -> Body:
    shop = ctx.shop
    status = opt_str(body, "status", "ALL") or "ALL"
    limit = opt_int(body, "limit", 50) or 50
    if limit not in TASK_LIMITS:
        raise bad_request(f"limit must be one of {TASK_LIMITS}")
    last_id = opt_int(body, "last_id", 0) or 0
    wanted = {"ALL": None}.get(status, (status,))
    tasks = [
        t
        for _, t in sorted(shop.promos.tasks.items())
        if t.id > last_id and (wanted is None or t.status in wanted)
    ][:limit]
    return {"tasks": [_task(shop, t) for t in tasks]}


def _moderate(ctx: Ctx, body: Body, approve: bool) -> Body:
    shop = ctx.shop
    failures: list[Body] = []
    done = 0
    for item in obj_list(body, "tasks"):
        task_id = req_int(item, "id")
        task = shop.promos.tasks.get(task_id)
        error = ""
        price = parse_money(item.get("approved_price")) if approve else None
        low = opt_int(item, "approved_quantity_min", 1) or 0
        high = opt_int(item, "approved_quantity_max", 1) or 0
        if task is None:
            error = "task not found"
        elif task.status not in ("NEW", "SEEN"):
            error = f"task is already {task.status.lower()}"
        elif approve and (price is None or price <= 0):
            error = "approved_price must be positive"
        elif approve and low > high:
            error = "approved_quantity_min must not exceed approved_quantity_max"
        if error or task is None:
            failures.append({"task_id": task_id, "error_for_user": error})
            continue
        task.status = "APPROVED" if approve else "DECLINED"
        task.moderated_at = shop.now
        task.comment = opt_str(item, "seller_comment")
        if price is not None:
            task.approved_price = dec_to_kop(price)
            task.approved_quantity_min, task.approved_quantity_max = low, high
        done += 1
    return {
        "result": {"success_count": done, "fail_count": len(failures), "fail_details": failures}
    }


@route("/v1/actions/discounts-task/approve", required=("tasks",))
def approve_tasks(ctx: Ctx, body: Body) -> Body:
    return _moderate(ctx, body, approve=True)


@route("/v1/actions/discounts-task/decline", required=("tasks",))
def decline_tasks(ctx: Ctx, body: Body) -> Body:
    return _moderate(ctx, body, approve=False)
