"""rFBS return requests: list, one request, and the seller's actions on it."""

from __future__ import annotations

from ..errors import bad_request
from ..fields import obj, page_limit
from .base import Body, Ctx, route


def _return_id(body: Body) -> int:
    rid = body.get("return_id")
    if not isinstance(rid, int) or isinstance(rid, bool) or rid <= 0:
        raise bad_request("return_id must be a positive integer")
    return rid


@route("/v2/returns/rfbs/list", required=("limit",))
def rfbs_list(ctx: Ctx, body: Body) -> Body:
    """Both of Ozon's documents (2026-06 and 2026-10) make ``returns`` one object, not a
    list (only the 2026-06 example shows a list): the sandbox answers one request per
    call, the next after ``last_id``, and no ``returns`` when none is left."""
    page_limit(body, 1000, 1000)
    filt = obj(body, "filter")
    number = filt.get("posting_number") or ""
    groups = set(filt.get("group_state") or [])
    after = body.get("last_id") or 0
    if not isinstance(after, int):
        raise bad_request("last_id must be an integer")
    with ctx.shop.lock:
        chosen = [
            r
            for r in ctx.shop.rfbs_returns.all()
            if r.id > after
            and (not number or r.posting == number)
            and (not groups or r.state_obj(True)["group_state"] in groups)
        ]
        return {"returns": chosen[0].render()} if chosen else {}


@route("/v2/returns/rfbs/get", required=("return_id",))
def rfbs_get(ctx: Ctx, body: Body) -> Body:
    with ctx.shop.lock:
        return {"returns": ctx.shop.rfbs_returns.get(_return_id(body)).render(full=True)}


@route("/v1/returns/rfbs/action/set", required=("return_id",))
def rfbs_action(ctx: Ctx, body: Body) -> Body:
    action = body.get("id")
    if not isinstance(action, int) or isinstance(action, bool):
        raise bad_request("id (the action) must be an integer")
    with ctx.shop.lock:
        ctx.shop.rfbs_returns.act(_return_id(body), action, body)
    return {}
