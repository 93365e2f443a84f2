"""``order list`` and ``order show``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

import typer

from ozonctl.cli.choices import one_of
from ozonctl.cli.commas import commas
from ozonctl.cli.context import app_context
from ozonctl.cli.period import FORMS, MonthOption, SinceOption, moments
from ozonctl.commands._warehouses import WarehouseOption, warehouse_id
from ozonctl.commands.order._common import period, posting_columns, posting_row

DEFAULT_DAYS = 30
POSTING_STATUSES = (
    *("awaiting_registration", "acceptance_in_progress", "awaiting_approve"),
    *("awaiting_packaging", "awaiting_deliver", "arbitration", "client_arbitration"),
    *("delivering", "driver_pickup", "delivered", "cancelled", "not_accepted", "sent_by_seller"),
)
"""The statuses Ozon's posting lists filter by (FBO postings take five of them)."""
UNFULFILLED_BACK_DAYS = 180
UNFULFILLED_AHEAD_DAYS = 180


def list_(
    status: Annotated[
        list[str] | None,
        typer.Option(
            "--status",
            "-s",
            metavar="S",
            help="Only these statuses (repeat or comma-separate), e.g. awaiting_packaging.",
            **commas(then=one_of(*POSTING_STATUSES)),
        ),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--from",
            metavar="WHEN",
            help=f"From ({FORMS}); default 30 days ago. With --unfulfilled: ship-by "
            "deadline from (default 180 days ago).",
        ),
    ] = None,
    to: Annotated[
        str | None,
        typer.Option(
            "--to",
            metavar="WHEN",
            help="Up to (same forms; default now; with --unfulfilled 180 days ahead).",
        ),
    ] = None,
    month: MonthOption = None,
    unfulfilled: Annotated[
        bool,
        typer.Option("--unfulfilled", help="Only postings still to ship (by ship-by deadline)."),
    ] = False,
    fbo: Annotated[
        bool, typer.Option("--fbo", help="FBO postings (shipped from Ozon's warehouses).")
    ] = False,
    old_since: SinceOption = None,
    warehouse: WarehouseOption = None,
) -> None:
    """Postings: number, status, created, ship-by deadline, products and warehouse.

    Walks every page. In a pipe the products are SKU:QTY,SKU:QTY; --json gives each
    posting with its products in full."""
    from ozonctl.errors import UsageError

    ctx = app_context()
    if fbo and unfulfilled:
        raise UsageError("--fbo and --unfulfilled do not go together (FBO ships from Ozon)")
    if fbo and warehouse is not None:
        raise UsageError("--fbo and --warehouse do not go together (FBO ships from Ozon's)")
    statuses = [s.strip() for s in status or [] if s.strip()]
    client = ctx.client()
    only = warehouse_id(ctx, warehouse)
    warehouses = [only] if only is not None else None
    bounds = moments(since, to, month, since=old_since)
    rows: Iterator[dict[str, Any]]
    if unfulfilled:
        import datetime as dt

        from ozonctl.cli.period import now_utc

        now = now_utc()
        start = bounds[0] or now - dt.timedelta(days=UNFULFILLED_BACK_DAYS)
        end = bounds[1] or now + dt.timedelta(days=UNFULFILLED_AHEAD_DAYS)
        rows = (
            posting_row(p, "fbs")
            for p in client.postings.fbs_unfulfilled(start, end, statuses, warehouses)
        )
    elif fbo:
        start, end = period(bounds, default_days=DEFAULT_DAYS)
        rows = (posting_row(p, "fbo") for p in client.postings.fbo_list(start, end, statuses))
    else:
        start, end = period(bounds, default_days=DEFAULT_DAYS)
        rows = (
            posting_row(p, "fbs")
            for p in client.postings.fbs_list(start, end, statuses, warehouses)
        )
    from ozonctl.cli.schemas import POSTING

    ctx.output.rows(posting_columns(), rows, empty="no postings in this period", schema=POSTING)


def show(
    posting: Annotated[str, typer.Argument(help="The posting number, e.g. 12345678-0001-1.")],
) -> None:
    """One FBS/rFBS posting in full: status, deadlines, products, cancellation."""
    from ozonctl.client.errors import NotFoundError

    ctx = app_context()
    try:
        p = ctx.client().postings.fbs_get(posting, related=True)
    except NotFoundError:  # not an FBS/rFBS posting: an FBO one?
        from ozonctl.commands.order.fbo import show_fbo

        return show_fbo(ctx, posting)
    data = posting_row(p, "fbs")
    fields: list[tuple[str, Any]] = [
        ("posting", p.posting_number),
        ("order", p.order_number),
        ("status", p.status),
        ("substatus", p.substatus),
        ("created", p.in_process_at),
        ("ship_by", p.shipment_date),
        ("delivering_date", p.delivering_date),
        ("warehouse", p.warehouse),
        ("delivery", p.delivery_method.name if p.delivery_method else ""),
        ("tracking_number", p.tracking_number),
        ("parent_posting", p.parent_posting_number),
        ("buyer", data["buyer"]),  # rFBS: who the seller's carrier delivers to, and where
        ("buyer_phone", data["buyer_phone"]),
        ("address", data["address"]),
        ("address_comment", data["address_comment"]),
    ]
    if p.related_postings and p.related_postings.related_posting_numbers:
        fields.append(("related", ",".join(p.related_postings.related_posting_numbers)))
    if p.cancellation and (p.cancellation.cancel_reason_id or p.cancellation.cancel_reason):
        c = p.cancellation
        fields.append(("cancel_reason", f"{c.cancel_reason_id} {c.cancel_reason}".strip()))
        fields.append(("cancelled_by", c.cancellation_initiator))
        fields.append(("affects_rating", c.affect_cancellation_rating))

    def human() -> None:
        import datetime as dt

        from ozonctl.cli.output import plain
        from ozonctl.cli.times import labelled

        out = ctx.output
        shown = [(k, v) for k, v in fields if v not in (None, "")]
        if not out.stdout_tty:
            for key, value in shown:
                out.stdout.write(f"{key}\t{plain(value)}\n")
            for pr in p.products:
                out.stdout.write(
                    f"product\t{pr.sku}\t{pr.offer_id}\t{pr.quantity}\t{plain(pr.price)}\t"
                    f"{pr.name}\n"
                )
            out.stdout.flush()
            return
        from rich.table import Table

        head = Table(show_header=False, show_edge=False, box=None, pad_edge=False)
        head.add_column(style="bold")
        head.add_column()
        for key, value in shown:
            head.add_row(
                key,
                labelled(value, out.zone) if isinstance(value, dt.datetime) else plain(value),
            )
        out.console.print(head)
        items = Table(show_edge=False, header_style="bold", pad_edge=False)
        for name, justify in (
            ("SKU", "right"),
            ("Offer", "left"),
            ("Qty", "right"),
            ("Price", "right"),
            ("Name", "left"),
        ):
            items.add_column(name, justify=justify)  # type: ignore[arg-type]
        for pr in p.products:
            items.add_row(
                str(pr.sku),
                pr.offer_id,
                str(pr.quantity),
                f"{plain(pr.price)} {pr.currency_code}".strip(),
                pr.name,
            )
        out.console.print(items)

    from ozonctl.cli.schemas import POSTING

    ctx.output.document(data, human=human, schema=POSTING)
