"""``order rfbs-returns``: buyers' return requests of rFBS postings — list, show (with
the actions Ozon allows now) and act on one: approve, reject, receive, refund, or
compensate part of the price.

An action is chosen among the request's ``available_actions`` (``/v2/returns/rfbs/get``):
reject and compensate by the ids Ozon documents (``-1``/``-10``, ``1020``), the others by
their name, or any by ``--action-id``. Every action is a write like ``order cancel``:
plan, dry run, confirmation, a journal entry before it is sent, and never sent twice —
when the answer is lost, the request is re-read and its state tells what happened.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ozonctl.cli.context import app_context
from ozonctl.errors import OzonctlError, UsageError

if TYPE_CHECKING:
    from ozonctl.cli.context import AppContext
    from ozonctl.client.models.rfbs_returns import ReturnAction, RfbsReturn

KIND = "rfbs-return"
VERBS = ("approve", "reject", "receive", "refund", "compensate")
NAME_WORDS = {
    "approve": ("одобр", "approve", "соглас"),
    "receive": ("получ", "receive"),
    "refund": ("вернуть деньги", "возврат денег", "refund", "return money"),
}
"""Words of Ozon's action names for the verbs Ozon gives no fixed id."""

app = typer.Typer(
    help="Buyers' rFBS return requests: list, show, approve, reject, receive, refund, compensate.",
    invoke_without_command=True,
)


def columns() -> list[Any]:
    from ozonctl.cli.output import Column

    return [
        Column("return_id", "ID", justify="right"),
        Column("posting_number", "Posting"),
        Column("state", "State"),
        Column("created", "Created"),
        Column("offer_id", "Offer"),
        Column("price", "Price", justify="right"),
        Column("actions", "Actions now"),
    ]


def row(r: RfbsReturn) -> dict[str, Any]:
    return {
        "return_id": r.return_id,
        "return_number": r.return_number,
        "posting_number": r.posting_number,
        "state": r.state.state,
        "state_name": r.state.state_name,
        "group_state": r.state.group_state,
        "created": r.created_at,
        "sku": r.product.sku,
        "offer_id": r.product.offer_id,
        "name": r.product.name,
        "price": None if r.product.price is None else Decimal(r.product.price),
        "currency_code": r.product.currency_code,
        "actions": ", ".join(f"{a.id} {a.name}" for a in r.available_actions),
    }


@app.callback()
def rfbs_returns(
    typer_ctx: typer.Context,
    posting: Annotated[
        str | None, typer.Option("--posting", metavar="NUMBER", help="Only this posting.")
    ] = None,
) -> None:
    """Buyers' rFBS return requests: id, posting, state, product and price."""
    if typer_ctx.invoked_subcommand is not None:
        return
    ctx = app_context()
    rows = (row(r) for r in ctx.client().postings.rfbs_returns(posting))  # --limit stops it
    cols = [c for c in columns() if c.key != "actions"]
    from ozonctl.cli.schemas import RFBS_RETURN

    ctx.output.rows(cols, rows, empty="no rFBS return requests", schema=RFBS_RETURN)


@app.command("show")
def show(return_id: Annotated[int, typer.Argument(metavar="ID", help="The return's ID.")]) -> None:
    """One request with the actions Ozon allows now and the rejection reasons."""
    from ozonctl.commands.order._common import document_rows

    ctx = app_context()
    r = ctx.client().postings.rfbs_return(return_id)
    doc = {
        **row(r),
        "comment": r.comment,
        "available_actions": [a.model_dump() for a in r.available_actions],
        "rejection_reasons": [x.model_dump() for x in r.rejection_reason],
    }
    document_rows(ctx.output, doc, columns(), [row(r)])
    for x in r.rejection_reason:
        ctx.output.info(f"rejection reason {x.id}: {x.name}")


def matches(a: ReturnAction, verb: str, action_id: int | None) -> bool:
    from ozonctl.client.models.rfbs_returns import COMPENSATE_ID, REJECT_IDS

    if action_id is not None:
        return a.id == action_id
    if verb == "reject":
        return a.id in REJECT_IDS
    if verb == "compensate":
        return a.id == COMPENSATE_ID
    return any(w in a.name.lower() for w in NAME_WORDS.get(verb, ()))


def pick_action(r: RfbsReturn, verb: str, action_id: int | None) -> ReturnAction:
    """The request's available action for ``verb`` (or ``action_id``); a usage error
    naming what is available otherwise."""
    for a in r.available_actions:
        if matches(a, verb, action_id):
            return a
    offered = ", ".join(f"{a.id} ({a.name})" for a in r.available_actions) or "none"
    raise UsageError(
        f"return {r.return_id} ({r.state.state}) has no {verb} action now; available: {offered}",
        hint=f"see `ozonctl order rfbs-returns show {r.return_id}`; --action-id ID picks one",
    )


@app.command("act")
def act(
    return_id: Annotated[int, typer.Argument(metavar="ID", help="The return's ID.")],
    verb: Annotated[str, typer.Argument(metavar="ACTION", help=" | ".join(VERBS))],
    reason_id: Annotated[
        int | None,
        typer.Option("--reason-id", metavar="N", help="Rejection reason (reject; see show)."),
    ] = None,
    comment: Annotated[
        str | None, typer.Option("--comment", "-m", help="Comment (required to reject).")
    ] = None,
    amount: Annotated[
        str | None, typer.Option("--amount", metavar="RUB", help="Compensation (compensate).")
    ] = None,
    back_way: Annotated[
        str | None,
        typer.Option("--back-way", metavar="RUB", help="Refund of the buyer's postage."),
    ] = None,
    action_id: Annotated[
        int | None, typer.Option("--action-id", metavar="ID", help="An action id from show.")
    ] = None,
) -> None:
    """Act on a request once: the action must be one Ozon allows now (see show)."""
    from ozonctl.client.models.rfbs_returns import COMPENSATE_ID, REJECT_IDS, RfbsActionRequest

    if verb not in VERBS:
        raise UsageError(f"ACTION {verb!r}: use one of {', '.join(VERBS)}")
    ctx = app_context()
    client = ctx.client().postings
    current = client.rfbs_return(return_id)
    chosen = pick_action(current, verb, action_id)
    text = (comment or "").strip()
    if chosen.id in REJECT_IDS and (reason_id is None or not text):
        raise UsageError("reject needs --reason-id N and --comment TEXT (Ozon requires both)")
    money = money_option(amount, "--amount")
    if chosen.id == COMPENSATE_ID and money is None:
        raise UsageError("compensate needs --amount RUB")
    request = RfbsActionRequest(
        return_id=return_id,
        id=chosen.id,
        comment=text or None,
        rejection_reason_id=reason_id if chosen.id in REJECT_IDS else None,
        compensation_amount=float(money) if money is not None else None,
        return_for_back_way=float(b) if (b := money_option(back_way, "--back-way")) else None,
    )
    doc: dict[str, Any] = {
        "return_id": return_id,
        "posting_number": current.posting_number,
        "action": verb,
        "action_id": chosen.id,
        "state_before": current.state.state,
    }
    ctx.output.info(
        f"plan: {chosen.name} ({chosen.id}) on return {return_id} of {current.posting_number}"
    )
    if ctx.dry_run:
        finish(ctx, {**doc, "outcome": "dry_run", "state": current.state.state})
        ctx.output.info("dry run: nothing sent")
        return
    ctx.confirm(f"{chosen.name} on return {return_id} ({current.posting_number})?")
    send(ctx, current, request, doc)


def money_option(text: str | None, option: str) -> Decimal | None:
    if text is None:
        return None
    try:
        value = Decimal(text.replace(",", ".").strip())
    except ArithmeticError:
        value = Decimal(-1)
    if not value.is_finite() or value <= 0:
        raise UsageError(f"{option} {text!r} is not an amount above 0")
    return value


def send(ctx: AppContext, current: RfbsReturn, request: Any, doc: dict[str, Any]) -> None:
    """Journal, send once, re-read: a changed state is the action's effect."""
    from ozonctl.commands._writes import send_once

    client = ctx.client().postings
    journal = ctx.journal("order")
    rid = current.return_id
    with ctx.lock("order rfbs-returns"):
        op = journal.new(KIND, status="sending", return_id=rid, action_id=request.id)
        doc["journal_ref"] = op.ref
        _, lost = send_once(op, lambda: client.rfbs_return_act(request))
    state = client.rfbs_return(rid).state.state
    if lost is not None:
        if state == current.state.state:
            finish(ctx, {**doc, "outcome": "unknown", "state": state, "error": lost.message})
            raise OzonctlError(
                f"the action on return {rid} may or may not have reached Ozon ({lost.message}); "
                f"Ozon still shows {state}; recorded as {op.ref}, not sent again",
                hint=f"check `ozonctl order rfbs-returns show {rid}` in a few minutes before "
                "acting again",
            )
        op.update(status="done", settled_by="re-read", state_after=state)
    finish(ctx, {**doc, "outcome": "done", "state": state})
    ctx.output.success(f"return {rid}: {current.state.state} -> {state}")


def finish(ctx: AppContext, doc: dict[str, Any]) -> None:
    from ozonctl.commands.order._common import outcome_row

    outcome_row(ctx.output, doc, ("return_id", "posting_number", "action", "outcome", "state"))
