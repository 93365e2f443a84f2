"""``order rating``: the seller rating figures Ozon reports, cancellation rate first."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ozonctl.cli.context import app_context


def rounded(value: Decimal | None) -> Decimal | None:
    """A rating figure to at most two decimals, as Ozon's back office shows it (Ozon's
    answer may carry 4.7166666), without trailing zeros: 1.2 stays 1.2, 96.0 is 96."""
    if value is None:
        return None
    text = f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return Decimal(text)


def rating() -> None:
    """The seller rating figures Ozon reports, cancellation rate first.

    Value, previous value and Ozon's status of every rating (/v1/rating/summary); the
    cancellation rate shows the threshold `order cancel` checks against."""
    from ozonctl.cli.output import Column
    from ozonctl.domain.cancel_guard import is_cancellation_rating, resolve_threshold

    ctx = app_context()
    summary = ctx.client().postings.rating_summary()
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
