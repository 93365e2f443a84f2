"""rFBS delivery statuses (issue 22) as real processes against the sandbox: ``order
deliver``, ``last-mile``, ``delivered`` move the seller's own postings through Ozon's
legal steps with the write safety of every write (confirmation or --yes, --dry-run,
journal, never sent twice, one outcome per posting, exit 3 when some did not move); FBS
postings are refused by ozonctl and by the sandbox, as by Ozon."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from orders_support import add_fault, api, bodies, posting_state, run_in_terminal, unfulfilled

pytestmark = pytest.mark.e2e

DELIVERING = "/v2/fbs/posting/delivering"
LAST_MILE = "/v2/fbs/posting/last-mile"
DELIVERED = "/v2/fbs/posting/delivered"


def handed_over(sandbox: Any) -> tuple[list[str], list[str]]:
    """(rFBS, FBS) postings waiting for their carrier (awaiting_deliver)."""
    rfbs = {
        int(w["warehouse_id"])
        for w in api(sandbox, "/v2/warehouse/list", {"limit": 200})["warehouses"]
        if w["is_rfbs"]
    }
    waiting = unfulfilled(sandbox, ["awaiting_deliver"])
    mine = [p["posting_number"] for p in waiting if p["delivery_method"]["warehouse_id"] in rfbs]
    ozons = [
        p["posting_number"] for p in waiting if p["delivery_method"]["warehouse_id"] not in rfbs
    ]
    return mine, ozons


def by_posting(doc: Any) -> dict[str, Any]:
    return {i["posting_number"]: i for i in doc["items"]}


def test_an_rfbs_posting_goes_delivering_last_mile_delivered_once(
    sandbox: Any, ozonctl: Any
) -> None:
    (a, b, *_), (fbs, *_) = handed_over(sandbox)
    r = ozonctl("order", "deliver", a)
    assert r.exit_code == 2 and "--yes required" in r.stderr
    r = ozonctl("--dry-run", "order", "deliver", a, fbs, "--json")
    assert r.exit_code == 0, r.stderr
    plan = r.json()
    assert plan["dry_run"] is True and plan["counts"] == {"planned": 1, "refused": 1}
    assert "FBS posting" in by_posting(plan)[fbs]["error"]
    assert sandbox.requests(DELIVERING) == []

    r = ozonctl("order", "deliver", a, fbs, "--yes", "--json")
    assert r.exit_code == 3, r.stderr
    done = by_posting(r.json())
    assert done[a]["outcome"] == "sent" and done[a]["status_now"].startswith("delivering")
    assert done[fbs]["outcome"] == "refused"
    assert bodies(sandbox, DELIVERING) == [{"posting_number": [a]}]
    assert r.json()["ref"]

    r = ozonctl("order", "deliver", a, "--yes", "--json")  # again: already there
    assert r.exit_code == 0 and by_posting(r.json())[a]["outcome"] == "already"
    assert len(sandbox.requests(DELIVERING)) == 1

    r = ozonctl("order", "delivered", b, "--yes")  # not handed to a carrier yet
    assert r.exit_code == 1 and "moves a posting from delivering" in r.stdout + r.stderr
    assert sandbox.requests(DELIVERED) == []

    assert ozonctl("order", "last-mile", a, "--yes").exit_code == 0
    assert posting_state(sandbox, a)["substatus"] == "posting_in_courier_service"
    r = ozonctl("order", "delivered", a, "--yes")
    assert r.exit_code == 0, r.stderr
    assert f"{a}\tdelivering/posting_in_courier_service\tsent\t" in r.stdout
    assert posting_state(sandbox, a)["substatus"] == "posting_conditionally_delivered"
    assert [len(sandbox.requests(p)) for p in (LAST_MILE, DELIVERED)] == [1, 1]
    history = ozonctl("order", "history", "--json").json()
    assert {"rfbs-deliver", "rfbs-last-mile", "rfbs-delivered"} <= {h["kind"] for h in history}


def test_a_status_change_whose_answer_is_lost_is_sent_once(
    sandbox: Any, ozonctl: Any, ozonctl_home: Path
) -> None:
    (a, *_), _ = handed_over(sandbox)
    add_fault(sandbox, f"{DELIVERING}=after502:1")
    r = ozonctl("order", "deliver", a, "--yes", "--json")
    assert r.exit_code == 0, r.stderr
    assert "answer was lost" in r.stderr and by_posting(r.json())[a]["outcome"] == "sent"
    r = ozonctl("order", "deliver", a, "--yes")
    assert r.exit_code == 0
    assert [e["status"] for e in sandbox.requests(DELIVERING)] == [502]


def test_on_a_terminal_it_asks_and_shows_each_posting(
    sandbox: Any, ozonctl: Any, ozonctl_home: Path, tmp_path: Path
) -> None:
    mine, _ = handed_over(sandbox)
    listed = tmp_path / "postings.txt"
    listed.write_text("\n".join(mine[:2]) + "\n", encoding="utf-8")
    code, text = run_in_terminal(
        sandbox, ozonctl_home, "order", "deliver", "--from-file", str(listed), typed="y"
    )
    assert code == 0, text
    assert "Mark 2 rFBS posting(s) delivering?" in text and all(n in text for n in mine[:2])
    assert bodies(sandbox, DELIVERING) == [{"posting_number": [n]} for n in mine[:2]]


def test_the_sandbox_refuses_fbs_postings_and_steps_out_of_order(sandbox: Any) -> None:
    (a, *_), (fbs, *_) = handed_over(sandbox)
    got = api(sandbox, DELIVERING, {"posting_number": [fbs]})["result"]
    assert got[0]["result"] is False and "NOT_RFBS" in got[0]["error"]
    got = api(sandbox, LAST_MILE, {"posting_number": [a]})["result"]
    assert got[0]["result"] is False and "INVALID_POSTING_STATUS" in got[0]["error"]
    assert posting_state(sandbox, a)["status"] == "awaiting_deliver"
