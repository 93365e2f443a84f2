"""``review``: the shop's reviews — list, show with comments.

Reads go through ``client.reviews`` (``/v2/review/*``, ``/v1/review/comment/list``).
Ozon answers every review method with 403 unless the seller has its Review management
or Premium Pro subscription; that refusal is one line naming both, exit 4.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from ozonctl.cli.choices import one_of
from ozonctl.cli.context import app_context
from ozonctl.errors import AuthError, UsageError

if TYPE_CHECKING:
    from ozonctl.client.models.reviews import Review

T = TypeVar("T")

app = typer.Typer(help="Reviews of the shop's products: list, show.", no_args_is_help=True)

STATUSES = ("ALL", "NEW", "VIEWED", "PROCESSED")
SUBSCRIPTION = "Ozon's Review management or Premium Pro subscription"


def subscribed(call: Callable[[], T]) -> T:
    """``call()``, with Ozon's 403 turned into one line naming the missing subscription."""
    from ozonctl.client.errors import PermissionDeniedError

    try:
        return call()
    except PermissionDeniedError as exc:
        raise AuthError(
            f"Ozon refused reviews (HTTP 403: {exc.message}): they need {SUBSCRIPTION}",
            hint="subscribe in the seller portal (Premium Pro includes it); if you have one, "
            "give the API key a role that allows the review methods",
        ) from None


def review_row(r: Review) -> dict[str, Any]:
    return {
        "id": r.id,
        "published_at": r.published_at,
        "sku": r.sku,
        "rating": r.rating,
        "status": r.status,
        "answered": r.answered,
        "comments": r.comments_amount,
        "photos": r.photos_amount,
        "videos": r.videos_amount,
        "order_status": r.order_status,
        "text": r.text,
    }


def _columns() -> list[Any]:
    from ozonctl.cli.output import Column

    return [
        Column("id", "ID"),
        Column("published_at", "Published"),
        Column("sku", "SKU", justify="right"),
        Column("rating", "★", justify="right"),
        Column("status", "Status"),
        Column("comments", "Comments", justify="right"),
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
        typer.Option("--rating", min=1, max=5, help="Only these ratings, 1..5 (repeatable)."),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option("--from", help="Published from: YYYY-MM-DD, ISO date-time, 7d or 12h."),
    ] = None,
    to: Annotated[str | None, typer.Option("--to", help="Published up to (same forms).")] = None,
    sku: Annotated[
        list[int] | None, typer.Option("--sku", help="Only reviews of these SKUs (repeatable).")
    ] = None,
    status: Annotated[
        str, typer.Option("--status", callback=one_of(*STATUSES), help="Ozon's review status.")
    ] = "ALL",
) -> None:
    """The shop's reviews, newest first.

    Ozon filters by status, SKU and date; rating and --unanswered are applied to what
    it sends (its list takes no rating filter)."""
    from ozonctl.client.models.reviews import ReviewFilters
    from ozonctl.commands.order._common import parse_moment

    ctx = app_context()
    start = parse_moment(since, "--from") if since else None
    end = parse_moment(to, "--to", end_of_day=True) if to else None
    if start and end and start > end:
        raise UsageError(f"--from ({start:%Y-%m-%d}) is after --to ({end:%Y-%m-%d})")
    filters = ReviewFilters(
        status=None if status == "ALL" else status,
        published_from=start.isoformat().replace("+00:00", "Z") if start else None,
        published_to=end.isoformat().replace("+00:00", "Z") if end else None,
        skus=[str(s) for s in sku] if sku else None,
    )
    ratings = set(rating or ())
    reviews = ctx.client().reviews

    def rows() -> Iterator[dict[str, Any]]:
        for r in subscribed(lambda: list(reviews.list(filters))):
            if ratings and r.rating not in ratings:
                continue
            if unanswered and r.answered:
                continue
            yield review_row(r)

    ctx.output.rows(_columns(), rows(), empty="no reviews match")


@app.command("show")
def show(review_id: Annotated[str, typer.Argument(help="The review's id.")]) -> None:
    """One review with its photos count and every comment under it."""
    from ozonctl.cli.output import Column

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
                "text": c.text,
            }
            for c in comments
        ],
    }

    def human() -> None:
        out = ctx.output
        fields = [("review", review.id), ("sku", review.sku), ("rating", review.rating)]
        fields += [("status", review.status), ("published", review.published_at)]
        fields += [("photos", review.photos_amount), ("videos", review.videos_amount)]
        fields += [("text", review.text)]
        out.rows(
            [Column("field", "Field"), Column("value", "Value")],
            ({"field": k, "value": v} for k, v in fields),
        )
        out.rows(
            [
                Column("published_at", "Published"),
                Column("by_seller", "Seller"),
                Column("text", "Comment", max_width=70),
            ],
            doc["comments"],
            empty="no comments yet",
        )

    ctx.output.document(doc, human=human)
