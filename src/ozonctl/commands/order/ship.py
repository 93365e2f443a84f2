"""``order ship``: package and ship a posting, whole or split, and report what Ozon did.

A 200 from ``/v4/posting/fbs/ship`` does not mean shipped: every posting the order became
is re-read with ``/v3/posting/fbs/get`` and judged by its status and substatus.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ozonctl.cli.context import app_context
from ozonctl.commands.order._common import (
    items_text,
    parse_items,
    resolve_items,
)
from ozonctl.errors import OzonctlError, UsageError

if TYPE_CHECKING:
    from ozonctl.cli.context import AppContext
    from ozonctl.client.models.postings import Posting, PostingProduct

SHIPPED_STATUSES = frozenset(
    {"awaiting_deliver", "delivering", "driver_pickup", "delivered", "sent_by_seller"}
)
PACKAGE_HELP = (
    "One package (box) as SKU:QTY[,SKU:QTY...]; repeat for a split. A bare SKU (or offer "
    "id) takes all its units; units not named go into one more package."
)


def plan_packages(
    products: Sequence[PostingProduct], specs: Sequence[str]
) -> list[list[tuple[int, int]]]:
    """The packages to send, as lists of (sku, quantity)."""
    have: dict[int, int] = {}
    for p in products:
        have[p.sku] = have.get(p.sku, 0) + p.quantity
    if not specs:
        return [list(have.items())]
    packages = [resolve_items(parse_items(s, "--package"), products, "--package") for s in specs]
    packed: dict[int, int] = {}
    for package in packages:
        for sku, qty in package:
            packed[sku] = packed.get(sku, 0) + qty
    over = [f"{sku} ({packed[sku]} > {have[sku]})" for sku in packed if packed[sku] > have[sku]]
    if over:
        raise UsageError(f"--package asks for more units than the posting has: {', '.join(over)}")
    rest = [
        (sku, qty - packed.get(sku, 0)) for sku, qty in have.items() if qty > packed.get(sku, 0)
    ]
    return [*packages, rest] if rest else packages


def outcome_of(p: Posting) -> str:
    """``shipped``, ``ship_failed``, ``cancelled`` or ``pending`` (not packed yet)."""
    from ozonctl.client.models.postings import SHIP_FAILED

    if p.substatus == SHIP_FAILED:
        return "ship_failed"
    if p.status in SHIPPED_STATUSES:
        return "shipped"
    if p.status == "cancelled":
        return "cancelled"
    return "pending"


def ship(
    posting: Annotated[str, typer.Argument(help="The posting to package and ship.")],
    package: Annotated[
        list[str] | None,
        typer.Option("--package", "-k", metavar="SPEC", help=PACKAGE_HELP),
    ] = None,
) -> None:
    """Package and ship a posting (awaiting_packaging → awaiting_deliver), whole or split.

    Examples: `order ship 123-0001-1` (one package); `order ship 123-0001-1 --package
    111:1 --package 111:1,222:2` (two packages). Re-reads every resulting posting and
    reports the real outcome; exits 1 when Ozon did not ship (substatus ship_failed:
    run it again) or the outcome is not known yet."""
    from ozonctl.client.errors import WriteOutcomeUnknown
    from ozonctl.client.models.postings import ShipPackage, ShipProduct

    ctx = app_context()
    client = ctx.client()
    before = client.postings.fbs_get(posting)
    if before.status != "awaiting_packaging":
        raise OzonctlError(
            f"posting {posting} is {before.status}"
            + (f" ({before.substatus})" if before.substatus else "")
            + ", not awaiting_packaging: nothing to ship",
            hint=f"see `ozonctl order show {posting}`",
        )
    packages = plan_packages(before.products, package or [])
    plan = {
        "posting_number": posting,
        "packages": [[{"sku": s, "quantity": q} for s, q in pkg] for pkg in packages],
    }
    if ctx.dry_run:
        from ozonctl.cli.output import Column

        ctx.output.info(
            f"dry run: would ship {posting} in {len(packages)} package(s); nothing sent"
        )
        rows = [
            {
                "posting_number": posting,
                "package": n,
                "products": items_text(pkg),
                "outcome": "would_ship",
            }
            for n, pkg in enumerate(packages, 1)
        ]
        columns = [Column("package", "Package", justify="right"), Column("products", "SKU:QTY")]
        ctx.output.outcomes(columns, rows, ref=None, dry_run=True, key="outcome")
        return
    ctx.confirm(f"Ship {posting} in {len(packages)} package(s)?")
    body = [
        ShipPackage(products=[ShipProduct(product_id=s, quantity=q) for s, q in pkg])
        for pkg in packages
    ]
    unknown = ""
    numbers: list[str] = []
    try:
        numbers = client.postings.ship(posting, body).result
    except WriteOutcomeUnknown as exc:
        unknown = exc.message
        ctx.output.warn(f"{exc.message}; re-reading the posting (ozonctl does not resend)")
        first = client.postings.fbs_get(posting, related=True)
        if first.related_postings:  # a split that did happen shows its new postings
            numbers = first.related_postings.related_posting_numbers
    after = [client.postings.fbs_get(n) for n in dict.fromkeys([posting, *numbers])]
    report(ctx, plan, after, unknown)


def report(ctx: AppContext, plan: dict[str, Any], after: list[Posting], unknown: str) -> None:
    from ozonctl.cli.output import Column

    rows: list[dict[str, Any]] = [
        {
            "posting_number": p.posting_number,
            "status": p.status,
            "substatus": p.substatus,
            "outcome": outcome_of(p),
            "products": p.products,
            "note": unknown,
        }
        for p in after
    ]
    outcomes = {r["outcome"] for r in rows}
    overall = (
        "shipped"
        if outcomes == {"shipped"}
        else ("ship_failed" if "ship_failed" in outcomes else "pending")
    )
    columns = [
        Column("posting_number", "Posting"),
        Column("status", "Status"),
        Column("substatus", "Substatus"),
        Column("outcome", "Outcome"),
        Column("products", "Products"),
    ]
    ctx.output.outcomes(columns, rows, ref=None, dry_run=False, key="outcome")
    posting = plan["posting_number"]
    if overall == "shipped":
        ctx.output.success(f"{posting} shipped: {', '.join(r['posting_number'] for r in rows)}")
        return
    if overall == "ship_failed":
        raise OzonctlError(
            f"Ozon accepted the request but did not ship {posting} (substatus ship_failed)",
            hint=f"run `ozonctl order ship {posting}` again; Ozon asks to retry",
        )
    raise OzonctlError(
        f"{posting} is not shipped yet (status {after[0].status})"
        + (" and the ship request's outcome is unknown" if unknown else ""),
        hint=f"check with `ozonctl order show {posting}` in a minute before shipping again",
    )
