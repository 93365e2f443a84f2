"""The margin arithmetic (ozonctl.domain.margin) against hand calculations, to the kopeck,
and the costs file as sellers write it."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from ozonctl.client.models.products import ProductPrice
from ozonctl.domain.margin import Costs, Fees, load_costs, margin, product_margins
from ozonctl.errors import UsageError

D = Decimal


def item(**over: Any) -> ProductPrice:
    """A ``/v5/product/info/prices`` item in Ozon's shape (numbers are JSON doubles)."""
    body: dict[str, Any] = {
        "product_id": 1000123456,
        "offer_id": "MUG-1",
        "price": {"price": 1499.9, "net_price": 0, "currency_code": "RUB"},
        "commissions": {
            "sales_percent_fbs": 12,
            "sales_percent_fbo": 15,
            "fbs_direct_flow_trans_min_amount": 60.1,
            "fbs_direct_flow_trans_max_amount": 76.6,
            "fbs_first_mile_min_amount": 20,
            "fbs_first_mile_max_amount": 25,
            "fbs_deliv_to_customer_amount": 82.49,
            "fbo_direct_flow_trans_min_amount": 70,
            "fbo_direct_flow_trans_max_amount": 90,
            "fbo_deliv_to_customer_amount": 82.49,
            "fbs_return_flow_amount": 40,
            "fbo_return_flow_amount": 50,
        },
        "acquiring": 22.5,
    }
    for key, value in over.items():
        if key in ("price", "commissions"):
            body[key] = {**body[key], **value}
        else:
            body[key] = value
    return ProductPrice.model_validate(body)


COSTS = Costs({"MUG-1": D("600")}, "costs.csv")


def test_fbs_margin_by_hand() -> None:
    # 1499.90 x 12 % = 179.988 -> 179.99; fees 179.99 + 76.60 + 25.00 + 82.49 + 22.50
    # = 386.58; 1499.90 - 386.58 - 600.00 = 513.32; 513.32 / 1499.90 = 34.22 % -> 34.2
    m = product_margins(item(), COSTS).margins["fbs"]
    assert (m.commission, m.logistics, m.processing, m.last_mile, m.acquiring) == (
        D("179.99"),
        D("76.60"),
        D("25.00"),
        D("82.49"),
        D("22.50"),
    )
    assert m.fees == D("386.58")
    assert m.margin == D("513.32")
    assert m.percent == D("34.2")


def test_fbo_commission_rounds_half_up_to_the_kopeck() -> None:
    # 1499.90 x 15 % = 224.985: half up 224.99 (banker's rounding would give 224.98);
    # fees 224.99 + 90.00 + 0 + 82.49 + 22.50 = 419.98; margin 479.92; 31.996 % -> 32.0
    m = product_margins(item(), COSTS).margins["fbo"]
    assert m.commission == D("224.99")
    assert m.processing == D("0.00")
    assert m.margin == D("479.92")
    assert str(m.percent) == "32.0"


def test_a_loss_and_the_exact_below_test() -> None:
    # 500 x 19 % = 95.00; 95 + 80 + 30 + 27.50 + 7.50 = 240.00; 500 - 240 - 300 = -40.00
    fees = Fees(D(19), D(80), D(30), D("27.5"), D("7.5"))
    m = margin("fbs", D(500), fees, D(300))
    assert m.margin == D("-40.00")
    assert m.percent == D("-8.0")
    assert m.below(D(0)) and m.below(D("-7.99")) and not m.below(D(-8))
    # the comparison is exact, not through the rounded percent: 10.04 % is not below 10.0
    even = margin("fbs", D(100), Fees(D(0), D(0), D(0), D(0), D(0)), D("89.96"))
    assert even.percent == D("10.0") and not even.below(D(10)) and even.below(D("10.05"))


def test_action_price_recomputes_the_commission_only() -> None:
    # at 999.99: 12 % = 119.9988 -> 120.00; the amounts stay Ozon's (at the current price)
    # 999.99 - (120.00 + 76.60 + 25.00 + 82.49 + 22.50) - 600 = 73.40
    m = product_margins(item(), COSTS, price=D("999.99")).margins["fbs"]
    assert m.commission == D("120.00")
    assert m.margin == D("73.40")
    assert m.percent == D("7.3")


def test_net_price_at_ozon_wins_over_the_file() -> None:
    pm = product_margins(item(price={"net_price": 700.5}), COSTS)
    assert (pm.cost, pm.cost_source) == (D("700.5"), "ozon")
    assert pm.margins["fbs"].margin == D("412.82")  # 513.32 - 100.50
    assert product_margins(item(), COSTS).cost_source == "file"


def test_no_cost_is_no_margin_never_a_profit() -> None:
    pm = product_margins(item(offer_id="OTHER"), COSTS)
    assert pm.margins == {} and "no known cost" in pm.missing
    assert pm.worst() is None


def test_a_fee_ozon_did_not_send_is_not_read_as_zero() -> None:
    body = item().model_dump()
    del body["commissions"]["fbs_first_mile_max_amount"]
    fbs = product_margins(ProductPrice.model_validate(body), COSTS, schemes=["fbs"])
    assert fbs.margins == {} and "fbs_first_mile_max_amount" in fbs.missing
    both = product_margins(ProductPrice.model_validate(body), COSTS)
    assert list(both.margins) == ["fbo"]  # FBS has no margin, FBO keeps its own
    assert both.margins["fbo"].margin == D("479.92")
    assert both.worst() is both.margins["fbo"]
    assert "acquiring" in product_margins(item(acquiring=None), COSTS).missing


def test_other_currencies_are_not_counted() -> None:
    pm = product_margins(item(price={"currency_code": "CNY"}), COSTS)
    assert pm.margins == {} and "CNY" in pm.missing


def test_worst_scheme_is_the_lower_percent() -> None:
    pm = product_margins(item(), COSTS)
    worst = pm.worst()
    assert worst is not None and worst.scheme == "fbo"
    assert pm.worst(["fbs"]) is pm.margins["fbs"]


# --- the costs file -----------------------------------------------------------------------


def test_costs_csv_in_windows_1251_with_russian_headers(tmp_path: Path) -> None:
    f = tmp_path / "costs.csv"
    f.write_bytes("Артикул;Себестоимость, руб.\nMUG-1;1 250,50\nTSH-2;99\n".encode("cp1251"))
    costs = load_costs(f, print)
    assert dict(costs.by_offer) == {"MUG-1": D("1250.50"), "TSH-2": D("99")}


def test_costs_csv_utf8_bom_and_chinese_header(tmp_path: Path) -> None:
    f = tmp_path / "costs.csv"
    f.write_bytes("\ufeff货号,成本\nMUG-1,600\n".encode())
    assert load_costs(f, print).by_offer == {"MUG-1": D("600")}


def test_costs_toml(tmp_path: Path) -> None:
    f = tmp_path / "costs.toml"
    f.write_text('[costs]\n"MUG-1" = 600\n"TSH-2" = "99,90"\n"LAMP-3" = 1250.5\n')
    assert load_costs(f, print).by_offer == {
        "MUG-1": D("600"),
        "TSH-2": D("99.90"),
        "LAMP-3": D("1250.5"),
    }


def test_costs_file_problems_are_all_reported_with_lines(tmp_path: Path) -> None:
    f = tmp_path / "costs.csv"
    f.write_text("offer_id,cost\nMUG-1,abc\n,5\nMUG-2,1\nMUG-2,2\n")
    seen: list[str] = []
    with pytest.raises(UsageError) as exc:
        load_costs(f, seen.append)
    assert "3 problems" in exc.value.message
    assert [s.split(":")[0] for s in seen] == [f"{f} line 2", f"{f} line 3", f"{f} line 5"]
    before = f.read_bytes()
    assert f.read_bytes() == before  # the seller's file is never changed


def test_costs_file_without_the_columns_says_what_it_expects(tmp_path: Path) -> None:
    f = tmp_path / "costs.csv"
    f.write_text("name,price\nx,1\n")
    with pytest.raises(UsageError) as exc:
        load_costs(f, print)
    assert "cost" in (exc.value.hint or "")
