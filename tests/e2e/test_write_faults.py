"""Every kind of write under every fault the sandbox injects, as real processes (issue 23,
"Done when"): a 500, a reset connection, a 410 and a 302 redirect on the write request,
and a timeout (the write lands after ozonctl gave up on it). What ozonctl reports is checked against the sandbox's state afterwards: it never
says a write went through that did not (exit 0 with nothing changed), never sends the
write twice, and a timed-out write it calls done has landed. More cases of ``listing
archive``, ``unarchive`` and ``restore`` (503, Ozon's daily limit, a killed run) are in
test_listing_archive_faults.py.
"""

from __future__ import annotations

import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from orders_support import posting_state, unfulfilled

pytestmark = pytest.mark.e2e

MOSCOW = 1020000901234000
FAULTS = ("500", "reset", "410", "302")
SLOW_MS = 2500
"""The write lands this late, past the 1 s timeout the tests set."""


def fault(sandbox: Any, rule: str) -> None:
    httpx.post(
        sandbox.base_url + "/__sandbox/faults", json={"clear": True, "rule": rule}, timeout=10
    ).raise_for_status()


def product(sandbox: Any, offer: str) -> Any:
    return httpx.get(f"{sandbox.base_url}/__sandbox/state/product/{offer}", timeout=10).json()


@dataclass
class Target:
    key: str
    """An offer id or a posting number."""
    run: Callable[[Any], Any]
    """Runs the write: ozonctl -> Result."""
    applied: Callable[[], bool]
    """Whether the sandbox holds the write now."""


@dataclass(frozen=True)
class Kind:
    name: str
    path: str
    targets: Callable[[Any, Any, Path, int], list[Target]]
    """``n`` fresh targets: (sandbox, ozonctl, tmp_path, n)."""


def free_offers(sandbox: Any, ozonctl: Any, n: int) -> list[str]:
    rows = ozonctl("listing", "list", "--limit", str(4 * n + 10), "--json").json()
    out = [
        r["offer_id"]
        for r in rows
        if not r["archived"] and not sum(product(sandbox, r["offer_id"])["reserved"])
    ]
    assert len(out) >= n
    return out[:n]


def stock_targets(via_file: bool) -> Callable[[Any, Any, Path, int], list[Target]]:
    def make(sandbox: Any, ozonctl: Any, tmp: Path, n: int) -> list[Target]:
        out = []
        for k, offer in enumerate(free_offers(sandbox, ozonctl, n)):
            qty = product(sandbox, offer)["present"][0] + 7
            if via_file:
                file = tmp / f"stock-{k}.csv"
                file.write_text(f"offer_id,warehouse_id,stock\n{offer},{MOSCOW},{qty}\n")
                args: tuple[str, ...] = ("listing", "stock", "import", str(file))
            else:
                args = ("listing", "stock", "set", offer, str(qty), "-w", str(MOSCOW))
            out.append(
                Target(
                    offer,
                    lambda o, a=args: o(*a, "--yes", "--json"),
                    lambda s=offer, q=qty: product(sandbox, s)["present"][0] == q,
                )
            )
        return out

    return make


def price_targets(via_file: bool) -> Callable[[Any, Any, Path, int], list[Target]]:
    def make(sandbox: Any, ozonctl: Any, tmp: Path, n: int) -> list[Target]:
        out = []
        for k, offer in enumerate(free_offers(sandbox, ozonctl, n)):
            state = product(sandbox, offer)
            price = round(state["price"] + 11)
            if via_file:
                file = tmp / f"price-{k}.csv"
                file.write_text(f"offer_id,price\n{offer},{price}\n")
                args: tuple[str, ...] = ("listing", "price", "import", str(file))
            else:
                args = ("listing", "price", "set", offer, "--price", str(price))
            out.append(
                Target(
                    offer,
                    lambda o, a=args: o(*a, "--yes", "--json"),
                    lambda s=offer, p=price: product(sandbox, s)["price"] == p,
                )
            )
        return out

    return make


def promo_targets(leave: bool) -> Callable[[Any, Any, Path, int], list[Target]]:
    def make(sandbox: Any, ozonctl: Any, tmp: Path, n: int) -> list[Target]:
        out = []
        actions = ozonctl("promo", "list", "--json").json()
        plain = [  # left by deactivate (those of leave_method update are left by update)
            a["id"]
            for a in actions
            if not a.get("is_voucher_action") and a.get("leave_method") == "deactivate"
        ]
        for action in plain:
            what = "products" if leave else "candidates"
            r = ozonctl("promo", what, str(action), "--json")
            if r.exit_code != 0:
                continue
            for row in r.json()[: n - len(out)]:
                offer = row["offer_id"]
                verb = "leave" if leave else "join"
                out.append(
                    Target(
                        offer,
                        lambda o, a=action, s=offer, v=verb: o(
                            "promo", v, str(a), "--offer", s, "--yes", "--json"
                        ),
                        lambda a=action, s=offer: (a in product(sandbox, s)["actions"]) != leave,
                    )
                )
            if len(out) == n:
                return out
        raise AssertionError(f"fewer than {n} products to {'leave' if leave else 'join'}")

    return make


def order_targets(cancel: bool) -> Callable[[Any, Any, Path, int], list[Target]]:
    def make(sandbox: Any, ozonctl: Any, tmp: Path, n: int) -> list[Target]:
        numbers = [p["posting_number"] for p in unfulfilled(sandbox, ["awaiting_packaging"])]
        assert len(numbers) >= n

        def applied(number: str) -> bool:  # a ship Ozon took may fail (ship_failed)
            state = posting_state(sandbox, number)
            if cancel:
                return bool(state["status"] == "cancelled")
            return state["status"] == "awaiting_deliver" or state["substatus"] == "ship_failed"

        extra = ("-r", "352", "--force", "--yes") if cancel else ("--yes",)
        verb = "cancel" if cancel else "ship"
        return [
            Target(
                number,
                lambda o, x=number: o("order", verb, x, *extra, "--json"),
                lambda x=number: applied(x),
            )
            for number in numbers[:n]
        ]

    return make


def archive_targets(how: str) -> Callable[[Any, Any, Path, int], list[Target]]:
    """``archive`` products on sale; ``unarchive`` / ``restore`` ones archived first."""

    def make(sandbox: Any, ozonctl: Any, tmp: Path, n: int) -> list[Target]:
        offers = free_offers(sandbox, ozonctl, n)
        out = []
        for offer in offers:
            args: tuple[str, ...] = ("listing", how, offer)
            if how != "archive":
                r = ozonctl("listing", "archive", offer, "--yes", "--json")
                assert r.exit_code == 0, r.stderr
                args = ("listing", "restore", r.json()["ref"]) if how == "restore" else args
            out.append(
                Target(
                    offer,
                    lambda o, a=args: o(*a, "--yes", "--json"),
                    lambda s=offer: product(sandbox, s)["archived"] == (how == "archive"),
                )
            )
        return out

    return make


KINDS = [
    Kind("archive", "/v1/product/archive", archive_targets("archive")),
    Kind("unarchive", "/v1/product/unarchive", archive_targets("unarchive")),
    Kind("restore", "/v1/product/unarchive", archive_targets("restore")),
    Kind("stock set", "/v2/products/stocks", stock_targets(via_file=False)),
    Kind("stock import", "/v2/products/stocks", stock_targets(via_file=True)),
    Kind("price set", "/v1/product/import/prices", price_targets(via_file=False)),
    Kind("price import", "/v1/product/import/prices", price_targets(via_file=True)),
    Kind("promo join", "/v1/actions/products/update", promo_targets(leave=False)),
    Kind("promo leave", "/v2/actions/products/deactivate", promo_targets(leave=True)),
    Kind("order ship", "/v4/posting/fbs/ship", order_targets(cancel=False)),
    Kind("order cancel", "/v2/posting/fbs/cancel", order_targets(cancel=True)),
]


def sent(sandbox: Any, path: str) -> int:
    return len(sandbox.requests(path))


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name.replace(" ", "-"))
def test_a_write_under_a_fault_reports_what_the_sandbox_holds(
    kind: Kind, sandbox: Any, ozonctl: Any, tmp_path: Path
) -> None:
    # The faults answer at once; a write left in doubt is waited out (timeout + 5 s)
    # before the next run of the same promotion reads it back: 3 s keeps that short.
    assert ozonctl("config", "set", "timeout", "3").exit_code == 0
    assert ozonctl("sync").exit_code == 0
    targets = kind.targets(sandbox, ozonctl, tmp_path, len(FAULTS))
    assert not any(t.applied() for t in targets)
    for fault_kind, t in zip(FAULTS, targets, strict=True):
        fault(sandbox, f"{kind.path}={fault_kind}:1")
        before = sent(sandbox, kind.path)
        r = t.run(ozonctl)
        where = (kind.name, fault_kind, r.exit_code, r.stdout[-400:], r.stderr[-400:])
        assert not t.applied(), where  # the sandbox applied nothing
        assert r.exit_code != 0, where  # so ozonctl must not report success
        assert r.stderr.count("error:") == 1, where  # one error line, not a traceback
        assert "Traceback" not in r.stderr, where
        assert sent(sandbox, kind.path) == before + 1, where  # and sent it once


def test_reads_answered_with_a_redirect_are_errors_and_empty_nothing(
    sandbox: Any, ozonctl: Any, ozonctl_home: Path
) -> None:
    """Issue 23.2: a 3xx made doctor say the keys work, ``order at-risk --fail-if-any``
    exit 0, sync empty the catalogue index and payouts print zeros."""
    assert ozonctl("sync").exit_code == 0
    index = ozonctl_home / "cache" / "profiles" / "default" / "catalog" / "index.toml"
    synced = tomllib.loads(index.read_text(encoding="utf-8"))
    fault(sandbox, "*=302")
    for args in (
        ("doctor",),
        ("order", "at-risk", "--fail-if-any"),
        ("sync",),
        ("payout", "balance"),
    ):
        r = ozonctl(*args)
        assert r.exit_code not in (0, 6), (args, r.exit_code, r.stdout[-300:], r.stderr[-300:])
        assert "redirect" in r.stdout + r.stderr, (args, r.stdout[-300:], r.stderr[-300:])
        assert "Traceback" not in r.stderr, args
    assert tomllib.loads(index.read_text(encoding="utf-8")) == synced  # kept whole


def said_failed(r: Any) -> bool:
    """The JSON document calls the write failed (a result or outcome, not a note)."""
    doc = r.json() if r.stdout.lstrip().startswith(("{", "[")) else {}
    rows = doc.get("items") or doc.get("postings") or [doc] if isinstance(doc, dict) else doc
    return any(
        isinstance(row, dict) and "failed" in (row.get("result"), row.get("outcome"))
        for row in rows
    )


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name.replace(" ", "-"))
def test_a_timed_out_write_that_landed_is_not_reported_failed(
    kind: Kind, sandbox: Any, ozonctl: Any, tmp_path: Path
) -> None:
    """Issue 23: the reported outcome is what Ozon applied. A write whose answer came after
    the timeout is unknown (or read back once it landed), never 'failed'."""
    assert ozonctl("sync").exit_code == 0
    (t,) = kind.targets(sandbox, ozonctl, tmp_path, 1)
    assert ozonctl("config", "set", "timeout", "1").exit_code == 0
    fault(sandbox, f"{kind.path}=slow:{SLOW_MS}:1")
    before = sent(sandbox, kind.path)
    r = t.run(ozonctl)
    where = (kind.name, r.exit_code, r.stdout[-600:], r.stderr[-300:])
    if r.exit_code == 0:
        assert t.applied(), where  # reported done: it has landed
    deadline = time.monotonic() + 10
    while not t.applied():  # the late write lands
        assert time.monotonic() < deadline, where
        time.sleep(0.2)
    assert sent(sandbox, kind.path) == before + 1, where  # never sent twice
    assert not said_failed(r), where


def test_ozons_per_item_limits_on_stock_and_prices_are_reported_as_refused(
    sandbox: Any, ozonctl: Any, tmp_path: Path
) -> None:
    """Issue 23, "Done when": Ozon's own limits on writes — one stock change per product
    and warehouse every 30 s, ten price changes per product an hour. A write past them is
    reported failed with Ozon's reason (exit 3) and the sandbox keeps the value before it."""
    assert ozonctl("sync").exit_code == 0
    offer, other = free_offers(sandbox, ozonctl, 2)
    qty = product(sandbox, offer)["present"][0]
    first = ozonctl(
        "listing", "stock", "set", "--yes", offer, str(qty + 3), "-w", str(MOSCOW), "--json"
    )
    assert first.exit_code == 0, first.stderr
    again = ozonctl(
        "listing", "stock", "set", "--yes", offer, str(qty + 9), "-w", str(MOSCOW), "--json"
    )
    assert again.exit_code == 3, (again.stdout[-400:], again.stderr[-400:])
    assert "TOO_MANY_REQUESTS" in again.stdout + again.stderr
    assert said_failed(again)
    assert product(sandbox, offer)["present"][0] == qty + 3

    price = round(product(sandbox, other)["price"])
    for k in range(1, 11):  # ten changes within the hour go through
        r = ozonctl("listing", "price", "set", "--yes", other, "--price", str(price + k), "--json")
        assert r.exit_code == 0, (k, r.stdout[-300:], r.stderr[-300:])
    r = ozonctl("listing", "price", "set", "--yes", other, "--price", str(price + 11), "--json")
    assert r.exit_code == 3, (r.stdout[-400:], r.stderr[-400:])
    assert "TOO_MANY_REQUESTS" in r.stdout + r.stderr
    assert said_failed(r)
    assert product(sandbox, other)["price"] == price + 10
