"""``ozonctl inbox`` as a real process against the sandbox: the waiting reviews by rating
with the oldest wait, in the fewest requests the counts allow, and the cron/CI alert
(--fail-if-any, --older-than: exit 6 with waiting items, 0 without)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.e2e


def process_all(sandbox: Any) -> None:
    """Mark every review processed, straight through the sandbox's API."""
    headers = {"Client-Id": sandbox.client_id, "Api-Key": sandbox.api_key}
    with httpx.Client(base_url=sandbox.base_url, headers=headers, timeout=10) as http:
        listed = http.post("/v2/review/list", json={"limit": 100}).json()["reviews"]
        ids = [r["id"] for r in listed]
        r = http.post("/v2/review/change-status", json={"review_ids": ids, "status": "PROCESSED"})
        r.raise_for_status()


def test_inbox_counts_by_rating_in_two_requests(sandbox: Any, ozonctl: Any) -> None:
    every = ozonctl("review", "list", "--json").json()
    waiting = [r for r in every if r["status"] in ("NEW", "VIEWED")]
    httpx.post(sandbox.base_url + "/__sandbox/reset-log", timeout=10).raise_for_status()
    result = ozonctl("inbox", "--json")
    assert result.exit_code == 0, result.stderr
    rows = result.json()
    assert sum(r["waiting"] for r in rows) == len(waiting) > 0
    for row in rows:
        mine = [r for r in waiting if r["rating"] == row["rating"]]
        assert row["waiting"] == len(mine)
        assert row["oldest"] == min(r["published_at"] for r in mine)
        assert row["oldest_wait_hours"] > 0
    assert [r["rating"] for r in rows] == sorted(r["rating"] for r in rows)
    # 60 reviews: the count, then one page of 100 (not a page per status)
    assert [e["path"] for e in sandbox.requests()] == ["/v2/review/count", "/v2/review/list"]
    pipe = ozonctl("inbox")
    assert pipe.exit_code == 0
    assert len(pipe.stdout.splitlines()) == len(rows)
    assert all(line.split("\t")[0] == "reviews" for line in pipe.stdout.splitlines())


def test_alerts_exit_6_with_waiting_items_and_0_without(sandbox: Any, ozonctl: Any) -> None:
    assert ozonctl("inbox", "--fail-if-any").exit_code == 6
    assert ozonctl("inbox", "--older-than", "24h").exit_code == 6  # the seed's are days old
    assert ozonctl("inbox", "--older-than", "3650d").exit_code == 0
    bad = ozonctl("inbox", "--older-than", "soon")
    assert bad.exit_code == 2 and "duration" in bad.stderr
    process_all(sandbox)
    httpx.post(sandbox.base_url + "/__sandbox/reset-log", timeout=10).raise_for_status()
    calm = ozonctl("inbox", "--fail-if-any", "--older-than", "1h")
    assert calm.exit_code == 0, calm.stderr
    assert calm.stdout == ""
    assert [e["path"] for e in sandbox.requests()] == ["/v2/review/count"]  # nothing to list


def test_inbox_without_the_subscription_is_exit_4(sandbox: Any, ozonctl: Any) -> None:
    httpx.post(
        sandbox.base_url + "/__sandbox/subscription", json={"tier": "premium"}, timeout=10
    ).raise_for_status()
    result = ozonctl("inbox", "--fail-if-any")
    assert result.exit_code == 4
    assert "Review management or Premium Pro" in result.stderr
