"""``chat list/show/send/read/start`` as real processes against the sandbox: the unread
and unanswered filters, the history walked back in pages, UTF-8 messages with Ozon's
1..1000 character limits checked before sending, a file, Ozon's reply window refused as
it comes, a message under an injected timeout sent once, a chat opened on a recent FBS
posting (never on an FBO one), and no Premium Plus as one line, exit 4."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from orders_support import recent_posting

pytestmark = pytest.mark.e2e

SEND = "/v1/chat/send/message"
TEXT = "Отправим сегодня! 今天发货"


def chats(ozonctl: Any, *flags: str) -> list[dict[str, Any]]:
    result = ozonctl("chat", "list", *flags, "--json")
    assert result.exit_code == 0, result.stderr
    rows: list[dict[str, Any]] = result.json()
    return rows


def history(ozonctl: Any, chat_id: str, *flags: str) -> list[dict[str, Any]]:
    result = ozonctl("chat", "show", chat_id, *flags, "--json")
    assert result.exit_code == 0, result.stderr
    messages: list[dict[str, Any]] = result.json()["messages"]
    return messages


def post(sandbox: Any, path: str, body: dict[str, Any]) -> dict[str, Any]:
    headers = {"Client-Id": sandbox.client_id, "Api-Key": sandbox.api_key}
    r = httpx.post(sandbox.base_url + path, json=body, headers=headers, timeout=10)
    r.raise_for_status()
    answer: dict[str, Any] = r.json()
    return answer


def test_list_filters_and_paged_history(sandbox: Any, ozonctl: Any) -> None:
    every = chats(ozonctl)
    unread = chats(ozonctl, "--unread")
    assert unread and {c["id"] for c in unread} == {c["id"] for c in every if c["unread"]}
    assert sandbox.requests("/v3/chat/list")[-1]["body"]["filter"]["unread_only"] is True
    unanswered = chats(ozonctl, "--unanswered")
    assert unanswered and all(c["last_at"] for c in unanswered)
    for c in unanswered:
        assert history(ozonctl, c["id"])[-1]["from"] == "Customer"
    answered = {c["id"] for c in every} - {c["id"] for c in unanswered}
    assert any(history(ozonctl, cid)[-1]["from"] == "Seller" for cid in answered)
    # a long chat: 130 messages, read back in pages of 100, oldest first
    chat_id = unread[0]["id"]
    for k in range(128):
        post(sandbox, SEND, {"chat_id": chat_id, "text": f"сообщение {k}"})
    before = len(sandbox.requests("/v3/chat/history"))
    whole = history(ozonctl, chat_id, "--last", "0")
    assert len(whole) == 130 and len(sandbox.requests("/v3/chat/history")) - before == 2
    ids = [m["message_id"] for m in whole]
    assert ids == sorted(ids) and len(set(ids)) == 130
    assert [m["text"] for m in history(ozonctl, chat_id, "--last", "3")] == [
        f"сообщение {k}" for k in (125, 126, 127)
    ]
    pipe = ozonctl("chat", "show", chat_id, "--last", "2")
    assert pipe.exit_code == 0 and len(pipe.stdout.splitlines()) == 2


def test_send_dry_run_limits_utf8_file_and_read(sandbox: Any, ozonctl: Any, tmp_path: Path) -> None:
    chat_id = chats(ozonctl, "--unread")[0]["id"]
    dry = ozonctl("chat", "send", chat_id, "--text", TEXT, "--dry-run")
    assert dry.exit_code == 0 and TEXT in dry.stderr
    assert ozonctl("chat", "send", chat_id, "--text", TEXT).exit_code == 2  # no --yes
    long = ozonctl("chat", "send", chat_id, "--text", "я" * 1001, "--yes")
    assert long.exit_code == 2 and "1001 characters" in long.stderr
    assert sandbox.requests(SEND) == []
    sent = ozonctl("chat", "send", chat_id, "--text", "я" * 999 + "好", "--yes", "--json")
    assert sent.exit_code == 0, sent.stderr
    assert sent.json()["outcome"] == "sent"
    photo = tmp_path / "фото.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    filed = ozonctl("chat", "send", chat_id, "--file", str(photo), "--yes")
    assert filed.exit_code == 0, filed.stderr
    (body,) = [e["body"] for e in sandbox.requests("/v1/chat/send/file")]
    assert body["name"] == "фото.png" and body["chat_id"] == chat_id
    last = history(ozonctl, chat_id)[-2:]
    assert [m["from"] for m in last] == ["Seller", "Seller"]
    assert last[0]["text"] == "я" * 999 + "好"
    read = ozonctl("chat", "read", chat_id, "--json")
    assert read.exit_code == 0 and read.json()["unread_count"] == 0
    assert chat_id not in {c["id"] for c in chats(ozonctl, "--unread")}


def test_a_message_under_a_timeout_is_sent_once(sandbox: Any, ozonctl: Any) -> None:
    chat_id = chats(ozonctl, "--unanswered")[0]["id"]
    assert ozonctl("config", "set", "timeout", "1").exit_code == 0
    httpx.post(
        sandbox.base_url + "/__sandbox/faults", json={"rule": f"{SEND}=slow:2500:1"}, timeout=10
    ).raise_for_status()
    result = ozonctl("chat", "send", chat_id, "--text", TEXT, "--yes", "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["outcome"] == "sent" and "lost" in result.stderr
    assert len(sandbox.requests(SEND)) == 1
    assert [m["text"] for m in history(ozonctl, chat_id) if m["text"] == TEXT] == [TEXT]


def test_ozons_windows_and_chat_start(sandbox: Any, ozonctl: Any) -> None:
    # the seed's oldest buyer chat: its buyer wrote 9 days ago, its posting delivered long since
    stale = chats(ozonctl, "--unanswered")[-1]["id"]
    late = ozonctl("chat", "send", stale, "--text", TEXT, "--yes")
    assert late.exit_code == 1 and "48 hours" in late.stderr, late.stderr
    assert len([ln for ln in late.stderr.splitlines() if ln.startswith("error")]) == 1
    recent = recent_posting(sandbox, ozonctl)
    started = ozonctl("chat", "start", recent, "--text", "Уточните адрес", "--yes", "--json")
    assert started.exit_code == 0, started.stderr
    chat_id = started.json()["chat_id"]
    assert chat_id and chat_id in {c["id"] for c in chats(ozonctl)}
    assert history(ozonctl, chat_id)[-1]["text"] == "Уточните адрес"
    fbo = ozonctl("order", "list", "--fbo", "--json").json()[0]["posting_number"]
    refused = ozonctl("chat", "start", fbo, "--yes")
    assert refused.exit_code == 1 and "only the buyer" in refused.stderr


def test_no_premium_plus_refuses_writes_in_one_line(sandbox: Any, ozonctl: Any) -> None:
    chat_id = chats(ozonctl, "--unread")[0]["id"]
    httpx.post(
        sandbox.base_url + "/__sandbox/subscription", json={"tier": "premium"}, timeout=10
    ).raise_for_status()
    assert chats(ozonctl)  # listing and history are Ozon's base methods
    before = history(ozonctl, chat_id)
    assert before
    for args in (("send", chat_id, "--text", TEXT, "--yes"), ("read", chat_id)):
        result = ozonctl("chat", *args)
        assert result.exit_code == 4, result.stderr
        errors = [ln for ln in result.stderr.splitlines() if ln.startswith("error")]
        assert len(errors) == 1 and "Premium Plus or Premium Pro" in errors[0]
    assert history(ozonctl, chat_id) == before  # Ozon refused: nothing landed, nothing read
