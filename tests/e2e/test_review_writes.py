"""``review reply`` / ``review mark`` as real processes against the sandbox: --dry-run and
a script without --yes send nothing, UTF-8 texts land as written, the length cap is
checked before sending, and a reply whose answer is lost (an injected timeout) is sent
once — found by a re-read, or settled by the next run before any resend."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.e2e

CREATE = "/v1/review/comment/create"
STATUS = "/v2/review/change-status"
TEXT = "Спасибо за отзыв! 感谢您的评价"


def unanswered(ozonctl: Any) -> list[str]:
    result = ozonctl("review", "list", "--unanswered", "--json")
    assert result.exit_code == 0, result.stderr
    return [r["id"] for r in result.json()]


def shown(ozonctl: Any, review_id: str) -> dict[str, Any]:
    result = ozonctl("review", "show", review_id, "--json")
    assert result.exit_code == 0, result.stderr
    doc: dict[str, Any] = result.json()
    return doc


def fault(sandbox: Any, rule: str) -> None:
    httpx.post(
        sandbox.base_url + "/__sandbox/faults", json={"rule": rule}, timeout=10
    ).raise_for_status()


def test_reply_dry_run_yes_and_utf8(sandbox: Any, ozonctl: Any) -> None:
    review_id = unanswered(ozonctl)[0]
    dry = ozonctl("review", "reply", review_id, "--text", TEXT, "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    assert TEXT in dry.stderr
    no_yes = ozonctl("review", "reply", review_id, "--text", TEXT)
    assert no_yes.exit_code == 2 and "--yes" in no_yes.stderr
    assert sandbox.requests(CREATE) == []

    sent = ozonctl("review", "reply", review_id, "--text", f"  {TEXT}\n", "--yes", "--json")
    assert sent.exit_code == 0, sent.stderr
    assert sent.json()["outcome"] == "replied" and sent.json()["comment_id"]
    assert [e["body"]["text"] for e in sandbox.requests(CREATE)] == [TEXT]
    doc = shown(ozonctl, review_id)
    assert [c["text"] for c in doc["comments"]] == [TEXT]
    assert doc["status"] == "PROCESSED" and review_id not in unanswered(ozonctl)


def test_text_checked_before_sending(sandbox: Any, ozonctl: Any) -> None:
    review_id = unanswered(ozonctl)[0]
    for text, said in (("   ", "empty"), ("я" * 3001, "3001 characters")):
        result = ozonctl("review", "reply", review_id, "--text", text, "--yes")
        assert result.exit_code == 2, result.stderr
        assert said in result.stderr and len(result.stderr.strip().splitlines()) == 1
    fits = ozonctl("review", "reply", review_id, "--text", "я" * 3000, "--yes")
    assert fits.exit_code == 0, fits.stderr
    assert len(sandbox.requests(CREATE)) == 1


def test_reply_under_a_timeout_is_sent_once(sandbox: Any, ozonctl: Any) -> None:
    review_id = unanswered(ozonctl)[0]
    assert ozonctl("config", "set", "timeout", "1").exit_code == 0
    fault(sandbox, f"{CREATE}=slow:2500:1")  # lands 1.5 s after the client gave up
    result = ozonctl("review", "reply", review_id, "--text", TEXT, "--yes", "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["outcome"] == "replied"
    assert "lost" in result.stderr
    assert len(sandbox.requests(CREATE)) == 1
    assert [c["text"] for c in shown(ozonctl, review_id)["comments"]] == [TEXT]


def test_a_reply_still_unknown_is_settled_by_the_next_run_not_resent(
    sandbox: Any, ozonctl: Any
) -> None:
    review_id = unanswered(ozonctl)[0]
    assert ozonctl("config", "set", "timeout", "1").exit_code == 0
    fault(sandbox, f"{CREATE}=slow:9000:1")  # lands after every re-read of the first run
    started = time.monotonic()
    first = ozonctl("review", "reply", review_id, "--text", TEXT, "--yes")
    assert first.exit_code == 1, first.stderr
    assert "did not send it again" in first.stderr
    lines = [ln for ln in first.stderr.splitlines() if ln.startswith("error:")]
    assert len(lines) == 1
    # before it lands, a second run refuses to send
    early = ozonctl("review", "reply", review_id, "--text", TEXT, "--yes")
    assert early.exit_code == 1 and "unknown outcome" in early.stderr
    time.sleep(max(0.0, 10 - (time.monotonic() - started)))
    again = ozonctl("review", "reply", review_id, "--text", TEXT, "--yes", "--json")
    assert again.exit_code == 0, again.stderr
    assert again.json()["outcome"] == "already_done"
    assert len(sandbox.requests(CREATE)) == 1
    assert [c["text"] for c in shown(ozonctl, review_id)["comments"]] == [TEXT]


def test_mark_processed_and_unprocessed(sandbox: Any, ozonctl: Any) -> None:
    review_id = unanswered(ozonctl)[0]
    dry = ozonctl("review", "mark", review_id, "processed", "--dry-run")
    assert dry.exit_code == 0 and sandbox.requests(STATUS) == []
    done = ozonctl("review", "mark", review_id, "processed", "--yes", "--json")
    assert done.exit_code == 0, done.stderr
    assert done.json()["outcome"] == "marked"
    assert sandbox.requests(STATUS)[-1]["body"] == {
        "review_ids": [review_id],
        "status": "PROCESSED",
    }
    assert shown(ozonctl, review_id)["status"] == "PROCESSED"
    same = ozonctl("review", "mark", review_id, "processed", "--yes", "--json")
    assert same.json()["outcome"] == "unchanged" and len(sandbox.requests(STATUS)) == 1
    back = ozonctl("review", "mark", review_id, "unprocessed", "--yes")
    assert back.exit_code == 0, back.stderr
    assert shown(ozonctl, review_id)["status"] == "VIEWED"
    bad = ozonctl("review", "mark", review_id, "done", "--yes")
    assert bad.exit_code == 2


def test_reply_without_the_subscription_is_exit_4_and_not_journalled_as_open(
    sandbox: Any, ozonctl: Any
) -> None:
    review_id = unanswered(ozonctl)[0]
    httpx.post(
        sandbox.base_url + "/__sandbox/subscription", json={"tier": "none"}, timeout=10
    ).raise_for_status()
    result = ozonctl("review", "reply", review_id, "--text", TEXT, "--yes")
    assert result.exit_code == 4
    assert "Review management or Premium Pro" in result.stderr
    assert sandbox.requests(CREATE) == []
