"""``promo rejoin`` (undo a leave) and ``promo history`` (the journal of joins and leaves
made with ozonctl)."""

from __future__ import annotations

import contextlib
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ozonctl.cli.context import app_context
from ozonctl.cli.output import Column
from ozonctl.cli.period import FromOption, MonthOption, ToOption, moments
from ozonctl.commands.promo import own_products
from ozonctl.commands.promo.common import RESULT_COLUMNS, ActionId, new_op, report
from ozonctl.commands.promo.own_products import Own, find_any
from ozonctl.domain.promo_runs import (
    OK,
    Outcome,
    ops_of,
    ordered,
    read_op,
    result_row,
    send_updates,
    settle,
    wait_out,
)
from ozonctl.errors import UsageError

if TYPE_CHECKING:
    from ozonctl.state.journal import Journal, Operation


def _which_leave(journal: Journal, action_id: int, ref: str | None) -> Operation:
    if ref is not None:
        op = journal.get(ref, kind="leave")
        if int(op.header.get("action_id", -1)) != action_id:
            raise UsageError(
                f"leave {op.ref} was from promotion {op.header.get('action_id')}, not {action_id}"
            )
        return op
    ops = ops_of(journal, action_id, ["leave"])
    if not ops:
        raise UsageError(
            f"no leave of promotion {action_id} in the journal",
            hint="see `ozonctl promo history`",
        )
    return ops[-1]


def rejoin(
    action_id: ActionId,
    leave_ref: Annotated[
        str | None,
        typer.Option(
            "--leave",
            metavar="REF",
            help="Which leave to undo (see `promo history`; default: the latest one).",
        ),
    ] = None,
) -> None:
    """Undo a leave: put the products back.

    At their recorded action price and stock; also the part done by a leave that was
    interrupted."""
    ctx = app_context()
    client = ctx.client()
    found = find_any(client, action_id)
    lock = contextlib.nullcontext() if ctx.dry_run else ctx.lock(f"promo rejoin {found.id}")
    with lock:
        journal = ctx.journal("promo")
        leave_op = _which_leave(journal, found.id, leave_ref)
        if leave_op.header.get("undone_by"):
            raise UsageError(
                f"leave {leave_op.ref} was already undone by {leave_op.header['undone_by']}"
            )
        if isinstance(found, Own):
            own_products.rejoin(ctx, client, found, leave_op)
            return
        action = found
        state = read_op(leave_op)
        took_out = {i for i, o in state.outcomes.items() if o.status == "left"}
        unsure = state.unsure  # never answered, or timed out: out only if gone now
        current: set[int] = set()
        if took_out | unsure:
            wait_out(
                ops_of(journal, action.id, ["leave", "join", "rejoin"]),
                timeout=ctx.profile.timeout,
                say=ctx.output.info,
            )
            current = {p.id for p in client.promos.products(action.id)}
            if not ctx.dry_run:
                settle(state, current)
        items, back = [], []
        for it in state.snapshot:
            pid = int(it["id"])
            if pid in current and pid in took_out:
                back.append(result_row(it, Outcome("already_in", "already in the promotion")))
            elif pid not in current and (pid in took_out or pid in unsure):
                items.append(it)
        if ctx.dry_run:
            rows = [result_row(it, Outcome("would_rejoin")) for it in items]
            ctx.output.outcomes(
                RESULT_COLUMNS,
                [*rows, *back],
                ref=None,
                dry_run=True,
                key="status",
                empty="nothing to put back",
            )
            ctx.output.info(
                f"dry run: would put {len(items)} products of leave {leave_op.ref} back into "
                f"«{action.title}» at their recorded prices; nothing was sent"
            )
            return
        if not items:
            ctx.output.outcomes(
                RESULT_COLUMNS,
                back,
                ref=None,
                dry_run=ctx.dry_run,
                key="status",
                empty="nothing to put back",
            )
            ctx.output.info(f"nothing of leave {leave_op.ref} is out of the promotion now")
            return
        ctx.confirm(
            f"Put {len(items)} products back into «{action.title}» ({action.id}) at their "
            "recorded action prices?"
        )
        op = new_op(
            ctx,
            "rejoin",
            action,
            writes=["actions.products.update"],
            method="update",
            leave_ref=leave_op.ref,
            products=len(items),
        )
        op.record(0, "snapshot", {"products": items})
        with ctx.output.progress("Joining", total=len(items)) as bar:
            sent = send_updates(
                client,
                action,
                op,
                items,
                first_step=1,
                price=lambda it: Decimal(it["action_price"]),
                leaving=False,
                advance=bar.advance,
            )
        mark_undone(leave_op, op)
        report(ctx, action, op, back, sent, verb="joined")


def mark_undone(leave_op: Operation, rejoin_op: Operation) -> None:
    """The leave is undone when every product the rejoin sent is back in the promotion;
    otherwise (Ozon rejected some, a request failed or its outcome is unknown) it stays
    as it was, and a later rejoin reads Ozon's state again and puts back the rest."""
    state = read_op(rejoin_op)
    back = all(
        (o := state.outcomes.get(int(it["id"]))) is not None and o.status in OK
        for it in state.snapshot
    )
    if back:
        leave_op.update(status="undone", status_before=leave_op.status, undone_by=rejoin_op.ref)
    else:
        tried = [*leave_op.header.get("rejoins", []), rejoin_op.ref]
        leave_op.update(rejoins=tried)


HISTORY_COLUMNS = (
    Column("created", "When"),
    Column("ref", "Ref"),
    Column("kind", "Kind"),
    Column("action_id", "Promotion", justify="right"),
    Column("title", "Title", max_width=30),
    Column("products", "Products", justify="right"),
    Column("status", "Outcome"),
    Column("result", "Result"),
)


def history(
    action_id: Annotated[
        int | None, typer.Option("--action", metavar="ID", help="Only this promotion.")
    ] = None,
    from_: FromOption = None,
    to: ToOption = None,
    month: MonthOption = None,
) -> None:
    """Joins and leaves made with ozonctl.

    When, which promotion, how many products and the outcome, from local state."""
    from ozonctl.commands._history import show_history

    ctx = app_context()
    ops = [
        op
        for op in ordered(ctx.journal("promo"))
        if action_id is None or int(op.header.get("action_id", -1)) == action_id
    ]

    def row(op: Operation) -> dict[str, Any]:
        counts = op.header.get("counts") or {}
        return {**op.header, "result": ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))}

    show_history(
        ctx,
        "promo",
        ops,
        HISTORY_COLUMNS,
        row,
        empty="no joins or leaves made with ozonctl yet",
        bounds=moments(from_, to, month),
    )
