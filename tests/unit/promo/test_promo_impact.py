"""``promo impact``: units and revenue N days before and after each leave/join made with
ozonctl, and before and after the start of any promotion Ozon lists (its products now),
from the sales history built from FBS and FBO postings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from promo_fake import SALE, VOUCHER, FakePromos

from ozonctl.state.journal import Journal

TODAY = dt.datetime.now(dt.UTC).date()
CHANGE = TODAY - dt.timedelta(days=5)
START = dt.date(2026, 11, 1)
"""The fake's promotions start on this day (Ozon's ``date_start``)."""


def posting(
    n: int, day: dt.date, sku: int, qty: int, price: str, status: str = "delivered"
) -> dict[str, Any]:
    return {
        "posting_number": f"P-{n}",
        "status": status,
        "in_process_at": f"{day.isoformat()}T10:00:00Z",
        "products": [{"sku": sku, "quantity": qty, "price": price, "offer_id": "x", "name": "x"}],
    }


def record_leave(home: Path, day: dt.date) -> None:
    """A leave of products 1000 and 1001 on ``day`` (1001 rejected), as ozonctl writes it."""
    op = Journal(home / "state" / "profiles" / "default", "promo").new(
        "leave", action_id=VOUCHER, title="Promo code", seq=1
    )
    items = [
        {
            "id": 1000,
            "sku": 5000,
            "offer_id": "OF-0",
            "name": "Product 0",
            "action_price": "840.00",
        },
        {
            "id": 1001,
            "sku": 5001,
            "offer_id": "OF-1",
            "name": "Product 1",
            "action_price": "925.00",
        },
    ]
    op.record(0, "snapshot", {"products": items})
    op.record(1, "planned", {"ids": [1000, 1001]})
    op.record(1, "done", {"outcomes": {"left": [1000], "rejected": [1001]}})
    op.update(status="partial", created=f"{day.isoformat()}T12:00:00Z")


def test_impact_compares_the_days_before_and_after(
    cli: Any, fake: FakePromos, ozonctl_home: Path
) -> None:
    record_leave(ozonctl_home, CHANGE)
    fake.postings = [
        posting(1, CHANGE - dt.timedelta(days=7), 5000, 2, "840.00"),  # before, in the window
        posting(2, CHANGE - dt.timedelta(days=1), 5000, 1, "840.00"),  # before
        posting(3, CHANGE - dt.timedelta(days=8), 5000, 5, "840.00"),  # before the window
        posting(4, CHANGE, 5000, 1, "1000.00"),  # the day of the change counts as after
        posting(5, CHANGE + dt.timedelta(days=2), 5000, 3, "1000.00"),
        posting(6, CHANGE + dt.timedelta(days=2), 5000, 9, "1000.00", "cancelled"),
        posting(7, CHANGE + dt.timedelta(days=1), 5001, 4, "925.00"),  # was rejected: not counted
    ]
    r = cli("promo", "impact", str(VOUCHER), "--days", "7", "--json", "--no-analytics")
    assert r.exit_code == 0, r.stderr
    ozon, row = r.json()  # Ozon's period (the promotion's start) first, then the leave
    assert (ozon["kind"], ozon["date"], ozon["products"]) == ("promotion", str(START), 4)
    assert row["products"] == 1 and row["kind"] == "leave"
    assert (row["units_before"], row["units_after"]) == (3, 4)
    assert (row["revenue_before"], row["revenue_after"]) == ("2520.00", "4000.00")
    assert row["days_after"] == 6  # CHANGE .. today
    # per day: 2520/7 = 360 before, 4000/6 = 666.67 after
    assert row["revenue_per_day_change_pct"] == "85.2"
    # postings are read from the first window on: 7 days before the promotion started
    assert fake.calls("/v4/posting/fbs/list")[0]["filter"]["since"].startswith(
        (START - dt.timedelta(days=7)).isoformat()
    )

    r = cli("promo", "impact", str(VOUCHER), "--days", "7", "--per-product", "--no-analytics")
    (line,) = [x for x in r.stdout.splitlines() if "\tleave\t" in x]
    assert line.split("\t") == [
        CHANGE.isoformat(), "leave", "OF-0", "5000", "Product 0", "3", "4", "2520.00", "4000.00",
    ]  # fmt: skip
    # the stored history answered: no second read of postings
    assert len(fake.calls("/v4/posting/fbs/list")) == 1


def test_impact_of_a_promotion_ozonctl_never_touched(cli: Any, fake: FakePromos) -> None:
    """No journal: the promotion's start (Ozon's date) and the products in it now."""
    fake.postings = [
        posting(1, START - dt.timedelta(days=3), 5000, 2, "1000.00"),  # before
        posting(2, START - dt.timedelta(days=4), 5011, 7, "1000.00"),  # not in the promotion
        posting(3, START, 5001, 1, "1100.00"),  # after: the start day counts
        posting(4, START + dt.timedelta(days=3), 5003, 3, "1300.00"),
        posting(5, START + dt.timedelta(days=4), 5000, 5, "1000.00"),  # past the 4 days
    ]
    r = cli("promo", "impact", str(VOUCHER), "--days", "4", "--json", "--no-analytics")
    assert r.exit_code == 0, r.stderr
    (row,) = r.json()
    assert (row["kind"], row["date"], row["ref"], row["products"]) == (
        "promotion", str(START), "ozon", 4,
    )  # fmt: skip
    assert (row["units_before"], row["units_after"]) == (2, 4)
    assert (row["revenue_before"], row["revenue_after"]) == ("2000.00", "5000.00")
    assert row["days_after"] == 4 and row["revenue_per_day_change_pct"] == "150.0"
    r = cli("promo", "impact", str(VOUCHER), "--days", "4", "--per-product", "--no-analytics")
    lines = [x.split("\t") for x in r.stdout.splitlines()]
    assert [(x[2], x[5], x[6]) for x in lines] == [
        ("OF-0", "2", "0"), ("OF-1", "0", "1"), ("OF-2", "0", "0"), ("OF-3", "0", "3"),
    ]  # fmt: skip


def test_impact_without_products_or_changes_is_a_usage_error(cli: Any, fake: FakePromos) -> None:
    r = cli("promo", "impact", str(SALE), "--no-analytics")
    assert r.exit_code == 2 and "no joins or leaves" in r.stderr
    assert "Ozon lists no products in it" in r.stderr
