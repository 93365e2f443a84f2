"""Bench workloads with ``ozon-sdk`` (PyPI, pinned in bench/benchlib/peers_env.py).

Studied in its installed source (``ozon_sdk/base/session.py``):
- base URL: ``SellerAPI(client_id, api_key, base_url=...)`` (passed on to ``Session``);
- limiter: one ``aiolimiter.AsyncLimiter`` per path, ``DEFAULT_RATE_LIMIT = (1000, 2)``,
  i.e. 2 requests a second per method; ``SellerAPI._dispatch`` never passes another
  rate, so every method gets that default. ``--limiter off`` replaces the module's
  ``_limiter_for`` with one that never waits (its item quota, 30,000 items a minute,
  counts only methods with an item-count field, none of those used here);
- 100 connections, 20 kept alive (``httpx.AsyncClient``), retries 429/5xx 3 times.
Current methods used: /v3/product/list, /v3/product/info/list, /v1/product/archive,
/v2/products/stocks, /v2/actions/products, /v2/actions/products/deactivate,
/v1/finance/accrual/types, /v1/finance/accrual/by-day.
"""

from __future__ import annotations

import asyncio
import sys
from typing import Any

import msgspec
from _common import (
    Emitter,
    NoLimit,
    chunks,
    days,
    gather_counted,
    listing_row,
    parse_args,
    read_ids,
    read_stock,
)
from ozon_sdk import SellerAPI
from ozon_sdk.base import session as sdk_session
from ozon_sdk.seller_api.basic.models import (
    Productv2ProductsStocksRequestStock,
    Productv3GetProductListRequestFilter,
)

_encode = msgspec.json.Encoder().encode


def lift_limiter() -> None:
    none = NoLimit()
    setattr(sdk_session, "_limiter_for", lambda path, rate=None: none)  # noqa: B010


async def run_list(api: SellerAPI, out: Emitter, visibilities: list[str], join: bool) -> None:
    for visibility in visibilities:
        page: list[Any] = []
        flt = Productv3GetProductListRequestFilter(visibility=visibility)
        async for item in api.get_product_list(filter_=flt, limit=1000, last_id=""):
            page.append(item)
            if len(page) == 1000:
                await _emit_page(api, out, page, join)
                page = []
        if page:
            await _emit_page(api, out, page, join)


async def _emit_page(api: SellerAPI, out: Emitter, page: list[Any], join: bool) -> None:
    if not join:
        for item in page:
            out.line(_encode(item).decode())
        return
    info = await api.get_product_info_list(product_id=[str(p.product_id) for p in page])
    by_id = {i.id_: i for i in (info.items or [])}
    for item in page:
        detail = by_id.get(item.product_id)
        out.obj(listing_row(item, detail))


async def run_archive(api: SellerAPI, out: Emitter, ids: list[int]) -> None:
    results = await gather_counted(
        out, [api.product_archive(product_id=batch) for batch in chunks(ids, 100)]
    )
    for r in results:
        out.line(_encode(r).decode())


async def run_stock(api: SellerAPI, out: Emitter, rows: list[tuple[int, int, int]]) -> None:
    batches = [
        [
            Productv2ProductsStocksRequestStock(product_id=p, warehouse_id=w, stock=s)
            for p, w, s in b
        ]
        for b in chunks(rows, 100)
    ]
    for resp in await gather_counted(out, [api.products_stocks_v2(stocks=b) for b in batches]):
        for r in resp.result or []:
            if r.errors:
                out.error(f"{r.product_id}: {r.errors}")
            out.line(_encode(r).decode())


async def run_promo_leave(api: SellerAPI, out: Emitter, action_id: int) -> None:
    ids = [
        str(p.id_) async for p in api.actions_products(action_id=action_id, limit=100, last_id="")
    ]
    calls = [
        api.actions_products_deactivate(action_id=action_id, product_ids=b)
        for b in chunks(ids, 1000)
    ]
    for resp in await gather_counted(out, calls):
        for pid in resp.product_ids or []:
            out.obj({"product_id": pid, "left": True})


async def run_finance(api: SellerAPI, out: Emitter, first: str, last: str) -> None:
    types = await api.get_finance_accrual_types()
    names = {t.type_id: t.name for t in (getattr(types, "types", None) or [])}

    async def one_day(day: str) -> list[Any]:
        return [a async for a in api.get_finance_accrual_by_day(date=day, last_id="")]

    for day_rows in await gather_counted(out, [one_day(d) for d in days(first, last)]):
        for acc in day_rows:
            data = msgspec.to_builtins(acc)
            data["type_names"] = len(names)
            out.obj(data)


async def main() -> int:
    args = parse_args()
    if args.limiter == "off":
        lift_limiter()
    out = Emitter()
    async with SellerAPI(args.client_id, args.api_key, base_url=args.base_url) as api:
        try:
            if args.workload == "list":
                await run_list(api, out, args.visibility.split(","), args.join == "info")
            elif args.workload == "archive":
                await run_archive(api, out, read_ids(args.ids))
            elif args.workload == "stock":
                await run_stock(api, out, read_stock(args.stock))
            elif args.workload == "promo-leave":
                await run_promo_leave(api, out, args.action_id)
            else:
                await run_finance(api, out, args.date_from, args.date_to)
        except Exception as exc:  # noqa: BLE001 - one failure ends a sequential walk
            out.error(exc)
    return out.summary(peer="ozon-sdk", limiter=args.limiter)


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
