"""What the peer adapters share: the command line, the workload inputs, the summary
line and a do-nothing limiter used to lift a client's own rate limiter.

An adapter runs as ``<venv>/bin/python bench/peers/<peer>.py WORKLOAD [options]``. It
writes one JSON line per item to stdout (like ``ozonctl ... --json``) and, last on
stderr, ``BENCH-SUMMARY {"items": n, "errors": k, ...}``. It exits 0 when every item
went through, 3 when some failed, 4 when the workload is not available with this peer.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import datetime as dt
import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

WORKLOADS = ("list", "archive", "promo-leave", "stock", "finance")
EXIT_PARTIAL, EXIT_UNAVAILABLE = 3, 4


class NoLimit:
    """Stands in for an ``aiolimiter.AsyncLimiter``: never waits."""

    async def __aenter__(self) -> None:
        return None

    async def __aexit__(self, *exc: object) -> None:
        return None

    async def acquire(self, amount: float = 1) -> None:
        return None


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("workload", choices=WORKLOADS)
    p.add_argument("--base-url", required=True)
    p.add_argument("--client-id", required=True)
    p.add_argument("--api-key", required=True)
    p.add_argument("--limiter", choices=("default", "off"), default="default")
    p.add_argument("--ids", type=Path, help="archive: one product id a line")
    p.add_argument("--stock", type=Path, help="stock: CSV product_id,warehouse_id,stock")
    p.add_argument("--action-id", type=int, help="promo-leave: the promotion")
    p.add_argument("--date-from", help="finance: first day (YYYY-MM-DD)")
    p.add_argument("--date-to", help="finance: last day (YYYY-MM-DD)")
    p.add_argument(
        "--visibility",
        default="ALL,ARCHIVED",
        help="list: product/list visibilities walked one after the other",
    )
    p.add_argument("--join", default="info", help="list: 'info' joins /v3/product/info/list")
    args = p.parse_args(argv)
    if not args.base_url.startswith(("http://127.0.0.1:", "http://localhost:")):
        p.error("the bench only talks to a sandbox on 127.0.0.1")
    return args


def read_ids(path: Path) -> list[int]:
    return [int(line) for line in path.read_text().split() if line.strip()]


def read_stock(path: Path) -> list[tuple[int, int, int]]:
    with path.open(newline="") as fh:
        rows = csv.DictReader(fh)
        return [(int(r["product_id"]), int(r["warehouse_id"]), int(r["stock"])) for r in rows]


def chunks(items: Sequence[Any], size: int) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield list(items[i : i + size])


def days(first: str, last: str) -> list[str]:
    start, end = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    return [(start + dt.timedelta(days=k)).isoformat() for k in range((end - start).days + 1)]


class Emitter:
    """JSON lines on stdout, counted."""

    def __init__(self) -> None:
        self.items = 0
        self.errors = 0
        self.error_samples: list[str] = []
        self._write = sys.stdout.write

    def line(self, text: str) -> None:
        self._write(text)
        self._write("\n")
        self.items += 1

    def obj(self, data: Any) -> None:
        self.line(json.dumps(data, ensure_ascii=False, default=str))

    def error(self, exc: BaseException | str) -> None:
        self.errors += 1
        if len(self.error_samples) < 5:
            self.error_samples.append(str(exc)[:300])

    def summary(self, **extra: Any) -> int:
        sys.stdout.flush()
        data = {"items": self.items, "errors": self.errors, "samples": self.error_samples, **extra}
        sys.stderr.write("BENCH-SUMMARY " + json.dumps(data, ensure_ascii=False) + "\n")
        return EXIT_PARTIAL if self.errors else 0


def listing_row(item: Any, detail: Any) -> dict[str, Any]:
    """One product of the listing workload, as `ozonctl listing list --json` writes it."""
    return {
        "product_id": item.product_id,
        "offer_id": item.offer_id,
        "archived": item.archived,
        "sku": getattr(detail, "sku", None),
        "name": getattr(detail, "name", None),
        "price": getattr(detail, "price", None),
    }


def unavailable(reason: str) -> int:
    sys.stderr.write("BENCH-SUMMARY " + json.dumps({"unavailable": reason}) + "\n")
    return EXIT_UNAVAILABLE


async def gather_counted(out: Emitter, coros: Sequence[Any]) -> list[Any]:
    """Run ``coros`` together (the way these async clients are meant to be used for
    bulk work); a failed one is counted, the others go on."""
    results = await asyncio.gather(*coros, return_exceptions=True)
    good = []
    for r in results:
        if isinstance(r, BaseException):
            out.error(r)
        else:
            good.append(r)
    return good
