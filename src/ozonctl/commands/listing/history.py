"""``listing history``: the listing journal (archive, unarchive, restore, delete,
delist-stale, stock and price writes), newest first."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from ozonctl.cli.context import app_context
from ozonctl.cli.period import FromOption, MonthOption, ToOption, moments

if TYPE_CHECKING:
    from ozonctl.state.journal import Operation

COUNTS = ("matched", "delisted", "failed", "skipped")


def history(
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind", help="Only this kind (archive, unarchive, restore, delist-stale …)."
        ),
    ] = None,
    from_: FromOption = None,
    to: ToOption = None,
    month: MonthOption = None,
) -> None:
    """Listing changes made with ozonctl: ref, kind, when, products, outcome, reason.

    From the local journal; a ref is what `listing restore` takes."""
    from ozonctl.cli.output import Column
    from ozonctl.commands._history import counts_text, history_columns, show_history

    ctx = app_context()
    wanted = kind.strip().lower() if kind else None
    ops = [o for o in ctx.journal("listing").all() if wanted in (None, o.header.get("kind"))]

    def row(op: Operation) -> dict[str, Any]:
        h = op.header
        notes = [counts_text(h, COUNTS)]
        if h.get("source"):
            notes.append(f"undoes {h['source']}")
        if h.get("restored_by"):
            notes.append(f"restored by {h['restored_by']}")
        return {
            "ref": op.ref,
            "kind": h.get("kind", ""),
            "created": h.get("created", ""),
            "products": h.get("products", h.get("matched")),
            "reason": h.get("reason", ""),
            "result": "; ".join(n for n in notes if n),
        }

    columns = history_columns(Column("products", "Products", justify="right"))
    show_history(
        ctx,
        "listing",
        ops,
        columns,
        row,
        empty="no listing changes made with ozonctl yet",
        bounds=moments(from_, to, month),
    )
