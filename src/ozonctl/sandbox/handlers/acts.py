"""FBS acceptance acts and waybills: create, check-status, list, get-postings, get-pdf."""

from __future__ import annotations

from ..acts import Act, Acts
from ..fields import obj, opt_str, req_int, str_list
from ..pdf import pages_pdf
from ..values import iso, money_str
from .base import Body, Ctx, RawResponse, route
from .postings import _delivery_method


def _acts(ctx: Ctx) -> Acts:
    orders = ctx.shop.orders
    if orders.acts is None:
        orders.acts = Acts(ctx.shop)
    return orders.acts


@route("/v2/posting/fbs/act/create", required=("delivery_method_id",))
def act_create(ctx: Ctx, body: Body) -> Body:
    day = opt_str(body, "departure_date") or ctx.shop.today.isoformat()
    act = _acts(ctx).create(req_int(body, "delivery_method_id"), day)
    return {"result": {"id": act.id}}


@route("/v2/posting/fbs/act/check-status", required=("id",))
def act_check_status(ctx: Ctx, body: Body) -> Body:
    acts = _acts(ctx)
    act = acts.get(req_int(body, "id"))
    act.checks += 1
    later = [n for n in acts.waiting(act.warehouse) if n not in act.postings]
    return {
        "result": {
            "status": "ready" if act.ready else "in_process",
            "added_to_act": act.postings,
            "removed_from_act": act.removed,
            "act_type": "ozon_digital",
            "is_partial": False,
            "has_postings_for_next_carriage": bool(later),
            "partial_num": 0,
        }
    }


def _listed(ctx: Ctx, act: Act) -> Body:
    acts = _acts(ctx)
    method = _delivery_method(act.warehouse, ctx.shop.warehouses[act.warehouse])
    return {
        "id": act.id,
        "delivery_method_id": act.method_id,
        "delivery_method_name": method["name"],
        "integration_type": "ozon",
        "containers_count": 0,
        "status": "formed" if act.ready else "in_process",
        "departure_date": act.departure_date,
        "created_at": iso(act.created_at),
        "updated_at": iso(act.created_at),
        "act_type": "ozon_digital",
        "is_partial": False,
        "has_postings_for_next_carriage": any(
            n not in act.postings for n in acts.waiting(act.warehouse)
        ),
        "partial_num": 0,
    }


@route("/v2/posting/fbs/act/list", required=("filter", "limit"))
def act_list(ctx: Ctx, body: Body) -> Body:
    filt = obj(body, "filter")
    since, until = opt_str(filt, "date_from")[:10], opt_str(filt, "date_to")[:10]
    statuses = set(str_list(filt, "status"))
    limit = min(req_int(body, "limit"), 50)
    chosen = []
    for act in _acts(ctx).by_id.values():
        day = iso(act.created_at)[:10]
        row = _listed(ctx, act)
        if since <= day <= (until or day) and (not statuses or row["status"] in statuses):
            chosen.append(row)
    return {"result": chosen[:limit]}


@route("/v2/posting/fbs/act/get-postings", required=("id",))
def act_postings(ctx: Ctx, body: Body) -> Body:
    act = _acts(ctx).get(req_int(body, "id"))
    shop, cat = ctx.shop, ctx.shop.catalog
    out = []
    for number in act.postings:
        p = shop.orders.get(number)
        out.append(
            {
                "id": act.id,
                "posting_number": number,
                "status": p.status,
                "multi_box_qty": 1,
                "seller_error": "",
                "created_at": iso(act.created_at),
                "updated_at": iso(p.changed_at or act.created_at),
                "products": [
                    {
                        "name": cat.name(line.index),
                        "offer_id": cat.offer_id(line.index),
                        "price": money_str(line.price),
                        "quantity": line.quantity,
                        "sku": line.sku,
                    }
                    for line in p.lines
                ],
            }
        )
    return {"result": out}


@route("/v2/posting/fbs/act/get-pdf", required=("id",))
def act_pdf(ctx: Ctx, body: Body) -> RawResponse:
    """The documents (shipping list and waybill), once formed; the PDF itself, as Ozon
    answers it."""
    from ..errors import bad_request

    act = _acts(ctx).get(req_int(body, "id"))
    if not act.ready:
        raise bad_request("DOCUMENTS_NOT_READY: check the act's status first")
    sheet = [f"Shipping list, act {act.id}", f"departure {act.departure_date}", *act.postings]
    waybill = [f"Waybill, act {act.id}", f"{len(act.postings)} posting(s)"]
    return RawResponse(200, "application/pdf", pages_pdf([sheet, waybill]))
