"""``order rating``: the seller rating figures Ozon reports, cancellation rate first."""

from __future__ import annotations

from typing import Any

from ozonctl.cli.context import app_context


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
                    "value": item.current_value,
                    "past_value": item.past_value,
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
    ctx.output.rows(columns, rows, empty="Ozon reported no ratings")
    if summary.penalty_score_exceeded:
        ctx.output.warn("Ozon reports the penalty score balance is exceeded")
    if any(r["cancel_threshold"] is not None for r in rows):
        ctx.output.info(
            f"cancel threshold {threshold}% ({source}); see `ozonctl order cancel --help`"
        )
