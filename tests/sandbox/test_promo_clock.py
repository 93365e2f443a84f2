"""The sandbox's day, Ozon's auto-adding on it, the auto-add opt-out and freeze dates
(issue 20): what Ozon's documents say the sandbox must do."""

from __future__ import annotations

from typing import Any

from sandbox_helpers import Api

AUTO_LIST = "/v2/actions/auto-add/products/list"


def on_list(api: Api, action_id: int, date: str) -> list[int]:
    body = {"action_id": action_id, "auto_add_date": date, "limit": 100}
    return [p["product_id"] for p in api.ok(AUTO_LIST, body)["products"]]


def first_list(api: Api, action_id: int) -> tuple[str, list[int]]:
    (action,) = [a for a in api.get("/v1/actions").json()["result"] if a["id"] == action_id]
    date = sorted(action["auto_add_dates"])[0]
    return date, on_list(api, action_id, date)


def members(api: Api, action_id: int) -> set[int]:
    return set(api.get(f"/__sandbox/state/action/{action_id}").json()["product_ids"])


def test_the_day_moving_past_an_auto_add_date_adds_the_list_but_no_opted_out_product(
    api: Api,
) -> None:
    date, listed = first_list(api, 71003)
    out, kept = listed[0], listed[1]
    price = {"prices": [{"product_id": out, "auto_add_to_ozon_actions_list_enabled": "DISABLED"}]}
    assert api.ok("/v1/product/import/prices", price)["result"][0]["updated"]
    shown = api.ok("/v5/product/info/prices", {"filter": {"product_id": [str(out)]}, "limit": 1})
    assert shown["items"][0]["price"]["auto_add_to_ozon_actions_list_enabled"] is False
    assert out not in on_list(api, 71003, date)
    before = api.get("/__sandbox/clock").json()
    moved = api.client.post("/__sandbox/clock", json={"days": 3}).json()
    assert moved["today"] > before["today"]
    assert kept in moved["auto_added"]["71003"] and out not in moved["auto_added"]["71003"]
    assert kept in members(api, 71003) and out not in members(api, 71003)
    assert (
        api.post(AUTO_LIST, {"action_id": 71003, "auto_add_date": date, "limit": 1}).status_code
        == 400
    )
    back = api.client.post("/__sandbox/clock", json={"today": before["today"]})
    assert back.status_code == 400 and "cannot go back" in back.text


def test_a_frozen_promotion_keeps_its_products_and_prices_may_only_go_down(api: Api) -> None:
    (frozen,) = [a for a in api.get("/v1/actions").json()["result"] if a["id"] == 71005]
    assert frozen["freeze_date"]
    inside = sorted(members(api, 71005))
    gone = api.ok(
        "/v2/actions/products/deactivate", {"action_id": 71005, "product_ids": [str(inside[0])]}
    )
    assert gone == {"product_ids": []} and inside[0] in members(api, 71005)
    promo = api.shop.promos.actions[71005]
    i = api.shop.catalog.by_product_id(inside[0])
    now = promo.products[i].price

    def update(pid: int, kop: int) -> Any:
        money = {"amount": f"{kop / 100:.2f}", "currency": "RUB"}
        body = {"action_id": 71005, "products": [{"product_id": pid, "action_price": money}]}
        return api.ok("/v1/actions/products/update", body)

    assert "cannot be raised" in update(inside[0], now + 100)["rejected"][0]["reason"]
    assert update(inside[0], now - 100)["active_product_ids"] == [str(inside[0])]
    outsider = api.ok("/v2/actions/candidates", {"action_id": 71005, "limit": 1})["products"][0]
    assert "cannot be added" in update(outsider["id"], 100)["rejected"][0]["reason"]
