"""The seller's own promotions as real processes against the sandbox (issue 20, Done when):
create a voucher promotion, add products, leave it, undo — each step checked against what
the sandbox holds; an add whose answer is lost after it was applied is reported as the
sandbox holds it and never sent twice; every mechanic's create, update and archive."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.e2e

ADD = "/v1/seller-actions/products/add"
DELETE = "/v1/seller-actions/products/delete"


def api(sandbox: Any, path: str, body: dict[str, Any]) -> Any:
    """The sandbox's answer to a Seller API call (its state, as Ozon would list it)."""
    r = httpx.post(
        sandbox.base_url + path,
        json=body,
        headers={"Client-Id": sandbox.client_id, "Api-Key": sandbox.api_key},
        timeout=10,
    )
    assert r.status_code == 200, r.text
    return r.json()


def members(sandbox: Any, action_id: int) -> dict[str, float]:
    """SKU → discount percent of every product in the promotion, per the sandbox."""
    out: dict[str, float] = {}
    cursor = 0
    while True:
        page = api(
            sandbox,
            "/v1/seller-actions/products/list",
            {"action_id": action_id, "limit": 100, "cursor": cursor},
        )
        out.update({p["sku"][0]: p["discount_percent"] for p in page["products"]})
        if not page["has_next"]:
            return out
        cursor = page["cursor"]


def listed(sandbox: Any, action_id: int) -> dict[str, Any] | None:
    found = api(sandbox, "/v1/seller-actions/list", {"limit": 100, "action_ids": [str(action_id)]})
    return found["actions"][0] if found["actions"] else None


def fault(sandbox: Any, rule: str) -> None:
    sandbox.post("/__sandbox/faults", {"clear": True, "rule": rule})


def day(days: int) -> str:
    return (dt.date.today() + dt.timedelta(days=days)).isoformat()


def create_voucher(ozonctl: Any) -> int:
    r = ozonctl(
        "promo", "create", "--yes", "--type", "voucher", "--title", "Компенсация покупателям",
        "--start", day(1), "--end", day(20), "--discount", "300", "--discount-type",
        "currency", "--budget", "50000", "--code-type", "unique", "--codes", "20", "--json",
    )  # fmt: skip
    assert r.exit_code == 0, r.stderr
    return int(r.json()["id"])


def test_voucher_create_add_leave_undo(ozonctl: Any, sandbox: Any) -> None:
    action_id = create_voucher(ozonctl)
    shown = listed(sandbox, action_id)
    assert shown is not None
    params = shown["action_parameters"]
    assert params["type"] == "VOUCHER_DISCOUNT" and params["budget"] == 50000
    assert params["voucher_parameters"] == {
        "count_codes": 20,
        "is_private": False,
        "type": "UNIQUE",
    }
    assert members(sandbox, action_id) == {}

    cands = ozonctl("promo", "candidates", str(action_id), "--json")
    assert cands.exit_code == 0, cands.stderr
    skus = [str(c["sku"]) for c in cands.json()[:3]]
    assert len(skus) == 3

    dry = ozonctl("promo", "join", str(action_id), "--sku", ",".join(skus), "--dry-run", "--json")
    assert dry.exit_code == 0, dry.stderr
    assert {r["status"] for r in dry.json()["items"]} == {"would_join"}
    assert not sandbox.requests(ADD) and members(sandbox, action_id) == {}

    no = ozonctl("promo", "join", str(action_id), "--sku", ",".join(skus), "--no-input")
    assert no.exit_code != 0 and not sandbox.requests(ADD)

    joined = ozonctl("promo", "join", str(action_id), "--sku", ",".join(skus), "--yes", "--json")
    assert joined.exit_code == 0, joined.stderr
    assert {str(r["sku"]): r["status"] for r in joined.json()["items"]} == dict.fromkeys(
        skus, "joined"
    )
    assert set(members(sandbox, action_id)) == set(skus)
    assert len(sandbox.requests(ADD)) == 1

    left = ozonctl(
        "promo", "leave", str(action_id), "--sku", skus[0], "--sku", skus[1], "--yes", "--json"
    )
    assert left.exit_code == 0, left.stderr
    assert {str(r["sku"]): r["status"] for r in left.json()["items"]} == {
        skus[0]: "left",
        skus[1]: "left",
    }
    assert set(members(sandbox, action_id)) == {skus[2]}
    assert "promo rejoin" in left.stderr

    undo = ozonctl("promo", "rejoin", str(action_id), "--yes", "--json")
    assert undo.exit_code == 0, undo.stderr
    assert {str(r["sku"]): r["status"] for r in undo.json()["items"]} == {
        skus[0]: "joined",
        skus[1]: "joined",
    }
    assert set(members(sandbox, action_id)) == set(skus)
    again = ozonctl("promo", "rejoin", str(action_id), "--yes")
    assert again.exit_code == 2 and "already undone" in again.stderr

    history = ozonctl("promo", "history", "--action", str(action_id), "--json").json()
    assert [h["kind"] for h in history][:3] in (
        ["rejoin", "leave", "join"],
        ["join", "leave", "rejoin"],
    )
    assert {h["kind"] for h in history} == {"create", "join", "leave", "rejoin"}
    assert len(sandbox.requests(ADD)) == 2 and len(sandbox.requests(DELETE)) == 1


def test_an_add_whose_answer_is_lost_is_read_back_never_resent(ozonctl: Any, sandbox: Any) -> None:
    action_id = create_voucher(ozonctl)
    skus = [
        str(c["sku"]) for c in ozonctl("promo", "candidates", str(action_id), "--json").json()[:2]
    ]
    assert ozonctl("config", "set", "timeout", "1").exit_code == 0
    fault(sandbox, f"{ADD}=slow:2500:1")  # applied, answered 1.5 s after the timeout
    r = ozonctl("promo", "join", str(action_id), "--sku", ",".join(skus), "--yes", "--json")
    assert r.exit_code == 0, r.stderr
    assert {str(x["sku"]): x["status"] for x in r.json()["items"]} == dict.fromkeys(skus, "joined")
    assert set(members(sandbox, action_id)) == set(skus)
    assert len(sandbox.requests(ADD)) == 1

    fault(sandbox, f"{DELETE}=500:1")  # refused: nothing applied, reported as such
    r2 = ozonctl("promo", "leave", str(action_id), "--all", "--yes", "--json")
    assert r2.exit_code == 3, r2.stderr
    assert {x["status"] for x in r2.json()["items"]} == {"rejected"}
    assert set(members(sandbox, action_id)) == set(skus)
    assert len(sandbox.requests(DELETE)) == 1


def test_discount_promotion_percent_per_product(ozonctl: Any, sandbox: Any) -> None:
    r = ozonctl(
        "promo", "create", "--yes", "--type", "discount", "--title", "Скидки недели",
        "--start", day(0), "--end", day(7), "--min-discount", "10", "--json",
    )  # fmt: skip
    assert r.exit_code == 0, r.stderr
    action_id = int(r.json()["id"])
    sku = str(ozonctl("promo", "candidates", str(action_id), "--json").json()[0]["sku"])
    low = ozonctl(
        "promo", "join", str(action_id), "--sku", sku, "--discount", "5", "--yes", "--json"
    )
    assert low.exit_code == 3 and "below the promotion's minimum" in low.stdout
    assert not sandbox.requests(ADD)
    ok = ozonctl(
        "promo", "join", str(action_id), "--sku", sku, "--discount", "15", "--yes", "--json"
    )
    assert ok.exit_code == 0, ok.stderr
    assert members(sandbox, action_id) == {sku: 15.0}
    assert sandbox.requests(ADD)[0]["body"]["products"] == [
        {"sku": int(sku), "discount_percent": 15.0}
    ]


def test_every_mechanic_create_update_archive(ozonctl: Any, sandbox: Any) -> None:
    made = {}
    for kind, extra in (
        ("conditional", ("--end", day(9), "--discount", "7", "--min-order", "2500")),
        ("multilevel", ("--end", day(9), "--level", "2000:5", "--level", "5000:10")),
        ("installment", ()),
    ):
        r = ozonctl(
            "promo",
            "create",
            "--yes",
            "--type",
            kind,
            "--title",
            f"T {kind}",
            "--start",
            day(2),
            *extra,
            "--json",
        )
        assert r.exit_code == 0, (kind, r.stderr)
        made[kind] = int(r.json()["id"])
    assert listed(sandbox, made["multilevel"])["action_parameters"]["discount_levels"] == [
        {"order_amount": 2000.0, "discount_value": 5.0},
        {"order_amount": 5000.0, "discount_value": 10.0},
    ]
    assert listed(sandbox, made["conditional"])["action_parameters"]["min_order_amount"] == 2500
    # Ozon adds the products of a multi-level discount itself: join is refused unsent
    j = ozonctl("promo", "join", str(made["multilevel"]), "--all-candidates", "--yes")
    assert j.exit_code == 2 and "by itself" in j.stderr

    bad = ozonctl(
        "promo",
        "create",
        "--yes",
        "--type",
        "multilevel",
        "--title",
        "x",
        "--start",
        day(1),
        "--end",
        day(3),
        "--level",
        "100:5",
    )
    assert bad.exit_code == 2 and "2 to 4 levels" in bad.stderr
    wrong = ozonctl(
        "promo",
        "create",
        "--yes",
        "--type",
        "installment",
        "--title",
        "x",
        "--start",
        day(1),
        "--budget",
        "5",
    )
    assert wrong.exit_code == 2 and "--budget" in wrong.stderr
    assert not sandbox.requests("/v1/seller-actions/create/multi-level-discount")[2:]

    up = ozonctl(
        "promo",
        "update",
        "--yes",
        str(made["conditional"]),
        "--min-order",
        "4000",
        "--title",
        "Новое",
        "--json",
    )
    assert up.exit_code == 0, up.stderr
    params = listed(sandbox, made["conditional"])["action_parameters"]
    assert params["min_order_amount"] == 4000 and params["title"] == "Новое"
    assert params["discount_value"] == 7  # what was not given stays

    voucher = create_voucher(ozonctl)
    assert ozonctl("promo", "update", "--yes", str(voucher), "--budget", "9000").exit_code == 2
    assert ozonctl("promo", "pause", str(voucher), "--yes").exit_code == 0
    assert ozonctl("promo", "update", "--yes", str(voucher), "--budget", "9000").exit_code == 0
    assert listed(sandbox, voucher)["action_parameters"]["budget"] == 9000
    codes = ozonctl("promo", "codes", str(voucher))
    assert codes.exit_code == 0 and codes.stdout.strip().endswith(".csv")

    no = ozonctl("promo", "archive", str(made["installment"]), "--no-input")
    assert no.exit_code != 0 and listed(sandbox, made["installment"]) is not None
    arch = ozonctl("promo", "archive", str(made["installment"]), "--yes", "--json")
    assert arch.exit_code == 0, arch.stderr
    assert listed(sandbox, made["installment"]) is None
