"""``review``: the shop's reviews — list, show with comments, reply, mark processed.

Calls go through ``client.reviews`` (``/v2/review/*``, ``/v1/review/comment/*``); the
writes (reply, mark) are journalled and sent once by ``_writes``.
Ozon answers every review method with 403 unless the seller has its Review management
or Premium Pro subscription; that refusal is one line naming both, exit 4.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ozonctl.cli.choices import one_of
from ozonctl.cli.commas import commas
from ozonctl.cli.context import app_context
from ozonctl.cli.fromfile import FromFileOption, ids_from
from ozonctl.cli.period import FromOption, MonthOption, ToOption
from ozonctl.cli.products import ProductFilterOption, product_skus
from ozonctl.commands._service import (
    FROM_FILE,
    MAX,
    RETRY_UNKNOWN,
    REVIEWS,
    TEMPLATE,
    Subscribed,
)
from ozonctl.errors import UsageError

if TYPE_CHECKING:
    from ozonctl.client.models.reviews import Review

app = typer.Typer(
    help="Reviews of the shop's products: list, show, reply, mark processed.",
    no_args_is_help=True,
)

STATUSES = ("ALL", "NEW", "VIEWED", "PROCESSED")

subscribed = Subscribed("reviews", REVIEWS)
"""Ozon's 403 on these methods turned into one line naming Review management."""


def review_row(r: Review) -> dict[str, Any]:
    return {
        "id": r.id,
        "published_at": r.published_at,
        "sku": r.sku,
        "rating": r.rating,
        "status": r.status,
        "answered": r.answered,
        "comments_count": r.comments_amount,
        "photos": r.photos_amount,
        "videos": r.videos_amount,
        "order_status": r.order_status,
        "text": r.text,
    }


def rating(text: str) -> int:
    """A star rating, 1 to 5 (``--rating``)."""
    value = int(text)
    if not 1 <= value <= 5:
        raise ValueError(text)
    return value


def _columns() -> list[Any]:
    from ozonctl.cli.output import Column

    return [
        Column("id", "ID"),
        Column("published_at", "Published"),
        Column("sku", "SKU", justify="right"),
        Column("rating", "★", justify="right"),
        Column("status", "Status"),
        Column("comments_count", "Comments", justify="right"),
        Column("photos", "Photos", justify="right"),
        Column("text", "Text", max_width=60),
    ]


@app.command("list")
def list_(
    unanswered: Annotated[
        bool,
        typer.Option(
            "--unanswered", help="Only reviews with no comment that are not marked processed."
        ),
    ] = False,
    rating: Annotated[
        list[int] | None,
        typer.Option(
            "--rating",
            help="Only these ratings, 1..5 (repeat or comma-separate).",
            **commas(rating),
        ),
    ] = None,
    since: FromOption = None,
    to: ToOption = None,
    month: MonthOption = None,
    product: ProductFilterOption = None,
    status: Annotated[
        str, typer.Option("--status", callback=one_of(*STATUSES), help="Ozon's review status.")
    ] = "ALL",
    from_file: FromFileOption = None,
) -> None:
    """The shop's reviews, newest first.

    Ozon filters by status, SKU and date (--product names products by offer id, SKU or
    product id: their SKUs are sent); rating and --unanswered are applied to what it
    sends (its list takes no rating filter)."""
    from ozonctl.cli.period import moments
    from ozonctl.client.models.reviews import ReviewFilters

    ctx = app_context()
    wanted = ids_from(product, from_file)
    sku = product_skus(ctx, wanted) if wanted else []
    start, end = moments(since, to, month)
    filters = ReviewFilters(
        status=None if status == "ALL" else status,
        published_from=start.isoformat().replace("+00:00", "Z") if start else None,
        published_to=end.isoformat().replace("+00:00", "Z") if end else None,
        skus=[str(s) for s in sku] if sku else None,
    )
    ratings = set(rating or ())
    reviews = ctx.client().reviews

    def rows() -> Iterator[dict[str, Any]]:
        for r in subscribed.each(reviews.list(filters)):
            if ratings and r.rating not in ratings:
                continue
            if unanswered and r.answered:
                continue
            yield review_row(r)

    from ozonctl.cli.schemas import REVIEW

    ctx.output.rows(_columns(), rows(), empty="no reviews match", schema=REVIEW)


@app.command("show")
def show(review_id: Annotated[str, typer.Argument(help="The review's id.")]) -> None:
    """One review with its photos count and every comment under it."""
    from ozonctl.cli.output import Column
    from ozonctl.cli.schemas import REVIEW
    from ozonctl.commands._service import show_thread

    ctx = app_context()
    reviews = ctx.client().reviews
    review = subscribed(lambda: reviews.info(review_id))
    comments = subscribed(lambda: list(reviews.comments(review_id)))
    doc = {
        **review_row(review),
        "likes": review.likes_amount,
        "dislikes": review.dislikes_amount,
        "comments": [
            {
                "id": c.id,
                "published_at": c.published_at,
                "by_seller": c.is_owner,
                "published": c.is_published,
                "rejected": c.is_rejected,
                "parent_comment_id": c.parent_comment_id,
                "text": c.text,
            }
            for c in comments
        ],
    }

    fields = [("review", review.id), ("sku", review.sku), ("rating", review.rating)]
    fields += [("status", review.status), ("published", review.published_at)]
    fields += [("photos", review.photos_amount), ("videos", review.videos_amount)]
    fields += [("text", review.text)]
    columns = [
        Column("id", "Comment ID"),
        Column("published_at", "Published"),
        Column("by_seller", "Seller"),
        Column("text", "Comment", max_width=70),
    ]
    show_thread(ctx, doc, fields, "comments", columns, "no comments yet", REVIEW)


def reply_text(text: str) -> str:
    """The reply as it will be sent: trimmed, not empty, within ozonctl's cap (Ozon's
    document names no limit for /v1/review/comment/create)."""
    from ozonctl.client.models.reviews import REPLY_MAX_CHARS
    from ozonctl.commands._service import checked_text

    return checked_text(text, 1, REPLY_MAX_CHARS)


def _reply_write(
    ctx: Any, review_id: str, text: str | None, template: str | None, processed: bool, parent: str
) -> Any:
    """The reply to one review as a journalled write (the review read first)."""
    from ozonctl.commands import _writes as writes
    from ozonctl.commands._service import product_name, text_or_template

    client = ctx.client()
    reviews = client.reviews
    review = subscribed(lambda: reviews.info(review_id))
    values = lambda: {"sku": review.sku, "product": product_name(client, review.sku)}  # noqa: E731
    body = reply_text(text_or_template(ctx, text, template, values))

    def landed(op: Any) -> bool:
        wanted = op.header.get("text")
        return any(c.is_owner and c.text == wanted for c in reviews.comments(review_id))

    under = f" under comment {parent}" if parent else ""
    return writes.Write(
        area="review",
        kind="reply",
        target=review_id,
        what={"text": body, "mark_processed": processed, **({"parent": parent} if parent else {})},
        plan=f"reply{under} under review {review_id} ({review.rating}★, SKU {review.sku}): "
        f"«{body}»",
        question=f"Post this reply under review {review_id}? Buyers will see it",
        done="replied",
        send=lambda: subscribed(
            lambda: reviews.reply(review_id, body, mark_processed=processed, parent=parent)
        ),
        landed=landed,
    )


@app.command("reply")
def reply(
    review_id: Annotated[
        str | None, typer.Argument(help="The review's id (not with --from-file).")
    ] = None,
    text: Annotated[
        str | None, typer.Option("--text", help="The reply (UTF-8; Russian, Chinese …).")
    ] = None,
    template: Annotated[str | None, TEMPLATE] = None,
    parent: Annotated[
        str,
        typer.Option(
            "--parent", metavar="COMMENT_ID", help="Answer this comment of the review's thread."
        ),
    ] = "",
    processed: Annotated[
        bool,
        typer.Option(
            "--processed/--keep-status", help="Also mark the review processed (the default)."
        ),
    ] = True,
    from_file: Annotated[str | None, FROM_FILE] = None,
    max_items: Annotated[int | None, MAX] = None,
    retry_unknown: Annotated[bool, RETRY_UNKNOWN] = False,
) -> None:
    """Post a reply under a review, as the seller; buyers see it.

    --dry-run shows the text; a terminal asks, a script needs --yes. The reply is
    journalled before it is sent and never sent twice: after a lost answer ozonctl looks
    for it under the review before anything else, and a later run re-checks first.
    --from-file sends many (one 'review id,text' a line; exit 3 when any failed)."""
    from ozonctl.commands import _writes as writes
    from ozonctl.commands._service import finish, send_file

    ctx = app_context()
    if from_file is not None:
        if review_id or text or template or parent:
            raise UsageError("--from-file takes no review id, --text, --template or --parent")
        send_file(
            ctx,
            from_file,
            reply_text,
            lambda rid, t: _reply_write(ctx, rid, t, None, processed, ""),
            retry_unknown,
            area="review",
            what="replies",
            max_items=max_items,
        )
        return
    if not review_id:
        raise UsageError("give a review id, or --from-file FILE")
    write = _reply_write(ctx, review_id, text, template, processed, parent)
    finish(ctx, writes.run(ctx, write, retry_unknown), "review_id", "comment_id")


MARKS = {"processed": "PROCESSED", "unprocessed": "VIEWED"}


@app.command("mark")
def mark(
    review_id: Annotated[str, typer.Argument(help="The review's id.")],
    state: Annotated[
        str,
        typer.Argument(
            callback=one_of(*MARKS),
            help="processed, or unprocessed (Ozon's VIEWED: seen, not done).",
        ),
    ],
    retry_unknown: Annotated[bool, RETRY_UNKNOWN] = False,
) -> None:
    """Mark a review processed or unprocessed (Ozon's status PROCESSED or VIEWED).

    Nothing is sent when the review already has that status. Journalled, confirmed and
    sent once like a reply."""
    from ozonctl.commands import _writes as writes
    from ozonctl.commands._service import finish

    ctx = app_context()
    status = MARKS[state]
    reviews = ctx.client().reviews
    review = subscribed(lambda: reviews.info(review_id))
    if review.status == status:
        doc = {"review_id": review_id, "action": "mark", "new_status": status}
        finish(ctx, {**doc, "outcome": "unchanged"}, "review_id")
        return
    doc = writes.run(
        ctx,
        writes.Write(
            area="review",
            kind="mark",
            target=review_id,
            what={"new_status": status},
            plan=f"mark review {review_id} {status} (now {review.status})",
            question=f"Mark review {review_id} {state}?",
            done="marked",
            send=lambda: subscribed(lambda: reviews.change_status([review_id], status)),
            landed=lambda op: reviews.info(review_id).status == op.header.get("new_status"),
        ),
        retry_unknown,
    )
    finish(ctx, doc, "review_id")
