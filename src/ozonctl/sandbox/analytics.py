"""The shop's analytics as Ozon's ``/v1/analytics/data`` and ``/v1/analytics/turnover/stocks``
answer them: figures computed from the sandbox's own postings, and Ozon's budget.

Budget (OZON-NOTES.md): ``/v1/analytics/data`` takes one request a minute, and 50 a day
without a Premium Plus or Premium Pro subscription; the turnover method one a minute.
Traffic metrics and the extra groupings need Premium Plus or Pro; without them data
reaches back three months only. The subscription is the shop's tier
(``/__sandbox/subscription``). Days are Moscow days (Ozon's, UTC+3).

The budget runs on the analytics clock: the shop's ``now`` plus the real time since the
sandbox started plus ``advance`` seconds (``POST /__sandbox/analytics {"advance": 60}``),
so a test moves past the one-a-minute limit, or into the next day, without waiting.

Figures (the sandbox's model, not Ozon's formulas): a SKU's ``ordered_units`` and
``revenue`` on a day are the lines of every FBS and FBO posting created that UTC day,
cancelled ones included (they were ordered); ``cancellations`` and ``delivered_units``
split them by status. Traffic (views, sessions, add-to-cart, conversion, position) is a
deterministic function of the SKU, the day and the units ordered; only SKU-days with an
order have rows.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from .errors import PERMISSION_DENIED, ApiError, bad_request
from .values import mix

if TYPE_CHECKING:
    from .shop import Shop

DATA_PATH = "/v1/analytics/data"
TURNOVER_PATH = "/v1/analytics/turnover/stocks"
DAILY_LIMIT = 50
PREMIUM_TIERS = frozenset({"premium-plus", "premium-pro"})
MOSCOW = timedelta(hours=3)
HISTORY_WITHOUT_PREMIUM = timedelta(days=92)
"""Three months back without Premium Plus/Pro."""

FREE_METRICS = ("revenue", "ordered_units")
PREMIUM_METRICS = (
    "hits_view_search",
    "hits_view_pdp",
    "hits_view",
    "hits_tocart_search",
    "hits_tocart_pdp",
    "hits_tocart",
    "session_view_search",
    "session_view_pdp",
    "session_view",
    "conv_tocart_search",
    "conv_tocart_pdp",
    "conv_tocart",
    "returns",
    "cancellations",
    "delivered_units",
    "position_category",
)
FREE_DIMENSIONS = ("sku", "spu", "day", "week", "month")
PREMIUM_DIMENSIONS = ("year", "category1", "category2", "brand", "modelID", "descriptionType")
CONVERSIONS = {
    "conv_tocart_search": ("hits_tocart_search", "session_view_search"),
    "conv_tocart_pdp": ("hits_tocart_pdp", "session_view_pdp"),
    "conv_tocart": ("hits_tocart", "session_view"),
}
DAY_S = 86_400


@dataclass
class Budget:
    """Requests counted per Moscow day and the time of each method's last one."""

    started: float = field(default_factory=time.monotonic)
    advance: float = 0.0
    used: dict[date, int] = field(default_factory=dict)
    last: dict[str, float] = field(default_factory=dict)

    def now(self, shop: Shop) -> float:
        return shop.now.timestamp() + time.monotonic() - self.started + self.advance

    def day(self, shop: Shop) -> date:
        return (datetime.fromtimestamp(self.now(shop), UTC) + MOSCOW).date()

    def admit(self, shop: Shop, path: str) -> tuple[str, int] | None:
        """Count the request, or Ozon's 429 message and ``Retry-After`` seconds."""
        if path not in (DATA_PATH, TURNOVER_PATH):
            return None
        now = self.now(shop)
        waited = now - self.last.get(path, -1e18)
        if waited < 60:
            return f"You have reached request rate limit per minute for {path}", int(
                60 - waited
            ) + 1
        today = self.day(shop)
        if path == DATA_PATH and not premium(shop) and self.used.get(today, 0) >= DAILY_LIMIT:
            midnight = datetime.combine(today + timedelta(days=1), datetime.min.time(), UTC)
            left = (midnight - MOSCOW).timestamp() - now
            return (
                f"You have reached the daily limit of {DAILY_LIMIT} requests for {path}",
                max(61, int(left)),
            )
        self.last[path] = now
        if path == DATA_PATH:
            self.used[today] = self.used.get(today, 0) + 1
        return None

    def as_dict(self, shop: Shop) -> dict[str, Any]:
        today = self.day(shop)
        return {
            "day": today.isoformat(),
            "used": self.used.get(today, 0),
            "limit": None if premium(shop) else DAILY_LIMIT,
            "tier": shop.reviews.subscription,
            "now": datetime.fromtimestamp(self.now(shop), UTC).isoformat(),
        }


def premium(shop: Shop) -> bool:
    return shop.reviews.subscription in PREMIUM_TIERS


# --- /v1/analytics/data --------------------------------------------------------------------


def _period(raw: object, name: str) -> date:
    if not isinstance(raw, str) or not raw:
        raise bad_request(f"{name} is required")
    try:
        return date.fromisoformat(raw[:10])
    except ValueError:
        raise bad_request(f"{name}: expected a date YYYY-MM-DD, got {raw!r}") from None


def _denied(what: str) -> ApiError:
    return ApiError(
        403, PERMISSION_DENIED, f"{what} is available with Premium Plus or Premium Pro subscription"
    )


def _key(dimension: str, sku: int, day: date) -> str:
    if dimension in ("sku", "spu"):
        return str(sku)
    if dimension == "day":
        return day.isoformat()
    if dimension == "week":
        return (day - timedelta(days=day.weekday())).isoformat()
    if dimension == "month":
        return day.isoformat()[:7]
    return str(day.year)


def _facts(shop: Shop, since: date, to: date) -> dict[tuple[int, date], dict[str, float]]:
    """Base figures per (SKU, UTC day) from every posting created in ``[since, to]``."""
    from .orders import day_of

    facts: dict[tuple[int, date], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for p in (*shop.orders.fbs, *shop.orders.fbo):
        day = day_of(p.in_process_at)
        if not since <= day <= to:
            continue
        for line in p.lines:
            f = facts[line.sku, day]
            f["ordered_units"] += line.quantity
            f["revenue"] += line.quantity * line.price / 100
            if p.status == "cancelled":
                f["cancellations"] += line.quantity
            elif p.status == "delivered":
                f["delivered_units"] += line.quantity
    for r in shop.orders.returns:
        day = day_of(r.returned_at)
        if since <= day <= to and (r.line.sku, day) in facts:
            facts[r.line.sku, day]["returns"] += r.quantity
    for (sku, day), f in facts.items():
        h = mix(sku, day.toordinal())
        units = f["ordered_units"]
        f["hits_view_pdp"] = 25 * units + h % 20
        f["hits_view_search"] = 3 * f["hits_view_pdp"] + h % 50
        f["hits_view"] = f["hits_view_pdp"] + f["hits_view_search"]
        f["session_view_pdp"] = f["hits_view_pdp"] * 7 // 10
        f["session_view_search"] = f["hits_view_search"] * 7 // 10
        f["session_view"] = f["session_view_pdp"] + f["session_view_search"]
        f["hits_tocart_pdp"] = 2 * units + h % 3
        f["hits_tocart_search"] = units // 2 + h % 2
        f["hits_tocart"] = f["hits_tocart_pdp"] + f["hits_tocart_search"]
        f["position_category"] = 1 + h % 200
    return facts


def _value(metric: str, sums: dict[str, float], n: int) -> float:
    if metric in CONVERSIONS:
        top, bottom = CONVERSIONS[metric]
        return round(100 * sums[top] / sums[bottom], 2) if sums[bottom] else 0.0
    if metric == "position_category":
        return round(sums[metric] / n, 1) if n else 0.0
    return round(sums[metric], 2)


def _compare(op: str) -> Callable[[Any, Any], bool]:
    ops: dict[str, Callable[[Any, Any], bool]] = {
        "EQ": lambda a, b: a == b,
        "GT": lambda a, b: a > b,
        "GTE": lambda a, b: a >= b,
        "LT": lambda a, b: a < b,
        "LTE": lambda a, b: a <= b,
    }
    if op not in ops:
        raise bad_request(f"filters.op: unknown operation {op!r}")
    return ops[op]


def data(shop: Shop, body: dict[str, Any]) -> dict[str, Any]:
    since, to = _period(body.get("date_from"), "date_from"), _period(body.get("date_to"), "date_to")
    if to < since:
        raise bad_request("date_to is before date_from")
    metrics, dims = body.get("metrics") or [], body.get("dimension") or []
    if not metrics or not isinstance(metrics, list):
        raise bad_request("metrics is required")
    if len(metrics) > 14:
        raise bad_request("InvalidArgument: at most 14 metrics")
    if not dims or not isinstance(dims, list):
        raise bad_request("dimension is required")
    plus = premium(shop)
    for m in metrics:
        if m not in FREE_METRICS + PREMIUM_METRICS:
            raise bad_request(f"metrics: unknown metric {m!r}")
        if m not in FREE_METRICS and not plus:
            raise _denied(f"metric {m}")
    for d in dims:
        if d not in FREE_DIMENSIONS + PREMIUM_DIMENSIONS:
            raise bad_request(f"dimension: unknown dimension {d!r}")
        if d not in FREE_DIMENSIONS and not plus:
            raise _denied(f"dimension {d}")
        if d not in (*FREE_DIMENSIONS, "year"):
            raise bad_request(f"dimension {d} is not modelled by the sandbox")
    today = shop.analytics.day(shop)
    if not plus and since < today - HISTORY_WITHOUT_PREMIUM:
        raise bad_request(
            "date_from: without Premium Plus or Premium Pro data covers the last 3 months"
        )
    limit = body.get("limit")
    if not isinstance(limit, int) or not 1 <= limit <= 1000:
        raise bad_request("limit must be from 1 to 1000")
    offset = body.get("offset") or 0
    if not isinstance(offset, int) or offset < 0:
        raise bad_request("offset must be zero or more")

    cat = shop.catalog
    groups: dict[tuple[str, ...], list[dict[str, float]]] = defaultdict(list)
    for (sku, day), f in _facts(shop, since, to).items():
        groups[tuple(_key(d, sku, day) for d in dims)].append(f)
    rows = []
    for key, facts in groups.items():
        sums: dict[str, float] = defaultdict(float)
        for f in facts:
            for name, v in f.items():
                sums[name] += v
        values = [_value(m, sums, len(facts)) for m in metrics]
        rows.append((key, values, sums, len(facts)))
    for flt in body.get("filters") or []:
        rows = [r for r in rows if _kept(flt, dims, metrics, r[0], r[1])]
    order = body.get("sort") or []
    rows.sort(key=lambda r: r[0])
    for s in reversed(order):
        if s.get("key") in metrics:
            k = metrics.index(s["key"])
            rows.sort(key=lambda r: r[1][k], reverse=str(s.get("order", "ASC")) == "DESC")
    totals: dict[str, float] = defaultdict(float)
    count = 0
    for _, _, sums, n in rows:
        for name, v in sums.items():
            totals[name] += v
        count += n
    return {
        "result": {
            "data": [
                {
                    "dimensions": [_dimension(cat, d, k) for d, k in zip(dims, key, strict=True)],
                    "metrics": values,
                }
                for key, values, _, _ in rows[offset : offset + limit]
            ],
            "totals": [_value(m, totals, count) for m in metrics],
        },
        "timestamp": datetime.fromtimestamp(shop.analytics.now(shop), UTC).strftime(
            "%Y-%m-%d %H:%M:%S"
        ),
    }


def _kept(
    flt: Any, dims: list[str], metrics: list[str], key: tuple[str, ...], values: list[float]
) -> bool:
    if not isinstance(flt, dict):
        raise bad_request("filters: expected objects")
    name, op, raw = flt.get("key"), _compare(str(flt.get("op") or "EQ")), flt.get("value")
    if name in dims:
        return op(key[dims.index(name)], str(raw))
    if name in metrics:
        try:
            return op(values[metrics.index(name)], float(str(raw)))
        except ValueError:
            raise bad_request(f"filters.value: not a number: {raw!r}") from None
    raise bad_request(f"filters.key: {name!r} is neither a requested dimension nor metric")


def _dimension(cat: Any, dimension: str, key: str) -> dict[str, str]:
    if dimension in ("sku", "spu"):
        i = cat.by_sku(int(key))
        return {"id": key, "name": cat.name(i) if i is not None else ""}
    return {"id": key, "name": ""}


# --- /v1/analytics/turnover/stocks ------------------------------------------------------------


def _grade(days: float | None) -> str:
    if days is None:
        return "GRADES_NOSALES"
    if days < 7:
        return "GRADES_CRITICAL"
    if days < 30:
        return "GRADES_RED"
    if days < 60:
        return "GRADES_YELLOW"
    return "GRADES_GREEN"


def turnover(shop: Shop, skus: Iterable[int], limit: int, offset: int) -> dict[str, Any]:
    """FBO stock and the average units sold a day by FBO over the last 60 days."""
    from .orders import day_of

    cat = shop.catalog
    wanted = set(skus)
    since = shop.today - timedelta(days=60)
    sold: dict[int, int] = defaultdict(int)
    for p in shop.orders.fbo:
        if p.status != "cancelled" and since <= day_of(p.in_process_at) < shop.today:
            for line in p.lines:
                sold[line.index] += line.quantity
    items = []
    for i in range(cat.n):
        sku = cat.sku(i)
        if not sku or not cat.exists(i) or (wanted and sku not in wanted):
            continue
        if cat.fbo[i] <= 0 and i not in sold:
            continue
        ads = round(sold.get(i, 0) / 60, 2)
        idc = round(cat.fbo[i] / ads, 1) if ads else None
        items.append(
            {
                "ads": ads,
                "current_stock": cat.fbo[i],
                "idc": idc if idc is not None else 0,
                "idc_grade": _grade(idc),
                "name": cat.name(i),
                "offer_id": cat.offer_id(i),
                "sku": sku,
                "turnover": idc if idc is not None else 0,
                "turnover_grade": _grade(idc),
            }
        )
    return {"items": items[offset : offset + limit]}
