"""``promo list``, ``show``, ``products``, ``candidates``: what each promotion costs, in a
pipe, with --json and on a terminal; pagination over several pages."""

from __future__ import annotations

from typing import Any

import pytest
from promo_fake import BOOST, PIDS, SALE, VOUCHER, FakePromos


def test_list_in_a_pipe_is_tsv_with_ozon_and_own_promotions(cli: Any, fake: FakePromos) -> None:
    r = cli("promo", "list")
    assert r.exit_code == 0, r.stderr
    rows = [ln.split("\t") for ln in r.stdout.splitlines()]
    assert [(x[0], x[-1]) for x in rows] == [
        ("101", "ozon"),
        ("102", "ozon"),
        ("103", "ozon"),
        ("5001", "seller"),
        ("5003", "seller"),
    ]
    voucher = rows[0]
    assert voucher[1:4] == ["Promo code", "DISCOUNT", "2026-11-01T00:00:00+00:00"]
    assert voucher[6:9] == ["4", "12", "10%"]
    assert rows[1][5] == "2026-11-20T00:00:00+00:00"  # freeze date


def test_list_filters(cli: Any, fake: FakePromos) -> None:
    r = cli("promo", "list", "--joined", "--type", "ozon", "--json")
    assert [x["id"] for x in r.json()] == [VOUCHER, BOOST]
    r = cli("promo", "list", "--type", "boosting", "--json")
    assert [x["id"] for x in r.json()] == [BOOST]
    assert r.json()[0]["leave_method"] == "update"
    r = cli("promo", "list", "--type", "elastic_boosting")
    assert [ln.split("\t")[0] for ln in r.stdout.splitlines()] == [str(BOOST)]
    r = cli("promo", "list", "--type", "own", "--json")
    assert [(x["id"], x["is_turn_on"]) for x in r.json()] == [(5001, True), (5003, False)]


def test_a_seller_promotion_title_is_read_where_ozon_documents_it(
    cli: Any, fake: FakePromos
) -> None:
    """Ozon puts a seller promotion's title in ``actions[].action_parameters.title``."""
    r = cli("promo", "list", "--type", "own", "--json")
    assert [x["title"] for x in r.json()] == ["Own sale", "Old sale"]


def test_list_type_takes_any_case_and_refuses_a_typo(cli: Any, fake: FakePromos) -> None:
    r = cli("promo", "list", "--type", "Promo-Code", "--json")
    assert r.exit_code == 0 and [x["id"] for x in r.json()] == [VOUCHER]
    sent = len(fake.log)
    r = cli("promo", "list", "--type", "disount")
    assert r.exit_code == 2 and r.stdout == ""
    assert "'disount' is not one of:" in r.stderr and "DISCOUNT" in r.stderr
    assert "promo-code" in r.stderr
    assert len(fake.log) == sent  # refused before any request


def test_list_survives_the_seller_promotions_method_failing(cli: Any, fake: FakePromos) -> None:
    fake.boom = {"/v1/seller-actions/list": 404}
    r = cli("promo", "list", "--json")
    assert r.exit_code == 0
    assert [x["id"] for x in r.json()] == [VOUCHER, BOOST, SALE]
    assert "could not read your own promotions" in r.stderr


def test_list_on_a_terminal_is_a_table(
    cli: Any, fake: FakePromos, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ozonctl.cli.output import Output

    monkeypatch.setattr(Output, "stdout_tty", property(lambda self: True))
    monkeypatch.setenv("COLUMNS", "160")
    r = cli("promo", "list")
    assert "Freeze" in r.stdout and "Run by" in r.stdout
    assert "2026-11-20" in r.stdout and "T00:00" not in r.stdout


def test_show_states_the_rules(cli: Any, fake: FakePromos) -> None:
    r = cli("promo", "show", str(BOOST))
    assert r.exit_code == 0, r.stderr
    assert "Freeze date:    2026-11-20 00:00 UTC" in r.stdout
    assert "Frozen since 2026-11-20" in r.stdout
    assert "Boosting promotion" in r.stdout
    r = cli("promo", "show", str(VOUCHER), "--json")
    data = r.json()
    assert data["order_amount"] == "1500.00" and data["is_voucher_action"] is True
    assert any("auto-add" in line for line in data["rules"])
    r = cli("promo", "show", "5001", "--json")
    assert r.json()["owner"] == "seller" and "promo pause 5001" in r.json()["rules"][0]
    r = cli("promo", "show", "4242")
    assert r.exit_code == 2 and "no promotion 4242" in r.stderr


def test_show_prints_auto_add_days_in_the_sellers_time_zone_and_money_in_cents(
    cli: Any, fake: FakePromos, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    # 2026-11-30T21:00:00Z is midnight of 1 December in Moscow
    monkeypatch.setenv("TZ", "Europe/Moscow")
    time.tzset()
    try:
        r = cli("promo", "show", str(VOUCHER))
        assert r.exit_code == 0, r.stderr
        assert "Auto-add dates: 2026-12-01\n" in r.stdout
        assert "Order amount:   1500.00 RUB\n" in r.stdout
        data = cli("promo", "show", str(VOUCHER), "--json").json()
        assert data["auto_add_dates"] == ["2026-11-30T21:00:00Z"]  # as Ozon wrote them
        assert data["auto_add_days"] == ["2026-12-01"]
        assert data["order_amount"] == "1500.00"
        r = cli("promo", "leave", str(VOUCHER), "--sku", "5001", "--dry-run")
        assert "on 2026-12-01" in r.stderr and "2026-11-30" not in r.stderr
        monkeypatch.setenv("TZ", "America/New_York")
        time.tzset()
        r = cli("promo", "show", str(VOUCHER))
        assert "Auto-add dates: 2026-11-30\n" in r.stdout
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_products_are_joined_with_their_cards_over_pages(cli: Any, fake: FakePromos) -> None:
    r = cli("promo", "products", str(VOUCHER), "--json")
    assert r.exit_code == 0, r.stderr
    rows = r.json()
    assert rows[0] == {
        "product_id": 1000,
        "offer_id": "OF-0",
        "sku": 5000,
        "name": "Product 0",
        "price": "1000.00",
        "action_price": "840.00",
        "max_action_price": "850.00",
        "discount_pct": 16.0,
        "stock": 5,
        "action_stock": 3,
        "min_price": "900.00",
        "below_min_price": True,
        "add_mode": "SELLER",
        "is_quarantined": False,
        "margin": None,  # no net_price at Ozon, no costs file: never a profit
        "margin_pct": None,
        "margin_scheme": None,
        "margin_note": "no known cost: keep net_price at Ozon or give a costs file",
        "is_active": None,
        "discount_percent": None,
        "cover_days": None,
    }
    # OF-1 at 925.00, cost 600 (net_price): FBS 111.00 + 70 + 25 + 55.50 + 15 = 276.50
    # -> 48.50; FBO 138.75 + 70 + 0 + 55.50 + 15 = 279.25 -> 45.75 (4.95 % -> 4.9), lower
    assert (rows[1]["margin"], rows[1]["margin_pct"], rows[1]["margin_scheme"]) == (
        "45.75",
        4.9,
        "FBO",
    )
    (prices,) = fake.calls("/v5/product/info/prices")  # one call for the page of products
    assert prices["filter"]["product_id"] == ["1000", "1001", "1002", "1003"]
    pages = fake.calls("/v2/actions/products")
    assert [p["last_id"] != "" for p in pages] == [False, True]  # 4 products, 3 a page
    assert all(p["limit"] == 100 for p in pages)
    (info,) = fake.calls("/v3/product/info/list")
    assert info == {"product_id": ["1000", "1001", "1002", "1003"]}


def test_products_filters_and_pipe(cli: Any, fake: FakePromos) -> None:
    r = cli("promo", "products", str(VOUCHER), "--discount-over", "15.85")
    assert [ln.split("\t")[0] for ln in r.stdout.splitlines()] == ["OF-0", "OF-1"]
    r = cli("promo", "products", str(VOUCHER), "--below-min-price", "--discount-over", "15.9")
    assert [ln.split("\t")[0] for ln in r.stdout.splitlines()] == ["OF-0"]
    r = cli("promo", "products", str(VOUCHER), "--discount-over", "150")
    assert r.exit_code == 2


def test_candidates(cli: Any, fake: FakePromos) -> None:
    r = cli("promo", "candidates", str(VOUCHER), "--json")
    assert [x["product_id"] for x in r.json()] == PIDS[4:]
    assert len(fake.calls("/v2/actions/candidates")) == 3


def test_candidates_show_the_price_join_would_send_not_ozons_zero(
    cli: Any, fake: FakePromos
) -> None:
    # Ozon answers action price 0 for every candidate (the fake does too): the rows show
    # the largest allowed price, which `promo join` sends, and the discount from it.
    rows = cli("promo", "candidates", str(VOUCHER), "--json").json()
    first = rows[0]
    assert (first["price"], first["action_price"], first["max_action_price"]) == (
        "1400.00",
        "1190.00",
        "1190.00",
    )
    assert first["discount_pct"] == 15.0 and first["min_price"] == "900.00"
    assert not any(x["below_min_price"] for x in rows)
    r = cli("promo", "candidates", str(VOUCHER), "--discount-over", "15")
    assert r.exit_code == 0 and r.stdout == ""  # 15.0 % for all: none over 15
    r = cli("promo", "candidates", str(VOUCHER), "--below-min-price")
    assert r.exit_code == 0 and r.stdout == ""


def test_candidates_at_the_price_the_seller_would_give(cli: Any, fake: FakePromos) -> None:
    # --discount 40: OF-4 (1400 → 840.00) goes below its min price 900; OF-6 (1600 →
    # 960.00) does not; odd products have no min price.
    r = cli("promo", "candidates", str(VOUCHER), "--discount", "40", "--below-min-price", "--json")
    assert r.exit_code == 0, r.stderr
    assert [(x["offer_id"], x["action_price"], x["discount_pct"]) for x in r.json()] == [
        ("OF-4", "840.00", 40.0)
    ]
    r = cli("promo", "candidates", str(VOUCHER), "--action-price", "1000", "--json")
    got = {x["offer_id"]: x for x in r.json()}
    assert got["OF-4"]["action_price"] == "1000.00" and got["OF-4"]["discount_pct"] == 28.6
    assert not got["OF-4"]["below_min_price"]
    r = cli("promo", "candidates", str(VOUCHER), "--action-price", "1000", "--discount", "5")
    assert r.exit_code == 2 and "not both" in r.stderr
    assert fake.calls("/v1/actions/products/update") == []


def test_products_of_an_unknown_promotion(cli: Any, fake: FakePromos) -> None:
    r = cli("promo", "products", "77")
    assert r.exit_code == 2 and "no Ozon promotion 77" in r.stderr
