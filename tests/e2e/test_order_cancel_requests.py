"""Buyers' cancellation requests (rFBS) as real processes against the sandbox: the list
with deadlines, approve and reject with write safety (dry run, --yes, journal), an approve
whose answer is lost is sent once, Ozon's own approval at the deadline, and ``order
at-risk`` naming the waiting ones."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from orders_support import add_fault, api, bodies, posting_state

pytestmark = pytest.mark.e2e

LIST = "/v2/conditional-cancellation/list"
APPROVE = "/v2/conditional-cancellation/approve"
REJECT = "/v2/conditional-cancellation/reject"


def requests_in(sandbox: Any, state: str = "ALL") -> list[Any]:
    return api(sandbox, LIST, {"limit": 500, "filters": {"state": state}})["result"]


def test_the_list_shows_waiting_requests_with_deadlines(sandbox: Any, ozonctl: Any) -> None:
    waiting = requests_in(sandbox, "ON_APPROVAL")
    assert len(waiting) >= 3
    rows = ozonctl("order", "cancel-requests", "--json").json()
    assert [r["cancellation_id"] for r in rows] == [w["cancellation_id"] for w in waiting]
    assert all(
        r["state"] == "ON_APPROVAL" and r["answer_by"] and r["hours_left"] is not None for r in rows
    )
    every = ozonctl("order", "cancel-requests", "--state", "all", "--json").json()
    assert {r["state"] for r in every} == {"ON_APPROVAL", "APPROVED", "REJECTED"}
    r = ozonctl("order", "cancel-requests", "--state", "bogus")
    assert r.exit_code == 2 and "--state" in r.stderr


def test_approve_and_reject_ask_first_and_change_ozon(sandbox: Any, ozonctl: Any) -> None:
    first, second = requests_in(sandbox, "ON_APPROVAL")[:2]
    a, b = first["cancellation_id"], second["cancellation_id"]
    r = ozonctl("order", "cancel-requests", "approve", str(a))
    assert r.exit_code == 2 and "--yes required" in r.stderr
    r = ozonctl("--dry-run", "order", "cancel-requests", "approve", str(a), "--json")
    assert r.exit_code == 0 and r.json()["outcome"] == "dry_run"
    assert sandbox.requests(APPROVE) == []

    r = ozonctl("order", "cancel-requests", "approve", str(a), "--yes", "--json")
    assert r.exit_code == 0, r.stderr
    assert r.json()["outcome"] == "approved" and r.json()["state"] == "APPROVED"
    assert posting_state(sandbox, first["posting_number"])["status"] == "cancelled"

    r = ozonctl("order", "cancel-requests", "reject", str(b), "--yes")
    assert r.exit_code == 2 and "--reason" in r.stderr
    r = ozonctl("order", "cancel-requests", "reject", str(b), "-r", "Уже в пути", "--yes")
    assert r.exit_code == 0, r.stderr
    assert bodies(sandbox, REJECT) == [{"cancellation_id": b, "comment": "Уже в пути"}]
    assert posting_state(sandbox, second["posting_number"])["status"] != "cancelled"
    # deciding again sends nothing
    r = ozonctl("order", "cancel-requests", "approve", str(b), "--yes")
    assert r.exit_code == 1 and "REJECTED; nothing sent" in r.stderr
    r = ozonctl("order", "cancel-requests", "approve", str(a), "--yes")
    assert r.exit_code == 0 and "already APPROVED" in r.stderr
    assert len(sandbox.requests(APPROVE)) == 1


def test_an_approve_whose_answer_is_lost_is_approved_once(
    sandbox: Any, ozonctl: Any, ozonctl_home: Path
) -> None:
    target = requests_in(sandbox, "ON_APPROVAL")[0]
    rid = target["cancellation_id"]
    add_fault(sandbox, f"{APPROVE}=after502:1")
    r = ozonctl("order", "cancel-requests", "approve", str(rid), "--yes", "--json")
    assert r.exit_code == 0, r.stderr
    assert "answer was lost" in r.stderr and r.json()["state"] == "APPROVED"
    assert [e["status"] for e in sandbox.requests(APPROVE)] == [502]
    r = ozonctl("order", "cancel-requests", "approve", str(rid), "--yes")
    assert r.exit_code == 0 and len(sandbox.requests(APPROVE)) == 1
    assert posting_state(sandbox, target["posting_number"])["status"] == "cancelled"


def test_a_lost_approve_that_did_not_apply_is_not_resent_on_its_own(
    sandbox: Any, ozonctl: Any
) -> None:
    rid = requests_in(sandbox, "ON_APPROVAL")[0]["cancellation_id"]
    add_fault(sandbox, f"{APPROVE}=html502:1")
    r = ozonctl("order", "cancel-requests", "approve", str(rid), "--yes")
    assert r.exit_code == 1 and "may or may not have reached Ozon" in r.stderr
    r = ozonctl("order", "cancel-requests", "approve", str(rid), "--yes")
    assert r.exit_code == 1 and "--retry-unknown" in r.stderr
    assert len(sandbox.requests(APPROVE)) == 1
    r = ozonctl("order", "cancel-requests", "approve", str(rid), "--yes", "--retry-unknown")
    assert r.exit_code == 0, r.stderr
    assert [e["status"] for e in sandbox.requests(APPROVE)] == [502, 200]


def test_ozon_approves_at_the_deadline_and_at_risk_names_waiting_ones(
    sandbox: Any, ozonctl: Any
) -> None:
    waiting = {w["posting_number"] for w in requests_in(sandbox, "ON_APPROVAL")}
    rows = ozonctl("order", "at-risk", "--hours", "1", "--json").json()
    flagged = {r["posting_number"] for r in rows if "cancel request" in r["risk"]}
    assert flagged and flagged <= waiting
    assert all(r["cancel_request_by"] for r in rows if "cancel request" in r["risk"])
    sandbox.post("/__sandbox/clock", {"days": 3})
    assert requests_in(sandbox, "ON_APPROVAL") == []
    r = ozonctl("order", "cancel-requests", "--json")
    assert r.exit_code == 0 and r.json() == []
