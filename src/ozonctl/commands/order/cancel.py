"""``order cancel-reasons`` and ``order cancel``: cancel a posting or some of its products,
knowingly and at most once.

Before a cancel: the posting is read, the reason is checked against the ones Ozon offers,
the shop's cancellation figures are shown (``ozonctl.domain.cancel_guard``), and the user
confirms (``--yes`` where ozonctl cannot ask). Every attempt is journalled before it is
sent (``_attempts``): a cancel whose answer was lost is never sent again by itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from ozonctl.cli.commas import commas
from ozonctl.cli.context import app_context
from ozonctl.cli.fromfile import FromFileOption, ids_from
from ozonctl.commands.order import _attempts
from ozonctl.commands.order._common import (
    items_text,
    parse_items,
    resolve_items,
)
from ozonctl.domain import cancel_guard
from ozonctl.errors import OzonctlError, UsageError

if TYPE_CHECKING:
    from ozonctl.cli.context import AppContext
    from ozonctl.client.models.postings import CancelReason, Posting
    from ozonctl.state.journal import Journal

REASON_NEEDS_MESSAGE = 402


def cancel_reasons(
    postings: Annotated[
        list[str] | None,
        typer.Argument(help="Postings to ask about (default: every reason Ozon has)."),
    ] = None,
    from_file: FromFileOption = None,
) -> None:
    """Cancellation reasons: all of them, or those Ozon allows for given postings."""
    from ozonctl.cli.output import Column

    postings = ids_from(postings, from_file)
    ctx = app_context()
    client = ctx.client()
    if postings:
        rows = [
            {"posting_number": r.posting_number, "id": x.id, "title": x.title, "type": x.type_id}
            for r in client.postings.cancel_reasons_for(postings)
            for x in r.reasons
        ]
        columns = [Column("posting_number", "Posting"), Column("id", "ID", justify="right")]
    else:
        rows = [
            {
                "id": x.id,
                "title": x.title,
                "type": x.type_id,
                "available": x.is_available_for_cancellation,
            }
            for x in client.postings.cancel_reasons()
        ]
        columns = [Column("id", "ID", justify="right")]
    columns += [Column("title", "Reason"), Column("type", "Type")]
    if not postings:
        columns.append(Column("available", "Seller may use"))
    ctx.output.rows(columns, rows, empty="no cancellation reasons")


def settle_earlier(ctx: AppContext, journal: Journal, posting: Posting, retry: bool) -> None:
    """Deal with earlier attempts on this posting whose outcome was unknown."""
    earlier = _attempts.open_attempts(journal, posting.posting_number)
    if not earlier:
        return
    with ctx.lock("order cancel"):
        settled, unknown = _attempts.settle(earlier, posting)
        for op in settled:
            ctx.output.info(
                f"the earlier cancel {_attempts.describe(op)} went through "
                f"(Ozon shows {posting.posting_number} {posting.status})"
            )
        if unknown and not retry:
            raise OzonctlError(
                f"an earlier cancel of {posting.posting_number} has an unknown outcome: "
                f"{_attempts.describe(unknown[-1])}; Ozon now shows status {posting.status}; "
                "ozonctl will not send another cancel on its own",
                hint=f"check with `ozonctl order show {posting.posting_number}` (or in the "
                "seller portal) in a few minutes; if it is still not cancelled, run this "
                "cancel again with --retry-unknown",
            )
        for op in unknown:
            op.update(status="abandoned", settled_by="--retry-unknown", status_after=posting.status)
            ctx.output.warn(
                f"--retry-unknown: treating {op.ref} as not applied (Ozon shows "
                f"{posting.status}); sending a new cancel"
            )


def choose_reason(ctx: AppContext, posting: str, reason_id: int, products: bool) -> CancelReason:
    client = ctx.client().postings
    if products:
        reasons = [r for r in client.cancel_reasons() if r.is_available_for_cancellation]
    else:
        reasons = [x for r in client.cancel_reasons_for([posting]) for x in r.reasons]
    for reason in reasons:
        if reason.id == reason_id:
            return reason
    offered = ", ".join(f"{r.id} ({r.title})" for r in reasons) or "none"
    raise UsageError(
        f"--reason {reason_id} is not a reason Ozon allows for {posting}; allowed: {offered}",
        hint=f"see `ozonctl order cancel-reasons {posting}`",
    )


def cancel(
    posting: Annotated[str, typer.Argument(help="The posting to cancel.")],
    reason: Annotated[
        int, typer.Option("--reason", "-r", metavar="ID", help="Cancellation reason id.")
    ],
    message: Annotated[
        str | None,
        typer.Option(
            "--message",
            "-m",
            help="Free text for the buyer/Ozon; required with reason 402 (default for "
            "--product: the reason's title).",
        ),
    ] = None,
    product: Annotated[
        list[str] | None,
        typer.Option(
            "--product",
            metavar="SKU:QTY",
            **commas(),
            help="Cancel only these units (repeatable, or SKU:QTY,SKU:QTY); the rest ships.",
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option("--force", help="Cancel even when the shop is at or over the threshold."),
    ] = False,
    threshold: Annotated[
        str | None,
        typer.Option(
            "--threshold",
            metavar="PCT",
            help="Cancellation-rate threshold in percent (default: OZONCTL_CANCEL_THRESHOLD, "
            "config cancel_threshold, else 5).",
        ),
    ] = None,
    retry_unknown: Annotated[
        bool,
        typer.Option(
            "--retry-unknown",
            help="After you checked that an earlier cancel with an unknown outcome did not "
            "happen: send a new one.",
        ),
    ] = False,
) -> None:
    """Cancel a posting, or some products of it, guarding the cancellation rate.

    Shows the shop's cancellation rate and the threshold first; asks on a terminal,
    needs --yes in a script; refuses at or over the threshold without --force. A cancel
    is journalled before it is sent and never sent twice: if the answer is lost
    (timeout, 5xx) ozonctl re-reads the posting and says how to check."""
    ctx = app_context()
    client = ctx.client()
    journal = ctx.journal("order")
    current = client.postings.fbs_get(posting)
    settle_earlier(ctx, journal, current, retry_unknown)
    items = (
        resolve_items(parse_items(",".join(product), "--product"), current.products, "--product")
        if product
        else []
    )
    doc: dict[str, Any] = {
        "posting_number": posting,
        "action": "cancel_products" if items else "cancel",
        "reason_id": reason,
        "items": [{"sku": s, "quantity": q} for s, q in items],
    }
    if current.status == "cancelled":
        finish(ctx, {**doc, "outcome": "already_cancelled", "status": current.status})
        ctx.output.success(f"{posting} is already cancelled; nothing sent")
        return
    have = {p.sku: p.quantity for p in current.products}
    too_many = [f"{s} ({q} > {have.get(s, 0)})" for s, q in items if q > have.get(s, 0)]
    if too_many:
        raise UsageError(f"--product asks for more units than {posting} has: {', '.join(too_many)}")
    chosen = choose_reason(ctx, posting, reason, bool(items))
    text = (message or "").strip()
    if not text and (items or reason == REASON_NEEDS_MESSAGE):
        if not items:
            raise UsageError(f"reason {reason} needs --message TEXT (Ozon requires it)")
        text = chosen.title
    doc.update(reason=chosen.title, message=text)
    figures = check_guard(ctx, threshold, force)
    doc["cancellation_rating"] = figures.as_dict()
    what = f"{items_text(items)} of {posting}" if items else posting
    ctx.output.info(f"plan: cancel {what} with reason {chosen.id} «{chosen.title}»")
    if ctx.dry_run:
        finish(ctx, {**doc, "outcome": "dry_run", "status": current.status})
        ctx.output.info("dry run: nothing sent")
        return
    ctx.confirm(f"Cancel {what}? The buyer is told and it counts in the cancellation rate")
    send(ctx, journal, current, chosen.id, text, items, doc)


def send(
    ctx: AppContext,
    journal: Journal,
    current: Posting,
    reason_id: int,
    message: str,
    items: list[tuple[int, int]],
    doc: dict[str, Any],
) -> None:
    """Journal, send once, and report what Ozon shows after."""
    from ozonctl.client.errors import APIError
    from ozonctl.commands._writes import send_once

    client = ctx.client().postings
    posting = current.posting_number

    def cancel() -> None:
        if items:
            from ozonctl.client.models.postings import CancelItem

            cancel_items = [CancelItem(sku=s, quantity=q) for s, q in items]
            client.cancel_products(posting, reason_id, message, cancel_items)
        elif not client.cancel(posting, reason_id, message or None):
            raise OzonctlError(f"Ozon did not cancel {posting} (it answered result=false)")

    with ctx.lock("order cancel"):
        if _attempts.open_attempts(journal, posting):
            raise OzonctlError(
                f"another ozonctl run started a cancel of {posting} meanwhile; nothing sent",
                hint=f"check with `ozonctl order show {posting}`",
            )
        op = _attempts.begin(journal, current, reason_id, message, items)
        doc["journal_ref"] = op.ref
        _, lost = send_once(op, cancel)
    try:
        after: Posting | None = client.fbs_get(posting)
    except APIError as exc:
        ctx.output.warn(f"could not re-read {posting}: {exc}")
        after = None
    status = after.status if after else "unknown"
    if lost is None:
        finish(ctx, {**doc, "outcome": "cancelled", "status": status})
        ctx.output.success(f"cancelled {'products of ' if items else ''}{posting} (now {status})")
        return
    if after is not None and _attempts.applied(op, after):
        op.update(status="done", settled_by="re-read", status_after=after.status)
        finish(ctx, {**doc, "outcome": "cancelled", "status": status})
        ctx.output.success(f"Ozon's answer was lost, but the re-read shows {posting} {status}")
        return
    finish(ctx, {**doc, "outcome": "unknown", "status": status, "error": lost.message})
    raise OzonctlError(
        f"the cancel of {posting} may or may not have reached Ozon ({lost.message}); Ozon now "
        f"shows status {status}; ozonctl recorded it as {op.ref} and did not send it again",
        hint=f"check with `ozonctl order show {posting}` in a few minutes; running this cancel "
        "again re-checks first and never resends on its own",
    )


def finish(ctx: AppContext, doc: dict[str, Any]) -> None:
    from ozonctl.cli.output import Column
    from ozonctl.cli.write_schemas import CANCEL_OUTCOME

    keys = ("posting_number", "action", "outcome", "status")
    columns = [Column(k, k.replace("_", " ").capitalize()) for k in keys]
    ref = doc.get("journal_ref")
    ctx.output.outcomes(
        columns, [doc], ref=ref, dry_run=ctx.dry_run, key="outcome", schema=CANCEL_OUTCOME
    )


def check_guard(ctx: AppContext, threshold: str | None, force: bool) -> cancel_guard.Figures:
    """Show the cancellation figures (stderr) and refuse when over the threshold without
    ``--force`` (``cancel_guard`` decides; this prints)."""
    limit, source = cancel_guard.resolve_threshold(threshold, ctx.profile.cancel_threshold)
    figures = cancel_guard.figures(ctx.client(), limit, source)
    ctx.output.info(figures.describe())
    if figures.warning:
        ctx.output.warn("Ozon flags the cancellation rate as WARNING")
    cancel_guard.refuse_over_threshold(figures, force)
    if figures.over:
        ctx.output.warn("cancelling over the threshold because of --force")
    return figures
