"""``order history``: the order journal (cancellations made with ozonctl), newest first."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ozonctl.cli.context import app_context
from ozonctl.cli.period import FromOption, MonthOption, ToOption, moments

if TYPE_CHECKING:
    from ozonctl.state.journal import Operation


def history(from_: FromOption = None, to: ToOption = None, month: MonthOption = None) -> None:
    """Order changes made with ozonctl: ref, kind, when, posting, outcome, reason.

    From the local journal; an `unknown` outcome is a request that may have run: check
    the posting with `ozonctl order show`."""
    from ozonctl.cli.output import Column
    from ozonctl.commands._history import history_columns, show_history

    ctx = app_context()

    def row(op: Operation) -> dict[str, Any]:
        h = op.header
        items = h.get("items") or []
        return {
            "ref": op.ref,
            "kind": h.get("kind", ""),
            "created": h.get("created", ""),
            "posting": h.get("posting", ""),
            "products": sum(int(qty) for _, qty in items) if items else None,
            "reason": h.get("message") or h.get("reason_id") or "",
            "result": h.get("error") or h.get("status_after") or "",
        }

    columns = history_columns(
        Column("posting", "Posting"), Column("products", "Units", justify="right")
    )
    ops = ctx.journal("order").all()
    show_history(
        ctx,
        "order",
        ops,
        columns,
        row,
        empty="no order changes made with ozonctl yet",
        bounds=moments(from_, to, month),
    )
