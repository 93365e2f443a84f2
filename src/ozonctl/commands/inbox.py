"""``ozonctl inbox``: what waits for the seller's answer — reviews not yet processed, by
rating, and the oldest wait — for a person or a cron/CI alert (exit 6).

Few requests: ``/v2/review/count`` first (one call); only when something waits are the
waiting reviews listed, by status (NEW and VIEWED) or all at once, whichever takes fewer
pages of 100. Product questions and chats are not covered yet.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ozonctl.cli.context import app_context
from ozonctl.exitcodes import ExitCode

if TYPE_CHECKING:
    from ozonctl.client.models.reviews import Review, ReviewCount
    from ozonctl.client.resources.reviews import ReviewsResource

app = typer.Typer(help="What waits for an answer: reviews by rating, oldest.")

WAITING = ("NEW", "VIEWED")


def parse_age(text: str) -> dt.timedelta:
    """``90m``, ``24h``, ``2d``."""
    from ozonctl.cli.period import span

    return span(text, "--older-than")


def waiting_reviews(reviews: ReviewsResource, count: ReviewCount) -> list[Review]:
    """The NEW and VIEWED reviews, read in the fewest pages of 100 the counts allow."""
    from ozonctl.client.models.reviews import ReviewFilters
    from ozonctl.client.resources.reviews import PAGE

    by_status = {"NEW": count.new, "VIEWED": count.viewed}
    split = sum(math.ceil(n / PAGE) for n in by_status.values() if n)
    if split <= math.ceil(count.total / PAGE):
        return [
            r
            for status, n in by_status.items()
            if n
            for r in reviews.list(ReviewFilters(status=status))
        ]
    return [r for r in reviews.list() if r.status in WAITING]


def summary(found: list[Review], now: dt.datetime) -> list[dict[str, Any]]:
    """One row per rating with something waiting, worst rating first."""
    rows = []
    for rating in sorted({r.rating for r in found}):
        mine = [r for r in found if r.rating == rating]
        oldest = min((r.published_at for r in mine if r.published_at), default=None)
        rows.append(
            {
                "kind": "reviews",
                "rating": rating,
                "waiting": len(mine),
                "new": sum(1 for r in mine if r.status == "NEW"),
                "oldest": oldest,
                "oldest_wait_hours": round((now - oldest).total_seconds() / 3600, 1)
                if oldest
                else None,
            }
        )
    return rows


@app.command()
def inbox(
    fail_if_any: Annotated[
        bool,
        typer.Option(
            "--fail-if-any", help=f"Exit {int(ExitCode.ATTENTION)} when anything waits (cron, CI)."
        ),
    ] = False,
    older_than: Annotated[
        str | None,
        typer.Option(
            "--older-than",
            metavar="AGE",
            help=f"Exit {int(ExitCode.ATTENTION)} when something has waited longer than AGE "
            "(90m, 24h, 2d).",
        ),
    ] = None,
) -> None:
    """What waits for an answer: reviews not yet processed (Ozon's NEW and VIEWED), by
    rating, with the oldest wait of each.

    Exit 0 whatever is found; with --fail-if-any exit 6 when anything waits, with
    --older-than AGE exit 6 when something has waited longer than AGE."""
    from ozonctl.cli.output import Column
    from ozonctl.cli.period import now_utc
    from ozonctl.commands.review import subscribed

    limit = parse_age(older_than) if older_than else None
    ctx = app_context()
    reviews = ctx.client().reviews
    count = subscribed(reviews.count)
    waiting = count.new + count.viewed
    found = subscribed(lambda: waiting_reviews(reviews, count)) if waiting else []
    now = now_utc()
    rows = summary(found, now)
    columns = [
        Column("kind", "What"),
        Column("rating", "Rating", justify="right"),
        Column("waiting", "Waiting", justify="right"),
        Column("new", "Unread", justify="right"),
        Column("oldest", "Oldest since"),
        Column("oldest_wait_hours", "Oldest wait (h)", justify="right"),
    ]
    ctx.output.rows(columns, rows, empty="nothing waits: every review is processed")
    too_old = [r for r in found if limit and r.published_at and now - r.published_at > limit]
    if found:
        ctx.output.warn(
            f"{len(found)} review(s) wait for an answer"
            + (f", {len(too_old)} longer than {older_than}" if limit else "")
        )
    if (fail_if_any and found) or too_old:
        raise typer.Exit(ExitCode.ATTENTION)
