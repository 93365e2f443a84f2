"""Chats: the list (cursor pages), a chat's history (newest first, walked back by
``from_message_id``), messages and files sent, messages marked read, a chat opened on a
posting."""

from __future__ import annotations

import base64
from collections.abc import Iterator, Sequence
from typing import Any

from ozonctl.client.models.chats import Chat, ChatList, Message
from ozonctl.client.resources._base import Resource

PAGE = 100
"""``/v3/chat/list``: 30 by default, at most 100 a page."""
HISTORY_PAGE = 100
"""``/v3/chat/history`` takes up to 1000 a page; 100 keeps an answer small."""


class ChatsResource(Resource):
    def list(self, *, unread_only: bool = False) -> Iterator[Chat]:
        body: dict[str, Any] = {"filter": {"chat_status": "All", "unread_only": unread_only}}
        for raw in self._items("chat.list", body, limit=PAGE):
            yield Chat.model_validate(raw)

    def first_page(self, *, unread_only: bool = False, limit: int = PAGE) -> ChatList:
        """One page of chats with ``total_unread_count`` (the inbox's one request)."""
        body = {"filter": {"chat_status": "All", "unread_only": unread_only}, "limit": limit}
        return ChatList.model_validate(self._call("chat.list", body))

    def history(self, chat_id: str, *, last: int | None = None) -> Iterator[Message]:
        """The chat's messages, newest first, ``last`` of them at most (None: all): pages
        of 100 walked back from the oldest message of the page before."""
        seen: set[int] = set()
        before: int | None = None
        given = 0
        while True:
            size = HISTORY_PAGE if last is None else min(HISTORY_PAGE, last - given)
            body: dict[str, Any] = {"chat_id": chat_id, "direction": "Backward", "limit": size}
            if before is not None:
                body["from_message_id"] = before
            raw = self._call("chat.history", body)
            page = [Message.model_validate(m) for m in raw.get("messages") or []]
            fresh = [m for m in page if m.message_id not in seen]
            for m in fresh:
                seen.add(m.message_id)
                yield m
            given += len(fresh)
            if not fresh or not raw.get("has_next") or (last is not None and given >= last):
                return
            before = min(m.message_id for m in fresh)

    def messages(self, chat_id: str, message_ids: Sequence[int]) -> tuple[Message, ...]:
        """These messages of a chat (one request)."""
        body = {
            "chat_id": chat_id,
            "filter": {"message_ids": [str(i) for i in message_ids]},
            "limit": max(1, len(message_ids)),
        }
        raw = self._call("chat.history", body)
        return tuple(Message.model_validate(m) for m in raw.get("messages") or [])

    def send(self, chat_id: str, text: str) -> str:
        """Send a message; Ozon's ``result``. A write: never resent once it may have run."""
        return str(self._call("chat.send", {"chat_id": chat_id, "text": text}).get("result", ""))

    def send_file(self, chat_id: str, name: str, content: bytes) -> str:
        body = {
            "chat_id": chat_id,
            "name": name,
            "base64_content": base64.b64encode(content).decode("ascii"),
        }
        return str(self._call("chat.send_file", body).get("result", ""))

    def read(self, chat_id: str, from_message_id: int | None = None) -> int:
        """Mark the message and every one before it read (None: the chat's last); the
        chat's unread count after."""
        body: dict[str, Any] = {"chat_id": chat_id}
        if from_message_id:
            body["from_message_id"] = from_message_id
        return int(self._call("chat.read", body).get("unread_count") or 0)

    def start(self, posting_number: str) -> str:
        """Open a chat with the buyer of a posting; the chat's id."""
        raw = self._call("chat.start", {"posting_number": posting_number})
        return str((raw.get("result") or {}).get("chat_id") or "")
