"""``promo rejoin`` (undo a leave) and ``promo history`` (the journal of joins and leaves
made with ozonctl)."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ozonctl.cli.context import app_context
from ozonctl.cli.output import Column
from ozonctl.cli.period import FromOption, MonthOption, ToOption, moments
from ozonctl.commands.promo import own_products
from ozonctl.commands.promo.common import ActionId, Planned, carry_out, new_op, send_joins
from ozonctl.commands.promo.own_products import Own, find_any
from ozonctl.domain.promo_runs import (
    OK,
    Outcome,
    ops_of,
    ordered,
    read_op,
    result_row,
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
        n = len(items)
        carry_out(
            ctx,
            Planned(
                "rejoin",
                action,
                items,
                would=[result_row(it, Outcome("would_rejoin")) for it in items],
                others=back,
                plan_line=f"would put {n} products of leave {leave_op.ref} back into "
                f"«{action.title}» at their recorded prices",
                question=f"Put {n} products back into «{action.title}» ({action.id}) at their "
                "recorded action prices?",
                leave_ref=leave_op.ref,
            ),
            start=lambda: new_op(
                ctx,
                "rejoin",
                action,
                writes=["actions.products.update"],
                method="update",
                leave_ref=leave_op.ref,
                products=n,
            ),
            send=lambda op: send_joins(ctx, client, action, op, items),
            after=lambda op: mark_undone(leave_op, op),
        )


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
