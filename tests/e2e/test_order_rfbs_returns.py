"""rFBS return requests as real processes against the sandbox: the list, one request
with the actions Ozon allows now, and every action (approve, receive, refund, reject,
compensate) moving the request through its states once, with write safety."""

from __future__ import annotations

from typing import Any

import pytest
from orders_support import add_fault, api, bodies

pytestmark = pytest.mark.e2e

ACT = "/v1/returns/rfbs/action/set"


def returns_in(sandbox: Any) -> list[Any]:
    """Every request, walked by hand: one object per answer, as Ozon's documents say."""
    out: list[Any] = []
    body: dict[str, Any] = {"limit": 100}
    for _ in range(100):
        got = api(sandbox, "/v2/returns/rfbs/list", body).get("returns")
        if not got:
            return out
        out.append(got)
        body["last_id"] = got["return_id"]
    raise AssertionError("too many requests")


def state(sandbox: Any, rid: int) -> str:
    return str(
        api(sandbox, "/v2/returns/rfbs/get", {"return_id": rid})["returns"]["state"]["state"]
    )


def test_list_and_show(sandbox: Any, ozonctl: Any) -> None:
    every = returns_in(sandbox)
    rows = ozonctl("order", "rfbs-returns", "--json").json()
    assert [r["return_id"] for r in rows] == [x["return_id"] for x in every]
    assert {r["state"] for r in rows} >= {"ON_APPROVAL", "WAITING_FOR_PRODUCT"}
    one = ozonctl("order", "rfbs-returns", "show", str(rows[0]["return_id"]), "--json").json()
    assert one["state"] == "ON_APPROVAL" and {a["id"] for a in one["available_actions"]} >= {
        -1,
        1020,
    }
    assert one["rejection_reasons"]


def test_every_action_moves_the_request_once(sandbox: Any, ozonctl: Any) -> None:
    waiting = [r["return_id"] for r in returns_in(sandbox) if r["state"]["state"] == "ON_APPROVAL"]
    a, b, c = waiting[:3]
    r = ozonctl("order", "rfbs-returns", "act", str(a), "approve")
    assert r.exit_code == 2 and "--yes required" in r.stderr
    r = ozonctl("--dry-run", "order", "rfbs-returns", "act", str(a), "approve")
    assert r.exit_code == 0 and bodies(sandbox, ACT) == []
    for verb, after in (
        ("approve", "WAITING_FOR_PRODUCT"),
        ("receive", "PRODUCT_RECEIVED"),
        ("refund", "MONEY_RETURNED"),
    ):
        r = ozonctl("order", "rfbs-returns", "act", str(a), verb, "--yes", "--json")
        assert r.exit_code == 0, r.stderr
        assert r.json()["state"] == after == state(sandbox, a)
    r = ozonctl("order", "rfbs-returns", "act", str(a), "refund", "--yes")
    assert r.exit_code == 2 and "has no refund action now" in r.stderr
    r = ozonctl("order", "rfbs-returns", "act", str(b), "reject", "--yes")
    assert r.exit_code == 2 and "--reason-id" in r.stderr
    r = ozonctl(
        "order",
        "rfbs-returns",
        "act",
        str(b),
        "reject",
        "--reason-id",
        "12",
        "-m",
        "поздно",
        "--yes",
    )
    assert r.exit_code == 0, r.stderr
    assert state(sandbox, b) == "REJECTED"
    r = ozonctl("order", "rfbs-returns", "act", str(c), "compensate", "--amount", "1", "--yes")
    assert r.exit_code == 0, r.stderr
    assert state(sandbox, c) == "COMPENSATED"
    assert bodies(sandbox, ACT)[-1] == {"return_id": c, "id": 1020, "compensation_amount": 1.0}
    assert len(bodies(sandbox, ACT)) == 5


def test_an_action_whose_answer_is_lost_is_sent_once(sandbox: Any, ozonctl: Any) -> None:
    rid = next(r["return_id"] for r in returns_in(sandbox) if r["state"]["state"] == "ON_APPROVAL")
    add_fault(sandbox, f"{ACT}=after502:1")
    r = ozonctl("order", "rfbs-returns", "act", str(rid), "approve", "--yes", "--json")
    assert r.exit_code == 0, r.stderr
    assert r.json()["state"] == "WAITING_FOR_PRODUCT"
    assert [e["status"] for e in sandbox.requests(ACT)] == [502]
    add_fault(sandbox, f"{ACT}=html502:1")
    r = ozonctl("order", "rfbs-returns", "act", str(rid), "receive", "--yes")
    assert r.exit_code == 1 and "may or may not have reached Ozon" in r.stderr
    assert len(sandbox.requests(ACT)) == 2
