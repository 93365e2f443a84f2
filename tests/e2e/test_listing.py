"""Listing commands as real processes against the real sandbox: pipes, --json, the
requests sent and the sandbox's state after."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.e2e


def state(sandbox: Any, token: str) -> dict[str, Any]:
    return sandbox.get(f"/__sandbox/state/product/{token}")  # type: ignore[no-any-return]


@pytest.mark.sandbox_args("--products", "1500")
def test_list_all_streams_every_page_in_json_and_tsv(sandbox: Any, ozonctl: Any) -> None:
    r = ozonctl("listing", "list", "--all", "--json")
    assert r.exit_code == 0, r.stderr
    rows = r.json()
    summary = sandbox.get("/__sandbox/state")
    assert len(rows) == summary["products"] - summary["archived"]
    assert all(row["name"] and row["offer_id"] for row in rows)
    lists = [e["body"] for e in sandbox.requests("/v3/product/list")]
    assert len(lists) >= 2 and all(b["limit"] == 1000 for b in lists)
    assert lists[1]["last_id"]
    r2 = ozonctl("listing", "list", "--all")
    lines = r2.stdout.splitlines()
    assert len(lines) == len(rows) and lines[0].split("\t")[0] == rows[0]["offer_id"]
    r3 = ozonctl("listing", "list", "--visibility", "ARCHIVED", "--limit", "5", "--json")
    assert r3.exit_code == 0 and len(r3.json()) == 5 and all(x["archived"] for x in r3.json())


@pytest.mark.sandbox_args("--products", "3500")
def test_list_walk_sends_one_list_and_one_info_per_page(sandbox: Any, ozonctl: Any) -> None:
    """The pipelined walk (list page k+1 read while page k's details are read) sends
    the minimum: one /v3/product/list and one /v3/product/info/list per page of 1000,
    each info with exactly the ids of its list page; ``--limit`` asks for no page beyond
    it."""
    httpx.post(sandbox.base_url + "/__sandbox/reset-log", timeout=10)
    r = ozonctl("listing", "list", "--all", "--json")
    assert r.exit_code == 0, r.stderr
    rows = r.json()
    pages = -(-len(rows) // 1000)
    lists = [e["body"] for e in sandbox.requests("/v3/product/list")]
    infos = [e["body"] for e in sandbox.requests("/v3/product/info/list")]
    assert len(lists) == len(infos) == pages >= 3
    ids = [str(row["product_id"]) for row in rows]
    # the details of several pages are read side by side: they reach Ozon in any order
    assert sorted(b["product_id"] for b in infos) == sorted(
        ids[k : k + 1000] for k in range(0, len(ids), 1000)
    )
    assert len(set(ids)) == len(ids)
    httpx.post(sandbox.base_url + "/__sandbox/reset-log", timeout=10)
    r = ozonctl("listing", "list", "--limit", "1500", "--json")
    assert r.exit_code == 0 and [x["product_id"] for x in r.json()] == [int(i) for i in ids[:1500]]
    assert len(sandbox.requests("/v3/product/list")) == 2
    sizes = [len(e["body"]["product_id"]) for e in sandbox.requests("/v3/product/info/list")]
    assert sorted(sizes) == [500, 1000]


def test_archive_from_stdin_then_restore(sandbox: Any, ozonctl: Any) -> None:
    offers = [
        row["offer_id"] for row in ozonctl("listing", "list", "--limit", "3", "--json").json()
    ]
    r = ozonctl(
        "listing", "archive", "--reason", "replaced", "--yes", "--json", input="\n".join(offers)
    )
    assert r.exit_code == 0, r.stderr
    doc = r.json()
    assert {i["result"] for i in doc["items"]} == {"archived"}
    sent = [e["body"] for e in sandbox.requests("/v1/product/archive")]
    assert len(sent) == 1 and len(sent[0]["product_id"]) == 3
    assert all(state(sandbox, o)["archived"] for o in offers)
    r = ozonctl("listing", "show", offers[0], "--json")
    assert r.json()["archived"] is True
    r = ozonctl("listing", "restore", doc["ref"], "--yes")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.count("\tunarchived") == 3
    assert not any(state(sandbox, o)["archived"] for o in offers)


def test_delete_archived_without_sku(sandbox: Any, ozonctl: Any) -> None:
    archived = ozonctl("listing", "list", "--visibility", "ARCHIVED", "--all", "--json").json()
    no_sku = next(x for x in archived if not x["sku"])
    with_sku = next(x for x in archived if x["sku"])
    r = ozonctl("listing", "delete", no_sku["offer_id"], with_sku["offer_id"])
    assert r.exit_code == 2 and "--yes required" in r.stderr
    r = ozonctl("listing", "delete", no_sku["offer_id"], with_sku["offer_id"], "--yes", "--json")
    assert r.exit_code == 3
    res = {i["offer_id"]: i["result"] for i in r.json()["items"]}
    assert res == {no_sku["offer_id"]: "deleted", with_sku["offer_id"]: "failed"}
    assert [e["body"] for e in sandbox.requests("/v2/products/delete")] == [
        {"products": [{"offer_id": no_sku["offer_id"]}]}
    ]


def test_stock_import_and_low(sandbox: Any, ozonctl: Any, tmp_path: Any) -> None:
    stock = ozonctl("listing", "stock", "show", "--json").json()
    wh = stock[0]["warehouse_id"]
    offers = sorted({row["offer_id"] for row in stock})[:120]
    csv = tmp_path / "stock.csv"
    csv.write_text(
        "offer_id,warehouse_id,stock\n"
        + "".join(f"{o},{wh},{i % 4}\n" for i, o in enumerate(offers))
    )
    r = ozonctl("listing", "stock", "import", "--yes", str(csv), "--json")
    assert r.exit_code in (0, 3), r.stderr
    items = r.json()["items"]
    assert len(items) == 120
    sizes = sorted(len(e["body"]["stocks"]) for e in sandbox.requests("/v2/products/stocks"))
    assert sizes == [20, 100]  # two batches, sent at once (a minute's worth of the limit)
    ok = [i for i in items if i["result"] == "updated"]
    assert ok
    after = {  # the stock sent is what is free; units reserved for postings come on top
        (w["offer_id"], w["warehouse_id"]): w["free_stock"]
        for w in ozonctl(
            "listing", "stock", "show", *[i["offer_id"] for i in ok[:5]], "--json"
        ).json()
    }
    for i in ok[:5]:
        assert after[(i["offer_id"], wh)] == i["stock"]
    x = ok[0]["offer_id"]
    free = sum(w["free_stock"] for w in ozonctl("listing", "stock", "show", x, "--json").json())
    low = ozonctl("listing", "stock", "low", "--threshold", str(free))
    assert low.exit_code == 0
    assert x in [line.split("\t")[0] for line in low.stdout.splitlines()]
    if free:
        lower = ozonctl("listing", "stock", "low", "--threshold", str(free - 1), "--json").json()
        assert x not in [row["offer_id"] for row in lower]


def test_price_guard_and_import(sandbox: Any, ozonctl: Any, tmp_path: Any) -> None:
    rows = ozonctl("listing", "price", "show", "--json").json()[:2]
    a, b = rows
    cheap = str(int(float(a["price"]) * 0.3) or 1)
    r = ozonctl("listing", "price", "set", "--yes", a["offer_id"], "--price", cheap)
    assert r.exit_code == 2 and "min price" in r.stderr  # Ozon's rule, checked first
    r = ozonctl("listing", "price", "set", a["offer_id"], "--price", cheap, "--min-price", "0")
    assert r.exit_code == 2 and "--yes required" in r.stderr
    assert sandbox.requests("/v1/product/import/prices") == []
    new_b = str(int(float(b["price"])) + 10)
    csv = tmp_path / "p.csv"
    csv.write_text(f"offer_id;price\n{b['offer_id']};{new_b}\n")
    r = ozonctl("listing", "price", "import", "--yes", str(csv))
    assert r.exit_code == 0, r.stderr
    assert [e["body"] for e in sandbox.requests("/v1/product/import/prices")] == [
        {"prices": [{"offer_id": b["offer_id"], "price": new_b}]}
    ]
    assert state(sandbox, b["offer_id"])["price"] == float(new_b)
