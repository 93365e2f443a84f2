"""The reference client: each bench workload with plain ``httpx`` and nothing else.

It shows the least a real client process needs against the same sandbox: the
interpreter's start, the import of httpx, the minimum requests of
``bench/benchlib/workloads.py`` and their chain. Every request that needs no other
answer goes out at once; what waits, waits only for the answer it needs:

- list: the ``last_id`` page walk, each page's details read beside the walk;
- archive: ``/v1/roles`` beside the card reads; the price reads as soon as the cards
  say what will be sent; the archive calls once the cards and the key's roles are in
  (products already archived are left out, those with units reserved for unshipped
  orders held back);
- promo-leave: ``/v1/roles``, ``/v1/actions`` and the first page at once; the page walk;
  every deactivate call once the walk is done (leaving during the walk would move the
  pages under it);
- stock: ``/v1/roles``, then every stock call;
- finance: the type catalogue beside every day's page walk.

The limiter is ozonctl's default: one token bucket of 50 a second with 30 saved up, and
the stock method's own 80 a minute (a minute's worth at once, then one per 0.75 s, the
refill timed from its first answer: Ozon's bucket starts when our first request reaches
it, not when we send it). No retries, models, journal or formatting: one JSON line per
item on stdout, the adapter contract of ``_common.py``.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from _common import Emitter, chunks, days, gather_counted, parse_args, read_ids, read_stock

RATE, BURST = 50.0, 30
PER_MINUTE = {"/v2/products/stocks": 80}
FBS = ("fbs", "rfbs")


class Bucket:
    """``rate`` tokens a second, at most ``capacity`` saved up; a taker goes into debt
    and sleeps it off. An unanchored bucket starts to refill at ``anchor()``."""

    def __init__(self, rate: float, capacity: float, *, anchored: bool = True) -> None:
        self.rate, self.capacity, self.tokens = rate, capacity, capacity
        self.stamp: float | None = None
        self.started = asyncio.Event()
        if anchored:
            self.anchor()

    def anchor(self) -> None:
        if self.stamp is None:
            self.stamp = self.anchored_at = asyncio.get_running_loop().time()
            self.started.set()

    async def take(self) -> None:
        loop = asyncio.get_running_loop()
        since = self.stamp
        if since is not None:
            now = loop.time()
            self.tokens = min(self.capacity, self.tokens + (now - since) * self.rate)
            self.stamp = since = now
        self.tokens -= 1
        if self.tokens < 0:
            owed = -self.tokens
            if since is None:
                await self.started.wait()
                since = self.anchored_at
            await asyncio.sleep(since + owed / self.rate - loop.time())


class Api:
    def __init__(self, http: httpx.AsyncClient, limited: bool) -> None:
        self.http = http
        self.shared = Bucket(RATE, BURST) if limited else None
        self.methods = (
            {p: Bucket(n / 60, n, anchored=False) for p, n in PER_MINUTE.items()} if limited else {}
        )

    async def call(self, path: str, body: Any = None) -> Any:
        """POST ``body`` (GET without one); the answer's JSON, or an exception."""
        method = self.methods.get(path)
        if method is not None:
            await method.take()
        if self.shared is not None:
            await self.shared.take()
        try:
            if body is None:
                resp = await self.http.get(path)
            else:
                resp = await self.http.post(path, json=body)
        finally:
            if method is not None:
                method.anchor()
        if resp.status_code != 200:
            raise RuntimeError(f"{path}: HTTP {resp.status_code}: {resp.text[:200]}")
        return resp.json()

    async def may(self, roles: Awaitable[Any], path: str) -> None:
        """The key's roles (``/v1/roles``) list ``path`` (or a prefix of it)."""
        answer = await roles
        for role in answer.get("roles", []):
            for stem in role.get("methods", []):
                stem = stem.rstrip("/")
                if path == stem or path.startswith(stem + "/"):
                    return
        raise RuntimeError(f"the API key may not call {path}")


# -- the workloads --------------------------------------------------------------------------
async def run_list(api: Api, out: Emitter, visibilities: list[str]) -> None:
    details: list[Awaitable[None]] = []
    for visibility in visibilities:
        last_id, seen = "", 0
        while True:
            body = {"filter": {"visibility": visibility}, "last_id": last_id, "limit": 1000}
            page = (await api.call("/v3/product/list", body))["result"]
            items, last_id = page["items"], page.get("last_id") or ""
            if items:
                details.append(asyncio.ensure_future(_details(api, out, items)))
            seen += len(items)
            if not items or not last_id or seen >= page.get("total_items", sys.maxsize):
                break
    await gather_counted(out, details)


async def _details(api: Api, out: Emitter, items: list[dict[str, Any]]) -> None:
    ids = [i["product_id"] for i in items]
    cards = {
        c["id"]: c for c in (await api.call("/v3/product/info/list", {"product_id": ids}))["items"]
    }
    for item in items:
        card = cards.get(item["product_id"], {})
        out.obj(
            {
                "product_id": item["product_id"],
                "offer_id": item["offer_id"],
                "archived": item["archived"],
                "sku": card.get("sku"),
                "name": card.get("name"),
                "price": card.get("price"),
            }
        )


async def run_archive(api: Api, out: Emitter, ids: list[int]) -> None:
    roles = asyncio.ensure_future(api.call("/v1/roles", {}))
    reads = [api.call("/v3/product/info/list", {"product_id": b}) for b in chunks(ids, 1000)]
    cards = {c["id"]: c for answer in await asyncio.gather(*reads) for c in answer["items"]}
    send = []
    for pid in ids:
        card = cards.get(pid)
        if card is None:
            out.error(f"{pid}: Ozon does not know this product")
        elif card["is_archived"]:
            out.obj({"product_id": pid, "status": "unchanged"})
        elif reserved := sum(s["reserved"] for s in card["stocks"]["stocks"] if s["source"] in FBS):
            out.obj({"product_id": pid, "status": "held", "reserved": reserved})
        else:
            send.append(pid)
    # the promotions each product is in, as a client that can restore them reads them
    prices = [
        asyncio.ensure_future(
            api.call("/v5/product/info/prices", {"filter": {"product_id": b}, "limit": 1000})
        )
        for b in chunks(send, 1000)
    ]
    await api.may(roles, "/v1/product/archive")
    await gather_counted(out, [*prices, *(_archive(api, out, b) for b in chunks(send, 100))])


async def _archive(api: Api, out: Emitter, batch: list[int]) -> None:
    ok = (await api.call("/v1/product/archive", {"product_id": batch})).get("result") is True
    for pid in batch:
        out.obj({"product_id": pid, "status": "archived" if ok else "failed"})
    if not ok:
        out.error(f"archive of {len(batch)} products: Ozon answered no result")


async def run_leave(api: Api, out: Emitter, action_id: int) -> None:
    roles = asyncio.ensure_future(api.call("/v1/roles", {}))
    actions = asyncio.ensure_future(api.call("/v1/actions"))
    ids: list[int] = []
    last_id = ""
    while True:
        body = {"action_id": action_id, "limit": 100, "last_id": last_id}
        page = await api.call("/v2/actions/products", body)
        ids += [p["id"] for p in page["products"]]
        last_id = page.get("last_id") or ""
        if not page["products"] or not last_id or len(ids) >= page.get("total", sys.maxsize):
            break
    action = next((a for a in (await actions)["result"] if a["id"] == action_id), None)
    if action is None or "BOOST" in action["action_type"]:  # boosting: left by update
        raise RuntimeError(f"promotion {action_id}: not one left by deactivate")
    await api.may(roles, "/v2/actions/products/deactivate")
    await gather_counted(out, [_deactivate(api, out, action_id, b) for b in chunks(ids, 1000)])


async def _deactivate(api: Api, out: Emitter, action_id: int, batch: list[int]) -> None:
    body = {"action_id": action_id, "product_ids": batch}
    removed = set((await api.call("/v2/actions/products/deactivate", body))["product_ids"])
    for pid in batch:
        left = str(pid) in removed
        out.obj({"product_id": pid, "left": left})
        if not left:
            out.error(f"{pid}: not removed from promotion {action_id}")


async def run_stock(api: Api, out: Emitter, rows: list[tuple[int, int, int]]) -> None:
    await api.may(api.call("/v1/roles", {}), "/v2/products/stocks")
    await gather_counted(out, [_stock(api, out, b) for b in chunks(rows, 100)])


async def _stock(api: Api, out: Emitter, batch: list[tuple[int, int, int]]) -> None:
    stocks = [{"product_id": p, "warehouse_id": w, "stock": s} for p, w, s in batch]
    for r in (await api.call("/v2/products/stocks", {"stocks": stocks}))["result"]:
        if r.get("errors"):
            out.error(f"{r.get('product_id')}: {r['errors']}")
        out.obj(r)


async def run_finance(api: Api, out: Emitter, first: str, last: str) -> None:
    types = asyncio.ensure_future(api.call("/v1/finance/accrual/types", {}))
    await gather_counted(out, [_day(api, out, day) for day in days(first, last)])
    await types


async def _day(api: Api, out: Emitter, day: str) -> None:
    last_id = ""
    while True:
        page = await api.call("/v1/finance/accrual/by-day", {"date": day, "last_id": last_id})
        for accrual in page["accruals"]:
            out.obj(accrual)
        last_id = page.get("last_id") or ""
        if not page["accruals"] or not last_id:  # a day ends on an empty page
            return


async def main() -> int:
    args = parse_args()
    work: dict[str, Callable[[Api, Emitter], Awaitable[None]]] = {
        "list": lambda api, out: run_list(api, out, args.visibility.split(",")),
        "archive": lambda api, out: run_archive(api, out, read_ids(args.ids)),
        "promo-leave": lambda api, out: run_leave(api, out, args.action_id),
        "stock": lambda api, out: run_stock(api, out, read_stock(args.stock)),
        "finance": lambda api, out: run_finance(api, out, args.date_from, args.date_to),
    }
    out = Emitter()
    headers = {"Client-Id": args.client_id, "Api-Key": args.api_key}
    limits = httpx.Limits(max_connections=100, max_keepalive_connections=100)
    async with httpx.AsyncClient(
        base_url=args.base_url, headers=headers, limits=limits, timeout=60
    ) as http:
        try:
            await work[args.workload](Api(http, args.limiter == "default"), out)
        except Exception as exc:  # noqa: BLE001 - counted: the run exits 3 with it named
            out.error(exc)
    return out.summary(peer="httpx", limiter=args.limiter)


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
