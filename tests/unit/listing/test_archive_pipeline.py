"""``listing archive`` is a pipeline (issue 17, Ozon's rate spent from the first request
to the last): each 1000 products' archive calls go out once their cards and promotions
are read and journalled, while the cards and promotions of the next 1000 are still being
read -- with the requests still the fewest the item limits allow, every product's
``planned`` step and promotions durable before its batch is sent, and a read that fails
half-way leaving what was sent recorded."""

from __future__ import annotations

import threading
import tomllib
from pathlib import Path
from typing import Any

import listing_fake
import pytest
from listing_fake import FakeOzon
from test_commands import grow

INFO = "/v3/product/info/list"
PRICES = "/v5/product/info/prices"
ARCHIVE = "/v1/product/archive"


def ids_in(body: dict[str, Any]) -> set[int]:
    """The product ids a card read, price read or archive call names."""
    ids = body.get("product_id") or body.get("filter", {}).get("product_id") or []
    return {int(i) for i in ids}


def steps(home: Path) -> list[tuple[str, dict[str, Any]]]:
    """The steps of the archive run in the journal, as a reader finds them on disk now."""
    out = []
    for folder in (home / "state").rglob("archive-*"):
        for f in sorted(folder.glob("0*.toml")):
            out.append((f.stem.split("-", 1)[1], tomllib.loads(f.read_text())))
    return out


def wrap(monkeypatch: pytest.MonkeyPatch, path: str, before: Any) -> None:
    """``before(body)`` runs when the fake gets a request to ``path``, then it answers."""
    real = listing_fake.ROUTES[path]

    def route(f: FakeOzon, body: dict[str, Any]) -> Any:
        before(body)
        return real(f, body)

    monkeypatch.setitem(listing_fake.ROUTES, path, route)


def test_the_first_archive_calls_do_not_wait_for_the_last_cards_and_prices(
    fake: FakeOzon, cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The last card read and the last price read are answered only once an archive call
    has come: read all first, then archive (the code before) would hold them 10 s and
    fail here."""
    grow(fake, 3000)
    assert cli("sync").exit_code == 0
    last = max(fake.products)
    archived_one = threading.Event()
    waited: dict[str, bool] = {}

    def hold_the_last(path: str) -> Any:
        def before(body: dict[str, Any]) -> None:
            if last in ids_in(body):
                waited[path] = archived_one.wait(10)

        return before

    wrap(monkeypatch, INFO, hold_the_last(INFO))
    wrap(monkeypatch, PRICES, hold_the_last(PRICES))
    wrap(monkeypatch, ARCHIVE, lambda body: archived_one.set())
    first = len(fake.log)
    tokens = "\n".join(p.offer_id for p in fake.products.values())
    r = cli("listing", "archive", "--from-file", "-", "--yes", "--json", input=tokens)
    assert r.exit_code == 0, r.stderr
    assert waited == {INFO: True, PRICES: True}
    paths = [p for p, _ in fake.log[first:] if p != "/v1/roles"]
    # still the fewest requests: 3 card reads, 3 price reads, 30 archive calls
    assert (paths.count(INFO), paths.count(PRICES), paths.count(ARCHIVE)) == (3, 3, 30)
    assert {i["result"] for i in r.json()["items"]} == {"archived"}
    assert all(p.archived for p in fake.products.values())


def test_every_batch_is_journalled_with_its_promotions_before_it_is_sent(
    fake: FakeOzon, cli: Any, ozonctl_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    grow(fake, 2500)
    for pid in list(fake.products)[::7]:
        fake.products[pid].promotions = 2
    promoted = {pid for pid, p in fake.products.items() if p.promotions}
    assert cli("sync").exit_code == 0
    problems: list[str] = []

    def check(body: dict[str, Any]) -> None:
        batch = ids_in(body)
        on_disk = steps(ozonctl_home)
        planned = {int(p) for name, d in on_disk if name == "planned" for p in d["product_id"]}
        counted = {int(row[0]) for name, d in on_disk if name == "promotions" for row in d["in"]}
        if not batch <= planned:
            problems.append(f"{len(batch - planned)} products sent before their planned step")
        if not batch & promoted <= counted:
            problems.append(f"{len(batch & promoted - counted)} promotions not journalled")

    wrap(monkeypatch, ARCHIVE, check)
    tokens = "\n".join(p.offer_id for p in fake.products.values())
    r = cli("listing", "archive", "--from-file", "-", "--yes", "--json", input=tokens)
    assert r.exit_code == 0, r.stderr
    assert len(fake.calls(ARCHIVE)) == 25 and problems == []
    # what `listing restore` names: every promoted product, once
    counted = [int(row[0]) for name, d in steps(ozonctl_home) if name == "promotions" for row in d["in"]]  # fmt: skip
    assert sorted(counted) == sorted(promoted)


def test_a_price_read_that_fails_half_way_leaves_what_was_sent_recorded(
    fake: FakeOzon, cli: Any, ozonctl_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The products of the first 1000 are archived and recorded; the error stops the run
    (exit 1, its one line); nothing of the failed read's products is sent; the rerun
    sends only those not done."""
    import httpx

    grow(fake, 2500)
    assert cli("sync").exit_code == 0
    last = max(fake.products)
    real = listing_fake.ROUTES[PRICES]

    def fails_for_the_last(f: FakeOzon, body: dict[str, Any]) -> Any:
        if last in ids_in(body):
            return httpx.Response(400, json={"code": 3, "message": "bad filter"})
        return real(f, body)

    monkeypatch.setitem(listing_fake.ROUTES, PRICES, fails_for_the_last)
    tokens = "\n".join(p.offer_id for p in fake.products.values())
    r = cli("listing", "archive", "--from-file", "-", "--yes", "--json", input=tokens)
    assert r.exit_code == 1 and "bad filter" in r.stderr
    sent = {p for body in fake.calls(ARCHIVE) for p in ids_in(body)}
    assert last not in sent and sent == {p.product_id for p in fake.products.values() if p.archived}
    verified = {p for name, d in steps(ozonctl_home) if name == "verified" for p in d["archived"]}
    assert verified == sent and len(sent) >= 1000
    monkeypatch.setitem(listing_fake.ROUTES, PRICES, real)
    before = len(fake.calls(ARCHIVE))
    r2 = cli("listing", "archive", "--from-file", "-", "--yes", "--json", input=tokens)
    assert r2.exit_code == 0, r2.stderr
    again = {p for body in fake.calls(ARCHIVE)[before:] for p in ids_in(body)}
    assert again.isdisjoint(sent) and all(p.archived for p in fake.products.values())


def test_two_card_reads_at_most_are_in_flight(
    fake: FakeOzon, cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each card answer is parsed by the thread that read it: eight at once would share
    the interpreter and all end late, while the first 1000 products wait for the first
    two (``CARD_READS_AT_ONCE``)."""
    import time

    grow(fake, 5000)
    assert cli("sync").exit_code == 0
    lock = threading.Lock()
    now, most = 0, 0

    def counted(f: FakeOzon, body: dict[str, Any], real: Any = listing_fake.ROUTES[INFO]) -> Any:
        nonlocal now, most
        with lock:
            now += 1
            most = max(most, now)
        time.sleep(0.05)
        with lock:
            now -= 1
        return real(f, body)

    monkeypatch.setitem(listing_fake.ROUTES, INFO, counted)
    tokens = "\n".join(p.offer_id for p in fake.products.values())
    r = cli("listing", "archive", "--from-file", "-", "--yes", "--json", input=tokens)
    assert r.exit_code == 0, r.stderr
    assert len(fake.calls(INFO)) >= 5 and most == 2
