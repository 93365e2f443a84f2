"""``listing stale`` and ``listing delist-stale`` against the fake API."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from listing_fake import FakeOzon, posting

from ozonctl.cli.context import AppContext
from ozonctl.state.journal import Journal

TODAY = dt.datetime.now(dt.UTC).date()


def sell(fake: FakeOzon, pid: int, days_ago: int, n: int = 0) -> None:
    p = fake.products[pid]
    fake.postings.append(
        posting(f"S-{pid}-{days_ago}-{n}", TODAY - dt.timedelta(days=days_ago), p.sku)
    )


def shop(n: int = 40) -> FakeOzon:
    fake = FakeOzon.with_products(0)
    return fake


def test_stale_lists_why_and_delist_archives_only_those(
    fake: FakeOzon, cli: Any, tmp_path: Path
) -> None:
    for pid in range(1000, 1250):
        if pid >= 1010:
            sell(fake, pid, 5)
    sell(fake, 1000, 91)  # outside the 90-day window
    sell(fake, 1001, 90)  # on the window's first day: protected
    fake.products[1002].created = dt.datetime.now(dt.UTC) - dt.timedelta(days=10)  # too young
    exclude = tmp_path / "keep.txt"
    exclude.write_text("# keep these\nOF-00003\n500004\n", encoding="utf-8")
    r = cli("listing", "stale", "--exclude", str(exclude), "--json")
    assert r.exit_code == 0, r.stderr
    rows = {row["offer_id"]: row for row in r.json()}
    assert set(rows) == {"OF-00000", "OF-00005", "OF-00006", "OF-00007", "OF-00008", "OF-00009"}
    assert rows["OF-00000"]["last_sale"] is None  # before the history kept (90 days)
    assert rows["OF-00005"]["last_sale"] is None and rows["OF-00005"]["stock"] == 5
    r = cli("listing", "stale", "--exclude", str(exclude), "--zero-stock", "--json")
    assert {row["offer_id"] for row in r.json()} == {"OF-00000", "OF-00007"}

    r = cli("listing", "delist-stale", "--exclude", str(exclude), "--dry-run")
    assert r.exit_code == 0 and fake.calls("/v1/product/archive") == []
    assert "delist-stale (dry run): matched 6, delisted 0, failed 0, skipped 0" in r.stderr
    r = cli("listing", "delist-stale", "--yes", "--exclude", str(exclude), "--json")
    assert r.exit_code == 0, r.stderr
    doc = r.json()
    assert tuple(doc["counts"].values()) == (6, 6, 0, 0)
    assert r.stderr.strip().splitlines()[-1].startswith("delist-stale: matched 6, delisted 6")
    assert sorted(pid for b in fake.calls("/v1/product/archive") for pid in b["product_id"]) == [
        1000,
        1005,
        1006,
        1007,
        1008,
        1009,
    ]
    # The next night: nothing left to do.
    r = cli("listing", "delist-stale", "--yes", "--exclude", str(exclude))
    assert r.exit_code == 0 and "matched 0, delisted 0" in r.stderr
    assert len(fake.calls("/v1/product/archive")) == 1


def test_fbo_sales_and_fbo_stock_protect_a_product(fake: FakeOzon, cli: Any) -> None:
    """A product that sells only through Ozon's warehouses (FBO) is not stale, and one
    with units only in Ozon's warehouses has stock for ``--zero-stock``."""
    for pid in range(1004, 1250):
        sell(fake, pid, 5)
    fbo_seller = fake.products[1000]
    fake.fbo_postings.append(posting("F-1", TODAY - dt.timedelta(days=7), fbo_seller.sku))
    fake.products[1001].fbo_stock = 12
    fake.products[1001].stock = {}
    for pid in (1002, 1003):
        fake.products[pid].stock = {}
    r = cli("listing", "stale", "--json")
    assert r.exit_code == 0, r.stderr
    rows = {row["offer_id"]: row for row in r.json()}
    assert set(rows) == {"OF-00001", "OF-00002", "OF-00003"}
    assert rows["OF-00001"]["stock"] == 12
    r = cli("listing", "stale", "--zero-stock", "--json")
    assert {row["offer_id"] for row in r.json()} == {"OF-00002", "OF-00003"}
    r = cli("listing", "delist-stale", "--yes", "--zero-stock", "--max-percent", "100", "--json")
    assert r.exit_code == 0, r.stderr
    assert sorted(p for b in fake.calls("/v1/product/archive") for p in b["product_id"]) == [
        1002,
        1003,
    ]


def test_safety_limits_refuse_a_mass_delist(fake: FakeOzon, cli: Any) -> None:
    r = cli("listing", "delist-stale", "--yes")  # nothing sold: all 250 match
    assert (
        r.exit_code == 1 and "safety limit of 12" in r.stderr and "nothing was archived" in r.stderr
    )
    assert fake.calls("/v1/product/archive") == []
    r = cli("listing", "delist-stale", "--yes", "--max", "1000", "--max-percent", "100", "--json")
    assert r.exit_code == 0 and r.json()["counts"]["delisted"] == 250
    # batches go out side by side: their order at the fake is not fixed
    assert sorted(len(b["product_id"]) for b in fake.calls("/v1/product/archive")) == [50, 100, 100]


def test_partial_failure_exits_3_with_the_failed_listed(fake: FakeOzon, cli: Any) -> None:
    for pid in range(1003, 1250):
        sell(fake, pid, 1)
    fake.fail_archive = {1001}
    r = cli("listing", "delist-stale", "--yes", "--max-percent", "100")
    assert r.exit_code == 3
    assert "OF-00001: Ozon did not mark it archived" in r.stderr
    assert "matched 3, delisted 2, failed 1, skipped 0" in r.stderr


def test_a_killed_run_is_settled_and_nothing_is_archived_twice(fake: FakeOzon, cli: Any) -> None:
    for pid in range(1004, 1250):
        sell(fake, pid, 1)
    # A previous run planned a batch of 1000..1001, sent it (Ozon applied it) and died.
    ctx = AppContext()
    op = Journal(ctx.state_dir(), "listing").new("delist-stale")
    op.record(0, "plan", {"product_id": [1000, 1001, 1002, 1003]})
    op.record(1, "planned", {"product_id": [1000, 1001], "at": "2026-01-01T00:00:00Z"})
    fake.products[1000].archived = fake.products[1001].archived = True
    r = cli("listing", "delist-stale", "--yes", "--max-percent", "100", "--json")
    assert r.exit_code == 0, r.stderr
    assert "settled interrupted run" in r.stderr
    assert [b["product_id"] for b in fake.calls("/v1/product/archive")] == [[1002, 1003]]
    assert r.json()["counts"]["delisted"] == 2
    assert Journal(ctx.state_dir(), "listing").get(op.ref).status == "interrupted"
    # restore of the killed run unarchives what it archived.
    r = cli("listing", "restore", op.ref, "--yes", "--json")
    assert r.exit_code == 0, r.stderr
    assert fake.calls("/v1/product/unarchive") == [{"product_id": [1000, 1001]}]


@st.composite
def scenario(draw: st.DrawFn) -> dict[str, Any]:
    n = draw(st.integers(1, 30))
    return {
        "n": n,
        "ages": [draw(st.integers(0, 120)) for _ in range(n)],
        "sales": [draw(st.one_of(st.none(), st.integers(0, 150))) for _ in range(n)],
        "excluded": [draw(st.integers(0, 5)) == 0 for _ in range(n)],
        "no_sales_days": draw(st.integers(1, 120)),
        "min_age_days": draw(st.integers(0, 90)),
    }


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(scenario())
def test_delist_stale_never_touches_protected_products(
    cli: Any, tmp_path_factory: Any, s: dict[str, Any]
) -> None:
    import os

    import respx
    from listing_fake import BASE_URL

    fake = FakeOzon.with_products(s["n"])
    home = tmp_path_factory.mktemp("home")
    # noon of today (UTC): "N days old" counts calendar days, so a time of day near
    # midnight must not move a product across a date boundary
    noon = dt.datetime.combine(dt.datetime.now(dt.UTC).date(), dt.time(12), tzinfo=dt.UTC)
    for i, pid in enumerate(sorted(fake.products)):
        fake.products[pid].created = noon - dt.timedelta(days=s["ages"][i])
        if s["sales"][i] is not None:
            sell(fake, pid, s["sales"][i])
    excluded = [f"OF-{i:05d}" for i in range(s["n"]) if s["excluded"][i]]
    keep = home / "keep.txt"
    keep.write_text("\n".join(excluded), encoding="utf-8")
    env = {
        "OZONCTL_HOME": str(home),
        "OZON_API_URL": BASE_URL,
        "OZON_CLIENT_ID": "1",
        "OZON_API_KEY": "k",
    }
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        with respx.mock(base_url=BASE_URL, assert_all_called=False) as router:
            router.route().mock(side_effect=fake.handle)
            r = cli(
                "listing",
                "delist-stale",
                "--yes",
                "--max-percent",
                "100",
                "--max",
                "1000",
                "--no-sales-days",
                str(s["no_sales_days"]),
                "--min-age-days",
                str(s["min_age_days"]),
                "--exclude",
                str(keep),
            )
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    assert r.exit_code == 0, r.stderr
    archived = {pid for b in fake.calls("/v1/product/archive") for pid in b["product_id"]}
    for i, pid in enumerate(sorted(fake.products)):
        sold = s["sales"][i] is not None and s["sales"][i] <= s["no_sales_days"]
        young = s["ages"][i] < s["min_age_days"]
        if sold or young or s["excluded"][i]:
            assert pid not in archived
        else:
            assert pid in archived
