"""``order at-risk``: unfulfilled postings that may end in a cancellation — the ship-by
deadline is within N hours (or passed), or the seller's warehouses lack the stock.

Stock (``/v4/product/info/stocks``, FBS/rFBS rows): Ozon counts the units reserved for
open postings inside ``present``. A posting not packed yet is short of stock when one of
its products has no stock beyond the reservations (``present - reserved <= 0``): the
reserved units are the last the seller reported — or were sold elsewhere — so a missing
unit on the shelf means a cancellation. Packed postings (awaiting_deliver) are not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ozonctl.cli.context import app_context
from ozonctl.commands.order._common import posting_row
from ozonctl.exitcodes import ExitCode

if TYPE_CHECKING:
    from ozonctl.client.models.postings import Posting

AT_RISK_EXIT = ExitCode.ATTENTION
"""Exit code of ``--fail-if-any`` when some posting is at risk (0: none; 1: an error)."""
SELLER_STATUSES = (
    "awaiting_approve",
    "awaiting_registration",
    "awaiting_packaging",
    "awaiting_deliver",
)
"""Unfulfilled statuses where shipping on time is up to the seller."""
LOOK_BACK = dt.timedelta(days=180)
LOOK_AHEAD = dt.timedelta(days=180)
FAR_FUTURE = dt.datetime.max.replace(tzinfo=dt.UTC)


def short_products(p: Posting, free: dict[int, int]) -> list[tuple[int, int]]:
    """(sku, free units) of the posting's products without stock beyond reservations;
    empty for a packed posting. A product Ozon reports no FBS stock for counts as 0."""
    from ozonctl.client.models.postings import UNPACKED_STATUSES

    if p.status not in UNPACKED_STATUSES:
        return []
    return [(i.sku, free.get(i.sku, 0)) for i in p.products if free.get(i.sku, 0) <= 0]


def risk_rows(
    postings: Sequence[Posting],
    free: dict[int, int],
    now: dt.datetime,
    hours: float,
    requests: dict[str, dt.datetime | None] | None = None,
) -> list[dict[str, Any]]:
    """The postings at risk, most urgent (earliest deadline) first. ``requests``: the
    postings whose buyer's cancellation request waits, and when Ozon approves it itself."""
    requests = requests or {}
    horizon = now + dt.timedelta(hours=hours)
    rows: list[dict[str, Any]] = []
    for p in postings:
        due = p.shipment_date
        reasons = []
        if due is not None and due <= now:
            reasons.append("overdue")
        elif due is not None and due <= horizon:
            reasons.append("due soon")
        short = short_products(p, free)
        if short:
            reasons.append("no stock")
        if p.posting_number in requests:
            reasons.append("cancel request")
        if not reasons:
            continue
        left = None
        if due is not None:
            left = Decimal((due - now).total_seconds() / 3600).quantize(Decimal("0.1"))
        rows.append(
            {
                **posting_row(p, "fbs"),
                "hours_left": left,
                "risk": ", ".join(reasons),
                "no_stock": ",".join(f"{sku}:{free}" for sku, free in short),
                "cancel_request_by": requests.get(p.posting_number),
            }
        )
    rows.sort(key=lambda r: (r["ship_by"] or FAR_FUTURE, r["posting_number"]))
    return rows


def at_risk(
    hours: Annotated[
        float,
        typer.Option("--hours", "-H", metavar="N", help="Deadline window in hours (default 24)."),
    ] = 24.0,
    fail_if_any: Annotated[
        bool,
        typer.Option(
            "--fail-if-any",
            help=f"Exit {AT_RISK_EXIT} when any posting is at risk (for monitoring jobs).",
        ),
    ] = False,
) -> None:
    """Unfulfilled postings due within N hours (or overdue), short of FBS stock, or with
    a buyer's cancellation request waiting (answer it with `order cancel-requests`), most
    urgent first: the list to work through before anything must be cancelled.

    No stock: a product not packed yet has no FBS stock beyond the units reserved for
    orders (present - reserved <= 0). Exit 0 (nothing or something found), 1 on errors;
    with --fail-if-any exit 6 when something is at risk. --json gives each posting with
    hours_left, risk and no_stock (SKU:free units)."""
    from ozonctl.cli.output import Column
    from ozonctl.cli.period import now_utc
    from ozonctl.cli.schemas import AT_RISK
    from ozonctl.commands.order._common import posting_columns
    from ozonctl.errors import UsageError

    ctx = app_context()
    if hours <= 0:
        raise UsageError("--hours must be above 0")
    client = ctx.client()
    now = now_utc()
    postings = list(
        client.postings.fbs_unfulfilled(now - LOOK_BACK, now + LOOK_AHEAD, SELLER_STATUSES)
    )
    from ozonctl.client.models.postings import UNPACKED_STATUSES

    offers = sorted(
        {i.offer_id for p in postings if p.status in UNPACKED_STATUSES for i in p.products}
    )
    free = {s.sku: s.fbs_free for s in client.products.stocks(offer_ids=offers)} if offers else {}
    waiting = {
        r.posting_number: r.auto_approve_date
        for r in client.postings.cancel_requests("ON_APPROVAL")
    }
    rows = risk_rows(postings, free, now, hours, waiting)
    extra = [
        Column("hours_left", "Hours left", justify="right"),
        Column("risk", "Risk"),
        Column("no_stock", "No stock (SKU:free)"),
    ]
    columns = [c for c in posting_columns(extra) if c.key != "created"]
    ctx.output.rows(columns, rows, empty=f"nothing at risk in the next {hours:g} h", schema=AT_RISK)
    if rows:
        counts = {
            k: sum(1 for r in rows if k in r["risk"])
            for k in ("overdue", "due soon", "no stock", "cancel request")
        }
        asked = counts.pop("cancel request")
        ctx.output.warn(
            f"{len(rows)} of {len(postings)} unfulfilled posting(s) at risk: "
            + ", ".join(f"{n} {k}" for k, n in counts.items() if n)
        )
        if asked:
            ctx.output.warn(f"{asked} asked to cancel by the buyer: `order cancel-requests`")
        if fail_if_any:
            raise typer.Exit(AT_RISK_EXIT)
