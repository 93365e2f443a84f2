"""Ozon's auto-add lists and freeze dates end to end (issue 20): a product taken off an
auto-add list is not added when the sandbox's day passes the date, one left on it is;
``auto-add undo`` puts products back with their action price; the per-product opt-out
in the price import keeps Ozon from adding it; a frozen promotion keeps its products."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

pytestmark = pytest.mark.e2e

DELETE = "/v2/actions/auto-add/products/delete"
UPDATE = "/v2/actions/auto-add/products/update"
TODAY = dt.datetime.now(dt.UTC).date().isoformat()
"""The real day: freeze dates are judged by ozonctl against the real clock."""


def on_lists(ozonctl: Any, *args: str) -> list[dict[str, Any]]:
    r = ozonctl("promo", "auto-add", "list", *args, "--json")
    assert r.exit_code == 0, r.stderr
    rows: list[dict[str, Any]] = r.json()
    return rows


def members(sandbox: Any, action_id: int) -> set[int]:
    return set(sandbox.get(f"/__sandbox/state/action/{action_id}")["product_ids"])


def test_a_removed_product_is_not_added_when_the_day_passes_and_a_listed_one_is(
    sandbox: Any, ozonctl: Any
) -> None:
    rows = on_lists(ozonctl, "--promotion", "71003")
    assert {r["action_id"] for r in rows} == {71003} and len(
        {r["auto_add_date"] for r in rows}
    ) == 2
    first_date = min(r["auto_add_date"] for r in rows)
    listed = [r for r in rows if r["auto_add_date"] == first_date]
    gone, kept = listed[0], listed[1]
    everywhere = on_lists(ozonctl)
    assert gone["product_id"] not in members(sandbox, 71003)

    plan = ozonctl("promo", "auto-add", "remove", gone["offer_id"], "--dry-run")
    assert plan.exit_code == 0 and "would_remove" in plan.stdout and sandbox.requests(DELETE) == []
    refused = ozonctl("promo", "auto-add", "remove", gone["offer_id"])  # no terminal, no --yes
    assert refused.exit_code == 2 and "--yes" in refused.stderr
    r = ozonctl("promo", "auto-add", "remove", gone["offer_id"], "--yes")
    assert r.exit_code == 0, r.stderr
    assert "undo: ozonctl promo auto-add undo autoadd-remove-" in r.stderr
    sent = [e["body"] for e in sandbox.requests(DELETE)]
    assert all(b["product_ids"] == [str(gone["product_id"])] for b in sent)
    lists = {
        (x["action_id"], x["auto_add_date"])
        for x in everywhere
        if x["product_id"] == gone["product_id"]
    }
    assert len(sent) == len(lists)  # every list it was on, one request each
    assert gone["product_id"] not in {x["product_id"] for x in on_lists(ozonctl)}

    moved = sandbox.post("/__sandbox/clock", {"days": 12})  # past both auto-add dates
    assert kept["product_id"] in moved["auto_added"]["71003"]
    now_in = members(sandbox, 71003)
    assert kept["product_id"] in now_in
    assert gone["product_id"] not in now_in
    assert on_lists(ozonctl, "--promotion", "71003") == []  # the lists are used up


def test_undo_puts_products_back_with_the_action_price_they_had(sandbox: Any, ozonctl: Any) -> None:
    before = on_lists(ozonctl, "--promotion", "71004")
    r = ozonctl("promo", "auto-add", "remove", "--promotion", "71004", "--yes")
    assert r.exit_code == 0, r.stderr
    assert on_lists(ozonctl, "--promotion", "71004") == []
    undo = ozonctl("promo", "auto-add", "undo", "last", "--yes")
    assert undo.exit_code == 0, undo.stderr
    assert f"restored {len(before)} of {len(before)}" in undo.stderr
    key = ("product_id", "auto_add_date", "action_price")
    after = on_lists(ozonctl, "--promotion", "71004")
    assert sorted(tuple(x[k] for k in key) for x in after) == sorted(
        tuple(x[k] for k in key) for x in before
    )
    bodies = [e["body"] for e in sandbox.requests(UPDATE)]
    assert len(bodies) == 2  # one per auto-add date
    assert all("stock" not in p for b in bodies for p in b["products"])  # not a promo code
    again = ozonctl("promo", "auto-add", "undo", "last", "--yes")
    assert again.exit_code == 2 and "undone already" in again.stderr
    assert len(sandbox.requests(UPDATE)) == 2


def test_the_auto_add_opt_out_keeps_ozon_from_adding_a_product(sandbox: Any, ozonctl: Any) -> None:
    rows = on_lists(ozonctl, "--promotion", "71003")
    first_date = min(r["auto_add_date"] for r in rows)
    target = next(r for r in rows if r["auto_add_date"] == first_date)
    r = ozonctl("listing", "price", "set", "--yes", target["offer_id"], "--auto-add", "off")
    assert r.exit_code == 0, r.stderr
    (sent,) = sandbox.requests("/v1/product/import/prices")
    (item,) = sent["body"]["prices"]
    assert item["auto_add_to_ozon_actions_list_enabled"] == "DISABLED"
    assert not {"price", "old_price", "min_price"} & item.keys()  # prices untouched
    assert target["product_id"] not in {x["product_id"] for x in on_lists(ozonctl)}
    sandbox.post("/__sandbox/clock", {"days": 12})
    assert target["product_id"] not in members(sandbox, 71003)


@pytest.mark.sandbox_args("--today", TODAY)
def test_freeze_dates_listed_and_a_leave_after_one_warned_and_refused(
    sandbox: Any, ozonctl: Any
) -> None:
    soon = ozonctl("promo", "list", "--freezing-within", "3d", "--json")
    assert soon.exit_code == 0, soon.stderr
    assert [r["id"] for r in soon.json()] == [71004]  # freezes the day before it starts
    assert ozonctl("promo", "list", "--freezing-within", "3x").exit_code == 2
    frozen = members(sandbox, 71005)
    assert frozen
    r = ozonctl("promo", "leave", "71005", "--all", "--yes")
    assert "frozen since" in r.stderr and "they will stay in it" in r.stderr
    assert r.exit_code == 3  # Ozon keeps them: every product is reported not removed
    assert members(sandbox, 71005) == frozen
