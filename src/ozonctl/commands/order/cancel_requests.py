"""``order cancel-requests``: buyers' requests to cancel rFBS postings — list them,
approve (the posting is cancelled; it does not count against the seller) or reject them
with a reason (the posting must then be delivered).

Ozon approves a request itself at its ``auto_approve_date``; ``order at-risk`` lists the
postings whose request still waits. A decision is journalled before it is sent and never
sent twice: when the answer is lost, ozonctl re-reads the request and reports what Ozon
shows (``--retry-unknown`` sends again only after the user checked).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from ozonctl.cli.context import app_context
from ozonctl.errors import OzonctlError, UsageError

if TYPE_CHECKING:
    from ozonctl.cli.context import AppContext
    from ozonctl.client.models.cancellations import BuyerCancelRequest
    from ozonctl.state.journal import Journal, Operation

KIND = "cancel-request"
STATE_OPTION = {
    "waiting": "ON_APPROVAL",
    "approved": "APPROVED",
    "rejected": "REJECTED",
    "all": "ALL",
}
TARGET = {True: "APPROVED", False: "REJECTED"}

app = typer.Typer(
    help="Buyers' cancellation requests (rFBS): list, approve, reject.",
    invoke_without_command=True,
)


@app.callback()
def cancel_requests(
    typer_ctx: typer.Context,
    state: Annotated[
        str,
        typer.Option(
            "--state", metavar="STATE", help="waiting (default), approved, rejected or all."
        ),
    ] = "waiting",
    posting: Annotated[
        list[str] | None,
        typer.Option("--posting", metavar="NUMBER", help="Only these postings (repeatable)."),
    ] = None,
) -> None:
    """Buyers' cancellation requests, the ones waiting by default: each with the time
    Ozon approves it by itself (``Answer by``) and the hours left."""
    if typer_ctx.invoked_subcommand is not None:
        return
    from ozonctl.cli.output import Column
    from ozonctl.cli.period import now_utc

    if state not in STATE_OPTION:
        raise UsageError(f"--state {state!r}: use one of {', '.join(STATE_OPTION)}")
    ctx = app_context()
    now = now_utc()
    rows = (  # a generator: --limit N stops the walk
        request_row(r, now)
        for r in ctx.client().postings.cancel_requests(STATE_OPTION[state], posting)
    )
    columns = [
        Column("cancellation_id", "ID", justify="right"),
        Column("posting_number", "Posting"),
        Column("state", "State"),
        Column("answer_by", "Answer by"),
        Column("hours_left", "Hours left", justify="right"),
        Column("reason", "Reason", max_width=32),
        Column("message", "Buyer's message", max_width=40),
    ]
    from ozonctl.cli.schemas import CANCEL_REQUEST

    ctx.output.rows(columns, rows, empty=f"no {state} cancellation requests", schema=CANCEL_REQUEST)


def request_row(r: BuyerCancelRequest, now: Any) -> dict[str, Any]:
    from decimal import Decimal

    left = r.hours_left(now) if r.waiting else None
    return {
        "cancellation_id": r.cancellation_id,
        "posting_number": r.posting_number,
        "state": r.state.state,
        "answer_by": r.auto_approve_date,
        "hours_left": None if left is None else Decimal(left).quantize(Decimal("0.1")),
        "reason": r.cancellation_reason.name,
        "message": r.cancellation_reason_message,
        "initiator": r.cancellation_initiator,
        "comment": r.approve_comment,
        "decided": r.approve_date,
    }


def find(ctx: AppContext, cancellation_id: int) -> BuyerCancelRequest:
    for r in ctx.client().postings.cancel_requests("ALL"):
        if r.cancellation_id == cancellation_id:
            return r
    raise OzonctlError(
        f"Ozon has no cancellation request {cancellation_id}",
        hint="see `ozonctl order cancel-requests --state all`",
    )


RETRY_HELP = (
    "After you checked that an earlier decision with an unknown outcome did not happen: "
    "send it again."
)


@app.command("approve")
def approve(
    cancellation_id: Annotated[int, typer.Argument(metavar="ID", help="The request's ID.")],
    comment: Annotated[
        str | None, typer.Option("--comment", "-m", help="A comment for Ozon.")
    ] = None,
    retry_unknown: Annotated[bool, typer.Option("--retry-unknown", help=RETRY_HELP)] = False,
) -> None:
    """Approve a buyer's request: Ozon cancels the posting and refunds the buyer; it
    does not count against the seller's cancellation rate."""
    decide(True, cancellation_id, comment or "", retry_unknown)


@app.command("reject")
def reject(
    cancellation_id: Annotated[int, typer.Argument(metavar="ID", help="The request's ID.")],
    reason: Annotated[str, typer.Option("--reason", "-r", help="Why (Ozon shows it; required).")],
    retry_unknown: Annotated[bool, typer.Option("--retry-unknown", help=RETRY_HELP)] = False,
) -> None:
    """Reject a buyer's request with a reason: the posting stays and must be delivered."""
    if not reason.strip():
        raise UsageError("--reason is empty", hint="say why the posting will be delivered")
    decide(False, cancellation_id, reason.strip(), retry_unknown)


def decide(approve: bool, cancellation_id: int, comment: str, retry: bool) -> None:
    """Approve or reject once: settle earlier attempts, plan, confirm, journal, send, re-read."""
    ctx = app_context()
    verb = "approve" if approve else "reject"
    journal = ctx.journal("order")
    current = find(ctx, cancellation_id)
    doc: dict[str, Any] = {
        "cancellation_id": cancellation_id,
        "posting_number": current.posting_number,
        "action": verb,
        "comment": comment,
    }
    settle_earlier(ctx, journal, current, retry)
    if not current.waiting:
        if current.state.state != TARGET[approve]:
            raise OzonctlError(
                f"cancellation request {cancellation_id} is {current.state.state}; nothing sent"
            )
        finish(ctx, {**doc, "outcome": "already_done", "state": current.state.state})
        ctx.output.success(
            f"request {cancellation_id} is already {current.state.state}; nothing sent"
        )
        return
    what = f"cancellation request {cancellation_id} of {current.posting_number}"
    ctx.output.info(f"plan: {verb} {what}" + (f" («{comment}»)" if comment else ""))
    if ctx.dry_run:
        finish(ctx, {**doc, "outcome": "dry_run", "state": current.state.state})
        ctx.output.info("dry run: nothing sent")
        return
    effect = "Ozon cancels the posting" if approve else "the posting must then be delivered"
    ctx.confirm(f"{verb.capitalize()} {what}? {effect}")
    send(ctx, journal, current, approve, comment, doc)


def open_attempts(journal: Journal, cancellation_id: int) -> list[Operation]:
    return [
        op
        for op in journal.all()
        if op.header.get("kind") == KIND
        and op.header.get("cancellation_id") == cancellation_id
        and op.status in ("sending", "unknown")
    ]


def settle_earlier(ctx: AppContext, journal: Journal, now: BuyerCancelRequest, retry: bool) -> None:
    """Earlier attempts with an unknown outcome: done when Ozon shows their effect, else
    refuse to send again unless ``--retry-unknown``."""
    for op in open_attempts(journal, now.cancellation_id):
        if not now.waiting:
            op.update(status="done", settled_by="re-read", state_after=now.state.state)
            ctx.output.info(
                f"the earlier decision {op.ref} went through (Ozon shows {now.state.state})"
            )
        elif retry:
            op.update(status="abandoned", settled_by="--retry-unknown")
            ctx.output.warn(f"--retry-unknown: treating {op.ref} as not applied; sending again")
        else:
            raise OzonctlError(
                f"an earlier decision on cancellation request {now.cancellation_id} ({op.ref}) "
                "has an unknown outcome and Ozon still shows it waiting; ozonctl will not send "
                "another on its own",
                hint="check `ozonctl order cancel-requests --state all` in a few minutes; if it "
                "still waits, run this again with --retry-unknown",
            )


def send(
    ctx: AppContext,
    journal: Journal,
    current: BuyerCancelRequest,
    approve: bool,
    comment: str,
    doc: dict[str, Any],
) -> None:
    from ozonctl.client.errors import APIError
    from ozonctl.commands._writes import send_once

    client = ctx.client().postings
    rid = current.cancellation_id
    with ctx.lock("order cancel-requests"):
        op = journal.new(
            KIND, status="sending", cancellation_id=rid, action=doc["action"], comment=comment
        )
        doc["journal_ref"] = op.ref
        _, lost = send_once(op, lambda: client.decide_cancel_request(approve, rid, comment))
    try:
        state = find(ctx, rid).state.state
    except APIError as exc:
        ctx.output.warn(f"could not re-read request {rid}: {exc}")
        state = "unknown"
    if lost is not None and state == TARGET[approve]:
        op.update(status="done", settled_by="re-read", state_after=state)
        ctx.output.info(f"Ozon's answer was lost, but the re-read shows request {rid} {state}")
    elif lost is not None:
        finish(ctx, {**doc, "outcome": "unknown", "state": state, "error": lost.message})
        raise OzonctlError(
            f"the {doc['action']} of cancellation request {rid} may or may not have reached "
            f"Ozon ({lost.message}); Ozon now shows {state}; recorded as {op.ref}, not sent again",
            hint="check `ozonctl order cancel-requests --state all` in a few minutes; running "
            "this again re-checks first and never resends on its own",
        )
    finish(ctx, {**doc, "outcome": "approved" if approve else "rejected", "state": state})
    ctx.output.success(
        f"{doc['action']}d cancellation request {rid} ({current.posting_number}, now {state})"
    )


def finish(ctx: AppContext, doc: dict[str, Any]) -> None:
    from ozonctl.commands.order._common import outcome_row

    keys = ("cancellation_id", "posting_number", "action", "outcome", "state")
    outcome_row(ctx.output, doc, keys)
