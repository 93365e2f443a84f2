"""The FBS/rFBS error index, the postings that cost it, and the rating's history."""

from __future__ import annotations

from ..errors import bad_request
from ..fields import obj, page_limit, str_list
from ..orders import DAY
from ..penalties import index_info, penalties
from ..values import iso, parse_moment
from .account import rating_groups
from .base import Body, Ctx, route


def _moment(body: Body, name: str) -> float:
    raw = body.get(name)
    if not isinstance(raw, str) or not raw:
        raise bad_request(f"{name} is required")
    moment = parse_moment(raw)
    if moment is None:
        raise bad_request(f"{name}: {raw!r} is not a date-time")
    return moment.timestamp()


@route("/v1/rating/index/fbs/posting/list", required=("filter", "limit"))
def index_postings(ctx: Ctx, body: Body) -> Body:
    limit = page_limit(body, 1000, 1000)
    filt = obj(body, "filter")
    since, to = _moment(filt, "date_from"), _moment(filt, "date_to")
    numbers = set(str_list(filt, "posting_numbers"))
    if len(numbers) > 1000:
        raise bad_request("filter.posting_numbers: at most 1000")
    cursor = body.get("cursor") or ""
    start = int(cursor) if isinstance(cursor, str) and cursor.isdigit() else 0
    with ctx.shop.lock:
        found = [x for x in penalties(ctx.shop, since, to) if not numbers or x.posting in numbers]
    page = found[start : start + limit]
    more = start + limit < len(found)
    return {
        "errors": [
            {
                "posting_number": x.posting,
                "posting_error_type": x.kind,
                "error_at": iso(x.at),
                "product_price": x.price,
                "product_price_currency_code": "RUB",
                "charge_percent": x.percent,
                "charge_price": x.charge,
                "charge_price_currency_code": "RUB",
                "index": 0.0,
                "delivery_schema": "FBS",
                "has_grace_status": False,
            }
            for x in page
        ],
        "cursor": str(start + limit) if more else "",
        "has_next": more,
    }


@route("/v1/rating/index/fbs/info")
def index_fbs_info(ctx: Ctx, body: Body) -> Body:
    with ctx.shop.lock:
        return index_info(ctx.shop)


@route("/v1/rating/history", required=("date_from", "date_to", "ratings"))
def rating_history(ctx: Ctx, body: Body) -> Body:
    """Weekly values of each rating asked for, ending at today's value."""
    since, to = _moment(body, "date_from"), _moment(body, "date_to")
    wanted = str_list(body, "ratings")
    if since > to:
        raise bad_request("date_from is after date_to")
    with ctx.shop.lock:
        current = {i["rating"]: i for g in rating_groups(ctx) for i in g["items"]}
    out = []
    for code in wanted:
        item = current.get(code)
        if item is None:
            continue
        values = []
        end, k = to, 0
        while end > since and k < 60:
            wobble = ((k * 7 + len(code)) % 5 - 2) * 0.1 if k else 0.0
            values.append(
                {
                    "date_from": iso(max(since, end - 7 * DAY)),
                    "date_to": iso(end),
                    "value": round(max(0.0, item["current_value"] + wobble), 2),
                    "status": {
                        "danger": item["status"] == "CRITICAL",
                        "warning": item["status"] == "WARNING",
                        "premium": False,
                    },
                }
            )
            end, k = end - 7 * DAY, k + 1
        out.append(
            {
                "rating": code,
                "values": list(reversed(values)),
                "danger_threshold": 0.0,
                "premium_threshold": 0.0,
                "warning_threshold": 0.0,
            }
        )
    return {"ratings": out, "premium_scores": []}
