"""Customer service: reviews, product questions and chats."""

from __future__ import annotations

from ozonctl.client.endpoints.row import Endpoint, row

ROWS: tuple[Endpoint, ...] = (
    # --- reviews (review-management subscription or Premium Pro) --------------
    row(
        "review.list",
        "POST",
        "/v2/review/list",
        "read",
        max_items=100,
        paging="last_id",
        summary="reviews of the shop's products",
        items_path="reviews",
    ),
    row("review.info", "POST", "/v2/review/info", "read", summary="one review"),
    row("review.count", "POST", "/v2/review/count", "read", summary="reviews by status"),
    row(
        "review.comment.list",
        "POST",
        "/v1/review/comment/list",
        "read",
        max_items=100,
        paging="offset",
        summary="comments under a review",
        items_path="comments",
    ),
    row("review.comment.create", "POST", "/v1/review/comment/create", "write", summary="reply"),
    row(
        "review.change_status",
        "POST",
        "/v2/review/change-status",
        "write",
        max_items=100,
        items_field="review_ids",
        summary="mark reviews processed or not",
    ),
    # --- product questions (Premium Plus or Premium Pro) ----------------------
    row(
        "question.list",
        "POST",
        "/v1/question/list",
        "read",
        max_items=100,
        paging="last_id",
        summary="buyers' questions about the shop's products",
        items_path="questions",
    ),
    row("question.info", "POST", "/v1/question/info", "read", summary="one question"),
    row("question.count", "POST", "/v1/question/count", "read", summary="questions by status"),
    row(
        "question.answer.list",
        "POST",
        "/v1/question/answer/list",
        "read",
        paging="last_id_int",
        summary="answers to a question",
        items_path="answers",
    ),
    row(
        "question.answer.create",
        "POST",
        "/v1/question/answer/create",
        "write",
        summary="answer a question",
    ),
    # --- chats (list and history: any seller; writes: Premium Plus or Premium Pro) ---
    row(
        "chat.list",
        "POST",
        "/v3/chat/list",
        "read",
        max_items=100,
        paging="cursor",
        summary="the shop's chats",
        items_path="chats",
    ),
    row("chat.history", "POST", "/v3/chat/history", "read", summary="messages of a chat"),
    row("chat.send", "POST", "/v1/chat/send/message", "write", summary="send a message"),
    row("chat.send_file", "POST", "/v1/chat/send/file", "write", summary="send a file"),
    row("chat.read", "POST", "/v2/chat/read", "write", summary="mark messages read"),
    row("chat.start", "POST", "/v1/chat/start", "write", summary="open a chat on a posting"),
)
