"""Buyers' cancellation requests of rFBS postings: list, approve, reject."""

from __future__ import annotations

from ..errors import bad_request
from ..fields import obj, page_limit, str_list
from .base import Body, Ctx, route

STATES = ("ALL", "ON_APPROVAL", "APPROVED", "REJECTED")


@route("/v2/conditional-cancellation/list", required=("limit",))
def cancellation_list(ctx: Ctx, body: Body) -> Body:
    limit = page_limit(body, 500, 500)
    filters = obj(body, "filters")
    state = filters.get("state") or "ALL"
    if state not in STATES:
        raise bad_request(f"filters.state must be one of {', '.join(STATES)}")
    numbers = set(str_list(filters, "posting_number"))
    after = body.get("last_id") or 0
    if not isinstance(after, int):
        raise bad_request("last_id must be an integer")
    with ctx.shop.lock:
        chosen = [
            r
            for r in ctx.shop.cancel_requests.all()
            if (state == "ALL" or r.state == state) and (not numbers or r.posting in numbers)
        ]
    counter = len(chosen)
    page = [r for r in chosen if r.id > after][:limit]
    more = len([r for r in chosen if r.id > after]) > limit
    answer: Body = {"result": [r.render() for r in page], "last_id": page[-1].id if more else 0}
    if obj(body, "with").get("counter"):
        answer["counter"] = counter
    return answer


def _decide(ctx: Ctx, body: Body, approve: bool) -> Body:
    rid = body.get("cancellation_id")
    if not isinstance(rid, int) or isinstance(rid, bool) or rid <= 0:
        raise bad_request("cancellation_id must be a positive integer")
    comment = body.get("comment") or ""
    if not isinstance(comment, str):
        raise bad_request("comment must be a string")
    with ctx.shop.lock:
        ctx.shop.cancel_requests.decide(rid, approve, comment)
    return {}


@route("/v2/conditional-cancellation/approve", required=("cancellation_id",))
def cancellation_approve(ctx: Ctx, body: Body) -> Body:
    return _decide(ctx, body, True)


@route("/v2/conditional-cancellation/reject", required=("cancellation_id",))
def cancellation_reject(ctx: Ctx, body: Body) -> Body:
    return _decide(ctx, body, False)
