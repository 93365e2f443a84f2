"""``order rating``: the seller rating figures Ozon reports, cancellation rate first."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any

import typer

from ozonctl.cli.context import app_context
from ozonctl.cli.period import FORMS, MonthOption, ToOption

SPARKS = "▁▂▃▄▅▆▇█"


def rounded(value: Decimal | None) -> Decimal | None:
    """A rating figure to at most two decimals, as Ozon's back office shows it (Ozon's
    answer may carry 4.7166666), without trailing zeros: 1.2 stays 1.2, 96.0 is 96."""
    if value is None:
        return None
    text = f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return Decimal(text)


def rating(
    history: Annotated[
        bool,
        typer.Option("--history", help="Each rating's values over time (/v1/rating/history)."),
    ] = False,
    since: Annotated[
        str | None,
        typer.Option("--from", metavar="WHEN", help=f"With --history: from ({FORMS}); 8 weeks."),
    ] = None,
    to: ToOption = None,
    month: MonthOption = None,
) -> None:
    """The seller rating figures Ozon reports, cancellation rate first.

    Value, previous value and Ozon's status of every rating (/v1/rating/summary); the
    cancellation rate shows the threshold `order cancel` checks against. --history: the
    values of every rating over the period as a table (a small chart per rating on a
    terminal)."""
    from ozonctl.cli.output import Column
    from ozonctl.domain.cancel_guard import is_cancellation_rating, resolve_threshold

    ctx = app_context()
    summary = ctx.client().postings.rating_summary()
    if history:
        codes = [item.rating for group in summary.groups for item in group.items]
        show_history(codes, since, to, month)
        return
    threshold, source = resolve_threshold(None, ctx.profile.cancel_threshold)
    rows: list[dict[str, Any]] = []
    for group in summary.groups:
        for item in group.items:
            cancellation = is_cancellation_rating(item)
            rows.append(
                {
                    "rating": item.rating,
                    "name": item.name,
                    "group": group.group_name,
                    "value": rounded(item.current_value),
                    "past_value": rounded(item.past_value),
                    "value_type": item.value_type,
                    "status": item.status,
                    "direction": item.rating_direction,
                    "cancel_threshold": threshold if cancellation else None,
                }
            )
    rows.sort(key=lambda r: r["cancel_threshold"] is None)
    columns = [
        Column("rating", "Rating"),
        Column("name", "Name", max_width=40),
        Column("value", "Value", justify="right"),
        Column("past_value", "Before", justify="right"),
        Column("value_type", "Unit"),
        Column("status", "Status"),
        Column("cancel_threshold", "Cancel threshold", justify="right"),
    ]
    from ozonctl.cli.schemas import RATING

    ctx.output.rows(columns, rows, empty="Ozon reported no ratings", schema=RATING)
    if summary.penalty_score_exceeded:
        ctx.output.warn("Ozon reports the penalty score balance is exceeded")
    if any(r["cancel_threshold"] is not None for r in rows):
        ctx.output.info(
            f"cancel threshold {threshold}% ({source}); see `ozonctl order cancel --help`"
        )


def spark(values: Sequence[Decimal | None]) -> str:
    """A one-line chart: the lowest value ▁, the highest █."""
    known = [v for v in values if v is not None]
    if not known:
        return ""
    low, high = min(known), max(known)
    steps = len(SPARKS) - 1
    return "".join(
        " " if v is None else SPARKS[int((v - low) / (high - low) * steps) if high > low else 0]
        for v in values
    )


def show_history(codes: list[str], since: str | None, to: str | None, month: str | None) -> None:
    """Rows of (rating, period, value, status) and, on a terminal, a chart per rating."""
    import datetime as dt

    from ozonctl.cli.output import Column
    from ozonctl.cli.period import moments, now_utc

    ctx = app_context()
    first, last = moments(since, to, month)
    end = last or now_utc()
    start = first or end - dt.timedelta(weeks=8)
    found = ctx.client().postings.rating_history(start, end, codes)
    rows: list[dict[str, Any]] = []
    for series in found.ratings:
        for v in series.values:
            status = "danger" if v.status.danger else "warning" if v.status.warning else "ok"
            rows.append(
                {
                    "rating": series.rating,
                    "date_from": v.date_from,
                    "date_to": v.date_to,
                    "value": rounded(v.value),
                    "status": status,
                }
            )
    columns = [
        Column("rating", "Rating"),
        Column("date_from", "From"),
        Column("date_to", "To"),
        Column("value", "Value", justify="right"),
        Column("status", "Status"),
    ]
    from ozonctl.cli.schemas import RATING_POINT

    ctx.output.rows(
        columns, rows, empty="Ozon reported no rating history for this period", schema=RATING_POINT
    )
    if ctx.output.human:
        for series in found.ratings:
            values = [rounded(v.value) for v in series.values]
            ctx.output.info(f"{series.rating:<40} {spark(values)} {values[-1] if values else ''}")
