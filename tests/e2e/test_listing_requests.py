"""Archiving sends the fewest requests the item limits allow: ⌈n/1000⌉ card reads first
(the product ids, archived flags and reserved units come from Ozon, not from a local
index that may be stale), ⌈n/1000⌉ price reads (which promotions each product is in, for
``listing restore`` to name: Ozon takes archived products out) and ⌈n/100⌉ archive calls (Ozon's ``result: true`` per batch
is the outcome of its products). ``--verify`` adds ⌈n/1000⌉ card read-backs
(``is_archived``: /v3/product/list by id answers whatever the visibility)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.e2e


def test_archive_requests_are_the_minimum(ozonctl: Any, sandbox: Any) -> None:
    assert ozonctl("sync").exit_code == 0
    on_sale = [p for p in ozonctl("listing", "list", "--all", "--json").json() if not p["archived"]]
    chosen = [p["offer_id"] for p in on_sale[:250]]
    httpx.post(sandbox.base_url + "/__sandbox/reset-log", timeout=10)
    r = ozonctl(
        "listing",
        "archive",
        "--from-file",
        "-",
        "--allow-reserved",
        "--yes",
        "--json",
        input="\n".join(chosen) + "\n",
    )
    assert r.exit_code == 0, r.stderr
    paths = [e["path"] for e in sandbox.requests() if not e["path"].startswith("/__")]
    # the key's roles are read once a day before the first write (ozonctl.keys)
    assert paths.count("/v1/roles") <= 1
    paths = [p for p in paths if p != "/v1/roles"]
    assert paths.count("/v1/product/archive") == 3
    # the cards before; no read-back: every batch answered result: true
    before = ["/v3/product/info/list", "/v5/product/info/prices"]
    assert paths == before + ["/v1/product/archive"] * 3, paths
    sizes = sorted(len(e["body"]["product_id"]) for e in sandbox.requests("/v1/product/archive"))
    assert sizes == [50, 100, 100]
    items = r.json()["items"]
    assert {i["offer_id"] for i in items} == set(chosen)
    assert {i["result"] for i in items} == {"archived"}


def test_archive_verify_reads_every_product_back(ozonctl: Any, sandbox: Any) -> None:
    assert ozonctl("sync").exit_code == 0
    on_sale = [p for p in ozonctl("listing", "list", "--all", "--json").json() if not p["archived"]]
    chosen = [p["offer_id"] for p in on_sale[:120]]
    httpx.post(sandbox.base_url + "/__sandbox/reset-log", timeout=10)
    r = ozonctl("listing", "archive", "--verify", "--allow-reserved", *chosen, "--yes", "--json")
    assert r.exit_code == 0, r.stderr
    paths = [e["path"] for e in sandbox.requests() if not e["path"].startswith("/__")]
    # the key's roles are read once a day before the first write (ozonctl.keys)
    assert paths.count("/v1/roles") <= 1
    paths = [p for p in paths if p != "/v1/roles"]
    info = "/v3/product/info/list"
    assert paths == [info, "/v5/product/info/prices"] + ["/v1/product/archive"] * 2 + [info], paths
    before, read_back = sandbox.requests(info)
    assert len(read_back["body"]["product_id"]) == len(before["body"]["product_id"]) == 120
    assert {i["result"] for i in r.json()["items"]} == {"archived"}
