"""The seller account: company info, the API key's expiry and roles, warehouses, rating."""

from __future__ import annotations

from datetime import timedelta

from ..fields import int_list, opt_str, page_limit, start_of, token_page
from ..values import iso
from .base import HANDLERS, Body, Ctx, route

COMPANY = {
    "country": "RU",
    "currency": "RUB",
    "inn": "7700000000",
    "legal_name": "ООО «Песочница»",
    "name": "Песочница",
    "ogrn": "1207700000000",
    "ownership_form": "ООО",
    "tax_system": "USN",
}


SUBSCRIPTION_TYPES = {
    "premium": "PREMIUM",
    "premium-plus": "PREMIUM_PLUS",
    "premium-pro": "PREMIUM_PRO",
}
"""The shop's tier (``/__sandbox/subscription``) as ``/v1/seller/info`` names it; the
others (``none``, ``reviews``: review management alone) are no Premium."""


def subscription(tier: str) -> Body:
    kind = SUBSCRIPTION_TYPES.get(tier, "UNSPECIFIED")
    return {"is_premium": kind != "UNSPECIFIED", "type": kind}


@route("/v1/seller/info")
def seller_info(ctx: Ctx, body: Body) -> Body:
    ratings = [
        {
            "rating": item["rating"],
            "name": item["name"],
            "status": item["status"],
            "value_type": item["value_type"],
            "current_value": _value(ctx, item["current_value"]),
            "past_value": _value(ctx, item["past_value"]),
        }
        for group in rating_groups(ctx)
        for item in group["items"]
    ]
    return {
        "company": COMPANY,
        "ratings": ratings,
        "subscription": subscription(ctx.shop.reviews.subscription),
    }


@route("/v1/roles")
def roles(ctx: Ctx, body: Body) -> Body:
    """The key's expiry (``sandbox serve --key-expires-in``, ``/__sandbox/key``) and
    roles: by default one ``Admin`` role listing every method the sandbox serves."""
    key = ctx.shop.key
    listed = key.roles if key.roles is not None else [("Admin", sorted(HANDLERS))]
    return {
        "expires_at": iso(key.expires_at),
        "roles": [{"name": name, "methods": methods} for name, methods in listed],
    }


def _value(ctx: Ctx, value: float) -> Body:
    now = ctx.shop.now
    return {
        "date_from": iso(now - timedelta(days=30)),
        "date_to": iso(now),
        "formatted": f"{value:g}",
        "status": {"danger": False, "premium": False, "warning": False},
        "value": value,
    }


@route("/v2/warehouse/list", required=("limit",))
def warehouse_list(ctx: Ctx, body: Body) -> Body:
    shop = ctx.shop
    limit = page_limit(body, 200, 200)
    wanted = set(int_list(body, "warehouse_ids"))
    chosen = [w for w in shop.warehouses if not wanted or w.id in wanted]
    cursor = opt_str(body, "cursor")
    page, next_cursor = token_page(chosen, cursor, limit, "cursor")
    created = iso(shop.now - timedelta(days=400))
    warehouses = [
        {
            "warehouse_id": w.id,
            "name": w.name,
            "status": "created",
            "warehouse_type": "FBS",
            "is_rfbs": w.is_rfbs,
            "is_kgt": False,
            "is_express": False,
            "is_comfort": False,
            "is_auto_assembly": False,
            "is_waybill_enabled": False,
            "has_entrusted_acceptance": False,
            "has_postings_limit": False,
            "postings_limit": -1,
            "min_postings_limit": 0,
            "with_item_list": False,
            "carriage_label_type": "BIG",
            "cut_in_time": 14,
            "sla_cut_in": 1440,
            "first_mile": {
                "type": "DROP_OFF",
                "dropoff_point_id": f"dp-{w.id % 100_000}",
                "first_mile_is_changing": False,
                "timeslot_id": 0,
                "timeslot_from": "10:00",
                "timeslot_to": "14:00",
            },
            "working_days": ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"],
            "address_info": {"address": f"{w.city}, ул. Складская, 1", "utc": "+03:00"},
            "phone": "+70000000000",
            "created_at": created,
            "updated_at": created,
        }
        for w in page
    ]
    start = start_of(cursor, "cursor")
    return {
        "warehouses": warehouses,
        "cursor": next_cursor,
        "has_next": start + len(page) < len(chosen),
    }


def cancellation_percent(ctx: Ctx) -> float:
    cancelled, total = ctx.shop.cached(("cancellation",), ctx.shop.orders.cancellation_rate)
    return round(100 * cancelled / total, 2) if total else 0.0


def rating_groups(ctx: Ctx) -> list[Body]:
    """Seller ratings. ``rating_general_indicator_fbs_rfbs`` is the FBS error index: the
    percent of FBS postings of the last 30 days the seller cancelled (reasons that
    ``affect_cancellation_rating``); it moves when the seller cancels a posting."""
    errors = cancellation_percent(ctx)
    status = "OK" if errors < 2 else "WARNING" if errors < 5 else "CRITICAL"
    return [
        {
            "group_name": "Доставка и отмены",
            "items": [
                _item(
                    "rating_general_indicator_fbs_rfbs",
                    "Индекс ошибок FBS и rFBS",
                    errors,
                    max(0.0, errors - 0.4),
                    status,
                    "PERCENT",
                    "LOWER_IS_BETTER",
                ),
                _item(
                    "rating_on_time",
                    "Заказы, доставленные вовремя",
                    97.4,
                    96.8,
                    "OK",
                    "PERCENT",
                    "HIGHER_IS_BETTER",
                ),
            ],
        },
        {
            "group_name": "Отзывы и цены",
            "items": [
                _item(
                    "rating_review_avg_score_total",
                    "Средняя оценка товаров",
                    4.72,
                    4.70,
                    "OK",
                    "REVIEW_SCORE",
                    "HIGHER_IS_BETTER",
                ),
                _item(
                    "rating_price_green",
                    "Выгодный индекс цен",
                    61.0,
                    58.0,
                    "OK",
                    "PERCENT",
                    "HIGHER_IS_BETTER",
                ),
            ],
        },
    ]


def _item(
    code: str, name: str, value: float, past: float, status: str, kind: str, direction: str
) -> Body:
    return {
        "rating": code,
        "name": name,
        "current_value": value,
        "past_value": past,
        "status": status,
        "value_type": kind,
        "rating_direction": direction,
        "change": {
            "direction": "DIRECTION_UNKNOWN"
            if value == past
            else "DIRECTION_RISE"
            if value > past
            else "DIRECTION_FALL",
            "meaning": "MEANING_NEUTRAL",
        },
    }


@route("/v1/rating/summary")
def rating_summary(ctx: Ctx, body: Body) -> Body:
    return {
        "groups": rating_groups(ctx),
        "localization_index": [
            {"calculation_date": iso(ctx.shop.now), "localization_percentage": 74}
        ],
        "penalty_score_exceeded": False,
        "premium": False,
        "premium_plus": False,
    }
