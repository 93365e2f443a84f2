"""The sandbox's rFBS side (issue 22): an rFBS warehouse in ``/v2/warehouse/list``, and
buyers' cancellation requests and rFBS returns on postings shipped from it, as Ozon's
documents put them (rFBS only), never on FBS postings."""

from __future__ import annotations

from sandbox_helpers import Api


def rfbs_ids(shared: Api) -> set[int]:
    found = shared.ok("/v2/warehouse/list", {"limit": 200})["warehouses"]
    return {int(w["warehouse_id"]) for w in found if w["is_rfbs"]}


def warehouse_of(shared: Api, number: str) -> int:
    got = shared.ok("/v3/posting/fbs/get", {"posting_number": number})["result"]
    return int(got["delivery_method"]["warehouse_id"])


def test_the_shop_has_an_rfbs_warehouse_beside_its_fbs_ones(shared: Api) -> None:
    found = shared.ok("/v2/warehouse/list", {"limit": 200})["warehouses"]
    assert {w["is_rfbs"] for w in found} == {True, False}
    assert "Shenzhen rFBS" in {w["name"] for w in found if w["is_rfbs"]}


def test_cancellation_requests_and_rfbs_returns_sit_on_rfbs_postings(shared: Api) -> None:
    rfbs = rfbs_ids(shared)
    asked = shared.ok("/v2/conditional-cancellation/list", {"limit": 500})["result"]
    assert len(asked) >= 3
    assert {warehouse_of(shared, r["posting_number"]) for r in asked} <= rfbs
    returned = shared.ok("/v2/returns/rfbs/list", {"limit": 50})["returns"]
    returned = returned if isinstance(returned, list) else [returned]
    numbers = {r["posting_number"] for r in returned} | {
        r.posting for r in shared.shop.rfbs_returns.all()
    }
    assert numbers and {warehouse_of(shared, n) for n in numbers} <= rfbs


def test_rfbs_postings_are_delivered_by_the_seller(shared: Api) -> None:
    """No sorting centre on rFBS: no driver pick-up or not-accepted status, and the
    delivery is the seller's own carrier (``non_integrated``)."""
    shop = shared.shop
    rfbs = [p for p in shop.orders.fbs if shop.is_rfbs(p.warehouse)]
    assert rfbs and not {p.status for p in rfbs} & {"driver_pickup", "not_accepted"}
    got = shared.ok("/v3/posting/fbs/get", {"posting_number": rfbs[0].number})["result"]
    assert got["tpl_integration_type"] == "non_integrated"
