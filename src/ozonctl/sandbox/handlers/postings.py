"""Reading orders: FBS lists and one posting, FBO postings, returns."""

from __future__ import annotations

import json
from typing import Any

from .. import rfbs_delivery
from ..errors import bad_request
from ..fields import (
    int_list,
    obj,
    opt_int,
    opt_str,
    page_limit,
    req_str,
    start_of,
    str_list,
    token_page,
)
from ..ledger import RATIOS
from ..orders import CANCELLABLE, DAY, SHIP_FAILED, UNFULFILLED, Posting, Return
from ..shop import FBO_WAREHOUSE, Shop, Warehouse
from ..values import iso, kop_to_dec, money_num, money_obj, money_str, parse_moment, q2
from .base import Body, Ctx, route

PAGE = 100
CITIES = (
    ("Москва", "Москва"),
    ("Санкт-Петербург", "Санкт-Петербург"),
    ("Казань", "Татарстан"),
    ("Екатеринбург", "Свердловская область"),
    ("Новосибирск", "Новосибирская область"),
)


def _actions(shop: Shop, p: Posting) -> list[str]:
    return _fbs_actions(p) + rfbs_delivery.actions(shop, p)


def _fbs_actions(p: Posting) -> list[str]:
    if p.status == "awaiting_packaging":
        retry = ["ship_async_retry"] if p.substatus == SHIP_FAILED else []
        return ["cancel", "product_cancel", "ship", *retry]
    if p.status == "awaiting_deliver":
        return ["cancel", "label_download_big", "label_download_small", "set_track_number"]
    return ["cancel"] if p.status in CANCELLABLE else []


def _cancellation(p: Posting) -> Body:
    c = p.cancellation
    if c is None:
        return {
            "cancel_reason_id": 0,
            "cancel_reason": "",
            "cancellation_type": "",
            "cancellation_initiator": "",
            "cancelled_after_ship": False,
            "affect_cancellation_rating": False,
        }
    return {
        "cancel_reason_id": c.reason.id,
        "cancel_reason": c.reason.title,
        "cancellation_type": c.reason.type_id,
        "cancellation_initiator": {"seller": "Продавец", "buyer": "Покупатель"}.get(
            c.reason.type_id, "Ozon"
        ),
        "cancelled_after_ship": c.after_ship,
        "affect_cancellation_rating": c.reason.affects_rating,
    }


def _analytics(shop: Shop, p: Posting) -> Body:
    city, region = CITIES[p.order_id % len(CITIES)]
    fbo = p.scheme == "fbo"
    warehouse = FBO_WAREHOUSE if fbo else shop.warehouses[p.warehouse].name
    warehouse_id = 15_431_806_189_000 if fbo else shop.warehouses[p.warehouse].id
    begin, end = iso(p.delivering_date), iso(p.delivering_date + DAY)
    data: Body = {
        "city": city,
        "region": region,
        "delivery_type": "PVZ" if p.order_id % 3 else "Courier",
        "is_premium": False,
        "is_legal": False,
        "payment_type_group_name": "Карты оплаты",
        "warehouse_id": warehouse_id,
        "client_delivery_date_begin": begin,
        "client_delivery_date_end": end,
    }
    if fbo:
        data["warehouse_name"] = warehouse
    else:
        data.update(
            warehouse=warehouse,
            tpl_provider="Ozon Логистика",
            tpl_provider_id=24,
            delivery_date_begin=begin,
            delivery_date_end=end,
        )
    return data


def _finance_line(shop: Shop, p: Posting, k: int, flat: bool) -> Body:
    cat = shop.catalog
    line = p.lines[k]
    total = kop_to_dec(line.price) * line.quantity
    ratio = RATIOS[cat.category_index(line.index) % len(RATIOS)]
    commission = q2(total * ratio)
    row: Body = {
        "product_id": line.sku,
        "quantity": line.quantity,
        "price": money_num(line.price),
        "old_price": money_num(cat.old_price[line.index] or line.price),
        "payout": float(total - commission),
        "total_discount_value": 0.0,
        "total_discount_percent": 0.0,
        "actions": [],
    }
    if flat:
        row.update(
            commission_amount=float(commission),
            commission_percent=int(ratio * 100),
            customer_price=money_num(line.price),
            currency_code="RUB",
        )
    else:
        row["commission"] = {
            "amount": float(commission),
            "currency": "RUB",
            "percent": int(ratio * 100),
        }
        row["customer_price"] = money_obj(line.price)
    return row


def _delivery_method(k: int, warehouse: Warehouse) -> Body:
    """Ozon's logistics from an FBS warehouse; the seller's carrier from an rFBS one."""
    if warehouse.is_rfbs:
        name, provider, provider_id = f"Доставка продавцом, {warehouse.city}", "Продавец", 0
    else:
        name = f"Ozon Логистика самостоятельно, {warehouse.city}"
        provider, provider_id = "Ozon Логистика", 24
    return {
        "id": 1_020_000_000_000 + k,
        "name": name,
        "warehouse_id": warehouse.id,
        "warehouse": warehouse.name,
        "tpl_provider_id": provider_id,
        "tpl_provider": provider,
    }


def render_fbs(shop: Shop, p: Posting, extras: Body, full: bool = False) -> Body:
    """An FBS posting as the v4 lists return it, or as ``/v3/posting/fbs/get`` (``full``)."""
    cat = shop.catalog
    warehouse = shop.warehouses[p.warehouse]
    products = []
    for line in p.lines:
        product: Body = {
            "sku": line.sku,
            "offer_id": cat.offer_id(line.index),
            "name": cat.name(line.index),
            "quantity": line.quantity,
            "is_marketplace_buyout": False,
            "is_blr_traceable": False,
        }
        if full:  # /v3/posting/fbs/get documents has_imei, not imei
            product.update(price=money_str(line.price), currency_code="RUB", mandatory_mark=[])
        else:
            product.update(
                imei=[],
                price=money_obj(line.price),
                product_color="",
                weight=round(cat.weight_g(line.index) / 1000, 3),
            )
        products.append(product)
    posting: Body = {
        "posting_number": p.number,
        "order_id": p.order_id,
        "order_number": p.order_number,
        "parent_posting_number": p.parent,
        "status": p.status,
        "substatus": p.substatus,
        "delivery_method": _delivery_method(p.warehouse, warehouse),
        "tracking_number": p.tracking_number,
        # rFBS: the seller's own carrier ("доставка сторонней службой")
        "tpl_integration_type": "non_integrated" if warehouse.is_rfbs else "ozon",
        "delivery_schema": "FBS",
        "in_process_at": iso(p.in_process_at),
        "shipment_date": iso(p.shipment_date),
        "shipment_date_without_delay": iso(p.shipment_date),
        "delivering_date": iso(p.delivering_date),
        "cancellation": _cancellation(p),
        "products": products,
        "available_actions": _actions(shop, p),
        "is_express": False,
        "is_multibox": False,
        "multi_box_qty": 1,
        "requirements": {
            "products_requiring_gtd": [],
            "products_requiring_country": [],
            "products_requiring_mandatory_mark": [],
            "products_requiring_rnpt": [],
            "products_requiring_jw_uin": [],
        },
    }
    if warehouse.is_rfbs:  # the seller delivers: Ozon gives the buyer's details
        city, region = CITIES[p.order_id % len(CITIES)]
        posting.update(rfbs_delivery.buyer(p.order_id, city, region, full=full))
    if full:  # /v3/posting/fbs/get documents no delivery_schema
        del posting["delivery_schema"]
        posting.update(
            previous_substatus=p.previous_substatus,
            fact_delivery_date=iso(p.delivered_at),
            delivery_price="0.00",
            provider_status="",
            additional_data=[],
            related_postings={"related_posting_numbers": _related(shop, p)},
        )
    _add_extras(shop, p, posting, extras, flat=full)
    return posting


def _related(shop: Shop, p: Posting) -> list[str]:
    prefix = p.order_number + "-"
    return [n for n in shop.orders.by_number if n.startswith(prefix) and n != p.number]


def _add_extras(shop: Shop, p: Posting, posting: Body, extras: Body, flat: bool) -> None:
    if extras.get("analytics_data"):
        posting["analytics_data"] = _analytics(shop, p)
    if extras.get("financial_data"):
        posting["financial_data"] = {
            "cluster_from": "Москва, МО и Дальние регионы",
            "cluster_to": CITIES[p.order_id % len(CITIES)][0],
            "products": [_finance_line(shop, p, k, flat) for k in range(len(p.lines))],
        }
    if extras.get("barcodes"):
        posting["barcodes"] = {
            "upper_barcode": f"%{p.order_id}%",
            "lower_barcode": str(p.order_id * 10 + 1),
        }
    if extras.get("legal_info"):
        posting["legal_info"] = {"company_name": "", "inn": "", "kpp": ""}


# --- FBS lists ----------------------------------------------------------------------------------


def _moment(filt: Body, name: str, required: bool = False) -> float | None:
    raw = filt.get(name)
    if raw in (None, ""):
        if required:
            raise bad_request(f"filter.{name} is required")
        return None
    moment = parse_moment(raw)
    if moment is None:
        raise bad_request(f"filter.{name}: {raw!r} is not a date-time")
    return moment.timestamp()


def _filtered(shop: Shop, kind: str, body: Body, keep: Any) -> list[Posting]:
    """The postings of ``kind`` that ``keep`` accepts, cached per request filter."""
    key = (
        kind,
        json.dumps([body.get("filter"), body.get("sort_dir")], sort_keys=True, default=str),
    )
    source = shop.orders.fbo if kind == "fbo" else shop.orders.fbs

    def compute() -> list[Posting]:
        chosen = [p for p in source if keep(p)]
        if str(body.get("sort_dir", "ASC")).upper() == "DESC":
            chosen.reverse()
        return chosen

    return shop.cached(key, compute)


def _common(filt: Body) -> Any:
    statuses = set(str_list(filt, "statuses"))
    warehouses = set(int_list(filt, "warehouse_ids"))
    methods = set(int_list(filt, "delivery_method_ids"))
    changed = obj(filt, "last_changed_status_date")
    changed_from, changed_to = _moment(changed, "from"), _moment(changed, "to")
    order_id = opt_int(filt, "order_id")

    def keep(shop: Shop, p: Posting) -> bool:
        return (
            (not statuses or p.status in statuses)
            and (not warehouses or shop.warehouses[p.warehouse].id in warehouses)
            and (not methods or 1_020_000_000_000 + p.warehouse in methods)
            and (order_id is None or p.order_id == order_id)
            and (changed_from is None or (p.changed_at or 0) >= changed_from)
            and (changed_to is None or (p.changed_at or 0) <= changed_to)
        )

    return keep


def _page(ctx: Ctx, body: Body, chosen: list[Posting], render: Any) -> Body:
    limit = page_limit(body, PAGE, PAGE)
    cursor = opt_str(body, "cursor")
    page, next_cursor = token_page(chosen, cursor, limit, "cursor")
    extras = obj(body, "with")
    return {
        "postings": [render(ctx.shop, p, extras) for p in page],
        "cursor": next_cursor,
        "has_next": start_of(cursor, "cursor") + len(page) < len(chosen),
    }


@route("/v4/posting/fbs/list", required=("filter", "limit"))
def fbs_list(ctx: Ctx, body: Body) -> Body:
    filt = obj(body, "filter")
    since, to = _moment(filt, "since", True), _moment(filt, "to", True)
    assert since is not None and to is not None
    if to < since:
        raise bad_request("filter.to is before filter.since")
    if to - since > 366 * DAY:
        raise bad_request("PERIOD_IS_TOO_LONG: the period must not exceed one year")
    common = _common(filt)
    shop = ctx.shop
    chosen = _filtered(
        shop, "fbs", body, lambda p: since <= p.in_process_at <= to and common(shop, p)
    )
    return _page(ctx, body, chosen, render_fbs)


@route("/v4/posting/fbs/unfulfilled/list", required=("limit",))
def fbs_unfulfilled(ctx: Ctx, body: Body) -> Body:
    filt = obj(body, "filter")
    cut_from, cut_to = _moment(filt, "cutoff_from"), _moment(filt, "cutoff_to")
    del_from, del_to = _moment(filt, "delivering_date_from"), _moment(filt, "delivering_date_to")
    if (cut_from is None or cut_to is None) and (del_from is None or del_to is None):
        raise bad_request(
            "set filter.cutoff_from and filter.cutoff_to, or filter.delivering_date_from and "
            "filter.delivering_date_to"
        )
    common = _common(filt)
    shop = ctx.shop
    statuses = set(str_list(filt, "statuses")) or set(UNFULFILLED)

    def keep(p: Posting) -> bool:
        if p.status not in statuses or not common(shop, p):
            return False
        if cut_from is not None and cut_to is not None:
            return cut_from <= p.shipment_date <= cut_to
        assert del_from is not None and del_to is not None
        return del_from <= p.delivering_date <= del_to

    chosen = _filtered(shop, "unfulfilled", body, keep)
    answer = _page(ctx, body, chosen, render_fbs)
    answer["count"] = len(chosen)
    return answer


@route("/v3/posting/fbs/get", required=("posting_number",))
def fbs_get(ctx: Ctx, body: Body) -> Body:
    p = ctx.shop.orders.fbs_posting(req_str(body, "posting_number"))
    return {"result": render_fbs(ctx.shop, p, obj(body, "with"), full=True)}


# --- FBO -----------------------------------------------------------------------------------------


def render_fbo(shop: Shop, p: Posting, extras: Body) -> Body:
    cat = shop.catalog
    c = p.cancellation
    posting: Body = {
        "posting_number": p.number,
        "order_id": p.order_id,
        "order_number": p.order_number,
        "status": p.status,
        "substatus": p.substatus,
        "created_at": iso(p.in_process_at),
        "in_process_at": iso(p.in_process_at),
        "cancel_reason_id": c.reason.id if c else 0,
        "cancellation": {
            "cancel_reason": c.reason.title if c else "",
            "cancellation_initiator": "Покупатель" if c else "",
            "cancellation_type": c.reason.type_id if c else "",
        },
        "products": [
            {
                "sku": line.sku,
                "name": cat.name(line.index),
                "offer_id": cat.offer_id(line.index),
                "quantity": line.quantity,
                "price": money_obj(line.price),
                "digital_codes": [],
                "is_marketplace_buyout": False,
            }
            for line in p.lines
        ],
        "additional_data": [],
    }
    _add_extras(shop, p, posting, extras, flat=False)
    for row in posting.get("financial_data", {}).get("products", []):
        row.pop("customer_price", None)
    return posting


@route("/v2/posting/fbo/get", required=("posting_number",))
def fbo_get(ctx: Ctx, body: Body) -> Body:
    number = req_str(body, "posting_number")
    p = ctx.shop.orders.get(number)
    if p.scheme != "fbo":
        raise bad_request(f"posting {number} is not an FBO posting")
    posting = render_fbo(ctx.shop, p, obj(body, "with"))
    posting.pop("cancellation", None)  # not in /v2/posting/fbo/get's answer
    for product in posting["products"]:  # a plain string here, Money in the list
        money = product["price"]
        product.update(price=money["amount"], currency_code=money["currency"])
    return {"result": posting}


@route("/v3/posting/fbo/list")
def fbo_list(ctx: Ctx, body: Body) -> Body:
    filt = obj(body, "filter")
    since, to = _moment(filt, "since"), _moment(filt, "to")
    if since is not None and to is not None and to - since > 366 * DAY:
        raise bad_request("PERIOD_IS_TOO_LONG: the period must not exceed one year")
    statuses = set(str_list(filt, "statuses"))
    numbers = set(str_list(filt, "posting_numbers"))
    orders = set(str_list(filt, "order_numbers"))

    def keep(p: Posting) -> bool:
        return (
            (since is None or p.in_process_at >= since)
            and (to is None or p.in_process_at <= to)
            and (not statuses or p.status in statuses)
            and (not numbers or p.number in numbers)
            and (not orders or p.order_number in orders)
        )

    return _page(ctx, body, _filtered(ctx.shop, "fbo", body, keep), render_fbo)


# --- returns -------------------------------------------------------------------------------------

RETURN_DATE_FILTERS = (
    "logistic_return_date",
    "storage_tariffication_start_date",
    "visual_status_change_moment",
)


def _visual(shop: Shop, r: Return) -> tuple[int, str, str]:
    if shop.now.timestamp() - r.returned_at < 3 * DAY:
        return 2, "В пути к продавцу", "MovingToSeller"
    return 3, "Возвращён продавцу", "ReturnedToSeller"


def render_return(shop: Shop, r: Return) -> Body:
    cat, p = shop.catalog, r.posting
    price = kop_to_dec(r.line.price)
    ratio = RATIOS[cat.category_index(r.line.index) % len(RATIOS)]
    commission = q2(price * ratio)
    status_id, display, sys_name = _visual(shop, r)
    target = shop.warehouses[p.warehouse] if p.scheme == "fbs" else shop.warehouses[0]
    money = {"currency_code": "RUB", "price": 0.0}
    return {
        "id": r.id,
        "company_id": 1_234_567,
        "return_reason_name": r.reason,
        "type": r.kind,
        "schema": p.scheme.upper(),
        "order_id": p.order_id,
        "order_number": p.order_number,
        "posting_number": p.number,
        "source_id": r.id + 700_000_000,
        "clearing_id": 0,
        "return_clearing_id": 0,
        "place": {"id": 21_000_000 + r.id % 1000, "name": "ПВЗ Ozon", "address": "Москва"},
        "target_place": {"id": target.id, "name": target.name, "address": target.city},
        "storage": {
            "sum": money,
            "utilization_sum": money,
            "tariffication_first_date": iso(r.returned_at + 7 * DAY),
            "tariffication_start_date": iso(r.returned_at + 7 * DAY),
            "arrived_moment": iso(r.returned_at),
            "utilization_forecast_date": iso(r.returned_at + 30 * DAY),
            "days": 0,
        },
        "product": {
            "sku": r.line.sku,
            "offer_id": cat.offer_id(r.line.index),
            "name": cat.name(r.line.index),
            "quantity": r.quantity,
            "price": {"currency_code": "RUB", "price": float(price)},
            "price_without_commission": {
                "currency_code": "RUB",
                "price": float(price - commission),
            },
            "commission_percent": float(ratio * 100),
            "commission": {"currency_code": "RUB", "price": float(commission)},
        },
        "logistic": {
            "return_date": iso(r.returned_at),
            "final_moment": iso(r.returned_at + 2 * DAY) if sys_name == "ReturnedToSeller" else "",
            "technical_return_moment": "",
            "cancelled_with_compensation_moment": "",
            "barcode": f"ii{r.id}",
        },
        "visual": {
            "status": {"id": status_id, "display_name": display, "sys_name": sys_name},
            "change_moment": iso(r.returned_at),
        },
        "additional_info": {"is_opened": r.id % 4 == 0, "is_super_econom": False},
        "exemplars": [{"id": r.id * 10 + 1}],
        "compensation_status": {
            "status": {"id": 0, "display_name": "", "sys_name": ""},
            "change_moment": "",
        },
    }


def _return_filter(shop: Shop, filt: Body) -> Any:
    dates = [name for name in RETURN_DATE_FILTERS if filt.get(name)]
    if len(dates) > 1:
        raise bad_request(f"only one of {', '.join(RETURN_DATE_FILTERS)} may be set")
    window = obj(filt, dates[0]) if dates else {}
    low, high = _moment(window, "time_from"), _moment(window, "time_to")
    shift = 7 * DAY if dates and dates[0] == "storage_tariffication_start_date" else 0.0
    numbers = set(str_list(filt, "posting_numbers"))
    if len(numbers) > 50:
        raise bad_request("filter.posting_numbers takes at most 50 numbers")
    order_id = opt_int(filt, "order_id")
    offer_id = opt_str(filt, "offer_id")
    scheme = opt_str(filt, "return_schema").upper()
    status = opt_str(filt, "visual_status_name")
    name = opt_str(filt, "product_name").lower()

    def keep(r: Return) -> bool:
        when = r.returned_at + shift
        return (
            (low is None or when >= low)
            and (high is None or when <= high)
            and (not numbers or r.posting.number in numbers)
            and (order_id is None or r.posting.order_id == order_id)
            and (not offer_id or shop.catalog.offer_id(r.line.index) == offer_id)
            and (not scheme or r.posting.scheme.upper() == scheme)
            and (not status or _visual(shop, r)[2] == status)
            and (not name or name in shop.catalog.name(r.line.index).lower())
        )

    return keep


@route("/v1/returns/list", required=("limit",))
def returns_list(ctx: Ctx, body: Body) -> Body:
    shop = ctx.shop
    limit = page_limit(body, 500, 500)
    last_id = opt_int(body, "last_id", 0) or 0
    keep = _return_filter(shop, obj(body, "filter"))
    chosen = [r for r in shop.orders.returns if r.id > last_id and keep(r)]
    return {
        "returns": [render_return(shop, r) for r in chosen[:limit]],
        "has_next": len(chosen) > limit,
    }
