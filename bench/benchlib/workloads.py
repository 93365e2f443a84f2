"""The bulk workloads of issue 8: what each runs with ozonctl and with the peers, the
fewest requests its item limits allow, and how a run is checked."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchlib.shopfacts import ACCRUAL_PAGE, BIG_PROMO_ID, ShopFacts

RATE = 50.0
"""Ozon's shared limit, requests a second per Client-Id."""


@dataclass(frozen=True, slots=True)
class Minimum:
    by_path: dict[str, int]
    note: str
    lower: int | None = None
    """A lower bound below the minimum when the API forces extra calls (see note)."""
    chain: int = 1
    """The longest run of requests each of which needs the answer before it (a page walk
    whose next page needs the last page's ``last_id``): no client sends them faster than
    one round trip each, whatever the rate limit allows."""

    @property
    def total(self) -> int:
        return sum(self.by_path.values())


def per_minute(path: str) -> int | None:
    from ozonctl.client.endpoints import BY_PATH

    ep = BY_PATH.get(path)
    return ep.per_minute if ep is not None else None


def rate_floor_s(by_path: dict[str, int], rate: float = RATE) -> float:
    """The least time Ozon's limits allow for these requests: ``requests ÷ 50`` for the
    shared bucket, and for a method with its own per-minute limit the time its bucket
    needs — a minute's worth at once (the reading of "80 a minute" that aiolimiter-based
    clients, the sandbox and ozonctl use), then one per 60/limit s: stocks, 100 calls:
    (100 − 80) × 0.75 s = 15 s."""
    shared = sum(by_path.values()) / rate
    method = max(
        (max(0, n - pm) / (pm / 60.0) for p, n in by_path.items() if (pm := per_minute(p))),
        default=0.0,
    )
    return max(shared, method)


def floor_s(
    by_path: dict[str, int], chain: int = 1, latency_s: float = 0.0, rate: float = RATE
) -> float:
    """The least time any client needs: the rate floor, or, when longer, the sequential
    chain at one round trip a request (``chain × latency``; list at 80 ms: 92 pages + the
    last page's detail call = 93 × 0.08 s = 7.44 s). Both are lower bounds, so the larger
    one is."""
    return max(rate_floor_s(by_path, rate), chain * latency_s)


@dataclass(slots=True)
class Inputs:
    facts: ShopFacts
    files: dict[str, Path]
    visibility: str = "ALL"


@dataclass(slots=True)
class Bulk:
    key: str
    title: str
    fresh_state: bool
    """Writes: every run starts on a new sandbox (restarted: the seeded shop again)."""
    needs_index: bool
    """ozonctl resolves products through its catalogue index: runs start with it built."""
    probe: list[str]
    """An ozonctl command that answers 0 once the workload's command exists."""
    ozonctl: Callable[[Inputs], list[str]]
    peer: Callable[[Inputs], list[str]]
    minimum: Callable[[Inputs], Minimum]
    expected_items: Callable[[Inputs], int | None] = lambda _: None
    check_state: Callable[[Any, Inputs], str | None] | None = None
    """``(sandbox, inputs) -> problem or None`` after a write run."""
    json_output: bool = True
    notes: list[str] = field(default_factory=list)


def _pages(n: int, size: int) -> int:
    return math.ceil(n / size)


def _list_min(inp: Inputs) -> Minimum:
    f = inp.facts
    n = f.live - f.archived if inp.visibility == "ALL" else f.live
    pages = _pages(n, 1000)
    return Minimum(
        {"/v3/product/list": pages, "/v3/product/info/list": pages},
        f"{n:,} products ({inp.visibility}): ⌈{n:,}/1000⌉ = {pages} list pages (the "
        "response's `total_items` tells when to stop) + {pages} detail calls of 1000 ids "
        "for name, price and stock (the listing's columns); sequential: the {pages} pages "
        "(each needs the last one's `last_id`) and the last page's detail call".replace(
            "{pages}", str(pages)
        ),
        chain=pages + 1,
    )


def _archive_min(inp: Inputs) -> Minimum:
    n = len(inp.facts.archive_ids)
    held = inp.facts.archive_held
    sent = n - held
    return Minimum(
        {
            "/v1/roles": 1,
            "/v3/product/info/list": _pages(n, 1000),
            "/v5/product/info/prices": _pages(sent, 1000),
            "/v1/product/archive": _pages(sent, 100),
        },
        f"1 `/v1/roles` (the key may archive) + ⌈{n:,}/1000⌉ card reads (leave out products "
        f"already archived; hold back the {held} with units reserved for unshipped orders) "
        f"+ ⌈{sent:,}/1000⌉ price reads (the promotions each product is in, for `listing "
        f"restore`) + ⌈{sent:,}/100⌉ archive calls; sequential: a batch's card read and "
        "its archive call",
        chain=2,
    )


def _stock_min(inp: Inputs) -> Minimum:
    n = len(inp.facts.stock_rows)
    calls = _pages(n, 100)
    burst = max(0, calls - 80) / (80 / 60)
    return Minimum(
        {"/v1/roles": 1, "/v2/products/stocks": calls},
        f"1 `/v1/roles` (the key may write stocks) + "
        f"⌈{n:,}/100⌉ stock calls (the warehouse is in the file). The method's own limit, "
        f"80 a minute, sets the floor: a minute's worth (80) at once, then one per 0.75 s: "
        f"{burst:.0f} s (at a steady 80 a minute from the start it would be "
        f"{calls * 0.75:.0f} s; under a strict 60-second window, 60 s)",
    )


def _promo_min(inp: Inputs) -> Minimum:
    n = inp.facts.promo_size
    pages = _pages(n, 100)
    return Minimum(
        {
            "/v1/roles": 1,
            "/v1/actions": 1,
            "/v2/actions/products": pages,
            "/v2/actions/products/deactivate": _pages(n, 1000),
        },
        f"1 `/v1/roles` (the key may write promotions) + 1 promotion lookup (its type "
        f"decides how to leave) + ⌈{n:,}/100⌉ pages of its products + ⌈{n:,}/1000⌉ "
        f"deactivate calls; sequential: the {pages} pages (each needs the last one's "
        "`last_id`) and the last page's deactivate call",
        chain=pages + 1,
    )


def _finance_min(inp: Inputs) -> Minimum:
    needed, lower = inp.facts.finance_pages()
    days = len(inp.facts.accruals_per_day)
    chain = max(
        (_pages(n, ACCRUAL_PAGE) + 1 for n in inp.facts.accruals_per_day.values()), default=1
    )
    total = sum(inp.facts.accruals_per_day.values())
    return Minimum(
        {"/v1/finance/accrual/types": 1, "/v1/finance/accrual/by-day": needed},
        f"1 type catalogue + by-day pages for {days} days / {total:,} accruals: every page "
        "with accruals carries a `last_id` and the method gives no total, `has_next` or "
        "page size, so each day ends on an empty page (lower bound with a known page size "
        f"of 100: {lower + 1}); sequential: the longest day, {chain} pages",
        lower=lower + 1,
        chain=chain,
    )


def _peer_common(workload: str) -> Callable[[Inputs], list[str]]:
    def build(inp: Inputs) -> list[str]:
        f, files = inp.facts, inp.files
        extra: dict[str, list[str]] = {
            "list": ["--visibility", inp.visibility, "--join", "info"],
            "archive": ["--ids", str(files["ids"])],
            "stock": ["--stock", str(files["peer_stock"])],
            "promo-leave": ["--action-id", str(BIG_PROMO_ID)],
            "finance": ["--date-from", f.finance_from, "--date-to", f.finance_to],
        }
        return [workload, *extra[workload]]

    return build


def _finance_argv(inp: Inputs) -> list[str]:
    f = inp.facts
    return ["payout", "transactions", "--from", f.finance_from, "--to", f.finance_to, "--json"]


def _check_archived(sandbox: Any, inp: Inputs) -> str | None:
    summary = sandbox.state()
    want = inp.facts.archived + len(inp.facts.archive_ids) - inp.facts.archive_held
    got = summary.get("archived")
    return None if got == want else f"archived in the shop: {got}, expected {want}"


def _check_promo(sandbox: Any, inp: Inputs) -> str | None:
    left = sandbox.state(f"/action/{BIG_PROMO_ID}").get("participants")
    return None if left == 0 else f"promotion {BIG_PROMO_ID} still has {left} products"


def _check_stock(sandbox: Any, inp: Inputs) -> str | None:
    """The stock set is what is free to sell: Ozon keeps the units reserved for
    unshipped orders on top of it (``present`` = stock + reserved)."""
    rows = inp.facts.stock_rows
    for pid, _, _, stock in rows[:: max(1, len(rows) // 20)]:
        state = sandbox.state(f"/product/{pid}")
        free = state.get("present", [0])[0] - state.get("reserved", [0])[0]
        if free != stock:
            return f"product {pid}: stock {free} not reserved, expected {stock}"
    return None


WORKLOADS: dict[str, Bulk] = {
    w.key: w
    for w in (
        Bulk(
            "list",
            "List every product (`listing list --all --json`)",
            fresh_state=False,
            needs_index=False,
            probe=["listing", "list", "--help"],
            ozonctl=lambda inp: ["listing", "list", "--all", "--json"],
            peer=_peer_common("list"),
            minimum=_list_min,
            expected_items=lambda inp: inp.facts.live - inp.facts.archived,
        ),
        Bulk(
            "archive",
            "Archive 10,000 products (`listing archive --from-file`)",
            fresh_state=True,
            needs_index=True,
            probe=["listing", "archive", "--help"],
            ozonctl=lambda inp: [
                "listing",
                "archive",
                "--from-file",
                str(inp.files["offers"]),
                "--yes",
                "--json",
            ],
            peer=_peer_common("archive"),
            minimum=_archive_min,
            check_state=_check_archived,
        ),
        Bulk(
            "promo-leave",
            "Leave a promotion with 5,000 products (`promo leave ID --all`)",
            fresh_state=True,
            needs_index=True,
            probe=["promo", "leave", "--help"],
            ozonctl=lambda inp: ["promo", "leave", str(BIG_PROMO_ID), "--all", "--yes", "--json"],
            peer=_peer_common("promo-leave"),
            minimum=_promo_min,
            check_state=_check_promo,
        ),
        Bulk(
            "stock",
            "Update stock of 10,000 items (`listing stock import FILE.csv`)",
            fresh_state=True,
            needs_index=True,
            probe=["listing", "stock", "import", "--help"],
            ozonctl=lambda inp: [
                "listing",
                "stock",
                "import",
                str(inp.files["stock"]),
                "--yes",
                "--json",
            ],
            peer=_peer_common("stock"),
            minimum=_stock_min,
            check_state=_check_stock,
        ),
        Bulk(
            "finance",
            "Three months of finance transactions (`payout transactions`)",
            fresh_state=False,
            needs_index=False,
            probe=["payout", "transactions", "--help"],
            ozonctl=_finance_argv,
            peer=_peer_common("finance"),
            minimum=_finance_min,
        ),
    )
}
