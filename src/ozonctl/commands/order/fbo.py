"""``order show`` for an FBO posting (``/v2/posting/fbo/get``): Ozon ships it from its own
warehouse, so it has no ship-by deadline, delivery method or tracking number of the
seller's; the rest is the posting schema ``order list --fbo`` writes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ozonctl.cli.context import AppContext


def show_fbo(ctx: AppContext, number: str) -> None:
    """The FBO posting in full: the posting schema with --json; key/value lines and its
    products otherwise (the same layout as an FBS posting's)."""
    from ozonctl.cli.output import Column, plain
    from ozonctl.cli.schemas import POSTING
    from ozonctl.commands.order._common import posting_row

    p = ctx.client().postings.fbo_get(number)
    data = posting_row(p, "fbo")
    fields: list[tuple[str, Any]] = [
        ("posting", p.posting_number),
        ("order", p.order_number),
        ("scheme", "fbo"),
        ("status", p.status),
        ("substatus", p.substatus),
        ("created", p.created_at or p.in_process_at),
        ("warehouse", p.warehouse),
    ]
    if p.cancel_reason_id:
        fields.append(("cancel_reason", p.cancel_reason_id))

    def human() -> None:
        out = ctx.output
        for key, value in fields:
            if value not in (None, ""):
                out.stdout.write(f"{key}\t{plain(value)}\n")
        out.stdout.flush()
        out.rows(
            [
                Column("sku", "SKU", justify="right"),
                Column("offer_id", "Offer"),
                Column("quantity", "Qty", justify="right"),
                Column("price", "Price", justify="right"),
                Column("name", "Name", max_width=48),
            ],
            [pr.model_dump() for pr in p.products],
        )

    ctx.output.document(data, human=human, schema=POSTING)
