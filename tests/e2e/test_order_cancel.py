"""Cancellations as real processes against the real sandbox: the rating guard, asking on a
terminal and ``--yes`` in a script, the state after, and a cancel that never goes out
twice when its answer is lost (a 503, a timeout)."""

from __future__ import annotations

import time
import tomllib
from pathlib import Path
from typing import Any

import pytest
from orders_support import add_fault, api, bodies, posting_state, run_in_terminal, unfulfilled

pytestmark = pytest.mark.e2e

CANCEL = "/v2/posting/fbs/cancel"
PRODUCT_CANCEL = "/v2/posting/fbs/product/cancel"
CODE = "rating_general_indicator_fbs_rfbs"


def packaging(sandbox: Any) -> list[Any]:
    return unfulfilled(sandbox, ["awaiting_packaging"])


def rate(sandbox: Any) -> float:
    groups = api(sandbox, "/v1/rating/summary")["groups"]
    return float(
        next(i for g in groups for i in g["items"] if i["rating"] == CODE)["current_value"]
    )


def journal(home: Path) -> list[dict[str, Any]]:
    root = home / "state" / "profiles" / "default" / "journal" / "order"
    return [tomllib.loads(f.read_text()) for f in sorted(root.glob("*/op.toml"))]


def test_guard_confirmation_and_state(sandbox: Any, ozonctl: Any, ozonctl_home: Path) -> None:
    open_ = packaging(sandbox)
    one = open_[0]["posting_number"]
    multi = next(
        p for p in open_[1:] if p["products"][0]["quantity"] >= 2 or len(p["products"]) > 1
    )
    r = ozonctl("order", "rating", "--json")
    assert r.exit_code == 0 and r.json()[0]["rating"] == CODE
    before = rate(sandbox)
    assert before >= 5 and r.json()[0]["status"] == "CRITICAL"  # the demo shop is over

    r = ozonctl("order", "cancel", one, "--reason", "352")
    assert r.exit_code == 1 and "at or over the threshold" in r.stderr and "--force" in r.stderr
    assert f"{before}%" in r.stderr and "CRITICAL" in r.stderr
    r = ozonctl("order", "cancel", one, "--reason", "352", "--force")
    assert r.exit_code == 2 and "--yes required" in r.stderr
    r = ozonctl("order", "cancel", one, "--reason", "352", "--force", "--dry-run", "--json")
    assert r.exit_code == 0 and r.json()["counts"] == {"dry_run": 1}
    code, out = run_in_terminal(
        sandbox, ozonctl_home, "order", "cancel", one, "-r", "352", "--force", typed="n\n"
    )
    assert code == 1 and f"Cancel {one}?" in out and "nothing was sent" in out
    assert (
        bodies(sandbox, CANCEL) == []
        and posting_state(sandbox, one)["status"] == "awaiting_packaging"
    )

    r = ozonctl("order", "cancel", one, "--reason", "352", "--force", "--yes", "--json")
    assert r.exit_code == 0, r.stderr
    [doc] = r.json()["items"]
    assert doc["outcome"] == "cancelled" and doc["cancellation_rating"]["rating"] == CODE
    assert bodies(sandbox, CANCEL) == [{"posting_number": one, "cancel_reason_id": 352}]
    state = posting_state(sandbox, one)
    assert state["status"] == "cancelled" and state["cancellation"]["cancel_reason_id"] == 352
    assert rate(sandbox) > before
    [op] = journal(ozonctl_home)
    assert op["status"] == "done" and op["posting"] == one

    r = ozonctl("order", "cancel", one, "--reason", "352", "--force", "--yes")
    assert r.exit_code == 0 and "already cancelled" in r.stderr
    assert len(bodies(sandbox, CANCEL)) == 1

    number = multi["posting_number"]
    sku = multi["products"][0]["sku"]
    had = {p["sku"]: p["quantity"] for p in multi["products"]}
    r = ozonctl("order", "cancel", number, "-r", "352", "--product", f"{sku}:1", "--force", "-y")
    assert r.exit_code == 0, r.stderr
    [sent] = bodies(sandbox, PRODUCT_CANCEL)
    assert sent["items"] == [{"sku": sku, "quantity": 1}] and sent["cancel_reason_message"]
    after = {p["sku"]: p["quantity"] for p in posting_state(sandbox, number)["products"]}
    assert after.get(sku, 0) == had[sku] - 1


@pytest.mark.sandbox_args("--fault", f"{CANCEL}=503:1")
def test_a_503_cancel_is_never_sent_twice(sandbox: Any, ozonctl: Any, ozonctl_home: Path) -> None:
    number = packaging(sandbox)[0]["posting_number"]
    r = ozonctl("order", "cancel", number, "-r", "352", "--force", "--yes")
    assert r.exit_code == 1
    assert "may or may not have reached Ozon" in r.stderr and "HTTP 503" in r.stderr
    assert f"ozonctl order show {number}" in r.stderr
    assert [e["status"] for e in sandbox.requests(CANCEL)] == [503]
    assert posting_state(sandbox, number)["status"] == "awaiting_packaging"
    assert [op["status"] for op in journal(ozonctl_home)] == ["unknown"]

    r = ozonctl("order", "cancel", number, "-r", "352", "--force", "--yes")
    assert r.exit_code == 1 and "unknown outcome" in r.stderr and "--retry-unknown" in r.stderr
    assert len(sandbox.requests(CANCEL)) == 1

    r = ozonctl("order", "cancel", number, "-r", "352", "--force", "--yes", "--retry-unknown")
    assert r.exit_code == 0, r.stderr
    assert [e["status"] for e in sandbox.requests(CANCEL)] == [503, 200]
    assert posting_state(sandbox, number)["status"] == "cancelled"
    assert sorted(op["status"] for op in journal(ozonctl_home)) == ["abandoned", "done"]
    r = ozonctl("order", "cancel", number, "-r", "352", "--force", "--yes")
    assert r.exit_code == 0 and len(sandbox.requests(CANCEL)) == 2


def test_a_timed_out_cancel_is_never_sent_twice(
    sandbox: Any, ozonctl: Any, ozonctl_home: Path
) -> None:
    number = packaging(sandbox)[0]["posting_number"]
    assert ozonctl("config", "set", "timeout", "1").exit_code == 0
    add_fault(sandbox, f"{CANCEL}=slow:3000:1")  # answers after 3 s: past the 1 s timeout
    r = ozonctl("order", "cancel", number, "-r", "352", "--force", "--yes")
    assert r.exit_code == 1, r.stderr
    assert "timed out" in r.stderr and "may or may not have reached Ozon" in r.stderr
    assert "Ozon now shows status awaiting_packaging" in r.stderr
    assert [op["status"] for op in journal(ozonctl_home)] == ["unknown"]
    deadline = time.monotonic() + 15
    while posting_state(sandbox, number)["status"] != "cancelled":  # the late cancel lands
        assert time.monotonic() < deadline
        time.sleep(0.2)

    r = ozonctl("order", "cancel", number, "-r", "352", "--force", "--yes")
    assert r.exit_code == 0, r.stderr
    assert "went through" in r.stderr and "already cancelled; nothing sent" in r.stderr
    assert len(sandbox.requests(CANCEL)) == 1
    [op] = journal(ozonctl_home)
    assert op["status"] == "done" and op["settled_by"] == "re-read"
