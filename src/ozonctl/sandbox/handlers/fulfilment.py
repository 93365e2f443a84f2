"""Working on FBS orders: ship, cancel, labels, tracking numbers."""

from __future__ import annotations

from ..errors import bad_request, not_found
from ..fields import as_int, obj, obj_list, opt_bool, opt_str, req_int, req_str, str_list
from ..orders import CANCEL_REASONS, CANCELLABLE, LabelTask
from ..pdf import label_pdf
from ..values import money_str
from .base import Body, Ctx, RawResponse, route

LABEL_FILES = "/__sandbox/files/labels/"


@route("/v4/posting/fbs/ship", required=("posting_number", "packages"))
def ship(ctx: Ctx, body: Body) -> Body:
    """Answers 200 with the posting numbers; the outcome shows in ``/v3/posting/fbs/get``."""
    shop = ctx.shop
    number = req_str(body, "posting_number")
    packages = []
    for package in obj_list(body, "packages"):
        items = obj_list(package, "products")
        packages.append(
            [
                (as_int(i.get("product_id"), "product_id"), as_int(i.get("quantity"), "quantity"))
                for i in items
            ]
        )
    if not packages:
        raise bad_request("packages must not be empty")
    numbers = shop.orders.ship(number, packages)
    extra = []
    if opt_bool(obj(body, "with"), "additional_data"):
        cat = shop.catalog
        for n in numbers:
            p = shop.orders.get(n)
            extra.append(
                {
                    "posting_number": n,
                    "products": [
                        {
                            "sku": line.sku,
                            "offer_id": cat.offer_id(line.index),
                            "name": cat.name(line.index),
                            "quantity": line.quantity,
                            "price": money_str(line.price),
                            "currency_code": "RUB",
                            "mandatory_mark": [],
                        }
                        for line in p.lines
                    ],
                }
            )
    return {"result": numbers, "additional_data": extra}


@route("/v2/posting/fbs/cancel-reason/list")
def cancel_reasons(ctx: Ctx, body: Body) -> Body:
    return {
        "result": [
            {
                "id": r.id,
                "title": r.title,
                "type_id": r.type_id,
                "is_available_for_cancellation": r.available,
            }
            for r in CANCEL_REASONS
        ]
    }


@route("/v1/posting/fbs/cancel-reason", required=("related_posting_numbers",))
def cancel_reasons_for(ctx: Ctx, body: Body) -> Body:
    result = []
    for number in str_list(body, "related_posting_numbers"):
        p = ctx.shop.orders.by_number.get(number)
        open_ = p is not None and p.scheme == "fbs" and p.status in CANCELLABLE
        reasons = [
            {"id": r.id, "title": r.title, "type_id": r.type_id}
            for r in CANCEL_REASONS
            if open_ and r.available
        ]
        result.append({"posting_number": number, "reasons": reasons})
    return {"result": result}


@route("/v2/posting/fbs/cancel", required=("posting_number", "cancel_reason_id"))
def cancel(ctx: Ctx, body: Body) -> Body:
    ctx.shop.orders.cancel(
        req_str(body, "posting_number"),
        req_int(body, "cancel_reason_id"),
        opt_str(body, "cancel_reason_message"),
    )
    return {"result": True}


@route(
    "/v2/posting/fbs/product/cancel",
    required=("posting_number", "cancel_reason_id", "cancel_reason_message", "items"),
)
def cancel_products(ctx: Ctx, body: Body) -> Body:
    number = req_str(body, "posting_number")
    items = [(req_int(i, "sku"), req_int(i, "quantity")) for i in obj_list(body, "items")]
    if not items:
        raise bad_request("items must not be empty")
    ctx.shop.orders.cancel_products(number, req_int(body, "cancel_reason_id"), items)
    return {"result": number}


@route("/v3/posting/fbs/package-label/create", required=("posting_numbers",))
def label_create(ctx: Ctx, body: Body) -> Body:
    numbers = str_list(body, "posting_numbers")
    if not numbers:
        raise bad_request("posting_numbers must not be empty")
    orders = ctx.shop.orders
    big, small = orders.create_label_task(numbers), orders.create_label_task(numbers)
    return {
        "tasks": [
            {"task_id": big.id, "task_type": "big_label"},
            {"task_id": small.id, "task_type": "small_label"},
        ]
    }


@route("/v2/posting/fbs/package-label/get", required=("task_id",))
def label_get(ctx: Ctx, body: Body) -> Body:
    """``pending``, then ``in_progress``, then ``completed`` with ``file_url`` (the
    number of unfinished polls is ``Shop.label_polls``)."""
    task_id = req_int(body, "task_id")
    task = ctx.shop.orders.labels.get(task_id)
    if task is None:
        raise not_found(f"task {task_id} not found")
    task.polls += 1
    status: Body = {
        "postings_count": len(task.postings),
        "printed_postings_count": 0,
        "unprinted_postings": [],
    }
    if task.polls <= ctx.shop.label_polls:
        status["code"] = "pending" if task.polls == 1 else "in_progress"
        return {"status": status, "file_url": ""}
    printed = len(task.postings) - len(task.unprinted)
    status.update(
        code="completed",
        printed_postings_count=printed,
        unprinted_postings=[{"posting_number": n, "message": m} for n, m in task.unprinted],
    )
    if not printed:
        error = {"code": "NO_POSTINGS_TO_PRINT", "message": "none of the postings can be printed"}
        return {"status": status, "file_url": "", "error": error}
    return {"status": status, "file_url": f"{ctx.base_url}{LABEL_FILES}{task.id}.pdf"}


def label_file(task: LabelTask) -> RawResponse:
    unprinted = {n for n, _ in task.unprinted}
    printed = [n for n in task.postings if n not in unprinted]
    return RawResponse(200, "application/pdf", label_pdf(task.id, printed))


@route("/v2/fbs/posting/tracking-number/set", required=("tracking_numbers",))
def tracking_numbers(ctx: Ctx, body: Body) -> Body:
    result = []
    for item in obj_list(body, "tracking_numbers"):
        number = opt_str(item, "posting_number")
        error = ctx.shop.orders.set_tracking(number, opt_str(item, "tracking_number"))
        result.append({"posting_number": number, "result": not error, "error": error})
    return {"result": result}
