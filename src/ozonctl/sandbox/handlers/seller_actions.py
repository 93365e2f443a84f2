"""The seller's own promotions (``/v1/seller-actions/*``): list, create and update each
mechanic, turn on or off, archive, their products and candidates, voucher codes. The
rules are in :mod:`ozonctl.sandbox.seller_actions`."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from ..errors import bad_request, not_found
from ..fields import (
    any_list,
    as_int,
    obj,
    obj_list,
    offset_page,
    opt_bool,
    opt_int,
    opt_str,
    page_limit,
    req_int,
    str_list,
)
from ..seller_actions import (
    AUTO_ADDED,
    CREATE_TYPES,
    INSTALLMENT_MONTHS,
    SellerAction,
    check_dates,
    check_levels,
    check_percent,
    check_users,
)
from ..values import iso, money_num, parse_moment
from .base import Body, Ctx, route

PAGE = 100
FIRST_ID = 5101


def _seller_action(ctx: Ctx, body: Body) -> SellerAction:
    action_id = req_int(body, "action_id")
    found = ctx.shop.promos.seller_actions.get(action_id)
    if found is None or found.archived:
        raise not_found(f"seller action {action_id} not found")
    return found


def _num(body: Body, name: str, *, required: bool = True) -> Decimal:
    raw = body.get(name)
    if raw is None:
        if required:
            raise bad_request(f"{name} is required")
        return Decimal(0)
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise bad_request(f"{name}: expected a number, got {raw!r}")
    return Decimal(str(raw))


def _moment(body: Body, name: str, *, required: bool = True) -> datetime | None:
    raw = body.get(name)
    moment = parse_moment(raw)
    if moment is None and (required or raw is not None):
        raise bad_request(f"{name}: expected a date-time such as 2026-12-01T00:00:00Z")
    return moment


def _title(body: Body) -> str:
    title = opt_str(body, "title").strip()
    if not 1 <= len(title) <= 256:
        raise bad_request("title: 1 to 256 characters")
    return title


def _levels(body: Body) -> list[tuple[Decimal, Decimal]]:
    return [
        (_num(level, "order_amount"), _num(level, "discount_value"))
        for level in obj_list(body, "discount_levels")
    ]


# --- list, on/off, archive -------------------------------------------------------------------


@route("/v1/seller-actions/list", required=("limit",))
def seller_actions(ctx: Ctx, body: Body) -> Body:
    limit = page_limit(body, PAGE, PAGE)
    ids = {as_int(x, "action_ids") for x in str_list(body, "action_ids")}
    kinds, statuses = set(str_list(body, "action_type")), set(str_list(body, "status"))
    search = opt_str(body, "search").lower()
    chosen = [
        a
        for a in ctx.shop.promos.seller_actions.values()
        if not a.archived
        and (not ids or a.id in ids)
        and (not kinds or a.action_type in kinds)
        and (not statuses or a.status in statuses)
        and search in a.title.lower()
    ]
    page = offset_page(chosen, opt_int(body, "offset", 0) or 0, limit)
    return {"actions": [_render(a) for a in page], "total": len(chosen)}


def _render(a: SellerAction) -> Body:
    params: Body = {
        "title": a.title,
        "type": a.action_type,
        "status": a.status,
        "date_start": iso(a.date_start),
        "discount_type": "INSTALLED_PERIOD" if a.action_type == "INSTALLMENT" else a.discount_type,
        "discount_value": float(
            INSTALLMENT_MONTHS
            if a.action_type == "INSTALLMENT"
            else a.discount_value or a.discount_pct
        ),
        "min_action_percent": float(a.min_action_percent),
        "min_order_amount": float(a.min_order_amount),
        "budget": float(a.budget),
        "budget_spent": float(a.budget_spent),
        "auto_stop_action_reason": "UNSPECIFIED",
        "is_legal_entities_segment": a.legal_entities,
        "discount_levels": [
            {"order_amount": float(amount), "discount_value": float(value)}
            for amount, value in a.levels
        ],
        "picked_segments": [],
        "addresses": [],
        "warehouses": [],
    }
    if a.date_end is not None:
        params["date_end"] = iso(a.date_end)
    if a.voucher is not None:
        count, private, kind = a.voucher
        params["voucher_parameters"] = {"count_codes": count, "is_private": private, "type": kind}
    return {
        "action_id": a.id,
        "action_parameters": params,
        "allow_delete": not (a.status == "ACTIVE" and a.is_turn_on),
        "highlight_url": "",
        "is_editable": a.editable,
        "is_participated": bool(a.products),
        "is_turn_on": a.is_turn_on,
        "sku_count": len(a.products),
    }


@route("/v1/seller-actions/change-activity", required=("action_id", "is_turn_on"))
def seller_action_activity(ctx: Ctx, body: Body) -> Body:
    action = _seller_action(ctx, body)
    turn_on = opt_bool(body, "is_turn_on")
    if action.status == "ENDED":
        raise bad_request("ACTION_IS_ENDED: an ended action cannot be turned on or off")
    action.is_turn_on = turn_on
    if action.status in ("ACTIVE", "PAUSED"):
        action.status = "ACTIVE" if turn_on else "PAUSED"
    return {}


@route("/v1/seller-actions/archive", required=("action_id",))
def seller_action_archive(ctx: Ctx, body: Body) -> Body:
    action = _seller_action(ctx, body)
    if action.status == "ACTIVE" and action.is_turn_on:
        raise bad_request(
            "ACTION_IS_ACTIVE: turn the action off (/v1/seller-actions/change-activity) "
            "before archiving it"
        )
    action.archived = True
    return {}


@route("/v1/seller-actions/voucher/get", required=("action_id",))
def seller_action_vouchers(ctx: Ctx, body: Body) -> Body:
    action = _seller_action(ctx, body)
    if action.action_type != "VOUCHER_DISCOUNT":
        raise bad_request(f"action {action.id} is not a voucher action")
    return {"file": f"{ctx.base_url}/__sandbox/files/vouchers-{action.id}.csv"}


# --- create and update -------------------------------------------------------------------------


def _create(ctx: Ctx, body: Body, kind: str) -> Body:
    shop = ctx.shop
    action_type = CREATE_TYPES[kind]
    start = _moment(body, "date_start")
    assert start is not None
    end = (
        start + timedelta(days=30 * INSTALLMENT_MONTHS)
        if action_type == "INSTALLMENT"
        else _moment(body, "date_end")
    )
    check_dates(start, end, shop.now)
    table = shop.promos.seller_actions
    action = SellerAction(
        max([FIRST_ID - 1, *table]) + 1,
        _title(body),
        action_type,
        "PLANNED" if start > shop.now else "ACTIVE",
        True,
        start,
        end,
        0,
    )
    _apply(action, body, creating=True)
    if action_type == AUTO_ADDED:
        cat = shop.catalog
        for i in range(min(cat.n, 5_000)):
            action.add(cat, i, None)
    table[action.id] = action
    return {"action_id": action.id}


def _apply(action: SellerAction, body: Body, *, creating: bool) -> None:
    """Check and set the mechanic's own fields of a create or update body."""
    kind = action.action_type
    if creating and kind in ("DISCOUNT_WITH_CONDITION", AUTO_ADDED, "VOUCHER_DISCOUNT"):
        action.discount_type = opt_str(body, "discount_type") or "PERCENT"
    if kind == "DISCOUNT" and creating:
        action.min_action_percent = _num(body, "min_action_percent")
        check_percent("PERCENT", action.min_action_percent, "min_action_percent")
        action.discount_pct = int(action.min_action_percent)
    if kind in ("DISCOUNT_WITH_CONDITION", "VOUCHER_DISCOUNT"):
        action.discount_value = _num(body, "discount_value")
        check_percent(action.discount_type, action.discount_value, "discount_value")
        action.discount_pct = int(action.discount_value) if action.discount_type == "PERCENT" else 0
    if kind == "DISCOUNT_WITH_CONDITION":
        action.min_order_amount = _num(body, "min_order_amount")
        if action.min_order_amount <= 0:
            raise bad_request("min_order_amount must be greater than 0")
    if kind == "MULTI_LEVEL_DISCOUNT_ON_AMOUNT":
        action.levels = _levels(body)
        check_levels(action.discount_type, action.levels)
        action.legal_entities = opt_bool(body, "is_legal_entities_segment")
    if kind == "VOUCHER_DISCOUNT":
        _voucher(action, body, creating=creating)


def _voucher(action: SellerAction, body: Body, *, creating: bool) -> None:
    budget = req_int(body, "budget")
    if budget <= 0:
        raise bad_request("budget must be greater than 0")
    if not creating and budget != action.budget and action.is_turn_on:
        raise bad_request(
            "ACTION_IS_TURNED_ON: turn the action off (/v1/seller-actions/change-activity) "
            "before changing its budget"
        )
    action.budget = budget
    users = [str(as_int(u, "user_ids")) for u in any_list(body, "user_ids")]
    check_users(users)
    action.user_ids = users
    if creating:
        params = obj(body, "voucher_parameters")
        count = req_int(params, "count_codes")
        kind = opt_str(params, "type")
        if kind not in ("ONE", "MULTIPLE", "UNIQUE"):
            raise bad_request("voucher_parameters.type must be ONE, MULTIPLE or UNIQUE")
        if count <= 0:
            raise bad_request("voucher_parameters.count_codes must be greater than 0")
        if kind != "UNIQUE" and count != 1:
            raise bad_request(
                "voucher_parameters.count_codes must be 1 for a ONE or MULTIPLE code "
                "(one code for every buyer)"
            )
        action.voucher = (count, opt_bool(params, "is_private"), kind)


def _update(ctx: Ctx, body: Body, kind: str) -> Body:
    action = _seller_action(ctx, body)
    if action.action_type != CREATE_TYPES[kind]:
        raise bad_request(
            f"action {action.id} is {action.action_type}, not {CREATE_TYPES[kind]}: "
            "use the update method of its mechanic"
        )
    if not action.editable:
        raise bad_request(f"ACTION_IS_NOT_EDITABLE: action {action.id} has ended")
    params = obj(body, "action_parameters")
    start = _moment(params, "date_start")
    assert start is not None
    end = (
        start + timedelta(days=30 * INSTALLMENT_MONTHS)
        if action.action_type == "INSTALLMENT"
        else _moment(params, "date_end")
    )
    check_dates(start, end, ctx.shop.now)
    title = _title(params)
    _apply(action, params, creating=False)
    action.title, action.date_start, action.date_end = title, start, end
    if action.status in ("PLANNED", "ACTIVE"):
        action.status = "PLANNED" if start > ctx.shop.now else "ACTIVE"
    return {}


def _register(kind: str) -> None:
    def create(ctx: Ctx, body: Body) -> Body:
        return _create(ctx, body, kind)

    def update(ctx: Ctx, body: Body) -> Body:
        return _update(ctx, body, kind)

    route(f"/v1/seller-actions/create/{kind}")(create)
    route(f"/v1/seller-actions/update/{kind}", required=("action_id", "action_parameters"))(update)


for _kind in CREATE_TYPES:
    _register(_kind)


# --- products --------------------------------------------------------------------------------


def _product_page(ctx: Ctx, action: SellerAction, body: Body, indexes: list[int]) -> Body:
    cat = ctx.shop.catalog
    limit = page_limit(body, PAGE, PAGE)
    cursor = opt_int(body, "cursor", 0) or 0
    page = offset_page(indexes, cursor, limit)
    members = set(action.products)
    products = []
    for i in page:
        price = cat.price[i]
        pct = action.percent_of(i)
        action_price = int(price * (100 - pct) // 10_000 * 100)
        products.append(
            {
                "product_id": cat.product_id(i),
                "offer_id": cat.offer_id(i),
                "name": cat.name(i),
                "sku": [str(cat.sku(i))],
                "price": money_num(price),
                "base_price": money_num(cat.old_price[i] or price),
                "action_price": money_num(action_price),
                "discount_percent": float(pct),
                "min_seller_price": money_num(cat.min_price[i]),
                "currency": "RUB",
                "is_active": i in members and action.is_turn_on,
                "quant_size": 1,
                "quant_type": "UNSPECIFIED",
            }
        )
    end = cursor + len(page)
    return {"products": products, "cursor": end, "has_next": end < len(indexes)}


@route("/v1/seller-actions/products/list", required=("action_id", "limit"))
def seller_action_products(ctx: Ctx, body: Body) -> Body:
    action = _seller_action(ctx, body)
    return _product_page(ctx, action, body, action.products)


@route("/v1/seller-actions/products/candidates", required=("action_id", "limit"))
def seller_action_candidates(ctx: Ctx, body: Body) -> Body:
    action = _seller_action(ctx, body)
    cat = ctx.shop.catalog
    members = set(action.products)
    pool = (
        []
        if action.action_type == AUTO_ADDED or not action.editable
        else [i for i in range(min(cat.n, 20_000)) if i not in members and action.eligible(cat, i)]
    )
    return _product_page(ctx, action, body, pool)


def _writable(ctx: Ctx, body: Body) -> SellerAction:
    action = _seller_action(ctx, body)
    if not action.editable:
        raise bad_request(f"ACTION_IS_NOT_EDITABLE: action {action.id} has ended")
    return action


@route("/v1/seller-actions/products/add", required=("action_id", "products"))
def seller_action_add(ctx: Ctx, body: Body) -> Body:
    action = _writable(ctx, body)
    if action.action_type == AUTO_ADDED:
        raise bad_request(
            "products are added to a multi-level discount automatically; "
            "/v1/seller-actions/products/add is not for it"
        )
    cat = ctx.shop.catalog
    for item in obj_list(body, "products"):
        i = cat.by_sku(as_int(item.get("sku"), "products.sku"))
        raw: Any = item.get("discount_percent")
        percent = None if raw is None else _num(item, "discount_percent")
        if i is not None:
            action.add(cat, i, percent)
    return {}


@route("/v1/seller-actions/products/delete", required=("action_id", "skus"))
def seller_action_delete(ctx: Ctx, body: Body) -> Body:
    action = _writable(ctx, body)
    cat = ctx.shop.catalog
    for sku in str_list(body, "skus"):
        i = cat.by_sku(as_int(sku, "skus"))
        if i is not None:
            action.remove(i)
    return {}
