"""Bench workloads with ``ozonapi-async`` (PyPI, pinned in bench/benchlib/peers_env.py).

Studied in its installed source (``ozonapi/seller/core``):
- base URL: ``SellerAPIConfig(base_url=...)`` (also ``OZON_SELLER_BASE_URL``);
- limiters: an ``aiolimiter.AsyncLimiter`` per instance and one per Client-Id, both at
  ``max_requests_per_second`` (default 27, validated to at most 50), plus
  ``@method_rate_limit`` on some methods (``products_stocks``: 80 a minute). The
  config cannot lift them (``le=50``), so ``--limiter off`` swaps the instance's two
  limiters and the method-limiter manager for ones that never wait;
- one ``aiohttp`` session per Client-Id, 100 connections; the session is closed when a
  request ends and no other request *of another instance* runs
  (``SessionManager.get_session`` keeps a set of instance ids), so a sequential walk opens
  a new connection per request, and concurrent requests of one instance break: the
  first to finish closes the session under the others ("Server disconnected"). Bulk
  writes here therefore go one request at a time, as they must with this client;
- retries 429/5xx/timeouts 5 times, waiting 2–10 s.
Its promotion and finance methods are switched-off versions only
(``/v1/actions/products``, ``/v1/actions/products/deactivate``,
``/v3/finance/transaction/list``), so those workloads are not available with it.
"""

from __future__ import annotations

import asyncio
import sys
from typing import Any

from _common import (
    Emitter,
    NoLimit,
    chunks,
    listing_row,
    parse_args,
    read_ids,
    read_stock,
    unavailable,
)
from ozonapi import SellerAPI, SellerAPIConfig
from ozonapi.seller.core.method_rate_limiter import MethodRateLimiterManager
from ozonapi.seller.schemas.prices_and_stocks import ProductsStocksItem, ProductsStocksRequest
from ozonapi.seller.schemas.products import (
    ProductArchiveRequest,
    ProductInfoListRequest,
    ProductListFilter,
    ProductListRequest,
)

SWITCHED_OFF = {
    "promo-leave": "ozonapi-async 0.89.0 has only /v1/actions/products and "
    "/v1/actions/products/deactivate, switched off on 2026-10-13",
    "finance": "ozonapi-async 0.89.0 has only /v3/finance/transaction/list, "
    "switched off on 2026-09-08 (successor /v1/finance/accrual/by-day is missing)",
}


def lift_limiter(api: SellerAPI) -> None:
    none = NoLimit()
    api._rate_limiter._instance_limiter = none
    api._rate_limiter._client_limiter = none

    async def no_method_limit(self: Any, client_id: str, config: Any) -> NoLimit:
        return none

    setattr(MethodRateLimiterManager, "get_limiter", no_method_limit)  # noqa: B010


async def run_list(api: SellerAPI, out: Emitter, visibilities: list[str], join: bool) -> None:
    for visibility in visibilities:
        last_id = ""
        for _ in range(10_000):  # bounded walk
            resp = await api.product_list(
                ProductListRequest(
                    filter=ProductListFilter(visibility=visibility), limit=1000, last_id=last_id
                )
            )
            items = resp.result.items
            if not items:
                break
            await _emit_page(api, out, items, join)
            if not resp.result.last_id or resp.result.last_id == last_id:
                break
            last_id = resp.result.last_id


async def _emit_page(api: SellerAPI, out: Emitter, page: list[Any], join: bool) -> None:
    if not join:
        for item in page:
            out.line(item.model_dump_json())
        return
    info = await api.product_info_list(
        ProductInfoListRequest(product_id=[p.product_id for p in page])
    )
    by_id = {i.id: i for i in info.items}
    for item in page:
        detail = by_id.get(item.product_id)
        out.obj(listing_row(item, detail))


async def run_archive(api: SellerAPI, out: Emitter, ids: list[int]) -> None:
    for batch in chunks(ids, 100):
        try:
            r = await api.product_archive(ProductArchiveRequest(product_id=batch))
        except Exception as exc:  # noqa: BLE001 - count it, go on with the next batch
            out.error(exc)
            continue
        out.line(r.model_dump_json())


async def run_stock(api: SellerAPI, out: Emitter, rows: list[tuple[int, int, int]]) -> None:
    for b in chunks(rows, 100):
        request = ProductsStocksRequest(
            stocks=[ProductsStocksItem(product_id=p, warehouse_id=w, stock=s) for p, w, s in b]
        )
        try:
            resp = await api.products_stocks(request)
        except Exception as exc:  # noqa: BLE001 - count it, go on with the next batch
            out.error(exc)
            continue
        for r in resp.result:
            if r.errors:
                out.error(f"{r.product_id}: {r.errors}")
            out.line(r.model_dump_json())


async def main() -> int:
    args = parse_args()
    if args.workload in SWITCHED_OFF:
        return unavailable(SWITCHED_OFF[args.workload])
    out = Emitter()
    config = SellerAPIConfig(client_id=args.client_id, api_key=args.api_key, base_url=args.base_url)
    async with SellerAPI(config=config) as api:
        if args.limiter == "off":
            lift_limiter(api)
        try:
            if args.workload == "list":
                await run_list(api, out, args.visibility.split(","), args.join == "info")
            elif args.workload == "archive":
                await run_archive(api, out, read_ids(args.ids))
            else:
                await run_stock(api, out, read_stock(args.stock))
        except Exception as exc:  # noqa: BLE001 - one failure ends a sequential walk
            out.error(exc)
    return out.summary(peer="ozonapi-async", limiter=args.limiter)


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
