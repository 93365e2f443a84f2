"""Chats with buyers (``/v3/chat/*``, ``/v1/chat/*``, ``/v2/chat/read``).

Listing chats and reading their history are base methods; sending, opening a chat and
marking messages read need Premium Plus or Premium Pro (Ozon's document, each method)."""

from __future__ import annotations

from pydantic import Field

from ozonctl.client.models.common import Int64, Lenient, Moment

MESSAGE_MAX_CHARS = 1000
"""Ozon's limits for /v1/chat/send/message: "plain text от 1 до 1000 символов"."""

FILE_MAX_BYTES = 10 * 1024 * 1024
"""ozonctl's own cap on a file sent with /v1/chat/send/file: Ozon's document names no
size limit; 10 MiB (before base64) keeps one request reasonable."""

BUYER_CHATS = ("BUYER_SELLER", "BUYER_SELLER_SELECT")


class ChatDetails(Lenient):
    chat_id: str = ""
    chat_status: str = ""
    chat_type: str = ""
    created_at: Moment = None


class Chat(Lenient):
    """One item of ``/v3/chat/list``."""

    chat: ChatDetails = Field(default_factory=ChatDetails)
    first_unread_message_id: Int64 = 0
    last_message_id: Int64 = 0
    unread_count: int = 0

    @property
    def id(self) -> str:
        return self.chat.chat_id


class ChatUser(Lenient):
    id: str = ""
    type: str = ""


class MessageContext(Lenient):
    order_number: str = ""
    sku: str = ""


class Message(Lenient):
    """One message of ``/v3/chat/history``; ``data`` is its text (Markdown) in parts."""

    message_id: Int64 = 0
    created_at: Moment = None
    user: ChatUser = Field(default_factory=ChatUser)
    data: list[str] = Field(default_factory=list)
    is_read: bool = False
    is_image: bool = False
    moderate_image_status: str = ""
    context: MessageContext | None = None

    @property
    def text(self) -> str:
        return "\n".join(self.data)

    @property
    def from_buyer(self) -> bool:
        return self.user.type.lower() == "customer"


class ChatList(Lenient):
    """The first page of ``/v3/chat/list``, for its ``total_unread_count``."""

    chats: list[Chat] = Field(default_factory=list)
    total_unread_count: int = 0
    has_next: bool = False
    cursor: str = ""
