"""``chat``: chats with buyers — list, show the history, send a message or a file, mark
read, open a chat on a posting.

Calls go through ``client.chats``. Listing and history are Ozon's base methods; sending,
opening and marking read need Premium Plus or Premium Pro (403 otherwise: one line, exit
4). Messages and files are journalled and sent once by ``_writes``; Ozon's windows
(FBO: 48 h after the buyer's last message; FBS: up to 72 h after delivery, then 48 h
after the buyer's last message) are Ozon's to enforce: its refusal is shown as it
comes, nothing is retried.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ozonctl.cli.context import app_context
from ozonctl.commands._service import PLUS, RETRY_UNKNOWN, TEMPLATE, Subscribed
from ozonctl.errors import UsageError

if TYPE_CHECKING:
    from ozonctl.client.models.chats import Message

app = typer.Typer(
    help="Chats with buyers: list, show, send, mark read, start on a posting.",
    no_args_is_help=True,
)

subscribed = Subscribed("chat messages", PLUS)
"""Ozon's 403 on these methods turned into one line naming Premium Plus."""


def message_row(m: Message) -> dict[str, Any]:
    return {
        "message_id": m.message_id,
        "created_at": m.created_at,
        "from": m.user.type,
        "read": m.is_read,
        "text": m.text,
    }


@app.command("list")
def list_(
    unread: Annotated[
        bool, typer.Option("--unread", help="Only chats with unread messages.")
    ] = False,
    unanswered: Annotated[
        bool,
        typer.Option(
            "--unanswered",
            help="Only chats whose last message is the buyer's (one history request a chat).",
        ),
    ] = False,
) -> None:
    """The shop's chats, newest first, with their unread counts."""
    import functools

    from ozonctl.cli.output import Column

    ctx = app_context()
    chats = ctx.client().chats

    def rows() -> Iterator[dict[str, Any]]:
        for c in subscribed.each(chats.list(unread_only=unread)):
            row: dict[str, Any] = {
                "id": c.id,
                "type": c.chat.chat_type,
                "status": c.chat.chat_status,
                "created_at": c.chat.created_at,
                "unread": c.unread_count,
            }
            if unanswered:
                newest = subscribed(functools.partial(chats.history, c.id, last=1))
                last = next(iter(newest), None)
                if last is None or not last.from_buyer:
                    continue
                row["last_at"] = last.created_at
                row["last_text"] = last.text
            yield row

    columns = [
        Column("id", "Chat ID"),
        Column("type", "Type"),
        Column("status", "Status"),
        Column("created_at", "Created"),
        Column("unread", "Unread", justify="right"),
    ]
    if unanswered:
        columns += [Column("last_at", "Buyer wrote"), Column("last_text", "Text", max_width=50)]
    ctx.output.rows(columns, rows(), empty="no chats match")


@app.command("show")
def show(
    chat_id: Annotated[str, typer.Argument(help="The chat's id.")],
    last: Annotated[
        int,
        typer.Option("--last", min=0, help="The newest N messages (0: the whole history)."),
    ] = 50,
) -> None:
    """A chat's messages, oldest first (pages of 100 read back from the newest)."""
    from ozonctl.cli.output import Column

    ctx = app_context()
    chats = ctx.client().chats
    found = subscribed(lambda: list(chats.history(chat_id, last=last or None)))
    rows = [message_row(m) for m in reversed(found)]
    context = next((m.context for m in found if m.context and m.context.order_number), None)
    doc = {
        "chat_id": chat_id,
        "order_number": context.order_number if context else "",
        "sku": context.sku if context else "",
        "messages": rows,
    }
    columns = [
        Column("message_id", "Message ID"),
        Column("created_at", "Sent"),
        Column("from", "From"),
        Column("read", "Read"),
        Column("text", "Text", max_width=70),
    ]

    def human() -> None:
        ctx.output.rows(columns, rows, empty="no messages")

    ctx.output.document(doc, human=human)


def message_text(text: str) -> str:
    from ozonctl.client.models.chats import MESSAGE_MAX_CHARS
    from ozonctl.commands._service import checked_text

    return checked_text(text, 1, MESSAGE_MAX_CHARS)


def _landed(chats: Any, chat_id: str, wanted: Callable[[Message], bool]) -> bool:
    return any(not m.from_buyer and wanted(m) for m in chats.history(chat_id, last=50))


def _message_write(ctx: Any, chat_id: str, body: str) -> Any:
    from ozonctl.commands import _writes as writes

    chats = ctx.client().chats
    return writes.Write(
        area="chat",
        kind="message",
        target=chat_id,
        what={"text": body},
        plan=f"send to chat {chat_id}: «{body}»",
        question=f"Send this message to chat {chat_id}? The buyer will see it",
        done="sent",
        send=lambda: subscribed(lambda: chats.send(chat_id, body)),
        landed=lambda op: _landed(chats, chat_id, lambda m: m.text == op.header.get("text")),
    )


def _file_write(ctx: Any, chat_id: str, path: Path) -> Any:
    import hashlib

    from ozonctl.client.models.chats import FILE_MAX_BYTES
    from ozonctl.commands import _writes as writes

    if not path.is_file():
        raise UsageError(f"--file {path}: not a file", hint="nothing was sent")
    content = path.read_bytes()
    if not content or len(content) > FILE_MAX_BYTES:
        raise UsageError(
            f"--file {path}: {len(content)} bytes; ozonctl sends 1 byte to "
            f"{FILE_MAX_BYTES // (1024 * 1024)} MiB (its own cap: Ozon's document names none)",
            hint="nothing was sent",
        )
    chats = ctx.client().chats
    return writes.Write(
        area="chat",
        kind="file",
        target=chat_id,
        what={"file": path.name, "sha256": hashlib.sha256(content).hexdigest()},
        plan=f"send file {path.name} ({len(content)} bytes) to chat {chat_id}",
        question=f"Send {path.name} to chat {chat_id}? The buyer will see it",
        done="sent",
        send=lambda: subscribed(lambda: chats.send_file(chat_id, path.name, content)),
        landed=lambda op: _landed(chats, chat_id, lambda m: path.name in m.text),
    )


def _chat_values(ctx: Any, chat_id: str, posting: str = "") -> dict[str, Any]:
    """Template values of a chat: its order and SKU from the history, the product's name."""
    from ozonctl.commands._service import product_name

    client = ctx.client()
    history = subscribed(lambda: list(client.chats.history(chat_id, last=50)))
    context = next((m.context for m in history if m.context and m.context.order_number), None)
    sku = int(context.sku) if context and context.sku.isdigit() else 0
    order = context.order_number if context else posting.rsplit("-", 1)[0]
    return {
        "posting": posting,
        "order": order,
        "sku": sku or "",
        "product": product_name(client, sku),
    }


@app.command("send")
def send(
    chat_id: Annotated[str, typer.Argument(help="The chat's id.")],
    text: Annotated[
        str | None,
        typer.Option("--text", help="The message: 1 to 1000 characters (Ozon's limits)."),
    ] = None,
    template: Annotated[str | None, TEMPLATE] = None,
    file: Annotated[
        Path | None, typer.Option("--file", metavar="PATH", help="Also send this file.")
    ] = None,
    retry_unknown: Annotated[bool, RETRY_UNKNOWN] = False,
) -> None:
    """Send a message (and/or a file) to a chat, as the seller.

    --dry-run shows it; a terminal asks, a script needs --yes. Journalled before it is
    sent and never sent twice: after a lost answer ozonctl looks for it in the chat's
    history first."""
    from ozonctl.commands import _writes as writes
    from ozonctl.commands._service import finish, text_or_template

    ctx = app_context()
    writes_: list[Any] = []
    if text is not None or template is not None or file is None:
        filled = text_or_template(ctx, text, template, lambda: _chat_values(ctx, chat_id))
        writes_.append(_message_write(ctx, chat_id, message_text(filled)))
    if file is not None:
        writes_.append(_file_write(ctx, chat_id, file))
    for write in writes_:
        finish(ctx, writes.run(ctx, write, retry_unknown), "chat_id")


@app.command("read")
def read(
    chat_id: Annotated[str, typer.Argument(help="The chat's id.")],
    up_to: Annotated[
        int | None,
        typer.Option("--up-to", metavar="MESSAGE_ID", help="Only up to this message."),
    ] = None,
) -> None:
    """Mark a chat's messages read (all, or up to a message). Harmless to repeat, so
    neither journalled nor confirmed; --dry-run sends nothing."""
    from ozonctl.commands._service import finish

    ctx = app_context()
    chats = ctx.client().chats
    doc: dict[str, Any] = {"chat_id": chat_id, "action": "read", "up_to": up_to}
    if ctx.dry_run:
        ctx.output.info(f"plan: mark chat {chat_id} read; dry run: nothing sent")
        finish(ctx, {**doc, "outcome": "dry_run"}, "chat_id")
        return
    unread = subscribed(lambda: chats.read(chat_id, up_to))
    finish(ctx, {**doc, "outcome": "read", "unread_count": unread}, "chat_id")


@app.command("start")
def start(
    posting: Annotated[str, typer.Argument(help="The posting number (FBS/rFBS).")],
    text: Annotated[
        str | None, typer.Option("--text", help="Also send this first message.")
    ] = None,
    template: Annotated[str | None, TEMPLATE] = None,
    retry_unknown: Annotated[bool, RETRY_UNKNOWN] = False,
) -> None:
    """Open a chat with the buyer of a posting (Ozon: FBS and rFBS only, within 72 hours
    of payment or delivery; for FBO only the buyer can start one), and optionally send a
    first message ({posting} in a template is this posting)."""
    from ozonctl.commands import _writes as writes
    from ozonctl.commands._service import finish, text_or_template

    ctx = app_context()
    chats = ctx.client().chats
    opened = writes.run(
        ctx,
        writes.Write(
            area="chat",
            kind="start",
            target=posting,
            what={"posting": posting},
            plan=f"open a chat with the buyer of posting {posting}",
            question=f"Open a chat with the buyer of posting {posting}?",
            done="started",
            send=lambda: subscribed(lambda: chats.start(posting)),
            landed=lambda op: False,  # Ozon's chat list names no posting: the seller checks
            id_name="posting_number",
            check_with="ozonctl chat list",
        ),
        retry_unknown,
    )
    chat_id = opened.get("result") or ""
    if (text is None and template is None) or not chat_id:
        finish(ctx, opened, "posting_number", "chat_id")
        return
    filled = text_or_template(ctx, text, template, lambda: _chat_values(ctx, chat_id, posting))
    ctx.output.info(f"chat {chat_id} opened")
    finish(
        ctx,
        writes.run(ctx, _message_write(ctx, chat_id, message_text(filled)), retry_unknown),
        "chat_id",
    )
