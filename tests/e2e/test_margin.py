"""Margins (issue 19) as real ``ozonctl`` processes against the sandbox: ``listing margin``
and the margin columns and filters of the promo commands, checked against hand
calculations and against the sandbox's own answers read independently of ozonctl."""

from __future__ import annotations

import csv
import io
import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
from test_promo_commands import api, members

pytestmark = pytest.mark.e2e

D = Decimal
SALE = 71003


def cost_file(tmp_path: Path) -> Path:
    """The seller's costs as Russian Excel saves them: Windows-1251, ``;``, Russian
    headers, a decimal comma and a grouped thousand."""
    f = tmp_path / "себестоимость.csv"
    text = "Артикул;Наименование;Себестоимость, руб.\nPOT-000002;Кашпо;650,00\nCASE-000001;Чехол;1 000\n"
    f.write_bytes(text.encode("cp1251"))
    return f


def test_listing_margin_equals_a_hand_calculation(ozonctl: Any, tmp_path: Path) -> None:
    f = cost_file(tmp_path)
    r = ozonctl("listing", "margin", "CASE-000001", "POT-000002", "--cost-file", str(f), "--json")
    assert r.exit_code == 0, r.stderr
    got = {(row["offer_id"], row["scheme"]): row for row in r.json()}
    # CASE-000001 keeps its cost at Ozon (net_price 958), which wins over the file's 1000.
    # FBS at 1809.00: commission 10 % = 180.90; logistics (est.) 64.92; processing (est.)
    # 25.00; last mile 99.50; acquiring 27.13 -> fees 397.45; 1809 - 397.45 - 958 = 453.55,
    # 25.07 % -> 25.1. FBO has no processing: 478.55, 26.45 % -> 26.5.
    case = got[("CASE-000001", "FBS")]
    assert {k: case[k] for k in ("price", "commission", "logistics_estimate")} == {
        "price": "1809.00",
        "commission": "180.90",
        "logistics_estimate": "64.92",
    }
    assert (case["processing_estimate"], case["last_mile"], case["acquiring"]) == (
        "25.00",
        "99.50",
        "27.13",
    )
    assert (case["cost"], case["cost_source"]) == ("958.00", "ozon")
    assert (case["margin"], case["margin_pct"]) == ("453.55", "25.1")
    assert (got[("CASE-000001", "FBO")]["margin"], got[("CASE-000001", "FBO")]["margin_pct"]) == (
        "478.55",
        "26.5",
    )
    # POT-000002 has no net_price: its cost comes from the file (650,00).
    # FBS at 1139.00: 17 % = 193.63; 74.32; 25.00; 62.65; 17.08 -> 372.68;
    # 1139 - 372.68 - 650 = 116.32, 10.21 % -> 10.2. FBO: 141.32, 12.41 % -> 12.4.
    pot = got[("POT-000002", "FBS")]
    assert (pot["cost"], pot["cost_source"]) == ("650.00", "file")
    assert (pot["commission"], pot["margin"], pot["margin_pct"]) == ("193.63", "116.32", "10.2")
    assert got[("POT-000002", "FBO")]["margin"] == "141.32"


def test_below_scheme_and_the_output_contract(ozonctl: Any) -> None:
    every = ozonctl("listing", "margin", "--json")
    assert every.exit_code == 0, every.stderr
    rows = every.json()
    losing = {r["offer_id"] for r in rows if r["scheme"] == "FBS" and D(r["margin"]) < 0}
    assert losing and len(losing) < len({r["offer_id"] for r in rows})
    for r in rows:  # each row adds up, to the kopeck
        parts = ("commission", "logistics_estimate", "processing_estimate", "last_mile")
        fees = sum((D(r[k]) for k in (*parts, "acquiring")), D(0))
        assert D(r["price"]) - fees - D(r["cost"]) == D(r["margin"])
    below = ozonctl("listing", "margin", "--below", "0", "--scheme", "FBS")
    assert below.exit_code == 0, below.stderr
    lines = [line.split("\t") for line in below.stdout.splitlines()]
    assert {cells[0] for cells in lines} == losing  # TSV, no header
    assert {cells[2] for cells in lines} == {"FBS"}
    picked = ozonctl("listing", "margin", "--below", "0", "--json=offer_id,margin")
    assert all(set(r) == {"offer_id", "margin"} for r in picked.json())
    as_csv = ozonctl("listing", "margin", "--below", "0", "--scheme", "fbs", "--csv", "-")
    table = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert {r["offer_id"] for r in table} == losing
    assert "logistics_estimate" in table[0] and "processing_estimate" in table[0]
    assert ozonctl("listing", "margin", "--scheme", "rfbs").exit_code == 2


def test_products_without_a_known_cost_are_listed_apart(
    ozonctl: Any, sandbox: Any, tmp_path: Path
) -> None:
    r = ozonctl("listing", "margin", "--json")
    no_cost = ozonctl("listing", "margin", "--no-cost", "--json").json()
    missing = {x["offer_id"] for x in no_cost}
    assert "POT-000002" in missing and "CASE-000001" not in missing
    assert not missing & {x["offer_id"] for x in r.json()}
    assert f"{len(missing)} products have no margin" in r.stderr and len(missing) > 1
    assert all("no known cost" in x["reason"] for x in no_cost)
    # the cost_file setting is read like --cost-file
    f = cost_file(tmp_path)
    assert ozonctl("config", "set", "cost_file", str(f)).exit_code == 0
    again = ozonctl("listing", "margin", "--no-cost", "--json").json()
    assert {x["offer_id"] for x in again} == missing - {"POT-000002"}
    one = ozonctl("listing", "margin", "POT-000002", "PEN-000003", "--cost-file", str(f))
    assert one.exit_code == 0 and "1 product has no margin" in one.stderr


def test_a_bad_costs_file_is_exit_2_with_its_line(ozonctl: Any, tmp_path: Path) -> None:
    f = tmp_path / "costs.csv"
    f.write_text("offer_id,cost\nPOT-000002,дорого\n")
    before = f.read_bytes()
    r = ozonctl("listing", "margin", "--cost-file", str(f))
    assert r.exit_code == 2
    assert "line 2" in r.stderr and r.stderr.count("\n") == 1
    assert f.read_bytes() == before


# --- promotions ------------------------------------------------------------------------------

CENT, TENTH = D("0.01"), D("0.1")


def fbs_margin(item: dict[str, Any], price: Decimal, cost: Decimal) -> Decimal:
    """The FBS margin by the documented formula, from the sandbox's raw answer."""
    c = item["commissions"]

    def d(x: Any) -> Decimal:
        return D(repr(x))

    commission = (price * d(c["sales_percent_fbs"]) / 100).quantize(CENT, ROUND_HALF_UP)
    fees = (
        commission
        + d(c["fbs_direct_flow_trans_max_amount"])
        + d(c["fbs_first_mile_max_amount"])
        + d(c["fbs_deliv_to_customer_amount"])
        + d(item["acquiring"])
    )
    return price - fees - cost


def losing_in(sandbox: Any, action_id: int) -> tuple[set[str], set[str], dict[int, str]]:
    """(offer ids losing money at their action price, offer ids without net_price,
    product id → offer id) of the promotion's products, read from the sandbox as Ozon's
    API."""
    inside = members(sandbox, action_id)
    ids = [str(i) for i in inside]
    items = api(
        sandbox,
        "/v5/product/info/prices",
        {"filter": {"product_id": ids, "visibility": "ALL"}, "limit": 1000},
    )["items"]
    losing, unknown = set(), set()
    offers = {int(it["product_id"]): it["offer_id"] for it in items}
    for it in items:
        cost = D(repr(it["price"]["net_price"]))
        if not cost:
            unknown.add(it["offer_id"])
            continue
        price = D(str(inside[int(it["product_id"])]["action_price"]["amount"]))
        if fbs_margin(it, price, cost) < 0:  # FBS is the lower: it adds the processing
            losing.add(it["offer_id"])
    return losing, unknown, offers


def test_promo_products_margin_at_the_action_price(ozonctl: Any) -> None:
    r = ozonctl("promo", "products", str(SALE), "--json")
    assert r.exit_code == 0, r.stderr
    case = next(x for x in r.json() if x["offer_id"] == "CASE-000001")
    # at the action price 1419.00: 141.90 + 64.92 + 25.00 + 99.50 + 27.13 = 358.45;
    # 1419 - 358.45 - 958 = 102.55, 7.23 % -> 7.2 (FBS, the lower of the two)
    assert (case["action_price"], case["margin"], case["margin_pct"]) == (
        "1419.00",
        "102.55",
        7.2,
    )
    assert case["margin_scheme"] == "FBS"
    fbo = ozonctl("promo", "products", str(SALE), "--scheme", "fbo", "--json").json()
    assert next(x for x in fbo if x["offer_id"] == "CASE-000001")["margin"] == "127.55"


def test_promo_leave_margin_below_zero_dry_run_then_real(ozonctl: Any, sandbox: Any) -> None:
    losing, unknown, offers = losing_in(sandbox, SALE)
    assert losing and unknown  # the fixture has both
    before = members(sandbox, SALE)
    dry = ozonctl("promo", "leave", str(SALE), "--margin-below", "0", "--dry-run", "--json")
    assert dry.exit_code == 0, dry.stderr
    plan = dry.json()["items"]
    assert {r["offer_id"] for r in plan if r["status"] == "would_leave"} == losing
    assert {r["offer_id"] for r in plan if r["status"] == "no_cost"} == unknown
    assert "nothing was sent" in dry.stderr
    assert members(sandbox, SALE).keys() == before.keys()
    shown = ozonctl("promo", "products", str(SALE), "--margin-below", "0", "--json").json()
    assert {r["offer_id"] for r in shown} == losing

    real = ozonctl("promo", "leave", str(SALE), "--margin-below", "0", "--yes", "--json")
    assert real.exit_code == 0, real.stderr
    left = {r["offer_id"] for r in real.json()["items"] if r["status"] == "left"}
    assert left == losing
    after = members(sandbox, SALE)
    assert {offers[i] for i in before.keys() - after.keys()} == losing
    assert all(i in after for i, o in offers.items() if o in unknown)
    history = ozonctl("promo", "history", "--action", str(SALE), "--json")
    assert history.exit_code == 0 and "margin below 0" in json.dumps(history.json())


def test_promo_join_margin_below_refuses_before_sending(ozonctl: Any, sandbox: Any) -> None:
    r = ozonctl(
        "promo", "join", "71004", "--all-candidates", "--margin-below", "5", "--dry-run", "--json"
    )
    assert r.exit_code == 0, r.stderr
    rows = r.json()["items"]
    caught = [x for x in rows if x["status"] == "rejected"]
    assert any("margin unknown" in x["reason"] for x in caught)
    assert any("is below 5.0%" in x["reason"] for x in caught)
    joining = [x for x in rows if x["status"] == "would_join"]
    checked = ozonctl("promo", "candidates", "71004", "--json").json()
    margins = {x["offer_id"]: x["margin_pct"] for x in checked}
    assert joining and all(D(margins[x["offer_id"]]) >= 5 for x in joining)
    assert not sandbox.requests("/v1/actions/products/update")
