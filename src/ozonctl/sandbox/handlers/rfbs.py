"""rFBS delivery statuses the seller sets (``/v2/fbs/posting/delivering``, ``last-mile``,
``delivered``): one result per posting, as Ozon answers."""

from __future__ import annotations

from .. import rfbs_delivery
from ..errors import bad_request
from ..fields import str_list
from .base import Body, Ctx, route

MAX_POSTINGS = 100
"""The sandbox's own cap on one request (Ozon's documents give none)."""


def _move(ctx: Ctx, body: Body, step: str) -> Body:
    numbers = str_list(body, "posting_number")
    if not numbers:
        raise bad_request("posting_number must list at least one posting")
    if len(numbers) > MAX_POSTINGS:
        raise bad_request(f"posting_number: at most {MAX_POSTINGS} postings")
    with ctx.shop.lock:
        errors = [rfbs_delivery.move(ctx.shop, n, step) for n in numbers]
        ctx.shop.bump()
    return {
        "result": [
            {"posting_number": n, "result": not e, "error": e}
            for n, e in zip(numbers, errors, strict=True)
        ]
    }


@route("/v2/fbs/posting/delivering", required=("posting_number",))
def posting_delivering(ctx: Ctx, body: Body) -> Body:
    return _move(ctx, body, "delivering")


@route("/v2/fbs/posting/last-mile", required=("posting_number",))
def posting_last_mile(ctx: Ctx, body: Body) -> Body:
    return _move(ctx, body, "last-mile")


@route("/v2/fbs/posting/delivered", required=("posting_number",))
def posting_delivered(ctx: Ctx, body: Body) -> Body:
    return _move(ctx, body, "delivered")
