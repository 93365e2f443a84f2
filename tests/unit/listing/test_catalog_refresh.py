"""Catalogue index and sales history refreshed from the fake API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from listing_fake import TODAY, FakeOzon, posting

from ozonctl.catalog.index import CatalogIndex
from ozonctl.catalog.sales import SaleLine, SalesHistory
from ozonctl.cli.context import AppContext
from ozonctl.errors import OzonctlError


@pytest.fixture
def ctx() -> Any:
    c = AppContext()
    yield c
    c.close()


def test_index_refresh_walks_both_visibilities_and_reads_details_once(
    fake: FakeOzon, ctx: AppContext
) -> None:
    for pid in (1000, 1001):
        fake.products[pid].archived = True
    index = CatalogIndex.refresh(ctx.catalog_dir(), ctx.client())
    assert len(index) == 250
    assert {b["filter"]["visibility"] for b in fake.calls("/v3/product/list")} == {
        "ALL",
        "ARCHIVED",
    }
    assert sum(len(b["product_id"]) for b in fake.calls("/v3/product/info/list")) == 250
    e = index.by_offer("OF-00003")
    assert e is not None and e.sku == 500003 and e.name == "Product 3"
    assert e.created == (TODAY - dt.timedelta(days=103)).date()
    assert index.by_sku(500003) == e and index.by_product_id(1003) == e
    assert index.by_product_id(1000) is not None and index.by_product_id(1000).archived  # type: ignore[union-attr]
    # Second refresh: a new product; details are read for it alone.
    fake.log.clear()
    fake.products[5000] = type(fake.products[1000])(5000, "NEW-1", 900, "New", TODAY)
    again = CatalogIndex.refresh(ctx.catalog_dir(), ctx.client())
    assert [b["product_id"] for b in fake.calls("/v3/product/info/list")] == [["5000"]]
    assert again.by_offer("NEW-1") is not None and len(CatalogIndex.load(ctx.catalog_dir())) == 251


def test_sales_refresh_is_incremental(fake: FakeOzon, ctx: AppContext) -> None:
    today = dt.datetime.now(dt.UTC).date()
    fake.postings = [
        posting("A-1", today - dt.timedelta(days=3), 500001, 2, "150.50"),
        posting("A-2", today - dt.timedelta(days=3), 500001, 1, "150.50"),
        posting("A-3", today - dt.timedelta(days=40), 500002),
        posting("A-4", today - dt.timedelta(days=200), 500003),
        posting("A-5", today - dt.timedelta(days=5), 500004, status="cancelled"),
    ]
    hist = SalesHistory.refresh(ctx.catalog_dir(), ctx.client(), 90)
    first = fake.calls("/v4/posting/fbs/list")[0]["filter"]
    assert "last_changed_status_date" not in first
    assert first["since"] == f"{today - dt.timedelta(days=90)}T00:00:00Z"
    assert hist.last_sale(500001) == today - dt.timedelta(days=3)
    assert hist.last_sale(500003) is None and hist.last_sale(500004) is None
    by_day = hist.units_by_day({500001, 500002}, today - dt.timedelta(days=10), today)
    assert by_day == {500001: {today - dt.timedelta(days=3): (3, Decimal("451.50"))}}
    # A later run asks only for postings changed since the last refresh (minus overlap);
    # a posting cancelled meanwhile loses its lines.
    fake.log.clear()
    now = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(seconds=5)
    fake.postings[1] = posting(
        "A-2",
        today - dt.timedelta(days=3),
        500001,
        1,
        "150.50",
        status="cancelled",
        changed=now - dt.timedelta(seconds=1),
    )
    hist2 = SalesHistory.refresh(ctx.catalog_dir(), ctx.client(), 90, now=now)
    flt = fake.calls("/v4/posting/fbs/list")[0]["filter"]
    assert "last_changed_status_date" in flt
    assert flt["last_changed_status_date"]["from"] < flt["last_changed_status_date"]["to"]
    units = hist2.units_by_day({500001}, today - dt.timedelta(days=10), today)
    assert units[500001][today - dt.timedelta(days=3)] == (2, Decimal("301.00"))
    assert hist2.last_sale(500002) == today - dt.timedelta(days=40)  # kept from before
    assert (
        SalesHistory.load(ctx.catalog_dir()).units_by_day(
            {500001}, today - dt.timedelta(days=10), today
        )
        == units
    )


def test_sales_history_counts_fbo_postings(fake: FakeOzon, ctx: AppContext) -> None:
    """Sales through Ozon's warehouses count: the FBO list is read too, in full first,
    then (it has no status-change filter) the recent days again, so a cancellation
    there still takes the sale out."""
    today = dt.datetime.now(dt.UTC).date()
    fake.postings = [posting("S-1", today - dt.timedelta(days=3), 500001)]
    fake.fbo_postings = [
        posting("F-1", today - dt.timedelta(days=20), 500002, 2, "99.90"),
        posting("F-2", today - dt.timedelta(days=2), 500003),
        posting("F-3", today - dt.timedelta(days=4), 500004, status="cancelled"),
    ]
    hist = SalesHistory.refresh(ctx.catalog_dir(), ctx.client(), 90)
    first = fake.calls("/v3/posting/fbo/list")[0]["filter"]
    assert first["since"] == f"{today - dt.timedelta(days=90)}T00:00:00Z"
    assert hist.last_sale(500001) == today - dt.timedelta(days=3)
    assert hist.last_sale(500002) == today - dt.timedelta(days=20)
    assert hist.last_sale(500003) == today - dt.timedelta(days=2)
    assert hist.last_sale(500004) is None
    units = hist.units_by_day({500002}, today - dt.timedelta(days=30), today)
    assert units == {500002: {today - dt.timedelta(days=20): (2, Decimal("199.80"))}}
    # Incremental: recent FBO postings are read again; one cancelled meanwhile loses its line.
    fake.log.clear()
    fake.fbo_postings[1]["status"] = "cancelled"
    now = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(seconds=5)
    hist2 = SalesHistory.refresh(ctx.catalog_dir(), ctx.client(), 90, now=now)
    again = fake.calls("/v3/posting/fbo/list")[0]["filter"]
    assert again["since"] > first["since"]
    assert hist2.last_sale(500003) is None
    assert hist2.last_sale(500002) == today - dt.timedelta(days=20)  # kept from before
    assert SalesHistory.load(ctx.catalog_dir()).last_sale(500002) == today - dt.timedelta(days=20)


def test_an_empty_product_list_never_empties_the_index(fake: FakeOzon, cli: Any) -> None:
    """A sync whose product list comes back empty (a proxy's answer, a wrong account)
    keeps the index it had, says so in one line and exits 1."""
    r = cli("sync", "--json")
    assert r.exit_code == 0, r.stderr and r.json()["products"] == 250
    ctx = AppContext()
    path = ctx.cache_dir() / "catalog" / "index.toml"
    before = path.read_bytes()
    fake.products.clear()
    for full in ((), ("--full",)):
        r = cli("sync", *full)
        assert r.exit_code == 1
        assert "no products" in r.stderr and "kept" in r.stderr
        assert len(r.stderr.strip().splitlines()) == 1
        assert path.read_bytes() == before
    assert len(CatalogIndex.load(ctx.catalog_dir())) == 250
    ctx.close()


def test_an_empty_posting_list_never_empties_the_sales_history(
    fake: FakeOzon, ctx: AppContext
) -> None:
    today = dt.datetime.now(dt.UTC).date()
    fake.postings = [posting("A-1", today - dt.timedelta(days=3), 500001)]
    SalesHistory.refresh(ctx.catalog_dir(), ctx.client(), 90)
    path = ctx.cache_dir() / "catalog" / "sales.toml"
    before = path.read_bytes()
    fake.postings = []
    with pytest.raises(OzonctlError, match="no postings"):
        SalesHistory.refresh(ctx.catalog_dir(), ctx.client(), 90, full=True)
    assert path.read_bytes() == before
    assert SalesHistory.load(ctx.catalog_dir()).last_sale(500001) == today - dt.timedelta(days=3)


def test_a_history_saved_from_an_empty_answer_is_read_in_full_again(
    fake: FakeOzon, ctx: AppContext
) -> None:
    """A history written from an empty answer (nothing sold, as far as it knows) is not
    refreshed incrementally: the next refresh reads every posting of the window again,
    so the products that did sell stop looking stale."""
    today = dt.datetime.now(dt.UTC).date()
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    path = ctx.cache_dir() / "catalog" / "sales.toml"
    # as a refresh that got an empty answer left it: covering 90 days, no line
    SalesHistory([], since=today - dt.timedelta(days=90), refreshed=now).write(path)
    fake.postings = [posting("A-1", today - dt.timedelta(days=30), 500001)]
    hist = SalesHistory.refresh(ctx.catalog_dir(), ctx.client(), 90)
    flt = fake.calls("/v4/posting/fbs/list")[0]["filter"]
    assert "last_changed_status_date" not in flt
    assert hist.last_sale(500001) == today - dt.timedelta(days=30)
    # FBS answered empty once, FBO did not: FBS is read in full again next time
    path.unlink()
    fake.log.clear()
    fake.postings = []
    fake.fbo_postings = [posting("F-1", today - dt.timedelta(days=9), 500002)]
    SalesHistory.refresh(ctx.catalog_dir(), ctx.client(), 90)
    fake.postings = [posting("A-1", today - dt.timedelta(days=30), 500001)]
    fake.log.clear()
    hist = SalesHistory.refresh(
        ctx.catalog_dir(), ctx.client(), 90, now=now + dt.timedelta(seconds=5)
    )
    assert "last_changed_status_date" not in fake.calls("/v4/posting/fbs/list")[0]["filter"]
    assert hist.last_sale(500001) == today - dt.timedelta(days=30)
    assert hist.last_sale(500002) == today - dt.timedelta(days=9)
    # both seen now: the next refresh is incremental
    fake.log.clear()
    SalesHistory.refresh(ctx.catalog_dir(), ctx.client(), 90, now=now + dt.timedelta(seconds=10))
    assert "last_changed_status_date" in fake.calls("/v4/posting/fbs/list")[0]["filter"]


@pytest.mark.parametrize("column", ["day", "sku", "units", "revenue"])
def test_a_sales_history_with_a_value_of_another_kind_is_moved_aside(
    tmp_path: Path, column: str
) -> None:
    """A damaged cache is moved aside and rebuilt by the next refresh, not a traceback."""
    path = tmp_path / "sales.toml"
    day = dt.date(2026, 11, 1)
    SalesHistory(
        [SaleLine("P-1", day, 500001, 2, Decimal("10.50"))], since=day, refreshed=TODAY
    ).write(path)
    values = {"day": "2026-11-01", "sku": "500001", "units": "2", "revenue": "10.50"}
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(f"\n{values[column]}\n", "\nnot-a-value\n"), encoding="utf-8")
    assert SalesHistory.read(path).lines == []
    assert not path.exists() and list(tmp_path.glob("sales.toml.corrupt-*"))


def test_a_history_written_before_fbo_was_read_gets_its_fbo_sales_next_time(
    fake: FakeOzon, ctx: AppContext
) -> None:
    """A sales.toml of an older ozonctl (FBS lines, no ``schemes`` key): the next refresh
    reads FBS changes only, and every FBO posting of the window."""
    today = dt.datetime.now(dt.UTC).date()
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    path = ctx.cache_dir() / "catalog" / "sales.toml"
    line = SaleLine("A-1", today - dt.timedelta(days=30), 500001, 1, Decimal(500))
    SalesHistory([line], since=today - dt.timedelta(days=90), refreshed=now).write(path)
    path.write_text(
        "\n".join(x for x in path.read_text().splitlines() if not x.startswith("schemes")) + "\n"
    )
    fake.fbo_postings = [posting("F-1", today - dt.timedelta(days=60), 500002)]
    hist = SalesHistory.refresh(
        ctx.catalog_dir(), ctx.client(), 90, now=now + dt.timedelta(seconds=5)
    )
    assert "last_changed_status_date" in fake.calls("/v4/posting/fbs/list")[0]["filter"]
    fbo = fake.calls("/v3/posting/fbo/list")[0]["filter"]
    assert fbo["since"] == f"{today - dt.timedelta(days=90)}T00:00:00Z"
    assert hist.last_sale(500001) == today - dt.timedelta(days=30)  # kept
    assert hist.last_sale(500002) == today - dt.timedelta(days=60)
    assert hist.seen == {"fbs", "fbo"}
