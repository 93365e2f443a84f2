"""Finance: accruals, realization, cash flow, balance (see ``ledger.py`` for the rules)."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from ..errors import bad_request, not_found
from ..fields import obj, opt_bool, page_limit, req_int, req_str, str_list, token_page
from ..ledger import (
    ACCRUAL_TYPES,
    COMMISSION,
    COMMISSION_REFUND,
    ITEM,
    POSTING,
    SALE,
    SALE_REFUND,
    ZERO,
    Accrual,
    DaySums,
    LineCharge,
)
from ..shop import Shop
from ..values import iso, money_num, money_obj, money_str, parse_day
from .base import JSON, Body, Ctx, RawResponse, route

ACCRUAL_PAGE = 100
EARLIEST = date(2022, 1, 1)


def _day(body: Body, name: str) -> date:
    raw = req_str(body, name) if name in body else ""
    parsed = parse_day(raw)
    if parsed is None:
        raise bad_request(f"{name}: {raw!r} is not a date (YYYY-MM-DD)")
    return parsed


def _product(line: LineCharge) -> Body:
    zero = money_obj(ZERO)
    return {
        "sku": line.sku,
        "commission": {
            "sale_price": money_obj(line.unit_price),
            "seller_price": money_obj(line.unit_price),
            "sale_amount": money_obj(line.amount),
            "sale_commission": money_obj(line.commission),
            "commission": money_obj(line.commission),
            "commission_ratio": str(line.ratio),
            "bonus": zero,
            "coinvestment": zero,
        },
        "delivery": {
            "services": [{"type_id": t, "accrued": money_obj(v)} for t, v in line.services],
            "total_accrued": money_obj(line.delivery),
        },
    }


def render_accrual(a: Accrual) -> Body:
    answer: Body = {
        "accrual_id": a.id,
        "date": a.day.isoformat(),
        "unit_number": a.unit_number,
        "accrued_category": a.category,
        "total_amount": money_obj(a.total),
    }
    if a.category == POSTING:
        answer["posting"] = {
            "delivery_schema": a.scheme,
            "delivery_speed": 0,
            "products": [_product(line) for line in a.lines],
        }
    elif a.category == ITEM:
        answer["item_fees"] = {
            "fees": [
                {"sku": sku, "fees": [{"type_id": t, "accrued": money_obj(v)}]}
                for sku, t, v in a.item_fees
            ]
        }
    elif a.fee is not None:
        answer["non_item_fee"] = {"type_id": a.fee[0], "accrued": money_obj(a.fee[1])}
    return answer


@route("/v1/finance/accrual/by-day", required=("date", "last_id"))
def accruals_by_day(ctx: Ctx, body: Body) -> RawResponse:
    """One day per call, pages of 100 by ``last_id`` (empty list at the end)."""
    day = _day(body, "date")
    if day < EARLIEST:
        raise bad_request(f"date must be {EARLIEST.isoformat()} or later")
    ledger = ctx.shop.ledger
    token = str(body.get("last_id") or "")
    page, last_id = token_page(ledger.day(day), token, ACCRUAL_PAGE, "last_id")
    # the history never changes (see ledger.py), so neither does a page of it
    answer = ledger.rendered.get((day, token))
    if answer is None:
        items = ",".join([accrual_json(a) for a in page])
        answer = f'{{"accruals":[{items}],"last_id":{_j(last_id)}}}'.encode()
        ledger.rendered[(day, token)] = answer
    return RawResponse(200, JSON, answer)


# --- the same answers as f-strings (a day's page of 100 accruals in a few ms, not tens):
# the bytes json_bytes makes of render_accrual's dicts (tests/sandbox/test_finance.py)

_j = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _money_json(value: Decimal) -> str:
    return f'{{"amount":"{money_str(value)}","currency":"RUB"}}'


def _product_json(line: LineCharge) -> str:
    price, amount = _money_json(line.unit_price), _money_json(line.amount)
    commission, zero = _money_json(line.commission), _money_json(ZERO)
    services = ",".join([f'{{"type_id":{t},"accrued":{_money_json(v)}}}' for t, v in line.services])
    return (
        f'{{"sku":{line.sku},"commission":{{"sale_price":{price},"seller_price":{price},'
        f'"sale_amount":{amount},"sale_commission":{commission},"commission":{commission},'
        f'"commission_ratio":{_j(str(line.ratio))},"bonus":{zero},"coinvestment":{zero}}},'
        f'"delivery":{{"services":[{services}],"total_accrued":{_money_json(line.delivery)}}}}}'
    )


def accrual_json(a: Accrual) -> str:
    """``render_accrual(a)`` as JSON text."""
    head = (
        f'{{"accrual_id":{a.id},"date":"{a.day.isoformat()}",'
        f'"unit_number":{_j(a.unit_number)},"accrued_category":{_j(a.category)},'
        f'"total_amount":{_money_json(a.total)}'
    )
    if a.category == POSTING:
        products = ",".join([_product_json(line) for line in a.lines])
        return (
            f'{head},"posting":{{"delivery_schema":{_j(a.scheme)},"delivery_speed":0,'
            f'"products":[{products}]}}}}'
        )
    if a.category == ITEM:
        fees = ",".join(
            [
                f'{{"sku":{sku},"fees":[{{"type_id":{t},"accrued":{_money_json(v)}}}]}}'
                for sku, t, v in a.item_fees
            ]
        )
        return f'{head},"item_fees":{{"fees":[{fees}]}}}}'
    if a.fee is not None:
        fee = f'{{"type_id":{a.fee[0]},"accrued":{_money_json(a.fee[1])}}}'
        return f'{head},"non_item_fee":{fee}}}'
    return head + "}"


@route("/v1/finance/accrual/postings", required=("posting_numbers",))
def accruals_for_postings(ctx: Ctx, body: Body) -> Body:
    shop = ctx.shop
    numbers = str_list(body, "posting_numbers")
    if not numbers:
        raise bad_request("posting_numbers must not be empty")
    answer = []
    for number in numbers:
        p = shop.orders.by_number.get(number)
        entries: list[Body] = []
        for day, line in shop.ledger.posting_charges(p) if p is not None else []:
            refund = line.amount < 0
            parts = [
                (SALE_REFUND if refund else SALE, line.amount),
                (COMMISSION_REFUND if refund else COMMISSION, line.commission),
                *line.services,
            ]
            entries += [
                {
                    "accrual_date": day.isoformat(),
                    "type_id": type_id,
                    "sku": line.sku,
                    "quantity": line.quantity,
                    "seller_price": money_obj(line.unit_price),
                    "accrued": money_obj(value),
                }
                for type_id, value in parts
            ]
        answer.append({"posting_number": number, "accruals": entries})
    return {"posting_accruals": answer}


@route("/v1/finance/accrual/types")
def accrual_types(ctx: Ctx, body: Body) -> Body:
    return {"accrual_types": [{"id": k, "name": v} for k, v in ACCRUAL_TYPES.items()]}


# --- realization -------------------------------------------------------------------------------


def _commission_block(lines: list[LineCharge]) -> Body:
    """Totals of sale (or return) lines; all zero when there are none."""
    amount = abs(sum((ln.amount for ln in lines), ZERO))
    commission = abs(sum((ln.commission for ln in lines), ZERO))
    zero = 0.0
    return {
        "amount": money_num(amount),
        "commission": money_num(commission),
        "standard_fee": money_num(commission),
        "total": money_num(amount - commission),
        "price_per_instance": money_num(lines[0].unit_price) if lines else 0.0,
        "quantity": sum(ln.quantity for ln in lines),
        "bonus": zero,
        "compensation": zero,
        "bank_coinvestment": zero,
        "stars": zero,
        "pick_up_point_coinvestment": zero,
    }


@route("/v2/finance/realization", required=("month", "year"))
def realization(ctx: Ctx, body: Body) -> Body:
    shop = ctx.shop
    month, year = req_int(body, "month"), req_int(body, "year")
    if not 1 <= month <= 12 or (year, month) < (2023, 8):
        raise bad_request("month and year must name a month from 2023-08 on")
    first = date(year, month, 1)
    following = (first + timedelta(days=32)).replace(day=1)
    if shop.today < following + timedelta(days=4):
        raise not_found(f"the realization report for {month:02d}.{year} is not ready yet")
    sales, refunds = shop.ledger.month_charges(year, month)
    groups: dict[tuple[int, Decimal], tuple[list[LineCharge], list[LineCharge]]] = defaultdict(
        lambda: ([], [])
    )
    for line in sales:
        groups[(line.index, line.unit_price)][0].append(line)
    for line in refunds:
        groups[(line.index, line.unit_price)][1].append(line)
    cat = shop.catalog
    rows = []
    for number, ((i, unit), (sold, returned)) in enumerate(sorted(groups.items()), start=1):
        ratio = (sold or returned)[0].ratio
        rows.append(
            {
                "rowNumber": number,
                "item": {
                    "sku": cat.sku(i),
                    "offer_id": cat.offer_id(i),
                    "name": cat.name(i),
                    "barcode": cat.barcode(i),
                },
                "commission_ratio": float(ratio),
                "seller_price_per_instance": money_num(unit),
                "delivery_commission": _commission_block(sold),
                "return_commission": _commission_block(returned),
            }
        )
    last = following - timedelta(days=1)
    header = {
        "number": f"{year}{month:02d}-{shop.seed:04d}",
        "doc_date": following.isoformat(),
        "start_date": first.isoformat(),
        "stop_date": last.isoformat(),
        "contract_date": "2024-03-01",
        "contract_number": f"ИР-{shop.seed:04d}/25",
        "currency_sys_name": "RUB",
        "payer_name": "ООО «Интернет Решения»",
        "payer_inn": "7704217370",
        "payer_kpp": "997750001",
        "receiver_name": "ООО «Песочница»",
        "receiver_inn": "7700000000",
        "receiver_kpp": "770001001",
    }
    return {"result": {"header": header, "rows": rows}}


# --- cash flow and balance ----------------------------------------------------------------------


def _halves(first: date, last: date) -> list[tuple[date, date]]:
    """Ozon's statement periods (1st–15th, 16th–end) that overlap ``first``..``last``."""
    periods = []
    start = first.replace(day=1 if first.day <= 15 else 16)
    while start <= last:
        if start.day == 1:
            end = start.replace(day=15)
        else:
            end = (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        periods.append((start, end))
        start = end + timedelta(days=1)
    return periods


def _moment(day: date, end: bool = False) -> str:
    return iso(datetime.combine(day, time(23, 59, 59) if end else time(0), UTC))


def _period(first: date, last: date) -> Body:
    return {"id": first.toordinal(), "begin": _moment(first), "end": _moment(last, True)}


@route("/v1/finance/cash-flow-statement/list", required=("date", "page", "page_size"))
def cash_flow(ctx: Ctx, body: Body) -> Body:
    shop = ctx.shop
    span = obj(body, "date")
    first, last = _day(span, "from"), _day(span, "to")
    if last < first:
        raise bad_request("date.to is before date.from")
    size = page_limit(body, 1000, 100, "page_size")
    page = req_int(body, "page")
    if page < 1:
        raise bad_request("page must be 1 or more")
    periods = _halves(first, last)
    chosen = periods[(page - 1) * size : page * size]
    flows = []
    for begin, end in chosen:
        s = shop.ledger.period(begin, end)
        flows.append(
            {
                "period": _period(begin, end),
                "orders_amount": money_num(s.sales),
                "returns_amount": money_num(s.refunds),
                "commission_amount": money_num(s.sales_commission + s.refund_commission),
                "services_amount": money_num(sum(s.services.values(), ZERO)),
                "item_delivery_and_return_amount": money_num(
                    s.sales_logistics + s.return_logistics
                ),
                "currency_code": "RUB",
            }
        )
    result: Body = {"cash_flows": flows, "page_count": (len(periods) + size - 1) // size}
    if opt_bool(body, "with_details") and periods:
        result["details"] = _details(shop, periods[0][0], periods[-1][1])
    return {"result": result}


def _flow(amount: Decimal, commission: Decimal, logistics: Decimal, name: str) -> Body:
    """The ``delivery`` or ``return`` block of the statement's details."""
    services = {
        "total": money_num(logistics),
        "items": {"name": name, "price": money_num(logistics)},
    }
    key = "delivery_services" if name == "Логистика" else "return_services"
    return {
        "amount": money_num(amount),
        "total": money_num(amount + commission + logistics),
        key: services,
    }


def _details(shop: Shop, first: date, last: date) -> Body:
    s = shop.ledger.period(first, last)
    opening, accrued, payouts = shop.ledger.balance(first, last)
    paid = sum(payouts, ZERO)
    services = sum(s.services.values(), ZERO)
    return {
        "period": _period(first, last),
        "begin_balance_amount": money_num(opening),
        "end_balance_amount": money_num(opening + accrued - paid),
        "invoice_transfer": money_num(paid),
        "payments": {"currency_code": "RUB", "payment": money_num(paid)},
        "delivery": _flow(s.sales, s.sales_commission, s.sales_logistics, "Логистика"),
        "return": _flow(s.refunds, s.refund_commission, s.return_logistics, "Обратная логистика"),
        "services": {
            "total": money_num(services),
            "items": [{"name": k, "price": money_num(v)} for k, v in sorted(s.services.items())],
        },
        "rfbs": {
            "total": 0.0,
            "transfer_delivery": 0.0,
            "transfer_delivery_return": 0.0,
            "compensation_delivery_return": 0.0,
            "partial_compensation": 0.0,
            "partial_compensation_return": 0.0,
        },
        "loan": 0.0,
        "others": {"total": 0.0, "items": []},
    }


def _value(amount: Decimal) -> Body:
    return {"value": money_num(amount), "currency_code": "RUB"}


@route("/v1/finance/balance", required=("date_from", "date_to"))
def balance(ctx: Ctx, body: Body) -> Body:
    """``closing = opening + accrued - sum(payments)``; ``accrued`` is the sum of every
    accrual's ``total_amount`` from ``date_from`` to ``date_to`` (at most 30 days)."""
    first, last = _day(body, "date_from"), _day(body, "date_to")
    if last < first:
        raise bad_request("date_to is before date_from")
    if (last - first).days > 30:
        raise bad_request("the period must not exceed 30 days")
    ledger = ctx.shop.ledger
    opening, accrued, payouts = ledger.balance(first, last)
    s: DaySums = ledger.period(first, last)
    details = {"partner_programs": _value(ZERO), "points_for_discounts": "0"}
    return {
        "total": {
            "opening_balance": _value(opening),
            "accrued": _value(accrued),
            "payments": [_value(p) for p in payouts],
            "closing_balance": _value(opening + accrued - sum(payouts, ZERO)),
        },
        "cashflows": {
            "sales": {
                "amount": _value(s.sales),
                "fee": _value(s.sales_commission + s.sales_logistics),
                "amount_details": {"revenue": _value(s.sales), **details},
            },
            "returns": {
                "amount": _value(s.refunds),
                "fee": _value(s.refund_commission + s.return_logistics),
                "amount_details": {"revenue": _value(s.refunds), **details},
            },
            "services": [{"name": k, "amount": _value(v)} for k, v in sorted(s.services.items())],
        },
    }
