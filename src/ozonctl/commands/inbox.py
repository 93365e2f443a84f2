"""``ozonctl inbox``: what waits for the seller's answer — reviews not yet processed (by
rating), questions not yet processed, chats with unread messages — with the oldest wait
of each, for a person or a cron/CI alert (exit 6); ``inbox templates`` lists the reply
templates.

Few requests: ``/v2/review/count`` and ``/v1/question/count`` first (one call each);
only when reviews wait are they listed (by status, NEW and VIEWED, or all at once,
whichever takes fewer pages of 100); the oldest waiting question is the first of one
``/v1/question/list`` page sorted oldest first; chats with unread messages come from one
``/v3/chat/list`` page (100 chats) and each one's first unread message from one
``/v3/chat/history`` request. A section Ozon refuses (no subscription) is one line
naming it; the others are still shown, and the run ends with exit 4 (``--only`` leaves
out what the seller does not subscribe to).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ozonctl.cli.context import app_context
from ozonctl.errors import AuthError, UsageError
from ozonctl.exitcodes import ExitCode

if TYPE_CHECKING:
    from ozonctl.client.client import OzonClient
    from ozonctl.client.models.reviews import Review, ReviewCount
    from ozonctl.client.resources.reviews import ReviewsResource

app = typer.Typer(
    help="What waits for an answer: reviews, questions, chats; reply templates.",
    invoke_without_command=True,
)

WAITING = ("NEW", "VIEWED")
SECTIONS = ("reviews", "questions", "chats")


def parse_age(text: str) -> dt.timedelta:
    """``90m``, ``24h``, ``2d``."""
    from ozonctl.cli.period import span

    return span(text, "--older-than")


def parse_sections(text: str | None) -> tuple[str, ...]:
    if not text:
        return SECTIONS
    chosen = tuple(s.strip().lower() for s in text.split(",") if s.strip())
    wrong = [s for s in chosen if s not in SECTIONS]
    if wrong or not chosen:
        raise UsageError(
            f"--only {text!r}: unknown section {', '.join(wrong) or '(none)'}",
            hint="choose from " + ", ".join(SECTIONS),
        )
    return chosen


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


def _row(
    kind: str, waiting: int, new: int, oldest: dt.datetime | None, now: dt.datetime
) -> dict[str, Any]:
    return {
        "kind": kind,
        "rating": None,
        "waiting": waiting,
        "new": new,
        "oldest": oldest,
        "oldest_wait_hours": round((now - oldest).total_seconds() / 3600, 1) if oldest else None,
    }


def review_rows(client: OzonClient, now: dt.datetime) -> list[dict[str, Any]]:
    """One row per rating with something waiting, worst rating first."""
    reviews = client.reviews
    count = reviews.count()
    found = waiting_reviews(reviews, count) if count.new + count.viewed else []
    rows = []
    for rating in sorted({r.rating for r in found}):
        mine = [r for r in found if r.rating == rating]
        oldest = min((r.published_at for r in mine if r.published_at), default=None)
        new = sum(1 for r in mine if r.status == "NEW")
        rows.append({**_row("reviews", len(mine), new, oldest, now), "rating": rating})
    return rows


def question_rows(client: OzonClient, now: dt.datetime) -> list[dict[str, Any]]:
    """One row when questions wait: the count, and the oldest from one page sorted
    oldest first."""
    questions = client.questions
    count = questions.count()
    waiting = count.unprocessed or count.new + count.viewed
    if not waiting:
        return []
    first = next(iter(questions.list("UNPROCESSED", newest_first=False)), None)
    return [_row("questions", waiting, count.new, first.published_at if first else None, now)]


def chat_rows(client: OzonClient, now: dt.datetime) -> list[dict[str, Any]]:
    """One row when chats have unread messages: how many chats, how many messages, and
    the oldest first unread message (one history request a chat)."""
    chats = client.chats
    page = chats.first_page(unread_only=True)
    unread = [c for c in page.chats if c.unread_count]
    if page.has_next:
        unread = [c for c in chats.list(unread_only=True) if c.unread_count]
    if not unread:
        return []
    times = [
        m.created_at
        for c in unread
        if c.first_unread_message_id
        for m in chats.messages(c.id, [c.first_unread_message_id])
        if m.created_at
    ]
    total = page.total_unread_count or sum(c.unread_count for c in unread)
    return [_row("chats", len(unread), total, min(times, default=None), now)]


READERS: dict[str, Callable[[OzonClient, dt.datetime], list[dict[str, Any]]]] = {
    "reviews": review_rows,
    "questions": question_rows,
    "chats": chat_rows,
}


@app.callback()
def inbox(
    ctx: typer.Context,
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
    only: Annotated[
        str | None,
        typer.Option(
            "--only",
            metavar="SECTIONS",
            help="Only these, comma-separated: reviews, questions, chats (default: all).",
        ),
    ] = None,
) -> None:
    """What waits for an answer: reviews not yet processed (by rating), questions not
    yet processed, chats with unread messages, with the oldest wait of each.

    Exit 0 whatever is found; with --fail-if-any exit 6 when anything waits, with
    --older-than AGE exit 6 when something has waited longer than AGE; exit 4 when Ozon
    refused a section for a missing subscription (after showing the others)."""
    if ctx.invoked_subcommand is not None:
        return
    import functools

    from ozonctl.cli.output import Column
    from ozonctl.cli.period import now_utc
    from ozonctl.commands._service import PLUS, REVIEWS, subscribed

    limit = parse_age(older_than) if older_than else None
    sections = parse_sections(only)
    app_ctx = app_context()
    client = app_ctx.client()
    now = now_utc()
    rows: list[dict[str, Any]] = []
    refused: list[AuthError] = []
    for section in sections:
        needs = REVIEWS if section == "reviews" else PLUS
        try:
            read = functools.partial(READERS[section], client, now)
            rows += subscribed(read, section, needs)
        except AuthError as exc:
            refused.append(exc)
            app_ctx.output.warn(exc.message)
    columns = [
        Column("kind", "What"),
        Column("rating", "Rating", justify="right"),
        Column("waiting", "Waiting", justify="right"),
        Column("new", "Unread", justify="right"),
        Column("oldest", "Oldest since"),
        Column("oldest_wait_hours", "Oldest wait (h)", justify="right"),
    ]
    app_ctx.output.rows(columns, rows, empty="nothing waits for an answer")
    too_old = [r for r in rows if limit and r["oldest"] and now - r["oldest"] > limit]
    if rows:
        waiting = ", ".join(
            f"{sum(r['waiting'] for r in rows if r['kind'] == k)} {k}"
            for k in SECTIONS
            if any(r["kind"] == k for r in rows)
        )
        late = ", ".join(sorted({r["kind"] for r in too_old})) or "none"
        longer = f"; waiting longer than {older_than}: {late}"
        app_ctx.output.warn(f"waiting for an answer: {waiting}" + (longer if limit else ""))
    if refused:
        raise refused[0]
    if (fail_if_any and rows) or too_old:
        raise typer.Exit(ExitCode.ATTENTION)


@app.command("templates")
def templates() -> None:
    """The reply templates of your templates file, with the placeholders each uses
    (`ozonctl config set templates PATH`; default templates.toml in the config folder)."""
    from ozonctl.cli.output import Column
    from ozonctl.commands._service import templates_path
    from ozonctl.domain.templates import load, placeholders

    ctx = app_context()
    path = templates_path(ctx)
    found = load(path)
    if not path.exists():
        ctx.output.info(f"no templates file at {path}; see docs/customer-service.md")
    rows = (
        {"name": name, "placeholders": " ".join(placeholders(name, text)), "text": text}
        for name, text in found.items()
    )
    columns = [
        Column("name", "Name"),
        Column("placeholders", "Placeholders"),
        Column("text", "Text", max_width=70),
    ]
    ctx.output.rows(columns, rows, empty=f"no templates in {path}")
