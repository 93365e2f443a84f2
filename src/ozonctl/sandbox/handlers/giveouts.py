"""Return giveouts: the list, one giveout, the barcode (text, PDF, PNG), whether the
seller may collect returns by barcode."""

from __future__ import annotations

from ..errors import bad_request
from .base import Body, Ctx, route

MAX_LIMIT = 500
"""The sandbox's own cap on ``limit`` (Ozon's documents give none)."""


@route("/v1/return/giveout/list", required=("limit",))
def giveout_list(ctx: Ctx, body: Body) -> Body:
    limit, after = body.get("limit"), body.get("last_id") or 0
    if not isinstance(limit, int) or isinstance(limit, bool) or not 0 < limit <= MAX_LIMIT:
        raise bad_request(f"limit must be between 1 and {MAX_LIMIT}")
    if not isinstance(after, int) or isinstance(after, bool):
        raise bad_request("last_id must be an integer")
    with ctx.shop.lock:
        page = [g for g in ctx.shop.giveouts.all() if g.id > after][:limit]
        return {"giveouts": [g.render() for g in page]}


@route("/v1/return/giveout/info", required=("giveout_id",))
def giveout_info(ctx: Ctx, body: Body) -> Body:
    gid = body.get("giveout_id")
    if not isinstance(gid, int) or isinstance(gid, bool) or gid <= 0:
        raise bad_request("giveout_id must be a positive integer")
    with ctx.shop.lock:
        return ctx.shop.giveouts.get(gid).info(ctx.shop)


@route("/v1/return/giveout/is-enabled")
def giveout_enabled(ctx: Ctx, body: Body) -> Body:
    return {"enabled": True}


@route("/v1/return/giveout/barcode")
def giveout_barcode(ctx: Ctx, body: Body) -> Body:
    return {"barcode": ctx.shop.giveouts.barcode()}


@route("/v1/return/giveout/get-pdf")
def giveout_pdf(ctx: Ctx, body: Body) -> Body:
    return ctx.shop.giveouts.pdf()


@route("/v1/return/giveout/get-png")
def giveout_png(ctx: Ctx, body: Body) -> Body:
    return ctx.shop.giveouts.png()
