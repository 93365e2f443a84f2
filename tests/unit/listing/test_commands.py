"""Listing commands in-process against the fake API: requests sent, state after, output."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
from listing_fake import FakeOzon


def grow(fake: FakeOzon, n: int) -> None:
    """Products up to ``n`` in all, like the fake's first 250."""
    first = fake.products[1000]
    for i in range(len(fake.products), n):
        fake.products[1000 + i] = type(first)(
            1000 + i, f"OF-{i:05d}", 500000 + i, f"Product {i}", first.created
        )


def test_list_streams_pages_in_json_and_tsv(fake: FakeOzon, cli: Any) -> None:
    grow(fake, 2300)
    r = cli("listing", "list", "--all", "--json")
    assert r.exit_code == 0, r.stderr
    rows = r.json()
    assert len(rows) == 2300 and rows[0]["offer_id"] == "OF-00000"
    assert (
        rows[5]["price"] == "1000.00" and rows[5]["present"] == 5 and rows[5]["name"] == "Product 5"
    )
    lists = fake.calls("/v3/product/list")
    assert len(lists) == 3 and all(b["limit"] == 1000 for b in lists)
    # the details of up to 3 pages are read side by side: they reach the fake in any order
    assert sorted(len(b["product_id"]) for b in fake.calls("/v3/product/info/list")) == [
        300,
        1000,
        1000,
    ]
    r = cli("listing", "list", "--limit", "3")
    assert r.exit_code == 0
    assert r.stdout.splitlines()[1].split("\t")[:3] == ["OF-00001", "1001", "500001"]
    assert len(r.stdout.splitlines()) == 3
    assert cli("listing", "list", "--visibility", "nope").exit_code == 2


def test_show_by_sku(fake: FakeOzon, cli: Any) -> None:
    r = cli("listing", "show", "500007", "--json")
    assert r.exit_code == 0, r.stderr
    doc = r.json()
    assert doc["offer_id"] == "OF-00007" and doc["warehouses"][0]["present"] == 0
    r = cli("listing", "show", "OF-00008")
    assert "product_id\t1008" in r.stdout and "price\t1000" in r.stdout
    r = cli("listing", "show", "NOPE")
    assert r.exit_code == 2 and "unknown product" in r.stderr


def test_archive_batches_and_verifies_each_product(
    fake: FakeOzon, cli: Any, ozonctl_home: Path
) -> None:
    fake.fail_archive = {1005}
    fake.products[1006].archived = True
    tokens = "\n".join(f"OF-{i:05d}" for i in range(205))
    r = cli(
        "listing",
        "archive",
        "--from-file",
        "-",
        "--reason",
        "season over",
        "--verify",
        "--yes",
        "--json",
        input=tokens,
    )
    assert r.exit_code == 3, r.stderr
    doc = r.json()
    results = {i["offer_id"]: i["result"] for i in doc["items"]}
    assert results["OF-00005"] == "failed" and results["OF-00006"] == "unchanged"
    assert sum(v == "archived" for v in results.values()) == 203
    sizes = [len(b["product_id"]) for b in fake.calls("/v1/product/archive")]
    assert sizes == [100, 100, 4]
    assert sum(p.archived for p in fake.products.values()) == 204
    journal = next((ozonctl_home / "state").rglob(f"{doc['ref']}/op.toml")).read_text()
    assert 'reason = "season over"' in journal and 'status = "partial"' in journal


def test_archive_trusts_batch_answers_without_verify(fake: FakeOzon, cli: Any) -> None:
    fake.fail_archive = {1005}  # Ozon answers result: true yet leaves 1005 on sale
    tokens = "\n".join(f"OF-{i:05d}" for i in range(150))
    r = cli("listing", "archive", "--from-file", "-", "--yes", "--json", input=tokens)
    assert r.exit_code == 0, r.stderr
    assert {i["result"] for i in r.json()["items"]} == {"archived"}
    read_backs = [b for b in fake.calls("/v3/product/list") if "product_id" in b["filter"]]
    assert read_backs == []  # no read-back: 2 archive requests for 150 products
    assert len(fake.calls("/v1/product/archive")) == 2


def test_archive_plans_ten_batches_a_journal_step_before_sending_them(
    fake: FakeOzon, cli: Any, ozonctl_home: Path
) -> None:
    from listing_fake import TODAY, Product

    for i in range(250, 1150):  # 1,150 products: 12 batches of 100 (the last of 50)
        fake.products[1000 + i] = Product(1000 + i, f"OF-{i:05d}", 500000 + i, "P", TODAY)
    order: list[str] = []
    planned_then: list[int] = []

    def spy(path: str) -> None:
        order.append(path)
        if path == "/v1/product/archive":
            planned_then.append(len(list((ozonctl_home / "state").rglob("*-planned.toml"))))

    fake.hook = spy
    tokens = "\n".join(f"OF-{i:05d}" for i in range(1150))
    r = cli("listing", "archive", "--from-file", "-", "--yes", "--json", input=tokens)
    assert r.exit_code == 0, r.stderr
    assert order.count("/v1/product/archive") == 12
    # the i-th request to arrive means batch i was submitted, after its step was written
    assert all(n >= i // 10 + 1 for i, n in enumerate(planned_then)), planned_then
    op_dir = next((ozonctl_home / "state").rglob(f"{r.json()['ref']}/op.toml")).parent
    steps = sorted(p.name for p in op_dir.glob("0*.toml"))
    assert [s.split("-", 1)[1] for s in steps] == [
        "planned.toml", "planned.toml", "sent.toml", "verified.toml"
    ]  # fmt: skip
    planned = [tomllib.loads((op_dir / s).read_text())["product_id"] for s in steps[:2]]
    assert [len(p) for p in planned] == [1000, 150]
    assert sorted(planned[0] + planned[1]) == list(range(1000, 2150))


def test_archive_needs_yes_off_terminal_and_dry_run_sends_nothing(fake: FakeOzon, cli: Any) -> None:
    r = cli("listing", "archive", "OF-00001")
    assert r.exit_code == 2 and "--yes required" in r.stderr
    r = cli("listing", "archive", "OF-00001", "--dry-run")
    assert r.exit_code == 0 and "OF-00001" in r.stdout
    assert fake.calls("/v1/product/archive") == []


def test_archive_zero_stock_sets_stock_first(fake: FakeOzon, cli: Any) -> None:
    r = cli("listing", "archive", "OF-00003", "OF-00004", "--zero-stock", "--yes")
    assert r.exit_code == 0, r.stderr
    paths = [p for p, _ in fake.log]
    assert paths.index("/v2/products/stocks") < paths.index("/v1/product/archive")
    assert fake.products[1003].stock == {101: 0} and fake.products[1003].archived


def test_unarchive_surfaces_ozons_daily_limit_and_restore(fake: FakeOzon, cli: Any) -> None:
    r = cli("listing", "archive", "OF-00001", "OF-00002", "--yes", "--json")
    ref = r.json()["ref"]
    fake.unarchive_error = "restore limit exceeded"
    r = cli("listing", "unarchive", "OF-00001", "--yes")
    assert r.exit_code == 3
    assert "100 auto-archived products a day" in r.stdout
    fake.unarchive_error = None
    r = cli("listing", "restore", ref, "--yes", "--json")
    assert r.exit_code == 0, r.stderr
    assert {i["result"] for i in r.json()["items"]} == {"unarchived"}
    assert not fake.products[1001].archived and not fake.products[1002].archived


def test_delete_only_archived_without_sku(fake: FakeOzon, cli: Any) -> None:
    fake.products[1010].archived = True
    fake.products[1010].sku = 0
    fake.products[1011].archived = True
    r = cli("listing", "delete", "OF-00010", "OF-00011", "OF-00012", "--yes", "--json")
    assert r.exit_code == 3
    res = {i["offer_id"]: (i["result"], i["note"]) for i in r.json()["items"]}
    assert res["OF-00010"][0] == "deleted" and "SKU" in res["OF-00011"][1]
    assert "not archived" in res["OF-00012"][1]
    assert fake.calls("/v2/products/delete") == [{"products": [{"offer_id": "OF-00010"}]}]
    assert 1010 not in fake.products


def test_stock_import_batches_of_100_with_per_item_errors(
    fake: FakeOzon, cli: Any, tmp_path: Path
) -> None:
    fake.stock_errors = {1004: "PRODUCT_IS_ARCHIVED"}
    csv = tmp_path / "s.csv"
    csv.write_text(
        "offer_id;stock\n" + "".join(f"OF-{i:05d};{i}\n" for i in range(150)), encoding="utf-8"
    )
    r = cli("listing", "stock", "import", "--yes", str(csv))
    assert r.exit_code == 3
    assert "PRODUCT_IS_ARCHIVED" in r.stdout
    assert [len(b["stocks"]) for b in fake.calls("/v2/products/stocks")] == [100, 50]
    assert fake.products[1100].stock == {101: 100}
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "offer_id,stock\nOF-00001,5\nOF-00001,6\nNOPE,1\nOF-00002,-1\n", encoding="utf-8"
    )
    r = cli("listing", "stock", "import", "--yes", str(bad))
    assert r.exit_code == 2 and "unknown product NOPE" in r.stderr
    assert len(fake.calls("/v2/products/stocks")) == 2


def test_stock_set_needs_a_warehouse_when_there_are_several(fake: FakeOzon, cli: Any) -> None:
    fake.warehouses = [101, 102]
    r = cli("listing", "stock", "set", "--yes", "OF-00001", "7")
    assert r.exit_code == 2 and "--warehouse" in r.stderr
    r = cli("listing", "stock", "set", "--yes", "OF-00001", "7", "--warehouse", "102", "--json")
    assert r.exit_code == 0 and r.json()["items"][0]["result"] == "updated"
    assert fake.calls("/v2/products/stocks") == [
        {"stocks": [{"product_id": 1001, "warehouse_id": 102, "stock": 7, "offer_id": "OF-00001"}]}
    ]


def test_stock_low_uses_per_product_thresholds(fake: FakeOzon, cli: Any, tmp_path: Path) -> None:
    file = tmp_path / "t.toml"
    file.write_text('default = 1\n[products]\n"OF-00006" = 6\n"500013" = 0\n', encoding="utf-8")
    r = cli("listing", "stock", "low", "--thresholds", str(file), "--json")
    assert r.exit_code == 0, r.stderr
    low = {row["offer_id"]: row["threshold"] for row in r.json()}
    assert low["OF-00006"] == 6 and low["OF-00007"] == 1 and "OF-00013" not in low
    assert "OF-00002" not in low  # stock 2 > default 1


def test_price_guard_asks_before_a_deep_cut(fake: FakeOzon, cli: Any, tmp_path: Path) -> None:
    r = cli("listing", "price", "set", "OF-00001", "--price", "400")
    assert r.exit_code == 2 and "--yes required" in r.stderr and "60.0% lower" in r.stderr
    assert fake.calls("/v1/product/import/prices") == []
    r = cli(
        "listing",
        "price",
        "set",
        "--yes",
        "OF-00001",
        "--price",
        "400",
        "--max-cut",
        "70",
        "--json",
    )
    assert r.exit_code == 0, r.stderr
    assert fake.calls("/v1/product/import/prices") == [
        {"prices": [{"offer_id": "OF-00001", "price": "400"}]}
    ]
    fake.price_errors = {1003: "discount_too_big"}
    csv = tmp_path / "p.csv"
    csv.write_text(
        "offer_id,price,old_price\nOF-00002,990.50,1200\nOF-00003,950,\n", encoding="utf-8"
    )
    r = cli("listing", "price", "import", "--yes", str(csv), "--json")
    assert r.exit_code == 3
    assert {i["offer_id"]: i["result"] for i in r.json()["items"]} == {
        "OF-00002": "updated",
        "OF-00003": "failed",
    }
    assert fake.products[1002].price == "990.50" and fake.products[1002].old_price == "1200"
    r = cli("listing", "price", "show", "OF-00002", "--json")
    assert json.loads(r.stdout)[0]["price"] == "990.50"


def test_list_all_writes_rows_before_reading_the_next_page(fake: FakeOzon, cli: Any) -> None:
    """Rows stream with a bounded read-ahead: the walk is pipelined (list pages are
    walked while the details of up to DETAILS_AT_ONCE listed pages are read side by side
    and earlier rows are written, and each list page is asked for before the one before
    it is read), so page n is asked for only once pages 1..n-(DETAILS_AT_ONCE+3) are
    written: memory holds a fixed number of pages."""
    import sys

    from ozonctl.commands.listing.browse import DETAILS_AT_ONCE

    grow(fake, 5100)
    seen_before_page: list[int] = []

    def spy(path: str) -> None:
        if path == "/v3/product/list":
            seen_before_page.append(sys.stdout.getvalue().count("\n"))  # type: ignore[attr-defined]

    fake.hook = spy
    r = cli("listing", "list", "--all", "--json")
    assert r.exit_code == 0, r.stderr
    assert [row["product_id"] for row in r.json()] == sorted(fake.products)
    assert len(seen_before_page) == 6
    for n, written in enumerate(seen_before_page, start=1):
        assert written >= max(0, n - DETAILS_AT_ONCE - 3) * 1000, (n, seen_before_page)
        assert written % 1000 == 0  # a page is written whole, in one go


def test_list_pipelined_requests_are_exactly_one_list_and_one_info_per_page(
    fake: FakeOzon, cli: Any
) -> None:
    grow(fake, 3500)
    r = cli("listing", "list", "--all")
    assert r.exit_code == 0, r.stderr
    assert len(r.stdout.splitlines()) == 3500
    lists = fake.calls("/v3/product/list")
    assert [b["last_id"] for b in lists] == ["", "1000", "2000", "3000"]
    infos = fake.calls("/v3/product/info/list")
    ids = sorted(fake.products)
    pages = [[str(p) for p in ids[k : k + 1000]] for k in range(0, 3500, 1000)]
    # several pages' details are read side by side, so they may reach Ozon in any order
    assert sorted(b["product_id"] for b in infos) == sorted(pages)
    # each page's details are asked for after its list page, never before
    paths = [p for p, _ in fake.log]
    at_list = [i for i, p in enumerate(paths) if p == "/v3/product/list"]
    at_info = [i for i, (p, _) in enumerate(fake.log) if p == "/v3/product/info/list"]
    bodies = [b for p, b in fake.log if p == "/v3/product/info/list"]
    assert len(paths) == 8
    for at, body in zip(at_info, bodies, strict=True):
        assert at_list[pages.index(body["product_id"])] < at


def test_list_limit_asks_for_no_page_beyond_it(fake: FakeOzon, cli: Any) -> None:
    grow(fake, 3500)
    for limit, lists, infos in (
        (None, [100], [100]),
        ("1000", [1000], [1000]),
        ("1500", [1000, 1000], [1000, 500]),
        ("3000", [1000, 1000, 1000], [1000, 1000, 1000]),
    ):
        fake.log.clear()
        r = cli("listing", "list", *(["--limit", limit] if limit else []), "--json")
        assert r.exit_code == 0, r.stderr
        assert len(r.json()) == sum(infos)
        assert [b["limit"] for b in fake.calls("/v3/product/list")] == lists, limit
        # the details of up to 3 pages are read side by side: they reach the fake in any order
        details = sorted(len(b["product_id"]) for b in fake.calls("/v3/product/info/list"))
        assert details == sorted(infos), limit


def test_list_error_mid_walk_fails_the_command(
    fake: FakeOzon, cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import httpx
    import listing_fake

    grow(fake, 3500)
    info = listing_fake.ROUTES["/v3/product/info/list"]
    listed = sorted(p.product_id for p in fake.products.values() if not p.archived)
    second_page = {str(pid) for pid in listed[1000:2000]}

    def second_fails(f: FakeOzon, body: dict[str, Any]) -> Any:
        # the details of the second list page fail, whichever order the side-by-side
        # detail reads reach the fake in
        if {str(pid) for pid in body.get("product_id", [])} & second_page:
            return httpx.Response(400, json={"code": 3, "message": "bad page"})
        return info(f, body)

    monkeypatch.setitem(listing_fake.ROUTES, "/v3/product/info/list", second_fails)
    r = cli("listing", "list", "--all")
    assert r.exit_code != 0
    assert "bad page" in r.stderr
    assert len(r.stdout.splitlines()) == 1000  # the first page was written
    assert len(fake.calls("/v3/product/list")) <= 4  # the read-ahead stopped


def test_archive_with_unknown_outcome_is_read_back_not_resent(fake: FakeOzon, cli: Any) -> None:
    fake.archive_then_500 = True
    r = cli("listing", "archive", "OF-00001", "OF-00002", "--yes", "--json")
    assert r.exit_code == 0, r.stderr
    assert {i["result"] for i in r.json()["items"]} == {"archived"}
    assert len(fake.calls("/v1/product/archive")) == 1  # a write that may have run: never resent
