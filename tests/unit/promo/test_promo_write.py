"""``promo join``, ``history``, ``pause``/``resume`` and ``requests``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from promo_fake import BOOST, PIDS, SALE, VOUCHER, FakePromos

UPDATE = "/v1/actions/products/update"


def test_join_at_ozons_price_with_recommended_stock(cli: Any, fake: FakePromos) -> None:
    r = cli("promo", "join", str(VOUCHER), "--sku", "5004", "--offer", "OF-5", "--yes", "--json")
    assert r.exit_code == 0, r.stderr
    (body,) = fake.calls(UPDATE)
    assert body == {
        "action_id": VOUCHER,
        "products": [
            {"product_id": 1004, "action_price": {"amount": "1190.00", "currency": "RUB"}, "stock": 4},
            {"product_id": 1005, "action_price": {"amount": "1275.00", "currency": "RUB"}, "stock": 4},
        ],
    }  # fmt: skip
    assert [(x["product_id"], x["status"]) for x in r.json()["items"]] == [
        (1004, "joined"),
        (1005, "joined"),
    ]
    assert fake.members[VOUCHER][1004] == (Decimal("1190.00"), 4)


def test_join_prices_above_the_maximum_are_caught_before_sending(
    cli: Any, fake: FakePromos
) -> None:
    r = cli("promo", "join", str(VOUCHER), "--sku", "5004,5011", "--action-price", "1200", "--yes")
    assert r.exit_code == 3
    rows = {ln.split("\t")[0]: ln.split("\t") for ln in r.stdout.splitlines()}
    assert rows["OF-4"][3] == "rejected"
    assert "above the largest allowed 1190.00" in rows["OF-4"][6]
    assert rows["OF-11"][3] == "joined"
    (body,) = fake.calls(UPDATE)
    assert [p["product_id"] for p in body["products"]] == [1011]


def test_join_by_discount_and_stock(cli: Any, fake: FakePromos) -> None:
    r = cli(
        "promo", "join", str(VOUCHER), "--sku", "5009", "--discount", "20", "--stock", "2", "--yes"
    )
    assert r.exit_code == 0, r.stderr
    (body,) = fake.calls(UPDATE)
    assert body["products"] == [
        {"product_id": 1009, "action_price": {"amount": "1520.00", "currency": "RUB"}, "stock": 2}
    ]


def test_join_usage_errors(cli: Any, fake: FakePromos) -> None:
    r = cli("promo", "join", str(BOOST), "--sku", "5000", "--stock", "2", "--yes")
    assert r.exit_code == 2 and "only to promo-code promotions" in r.stderr
    r = cli(
        "promo", "join", str(VOUCHER), "--sku", "5000", "--action-price", "1", "--discount", "5"
    )
    assert r.exit_code == 2
    r = cli("promo", "join", str(VOUCHER), "--sku", "5000", "--action-price", "abc")
    assert r.exit_code == 2 and "not a price" in r.stderr
    assert fake.calls(UPDATE) == []


def test_join_all_candidates_with_rejections_and_dry_run(cli: Any, fake: FakePromos) -> None:
    r = cli("promo", "join", str(SALE), "--all-candidates", "--dry-run", "--json")
    assert r.exit_code == 0
    assert [x["status"] for x in r.json()["items"]] == ["would_join"] * len(PIDS)
    assert fake.calls(UPDATE) == []
    fake.reject = {1003: "stock too small"}
    r = cli("promo", "join", str(SALE), "--all-candidates", "--yes", "--json")
    assert r.exit_code == 3
    got = {x["product_id"]: (x["status"], x["reason"]) for x in r.json()["items"]}
    assert got[1003] == ("rejected", "stock too small")
    assert sum(1 for s, _ in got.values() if s == "joined") == len(PIDS) - 1
    (body,) = fake.calls(UPDATE)
    assert all("stock" not in p for p in body["products"])  # not a promo-code promotion


def test_join_not_a_candidate_and_re_price(cli: Any, fake: FakePromos) -> None:
    r = cli("promo", "join", str(VOUCHER), "--sku", "5000", "--action-price", "800", "--yes")
    assert r.exit_code == 0, r.stderr  # already in: re-priced
    assert fake.members[VOUCHER][1000] == (Decimal("800.00"), 4)
    fake.members[BOOST].clear()
    fake.pids = PIDS[:3]
    r = cli("promo", "join", str(BOOST), "--sku", "5000", "--sku", "99", "--yes")
    assert r.exit_code == 3  # sku 99 unknown


def test_history_lists_joins_and_leaves(cli: Any, fake: FakePromos) -> None:
    assert cli("promo", "history").stdout == ""
    cli("promo", "leave", str(VOUCHER), "--sku", "5000", "--yes")
    cli("promo", "join", str(VOUCHER), "--sku", "5009", "--yes")
    r = cli("promo", "history")
    rows = [ln.split("\t") for ln in r.stdout.splitlines()]
    assert [(x[2], x[3], x[5], x[6], x[7]) for x in rows] == [
        ("join", "101", "1", "done", "joined 1"),
        ("leave", "101", "1", "done", "left 1"),
    ]
    r = cli("promo", "history", "--action", "102", "--json")
    assert r.json() == []


def test_pause_and_resume_are_idempotent(cli: Any, fake: FakePromos) -> None:
    r = cli("promo", "pause", "5001", "--dry-run", "--json")
    assert r.json()["changed"] is False and fake.calls("/v1/seller-actions/change-activity") == []
    r = cli("promo", "pause", "--yes", "5001", "--json")
    assert r.exit_code == 0 and r.json()["is_turn_on"] is False and r.json()["changed"]
    assert fake.calls("/v1/seller-actions/change-activity") == [
        {"action_id": 5001, "is_turn_on": False}
    ]
    r = cli("promo", "pause", "--yes", "5001")
    assert r.stdout == "5001\toff\n" and "already off" in r.stderr
    assert len(fake.calls("/v1/seller-actions/change-activity")) == 1
    r = cli("promo", "resume", "--yes", "5001")
    assert r.stdout == "5001\ton\n" and fake.seller[5001]["on"] is True
    r = cli("promo", "resume", "--yes", "5003")
    assert r.exit_code == 2 and "has ended" in r.stderr
    r = cli("promo", "pause", "--yes", str(VOUCHER))
    assert r.exit_code == 2 and "promo leave" in r.stderr


def test_requests_list_over_pages(cli: Any, fake: FakePromos) -> None:
    r = cli("promo", "requests", "--json")
    assert [x["id"] for x in r.json()] == [9001, 9002, 9003]
    assert r.json()[0]["requested_price"] == "850.00"
    assert r.json()[0]["requested_discount_pct"] == 15.0
    pages = fake.calls("/v2/actions/discounts-task/list")
    assert [p.get("last_id") for p in pages] == [None, 9002, 9003]
    r = cli("promo", "requests", "--status", "new")
    assert [ln.split("\t")[0] for ln in r.stdout.splitlines()] == ["9001", "9003"]
    r = cli("promo", "requests", "--status", "bogus")
    assert r.exit_code == 2


def test_requests_approve_and_decline(cli: Any, fake: FakePromos) -> None:
    fake.fail_task = {9003}
    r = cli("promo", "requests", "approve", "9001", "9002", "9003", "9999", "--yes", "--json")
    assert r.exit_code == 3
    got = {x["id"]: (x["status"], x["reason"]) for x in r.json()["items"]}
    assert got == {
        9001: ("approved", ""),
        9003: ("failed", "price too low"),
        9002: ("skipped", "already APPROVED"),
        9999: ("not_found", "no such request"),
    }
    (body,) = fake.calls("/v1/actions/discounts-task/approve")
    assert body["tasks"][0] == {
        "id": 9001,
        "approved_price": 850.0,
        "approved_quantity_min": 1,
        "approved_quantity_max": 3,
    }
    r = cli("promo", "requests", "decline", "9003", "--comment", "sorry", "--yes")
    assert r.exit_code == 3  # the fake refuses 9003 either way
    fake.fail_task = set()
    r = cli("promo", "requests", "decline", "9003", "--comment", "sorry", "--yes")
    assert r.exit_code == 0 and fake.tasks[9003]["status"] == "DECLINED"
    body = fake.calls("/v1/actions/discounts-task/decline")[-1]
    assert body == {"tasks": [{"id": 9003, "seller_comment": "sorry"}]}
