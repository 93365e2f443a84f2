"""Chats: ``/v3/chat/list`` and ``/v3/chat/history`` answer any seller (Ozon's base
methods); ``/v1/chat/send/*``, ``/v1/chat/start`` and ``/v2/chat/read`` need Premium Plus
or Premium Pro, and sending keeps to Ozon's windows (``buyers.send_refusal``)."""

from __future__ import annotations

import base64
import binascii

from ..buyers import Chat, send_refusal, start_refusal
from ..errors import FAILED_PRECONDITION, NOT_FOUND, ApiError, bad_request
from ..fields import obj, opt_bool, opt_int, opt_str, page_limit, req_str, token_list
from ..values import iso
from .base import Body, Ctx, route
from .questions import plus

MESSAGE_CHARS = (1, 1000)
"""/v1/chat/send/message: "Текст сообщения в формате plain text от 1 до 1000 символов"."""


def _chat(ctx: Ctx, chat_id: str) -> Chat:
    found = ctx.shop.buyers.chat(chat_id)
    if found is None:
        raise ApiError(404, NOT_FOUND, f"chat {chat_id} not found")
    return found


def _listed(c: Chat) -> Body:
    unread = c.unread
    return {
        "chat": {
            "chat_id": c.id,
            "chat_status": c.status,
            "chat_type": c.chat_type,
            "created_at": iso(c.created_at),
        },
        "first_unread_message_id": unread[0].id if unread else 0,
        "last_message_id": c.messages[-1].id if c.messages else 0,
        "unread_count": len(unread),
    }


@route("/v3/chat/list", required=("limit",))
def chat_list(ctx: Ctx, body: Body) -> Body:
    chats = ctx.shop.buyers.chats
    limit = page_limit(body, 100, 30)
    wanted = obj(body, "filter")
    status = (opt_str(wanted, "chat_status", "All") or "All").upper()
    unread_only = opt_bool(wanted, "unread_only")
    chosen = [c for c in chats if status in ("ALL", c.status) and (not unread_only or c.unread)]
    page, cursor, more = token_list(body, chosen, limit, "cursor")
    return {
        "chats": [_listed(c) for c in page],
        "total_unread_count": sum(len(c.unread) for c in chats),
        "cursor": cursor,
        "has_next": more,
    }


@route("/v3/chat/history", required=("chat_id",))
def chat_history(ctx: Ctx, body: Body) -> Body:
    chat = _chat(ctx, req_str(body, "chat_id"))
    limit = page_limit(body, 1000, 50)
    forward = opt_str(body, "direction", "Backward") == "Forward"
    start = opt_int(body, "from_message_id")
    if forward and not start:
        raise bad_request("from_message_id is required when direction = Forward")
    ids = {int(i) for i in obj(body, "filter").get("message_ids") or []}
    chosen = [m for m in chat.messages if not ids or m.id in ids]
    if forward:
        chosen = [m for m in chosen if m.id >= (start or 0)]
    else:
        chosen = [m for m in reversed(chosen) if start is None or m.id <= start]
    page = chosen[:limit]
    return {
        "has_next": len(chosen) > limit,
        "messages": [
            {
                "message_id": m.id,
                "created_at": iso(m.created_at),
                "user": {"id": f"{m.user_type.lower()}-{chat.id[:8]}", "type": m.user_type},
                "data": [m.text],
                "is_read": m.is_read,
                "is_image": m.is_image,
                "moderate_image_status": "SUCCESS",
                "context": {"order_number": chat.order_number, "sku": str(chat.sku or "")},
            }
            for m in page
        ],
    }


def _writable(ctx: Ctx, chat_id: str) -> Chat:
    plus(ctx)
    chat = _chat(ctx, chat_id)
    refusal = send_refusal(ctx.shop, chat)
    if refusal:
        raise ApiError(400, FAILED_PRECONDITION, refusal)
    return chat


@route("/v1/chat/send/message", required=("chat_id", "text"))
def send_message(ctx: Ctx, body: Body) -> Body:
    text = req_str(body, "text")
    low, high = MESSAGE_CHARS
    if not low <= len(text) <= high:
        raise bad_request(f"text: from {low} to {high} characters, got {len(text)}")
    chat = _writable(ctx, req_str(body, "chat_id"))
    ctx.shop.buyers.send(chat, text, ctx.shop.now)
    return {"result": "success"}


@route("/v1/chat/send/file", required=("chat_id", "base64_content", "name"))
def send_file(ctx: Ctx, body: Body) -> Body:
    name = req_str(body, "name")
    try:
        content = base64.b64decode(req_str(body, "base64_content"), validate=True)
    except (binascii.Error, ValueError):
        raise bad_request("base64_content is not base64") from None
    if not content or "." not in name:
        raise bad_request("name needs an extension and the file content must not be empty")
    chat = _writable(ctx, req_str(body, "chat_id"))
    message = ctx.shop.buyers.send(chat, f"[{name}]", ctx.shop.now)
    message.is_image = name.lower().endswith((".jpg", ".jpeg", ".png"))
    return {"result": "success"}


@route("/v2/chat/read", required=("chat_id",))
def chat_read(ctx: Ctx, body: Body) -> Body:
    plus(ctx)
    chat = _chat(ctx, req_str(body, "chat_id"))
    return {"unread_count": ctx.shop.buyers.read(chat, opt_int(body, "from_message_id"))}


@route("/v1/chat/start", required=("posting_number",))
def chat_start(ctx: Ctx, body: Body) -> Body:
    plus(ctx)
    number = req_str(body, "posting_number")
    posting = ctx.shop.orders.by_number.get(number)
    if posting is None:
        raise ApiError(404, NOT_FOUND, f"posting {number} not found")
    refusal = start_refusal(ctx.shop, posting)
    if refusal:
        raise ApiError(400, FAILED_PRECONDITION, refusal)
    return {"result": {"chat_id": ctx.shop.buyers.start(ctx.shop, posting).id}}
