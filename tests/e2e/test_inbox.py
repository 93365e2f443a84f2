"""``ozonctl inbox`` as a real process against the sandbox: the waiting reviews by rating,
the questions not yet processed and the chats with unread messages, each with its oldest
wait, in the fewest requests the counts allow, and the cron/CI alert (--fail-if-any,
--older-than: exit 6 with waiting items, 0 without)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.e2e


def api(sandbox: Any) -> httpx.Client:
    headers = {"Client-Id": sandbox.client_id, "Api-Key": sandbox.api_key}
    return httpx.Client(base_url=sandbox.base_url, headers=headers, timeout=10)


def settle_everything(sandbox: Any) -> None:
    """Process every review, answer every question, read every chat — straight through
    the sandbox's API."""
    with api(sandbox) as http:
        listed = http.post("/v2/review/list", json={"limit": 100}).json()["reviews"]
        ids = [r["id"] for r in listed]
        r = http.post("/v2/review/change-status", json={"review_ids": ids, "status": "PROCESSED"})
        r.raise_for_status()
        last_id = ""
        while True:
            page = http.post(
                "/v1/question/list",
                json={"limit": 100, "last_id": last_id, "filter": {"status": "UNPROCESSED"}},
            ).json()
            for q in page["questions"]:
                body = {"question_id": q["id"], "sku": q["sku"], "text": "Да."}
                http.post("/v1/question/answer/create", json=body).raise_for_status()
            if not page["questions"]:
                break
        chats = http.post("/v3/chat/list", json={"limit": 100}).json()["chats"]
        for c in chats:
            http.post("/v2/chat/read", json={"chat_id": c["chat"]["chat_id"]}).raise_for_status()


def reset_log(sandbox: Any) -> None:
    httpx.post(sandbox.base_url + "/__sandbox/reset-log", timeout=10).raise_for_status()


def tier(sandbox: Any, name: str) -> None:
    httpx.post(
        sandbox.base_url + "/__sandbox/subscription", json={"tier": name}, timeout=10
    ).raise_for_status()


def test_inbox_counts_every_section_in_few_requests(sandbox: Any, ozonctl: Any) -> None:
    every = ozonctl("review", "list", "--json").json()
    waiting = [r for r in every if r["status"] in ("NEW", "VIEWED")]
    questions = ozonctl("question", "list", "--unanswered", "--json").json()
    unread = ozonctl("chat", "list", "--unread", "--json").json()
    reset_log(sandbox)
    result = ozonctl("inbox", "--json")
    assert result.exit_code == 0, result.stderr
    rows = result.json()
    reviews = [r for r in rows if r["kind"] == "reviews"]
    assert sum(r["waiting"] for r in reviews) == len(waiting) > 0
    for row in reviews:
        mine = [r for r in waiting if r["rating"] == row["rating"]]
        assert row["waiting"] == len(mine)
        assert row["oldest"] == min(r["published_at"] for r in mine)
        assert row["oldest_wait_hours"] > 0
    assert [r["rating"] for r in reviews] == sorted(r["rating"] for r in reviews)
    (asked,) = [r for r in rows if r["kind"] == "questions"]
    assert asked["waiting"] == len(questions) > 0
    assert asked["oldest"] == min(q["published_at"] for q in questions)
    (chats,) = [r for r in rows if r["kind"] == "chats"]
    assert chats["waiting"] == len(unread) > 0
    assert chats["new"] == sum(c["unread"] for c in unread)
    assert chats["oldest_wait_hours"] > 0
    paths = [e["path"] for e in sandbox.requests()]
    # 60 reviews: the count, then one page of 100; questions: the count and one page;
    # chats: one list page and one history request per unread chat
    assert paths == [
        "/v2/review/count",
        "/v2/review/list",
        "/v1/question/count",
        "/v1/question/list",
        "/v3/chat/list",
        *["/v3/chat/history"] * len(unread),
    ]
    pipe = ozonctl("inbox")
    assert pipe.exit_code == 0
    assert len(pipe.stdout.splitlines()) == len(rows)
    assert [line.split("\t")[0] for line in pipe.stdout.splitlines()] == [r["kind"] for r in rows]


def test_alerts_exit_6_with_waiting_items_and_0_without(sandbox: Any, ozonctl: Any) -> None:
    assert ozonctl("inbox", "--fail-if-any").exit_code == 6
    assert ozonctl("inbox", "--older-than", "24h").exit_code == 6  # the seed's are days old
    assert ozonctl("inbox", "--older-than", "3650d").exit_code == 0
    assert ozonctl("inbox", "--only", "chats", "--fail-if-any").exit_code == 6
    bad = ozonctl("inbox", "--older-than", "soon")
    assert bad.exit_code == 2 and "duration" in bad.stderr
    wrong = ozonctl("inbox", "--only", "mail")
    assert wrong.exit_code == 2 and "reviews, questions, chats" in wrong.stderr
    settle_everything(sandbox)
    reset_log(sandbox)
    calm = ozonctl("inbox", "--fail-if-any", "--older-than", "1h")
    assert calm.exit_code == 0, calm.stderr
    assert calm.stdout == ""
    # nothing waits: the two counts and one chat page, nothing listed
    assert [e["path"] for e in sandbox.requests()] == [
        "/v2/review/count",
        "/v1/question/count",
        "/v3/chat/list",
    ]


def test_inbox_without_the_subscriptions_is_exit_4_naming_them(sandbox: Any, ozonctl: Any) -> None:
    tier(sandbox, "premium")
    result = ozonctl("inbox", "--fail-if-any")
    assert result.exit_code == 4
    assert "Review management or Premium Pro" in result.stderr
    assert "Premium Plus or Premium Pro" in result.stderr
    assert "Traceback" not in result.stderr
    assert [line.split("\t")[0] for line in result.stdout.splitlines()] == ["chats"]
    tier(sandbox, "premium-plus")  # questions and chats, no review management
    plus = ozonctl("inbox", "--only", "questions,chats", "--fail-if-any")
    assert plus.exit_code == 6, plus.stderr
    assert ozonctl("inbox").exit_code == 4
