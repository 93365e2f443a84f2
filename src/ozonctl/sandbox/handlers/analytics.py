"""Analytics: ``/v1/analytics/data`` and ``/v1/analytics/turnover/stocks`` (the figures and
the budget live in ``sandbox/analytics.py``)."""

from __future__ import annotations

from .. import analytics
from ..fields import int_list, opt_int, page_limit
from .base import Body, Ctx, route


@route(analytics.DATA_PATH, required=("date_from", "date_to", "metrics", "dimension", "limit"))
def analytics_data(ctx: Ctx, body: Body) -> Body:
    return analytics.data(ctx.shop, body)


@route(analytics.TURNOVER_PATH)
def turnover_stocks(ctx: Ctx, body: Body) -> Body:
    skus = int_list(body, "sku")
    limit = page_limit(body, 1000, 1000)
    return analytics.turnover(ctx.shop, skus, limit, opt_int(body, "offset", 0) or 0)
