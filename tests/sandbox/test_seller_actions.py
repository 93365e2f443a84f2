"""The seller's own promotions in the sandbox follow Ozon's document: each mechanic's
fields and rules (2 to 4 levels, a voucher's budget changed only while it is off, no
products added by hand to a multi-level discount), add and delete answered with an empty
body that says nothing per product, candidates and archive."""

from __future__ import annotations

from typing import Any

from sandbox_helpers import Api

DATES = {"date_start": "2030-01-01T00:00:00Z", "date_end": "2030-02-01T00:00:00Z"}
LEVELS = [{"order_amount": 1000, "discount_value": 5}, {"order_amount": 2000, "discount_value": 10}]
VOUCHER = {
    **DATES,
    "title": "Промокод",
    "budget": 10000,
    "discount_type": "PERCENT",
    "discount_value": 10,
    "voucher_parameters": {"count_codes": 3, "is_private": False, "type": "UNIQUE"},
}


def refused(api: Api, path: str, body: dict[str, Any]) -> str:
    r = api.post(path, body)
    assert r.status_code == 400, (path, r.status_code, r.text)
    assert set(r.json()) == {"code", "message", "details"}
    return str(r.json()["message"])


def listed(api: Api, action_id: int) -> dict[str, Any] | None:
    found = api.ok("/v1/seller-actions/list", {"limit": 100, "action_ids": [str(action_id)]})
    return found["actions"][0] if found["actions"] else None


def members(api: Api, action_id: int) -> list[str]:
    page = api.ok("/v1/seller-actions/products/list", {"action_id": action_id, "limit": 100})
    return [p["sku"][0] for p in page["products"]]


def test_each_mechanic_is_created_with_its_own_fields(api: Api) -> None:
    made = {
        "voucher": api.ok("/v1/seller-actions/create/voucher", VOUCHER)["action_id"],
        "multi": api.ok(
            "/v1/seller-actions/create/multi-level-discount",
            {**DATES, "title": "m", "discount_type": "PERCENT", "discount_levels": LEVELS},
        )["action_id"],
        "installment": api.ok(
            "/v1/seller-actions/create/installment",
            {"date_start": DATES["date_start"], "title": "i"},
        )["action_id"],
    }
    voucher = listed(api, made["voucher"])
    assert voucher is not None and voucher["action_parameters"]["voucher_parameters"] == {
        "count_codes": 3,
        "is_private": False,
        "type": "UNIQUE",
    }
    assert voucher["action_parameters"]["status"] == "PLANNED" and voucher["is_turn_on"]
    multi = listed(api, made["multi"])
    assert multi is not None and multi["sku_count"] > 0  # Ozon adds them by itself
    inst = listed(api, made["installment"])
    assert inst is not None and inst["action_parameters"]["discount_type"] == "INSTALLED_PERIOD"


def test_the_rules_ozon_documents_are_refused_with_400(api: Api) -> None:
    one_level = {**DATES, "title": "m", "discount_type": "PERCENT", "discount_levels": LEVELS[:1]}
    assert "discount_levels" in refused(
        api, "/v1/seller-actions/create/multi-level-discount", one_level
    )
    users = {**VOUCHER, "user_ids": [str(i) for i in range(1, 52)]}
    assert "50" in refused(api, "/v1/seller-actions/create/voucher", users)
    backwards = {**VOUCHER, "date_end": "2029-12-01T00:00:00Z"}
    assert "after date_start" in refused(api, "/v1/seller-actions/create/voucher", backwards)
    many_one = {
        **VOUCHER,
        "voucher_parameters": {"count_codes": 5, "is_private": False, "type": "ONE"},
    }
    assert "count_codes" in refused(api, "/v1/seller-actions/create/voucher", many_one)

    vid = api.ok("/v1/seller-actions/create/voucher", VOUCHER)["action_id"]
    new_budget = {
        "action_id": vid,
        "action_parameters": {**DATES, "title": "v", "discount_value": 10, "budget": 500},
    }
    assert "turn the action off" in refused(api, "/v1/seller-actions/update/voucher", new_budget)
    api.ok("/v1/seller-actions/change-activity", {"action_id": vid, "is_turn_on": False})
    api.ok("/v1/seller-actions/update/voucher", new_budget)
    assert listed(api, vid)["action_parameters"]["budget"] == 500  # type: ignore[index]
    wrong = {"action_id": vid, "action_parameters": {**DATES, "title": "d"}}
    assert "VOUCHER_DISCOUNT" in refused(api, "/v1/seller-actions/update/discount", wrong)

    multi = 5005
    sku = api.ok("/v1/seller-actions/products/candidates", {"action_id": 5001, "limit": 1})
    one = int(sku["products"][0]["sku"][0])
    assert "automatically" in refused(
        api, "/v1/seller-actions/products/add", {"action_id": multi, "products": [{"sku": one}]}
    )
    assert "turn the action off" in refused(api, "/v1/seller-actions/archive", {"action_id": 5001})


def test_add_and_delete_say_nothing_per_product(api: Api) -> None:
    vid = api.ok("/v1/seller-actions/create/voucher", VOUCHER)["action_id"]
    cands = api.ok("/v1/seller-actions/products/candidates", {"action_id": vid, "limit": 3})
    skus = [int(p["sku"][0]) for p in cands["products"]]
    assert len(skus) == 3 and cands["has_next"] is True
    body = {"action_id": vid, "products": [{"sku": s} for s in skus] + [{"sku": 1}]}
    assert api.ok("/v1/seller-actions/products/add", body) == {}  # SKU 1 is not the shop's
    assert members(api, vid) == [str(s) for s in skus]
    after = api.ok("/v1/seller-actions/products/candidates", {"action_id": vid, "limit": 100})
    assert not {int(p["sku"][0]) for p in after["products"]} & set(skus)
    gone = {"action_id": vid, "skus": [str(skus[0]), "1"]}
    assert api.ok("/v1/seller-actions/products/delete", gone) == {}
    assert members(api, vid) == [str(s) for s in skus[1:]]
    too_many = {"action_id": vid, "skus": [str(s) for s in range(101)]}
    assert "too many" in refused(api, "/v1/seller-actions/products/delete", too_many)

    # a discount takes each product's percent, at least the promotion's minimum
    did = api.ok(
        "/v1/seller-actions/create/discount", {**DATES, "title": "d", "min_action_percent": 10}
    )["action_id"]
    low = {"action_id": did, "products": [{"sku": skus[0], "discount_percent": 5}]}
    assert api.ok("/v1/seller-actions/products/add", low) == {} and members(api, did) == []
    ok = {"action_id": did, "products": [{"sku": skus[0], "discount_percent": 15}]}
    api.ok("/v1/seller-actions/products/add", ok)
    page = api.ok("/v1/seller-actions/products/list", {"action_id": did, "limit": 100})
    assert [p["discount_percent"] for p in page["products"]] == [15.0]


def test_archive_and_voucher_codes(api: Api) -> None:
    vid = api.ok("/v1/seller-actions/create/voucher", VOUCHER)["action_id"]
    assert api.ok("/v1/seller-actions/voucher/get", {"action_id": vid})["file"].endswith(".csv")
    assert "not a voucher" in refused(api, "/v1/seller-actions/voucher/get", {"action_id": 5001})
    api.ok("/v1/seller-actions/archive", {"action_id": 5003})
    assert listed(api, 5003) is None
    r = api.post("/v1/seller-actions/products/list", {"action_id": 5003, "limit": 10})
    assert r.status_code == 404
